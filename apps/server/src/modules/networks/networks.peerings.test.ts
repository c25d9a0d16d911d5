import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  carol = await t.ctx.newUser({ role: 'operator' });
});

interface Net {
  id: string;
  name: string;
  cidr: string;
  vnet: string;
}
interface Pcx {
  id: string;
  name: string;
  status: string;
  yourSide: string;
  requester: { networkId: string; networkName: string | null; allowedCidrs: string[] | null };
  accepter: { networkId: string; networkName: string | null; allowedCidrs: string[] | null };
  activeOperationId: string | null;
}

// inbound rules only (the out-direction egress rules are networks.egress.test.ts's)
const groupRules = (vnet: string) =>
  (t.sim.inspect().firewall.groups[`pcn-${vnet}`]?.rules ?? []).filter((r) => r.type === 'in');

async function createNet(client: TestClient, body: Record<string, unknown>): Promise<Net> {
  const res = await client.post<Net & ErrorBody & { activeOperationId: string }>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  const op = await waitOp(client, res.body.activeOperationId);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return res.body;
}

async function settled(client: TestClient, p: Pcx): Promise<Pcx> {
  if (p.activeOperationId) {
    const op: Op = await waitOp(client, p.activeOperationId);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  }
  return (await client.get<Pcx>(`/api/v1/peerings/${p.id}`)).body;
}

let a1: Net;
let a2: Net;
let b1: Net;
let own: Pcx;

