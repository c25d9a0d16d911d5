/**
 * Envelope encryption and the master-key file: round trip, tampering and moved rows fail,
 * a wrong master key fails clearly, the key file's permissions are enforced.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyring, kekIdOf, openValue, rewrapKey, SecretCryptoError, sealValue } from './secrets.crypto.ts';
import { loadMasterKey, MasterKeyError, writeMasterKeyFile } from './secrets.keyfile.ts';

const ID = 'sec-0123456789abcdef0';
const OTHER = 'sec-fedcba98765432100';
const plain = Buffer.from('hunter2-very-secret-value', 'utf8');

/** Flip one bit of one base64url part of a `nonce.tag.ct` string. */
function flip(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const b = Buffer.from(parts[part]!, 'base64url');
  b[0]! ^= 1;
  parts[part] = b.toString('base64url');
  return parts.join('.');
}

describe('envelope encryption', () => {
  const keyring = new Keyring(randomBytes(32));

  it('round-trips, with a fresh data key and nonce per encryption and no plaintext in the row', () => {
    const a = sealValue(keyring, ID, 1, plain);
    const b = sealValue(keyring, ID, 1, plain);
    expect(openValue(keyring, ID, 1, a)).toEqual(plain);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.kekId).toBe(keyring.primaryKekId);
    const row = JSON.stringify(a);
    expect(row).not.toContain('hunter2');
    expect(row).not.toContain(plain.toString('base64'));
    expect(row).not.toContain(plain.toString('base64url'));
  });

  it('round-trips binary and 64 KiB values', () => {
    const big = randomBytes(64 * 1024);
    expect(openValue(keyring, ID, 7, sealValue(keyring, ID, 7, big))).toEqual(big);
  });

  it('rejects a tampered ciphertext, tag or nonce', () => {
    const s = sealValue(keyring, ID, 1, plain);
    for (const part of [0, 1, 2]) {
      expect(() => openValue(keyring, ID, 1, { ...s, ciphertext: flip(s.ciphertext, part) })).toThrow(
        /secret value failed authentication/,
      );
      expect(() => openValue(keyring, ID, 1, { ...s, wrappedKey: flip(s.wrappedKey, part) })).toThrow(
        /data key failed authentication/,
      );
    }
  });

  it('binds the row to its secret id and version (AAD): moved or swapped rows fail', () => {
    const v1 = sealValue(keyring, ID, 1, plain);
    const v2 = sealValue(keyring, ID, 2, Buffer.from('other'));
    const elsewhere = sealValue(keyring, OTHER, 1, Buffer.from('theirs'));
    expect(() => openValue(keyring, ID, 2, v1)).toThrow(SecretCryptoError);
    expect(() => openValue(keyring, OTHER, 1, v1)).toThrow(SecretCryptoError);
    expect(() => openValue(keyring, ID, 1, elsewhere)).toThrow(SecretCryptoError);
    // value of one row with the wrapped key of another (same secret): the key does not fit
    expect(() => openValue(keyring, ID, 1, { ...v1, wrappedKey: v2.wrappedKey })).toThrow(SecretCryptoError);
  });

  it('a wrong master key fails clearly, naming the key ids', () => {
    const s = sealValue(keyring, ID, 1, plain);
    const other = new Keyring(randomBytes(32));
    let err: unknown;
    try {
      openValue(other, ID, 1, s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretCryptoError);
    expect((err as SecretCryptoError).reason).toBe('unknown_kek');
    expect((err as Error).message).toContain(s.kekId);
    expect((err as Error).message).toContain('master key');
    // same id claimed, wrong key bytes: authentication fails
    expect(() => openValue(other, ID, 1, { ...s, kekId: other.primaryKekId })).toThrow(/wrong master key/);
  });

  it('re-wrapping under a new master key keeps the value readable and drops the old key', () => {
    const k = new Keyring(randomBytes(32));
    const s = sealValue(k, ID, 3, plain);
    k.promote(randomBytes(32));
    const next = rewrapKey(k, ID, 3, s);
    expect(next.kekId).toBe(k.primaryKekId);
    expect(next.kekId).not.toBe(s.kekId);
    k.dropOlder();
    expect(openValue(k, ID, 3, { ...s, ...next })).toEqual(plain);
    expect(() => openValue(k, ID, 3, s)).toThrow(/not the configured one/);
  });
});

describe('master key file', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'pc-mk-'));

  it('is created 0600 on first start and read back on the next', () => {
    const file = join(dir(), 'etc', 'master.key');
    const first = loadMasterKey({ file, fromEnv: null });
    expect(first.source).toBe('generated');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadMasterKey({ file, fromEnv: null });
    expect(again.source).toBe('file');
    expect(again.keyring.primaryKekId).toBe(first.keyring.primaryKekId);
  });

  it('refuses to start when the file is group- or other-readable, and does not change its mode', () => {
    const file = join(dir(), 'master.key');
    loadMasterKey({ file, fromEnv: null });
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(file, mode);
      expect(() => loadMasterKey({ file, fromEnv: null })).toThrow(MasterKeyError);
      expect(() => loadMasterKey({ file, fromEnv: null })).toThrow(/refusing to start.*chmod 600/s);
      expect(statSync(file).mode & 0o777).toBe(mode);
    }
    chmodSync(file, 0o400);
    expect(loadMasterKey({ file, fromEnv: null }).source).toBe('file');
  });

  it('rejects a corrupt file with the line number and never prints the key', () => {
    const file = join(dir(), 'master.key');
    writeFileSync(file, 'not-a-key\n', { mode: 0o600 });
    expect(() => loadMasterKey({ file, fromEnv: null })).toThrow(/line 1 is not a 32-byte key/);
  });

  it('the environment variable wins over the file (which is then not created)', () => {
    const file = join(dir(), 'master.key');
    const key = randomBytes(32);
    const loaded = loadMasterKey({ file, fromEnv: key });
    expect(loaded.source).toBe('env');
    expect(loaded.file).toBeNull();
    expect(loaded.keyring.primaryKekId).toBe(kekIdOf(key));
    expect(() => statSync(file)).toThrow();
  });

  it('holds previous keys during a rotation: primary first, all loaded', () => {
    const file = join(dir(), 'master.key');
    const [a, b] = [randomBytes(32), randomBytes(32)];
    writeFileSync(file, '', { mode: 0o600 });
    writeMasterKeyFile(file, [b, a]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const loaded = loadMasterKey({ file, fromEnv: null });
    expect(loaded.keyring.primaryKekId).toBe(kekIdOf(b));
    expect(loaded.keyring.kekIds.sort()).toEqual([kekIdOf(a), kekIdOf(b)].sort());
    expect(readFileSync(file, 'utf8')).toContain(b.toString('hex'));
  });
});
