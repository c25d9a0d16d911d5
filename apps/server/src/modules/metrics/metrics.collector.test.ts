/**
 * The collector over the real simulator: one /cluster/resources call per pass, rates from counters,
 * gaps for stopped guests, the 5-minute period merged with RRD, node endpoints, and the Prometheus
 * exporter's authorization and content. Time moves with an offset clock (no sleeps).
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  useComputeContext,
} from '../../testing/compute-kit.ts';
import { OffsetClock } from '../../testing/offset-clock.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { MetricsCollector } from './metrics.collector.ts';
import type { InstanceMetrics, NodeMetrics, NodeSummary } from './metrics.schemas.ts';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const clock = new OffsetClock();
let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let vm: Inst;

const collect = async () => {
  await t.ctx.app.services.jobs.runNow('metrics.collect');
  clock.advance(15_000);
};

useComputeContext(
  { test: { clock, configure: (c) => ({ ...c, metricsToken: SCRAPE_TOKEN, metricsIntervalSeconds: 15 }) } },
  async (c) => {
    t = c;
    alice = await t.ctx.newUser({ role: 'operator' });
    bob = await t.ctx.newUser({ role: 'operator' });
    vm = (await launch(alice, { name: 'mon-vm' })).instance;
  },
);

describe('collector and the 5-minute period', () => {
  it('samples every guest from one /cluster/resources call per pass', async () => {
    const collector = t.ctx.app.modules.metrics.collector;
    await collect();
    await collect();
    await collect();
    const samples = collector.series('guest', vm.vmid!);
    expect(samples.length).toBe(3);
    expect(samples.every((s) => s.cpuPercent !== null && s.memoryMaxBytes === 512 * 1024 * 1024)).toBe(true);
    // rates need two passes: the first sample has none, later ones do
    expect(samples[0]!.netInBytesPerSecond).toBeNull();
    expect(samples[2]!.netInBytesPerSecond).not.toBeNull();
    expect(collector.lastPass!.guests).toBeGreaterThanOrEqual(1);
  });

  it('period=5m answers the collector samples (15 s apart) after RRD minutes; 1h is RRD', async () => {
    const res = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`, {
      query: { period: '5m' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ period: '5m', timeframe: 'hour', stepSeconds: 15 });
    const times = res.body.points.map((p) => Date.parse(p.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const now = clock.now().getTime();
    expect(times.every((x) => x >= now - 5 * 60_000 && x <= now)).toBe(true);
    const tail = res.body.points.slice(-3);
    const gap = Date.parse(tail[2]!.time) - Date.parse(tail[1]!.time);
    expect(gap).toBeGreaterThanOrEqual(15_000); // 15 s of offset plus the real time between passes
    expect(gap).toBeLessThan(20_000);
    expect(tail.every((p) => p.cpuPercent !== null)).toBe(true);
    const hour = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`, {
      query: { period: '1h' },
    });
    expect(hour.body).toMatchObject({ period: '1h', timeframe: 'hour', stepSeconds: 60 });
    const legacy = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`, {
      query: { timeframe: 'day' },
    });
    expect(legacy.body).toMatchObject({ period: null, timeframe: 'day', stepSeconds: 1800 });
    const bad = await alice.get<ErrorBody>(`/api/v1/instances/${vm.id}/metrics`, { query: { period: '2h' } });
    expect(bad.status).toBe(400);
    expect((await bob.get(`/api/v1/instances/${vm.id}/metrics`, { query: { period: '5m' } })).status).toBe(
      404,
    );
  });

  it('a stopped guest leaves gaps (null) in the ring', async () => {
    // the launch's lock is released just after its operation reports success: retry a 409 briefly
    let stop = await alice.post<{ operation: { id: string } }>(`/api/v1/instances/${vm.id}/stop`, {
      force: true,
    });
    for (let i = 0; i < 100 && stop.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stop = await alice.post(`/api/v1/instances/${vm.id}/stop`, { force: true });
    }
    expect(stop.status, stop.text).toBe(202);
    await expect
      .poll(async () => (await alice.get<Inst>(`/api/v1/instances/${vm.id}`)).body.status, {
        timeout: 60_000,
        interval: 50,
      })
      .toBe('stopped');
    await collect();
    const res = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`, {
      query: { period: '5m' },
    });
    const last = res.body.points.at(-1)!;
    expect(last.cpuPercent).toBeNull();
    expect(last.memoryMaxBytes).toBe(512 * 1024 * 1024);
    const start = await alice.post<{ operation: { id: string } }>(`/api/v1/instances/${vm.id}/start`);
    expect(start.status, start.text).toBe(202);
    await expect
      .poll(async () => (await alice.get<Inst>(`/api/v1/instances/${vm.id}`)).body.status, {
        timeout: 60_000,
        interval: 50,
      })
      .toBe('running');
  });

  it('the ring is bounded: old slots are overwritten, gone guests dropped', () => {
    const c = new MetricsCollector({ cache: { get: async () => ({}) as never }, clock }, 10, 60);
    expect(c.capacity).toBe(6);
    const snap = (vmids: number[]) => ({
      fetchedAt: 0,
      nodes: new Map(),
      storages: new Map(),
      guests: new Map(
        vmids.map((v) => [
          v,
          { vmid: v, type: 'qemu', node: 'pve1', status: 'running', cpu: 0.5, mem: 1, maxmem: 2 },
        ]),
      ),
    });
    for (let i = 0; i < 10; i++) c.record(snap([1, 2]) as never, i * 10_000);
    expect(c.series('guest', 1).map((s) => s.time)).toEqual([40_000, 50_000, 60_000, 70_000, 80_000, 90_000]);
    for (let i = 10; i < 17; i++) c.record(snap([1]) as never, i * 10_000);
    expect(c.size.guests).toBe(1);
    expect(c.series('guest', 2)).toEqual([]);
  });
});

describe('nodes', () => {
  it('lists the nodes with CPU, memory, guests and storages; node metrics per period', async () => {
    const list = await alice.get<{ items: NodeSummary[] }>('/api/v1/nodes');
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((n) => n.node)).toEqual([...t.sim.nodes].sort());
    const n = list.body.items[0]!;
    expect(n).toMatchObject({ status: 'online' });
    expect(n.memoryMaxBytes).toBeGreaterThan(0);
    expect(n.storages.length).toBeGreaterThan(0);
    const day = await alice.get<NodeMetrics>(`/api/v1/nodes/${n.node}/metrics`, { query: { period: '1d' } });
    expect(day.status, day.text).toBe(200);
    expect(day.body).toMatchObject({ node: n.node, period: '1d', stepSeconds: 1800 });
    expect(day.body.points.some((p) => p.loadAverage !== null && p.cpuPercent !== null)).toBe(true);
    const five = await alice.get<NodeMetrics>(`/api/v1/nodes/${n.node}/metrics`, { query: { period: '5m' } });
    expect(five.body.stepSeconds).toBe(15);
    expect(five.body.points.at(-1)!.cpuPercent).not.toBeNull();
    expect((await alice.get(`/api/v1/nodes/nope/metrics`)).status).toBe(404);
    expect((await alice.get('/api/v1/nodes', { anonymous: true })).status).toBe(401);
  });
});

describe('GET /metrics (Prometheus)', () => {
  it('needs the scrape token or an admin token', async () => {
    expect((await t.ctx.request('GET', '/metrics')).status).toBe(401);
    expect((await alice.get('/metrics')).status).toBe(401);
    expect(
      (
        await t.ctx.request('GET', '/metrics', {
          headers: { authorization: 'Bearer wrong-token-0123456789' },
        })
      ).status,
    ).toBe(401);
    const admin = await t.ctx.admin.get('/metrics');
    expect(admin.status).toBe(200);
    const scraped = await t.ctx.request('GET', '/metrics', {
      headers: { authorization: `Bearer ${SCRAPE_TOKEN}` },
    });
    expect(scraped.status).toBe(200);
    expect(String(scraped.headers['content-type'])).toContain('text/plain');
  });

  it('exports instance, node, storage, API, operation and process series with stable labels', async () => {
    await collect();
    const text = (
      await t.ctx.request('GET', '/metrics', { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })
    ).text;
    const labels = `instance_id="${vm.id}",name="mon-vm",node="${vm.node}",owner="${alice.user.id}",type="qemu"`;
    expect(text).toContain(`proxicloud_instance_up{${labels}} 1`);
    expect(text).toMatch(
      new RegExp(`proxicloud_instance_cpu_ratio\\{${labels.replace(/[{}]/g, '\\$&')}\\} [0-9.e-]+`),
    );
    expect(text).toContain(`proxicloud_instance_network_receive_bytes_total{${labels}}`);
    expect(text).toContain(`proxicloud_instance_memory_max_bytes{${labels}} ${512 * 1024 * 1024}`);
    expect(text).toMatch(/proxicloud_node_up\{node="[^"]+"\} 1/);
    expect(text).toMatch(/proxicloud_storage_size_bytes\{node="[^"]+",storage="local"\} \d+/);
    expect(text).toContain(
      'proxicloud_http_requests_total{method="GET",route="/api/v1/instances/:id/metrics",status="200"}',
    );
    expect(text).toContain(
      'proxicloud_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/nodes"',
    );
    expect(text).toMatch(/proxicloud_operations_total\{action="instance\.launch",status="succeeded"\} \d+/);
    expect(text).toContain('proxicloud_process_resident_memory_bytes');
    expect(text).toContain('proxicloud_collector_last_pass_timestamp_seconds');
    // concrete URLs never become labels; secrets never appear
    expect(text).not.toContain(`route="/api/v1/instances/${vm.id}`);
    expect(text).not.toContain(SCRAPE_TOKEN);
    // another user's guest is labelled with its own owner only
    expect(text).not.toContain(`owner="${bob.user.id}"`);
  });
});
