/**
 * The server's side of the runner protocol (packages/function-runner/src/runner.mjs): HTTP/1.1
 * keep-alive with `Authorization: Bearer <shared secret>`. Runners are the managed ones (LXC
 * containers ProxiCloud creates on the nodes: the function-runners module registers them with
 * `setManaged`) plus the configured ones (PROXICLOUD_FUNCTION_RUNNERS, comma-separated base URLs,
 * with PROXICLOUD_FUNCTION_RUNNER_SECRET); while there is neither, one local runner process this
 * server starts on first use and restarts when it dies (demo mode, tests, single-host installs).
 *
 * A function version sticks to one runner (hash of its key over the healthy runners) so its warm
 * sandboxes are reused; a runner that fails a request is skipped for a few seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../platform/logger.ts';
import type { CodeFiles } from './functions.code.ts';

export interface FunctionError {
  type: string;
  message: string;
  stack?: string[];
}

export interface RunnerOutcome {
  status: 'success' | 'error' | 'timeout' | 'out-of-memory' | 'throttled';
  result?: unknown;
  error?: FunctionError;
  logs: string;
  logsTruncated: boolean;
  memoryUsedMb?: number | null;
  cold?: boolean;
  initMs?: number;
  durationMs?: number;
}

export interface RunnerInvoke {
  invocationId: string;
  key: string;
  codeSha: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutMs: number;
  network: boolean;
  env: Record<string, string>;
  payload: unknown;
  context: Record<string, unknown>;
  idleMs: number;
}

export interface RuntimeInfo {
  available: boolean;
  version: string | null;
  reason?: string;
}

/** A Go build on a runner: the compiler's output when it failed. */
export interface GoBuildResult {
  ok: boolean;
  output: string;
  durationMs: number;
  cached: boolean;
}

export interface RunnerStatus {
  pid?: number;
  /** PROXICLOUD_RUNNER_VERSION of a managed runner (null for the local one) */
  version?: string | null;
  bwrap: boolean;
  limits: string;
  seccomp: boolean;
  runtimes: Record<string, RuntimeInfo>;
  workers: number;
  idle: number;
  spares?: number;
}

/** packages/function-runner/src/runner.mjs, found from here (source tree or bundled dist/). */
export function runnerEntry(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'packages', 'function-runner', 'src', 'runner.mjs');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('packages/function-runner/src/runner.mjs not found');
}

