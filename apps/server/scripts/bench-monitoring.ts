/**
 * Monitoring benchmark (`npm run bench:monitoring [-- --guests 5000 --runs 20]`), CPU only, in one
 * process, on a synthetic /cluster/resources snapshot of N guests on 3 nodes (what PVE answers):
 *  1. Collector pass: `MetricsCollector.record()` (ring write + rates) per pass; baseline in the same
 *     run: mapping the snapshot to plain objects (the least a collector must do). Budget ≤ 200 ms.
 *  2. `/metrics` for N guests: `PrometheusExporter.metrics()` (labels, gauges, counters, serialising
 *     with prom-client), each scrape after a new collector pass (nothing cached from the last one);
 *     baseline: hand-formatting 3 of the 11 instance lines with string concatenation. Budget ≤ 250 ms.
 *     Also: a second scrape of the same pass (served from the exporter's cache).
 * Prints median/p95 of each and the ratio to its baseline, then a JSON line.
 */
import { EventBus } from '../src/modules/events/index.ts';
import { MetricsCollector, PrometheusExporter } from '../src/modules/metrics/index.ts';
import type { ClusterSnapshot, ResourceEntry } from '../src/modules/proxmox/index.ts';
import { numberOpt as arg } from './bench-kit.ts';

const GUESTS = arg('guests', 5000);
const RUNS = arg('runs', 20);

function snapshot(t: number): ClusterSnapshot {
  const guests = new Map<number, ResourceEntry>();
  for (let i = 0; i < GUESTS; i++) {
    const vmid = 100 + i;
    guests.set(vmid, {
      id: `qemu/${vmid}`,
      type: 'qemu',
      vmid,
      node: `pve${(i % 3) + 1}`,
      name: `vm-${vmid}`,
      status: i % 10 === 0 ? 'stopped' : 'running',
      cpu: (i % 100) / 100,
      maxcpu: 2,
      mem: 256 * 1024 ** 2 + i,
      maxmem: 512 * 1024 ** 2,
      disk: 0,
      maxdisk: 10 * 1024 ** 3,
      netin: t * 1000 + i,
      netout: t * 400 + i,
      diskread: t * 3000,
      diskwrite: t * 1500,
      uptime: t,
    } as ResourceEntry);
  }
  const nodes = new Map<string, ResourceEntry>();
  for (const n of ['pve1', 'pve2', 'pve3'])
    nodes.set(n, {
      id: `node/${n}`,
      type: 'node',
      node: n,
      status: 'online',
      cpu: 0.3,
      maxcpu: 32,
      mem: 1e10,
      maxmem: 6.4e10,
    } as ResourceEntry);
  return { fetchedAt: t, guests, nodes, storages: new Map() };
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!,
  };
}
function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const clock = { now: () => new Date() };
const collector = new MetricsCollector({ cache: { get: async () => snapshot(0) }, clock }, 15, 1800);
const snaps = Array.from({ length: RUNS + 2 }, (_, i) => snapshot(i * 15));
const ours: number[] = [];
const base: number[] = [];
for (let i = 0; i < snaps.length; i++) {
  const snap = snaps[i]!;
  const a = time(() => collector.record(snap, i * 15_000));
  const b = time(() => {
    const out: Record<string, number>[] = [];
    for (const g of snap.guests.values())
      out.push({
        cpu: Number(g.cpu),
        mem: Number(g.mem),
        maxmem: Number(g.maxmem),
        netin: Number((g as Record<string, unknown>).netin),
      });
    return out;
  });
  if (i >= 2) {
    ours.push(a);
    base.push(b);
  }
}
const labels = Array.from({ length: GUESTS }, (_, i) => ({
  id: `i-${(100 + i).toString(16).padStart(17, '0')}`,
  name: `vm-${100 + i}`,
  ownerId: `usr-${(i % 50).toString(16).padStart(17, '0')}`,
  vmid: 100 + i,
}));
const bus = new EventBus();
const exporter = new PrometheusExporter({
  collector,
  instances: async () => labels,
  bus,
  reconciler: () => ({ lastReport: null, lastPassAt: null }),
  now: () => Date.now(),
});
const scrape: number[] = [];
const scrapeRepeat: number[] = [];
const scrapeBase: number[] = [];
let bytes = 0;
for (let i = 0; i < RUNS + 2; i++) {
  // a new collector pass before each scrape: the scrape formats a snapshot it has not seen (worst case)
  collector.record(snapshot((snaps.length + i) * 15), (snaps.length + i) * 15_000);
  const a = await timeAsync(async () => {
    bytes = (await exporter.metrics()).length;
  });
  // a second scrape of the same pass (another Prometheus, an HA pair): the cached text
  const r = await timeAsync(async () => exporter.metrics());
  const b = time(() => {
    let s = '';
    const snap = collector.latest!;
    for (const l of labels) {
      const g = snap.guests.get(l.vmid)!;
      const lab = `{instance_id="${l.id}",name="${l.name}",node="${g.node}",owner="${l.ownerId}",type="qemu"}`;
      s += `proxicloud_instance_up${lab} 1\nproxicloud_instance_cpu_ratio${lab} ${g.cpu}\nproxicloud_instance_memory_bytes${lab} ${g.mem}\n`;
    }
    return s.length;
  });
  if (i >= 2) {
    scrape.push(a);
    scrapeRepeat.push(r);
    scrapeBase.push(b);
  }
}
exporter.close();
const c = stats(ours);
const cb = stats(base);
const m = stats(scrape);
const mr = stats(scrapeRepeat);
const mb = stats(scrapeBase);
const mem = collector.size;
console.log(`guests ${GUESTS}, runs ${RUNS}`);
console.log(
  `collector pass    median ${c.median.toFixed(1)} ms  p95 ${c.p95.toFixed(1)} ms  (baseline ${cb.median.toFixed(1)} ms, ratio ${(c.median / cb.median).toFixed(1)}x; budget 200 ms)`,
);
console.log(
  `collector ring    ${(mem.bytes / 1024 ** 2).toFixed(1)} MiB for ${mem.guests} guests (30 min at 15 s)`,
);
console.log(
  `/metrics scrape   median ${m.median.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms  ${(bytes / 1024 ** 2).toFixed(1)} MiB  (baseline ${mb.median.toFixed(1)} ms, ratio ${(m.median / mb.median).toFixed(1)}x; budget 250 ms)`,
);
console.log(
  `/metrics repeat    median ${mr.median.toFixed(1)} ms  p95 ${mr.p95.toFixed(1)} ms  (same collector pass scraped again)`,
);
console.log(
  JSON.stringify({
    guests: GUESTS,
    collectorMedianMs: c.median,
    collectorP95Ms: c.p95,
    collectorBaselineMs: cb.median,
    ringMiB: mem.bytes / 1024 ** 2,
    scrapeMedianMs: m.median,
    scrapeP95Ms: m.p95,
    scrapeBaselineMs: mb.median,
    scrapeRepeatMedianMs: mr.median,
    scrapeRepeatP95Ms: mr.p95,
    scrapeBytes: bytes,
  }),
);
