import { execFile } from 'node:child_process';
import { createHash, timingSafeEqual } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { Client, ConnectConfig } from 'ssh2';

/**
 * ssh2 is loaded on the first SSH connection, not at import: loading it instantiates its poly1305
 * WebAssembly module with 16 MiB of memory (docs/benchmarks.md, idle memory).
 */
let ssh2Module: Promise<typeof import('ssh2')> | undefined;
const loadSsh2 = () => {
  ssh2Module ??= import('ssh2').then(
    (m) => (m as unknown as { default?: typeof import('ssh2') }).default ?? m,
  );
  return ssh2Module;
};

/** The outcome of one command. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Bytes for the command's standard input (then EOF). This is how file contents reach the node:
   * as data on stdin of a fixed command, never as part of the command line.
   */
  stdin?: string | Buffer;
  /**
   * Called with each piece of output as it arrives (UTF-8, split anywhere, even mid-line), before
   * the command ends; the result still carries the whole output. Long commands (app setup scripts)
   * use it to show their progress live.
   */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

/**
 * Runs one program with an argument vector. Implementations never interpret the arguments with a
 * shell of their own making: LocalExecutor uses execFile (no shell); SshExecutor must go through the
 * remote login shell (that is how SSH `exec` works), so it single-quotes every argument.
 * Callers (ZfsAgent) validate every argument against strict patterns before anything runs.
 */
