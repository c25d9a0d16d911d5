import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});

interface Net {
  id: string;
  name: string;
  cidr: string;
  vnet: string;
  snat: boolean;
}
interface Nat {
  id: string;
  name: string;
  kind: string;
  networkId: string;
  networkName: string;
  sourceCidr: string;
  status: string;
  activeOperationId: string | null;
}

const subnetOf = (vnet: string) =>
  Object.values(t.sim.inspect().sdn.subnets).find((x) => x.current?.vnet === vnet)?.current as
    | { snat?: number }
    | undefined;

async function createNet(client: TestClient, body: Record<string, unknown>): Promise<Net> {
  const res = await client.post<Net & ErrorBody & { activeOperationId: string }>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  const op = await waitOp(client, res.body.activeOperationId);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return res.body;
}

let priv: Net;
let other: Net;
let nat: Nat;

describe('NAT gateways (SDN SNAT)', () => {
  it("turns on the subnet's SNAT on Proxmox through an operation", async () => {
    priv = await createNet(alice, { name: 'nat-priv', cidr: '10.90.0.0/24' });
    other = await createNet(alice, { name: 'nat-other', cidr: '10.91.0.0/24' });
    expect(subnetOf(priv.vnet)?.snat).toBeFalsy();
    const res = await alice.post<Nat & ErrorBody>('/api/v1/nat-gateways', {
      name: 'egress',
      networkId: priv.id,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'sdnSnat',
      status: 'creating',
      networkName: 'nat-priv',
      sourceCidr: '10.90.0.0/24',
    });
    const op = await waitOp(alice, res.body.activeOperationId!);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    nat = (await alice.get<Nat>(`/api/v1/nat-gateways/${res.body.id}`)).body;
    expect(nat).toMatchObject({ status: 'available', activeOperationId: null });
    expect(subnetOf(priv.vnet)?.snat).toBe(1);
    expect(t.sim.inspect().sdn.lock).toBeUndefined();
    expect((await alice.get<Net>(`/api/v1/networks/${priv.id}`)).body.snat).toBe(true);
    const list = await alice.get<{ items: Nat[] }>('/api/v1/nat-gateways');
    expect(list.body.items.map((g) => g.name)).toEqual(['egress']);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const before = JSON.stringify(t.sim.inspect().sdn);
    const dup = await alice.post<ErrorBody>('/api/v1/nat-gateways', { name: 'egress2', networkId: priv.id });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('nat_gateway_exists');
    const name = await alice.post<ErrorBody>('/api/v1/nat-gateways', { name: 'egress', networkId: other.id });
    expect(name.status).toBe(409);
    expect(name.body.error.code).toBe('name_taken');
    const foreign = await bob.post<ErrorBody>('/api/v1/nat-gateways', { name: 'x', networkId: priv.id });
    expect(foreign.status).toBe(404);
    expect((await bob.get<ErrorBody>(`/api/v1/nat-gateways/${nat.id}`)).status).toBe(404);
    expect((await bob.delete<ErrorBody>(`/api/v1/nat-gateways/${nat.id}`)).status).toBe(404);
    // SNAT cannot be switched off under the gateway, nor the network deleted
    const off = await alice.put<ErrorBody>(`/api/v1/networks/${priv.id}`, { snat: false });
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('nat_gateway_present');
    const del = await alice.delete<ErrorBody>(`/api/v1/networks/${priv.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toMatch(/NAT gateway 'egress'/);
    expect(JSON.stringify(t.sim.inspect().sdn)).toBe(before);
  });

  it('refuses a network without a public side (a VXLAN zone has no routed exit)', async () => {
    const settings = t.ctx.app.modules.networks.settings;
    const saved = { zone: settings.zone, zoneType: settings.zoneType };
    settings.zone = 'pcvx';
    settings.zoneType = 'vxlan';
    try {
      const vx = await createNet(alice, { name: 'nat-vx', cidr: '10.92.0.0/24' });
      const res = await alice.post<ErrorBody>('/api/v1/nat-gateways', {
        name: 'vx-egress',
        networkId: vx.id,
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('no_public_side');
      expect(res.body.error.message).toMatch(/vxlan zone 'pcvx'.*simple or EVPN/);
      expect(subnetOf(vx.vnet)?.snat).toBeFalsy();
    } finally {
      Object.assign(settings, saved);
    }
  });

  it('is a route target for its own network only; deleting it while routed answers 409 naming the routes', async () => {
    const bad = await alice.post<ErrorBody>('/api/v1/route-tables', {
      name: 'other-out',
      networkIds: [other.id],
      routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: nat.id }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('route_target_unreachable');
    const bobs = await bob.post<ErrorBody>('/api/v1/route-tables', {
      name: 'steal',
      routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: nat.id }],
    });
    expect(bobs.status).toBe(404);
    const vm = (await launch(alice, { name: 'nat-vm', networkIds: [priv.id] })).instance as Inst;
    const res = await alice.post<
      { id: string; activeOperationId: string | null; routes: { targetName: string }[] } & ErrorBody
    >('/api/v1/route-tables', {
      name: 'private-out',
      networkIds: [priv.id],
      routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: nat.id }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.routes[0]!.targetName).toBe('egress');
    if (res.body.activeOperationId) await waitOp(alice, res.body.activeOperationId);
    // the guest keeps its default route through the node; nothing is pushed for an SDN SNAT target
    expect(t.sim.inspect().guests.find((g) => g.vmid === vm.vmid)?.guestRoutes ?? []).toEqual([]);
    const busy = await alice.delete<ErrorBody>(`/api/v1/nat-gateways/${nat.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('nat_gateway_in_use');
    expect(busy.body.error.message).toContain("0.0.0.0/0 in 'private-out'");
    expect(subnetOf(priv.vnet)?.snat).toBe(1);
    const cleared = await alice.put<{ activeOperationId: string | null }>(
      `/api/v1/route-tables/${res.body.id}`,
      {
        routes: [],
      },
    );
    expect(cleared.status, cleared.text).toBe(200);
    const del = await alice.delete<Op & ErrorBody>(`/api/v1/nat-gateways/${nat.id}`);
    expect(del.status, del.text).toBe(202);
    const op = await waitOp(alice, del.body.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(subnetOf(priv.vnet)?.snat).toBeFalsy();
    expect((await alice.get<ErrorBody>(`/api/v1/nat-gateways/${nat.id}`)).status).toBe(404);
    expect((await alice.get<Net>(`/api/v1/networks/${priv.id}`)).body.snat).toBe(false);
  });
});
