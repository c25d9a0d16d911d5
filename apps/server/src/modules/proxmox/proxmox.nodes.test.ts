/** GET /catalog/nodes/{node}: what a launch can pick on one node (the console's pickers). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComputeTestContext, createComputeContext, type ErrorBody } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

interface LaunchOptions {
  node: string;
  status: 'online' | 'offline';
  storages: {
    storage: string;
    type: string;
    content: string[];
    shared: boolean;
    vm: boolean;
    lxc: boolean;
    availBytes: number;
    totalBytes: number;
  }[];
  bridges: string[];
}

let t: ComputeTestContext;
let reader: TestClient;

beforeAll(async () => {
  t = await createComputeContext({ sim: { nodes: 2 } });
  reader = await t.ctx.newUser({ role: 'readonly' });
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/catalog/nodes/{node}', () => {
  it("lists the node's storages (which hold VM disks / containers) and bridges as PVE reports them", async () => {
    const res = await reader.get<LaunchOptions>('/api/v1/catalog/nodes/pve1');
    expect(res.status, res.text).toBe(200);
    expect(res.body.node).toBe('pve1');
    expect(res.body.status).toBe('online');
    expect(res.body.bridges).toEqual(['vmbr0', 'vmbr1']);
    const byName = new Map(res.body.storages.map((s) => [s.storage, s]));
    expect([...byName.keys()]).toEqual(['local', 'local-lvm', 'local-zfs', 'tank']);
    expect(byName.get('local')).toMatchObject({ type: 'dir', vm: false, lxc: false, shared: false });
    expect(byName.get('local')?.content).toContain('iso');
    expect(byName.get('local-lvm')).toMatchObject({ type: 'lvmthin', vm: true, lxc: true });
    const tank = byName.get('tank')!;
    expect(tank.totalBytes).toBe(7 * 1024 ** 4);
    expect(tank.availBytes).toBeGreaterThan(0);
    expect(tank.availBytes).toBeLessThanOrEqual(tank.totalBytes);
  });

  it('answers 404 for a node that is not in the cluster and 400 for a malformed name', async () => {
    const res = await reader.get<ErrorBody>('/api/v1/catalog/nodes/pve9');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.message).toContain('pve9');
    const bad = await reader.get<ErrorBody>('/api/v1/catalog/nodes/-bad');
    expect(bad.status).toBe(400);
  });

  it('reports an offline node without asking it', async () => {
    t.sim.faults.nodeOffline('pve2', true);
    t.compute.cache.invalidate();
    try {
      const res = await reader.get<LaunchOptions>('/api/v1/catalog/nodes/pve2');
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ node: 'pve2', status: 'offline', storages: [], bridges: [] });
    } finally {
      t.sim.faults.nodeOffline('pve2', false);
      t.compute.cache.invalidate();
    }
  });

  it('needs a signed-in user', async () => {
    const res = await reader.get<ErrorBody>('/api/v1/catalog/nodes/pve1', { anonymous: true });
    expect(res.status).toBe(401);
  });
});
