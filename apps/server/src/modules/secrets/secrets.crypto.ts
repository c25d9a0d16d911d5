/**
 * Envelope encryption for secret versions (pure; no I/O).
 *
 * Every version gets a fresh random 256-bit data key (DEK). The value is encrypted with the DEK
 * (AES-256-GCM, random 96-bit nonce); the DEK is wrapped by the vault's master key (the key-
 * encryption key, KEK; AES-256-GCM, its own random nonce). Both encryptions carry the same AAD,
 * `proxicloud/secrets/v1|<secret id>|<version>`, so a row copied to another secret or version fails
 * authentication instead of decrypting. Rows remember which KEK wrapped them (`kekId`, the first
 * 16 hex characters of SHA-256 over the key), so a rotation that stopped half-way stays readable.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALG = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretCryptoError extends Error {
  constructor(
    message: string,
    readonly reason: 'unknown_kek' | 'unwrap_failed' | 'decrypt_failed' | 'format',
  ) {
    super(message);
    this.name = 'SecretCryptoError';
  }
}

/** What a version row stores (all base64url text, portable across SQLite and PostgreSQL). */
export interface SealedValue {
  /** `<nonce>.<tag>.<ciphertext>` of the value under the DEK. */
  ciphertext: string;
  /** `<nonce>.<tag>.<ciphertext>` of the DEK under the KEK. */
  wrappedKey: string;
  kekId: string;
}

export function kekIdOf(key: Buffer): string {
  return createHash('sha256').update('proxicloud/secrets/kek-id/v1').update(key).digest('hex').slice(0, 16);
}

export function aadFor(secretId: string, version: number): Buffer {
  return Buffer.from(`proxicloud/secrets/v1|${secretId}|${version}`, 'utf8');
}

/** The master keys the vault knows: the primary wraps new data keys; older ones only unwrap. */
export class Keyring {
  private readonly keys = new Map<string, Buffer>();
  private primaryId: string;

  constructor(primary: Buffer, older: readonly Buffer[] = []) {
    for (const k of [primary, ...older]) {
      if (k.length !== 32) throw new Error('a secrets master key must be 32 bytes');
      this.keys.set(kekIdOf(k), k);
    }
    this.primaryId = kekIdOf(primary);
  }

  get primaryKekId(): string {
    return this.primaryId;
  }

  get kekIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Make `key` the primary (adding it); the previous keys stay for unwrapping until dropped. */
  promote(key: Buffer): void {
    if (key.length !== 32) throw new Error('a secrets master key must be 32 bytes');
    const id = kekIdOf(key);
    this.keys.set(id, key);
    this.primaryId = id;
  }

  /** Forget every key but the primary (after all rows were re-wrapped). */
  dropOlder(): void {
    for (const id of [...this.keys.keys()]) if (id !== this.primaryId) this.keys.delete(id);
  }

  primaryKey(): Buffer {
    return this.keys.get(this.primaryId)!;
  }

  key(kekId: string): Buffer {
    const k = this.keys.get(kekId);
    if (!k)
      throw new SecretCryptoError(
        `secret data key was wrapped by master key ${kekId}, which is not the configured one ` +
          `(${this.primaryId}); start with the master key this database was written with`,
        'unknown_kek',
      );
    return k;
  }
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALG, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [nonce, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.');
}

function decrypt(key: Buffer, sealed: string, aad: Buffer, what: 'unwrap' | 'decrypt'): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 3) throw new SecretCryptoError('sealed secret has an unknown format', 'format');
  const [nonce, tag, ct] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES)
    throw new SecretCryptoError('sealed secret has an unknown format', 'format');
  try {
    const d = createDecipheriv(ALG, key, nonce, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch {
    throw what === 'unwrap'
      ? new SecretCryptoError(
          'secret data key failed authentication: wrong master key, or the row was altered or moved',
          'unwrap_failed',
        )
      : new SecretCryptoError(
          'secret value failed authentication: the ciphertext was altered or moved to another secret/version',
          'decrypt_failed',
        );
  }
}

export function sealValue(keyring: Keyring, secretId: string, version: number, value: Buffer): SealedValue {
  const aad = aadFor(secretId, version);
  const dek = randomBytes(32);
  try {
    return {
      ciphertext: encrypt(dek, value, aad),
      wrappedKey: encrypt(keyring.primaryKey(), dek, aad),
      kekId: keyring.primaryKekId,
    };
  } finally {
    dek.fill(0);
  }
}

export function openValue(keyring: Keyring, secretId: string, version: number, sealed: SealedValue): Buffer {
  const aad = aadFor(secretId, version);
  const dek = decrypt(keyring.key(sealed.kekId), sealed.wrappedKey, aad, 'unwrap');
  try {
    return decrypt(dek, sealed.ciphertext, aad, 'decrypt');
  } finally {
    dek.fill(0);
  }
}

/**
 * Another module's data key (object storage's server-side encryption) wrapped by the primary master
 * key, with that module's own AAD (which must not collide with `aadFor`'s prefix).
 */
export function wrapDataKey(
  keyring: Keyring,
  dek: Buffer,
  aad: Buffer,
): Pick<SealedValue, 'wrappedKey' | 'kekId'> {
  return { wrappedKey: encrypt(keyring.primaryKey(), dek, aad), kekId: keyring.primaryKekId };
}

export function unwrapDataKey(
  keyring: Keyring,
  sealed: Pick<SealedValue, 'wrappedKey' | 'kekId'>,
  aad: Buffer,
): Buffer {
  return decrypt(keyring.key(sealed.kekId), sealed.wrappedKey, aad, 'unwrap');
}

/** Re-wrap a version's data key under the keyring's primary key (the value stays as it is). */
export function rewrapKey(
  keyring: Keyring,
  secretId: string,
  version: number,
  sealed: Pick<SealedValue, 'wrappedKey' | 'kekId'>,
): Pick<SealedValue, 'wrappedKey' | 'kekId'> {
  const aad = aadFor(secretId, version);
  const dek = decrypt(keyring.key(sealed.kekId), sealed.wrappedKey, aad, 'unwrap');
  try {
    return { wrappedKey: encrypt(keyring.primaryKey(), dek, aad), kekId: keyring.primaryKekId };
  } finally {
    dek.fill(0);
  }
}
