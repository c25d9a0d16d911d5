/**
 * GET /api/v1/instances/summary: the dashboard's counts (SQL aggregates) and busiest running
 * instances (usage from the cluster-resource cache), owner scoping, roles and validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInstances } from '../../../scripts/seed-instances.ts';
import {
  type ComputeTestContext,
  createComputeContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  type Op,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { SUMMARY_SCAN_RUNNING } from './instances.service.ts';

interface Summary {
  total: number;
  byStatus: Record<string, number>;
  byType: { vm: number; lxc: number };
  byNode: { node: string; instances: number; running: number }[];
  allocated: { vcpu: number; memoryMib: number; diskGib: number };
  busiest: (Inst & { usage: { cpu: number; sampledAt: string } })[];
  sampledAt: string | null;
}

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let reader: TestClient;
const aliceIds: string[] = [];
let bobId: string;
let stoppedId: string;

async function summary(client: TestClient, query: Record<string, string | number> = {}) {
  const res = await client.get<Summary & ErrorBody>('/api/v1/instances/summary', { query });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await createComputeContext();
  alice = await t.ctx.newUser();
  bob = await t.ctx.newUser();
  reader = await t.ctx.newUser({ role: 'readonly' });
  for (const body of [
    { name: 'a-vm-1' },
    { name: 'a-vm-2', instanceType: 't.micro' },
    { name: 'a-ct-1', type: 'lxc', template: LXC_TEMPLATE },
  ]) {
    aliceIds.push((await launch(alice, body)).instance.id);
  }
  bobId = (await launch(bob, { name: 'b-ct-1', type: 'lxc', template: LXC_TEMPLATE })).instance.id;
  stoppedId = aliceIds[1]!;
  const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${stoppedId}/stop`, { force: true });
  expect(stop.status, stop.text).toBe(202);
  expect((await waitOp(alice, stop.body.operation.id)).status).toBe('succeeded');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('GET /instances/summary', () => {
  it("counts the owner's instances by status, type and node, and sums their sizes", async () => {
    const s = await summary(alice);
    const list = (
      await alice.get<{ items: (Inst & { vcpu: number; memory: number; sizeGib: number })[] }>(
        '/api/v1/instances',
      )
    ).body.items;
    expect(list).toHaveLength(3);
    expect(s.total).toBe(3);
    expect(s.byStatus).toMatchObject({ running: 2, stopped: 1, pending: 0, creating: 0, error: 0 });
    expect(s.byStatus).not.toHaveProperty('terminated');
    expect(Object.values(s.byStatus).reduce((a, b) => a + b, 0)).toBe(3);
    expect(s.byType).toEqual({ vm: 2, lxc: 1 });
    const nodes = new Map<string, { instances: number; running: number }>();
    for (const i of list) {
      const n = nodes.get(i.node!) ?? { instances: 0, running: 0 };
      n.instances++;
      if (i.status === 'running') n.running++;
      nodes.set(i.node!, n);
    }
    expect(s.byNode).toEqual(
      [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([node, n]) => ({ node, ...n })),
    );
    expect(s.allocated).toEqual({
      vcpu: list.reduce((a, i) => a + i.vcpu, 0),
      memoryMib: list.reduce((a, i) => a + i.memory, 0),
      diskGib: list.reduce((a, i) => a + i.sizeGib, 0),
    });
    // busiest: the running ones only, as the list shows them (with usage), busiest first
    expect(s.busiest.map((i) => i.id).sort()).toEqual(aliceIds.filter((id) => id !== stoppedId).sort());
    expect(s.busiest.every((i) => i.status === 'running' && i.usage !== null)).toBe(true);
    expect(s.busiest[0]!.usage.cpu).toBeGreaterThanOrEqual(s.busiest[1]!.usage.cpu);
    expect(s.sampledAt).toBe(s.busiest[0]!.usage.sampledAt);
    const fromList = list.find((i) => i.id === s.busiest[0]!.id)!;
    expect(Object.keys(s.busiest[0]!).sort()).toEqual(Object.keys(fromList).sort());
    expect({ ...s.busiest[0]!, usage: null, updatedAt: null }).toEqual({
      ...fromList,
      usage: null,
      updatedAt: null,
    });
  });

  it('terminated instances leave the counts', async () => {
    const res = await bob.request<{ operation: Op }>('DELETE', `/api/v1/instances/${bobId}`, {
      query: { confirm: bobId },
    });
    expect(res.status, res.text).toBe(202);
    expect((await waitOp(bob, res.body.operation.id)).status).toBe('succeeded');
    const s = await summary(bob);
    expect(s).toMatchObject({
      total: 0,
      byType: { vm: 0, lxc: 0 },
      byNode: [],
      busiest: [],
      sampledAt: null,
    });
    expect(s.allocated).toEqual({ vcpu: 0, memoryMib: 0, diskGib: 0 });
    bobId = (await launch(bob, { name: 'b-ct-2', type: 'lxc', template: LXC_TEMPLATE })).instance.id;
  });

  it('is scoped: users see their own, admins everyone or one user with ownerId', async () => {
    const b = await summary(bob);
    expect(b.total).toBe(1);
    expect(b.busiest.map((i) => i.id)).toEqual([bobId]);
    // a non-admin asking for someone else's gets nothing, as the list does
    const foreign = await summary(bob, { ownerId: alice.user.id });
    expect(foreign.total).toBe(0);
    expect(foreign.busiest).toEqual([]);

    const all = await summary(t.ctx.admin, { top: 20 });
    expect(all.total).toBe(4);
    expect(all.byStatus.running).toBe(3);
    expect(all.busiest.map((i) => i.id).sort()).toEqual(
      [...aliceIds.filter((id) => id !== stoppedId), bobId].sort(),
    );
    const onlyAlice = await summary(t.ctx.admin, { ownerId: alice.user.id });
    const a = await summary(alice);
    expect({ ...onlyAlice, busiest: null, sampledAt: null }).toEqual({
      ...a,
      busiest: null,
      sampledAt: null,
    });
    expect(onlyAlice.busiest.map((i) => i.id).sort()).toEqual(a.busiest.map((i) => i.id).sort());
  });

  it('read-only users may read it (their own: nothing here)', async () => {
    const s = await summary(reader);
    expect(s.total).toBe(0);
    expect(s.byNode).toEqual([]);
    expect((await reader.get('/api/v1/instances/summary', { anonymous: true })).status).toBe(401);
  });

  it('top picks the N busiest running instances by CPU, same order as the usage in the list', async () => {
    for (let attempt = 0; ; attempt++) {
      const s = await summary(t.ctx.admin, { top: 2 });
      const list = (
        await t.ctx.admin.get<{ items: Summary['busiest'] }>('/api/v1/instances', {
          query: { status: 'running' },
        })
      ).body.items;
      // both must come from the same /cluster/resources snapshot to compare (the cache refreshes every 2 s)
      if (list.some((i) => i.usage.sampledAt !== s.sampledAt)) {
        if (attempt < 5) continue;
      }
      expect(s.busiest).toHaveLength(2);
      const cpus = list.map((i) => i.usage!.cpu).sort((x, y) => y - x);
      expect(s.busiest.map((i) => i.usage.cpu)).toEqual(cpus.slice(0, 2));
      break;
    }
    const one = await summary(alice, { top: 1 });
    expect(one.busiest).toHaveLength(1);
  });

  it('validates top (1..20)', async () => {
    for (const top of ['0', '21', '-1', 'x']) {
      const res = await alice.get<ErrorBody>('/api/v1/instances/summary', { query: { top } });
      expect(res.status, `top=${top}: ${res.text}`).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
    const bad = await t.ctx.admin.get<ErrorBody>('/api/v1/instances/summary', { query: { ownerId: 'bob' } });
    expect(bad.status).toBe(400);
    expect((await summary(alice, { top: 20 })).busiest).toHaveLength(2);
  });

  it('with many running instances in scope, walks the cluster busiest first and finds the same top N', async () => {
    const carol = await t.ctx.newUser();
    const count = SUMMARY_SCAN_RUNNING + 50;
    await seedInstances(t.ctx.db, t.sim, { ownerId: carol.user.id, count, runningRatio: 1 });
    t.compute.cache.invalidate();
    for (const [client, query, total] of [
      [t.ctx.admin, { top: 20 }, count + 4],
      [t.ctx.admin, { top: 3, ownerId: carol.user.id }, count],
      [carol, { top: 7 }, count],
    ] as const) {
      for (let attempt = 0; ; attempt++) {
        const s = await summary(client, query);
        expect(s.total).toBe(total);
        const list = (
          await client.get<{ items: Summary['busiest'] }>('/api/v1/instances', {
            query: {
              status: 'running',
              limit: 1000,
              ...('ownerId' in query ? { ownerId: query.ownerId } : {}),
            },
          })
        ).body.items;
        if (list.some((i) => i.usage.sampledAt !== s.sampledAt) && attempt < 5) continue;
        const cpus = list.map((i) => i.usage.cpu).sort((x, y) => y - x);
        expect(s.busiest.map((i) => i.usage.cpu)).toEqual(cpus.slice(0, query.top));
        if ('ownerId' in query || client === carol)
          expect(s.busiest.every((i) => i.ownerId === carol.user.id)).toBe(true);
        break;
      }
    }
    // alice (few running) still sees only her own
    expect((await summary(alice, { top: 20 })).busiest).toHaveLength(2);
  });
});
