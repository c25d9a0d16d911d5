/**
 * Test harness for the CLI suite (never imported by the CLI itself): a real ProxiCloud server on an
 * ephemeral port (the server package's public startServer, temp SQLite data dir), and a runner that
 * executes the real CLI as a subprocess with its own HOME and XDG_CONFIG_HOME: plain node on the
 * bundle built for this test run (global-setup.ts), as a release runs it, or, with `{ source: true }`,
 * the checkout's shim bin/proxicloud.mjs on the TypeScript source.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type Config, createLogger, loadConfig, type RunningServer, startServer } from '@proxicloud/server';
import { inject } from 'vitest';

export const ADMIN_PASSWORD = 'admin-password-for-cli-tests';
export const BIN = fileURLToPath(new URL('../../bin/proxicloud.mjs', import.meta.url));

export interface TestServer {
  url: string;
  server: RunningServer;
  config: Config;
  dataDir: string;
  stop(): Promise<void>;
}

/** Start a real server; `configure` may tune the config (e.g. a 1 s access token TTL). */
export async function startTestServer(configure: (c: Config) => Config = (c) => c): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-server-'));
  let config = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: '0',
      PROXICLOUD_LOG_LEVEL: 'silent',
      PROXICLOUD_WEB_DIR: path.join(dataDir, 'no-web'),
    },
  });
  // bcrypt cost 4 keeps logins fast in tests; a generous per-IP limit (all tests share 127.0.0.1).
  config = configure({ ...config, auth: { ...config.auth, bcryptCost: 4, ipMaxFailures: 1000 } });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const server = await startServer(config, { logger: createLogger('silent', sink), jobs: false });
  return {
    url: server.url,
    server,
    config,
    dataDir,
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  /** The temp HOME; credentials live in `${home}/.config/proxicloud` (XDG_CONFIG_HOME=home/.config). */
  home: string;
  configDir: string;
  credentialsFile: string;
  run(
    args: string[],
    options?: { input?: string; env?: Record<string, string | undefined> },
  ): Promise<CliResult>;
  /** Start a long-running command (e.g. `serve`); the caller stops it. */
  start(
    args: string[],
    options?: { env?: Record<string, string | undefined> },
  ): ChildProcessWithoutNullStreams;
  /** Parsed credentials.json. */
  credentials(): { version: number; profiles: Record<string, Record<string, string>> };
  cleanup(): void;
}

/**
 * A CLI "user": its own temp HOME, and every call is a fresh node process running this run's CLI
 * bundle (or, with `source`, bin/proxicloud.mjs on the TypeScript source through tsx).
 */
export function cliRunner(
  defaultEnv: Record<string, string> = {},
  opts: { source?: boolean } = {},
): CliRunner {
  const entry = opts.source ? BIN : inject('cliBundle');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-home-'));
  const configDir = path.join(home, '.config', 'proxicloud');
  // Only what a shell would pass; no PROXICLOUD_* from the developer's environment leaks in.
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    NO_COLOR: '1',
    ...defaultEnv,
  };
  const envWith = (extra: Record<string, string | undefined> = {}) => {
    const env: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };
  return {
    home,
    configDir,
    credentialsFile: path.join(configDir, 'credentials.json'),
    start(args, options = {}) {
      return spawn(process.execPath, [entry, ...args], {
        env: envWith(options.env),
        cwd: home,
        stdio: 'pipe',
      });
    },
    run(args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [entry, ...args], {
          env: envWith(options.env),
          cwd: home,
          stdio: 'pipe',
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => err.push(c));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          resolve({
            code: code ?? (signal ? 128 : -1),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
        });
        child.stdin.end(options.input ?? '');
      });
    },
    credentials() {
      return JSON.parse(fs.readFileSync(path.join(configDir, 'credentials.json'), 'utf8'));
    },
    cleanup() {
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface AdminSession {
  server: TestServer;
  /** A CLI runner whose default profile is logged in as admin. */
  admin: CliRunner;
  /** Remove the runner's HOME and stop the server. */
  stop(): Promise<void>;
}

/** A real server and a CLI runner logged in as its admin: how most command suites begin. */
export async function startWithAdmin(configure?: (c: Config) => Config): Promise<AdminSession> {
  const server = await startTestServer(configure);
  const admin = cliRunner({ PROXICLOUD_URL: server.url });
  const login = await admin.run(['login', '-u', 'admin', '--password-stdin'], {
    input: `${ADMIN_PASSWORD}\n`,
  });
  if (login.code !== 0) {
    admin.cleanup();
    await server.stop();
    throw new Error(`admin login failed (exit ${login.code}): ${login.stderr}`);
  }
  return {
    server,
    admin,
    async stop() {
      admin.cleanup();
      await server.stop();
    },
  };
}
