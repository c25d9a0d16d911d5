/**
 * API benchmark (the lead wires it as `npm run bench:api`):
 *   npx tsx apps/server/scripts/bench-api.ts [--duration 10] [--connections 50]
 *
 * Seeds a fresh SQLite data dir with 1,000 users, starts the real server in a child process
 * (so the load generator does not share its event loop), logs in, then runs autocannon against
 * authenticated GET /api/v1/users?limit=100 and ?limit=1000. Prints req/s and p50/p95/p99
 * latency (computed from every response time). Only talks to 127.0.0.1; stops by itself.
 *
 * Baseline: in the same run it also starts a bare Fastify (its own child process, no plugins, no
 * auth, no database) that returns the server's own `limit=100` response body (captured once,
 * `reply.send(object)`), and measures it with the same autocannon settings, interleaved with the
 * server (`--rounds 2` by default: baseline, server, baseline, server). It prints the ratio
 * server req/s ÷ baseline req/s per round, the p95s, and the server's RSS after start (idle) and
 * after the load.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { migrate } from '../src/migrate.ts';
import { hashPassword } from '../src/modules/iam/iam.passwords.ts';
import { iso } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { newId } from '../src/platform/crypto.ts';
import { openDatabase } from '../src/platform/db/database.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DURATION = opt('duration', 10);
const CONNECTIONS = opt('connections', 50);
const USERS = opt('users', 1000);
const ROUNDS = opt('rounds', 2);
/**
 * V8 flags for the server process: the same as `npm start` (scripts/start.mjs) by default;
 * `--node-flags ''` runs it without them (for an A/B).
 */
const NODE_FLAGS = (
  args.includes('--node-flags')
    ? (args[args.indexOf('--node-flags') + 1] ?? '')
    : '--max-semi-space-size=4 --initial-old-space-size=48'
)
  .split(' ')
  .filter(Boolean);
/** `--cpu-prof DIR`: run the server under `node --cpu-prof` and write its profile into DIR. */
const CPU_PROF_DIR = args.includes('--cpu-prof')
  ? resolve(args[args.indexOf('--cpu-prof') + 1] ?? '.')
  : undefined;
const ADMIN_PASSWORD = 'bench-admin-password';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * The server as production runs it: the esbuild bundle with plain node (built first when stale);
 * `--source` runs apps/server/src/main.ts through tsx instead (as before the build step).
 */
const FROM_SOURCE = args.includes('--source');
const SERVER_ARGS = FROM_SOURCE
  ? ['--import', 'tsx', join(ROOT, 'apps/server/src/main.ts')]
  : [join(ROOT, 'apps/server/dist/main.mjs')];

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU time (user+system, ms) the server process has used so far, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

/** Resident set size (MB) of a process, from /proc (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function waitFor(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 240_000; // start-up takes minutes on a machine loaded by others
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The bare-Fastify baseline: one route, no plugins, sends the captured body as an object. */
const BASELINE_SOURCE = `
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
const body = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE, 'utf8'));
const app = Fastify({ logger: false });
app.get('/ready', async () => ({ ok: true }));
app.get('/api/v1/users', async () => body);
await app.listen({ port: Number(process.env.BENCH_PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0)); // exit normally so --cpu-prof writes its profile
`;

/**
 * RSS of a fresh demo-mode server (empty data dir: first-run bootstrap, in-process simulator),
 * 3 s after it answers /readyz — the state `npm start` leaves a new install in.
 */