export interface Executor {
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

/** Failure to run a command at all (connection, spawn, timeout), not a non-zero exit. */
export class ExecutorError extends Error {
  override name = 'ExecutorError';
  readonly command: string;
  constructor(command: string, message: string, options?: { cause?: unknown }) {
    super(`${command}: ${message}`, options);
    this.command = command;
  }
}

/** POSIX shell single quoting: `'` → `'\''`. Safe for any byte string without NUL. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('argument contains a NUL byte');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

const DEFAULT_TIMEOUT = 120_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Runs commands on this machine (ProxiCloud running on the PVE node itself; tests with zfs-fuse). */
export class LocalExecutor implements Executor {
  constructor(private readonly opts: { env?: NodeJS.ProcessEnv } = {}) {}

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...args] = argv;
    if (!file) return Promise.reject(new TypeError('empty argv'));
    const name = argv.slice(0, 2).join(' ');
    return new Promise((resolve, reject) => {
      const child = execFile(
        file,
        args,
        {
          shell: false,
          timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT,
          maxBuffer: MAX_OUTPUT,
          signal: opts.signal,
          env: this.opts.env ?? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
          encoding: 'utf8',
        },
        (err, stdout, stderr) => {
          if (err) {
            const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            if (typeof e.code === 'number') {
              resolve({ stdout, stderr, exitCode: e.code });
              return;
            }
            if (e.killed) {
              reject(
                new ExecutorError(name, `timed out after ${opts.timeoutMs ?? DEFAULT_TIMEOUT} ms`, {
                  cause: err,
                }),
              );
              return;
            }
            reject(new ExecutorError(name, `could not run (${e.code ?? e.message})`, { cause: err }));
            return;
          }
          resolve({ stdout, stderr, exitCode: 0 });
        },
      );
      if (opts.onOutput) {
        const onOutput = opts.onOutput;
        child.stdout?.on('data', (d: string) => onOutput('stdout', d));
        child.stderr?.on('data', (d: string) => onOutput('stderr', d));
      }
      child.stdin?.on('error', () => {}); // EPIPE when the program exits without reading
      child.stdin?.end(opts.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}

export interface SshExecutorOptions {
  host: string;
  port?: number;
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /**
   * Pinned host key fingerprint: OpenSSH's `SHA256:<base64>` (as `ssh-keygen -lf` prints it) or
   * hex SHA-256 (colons optional). The connection is refused when the host key differs.
   */
  hostKeyFingerprint: string;
  readyTimeoutMs?: number;
}

/** `SHA256:base64` / hex → raw 32-byte digest. */
export function parseHostKeyFingerprint(fp: string): Buffer {
  const s = fp.trim();
  const b64 = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(s);
  if (b64) return Buffer.from(b64[1]!, 'base64');
  const hex = s.replace(/^sha256[:/]?/i, '').replace(/:/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  throw new TypeError('SSH host key fingerprint must be SHA256:<base64> or 64 hex digits');
}

/** OpenSSH-style fingerprint (`SHA256:<base64 without padding>`) of a raw host key. */
export function hostKeyFingerprint(key: Buffer): string {
  return formatDigest(createHash('sha256').update(key).digest());
}

function formatDigest(digest: Buffer): string {
  return `SHA256:${digest.toString('base64').replace(/=+$/, '')}`;
}

/** Runs commands on the PVE node over SSH (ssh2), one connection reused for all commands. */
export class SshExecutor implements Executor {
  private conn?: Promise<Client>;
  private readonly pinned: Buffer;

  constructor(private readonly opts: SshExecutorOptions) {
    if (!opts.password && !opts.privateKey) throw new TypeError('SSH needs a password or a private key');
    this.pinned = parseHostKeyFingerprint(opts.hostKeyFingerprint);
  }

  private connect(): Promise<Client> {
    if (this.conn) return this.conn;
    const where = `ssh ${this.opts.username}@${this.opts.host}:${this.opts.port ?? 22}`;
    this.conn = loadSsh2().then(
      ({ Client }) =>
        new Promise<Client>((resolve, reject) => {
          const client = new Client();
          let seen: string | undefined;
          const cfg: ConnectConfig = {
            host: this.opts.host,
            port: this.opts.port ?? 22,
            username: this.opts.username,
            password: this.opts.password,
            privateKey: this.opts.privateKey,
            passphrase: this.opts.passphrase,
            readyTimeout: this.opts.readyTimeoutMs ?? 20_000,
            hostVerifier: (key: Buffer) => {
              const digest = createHash('sha256').update(key).digest();
              seen = hostKeyFingerprint(key);
              return digest.length === this.pinned.length && timingSafeEqual(digest, this.pinned);
            },
          };
          client.once('ready', () => resolve(client));
          client.once('error', (err: Error & { level?: string }) => {
            this.conn = undefined;
            const msg =
              seen && err.message.includes('verification failed')
                ? `host key mismatch: expected ${formatDigest(this.pinned)}, got ${seen}`
                : err.level === 'client-authentication'
                  ? 'authentication failed'
                  : err.message;
            reject(new ExecutorError(where, msg));
          });
          client.on('close', () => {
            this.conn = undefined;
          });
          client.connect(cfg);
        }),
    );
    return this.conn;
  }

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new TypeError('empty argv');
    const name = argv.slice(0, 2).join(' ');
    const command = argv.map(shellQuote).join(' ');
    const client = await this.connect();
    return new Promise<ExecResult>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT;
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const timer = setTimeout(
        () => finish(() => reject(new ExecutorError(name, `timed out after ${timeoutMs} ms`))),
        timeoutMs,
      );
      const onAbort = () => finish(() => reject(opts.signal?.reason));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      client.exec(command, (err, stream) => {
        if (err) {
          finish(() => reject(new ExecutorError(name, err.message, { cause: err })));
          return;
        }
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let exitCode: number | null = null;
        const live = opts.onOutput;
        const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
        const emit = (which: 'stdout' | 'stderr', d: Buffer) => {
          if (!live || done) return;
          const text = decoders[which].write(d);
          if (text) live(which, text);
        };
        stream.on('data', (d: Buffer) => {
          out.push(d);
          emit('stdout', d);
        });
        stream.stderr.on('data', (d: Buffer) => {
          errOut.push(d);
          emit('stderr', d);
        });
        stream.on('exit', (code: number | null, signal?: string) => {
          exitCode = code ?? (signal ? 128 : 255);
        });
        // stdin: the data (if any), then EOF so a command that reads it ends
        stream.end(opts.stdin ?? '');
        stream.on('close', () =>
          finish(() =>
            resolve({
              stdout: Buffer.concat(out).toString('utf8'),
              stderr: Buffer.concat(errOut).toString('utf8'),
              exitCode: exitCode ?? 255,
            }),
          ),
        );
      });
    });
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    if (!c) return;
    try {
      (await c).end();
    } catch {
      // connection never came up
    }
  }
}
