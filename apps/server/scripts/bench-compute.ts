/**
 * Compute benchmark (the lead wires it as `npm run bench:compute`):
 *   npx tsx apps/server/scripts/bench-compute.ts [--launches 10] [--instances 5000] [--requests 200]
 *   DATABASE_URL=postgres://… npx tsx apps/server/scripts/bench-compute.ts   (PostgreSQL instead of SQLite)
 *
 * Everything in one process on 127.0.0.1: the PVE simulator (HTTPS + SSH, zero task latency), the
 * server (real HTTP on an ephemeral port, fresh data dir / database), and the client.
 *  1. Control plane: N concurrent launches (VM, start + IP) with zero PVE task latency — wall time
 *     from the first POST to the last operation succeeded, and per-launch p50/p95.
 *  2. List: 5,000 instances in the database, each backed by a simulated guest (usage merged from
 *     one cached /cluster/resources) — p50/p95/p99 of GET /instances?limit=50 (sequential), and of
 *     ?limit=1000.
 *  3. Reconciler: a pass over 5,000 guests — first pass (corrects drift) and a steady-state pass:
 *     time, and heap/RSS growth sampled during the pass.
 * Prints a table and a JSON line. Stops by itself.
 */

import { computeOf } from '../src/testing/compute-of.ts';
import { adminHeaders, numberOpt as opt, percentile, startBenchStack } from './bench-kit.ts';
import { seedInstances } from './seed-instances.ts';

