import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  useComputeContext,
  VM_IMAGE,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let carol: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  carol = await t.ctx.newUser({ role: 'operator' });
});

interface QuotaBody {
  limits: { networks: number | null; securityGroups: number | null };
  usage: { networks: number; securityGroups: number };
}

describe('quotas on networks and security groups', () => {
  it('counts networks and security groups and refuses creates over the limit (422 quota_exceeded)', async () => {
    const set = await t.ctx.admin.put(`/api/v1/quotas/${carol.user.id}`, { networks: 1, securityGroups: 1 });
    expect(set.status, set.text).toBe(200);
    const net = await carol.post<{ id: string; activeOperationId: string }>('/api/v1/networks', {
      name: 'qnet-a',
      cidr: '10.61.0.0/24',
    });
    expect(net.status, net.text).toBe(201);
    expect((await waitOp(carol, net.body.activeOperationId)).status).toBe('succeeded');
    const sg = await carol.post('/api/v1/security-groups', { name: 'qsg-a' });
    expect(sg.status, sg.text).toBe(201);

    const q = await carol.get<QuotaBody>('/api/v1/quotas/me');
    expect(q.body.limits).toMatchObject({ networks: 1, securityGroups: 1 });
    expect(q.body.usage).toMatchObject({ networks: 1, securityGroups: 1 });

    const vnetsBefore = Object.keys(t.sim.inspect().sdn.vnets).length;
    const net2 = await carol.post<ErrorBody>('/api/v1/networks', { name: 'qnet-b', cidr: '10.62.0.0/24' });
    expect(net2.status, net2.text).toBe(422);
    expect(net2.body.error.code).toBe('quota_exceeded');
    expect(net2.body.error.details).toMatchObject({ limit: 'networks', max: 1, used: 1, requested: 1 });
    expect(Object.keys(t.sim.inspect().sdn.vnets).length).toBe(vnetsBefore);

    const sg2 = await carol.post<ErrorBody>('/api/v1/security-groups', { name: 'qsg-b' });
    expect(sg2.status, sg2.text).toBe(422);
    expect(sg2.body.error.code).toBe('quota_exceeded');
    expect(sg2.body.error.details).toMatchObject({ limit: 'securityGroups' });
    const list = await carol.get<{ items: unknown[] }>('/api/v1/security-groups');
    expect(list.body.items).toHaveLength(1);
  });
});

interface DefNet {
  id: string;
  name: string;
  cidr: string;
  isDefault: boolean;
  vnet: string;
}
type NicInst = Inst & { nics: { networkId: string; ip: string }[] };

describe('default network', () => {
  it('gives each user their own default network on their first launch without networkIds, then reuses it', async () => {
    const dan = await t.ctx.newUser({ role: 'operator' });
    const erin = await t.ctx.newUser({ role: 'operator' });
    expect((await dan.get<{ items: DefNet[] }>('/api/v1/networks')).body.items).toHaveLength(0);
    const a = (await launch(dan, { name: 'dn-a' })).instance as NicInst;
    const nets = (await dan.get<{ items: DefNet[] }>('/api/v1/networks')).body.items;
    expect(nets).toHaveLength(1);
    expect(nets[0]).toMatchObject({ name: 'default', isDefault: true, status: 'available' });
    expect(a.nics).toEqual([expect.objectContaining({ networkId: nets[0]!.id })]);
    // created through the ordinary network operation
    const ops = await dan.get<{ items: { action: string; resourceId: string; status: string }[] }>(
      '/api/v1/operations',
    );
    expect(ops.body.items).toContainEqual(
      expect.objectContaining({ action: 'network.create', resourceId: nets[0]!.id, status: 'succeeded' }),
    );
    const g = t.sim.inspect().guests;
    expect(JSON.stringify(g)).toContain(`bridge=${nets[0]!.vnet}`);

    const b = (await launch(dan, { name: 'dn-b' })).instance as NicInst;
    expect(b.nics[0]?.networkId).toBe(nets[0]!.id);
    expect((await dan.get<{ items: DefNet[] }>('/api/v1/networks')).body.items).toHaveLength(1);

    // another user: a separate default network with a different block (isolated)
    const c = (await launch(erin, { name: 'dn-c' })).instance as NicInst;
    const enets = (await erin.get<{ items: DefNet[] }>('/api/v1/networks')).body.items;
    expect(enets).toHaveLength(1);
    expect(enets[0]!.id).not.toBe(nets[0]!.id);
    expect(enets[0]!.cidr).not.toBe(nets[0]!.cidr);
    expect(c.nics[0]?.networkId).toBe(enets[0]!.id);
    expect((await dan.get(`/api/v1/networks/${enets[0]!.id}`)).status).toBe(404);
  });

  it('counts the default network toward the networks quota', async () => {
    const fay = await t.ctx.newUser({ role: 'operator' });
    await t.ctx.admin.put(`/api/v1/quotas/${fay.user.id}`, { networks: 0 });
    const res = await fay.post<ErrorBody>('/api/v1/instances', {
      type: 'vm',
      template: VM_IMAGE,
      instanceType: 't.nano',
      name: 'dn-q',
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'quota_exceeded', details: { limit: 'networks' } });
  });
});
