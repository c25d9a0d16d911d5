import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  useComputeContext,
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