const LAUNCHES = opt('launches', 10);
const INSTANCES = opt('instances', 5000);
const REQUESTS = opt('requests', 200);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const { sim, db, app, base, close } = await startBenchStack({
    prefix: 'pc-bench-compute-',
    sim: { nodes: 3 },
    env: process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {},
    listen: true,
  });
  const compute = computeOf(app);
  compute.settings.ipWaitMs = 2000;
  const results: Record<string, unknown> = { database: db.dialect, nodes: 3 };
  try {
    const headers = await adminHeaders(base);
    const adminId = (
      (await (await fetch(`${base}/api/v1/auth/me`, { headers })).json()) as { user: { id: string } }
    ).user.id;

    // ---- 1. concurrent launches
    // warm-up (not measured): catalog scan, per-node inventory, first-request schema compilation
    await fetch(`${base}/api/v1/catalog`, { headers });
    const warm = await fetch(`${base}/api/v1/instances`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'warm-up',
        type: 'vm',
        template: 'local:import/debian-12-genericcloud-amd64.qcow2',
        instanceType: 't.nano',
      }),
    });
    if (warm.status !== 202) throw new Error(`warm-up launch: ${warm.status} ${await warm.text()}`);
    await compute.engine.idle();
    const t0 = performance.now();
    // all POSTs first (their 202 latency), then follow the operations
    const accepted = await Promise.all(
      Array.from({ length: LAUNCHES }, async (_, i) => {
        const start = performance.now();
        const res = await fetch(`${base}/api/v1/instances`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            name: `bench-${i}`,
            type: 'vm',
            template: 'local:import/debian-12-genericcloud-amd64.qcow2',
            instanceType: 't.nano',
          }),
        });
        if (res.status !== 202) throw new Error(`launch ${i}: ${res.status} ${await res.text()}`);
        const { operation } = (await res.json()) as { operation: { id: string } };
        return { id: operation.id, start, accepted: performance.now() - start };
      }),
    );
    const launched = await Promise.all(
      accepted.map(async (a, i) => {
        for (;;) {
          const op = (await (await fetch(`${base}/api/v1/operations/${a.id}`, { headers })).json()) as {
            status: string;
            finishedAt: string | null;
          };
          if (op.status === 'succeeded') break;
          if (op.status === 'failed') throw new Error(`launch ${i} failed: ${JSON.stringify(op)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return { accepted: a.accepted, total: performance.now() - a.start };
      }),
    );
    const wall = performance.now() - t0;
    const totals = launched.map((l) => l.total).sort((a, b) => a - b);
    const accepts = launched.map((l) => l.accepted).sort((a, b) => a - b);
    results.launch = {
      concurrent: LAUNCHES,
      wallMs: Math.round(wall),
      perLaunchP50Ms: Math.round(percentile(totals, 50)),
      perLaunchP95Ms: Math.round(percentile(totals, 95)),
      acceptP95Ms: Math.round(percentile(accepts, 95)),
    };

    // ---- 2. list 5,000 instances
    await seedInstances(db, sim, {
      ownerId: adminId,
      count: INSTANCES,
      // a tenth drifted: the first reconciler pass corrects them
      customize: (i, g) => (i % 10 === 0 ? { status: g.status === 'running' ? 'stopped' : 'running' } : {}),
    });
    const timeList = async (query: string, n: number) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const offset = (i * 50) % INSTANCES;
        const s = performance.now();
        const res = await fetch(`${base}/api/v1/instances?${query}&offset=${offset}`, { headers });
        const body = (await res.json()) as { total: number; items: { usage: unknown }[] };
        samples.push(performance.now() - s);
        if (res.status !== 200 || body.total < INSTANCES) throw new Error(`list: ${res.status}`);
      }
      samples.sort((a, b) => a - b);
      return {
        p50Ms: +percentile(samples, 50).toFixed(1),
        p95Ms: +percentile(samples, 95).toFixed(1),
        p99Ms: +percentile(samples, 99).toFixed(1),
      };
    };
    await timeList('limit=50', 5); // warm-up
    results.list = {
      instances: INSTANCES + LAUNCHES + 1,
      limit50: await timeList('limit=50', REQUESTS),
      limit1000: await timeList('limit=1000', Math.max(10, Math.round(REQUESTS / 10))),
    };

    // ---- 3. reconciler passes over all guests
    const measure = async () => {
      global.gc?.();
      const before = process.memoryUsage();
      let peakHeap = before.heapUsed;
      let peakRss = before.rss;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
      }, 5);
      const s = performance.now();
      const report = await compute.reconciler.pass();
      const took = performance.now() - s;
      clearInterval(sampler);
      const after = process.memoryUsage();
      peakHeap = Math.max(peakHeap, after.heapUsed);
      peakRss = Math.max(peakRss, after.rss);
      return {
        ms: Math.round(took),
        guests: report.guests,
        corrected: report.corrected,
        heapGrowthMiB: +((peakHeap - before.heapUsed) / 1024 ** 2).toFixed(1),
        peakRssMiB: +(peakRss / 1024 ** 2).toFixed(1),
      };
    };
    results.reconcile = { first: await measure(), steady: await measure() };

    const l = results.launch as Record<string, number>;
    const ls = results.list as { limit50: Record<string, number>; limit1000: Record<string, number> };
    const r = results.reconcile as { first: Record<string, number>; steady: Record<string, number> };
    const lines = [
      `database ${db.dialect}, simulator 3 nodes, task latency 0`,
      `${LAUNCHES} concurrent launches: wall ${ms(l.wallMs!)}, per launch p50 ${ms(l.perLaunchP50Ms!)} p95 ${ms(l.perLaunchP95Ms!)} (202 answer p95 ${ms(l.acceptP95Ms!)})`,
      `GET /instances over ${INSTANCES + LAUNCHES + 1}: limit=50 p50 ${ms(ls.limit50.p50Ms!)} p95 ${ms(ls.limit50.p95Ms!)} p99 ${ms(ls.limit50.p99Ms!)}; limit=1000 p95 ${ms(ls.limit1000.p95Ms!)}`,
      `reconciler over ${r.first.guests} guests: first pass ${ms(r.first.ms!)} (${r.first.corrected} corrected, heap +${r.first.heapGrowthMiB} MiB, peak RSS ${r.first.peakRssMiB} MiB); steady pass ${ms(r.steady.ms!)} (heap +${r.steady.heapGrowthMiB} MiB)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(results)}\n`);
    void mib;
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench-compute failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