describe('peerings', () => {
  it('peers two networks of one owner at once: firewall rules for exactly the allowed ranges, routes in both tables', async () => {
    a1 = await createNet(alice, { name: 'pc-a1', cidr: '10.95.0.0/24' });
    a2 = await createNet(alice, { name: 'pc-a2', cidr: '10.96.0.0/24' });
    const res = await alice.post<Pcx & ErrorBody>('/api/v1/peerings', {
      name: 'a1-a2',
      networkId: a1.id,
      peerNetworkId: a2.id,
      allowedCidrs: ['10.95.0.0/25'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.status).toBe('provisioning');
    own = await settled(alice, res.body);
    expect(own).toMatchObject({
      status: 'active',
      yourSide: 'requester',
      requester: { networkId: a1.id, networkName: 'pc-a1', allowedCidrs: ['10.95.0.0/25'] },
      accepter: { networkId: a2.id, networkName: 'pc-a2', allowedCidrs: ['10.96.0.0/24'] },
    });
    // a1's guests accept a2's CIDR towards the half a1 opened; a2's guests accept a1's CIDR
    expect(groupRules(a1.vnet).map((r) => [r.source, r.dest])).toEqual([
      ['10.95.0.0/24', undefined],
      ['10.96.0.0/24', '10.95.0.0/25'],
    ]);
    expect(groupRules(a2.vnet).map((r) => [r.source, r.dest])).toEqual([
      ['10.96.0.0/24', undefined],
      ['10.95.0.0/24', '10.96.0.0/24'],
    ]);
    const main = (
      await alice.get<{
        items: {
          isDefault: boolean;
          peeringRoutes: { destinationCidr: string; targetType: string; targetName: string }[];
        }[];
      }>('/api/v1/route-tables')
    ).body.items.find((x) => x.isDefault)!;
    expect(main.peeringRoutes.map((r) => [r.destinationCidr, r.targetType, r.targetName]).sort()).toEqual([
      ['10.95.0.0/25', 'peering', 'a1-a2'],
      ['10.96.0.0/24', 'peering', 'a1-a2'],
    ]);
    // the reconciler sees no drift in groups with peering rules
    const report = await t.ctx.app.modules.networks.reconciler.pass({ repair: false });
    expect(JSON.stringify(report)).not.toContain('peering rules changed');
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const over = await createNet(alice, { name: 'pc-over', cidr: '10.97.0.0/24' });
    const bobOver = await createNet(bob, { name: 'pc-bob-over', cidr: '10.95.0.0/16' });
    const before = JSON.stringify(t.sim.inspect().firewall);
    const cases: [TestClient, Record<string, unknown>, number, string][] = [
      [alice, { name: 'x', networkId: a1.id, peerNetworkId: a1.id }, 400, 'peering_self'],
      [alice, { name: 'x', networkId: a1.id, peerNetworkId: bobOver.id }, 409, 'peering_overlap'],
      [alice, { name: 'x', networkId: a1.id, peerNetworkId: a2.id }, 409, 'peering_exists'],
      [
        alice,
        { name: 'x', networkId: a1.id, peerNetworkId: over.id, allowedCidrs: ['10.99.0.0/24'] },
        400,
        'invalid_peering',
      ],
      [alice, { name: 'x', networkId: a1.id, peerNetworkId: 'net-nope' }, 404, 'not_found'],
      [bob, { name: 'x', networkId: a1.id, peerNetworkId: bobOver.id }, 404, 'not_found'],
    ];
    for (const [client, body, status, code] of cases) {
      const res = await client.post<ErrorBody>('/api/v1/peerings', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect((await bob.get<ErrorBody>(`/api/v1/peerings/${own.id}`)).status).toBe(404);
    expect((await bob.delete<ErrorBody>(`/api/v1/peerings/${own.id}`)).status).toBe(404);
    // a peered network cannot be deleted
    const del = await alice.delete<ErrorBody>(`/api/v1/networks/${a1.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toMatch(/peering\(s\) 'a1-a2'/);
    expect(JSON.stringify(t.sim.inspect().firewall)).toBe(before);
  });

  it('asks another owner: nothing opens until they accept; they choose their ranges; either side deletes', async () => {
    b1 = await createNet(bob, { name: 'pc-b1', cidr: '10.98.0.0/24' });
    const req = await alice.post<Pcx & ErrorBody>('/api/v1/peerings', {
      name: 'alice-bob',
      networkId: a2.id,
      peerNetworkId: b1.id,
    });
    expect(req.status, req.text).toBe(201);
    expect(req.body.status).toBe('pendingAcceptance');
    expect(groupRules(b1.vnet)).toHaveLength(1);
    // bob sees it (not alice's network name); alice cannot accept her own request; carol sees nothing
    const seen = (await bob.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items;
    expect(seen.map((p) => [p.name, p.yourSide, p.requester.networkName])).toEqual([
      ['alice-bob', 'accepter', null],
    ]);
    const self = await alice.post<ErrorBody>(`/api/v1/peerings/${req.body.id}/accept`, {});
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('not_accepter');
    expect((await carol.post<ErrorBody>(`/api/v1/peerings/${req.body.id}/accept`, {})).status).toBe(404);
    const accepted = await bob.post<Pcx & ErrorBody>(`/api/v1/peerings/${req.body.id}/accept`, {
      allowedCidrs: ['10.98.0.16/28'],
    });
    expect(accepted.status, accepted.text).toBe(200);
    const active = await settled(bob, accepted.body);
    expect(active.status).toBe('active');
    expect(groupRules(b1.vnet).map((r) => [r.source, r.dest])).toEqual([
      ['10.98.0.0/24', undefined],
      ['10.96.0.0/24', '10.98.0.16/28'],
    ]);
    // bob deletes it: both sides' rules go, alice's own peering stays
    const del = await bob.delete<Op & ErrorBody>(`/api/v1/peerings/${req.body.id}`);
    expect(del.status, del.text).toBe(202);
    expect((await waitOp(bob, del.body.id)).status).toBe('succeeded');
    expect(groupRules(b1.vnet)).toHaveLength(1);
    expect(groupRules(a2.vnet).map((r) => r.source)).toEqual(['10.96.0.0/24', '10.95.0.0/24']);
    expect((await alice.get<ErrorBody>(`/api/v1/peerings/${req.body.id}`)).status).toBe(404);
  });

  it('rejects a request; deleting the own peering tears everything down', async () => {
    const req = await alice.post<Pcx>('/api/v1/peerings', {
      name: 'again',
      networkId: a1.id,
      peerNetworkId: b1.id,
    });
    const rej = await bob.post<Pcx>(`/api/v1/peerings/${req.body.id}/reject`, {});
    expect(rej.status).toBe(200);
    expect(rej.body.status).toBe('rejected');
    expect(groupRules(b1.vnet)).toHaveLength(1);
    const del = await alice.delete<Op>(`/api/v1/peerings/${own.id}`);
    expect(del.status).toBe(202);
    await waitOp(alice, del.body.id);
    expect(groupRules(a1.vnet)).toHaveLength(1);
    expect(groupRules(a2.vnet)).toHaveLength(1);
    const main = (
      await alice.get<{ items: { isDefault: boolean; peeringRoutes: unknown[] }[] }>('/api/v1/route-tables')
    ).body.items.find((x) => x.isDefault)!;
    expect(main.peeringRoutes).toEqual([]);
  });

  it("lets one owner choose the peer side's ranges too (peerAllowedCidrs), checked against the peer network", async () => {
    const c1 = await createNet(alice, { name: 'pc-c1', cidr: '10.191.0.0/24' });
    const c2 = await createNet(alice, { name: 'pc-c2', cidr: '10.192.0.0/24' });
    const outside = await alice.post<ErrorBody>('/api/v1/peerings', {
      name: 'c-bad',
      networkId: c1.id,
      peerNetworkId: c2.id,
      peerAllowedCidrs: ['10.191.0.0/28'],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.code).toBe('invalid_peering');
    expect(outside.body.error.message).toContain("not inside network 'pc-c2'");
    const res = await alice.post<Pcx & ErrorBody>('/api/v1/peerings', {
      name: 'c1-c2',
      networkId: c1.id,
      peerNetworkId: c2.id,
      peerAllowedCidrs: ['10.192.0.16/28'],
    });
    expect(res.status, res.text).toBe(201);
    const p = await settled(alice, res.body);
    expect(p).toMatchObject({
      status: 'active',
      requester: { allowedCidrs: ['10.191.0.0/24'] },
      accepter: { allowedCidrs: ['10.192.0.16/28'] },
    });
    // c2's guests accept c1 towards the /28 only
    expect(groupRules(c2.vnet).map((r) => [r.source, r.dest])).toEqual([
      ['10.192.0.0/24', undefined],
      ['10.191.0.0/24', '10.192.0.16/28'],
    ]);
    // another user's network: they choose their side when accepting
    const d = await createNet(bob, { name: 'pc-d', cidr: '10.193.0.0/24' });
    const foreign = await alice.post<ErrorBody>('/api/v1/peerings', {
      name: 'c-d',
      networkId: c1.id,
      peerNetworkId: d.id,
      peerAllowedCidrs: ['10.193.0.0/28'],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain('chooses their ranges when accepting');
  });
});
