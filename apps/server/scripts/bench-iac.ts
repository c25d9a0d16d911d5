/**
 * IaC benchmark (`npm run bench:iac`): plan a 200-resource stack against existing state.
 *   npx tsx apps/server/scripts/bench-iac.ts [--resources 200] [--runs 7]
 *
 * One process on 127.0.0.1: the PVE simulator, the server over real HTTP, a client. The stack
 * (key pairs, filesystem volumes, buckets) is applied once (not measured); then, measured in the
 * same run, each `--runs` times (median):
 *  - plan: POST /api/v1/stacks/bench/plan with the same file (parse, schema, graph, state read
 *    with list calls, diff) — goal ≤ 1 s;
 *  - baseline "naive read": one GET per resource (what a planner without list calls would cost);
 *  - baseline "floor": just the list calls the plan makes (one per kind).
 * Prints a table and a JSON line.
 */

import { testSshPublicKey } from '../src/testing/ssh-key.ts';
import { adminHeaders, median, numberOpt as opt, startBenchStack } from './bench-kit.ts';

const RESOURCES = opt('resources', 200);
const RUNS = opt('runs', 7);

function document(n: number): string {
  const keys = Math.floor(n * 0.2);
  const buckets = Math.floor(n * 0.3);
  const volumes = n - keys - buckets;
  const lines = ['stack: bench', 'keyPairs:'];
  for (let i = 0; i < keys; i++) lines.push(`  - {name: bench-key-${i}, publicKey: "${testSshPublicKey()}"}`);
  lines.push('volumes:');
  for (let i = 0; i < volumes; i++) lines.push(`  - {name: bench-vol-${i}, size: 1, format: filesystem}`);
  lines.push('buckets:');
  for (let i = 0; i < buckets; i++) lines.push(`  - {name: bench-bucket-${i}}`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { base, close } = await startBenchStack({
    prefix: 'pc-bench-iac-',
    listen: true,
  });
  try {
    const headers = await adminHeaders(base);
    const doc = document(RESOURCES);
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    const t0 = performance.now();
    const applied = await post('/api/v1/stacks/bench/apply', { document: doc });
    const run = (await applied.json()) as { result: string; operation: { id: string } | null };
    if (run.result !== 'started' || !run.operation)
      throw new Error(`apply: ${JSON.stringify(run).slice(0, 500)}`);
    // the apply runs as an operation: follow it to the end
    for (;;) {
      const op = (await (
        await fetch(`${base}/api/v1/operations/${run.operation.id}`, { headers })
      ).json()) as {
        status: string;
        error: unknown;
      };
      if (op.status === 'failed') throw new Error(`apply: ${JSON.stringify(op.error).slice(0, 500)}`);
      if (op.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const applyMs = performance.now() - t0;

    const detail = (await (await fetch(`${base}/api/v1/stacks/bench`, { headers })).json()) as {
      resources: { kind: string; id: string }[];
    };
    const plans: number[] = [];
    const naive: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let s = performance.now();
      const res = await post('/api/v1/stacks/bench/plan', { document: doc });
      const body = (await res.json()) as { plan: { summary: { noop: number } } };
      if (body.plan.summary.noop !== RESOURCES)
        throw new Error(`plan: ${JSON.stringify(body).slice(0, 300)}`);
      plans.push(performance.now() - s);

      s = performance.now();
      for (const x of detail.resources) {
        const path =
          x.kind === 'volumes'
            ? `/api/v1/volumes/${x.id}`
            : x.kind === 'buckets'
              ? `/api/v1/buckets/${x.id}`
              : `/api/v1/key-pairs/${x.id}`;
        const one = await fetch(`${base}${path}`, { headers });
        if (!one.ok) throw new Error(`GET ${path}: ${one.status}`);
        await one.arrayBuffer();
      }
      naive.push(performance.now() - s);

      s = performance.now();
      for (const path of [
        '/api/v1/key-pairs?limit=1000',
        '/api/v1/volumes?limit=1000',
        '/api/v1/buckets?limit=1000',
      ]) {
        await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
      }
      floor.push(performance.now() - s);
    }
    const result = {
      resources: RESOURCES,
      runs: RUNS,
      applyMs: Math.round(applyMs),
      planMedianMs: Math.round(median(plans)),
      naiveReadMedianMs: Math.round(median(naive)),
      listFloorMedianMs: Math.round(median(floor)),
      planVsNaive: Number((median(plans) / median(naive)).toFixed(2)),
      planVsFloor: Number((median(plans) / median(floor)).toFixed(2)),
      goalMs: 1000,
      meetsGoal: median(plans) <= 1000,
    };
    console.log(`apply (${RESOURCES} resources, once, not the goal)  ${result.applyMs} ms`);
    console.log(
      `plan against existing state (median of ${RUNS})      ${result.planMedianMs} ms  (goal ≤ 1000 ms)`,
    );
    console.log(`baseline: one GET per resource (median)            ${result.naiveReadMedianMs} ms`);
    console.log(`baseline: the 3 list calls alone (median)           ${result.listFloorMedianMs} ms`);
    console.log(`ratio plan / naive ${result.planVsNaive}, plan / floor ${result.planVsFloor}`);
    console.log(JSON.stringify(result));
  } finally {
    await close();
  }
}

await main();
