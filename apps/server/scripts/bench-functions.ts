/**
 * Functions benchmark (`npm run bench:functions`):
 *   npx tsx apps/server/scripts/bench-functions.ts [--cold 10] [--warm 300] [--seconds 5] [--functions 10]
 *
 * One process: the server (real HTTP, fresh data dir) with its local function runner (real
 * bubblewrap sandboxes, the machine's limits mode). Measured side by side in one run:
 *  1. baseline: a bare `node -e 1` started in the same sandbox (same bwrap namespaces, binds,
 *     cgroups, uid drop, seccomp) from spawn to exit, alternating with the from-scratch cold starts
 *     (each pair sees the same load; the median of the per-pair ratios is printed too);
 *  2. cold invoke: a hello function whose warm sandbox was evicted — from scratch (no spare: start
 *     sandbox + runtime + load handler + run) and on a pre-booted spare sandbox (copy code + load
 *     handler + run), the runner's duration and the API round trip; ratio to the baseline (goal ≤ 1.1×);
 *  3. warm invoke: p50/p99 at the runner and through the API (POST /invoke, one invocation row);
 *  4. HTTP trigger: autocannon (its own process, so it does not share the server's event loop;
 *     after a 1 s warm-up) against /fn/{urlId}/ (requests/s, latency p50/p99);
 *  5. memory per warm function: RSS of the runner's sandbox processes / warm functions;
 *  6. Go (when the runner has the toolchain): deploy with the build, cold and warm invokes
 *     (bench-functions-go.ts).
 * Prints a table and a JSON line.
 */

import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyCgroups, startSandbox } from '../../../packages/function-runner/src/sandbox.mjs';
import { benchGo, goRows } from './bench-functions-go.ts';
import { adminHeaders, numberOpt as opt, percentile, startBenchStack } from './bench-kit.ts';

const COLD = opt('cold', 10);
const WARM = opt('warm', 300);
const SECONDS = opt('seconds', 5);
const FUNCTIONS = opt('functions', 10);
const HELLO =
  'export const handler = async (event) => ({ statusCode: 200, body: "hello " + (event.rawPath ?? "") });';

interface Cannon {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
}

/** autocannon in a child process (`--json`). */
function cannon(url: string, seconds: number): Promise<Cannon> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-c', '10', '-d', String(seconds), '--json', url], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as Cannon);
      } catch {
        reject(new Error(`autocannon exited ${code}: ${out.slice(0, 300)}`));
      }
    });
  });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * One baseline sample: a bare `node -e 1` in the same sandbox as a function (spawn to exit).
 * mkdtemp makes a 0700 dir: the sandbox's unprivileged uid could not enter it and bwrap exited at
 * `--chdir /var/task` before node ran (an earlier "baseline" timed that failure), hence the chmod
 * and the exit-code check.
 */
async function baselineOnce(dir: string, i: number): Promise<number> {
  const t = performance.now();
  const { child, cgroups } = startSandbox({
    id: `bench-${process.pid}-${i}`,
    codeDir: dir,
    command: [process.execPath, '-e', '1'],
    memoryMb: 128,
    network: false,
    pids: 64,
    tmpMb: 64,
    uid: 201000 + i,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise((r) => child.on('exit', r));
  const ms = performance.now() - t;
  destroyCgroups(cgroups); // (they were left behind before)
  if (code !== 0) throw new Error(`baseline sandbox exited ${code}: ${stderr.slice(0, 300)}`);
  return ms;
}

/** RSS (KiB) of every descendant of `pid`. */
function descendantsRssKb(pid: number): { count: number; kb: number } {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const isDesc = (p: number): boolean => {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) if (q === pid) return true;
    return false;
  };
  let kb = 0;
  let count = 0;
  for (const p of parent.keys()) {
    if (!isDesc(p)) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) {
        kb += Number(m[1]);
        count++;
      }
    } catch {}
  }
  return { count, kb };
}

