/**
 * The credentials store: `$XDG_CONFIG_HOME/proxicloud/credentials.json` (else
 * `~/.config/proxicloud/credentials.json`), one entry per profile. The directory is 0700 and the
 * file 0600; both are checked (and tightened, with a warning) on every read. Writes are atomic:
 * a private temp file in the same directory, fsync, rename.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, UsageError } from './errors.ts';

export const CREDENTIALS_FILE = 'credentials.json';
const FILE_VERSION = 1;
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface Profile {
  /** Server base URL (no /api/v1). */
  server?: string;
  /** From `login`: the session. */
  username?: string;
  userId?: string;
  accessToken?: string;
  /** ISO-8601: when the access token expires (from the session's expiresIn). */
  accessTokenExpiresAt?: string;
  refreshToken?: string;
  /** From `configure access-key`. */
  accessKeyId?: string;
  secretAccessKey?: string;
  updatedAt?: string;
}

export interface CredentialsFile {
  version: number;
  profiles: Record<string, Profile>;
}

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'proxicloud');
  return path.join(home, '.config', 'proxicloud');
}

export function validateProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(
      `Invalid profile name "${name}"`,
      'Profile names use letters, digits, ".", "_" and "-" (at most 64 characters).',
    );
  }
  return name;
}

export type Warn = (message: string) => void;

export class ConfigStore {
  readonly dir: string;
  readonly file: string;
  private readonly warn: Warn;
  private checked = false;

  constructor(dir: string, warn: Warn = () => {}) {
    this.dir = dir;
    this.file = path.join(dir, CREDENTIALS_FILE);
    this.warn = warn;
  }

  /** Read the whole file; a missing file is an empty store. */
  read(): CredentialsFile {
    let text: string;
    try {
      this.checkPermissions();
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: FILE_VERSION, profiles: {} };
      throw new CliError(`Cannot read ${this.file}: ${(err as Error).message}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${this.file} is not valid JSON`, {
        code: 'config_corrupt',
        hint: `Fix or delete the file, then run \`proxicloud login\` again.`,
      });
    }
    if (!isRecord(parsed) || !isRecord(parsed.profiles)) {
      throw new CliError(`${this.file} has an unexpected format (no "profiles" object)`, {
        code: 'config_corrupt',
        hint: `Fix or delete the file, then run \`proxicloud login\` again.`,
      });
    }
    if (typeof parsed.version === 'number' && parsed.version > FILE_VERSION) {
      throw new CliError(`${this.file} was written by a newer proxicloud (format ${parsed.version})`, {
        code: 'config_version',
      });
    }
    const profiles: Record<string, Profile> = {};
    for (const [name, value] of Object.entries(parsed.profiles)) {
      if (isRecord(value)) profiles[name] = pickProfile(value);
    }
    return { version: FILE_VERSION, profiles };
  }

  getProfile(name: string): Profile | undefined {
    return this.read().profiles[name];
  }

  /**
   * Read-modify-write one profile. `update` receives the current profile (or undefined) and
   * returns the new one, or undefined to delete it. Returns the stored profile.
   */
  updateProfile(
    name: string,
    update: (current: Profile | undefined) => Profile | undefined,
  ): Profile | undefined {
    validateProfileName(name);
    const data = this.read();
    const next = update(data.profiles[name]);
    if (next === undefined) {
      delete data.profiles[name];
    } else {
      data.profiles[name] = { ...stripUndefined(next), updatedAt: new Date().toISOString() };
    }
    this.write(data);
    return data.profiles[name];
  }

  /** Atomic write: temp file (0600, exclusive create) in the same dir, fsync, rename over. */
  write(data: CredentialsFile): void {
    this.ensureDir();
    const tmp = path.join(
      this.dir,
      `.${CREDENTIALS_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const body = `${JSON.stringify({ version: FILE_VERSION, profiles: data.profiles }, null, 2)}\n`;
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'wx', 0o600);
      fs.fchmodSync(fd, 0o600); // the umask cannot loosen it, but be explicit
      fs.writeFileSync(fd, body);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, this.file);
    } catch (err) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw new CliError(`Cannot write ${this.file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const dirFd = fs.openSync(this.dir, 'r');
      fs.fsyncSync(dirFd);
      fs.closeSync(dirFd);
    } catch {
      // fsync on a directory is not supported everywhere; the rename is still atomic.
    }
  }

  /**
   * Run `fn` while holding an exclusive lock on the store (a lock file created with O_EXCL). Used
   * around token refresh so that two CLI processes never spend the same refresh token (the server
   * would treat the second use as a replay and revoke the whole session).
   */
  async withLock<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
    this.ensureDir();
    const lock = path.join(this.dir, `${CREDENTIALS_FILE}.lock`);
    const started = Date.now();
    let fd: number | undefined;
    while (fd === undefined) {
      try {
        fd = fs.openSync(lock, 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // A lock older than the timeout belongs to a crashed process: break it.
        try {
          const age = Date.now() - fs.statSync(lock).mtimeMs;
          if (age > timeoutMs) fs.rmSync(lock, { force: true });
        } catch {
          // vanished between open and stat: retry
        }
        if (Date.now() - started > timeoutMs) {
          throw new CliError(`Timed out waiting for the lock ${lock}`, {
            hint: 'Another proxicloud process is refreshing the session. If none is running, delete the lock file.',
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    try {
      fs.writeSync(fd, String(process.pid));
      return await fn();
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.checkPermissions();
  }

  /** Tighten a too-open directory or file (group/other bits set) and say so once per process. */
  private checkPermissions(): void {
    if (this.checked || process.platform === 'win32') return;
    for (const [target, wanted] of [
      [this.dir, 0o700],
      [this.file, 0o600],
    ] as const) {
      let mode: number;
      try {
        mode = fs.statSync(target).mode & 0o777;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if (mode & 0o077) {
        fs.chmodSync(target, wanted);
        this.warn(
          `${target} was accessible by other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
            `changed it to ${wanted.toString(8).padStart(4, '0')}. Consider the stored credentials exposed ` +
            `and log in again if other users share this machine.`,
        );
      }
    }
    this.checked = fs.existsSync(this.file);
  }
}

const PROFILE_KEYS = [
  'server',
  'username',
  'userId',
  'accessToken',
  'accessTokenExpiresAt',
  'refreshToken',
  'accessKeyId',
  'secretAccessKey',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof Profile>;

function pickProfile(value: Record<string, unknown>): Profile {
  const out: Profile = {};
  for (const key of PROFILE_KEYS) {
    const v = value[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function stripUndefined(profile: Profile): Profile {
  return pickProfile(profile as Record<string, unknown>);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Profile auth summary for `whoami` and error hints. */
export function authMethodOf(profile: Profile | undefined): 'session' | 'access-key' | 'none' {
  if (profile?.accessKeyId && profile.secretAccessKey) return 'access-key';
  if (profile?.accessToken || profile?.refreshToken) return 'session';
  return 'none';
}
