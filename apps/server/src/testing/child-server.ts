/**
 * A real server as a child process (`node --import tsx apps/server/src/main.ts`), its JSON log
 * lines captured: the storage suite's crash tests and the two-servers-on-one-PostgreSQL test.
 * Imported by *.test.ts only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildServer {
  pid: number;
  url: string;
  s3Url: string;
  /** JSON log lines so far. */
  logs: Record<string, unknown>[];
  waitForLog(
    pred: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** kill -9 */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Peak and current resident memory of the server process (bytes), from /proc. */
  memory(): { rss: number; hwm: number };
}

const SERVER_MAIN = new URL('../main.ts', import.meta.url).pathname;

/**
 * Start `apps/server/src/main.ts` (ports 0, debug logs) and wait until both listeners are up
 * (`s3: false`: only the main one, PROXICLOUD_S3_PORT unset).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { s3?: boolean; startTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const s3Wanted = options.s3 ?? true;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], {
    cwd: new URL('../../../../', import.meta.url).pathname,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: '0',
      ...(s3Wanted ? { PROXICLOUD_S3_PORT: '0' } : {}),
      PROXICLOUD_LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    pred: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString('utf8');
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        for (const w of [...waiters]) {
          if (w.pred(parsed)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(parsed);
          }
        }
      } catch {
        // not a JSON log line
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitForLog: ChildServer['waitForLog'] = (pred, timeoutMs = 60_000) => {
    const hit = logs.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for a log line; last lines: ${JSON.stringify(logs.slice(-5).map((l) => l.msg))}; stderr: ${stderr.slice(-2000)}`,
            ),
          ),
        timeoutMs,
      );
      waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`server exited: ${stderr.slice(-2000)}`));
      });
    });
  };
  // starting takes ~20 s on a quiet machine (tsx transform, migrations); CI machines are busy
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const main = await waitForLog((l) => l.msg === 'ProxiCloud is listening', startTimeoutMs);
  const s3 = s3Wanted ? await waitForLog((l) => l.msg === 'S3 endpoint is listening', startTimeoutMs) : null;
  const address = String(main.address);
  return {
    pid: child.pid!,
    url: address,
    s3Url: s3 ? `http://127.0.0.1:${s3.port}` : '',
    logs,
    waitForLog,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    },
  };
}

/** A JSON request to a child server's REST API with a bearer token. */
export async function childApi<T>(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: (text ? JSON.parse(text) : null) as T };
}

/** Log in to a child server as `admin`; the access token. */
export async function childLogin(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (res.status !== 200) throw new Error(`admin login answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Poll `fn` until it returns something truthy; throws naming `what` after `ms`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 120_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