const stack = await startBenchStack({ prefix: 'pc-bench-fn-', listen: true });
try {
  const headers = await adminHeaders(stack.base);
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(stack.base + path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const create = (name: string) =>
    api<{ id: string }>('POST', '/api/v1/functions', {
      name,
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 10,
      concurrency: 100,
      code: { files: { 'index.mjs': HELLO } },
    });
  type Inv = { status: string; durationMs: number; coldStart: boolean };
  const fn = await create('hello');
  const runners = stack.app.modules.functions.runners;
  await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: {} }); // runner up, code uploaded

  // baseline and cold-from-scratch samples alternate, so both see the same load on a shared box
  const baseDir = mkdtempSync(join(tmpdir(), 'fn-bench-code-'));
  chmodSync(baseDir, 0o755);
  const baseRaw: number[] = [];
  const scratchRunner: number[] = [];
  const pairRatios: number[] = [];
  for (let i = 0; i < COLD; i++) {
    // cold from scratch: no pre-booted sandbox (spares evicted too); the killed sandboxes (the
    // warm one, the spare refilled after the last cold start) go away before either sample, so
    // neither shares the CPU with their teardown or with a spare booting
    await runners.evict(`${fn.id}:`, true);
    await new Promise((r) => setTimeout(r, 500));
    const b = await baselineOnce(baseDir, i);
    baseRaw.push(b);
    const r = await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: {} });
    if (!r.coldStart) throw new Error('expected a cold start');
    scratchRunner.push(r.durationMs);
    pairRatios.push(r.durationMs / b);
  }
  rmSync(baseDir, { recursive: true, force: true });
  const base = sorted(baseRaw);
  // cold with a pre-booted spare (the default: one spare per runtime/memory/network)
  const coldRunner: number[] = [];
  const coldApi: number[] = [];
  for (let i = 0; i < COLD; i++) {
    await runners.evict(`${fn.id}:`);
    await new Promise((r) => setTimeout(r, 2000)); // the spare boots after the previous cold start
    const t = performance.now();
    const r = await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: {} });
    coldApi.push(performance.now() - t);
    if (!r.coldStart) throw new Error('expected a cold start');
    coldRunner.push(r.durationMs);
  }
  const warmRunner: number[] = [];
  const warmApi: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const t = performance.now();
    const r = await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: { i } });
    warmApi.push(performance.now() - t);
    warmRunner.push(r.durationMs);
  }
  const url = await api<{ url: string }>('PUT', `/api/v1/functions/${fn.id}/url`, { auth: 'none' });
  const fnStatus = await runners.status();
  // the first second is a burst on one warm sandbox: the sandboxes the load needs start here
  const burst = await cannon(`${stack.base}${url.url}bench`, 1);
  const ac = await cannon(`${stack.base}${url.url}bench`, SECONDS);
  const sandboxesForLoad = ((await runners.status())?.idle ?? 0) - (fnStatus?.idle ?? 0) + 1;

  const fns = [fn.id];
  for (let i = 1; i < FUNCTIONS; i++) fns.push((await create(`warm-${i}`)).id);
  for (const id of fns) await api('POST', `/api/v1/functions/${id}/invoke`, { payload: {} });
  const runnerPid = runners.local?.pid ?? 0;
  const status = await runners.status();
  const rss = descendantsRssKb(runnerPid);

  const goResult = await benchGo(api, (prefix) => runners.evict(prefix), COLD, WARM);

  const cs = sorted(scratchRunner);
  const cr = sorted(coldRunner);
  const ca = sorted(coldApi);
  const wr = sorted(warmRunner);
  const wa = sorted(warmApi);
  const result = {
    limits: status?.limits,
    node: process.versions.node,
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    baselineNodeInSandboxMs: { p50: round(percentile(base, 50)), min: round(base[0]!) },
    coldFromScratchRunnerMs: { p50: round(percentile(cs, 50)), min: round(cs[0]!) },
    coldFromScratchToBaselineRatio: round(percentile(cs, 50) / percentile(base, 50)),
    coldFromScratchPairedRatioP50: round(percentile(sorted(pairRatios), 50)),
    coldInvokeRunnerMs: { p50: round(percentile(cr, 50)), min: round(cr[0]!) },
    coldInvokeApiMs: { p50: round(percentile(ca, 50)) },
    coldToBaselineRatio: round(percentile(cr, 50) / percentile(base, 50)),
    warmInvokeRunnerMs: { p50: round(percentile(wr, 50)), p99: round(percentile(wr, 99)) },
    warmInvokeApiMs: { p50: round(percentile(wa, 50)), p99: round(percentile(wa, 99)) },
    httpTrigger: {
      rps: Math.round(ac.requests.average),
      p50Ms: round(ac.latency.p50),
      p99Ms: round(ac.latency.p99),
      non2xx: ac.non2xx,
      sandboxes: sandboxesForLoad,
    },
    httpTriggerFirstSecond: {
      requests: Math.round(burst.requests.average),
      p50Ms: round(burst.latency.p50),
      p99Ms: round(burst.latency.p99),
    },
    warmFunctions: status?.idle,
    sandboxProcesses: rss.count,
    memoryPerWarmFunctionMiB: round(rss.kb / 1024 / Math.max(1, status?.idle ?? 1)),
    go: goResult,
  };
  console.table({
    'bare node -e 1 in sandbox (p50)': `${result.baselineNodeInSandboxMs.p50} ms`,
    'cold invoke from scratch, runner (p50)': `${result.coldFromScratchRunnerMs.p50} ms (${result.coldFromScratchToBaselineRatio}× baseline; paired p50 ${result.coldFromScratchPairedRatioP50}×)`,
    'cold invoke on a pre-booted sandbox (p50)': `${result.coldInvokeRunnerMs.p50} ms (${result.coldToBaselineRatio}× baseline)`,
    'cold invoke, API round trip (p50)': `${result.coldInvokeApiMs.p50} ms`,
    'warm invoke, runner p50/p99': `${result.warmInvokeRunnerMs.p50} / ${result.warmInvokeRunnerMs.p99} ms`,
    'warm invoke, API p50/p99': `${result.warmInvokeApiMs.p50} / ${result.warmInvokeApiMs.p99} ms`,
    'HTTP trigger (autocannon, 10 conns)': `${result.httpTrigger.rps} req/s, p50 ${result.httpTrigger.p50Ms} ms, p99 ${result.httpTrigger.p99Ms} ms (${result.httpTrigger.sandboxes} sandboxes)`,
    'HTTP trigger, first second (burst, 1 warm)': `${result.httpTriggerFirstSecond.requests} requests, p50 ${result.httpTriggerFirstSecond.p50Ms} ms, p99 ${result.httpTriggerFirstSecond.p99Ms} ms`,
    'memory per warm function': `${result.memoryPerWarmFunctionMiB} MiB (${result.warmFunctions} warm)`,
    ...goRows(goResult),
  });
  console.log(JSON.stringify(result));
} finally {
  await stack.close();
}
