import { describe, expect, it } from 'vitest';
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
}
interface Rtb {
  id: string;
  name: string;
  isDefault: boolean;
  routes: {
    destinationCidr: string;
    targetType: string;
    targetId: string | null;
    targetName: string | null;
  }[];
  networkIds: string[];
  effectiveNetworks: { id: string; name: string }[];
  localRoutes: { destinationCidr: string; targetType: string }[];
  statusReason: string | null;
  activeOperationId: string | null;
}
type InstNet = Inst & { nics: { networkId: string; ip: string }[] };

const guest = (vmid: number | null) => t.sim.inspect().guests.find((g) => g.vmid === vmid)!;

async function createNet(client: TestClient, body: Record<string, unknown>): Promise<Net> {
  const res = await client.post<Net & ErrorBody & { activeOperationId: string }>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  const op = await waitOp(client, res.body.activeOperationId);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return res.body;
}

async function settled(client: TestClient, rtb: Rtb): Promise<Rtb> {
  if (rtb.activeOperationId) {
    const op: Op = await waitOp(client, rtb.activeOperationId);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  }
  return (await client.get<Rtb>(`/api/v1/route-tables/${rtb.id}`)).body;
}

let a: Net;
let b: Net;
let router: InstNet;
let vmA: InstNet;
let ctA: InstNet;
let table: Rtb;

