/**
 * The vault's master key on disk. The file holds one key per line (64 hex characters; `#` starts a
 * comment): the first line is the primary key, further lines are previous keys that are still
 * needed while a rotation re-wraps data keys. It is created 0600 on first start, and the server
 * refuses to start when the file is accessible to group or others (it never "fixes" the mode: an
 * exposed key must be treated as leaked and rotated). PROXICLOUD_SECRETS_MASTER_KEY replaces the
 * file entirely (no rotation through the API then: the operator changes the variable).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseKey32 } from '../../platform/config.ts';
import { Keyring } from './secrets.crypto.ts';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export interface MasterKeySource {
  /** Path of the key file (used unless `fromEnv` is set). */
  file: string;
  fromEnv: Buffer | null;
}

export interface LoadedMasterKey {
  keyring: Keyring;
  /** 'env': PROXICLOUD_SECRETS_MASTER_KEY; 'file' (existing) or 'generated' (created now). */
  source: 'env' | 'file' | 'generated';
  /** The file to rewrite on rotation; null when the key came from the environment. */
  file: string | null;
}

export function loadMasterKey(src: MasterKeySource): LoadedMasterKey {
  if (src.fromEnv) return { keyring: new Keyring(src.fromEnv), source: 'env', file: null };
  const path = src.file;
  if (!existsSync(path)) {
    const key = randomBytes(32);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, render([key]), { mode: 0o600, flag: 'wx' });
      return { keyring: new Keyring(key), source: 'generated', file: path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new MasterKeyError(
          `secrets master key: could not create ${path}: ${(err as Error).message} ` +
            '(set PROXICLOUD_SECRETS_MASTER_KEY_FILE to a writable path, or PROXICLOUD_SECRETS_MASTER_KEY)',
        );
    }
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new MasterKeyError(
      `secrets master key: ${path} has mode ${mode.toString(8).padStart(3, '0')}, which lets group or ` +
        `others read it; refusing to start. Run \`chmod 600 ${path}\` and rotate the key ` +
        '(`proxicloud secrets rotate-master-key`) if anyone may have copied it.',
    );
  const keys = parse(readFileSync(path, 'utf8'), path);
  return { keyring: new Keyring(keys[0]!, keys.slice(1)), source: 'file', file: path };
}

function parse(text: string, path: string): Buffer[] {
  const keys: Buffer[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const v = line.replace(/#.*$/, '').trim();
    if (!v) continue;
    const key = parseKey32(v);
    if (!key)
      throw new MasterKeyError(
        `secrets master key: ${path} line ${i + 1} is not a 32-byte key (64 hex characters)`,
      );
    keys.push(key);
  }
  if (keys.length === 0) throw new MasterKeyError(`secrets master key: ${path} holds no key`);
  return keys;
}

function render(keys: readonly Buffer[]): string {
  const [primary, ...older] = keys;
  return [
    '# ProxiCloud secrets master key (line 1); further lines: previous keys kept during a rotation.',
    '# Back this file up separately from the database: either alone reveals nothing.',
    primary!.toString('hex'),
    ...older.map((k) => k.toString('hex')),
    '',
  ].join('\n');
}

/** Replace the key file atomically (temp file 0600 in the same directory, then rename). */
export function writeMasterKeyFile(path: string, keys: readonly Buffer[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, render(keys), { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
