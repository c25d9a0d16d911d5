/**
 * KeyWrapPort: the vault's master key for other modules' data keys (object storage's SSE-S3). A
 * module wraps and unwraps its own data keys with its own AAD and stores them itself; on a master-
 * key rotation the vault calls every registered re-wrapper before it drops the old key (and on start
 * when it finishes an interrupted rotation), so no data key stays wrapped by a key that is gone.
 */
import { type Keyring, unwrapDataKey, wrapDataKey } from './secrets.crypto.ts';

export interface WrappedKey {
  wrappedKey: string;
  kekId: string;
}

/** Re-wraps every key of one module not wrapped by `primaryKekId`; returns how many it re-wrapped. */
export type Rewrapper = (port: KeyWrapPort) => Promise<number>;

export interface KeyWrapPort {
  wrap(dek: Buffer, aad: Buffer): WrappedKey;
  unwrap(sealed: WrappedKey, aad: Buffer): Buffer;
  /** The key id new wraps use. */
  primaryKekId(): string;
  /** Called during a master-key rotation, after the new key became primary. */
  onRotate(rewrapper: Rewrapper): void;
}

/** Created by the composition, bound to the master key by the secrets module (modules/index.ts). */
export class KeyWrapPortImpl implements KeyWrapPort {
  readonly rewrappers: Rewrapper[] = [];
  private bound: (() => Keyring) | null = null;

  bind(keyring: () => Keyring): void {
    this.bound = keyring;
  }

  private keyring(): Keyring {
    if (!this.bound) throw new Error('the secrets module has not bound the master key yet');
    return this.bound();
  }

  wrap(dek: Buffer, aad: Buffer): WrappedKey {
    return wrapDataKey(this.keyring(), dek, aad);
  }

  unwrap(sealed: WrappedKey, aad: Buffer): Buffer {
    return unwrapDataKey(this.keyring(), sealed, aad);
  }

  primaryKekId(): string {
    return this.keyring().primaryKekId;
  }

  onRotate(rewrapper: Rewrapper): void {
    this.rewrappers.push(rewrapper);
  }

  /** Run every module's re-wrapper (the rotation's step 2, next to the secrets' own rows). */
  async rewrapOthers(): Promise<number> {
    let n = 0;
    for (const r of this.rewrappers) n += await r(this);
    return n;
  }
}
