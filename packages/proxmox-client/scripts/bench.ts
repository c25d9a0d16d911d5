/**
 * Benchmark: the client against the simulator (3 nodes, 5,000 guests) over real HTTPS on loopback.
 *   npx tsx packages/proxmox-client/scripts/bench.ts [--guests 5000] [--requests 200] [--duration 5] [--concurrency 16]
 * Prints a markdown table: `cluster/resources` latency percentiles over N sequential requests, and
 * client throughput (requests/s) at the given concurrency for a cheap GET (`/version`) and for
 * `cluster/resources?type=node`. Every loop is bounded in count and time; everything runs locally.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startSimulator } from '@proxicloud/proxmox-sim';
import { ProxmoxClient } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    guests: { type: 'string', default: '5000' },
    nodes: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200' },
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});
const guests = Number(values.guests);
const nodes = Number(values.nodes);
const requests = Number(values.requests);
const durationS = Math.min(60, Number(values.duration));
const concurrency = Number(values.concurrency);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
const ms = (n: number) => n.toFixed(2);

async function throughput(
  name: string,
  fn: () => Promise<unknown>,
): Promise<{ name: string; rps: number; n: number; p50: number; p99: number }> {
  const deadline = performance.now() + durationS * 1000;
  const maxRequests = 200_000;
  let n = 0;
  const lat: number[] = [];
  const worker = async () => {
    while (performance.now() < deadline && n < maxRequests) {
      n++;
      const t = performance.now();
      await fn();
      lat.push(performance.now() - t);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { name, rps: lat.length / elapsed, n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99) };
}

const t0 = performance.now();
const sim = await startSimulator({ port: 0, nodes, taskDurationMs: 0, seedGuests: guests, ssh: false });
const startMs = performance.now() - t0;
const client = new ProxmoxClient({
  baseUrl: sim.url,
  auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
  tls: { fingerprint: sim.fingerprint },
  timeoutMs: 30_000,
  retries: 0,
  connections: concurrency,
});

try {
  // warm-up (TLS handshakes, JIT)
  for (let i = 0; i < 10; i++) await client.cluster.resources();
  const all = await client.cluster.resources();
  const vms = all.filter((r) => r.type === 'qemu' || r.type === 'lxc').length;

  const lat: number[] = [];
  const seqStart = performance.now();
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await client.cluster.resources();
    lat.push(performance.now() - t);
    if (performance.now() - seqStart > 120_000) break;
  }
  lat.sort((a, b) => a - b);
  const bytes = Buffer.byteLength(JSON.stringify({ data: all }));

  const cheap = await throughput('GET /version', () => client.version());
  const nodesOnly = await throughput('GET /cluster/resources?type=node', () =>
    client.cluster.resources({ type: 'node' }),
  );

  console.log(
    `\n## proxmox-client benchmark (simulator: ${nodes} nodes, ${vms} guests; started in ${(startMs / 1000).toFixed(1)} s)\n`,
  );
  console.log('| measurement | requests | p50 ms | p95 ms | p99 ms | max ms | req/s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| GET /cluster/resources (${all.length} entries, ${(bytes / 1024).toFixed(0)} KiB), sequential | ${lat.length} | ${ms(pct(lat, 50))} | ${ms(pct(lat, 95))} | ${ms(pct(lat, 99))} | ${ms(lat.at(-1)!)} | ${(lat.length / (lat.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)} |`,
  );
  for (const r of [cheap, nodesOnly]) {
    console.log(
      `| ${r.name}, concurrency ${concurrency}, ${durationS} s | ${r.n} | ${ms(r.p50)} | – | ${ms(r.p99)} | – | ${r.rps.toFixed(0)} |`,
    );
  }
  console.log(
    `\nNode ${process.version}, ${process.platform}/${process.arch}; client and simulator share one process and the machine's cores.`,
  );
} finally {
  await client.close();
  await sim.close();
}
