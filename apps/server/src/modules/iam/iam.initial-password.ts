/**
 * The generated first-run admin password, also kept in `<dataDir>/initial-admin-password` (mode 0600)
 * so that it can be found when the log is not a terminal (`npm start` under a service manager, where
 * the banner is one JSON line among many). The file is deleted when that password is changed.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

export function initialPasswordPath(dataDir: string): string {
  return join(dataDir, INITIAL_PASSWORD_FILE);
}

/** Write the password (owner-only); returns the file's path, or null when it could not be written. */
export function writeInitialPassword(dataDir: string, password: string): string | null {
  const file = initialPasswordPath(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
    // a stale file (e.g. from a wiped database) is replaced; mode applies only on creation, hence chmod
    rmSync(file, { force: true });
    writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return file;
  } catch {
    return null;
  }
}

/** Forget the initial password (after it was changed). Missing files are fine. */
export function removeInitialPassword(dataDir: string): void {
  try {
    rmSync(initialPasswordPath(dataDir), { force: true });
  } catch {
    // best effort: a read-only data dir must not fail a password change
  }
}