export class RunnerClient {
  private downUntil = 0;
  /** Invocations this server has on the runner right now (draining waits for 0). */
  active = 0;
  // idle sockets are dropped after 30 s, before the runner's keep-alive timeout (60 s) closes them
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });
  constructor(
    private base: () => Promise<string>,
    private readonly secret: string,
    readonly label: string,
  ) {}

  get healthy(): boolean {
    return Date.now() >= this.downUntil;
  }

  markDown(ms = 3000): void {
    this.downUntil = Date.now() + ms;
  }

  /**
   * One request over node:http with a keep-alive agent. (The global fetch cost more CPU than the
   * rest of an invocation: web streams for the body in and out; the benchmark profile showed it as
   * the largest share of the server's time under the HTTP trigger.)
   */
  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(path, await this.base());
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method,
          agent: https ? this.httpsAgent : this.agent,
          headers: {
            authorization: `Bearer ${this.secret}`,
            'content-type': 'application/json',
            ...(payload ? { 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async status(): Promise<RunnerStatus> {
    const r = await this.call('GET', '/v1/status');
    if (r.status !== 200) throw new Error(`runner status ${r.status}`);
    return JSON.parse(r.text) as RunnerStatus;
  }

  async putCode(sha: string, files: CodeFiles): Promise<void> {
    const r = await this.call('PUT', `/v1/code/${sha}`, {
      files: Object.fromEntries([...files].map(([k, v]) => [k, v.toString('base64')])),
    });
    if (r.status >= 300) throw new Error(`runner refused the code (${r.status}): ${r.text}`);
  }

  /** Invoke; uploads the code when the runner does not have it yet. */
  async invoke(req: RunnerInvoke, code: () => Promise<CodeFiles>): Promise<RunnerOutcome> {
    this.active++;
    try {
      let r = await this.call('POST', '/v1/invoke', req);
      if (r.status === 412) {
        await this.putCode(req.codeSha, await code());
        r = await this.call('POST', '/v1/invoke', req);
      }
      if (r.status !== 200) throw new Error(`runner answered ${r.status}: ${r.text.slice(0, 300)}`);
      return JSON.parse(r.text) as RunnerOutcome;
    } finally {
      this.active--;
    }
  }

  /** Build a Go function on this runner (cached there); uploads the code when missing. */
  async build(codeSha: string, handler: string, code: () => Promise<CodeFiles>): Promise<GoBuildResult> {
    let r = await this.call('POST', '/v1/build', { codeSha, handler });
    if (r.status === 412) {
      await this.putCode(codeSha, await code());
      r = await this.call('POST', '/v1/build', { codeSha, handler });
    }
    if (r.status !== 200) throw new Error(`runner answered ${r.status}: ${r.text.slice(0, 300)}`);
    return JSON.parse(r.text) as GoBuildResult;
  }

  async evict(prefix: string, spares = false): Promise<void> {
    await this.call('POST', '/v1/evict', { prefix, spares });
  }

  /** Close the kept-alive connections. */
  close(): void {
    this.agent.destroy();
    this.httpsAgent.destroy();
  }
}

/** A runner process on this host, restarted when it dies (unless stopped). */
export class LocalRunner {
  readonly secret = randomBytes(24).toString('base64url');
  private child: ChildProcess | null = null;
  private ready: Promise<string> | null = null;
  private stopped = false;
  restarts = 0;

  constructor(
    private readonly logger: Logger,
    private readonly env: Record<string, string> = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  url(): Promise<string> {
    if (this.stopped) return Promise.reject(new Error('the local function runner is stopped'));
    this.ready ??= this.start();
    return this.ready;
  }

  private start(): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [runnerEntry()], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          PROXICLOUD_RUNNER_SECRET: this.secret,
          ...this.env,
          // the runner exits when this process dies (its stdin ends), taking its sandboxes along
          PROXICLOUD_RUNNER_EXIT_WITH_STDIN: '1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stdin!.on('error', () => {});
      this.child = child;
      let buf = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => {
        buf += d;
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        try {
          const msg = JSON.parse(buf.slice(0, nl)) as { port: number; limits: string; bwrap: boolean };
          this.logger.info(
            { pid: child.pid, limits: msg.limits, bwrap: msg.bwrap },
            'functions: local runner ready',
          );
          resolve(`http://127.0.0.1:${msg.port}`);
        } catch (e) {
          reject(e);
        }
        buf = '';
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) =>
        this.logger.warn({ runner: d.slice(0, 500) }, 'functions: runner stderr'),
      );
      child.on('exit', (code, signal) => {
        if (this.child === child) {
          this.child = null;
          this.ready = null;
        }
        reject(new Error(`function runner exited (${code ?? signal})`));
        if (!this.stopped) {
          this.restarts++;
          this.logger.warn(
            { code, signal },
            'functions: local runner exited; it restarts on the next invocation',
          );
        }
      });
    });
  }

  /** Kill the process (tests: a runner dying mid-invocation). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
}

/** A runner in a ProxiCloud-managed container (the function-runners module registers them). */
export interface ManagedRunner {
  id: string;
  label: string;
  secret: string;
  /** the runner's base URL (resolved per request: the simulator maps container addresses) */
  base: () => Promise<string>;
}

export class RunnerSet {
  /** the env-configured runners, or the local one */
  private readonly fixed: RunnerClient[];
  private readonly managed = new Map<string, { key: string; client: RunnerClient }>();
  private readonly retiring = new Map<string, { key: string; client: RunnerClient }>();
  readonly local: LocalRunner | null;