describe('route tables', () => {
  it('gives every owner a default table that all their networks use', async () => {
    a = await createNet(alice, { name: 'rt-a', cidr: '10.80.0.0/24' });
    b = await createNet(alice, { name: 'rt-b', cidr: '10.81.0.0/24' });
    router = (await launch(alice, { name: 'rt-router', networkIds: [a.id, b.id] })).instance as InstNet;
    vmA = (await launch(alice, { name: 'rt-vm', networkIds: [a.id] })).instance as InstNet;
    ctA = (await launch(alice, { name: 'rt-ct', type: 'lxc', template: LXC_TEMPLATE, networkIds: [a.id] }))
      .instance as InstNet;
    const list = await alice.get<{ items: Rtb[] }>('/api/v1/route-tables');
    expect(list.status, list.text).toBe(200);
    const main = list.body.items.find((x) => x.isDefault)!;
    expect(main.name).toBe('main');
    expect(main.routes).toEqual([]);
    expect(main.effectiveNetworks.map((n) => n.name).sort()).toEqual(['rt-a', 'rt-b']);
    expect(main.localRoutes.map((r) => [r.destinationCidr, r.targetType]).sort()).toEqual([
      ['10.80.0.0/24', 'local'],
      ['10.81.0.0/24', 'local'],
    ]);
    // bob has his own default table and cannot see alice's
    const bobs = await bob.get<{ items: Rtb[] }>('/api/v1/route-tables');
    expect(bobs.body.items.map((x) => x.id)).not.toContain(main.id);
    expect((await bob.get<ErrorBody>(`/api/v1/route-tables/${main.id}`)).status).toBe(404);
  });

  it('refuses bad routes with a clear 4xx and creates nothing', async () => {
    const bobVm = (await launch(bob, { name: 'bob-vm' })).instance;
    const before = (await alice.get<{ total: number }>('/api/v1/route-tables')).body.total;
    const route = (destinationCidr: string, targetId = router.id) => ({
      destinationCidr,
      targetType: 'instance',
      targetId,
    });
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [
        { name: 'x', networkIds: [a.id], routes: [route('10.80.0.0/16')] },
        400,
        'route_overlaps_network',
        /overlaps network 'rt-a'/,
      ],
      [
        { name: 'x', routes: [route('10.99.0.1/16')] },
        400,
        'invalid_route',
        /host bits set: the network address is 10\.99\.0\.0\/16/,
      ],
      [{ name: 'x', routes: [route('10.99.0.0/33')] }, 400, 'invalid_route', /not an IPv4 CIDR/],
      [
        { name: 'x', routes: [route('10.99.0.0/16'), route('10.99.0.0/16')] },
        400,
        'invalid_route',
        /Two routes/,
      ],
      [{ name: 'x', routes: [route('10.99.0.0/16', 'i-nope')] }, 404, 'not_found', /i-nope/],
      [{ name: 'x', routes: [route('10.99.0.0/16', bobVm.id)] }, 404, 'not_found', /Instance/],
      [
        { name: 'x', networkIds: [b.id], routes: [route('10.99.0.0/16', vmA.id)] },
        400,
        'route_target_unreachable',
        /no NIC on network 'rt-b'/,
      ],
      [{ name: 'main', routes: [] }, 409, 'name_taken', /already have a route table named 'main'/],
    ];
    for (const [body, status, code, msg] of cases) {
      const res = await alice.post<ErrorBody>('/api/v1/route-tables', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(msg);
    }
    // bob cannot associate alice's network
    const foreign = await bob.post<ErrorBody>('/api/v1/route-tables', { name: 'mine', networkIds: [a.id] });
    expect(foreign.status).toBe(404);
    expect((await alice.get<{ total: number }>('/api/v1/route-tables')).body.total).toBe(before);
  });

  it('pushes routes to the running guests of associated networks, through the router NIC', async () => {
    const res = await alice.post<Rtb & ErrorBody>('/api/v1/route-tables', {
      name: 'via-router',
      networkIds: [a.id],
      routes: [{ destinationCidr: '10.99.0.0/16', targetType: 'instance', targetId: router.id }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.activeOperationId).toBeTruthy();
    table = await settled(alice, res.body);
    expect(table).toMatchObject({ networkIds: [a.id], statusReason: null, activeOperationId: null });
    expect(table.routes).toEqual([
      {
        id: expect.any(String),
        destinationCidr: '10.99.0.0/16',
        targetType: 'instance',
        targetId: router.id,
        targetName: 'rt-router',
      },
    ]);
    const hop = router.nics.find((n) => n.networkId === a.id)!.ip;
    const want = [{ dst: '10.99.0.0/16', via: hop, proto: '250' }];
    expect(guest(vmA.vmid).guestRoutes).toEqual(want); // VM: through the QEMU guest agent
    expect(guest(ctA.vmid).guestRoutes).toEqual(want); // container: pct exec over the host agent
    expect(guest(router.vmid).guestRoutes ?? []).toEqual([]); // the router does not route through itself
    // the default table no longer serves rt-a
    const main = (await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items.find(
      (x) => x.isDefault,
    )!;
    expect(main.effectiveNetworks.map((n) => n.name)).toEqual(['rt-b']);
  });

  it('replaces routes on the next change: new ones added, removed ones deleted, no restart', async () => {
    const started = guest(vmA.vmid).startedAt;
    const res = await alice.put<Rtb & ErrorBody>(`/api/v1/route-tables/${table.id}`, {
      routes: [
        { destinationCidr: '10.98.0.0/16', targetType: 'instance', targetId: router.id },
        { destinationCidr: '192.168.50.0/24', targetType: 'instance', targetId: router.id },
      ],
    });
    expect(res.status, res.text).toBe(200);
    table = await settled(alice, res.body);
    const hop = router.nics.find((n) => n.networkId === a.id)!.ip;
    for (const g of [guest(vmA.vmid), guest(ctA.vmid)])
      expect(g.guestRoutes).toEqual([
        { dst: '10.98.0.0/16', via: hop, proto: '250' },
        { dst: '192.168.50.0/24', via: hop, proto: '250' },
      ]);
    expect(guest(vmA.vmid).startedAt).toBe(started);
  });

  it('reports guests it could not reach instead of pretending', async () => {
    t.sim.guestAgent(vmA.vmid!, { available: false });
    const res = await alice.put<Rtb & ErrorBody>(`/api/v1/route-tables/${table.id}`, {
      routes: [{ destinationCidr: '10.98.0.0/16', targetType: 'instance', targetId: router.id }],
    });
    expect(res.status, res.text).toBe(200);
    table = await settled(alice, res.body);
    expect(table.statusReason).toMatch(/rt-vm: .*guest agent is not running/);
    t.sim.guestAgent(vmA.vmid!, { available: true });
    expect(guest(ctA.vmid).guestRoutes?.map((r) => r.dst)).toEqual(['10.98.0.0/16']);
  });

  it('gives guests that start later their routes (launches, restarts) through the reconcile pass', async () => {
    const tables = t.ctx.app.modules.networks.routeTables;
    // a restart empties the guest's routing table (routes live in its kernel)
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${ctA.id}/stop`, {});
    expect(stop.status, stop.text).toBe(202);
    await waitOp(alice, stop.body.operation.id);
    expect(guest(ctA.vmid).guestRoutes).toBeUndefined();
    const start = await alice.post<{ operation: Op }>(`/api/v1/instances/${ctA.id}/start`, {});
    expect(start.status, start.text).toBe(202);
    await waitOp(alice, start.body.operation.id);
    const late = (await launch(alice, { name: 'rt-late', networkIds: [a.id] })).instance as InstNet;
    const out = await tables.reconcile(new Map([[ctA.vmid!, 'boot-2']]));
    expect(out.failed).toEqual([]);
    const hop = router.nics.find((n) => n.networkId === a.id)!.ip;
    for (const g of [guest(ctA.vmid), guest(late.vmid)])
      expect(g.guestRoutes).toEqual([{ dst: '10.98.0.0/16', via: hop, proto: '250' }]);
    // nothing changed since: the next pass pushes nothing
    expect((await tables.reconcile(new Map([[ctA.vmid!, 'boot-2']]))).pushed).toBe(0);
  });

  it('refuses to delete the default table; deleting another puts its networks back on the default', async () => {
    const main = (await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items.find(
      (x) => x.isDefault,
    )!;
    const del = await alice.delete<ErrorBody>(`/api/v1/route-tables/${main.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('default_route_table');
    expect((await bob.delete<ErrorBody>(`/api/v1/route-tables/${table.id}`)).status).toBe(404);
    const ok = await alice.delete(`/api/v1/route-tables/${table.id}`);
    expect(ok.status).toBe(204);
    for (let i = 0; i < 200 && (guest(ctA.vmid).guestRoutes?.length ?? 0) > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(guest(ctA.vmid).guestRoutes).toEqual([]);
    const after = (await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items;
    expect(after.map((x) => x.name)).toEqual(['main']);
    expect(after[0]!.effectiveNetworks.map((n) => n.name).sort()).toEqual(['rt-a', 'rt-b']);
  });
});

describe('route tables and user deletion', () => {
  it('an untouched default table does not block deleting a user; a used one is handed over without a second default', async () => {
    const dave = await t.ctx.newUser({ role: 'operator' });
    const erin = await t.ctx.newUser({ role: 'operator' });
    await dave.get('/api/v1/route-tables'); // makes dave's default table
    await erin.get('/api/v1/route-tables');
    expect((await t.ctx.admin.delete(`/api/v1/users/${dave.user.id}`)).status).toBe(204);
    const res = await erin.post<{ id: string }>('/api/v1/route-tables', { name: 'main-copy' });
    expect(res.status).toBe(201);
    await erin.post('/api/v1/route-tables', { name: 'spare' });
    const blocked = await t.ctx.admin.delete(`/api/v1/users/${erin.user.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.text).toContain('"route_tables":2');
    const moved = await t.ctx.admin.delete(`/api/v1/users/${erin.user.id}?reassignTo=${bob.user.id}`);
    expect(moved.status, moved.text).toBe(204);
    const bobs = (await bob.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items;
    expect(bobs.filter((x) => x.isDefault)).toHaveLength(1);
    // sorted on both sides: the handed-over table's suffix is random (it sorted before or after 'main-copy')
    expect(bobs.map((x) => x.name).sort()).toEqual(
      ['main', `main-${erin.user.id.slice(-6)}`, 'main-copy', 'spare'].sort(),
    );
  });
});