async function freshServerRssMb(baseEnv: Record<string, string | undefined>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-fresh-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, ...SERVER_ARGS], {
    env: { ...baseEnv, PROXICLOUD_DATA_DIR: dir, PROXICLOUD_PORT: String(port) },
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/readyz`, child);
    await new Promise((r) => setTimeout(r, 3000));
    return rssMb(child.pid);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Result {
  name: string;
  /** Server CPU per request: load-independent cost; 1000 / cpuMsPerReq ≈ req/s one free core could serve. */
  cpuMsPerReq?: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytesPerReq: number;
}

async function run(name: string, url: string, token: string, pid?: number): Promise<Result> {
  const cpuBefore = cpuMs(pid);
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { authorization: `Bearer ${token}` },
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  const cpu = cpuMs(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return {
    name,
    cpuMsPerReq: result.requests.total ? Math.round((cpu / result.requests.total) * 100) / 100 : Number.NaN,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p95: Math.round(percentile(latencies, 95) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    errors: result.errors,
    non2xx: result.non2xx,
    bytesPerReq: result.requests.total ? Math.round(result.throughput.total / result.requests.total) : 0,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    PROXICLOUD_DATA_DIR: dataDir,
    PROXICLOUD_PORT: String(port),
    PROXICLOUD_HOST: '127.0.0.1',
    PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PROXICLOUD_LOG_LEVEL: 'warn',
    PROXICLOUD_S3_PORT: 'off',
  };
  delete env.DATABASE_URL;
  delete env.PROXMOX_URL;

  if (!FROM_SOURCE) {
    const { build, isStale } = (await import(join(ROOT, 'scripts/build-server.mjs'))) as {
      build(o: { quiet: boolean }): Promise<void>;
      isStale(): boolean;
    };
    if (isStale()) await build({ quiet: true });
  }
  const rssFresh = await freshServerRssMb(env);

  // Seed users straight into the database (one bcrypt hash shared: listing never verifies it).
  const config = loadConfig({ env });
  const db = openDatabase(config.database);
  await migrate(db);
  const hash = await hashPassword('bench-user-password', 10);
  const now = iso(new Date());
  const rows = Array.from({ length: USERS - 1 }, (_, i) => ({
    id: newId('usr'),
    username: `user${String(i).padStart(4, '0')}`,
    full_name: `Bench User ${i}`,
    password_hash: hash,
    role: (['operator', 'readonly'] as const)[i % 2]! as 'operator' | 'readonly' | 'admin',
    status: 'active' as const,
    created_at: now,
    updated_at: now,
    last_login_at: null,
    password_changed_at: now,
  }));
  // Seeding users means first-run bootstrap is skipped, so the admin is seeded too.
  rows.push({
    ...rows[0]!,
    id: newId('usr'),
    username: 'admin',
    role: 'admin',
    password_hash: await hashPassword(ADMIN_PASSWORD, 10),
  } as (typeof rows)[number]);
  for (let i = 0; i < rows.length; i += 200)
    await db.kysely
      .insertInto('users')
      .values(rows.slice(i, i + 200))
      .execute();
  await db.close();

  const profArgs = CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profArgs, ...SERVER_ARGS], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let baseline: ReturnType<typeof spawn> | undefined;
  try {
    await waitFor(`${base}/readyz`, child);
    await new Promise((r) => setTimeout(r, 2000)); // let start-up garbage settle before reading RSS
    const rssIdle = rssMb(child.pid);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const check = (await (
      await fetch(`${base}/api/v1/users?limit=1000`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as {
      total: number;
      items: unknown[];
    };
    console.log(
      `seeded ${check.total} users; ${CONNECTIONS} connections × ${DURATION}s per endpoint (SQLite, ${process.version})`,
    );

    // Baseline: bare Fastify returning this server's own limit=100 body.
    const bodyFile = join(dataDir, 'baseline-body.json');
    writeFileSync(
      bodyFile,
      await (
        await fetch(`${base}/api/v1/users?limit=100`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).text(),
    );
    const basePort = await freePort();
    baseline = spawn(process.execPath, [...profArgs, '--input-type=module', '-e', BASELINE_SOURCE], {
      env: { ...process.env, BENCH_BODY_FILE: bodyFile, BENCH_PORT: String(basePort) },
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const bareUrl = `http://127.0.0.1:${basePort}`;
    await waitFor(`${bareUrl}/ready`, baseline);

    // A 15-minute token outlives the run; warm both up briefly first.
    await run('warmup', `${base}/api/v1/users?limit=100`, accessToken).catch(() => undefined);
    await run('warmup', `${bareUrl}/api/v1/users?limit=100`, accessToken).catch(() => undefined);
    const results: Result[] = [];
    const ratios: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const bare = await run(
        `bare Fastify, same body (round ${round})`,
        `${bareUrl}/api/v1/users?limit=100`,
        accessToken,
        baseline.pid,
      );
      const real = await run(
        `GET /api/v1/users?limit=100 (round ${round})`,
        `${base}/api/v1/users?limit=100`,
        accessToken,
        child.pid,
      );
      results.push(bare, real);
      ratios.push(
        `round ${round}: ${(real.rps / bare.rps).toFixed(2)}× bare Fastify (${real.rps.toFixed(0)} vs ${bare.rps.toFixed(0)} req/s; ` +
          `p95 ${real.p95} vs ${bare.p95} ms; CPU ${real.cpuMsPerReq} vs ${bare.cpuMsPerReq} ms/req)`,
      );
    }
    if (!args.includes('--no-1000'))
      results.push(
        await run('GET /api/v1/users?limit=1000', `${base}/api/v1/users?limit=1000`, accessToken, child.pid),
      );
    const rssLoaded = rssMb(child.pid);
    console.log('');
    console.log(
      '| endpoint | req/s | p50 ms | p95 ms | p99 ms | requests | errors | non-2xx | bytes/resp | server CPU ms/req |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.requests} | ${r.errors} | ${r.non2xx} | ${r.bytesPerReq} | ${r.cpuMsPerReq} |`,
      );
    }
    console.log('');
    for (const line of ratios) console.log(`ratio ${line}`);
    console.log(
      `server RSS (demo mode): fresh install ${rssFresh} MB 3 s after start; with 1,000 users ${rssIdle} MB idle, ` +
        `${rssLoaded} MB after the load; node flags: ${NODE_FLAGS.join(' ') || '(none)'}; ${FROM_SOURCE ? 'source via tsx' : 'production bundle'}`,
    );
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`\nmachine load average during the run: ${load} (on ${availableParallelism()} cores)`);
    const bad = results.filter((r) => r.errors > 0 || r.non2xx > 0);
    if (bad.length > 0) process.exitCode = 1;
  } finally {
    if (baseline && baseline.exitCode === null) {
      baseline.kill('SIGTERM');
      await new Promise((r) => baseline?.once('exit', r));
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