  constructor(logger: Logger, env: NodeJS.ProcessEnv = process.env) {
    const urls = (env.PROXICLOUD_FUNCTION_RUNNERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (urls.length) {
      const secret = env.PROXICLOUD_FUNCTION_RUNNER_SECRET ?? '';
      if (secret.length < 16)
        throw new Error(
          'PROXICLOUD_FUNCTION_RUNNER_SECRET (16+ characters) is required with PROXICLOUD_FUNCTION_RUNNERS',
        );
      this.local = null;
      this.fixed = urls.map((u) => new RunnerClient(async () => u.replace(/\/$/, ''), secret, u));
    } else {
      const runnerEnv: Record<string, string> = {};
      for (const k of Object.keys(env))
        if (k.startsWith('PROXICLOUD_RUNNER_') && k !== 'PROXICLOUD_RUNNER_SECRET') runnerEnv[k] = env[k]!;
      this.local = new LocalRunner(logger, runnerEnv);
      const local = this.local;
      this.fixed = [new RunnerClient(() => local.url(), local.secret, 'local')];
    }
  }

  /**
   * The runners invocations are scheduled on: the managed ones (registered, healthy, not draining)
   * plus the env-configured ones; the local runner only while no managed runner is registered.
   */
  get clients(): RunnerClient[] {
    const managed = [...this.managed.values()].map((m) => m.client);
    if (!managed.length) return this.fixed;
    return this.local ? managed : [...this.fixed, ...managed];
  }

  /**
   * Replace the set of managed runners (the registry syncs it from the database). A runner whose
   * address and secret did not change keeps its client (its keep-alive connections, its in-flight
   * count); one that left is closed once its invocations ended.
   */
  setManaged(list: (ManagedRunner & { key: string })[]): void {
    const next = new Map<string, { key: string; client: RunnerClient }>();
    for (const r of list) {
      const had = this.managed.get(r.id) ?? this.retiring.get(r.id);
      next.set(
        r.id,
        had && had.key === r.key ? had : { key: r.key, client: new RunnerClient(r.base, r.secret, r.label) },
      );
      this.retiring.delete(r.id);
    }
    for (const [id, m] of this.managed) if (next.get(id) !== m) this.retire(id, m);
    this.managed.clear();
    for (const [id, m] of next) this.managed.set(id, m);
  }

  /** A managed runner's client (its in-flight count), registered or still finishing its invocations. */
  managedClient(id: string): RunnerClient | undefined {
    return (this.managed.get(id) ?? this.retiring.get(id))?.client;
  }

  /** Out of scheduling: kept (for draining) until its invocations ended, then closed. */
  private retire(id: string, m: { key: string; client: RunnerClient }): void {
    this.retiring.set(id, m);
    const close = () => {
      if (this.retiring.get(id) !== m) return;
      if (m.client.active > 0) {
        setTimeout(close, 500).unref();
        return;
      }
      this.retiring.delete(id);
      m.client.close();
    };
    close();
  }

  /** The runner for a key: sticky by hash over the healthy runners. */
  pick(key: string): RunnerClient {
    const healthy = this.clients.filter((c) => c.healthy);
    const list = healthy.length ? healthy : this.clients;
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    return list[h % list.length]!;
  }

  /**
   * Build Go code at deploy time on the runner its invocations will most likely use (the others
   * build on their first cold start; the result is the same toolchain's).
   */
  build(codeSha: string, handler: string, code: () => Promise<CodeFiles>): Promise<GoBuildResult> {
    return this.pick(codeSha).build(codeSha, handler, code);
  }

  /** Drop warm sandboxes of a function (`spares`: the pre-booted ones too). Starts no runner. */
  async evict(prefix: string, spares = false): Promise<void> {
    const all = [...this.fixed, ...[...this.managed.values()].map((m) => m.client)].filter(
      (c) => !(this.local && c === this.fixed[0] && !this.local.pid),
    );
    await Promise.all(all.map((c) => c.evict(prefix, spares).catch(() => undefined)));
  }

  async status(): Promise<RunnerStatus | null> {
    for (const c of this.clients) {
      try {
        return await c.status();
      } catch {
        c.markDown();
      }
    }
    return null;
  }

  async stop(): Promise<void> {
    await this.local?.stop();
    for (const c of this.fixed) c.close();
    for (const m of [...this.managed.values(), ...this.retiring.values()]) m.client.close();
    this.managed.clear();
    this.retiring.clear();
  }
}
