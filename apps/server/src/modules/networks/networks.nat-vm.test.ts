/**
 * NAT gateways of kind `natVm` end to end on the simulator (HTTPS API + SSH host agent): the
 * container with its private and public NICs, the setup script pushed and run, rollback of a
 * failed setup, routes pointing at its private address, the health job re-creating a lost
 * container with the same addresses, delete (409 while routes target it), bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

// the public side (read when the networks module registers, in beforeAll)
const saved = { ...process.env };
process.env.PROXICLOUD_NAT_PUBLIC_CIDR = '203.0.113.0/24';
process.env.PROXICLOUD_NAT_PUBLIC_GATEWAY = '203.0.113.1';
process.env.PROXICLOUD_NAT_PUBLIC_BRIDGE = 'vmbr0';
afterAll(() => {
  for (const k of [
    'PROXICLOUD_NAT_PUBLIC_CIDR',
    'PROXICLOUD_NAT_PUBLIC_GATEWAY',
    'PROXICLOUD_NAT_PUBLIC_BRIDGE',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

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
}
interface Nat {
  id: string;
  name: string;
  kind: string;
  networkId: string;
  status: string;
  statusReason: string | null;
  privateAddress: string | null;
  publicAddress: string | null;
  health: string | null;
  node: string | null;
  vmid: number | null;
  activeOperationId: string | null;
}
type InstNet = Inst & { nics: { networkId: string; ip: string }[] };

const SETUP = '/root/.proxicloud/app/setup.sh';
const guest = (vmid: number | null | undefined) => t.sim.inspect().guests.find((g) => g.vmid === vmid);

async function createNet(client: TestClient, body: Record<string, unknown>): Promise<Net> {
  const res = await client.post<Net & ErrorBody & { activeOperationId: string }>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  const op = await waitOp(client, res.body.activeOperationId);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return res.body;
}

async function createNat(body: Record<string, unknown>): Promise<{ nat: Nat; op: Op }> {
  const res = await alice.post<Nat & ErrorBody>('/api/v1/nat-gateways', { kind: 'natVm', ...body });
  expect(res.status, res.text).toBe(201);
  expect(res.body).toMatchObject({ kind: 'natVm', status: 'creating' });
  const op = await waitOp(alice, res.body.activeOperationId!);
  const got = await alice.get<Nat>(`/api/v1/nat-gateways/${res.body.id}`);
  return { nat: got.body, op };
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await what();
  for (let i = 0; i < 600 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 50));
    v = await what();
  }
  return v;
}

let priv: Net;
let other: Net;
let nat: Nat;

describe('NAT gateways (NAT VM)', () => {
  it('refuses bad input with the field at fault', async () => {
    priv = await createNet(alice, { name: 'nv-priv', cidr: '10.92.0.0/24' });
    other = await createNet(alice, { name: 'nv-other', cidr: '10.93.0.0/24' });
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ kind: 'natVm', publicAddress: '198.51.100.7' }, 400, 'validation_error', 'publicAddress'],
      [{ kind: 'natVm', publicAddress: '203.0.113.1' }, 400, 'validation_error', 'publicAddress'],
      [{ kind: 'natVm', publicAddress: 'not-an-ip' }, 400, 'validation_error'],
      [{ kind: 'natVm', privateAddress: '10.92.0.1' }, 400, 'validation_error', 'privateAddress'],
      [{ kind: 'natVm', privateAddress: '10.92.0.100' }, 400, 'validation_error', 'privateAddress'],
      [{ kind: 'natVm', privateAddress: '10.93.0.5' }, 400, 'validation_error', 'privateAddress'],
      [{ kind: 'sdnSnat', publicAddress: '203.0.113.9' }, 400, 'validation_error', 'publicAddress'],
      [{ kind: 'vpnBox' }, 400, 'validation_error'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await alice.post<ErrorBody>('/api/v1/nat-gateways', {
        name: 'bad',
        networkId: priv.id,
        ...body,
      });
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (field) expect(res.body.error.details).toMatchObject({ field });
    }
    // another user's network is not found
    const foreign = await bob.post<ErrorBody>('/api/v1/nat-gateways', {
      name: 'x',
      networkId: priv.id,
      kind: 'natVm',
    });
    expect(foreign.status).toBe(404);
    expect((await alice.get<{ total: number }>('/api/v1/nat-gateways')).body.total).toBe(0);
  });

  it('creates the container with both NICs, pushes and runs the NAT setup', async () => {
    const { nat: n, op } = await createNat({
      name: 'egress-vm',
      networkId: priv.id,
      publicAddress: '203.0.113.10',
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.map((s) => [s.name, s.status])).toEqual([
      ['container', 'succeeded'],
      ['configure', 'succeeded'],
    ]);
    nat = n;
    expect(nat).toMatchObject({
      status: 'available',
      health: 'healthy',
      privateAddress: '10.92.0.2',
      publicAddress: '203.0.113.10',
      activeOperationId: null,
    });
    const g = guest(nat.vmid)!;
    expect(g).toBeDefined();
    expect(g.type).toBe('lxc');
    expect(g.status).toBe('running');
    expect(g.config.net0).toMatch(new RegExp(`bridge=${priv.vnet}\\b`));
    expect(g.config.net0).toMatch(/ip=10\.92\.0\.2\/24/);
    expect(g.config.net0).not.toMatch(/firewall=1/);
    expect(g.config.net1).toMatch(/bridge=vmbr0/);
    expect(g.config.net1).toMatch(/ip=203\.0\.113\.10\/24/);
    expect(g.config.net1).toMatch(/gw=203\.0\.113\.1\b/);
    expect(g.config.ostemplate ?? g.config.description).toBeDefined();
    const script = g.guestFiles?.[SETUP]?.data ?? '';
    expect(script).toContain('net.ipv4.ip_forward = 1');
    expect(script).toContain('iifname "eth0" oifname "eth1" ip saddr { 10.92.0.0/24 } ct state new accept');
    expect(script).toContain('oifname "eth1" ip saddr { 10.92.0.0/24 } masquerade');
    expect(g.guestExecs?.filter((e) => e.argv.join(' ') === `/bin/bash ${SETUP} install`)).toEqual([
      expect.objectContaining({ code: 0 }),
    ]);
    // one gateway per network; the public address is unique
    const again = await alice.post<ErrorBody>('/api/v1/nat-gateways', {
      name: 'twice',
      networkId: priv.id,
      kind: 'natVm',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('nat_gateway_exists');
    const taken = await alice.post<ErrorBody>('/api/v1/nat-gateways', {
      name: 'same-ip',
      networkId: other.id,
      kind: 'natVm',
      publicAddress: '203.0.113.10',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('address_in_use');
  });

  it('rolls back a failed setup: no container, no gateway, the public address free again', async () => {
    const before = t.sim.inspect().guests.length;
    t.sim.guestAppDefaults({ fail: { phase: 'install', stderr: 'nft: Operation not permitted' } });
    try {
      const { nat: n, op } = await createNat({
        name: 'broken',
        networkId: other.id,
        publicAddress: '203.0.113.20',
      });
      expect(op.status).toBe('failed');
      expect(op.error?.message).toMatch(/setup script exited with status 1: nft: Operation not permitted/);
      expect(op.steps.find((s) => s.name === 'configure')?.status).toBe('failed');
      expect(n.status).toBeUndefined(); // 404 body: the gateway is gone
    } finally {
      t.sim.guestAppDefaults({ fail: null });
    }
    expect(t.sim.inspect().guests.length).toBe(before);
    expect((await alice.get<{ items: Nat[] }>('/api/v1/nat-gateways')).body.items.map((x) => x.name)).toEqual(
      ['egress-vm'],
    );
    // the address can be used again (here: allocated, the first free one after the gateway)
    const { nat: n2, op: op2 } = await createNat({ name: 'second', networkId: other.id });
    expect(op2.status, JSON.stringify(op2.error)).toBe('succeeded');
    expect(n2.publicAddress).toBe('203.0.113.2');
    const del = await alice.delete<Op>(`/api/v1/nat-gateways/${n2.id}`);
    expect(del.status).toBe(202);
    expect((await waitOp(alice, del.body.id)).status).toBe('succeeded');
    expect(guest(n2.vmid)).toBeUndefined();
  });

  let ct: InstNet;
  let tableId: string;
  it('is a route target: guests get its private address as next hop; delete answers 409 meanwhile', async () => {
    ct = (await launch(alice, { name: 'nv-ct', type: 'lxc', template: LXC_TEMPLATE, networkIds: [priv.id] }))
      .instance as InstNet;
    const res = await alice.post<{ id: string; activeOperationId: string | null } & ErrorBody>(
      '/api/v1/route-tables',
      {
        name: 'via-nat-vm',
        routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: nat.id }],
        networkIds: [priv.id],
      },
    );
    expect(res.status, res.text).toBe(201);
    tableId = res.body.id;
    if (res.body.activeOperationId) await waitOp(alice, res.body.activeOperationId);
    const routes = await until(
      async () => guest(ct.vmid)?.guestRoutes,
      (r) => (r?.length ?? 0) > 0,
    );
    expect(routes).toEqual([{ dst: '0.0.0.0/0', via: '10.92.0.2', proto: '250' }]);
    // an instance cannot take the NAT VM's address
    const ct2 = (
      await launch(alice, { name: 'nv-ct2', type: 'lxc', template: LXC_TEMPLATE, networkIds: [other.id] })
    ).instance;
    const clash = await alice.post<ErrorBody>(`/api/v1/instances/${ct2.id}/nics`, {
      networkId: priv.id,
      ip: '10.92.0.2',
    });
    expect(clash.status, clash.text).toBe(409);
    expect(clash.body.error.code).toBe('ip_in_use');
    // it serves its own network only
    const wrong = await alice.post<ErrorBody>('/api/v1/route-tables', {
      name: 'wrong-net',
      routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: nat.id }],
      networkIds: [other.id],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('route_target_unreachable');
    const busy = await alice.delete<ErrorBody>(`/api/v1/nat-gateways/${nat.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('nat_gateway_in_use');
  });

  it('health job: a lost container is marked unhealthy and re-created with the same addresses', async () => {
    const nats = t.ctx.app.modules.networks.natGateways;
    expect(await nats.checkHealth()).toEqual([]);
    const client = t.ctx.app.services.proxmox!.client;
    const lost = nat.vmid!;
    // someone destroys the container behind ProxiCloud's back
    const api = client.node(nat.node!).guest('lxc', lost);
    await client.tasks.wait(nat.node!, await api.stop({}));
    await client.tasks.wait(nat.node!, await api.delete({ purge: true }));
    expect(guest(lost)).toBeUndefined();
    expect(await nats.checkHealth()).toEqual([nat.id]);
    const marked = (await alice.get<Nat>(`/api/v1/nat-gateways/${nat.id}`)).body;
    expect(marked.health).toBe('unhealthy');
    expect(marked.statusReason).toMatch(/gone; re-creating/);
    expect(marked.activeOperationId).toBeTruthy();
    const op = await waitOp(alice, marked.activeOperationId!);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const back = (await alice.get<Nat>(`/api/v1/nat-gateways/${nat.id}`)).body;
    expect(back).toMatchObject({
      status: 'available',
      health: 'healthy',
      statusReason: null,
      privateAddress: '10.92.0.2',
      publicAddress: '203.0.113.10',
    });
    const g = guest(back.vmid)!;
    expect(g.status).toBe('running');
    expect(g.config.net1).toMatch(/ip=203\.0\.113\.10\/24/);
    expect(g.guestFiles?.[SETUP]?.data).toContain('masquerade');
    nat = back;
    // a healthy pass changes nothing
    expect(await nats.checkHealth()).toEqual([]);
    // a stopped container is not serving either: re-created the same way
    await client.tasks.wait(nat.node!, await client.node(nat.node!).guest('lxc', nat.vmid!).stop({}));
    expect(await nats.checkHealth()).toEqual([nat.id]);
    const stopped = (await alice.get<Nat>(`/api/v1/nat-gateways/${nat.id}`)).body;
    expect(stopped.statusReason).toMatch(/is stopped; re-creating/);
    expect((await waitOp(alice, stopped.activeOperationId!)).status).toBe('succeeded');
    nat = (await alice.get<Nat>(`/api/v1/nat-gateways/${nat.id}`)).body;
    expect(nat).toMatchObject({ health: 'healthy', publicAddress: '203.0.113.10' });
    expect(guest(nat.vmid)?.status).toBe('running');
  });

  it('delete tears the container down once no route targets it', async () => {
    const del = await alice.delete(`/api/v1/route-tables/${tableId}`);
    expect(del.status).toBe(204);
    expect((await bob.delete(`/api/v1/nat-gateways/${nat.id}`)).status).toBe(404);
    const res = await alice.delete<Op>(`/api/v1/nat-gateways/${nat.id}`);
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(guest(nat.vmid)).toBeUndefined();
    expect((await alice.get(`/api/v1/nat-gateways/${nat.id}`)).status).toBe(404);
    // its addresses are free again
    const { nat: n, op: op2 } = await createNat({
      name: 'again',
      networkId: priv.id,
      publicAddress: '203.0.113.10',
    });
    expect(op2.status, JSON.stringify(op2.error)).toBe('succeeded');
    expect(n.privateAddress).toBe('10.92.0.2');
  });
});
