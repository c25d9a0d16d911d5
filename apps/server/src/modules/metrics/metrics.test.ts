/**
 * Instance metrics over real HTTP against the simulator: series from PVE's rrddata for VMs and
 * containers, timeframes and consolidation, stopped stretches as nulls, isolation and validation.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  useComputeContext,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import type { InstanceMetrics } from './metrics.schemas.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let vm: Inst;
let ct: Inst;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  vm = (await launch(alice, { name: 'metrics-vm' })).instance;
  ct = (await launch(alice, { name: 'metrics-ct', type: 'lxc', template: LXC_TEMPLATE })).instance;
});

describe('GET /api/v1/instances/{id}/metrics', () => {
  it('returns the last hour of a long-running VM at one point a minute, oldest first', async () => {
    // a guest that has been running for a while (seeded), adopted for alice
    const [vmid] = t.sim.seedGuests(1, { runningRatio: 1 });
    const guest = t.sim.inspect().guests.find((g) => g.vmid === vmid)!;
    const adopted = await t.ctx.admin.post<Inst>('/api/v1/instances/adopt', {
      node: guest.node,
      vmid,
      ownerId: alice.user.id,
      name: 'metrics-old',
    });
    expect(adopted.status, adopted.text).toBe(201);
    const res = await alice.get<InstanceMetrics>(`/api/v1/instances/${adopted.body.id}/metrics`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      instanceId: adopted.body.id,
      timeframe: 'hour',
      cf: 'AVERAGE',
      stepSeconds: 60,
    });
    const points = res.body.points;
    expect(points.length).toBeGreaterThan(50);
    const times = points.map((p) => Date.parse(p.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)! - times[0]!).toBe((points.length - 1) * 60_000);
    const sampled = points.filter((p) => p.cpuPercent !== null);
    expect(sampled.length).toBeGreaterThan(points.length / 2);
    for (const p of sampled) {
      expect(p.cpuPercent!).toBeGreaterThanOrEqual(0);
      expect(p.cpuPercent!).toBeLessThanOrEqual(100);
      expect(p.memoryBytes!).toBeGreaterThan(0);
      expect(p.memoryBytes!).toBeLessThanOrEqual(p.memoryMaxBytes!);
    }
    // the values move (a series, not a constant)
    expect(new Set(sampled.map((p) => p.cpuPercent)).size).toBeGreaterThan(5);
  });

  it('a VM launched a moment ago has no samples before it started', async () => {
    const res = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.points.length).toBeGreaterThan(50);
    expect(res.body.points[0]!.cpuPercent).toBeNull();
    expect(res.body.points[0]!.memoryMaxBytes).toBe(512 * 1024 * 1024);
  });

  it('serves containers too, other timeframes and the MAX consolidation', async () => {
    const day = await alice.get<InstanceMetrics>(`/api/v1/instances/${ct.id}/metrics`, {
      query: { timeframe: 'day', cf: 'MAX' },
    });
    expect(day.status, day.text).toBe(200);
    expect(day.body).toMatchObject({ timeframe: 'day', cf: 'MAX', stepSeconds: 1800 });
    expect(day.body.points.length).toBeGreaterThan(0);
  });

  it('a stopped instance has no new samples', async () => {
    const stop = await alice.post<{ operation: { id: string } }>(`/api/v1/instances/${vm.id}/stop`, {
      force: true,
    });
    expect(stop.status, stop.text).toBe(202);
    await expect
      .poll(async () => (await alice.get<Inst>(`/api/v1/instances/${vm.id}`)).body.status, {
        timeout: 60_000,
        interval: 50,
      })
      .toBe('stopped');
    const res = await alice.get<InstanceMetrics>(`/api/v1/instances/${vm.id}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body.points.at(-1)!.cpuPercent).toBeNull();
  });

  it("other users get 404 (not 403); admins and read-only owners' views follow the usual rules", async () => {
    const res = await bob.get<ErrorBody>(`/api/v1/instances/${vm.id}/metrics`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await t.ctx.admin.get(`/api/v1/instances/${vm.id}/metrics`)).status).toBe(200);
    const anonymous = await alice.get(`/api/v1/instances/${vm.id}/metrics`, { anonymous: true });
    expect(anonymous.status).toBe(401);
  });

  it('validates the timeframe and the id', async () => {
    const bad = await alice.get<ErrorBody>(`/api/v1/instances/${vm.id}/metrics`, {
      query: { timeframe: 'decade' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
    expect((await alice.get('/api/v1/instances/not-an-id/metrics')).status).toBe(400);
  });
});
