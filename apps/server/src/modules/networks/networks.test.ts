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
let reader: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  reader = await t.ctx.newUser({ role: 'readonly' });
});

interface Net {
  id: string;
  name: string;
  cidr: string;
  gateway: string;
  vnet: string;
  zone: string;
  status: string;
  dhcp: { start: string; end: string } | null;
  activeOperationId: string | null;
  usableAddresses: number;
  instances?: { id: string; name: string; ip: string }[];
}
interface Sg {
  id: string;
  name: string;
  pveGroup: string;
  rules: { id: string; direction: string; protocol: string; fromPort?: number }[];
}
type InstNet = Inst & { nics: { networkId: string; mac: string; ip: string }[]; securityGroupIds: string[] };

const state = () => t.sim.inspect();
const api = () => t.ctx.app.services.pve().client.api;

async function createNet(client: TestClient, body: Record<string, unknown>): Promise<Net> {
  const res = await client.post<Net & ErrorBody>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  expect(res.body.status).toBe('creating');
  const op = await waitOp(client, res.body.activeOperationId!);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return (await client.get<Net>(`/api/v1/networks/${res.body.id}`)).body;
}

async function createSg(client: TestClient, body: Record<string, unknown>): Promise<Sg> {
  const res = await client.post<Sg & ErrorBody>('/api/v1/security-groups', body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

let web: Net;
let db: Net;

describe('networks', () => {
  it('creates a VNet + subnet in the managed zone, applied, with a same-network firewall group', async () => {
    web = await createNet(alice, { name: 'web', cidr: '10.50.0.0/24', snat: true, tags: { env: 'prod' } });
    expect(web).toMatchObject({
      status: 'available',
      gateway: '10.50.0.1',
      zone: 'pcloud',
      usableAddresses: 254,
    });
    expect(web.vnet.length).toBeLessThanOrEqual(8);
    expect(web.dhcp).toEqual({ start: '10.50.0.10', end: '10.50.0.253' });
    const s = state();
    expect(s.sdn.zones.pcloud?.current).toMatchObject({ type: 'simple', ipam: 'pve', dhcp: 'dnsmasq' });
    expect(s.sdn.vnets[web.vnet]?.current).toMatchObject({ zone: 'pcloud', alias: 'web' });
    const subnet = Object.values(s.sdn.subnets).find((x) => x.current?.vnet === web.vnet)?.current;
    expect(subnet).toMatchObject({ cidr: '10.50.0.0/24', gateway: '10.50.0.1', snat: 1 });
    expect(s.sdn.lock).toBeUndefined();
    expect(s.firewall.groups[`pcn-${web.vnet}`]?.rules).toEqual([
      expect.objectContaining({ type: 'in', action: 'ACCEPT', source: '10.50.0.0/24' }),
    ]);
    db = await createNet(alice, { name: 'db', cidr: '10.51.0.0/24', dhcp: false });
    expect(db.dhcp).toBeNull();
  });

  it('refuses bad CIDRs, gateways, ranges and overlaps with a clear 4xx and writes nothing', async () => {
    const before = JSON.stringify(state().sdn);
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ name: 'x1', cidr: '10.60.0.0/33' }, 400, /not an IPv4 CIDR/],
      [{ name: 'x2', cidr: '10.60.0.7/24' }, 400, /host bits set: the network address is 10\.60\.0\.0\/24/],
      [{ name: 'x3', cidr: '10.60.0.0/30' }, 400, /out of range/],
      [{ name: 'x4', cidr: '10.60.0.0/24', gateway: '10.61.0.1' }, 400, /outside/],
      [{ name: 'x5', cidr: '10.60.0.0/24', gateway: '10.60.0.255' }, 400, /broadcast/],
      [{ name: 'x6', cidr: '10.60.0.0/24', dhcp: { start: '10.60.0.50', end: '10.60.0.20' } }, 400, /ends/],
      [{ name: 'x7', cidr: '10.50.0.128/25' }, 409, /overlaps your network 'web'/],
      [{ name: 'web', cidr: '10.70.0.0/24' }, 409, /already have a network named 'web'/],
      [{ name: 'x8', cidr: '10.60.0.0/24', ipv6Cidr: 'fd00::1::/64' }, 400, /IPv6/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await alice.post<ErrorBody>('/api/v1/networks', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toMatch(msg);
    }
    expect(JSON.stringify(state().sdn)).toBe(before);
    // another owner may use the same block
    const same = await bob.post<Net>('/api/v1/networks', { name: 'bobnet', cidr: '10.50.0.0/24' });
    expect(same.status).toBe(201);
    await waitOp(bob, same.body.activeOperationId!);
  });

  it("hides other users' networks (404) and lets ReadOnly read only", async () => {
    expect((await bob.get(`/api/v1/networks/${web.id}`)).status).toBe(404);
    expect((await bob.delete(`/api/v1/networks/${web.id}`)).status).toBe(404);
    expect((await bob.put(`/api/v1/networks/${web.id}`, { name: 'mine' })).status).toBe(404);
    const list = await bob.get<{ items: Net[] }>('/api/v1/networks');
    expect(list.body.items.map((n) => n.name)).toEqual(['bobnet']);
    expect((await reader.get('/api/v1/networks')).status).toBe(200);
    expect((await reader.post('/api/v1/networks', { name: 'r', cidr: '10.99.0.0/24' })).status).toBe(403);
    expect((await reader.post('/api/v1/security-groups', { name: 'r' })).status).toBe(403);
  });

  it('changes SNAT through an applied SDN operation and refuses a CIDR change', async () => {
    const res = await alice.put<Net & ErrorBody>(`/api/v1/networks/${db.id}`, {
      snat: true,
      name: 'database',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toBe('database');
    await waitOp(alice, res.body.activeOperationId!);
    const subnet = Object.values(state().sdn.subnets).find((x) => x.current?.vnet === db.vnet)?.current;
    expect(subnet?.snat).toBe(1);
    const bad = await alice.put<ErrorBody>(`/api/v1/networks/${db.id}`, { cidr: '10.52.0.0/24' });
    expect(bad.status).toBe(422);
  });
});

let ssh: Sg;
let app: Sg;
let vm1: InstNet;
let vm2: InstNet;

describe('security groups', () => {
  it('compiles rules into a PVE cluster security group with a member IP set', async () => {
    ssh = await createSg(alice, {
      name: 'ssh',
      description: 'admin access',
      rules: [
        { direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '192.168.1.0/24', description: 'lan' },
        { direction: 'inbound', protocol: 'icmp', cidr: '0.0.0.0/0' },
      ],
    });
    expect(ssh.pveGroup.length).toBeLessThanOrEqual(18);
    const g = state().firewall.groups[ssh.pveGroup];
    expect(g?.rules.map((r) => [r.type, r.action, r.proto, r.dport, r.source])).toEqual([
      ['in', 'ACCEPT', 'tcp', '22', '192.168.1.0/24'],
      ['in', 'ACCEPT', 'icmp', undefined, undefined],
    ]);
    expect(state().firewall.ipsets?.[`${ssh.pveGroup}-m`]?.entries).toEqual([]);
    app = await createSg(alice, {
      name: 'app',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 8080, sourceSecurityGroupId: ssh.id }],
    });
    expect(state().firewall.groups[app.pveGroup]?.rules[0]).toMatchObject({
      source: `+dc/${ssh.pveGroup}-m`,
    });
  });

  it('refuses bad rules, loops and foreign groups, writing nothing', async () => {
    const bobSg = await createSg(bob, { name: 'bobs' });
    const before = JSON.stringify(state().firewall);
    const bad: [Record<string, unknown>, number, RegExp][] = [
      [{ direction: 'inbound', protocol: 'tcp', fromPort: 0, cidr: '0.0.0.0/0' }, 400, /1 to 65535/],
      [{ direction: 'inbound', protocol: 'tcp', fromPort: 70000, cidr: '0.0.0.0/0' }, 400, /1 to 65535/],
      [{ direction: 'inbound', protocol: 'icmp', fromPort: 8, cidr: '0.0.0.0/0' }, 400, /no ports/],
      [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '10.0.0.0/33' }, 400, /not an IPv4 CIDR/],
    ];
    for (const [rule, status, msg] of bad) {
      const res = await alice.put<ErrorBody>(`/api/v1/security-groups/${ssh.id}`, { rules: [rule] });
      expect(res.status, JSON.stringify(rule)).toBe(status);
      expect(res.body.error.message).toMatch(msg);
    }
    const loop = await alice.put<ErrorBody>(`/api/v1/security-groups/${ssh.id}`, {
      rules: [{ direction: 'inbound', protocol: 'all', sourceSecurityGroupId: app.id }],
    });
    expect(loop.status).toBe(400);
    expect(loop.body.error.message).toMatch(/loop: .*→.*→/);
    const self = await alice.put<ErrorBody>(`/api/v1/security-groups/${ssh.id}`, {
      rules: [{ direction: 'inbound', protocol: 'all', sourceSecurityGroupId: ssh.id }],
    });
    expect(self.status).toBe(400);
    const foreign = await alice.post<ErrorBody>('/api/v1/security-groups', {
      name: 'uses-bob',
      rules: [{ direction: 'inbound', protocol: 'all', sourceSecurityGroupId: bobSg.id }],
    });
    expect(foreign.status).toBe(404);
    expect((await bob.get(`/api/v1/security-groups/${ssh.id}`)).status).toBe(404);
    expect(JSON.stringify(state().firewall)).toBe(before);
    const names = (await alice.get<{ items: Sg[] }>('/api/v1/security-groups')).body.items.map((g) => g.name);
    expect(names).toEqual(['app', 'ssh']);
  });
});

describe('instances on networks', () => {
  it('launches with NICs on networks and security groups: VNet bridges, IPAM, cloud-init, guest firewall', async () => {
    const { instance, op } = await launch(alice, {
      name: 'net-vm1',
      networkIds: [web.id, db.id],
      securityGroupIds: [ssh.id],
    });
    vm1 = instance as InstNet;
    expect(op.steps.map((s) => s.name)).toContain('networks');
    expect(vm1.nics.map((n) => n.networkId)).toEqual([web.id, db.id]);
    expect(vm1.nics[0]!.ip).toBe('10.50.0.10');
    expect(vm1.nics[1]!.ip).toBe('10.51.0.2');
    expect(vm1.securityGroupIds).toEqual([ssh.id]);
    const g = state().guests.find((x) => x.vmid === vm1.vmid)!;
    expect(g.config.net0).toBe(`virtio=${vm1.nics[0]!.mac},bridge=${web.vnet},firewall=1`);
    expect(g.config.net1).toContain(`bridge=${db.vnet}`);
    expect(g.config.ipconfig0).toBe('ip=10.50.0.10/24,gw=10.50.0.1');
    expect(g.config.ipconfig1).toBe('ip=10.51.0.2/24');
    expect(g.firewall.options).toMatchObject({ enable: 1, policy_in: 'DROP', policy_out: 'ACCEPT' });
    // network groups first: their egress rules decide before a security group's outbound ACCEPT
    expect(g.firewall.rules.map((r) => [r.type, r.action, r.iface])).toEqual([
      ['group', `pcn-${web.vnet}`, 'net0'],
      ['group', `pcn-${db.vnet}`, 'net1'],
      ['group', ssh.pveGroup, undefined],
    ]);
    expect(state().sdn.ips?.[web.vnet]).toEqual([{ ip: '10.50.0.10', mac: vm1.nics[0]!.mac }]);
    expect(
      state()
        .firewall.ipsets?.[`${ssh.pveGroup}-m`]?.entries.map((e) => e.cidr)
        .sort(),
    ).toEqual(['10.50.0.10/32', '10.51.0.2/32']);
    const detail = await alice.get<Net>(`/api/v1/networks/${web.id}`);
    expect(detail.body.instances).toEqual([
      { id: vm1.id, name: 'net-vm1', ip: '10.50.0.10', mac: vm1.nics[0]!.mac },
    ]);
  });

  it("refuses a launch on another user's network or group (404) before anything is created", async () => {
    const guests = state().guests.length;
    const res = await bob.post<ErrorBody>('/api/v1/instances', {
      name: 'sneaky',
      type: 'vm',
      template: 'debian-12',
      instanceType: 't.nano',
      networkIds: [web.id],
    });
    expect(res.status).toBe(404);
    const res2 = await bob.post<ErrorBody>('/api/v1/instances', {
      name: 'sneaky',
      type: 'vm',
      template: 'debian-12',
      instanceType: 't.nano',
      securityGroupIds: [ssh.id],
    });
    expect(res2.status).toBe(404);
    expect(state().guests.length).toBe(guests);
  });

  it('applies one rule change to every attached instance without touching the guests', async () => {
    const guestRulesBefore = JSON.stringify(state().guests.find((x) => x.vmid === vm1.vmid)!.firewall);
    const res = await alice.put<Sg>(`/api/v1/security-groups/${ssh.id}`, {
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 2222, cidr: '192.168.1.0/24' }],
    });
    expect(res.status).toBe(200);
    expect(state().firewall.groups[ssh.pveGroup]?.rules.map((r) => r.dport)).toEqual(['2222']);
    expect(JSON.stringify(state().guests.find((x) => x.vmid === vm1.vmid)!.firewall)).toBe(guestRulesBefore);
  });

  it('keeps group-to-group IP sets current as instances join and leave', async () => {
    const { instance } = await launch(alice, {
      name: 'net-vm2',
      networkIds: [web.id],
      securityGroupIds: [app.id],
    });
    vm2 = instance as InstNet;
    expect(vm2.nics[0]!.ip).toBe('10.50.0.11');
    expect(state().firewall.ipsets?.[`${app.pveGroup}-m`]?.entries.map((e) => e.cidr)).toEqual([
      '10.50.0.11/32',
    ]);
    // vm2 joins ssh too: ssh's member set grows
    const put = await alice.put<{ securityGroupIds: string[] } & ErrorBody>(
      `/api/v1/instances/${vm2.id}/security-groups`,
      { securityGroupIds: [app.id, ssh.id] },
    );
    expect(put.status, put.text).toBe(200);
    // an IP set is a set: PVE keeps entries in insertion order, which a drift repair may change
    expect(
      state()
        .firewall.ipsets?.[`${ssh.pveGroup}-m`]?.entries.map((e) => e.cidr)
        .sort(),
    ).toEqual(['10.50.0.10/32', '10.50.0.11/32', '10.51.0.2/32']);
    const g2 = state().guests.find((x) => x.vmid === vm2.vmid)!;
    expect(g2.firewall.rules.filter((r) => r.type === 'group').map((r) => r.action)).toEqual([
      `pcn-${web.vnet}`,
      app.pveGroup,
      ssh.pveGroup,
    ]);
    await alice.put(`/api/v1/instances/${vm2.id}/security-groups`, { securityGroupIds: [app.id] });
    expect(state().firewall.ipsets?.[`${ssh.pveGroup}-m`]?.entries).toHaveLength(2);
    const inUse = await alice.delete<ErrorBody>(`/api/v1/security-groups/${app.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toMatch(/net-vm2/);
  });

  it('attaches and detaches a NIC (fixed IP reserved in IPAM), refusing taken addresses', async () => {
    const taken = await alice.post<ErrorBody>(`/api/v1/instances/${vm2.id}/nics`, {
      networkId: db.id,
      ip: '10.51.0.2',
    });
    expect(taken.status).toBe(409);
    const gw = await alice.post<ErrorBody>(`/api/v1/instances/${vm2.id}/nics`, {
      networkId: db.id,
      ip: '10.51.0.1',
    });
    expect(gw.status).toBe(409);
    const outside = await alice.post<ErrorBody>(`/api/v1/instances/${vm2.id}/nics`, {
      networkId: db.id,
      ip: '10.9.0.5',
    });
    expect(outside.status).toBe(400);
    const res = await alice.post<InstNet & ErrorBody>(`/api/v1/instances/${vm2.id}/nics`, {
      networkId: db.id,
      ip: '10.51.0.40',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.nics.map((n) => [n.networkId, n.ip])).toEqual([
      [web.id, '10.50.0.11'],
      [db.id, '10.51.0.40'],
    ]);
    const g = state().guests.find((x) => x.vmid === vm2.vmid)!;
    expect(g.config.net1).toContain(`bridge=${db.vnet}`);
    expect(g.config.ipconfig1).toBe('ip=10.51.0.40/24');
    expect(
      state()
        .firewall.ipsets?.[`${app.pveGroup}-m`]?.entries.map((e) => e.cidr)
        .sort(),
    ).toEqual(['10.50.0.11/32', '10.51.0.40/32']);
    const busy = await alice.delete<ErrorBody>(`/api/v1/networks/${db.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/net-vm1, net-vm2|net-vm2, net-vm1/);
    const det = await alice.delete<InstNet>(`/api/v1/instances/${vm2.id}/nics/${db.id}`);
    expect(det.status).toBe(200);
    expect(det.body.nics).toHaveLength(1);
    const after = state().guests.find((x) => x.vmid === vm2.vmid)!;
    expect(after.config.net1).toBeUndefined();
    expect(state().sdn.ips?.[db.vnet]?.some((e) => e.ip === '10.51.0.40')).toBe(false);
    expect((await alice.delete(`/api/v1/instances/${vm2.id}/nics/${db.id}`)).status).toBe(404);
  });

  it('finds firewall drift made outside ProxiCloud and repairs it', async () => {
    const { vmid, node } = vm1 as { vmid: number; node: string };
    await api().putNodesQemuFirewallOptions({ node, vmid, enable: false, policy_in: 'ACCEPT' } as never);
    await api().deleteNodesQemuFirewallRulesByPos({ node, vmid, pos: 0 });
    await api().postNodesQemuFirewallRules({
      node,
      vmid,
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '3306',
    } as never);
    await api().deleteClusterFirewallGroupsByGroupByPos({ group: ssh.pveGroup, pos: 0 });
    const reconciler = t.ctx.app.modules.networks.reconciler;
    const dry = await reconciler.pass({ repair: false });
    const byId = new Map(dry.drift.map((d) => [d.id, d.problems]));
    expect(byId.get(vm1.id)).toEqual(
      expect.arrayContaining(['firewall disabled', 'policy_in ACCEPT', 'security-group rules changed']),
    );
    expect(byId.get(ssh.id)?.[0]).toMatch(/rules of .* differ/);
    const fixed = await reconciler.pass();
    expect(fixed.drift.every((d) => d.repaired)).toBe(true);
    const g = state().guests.find((x) => x.vmid === vmid)!;
    expect(g.firewall.options).toMatchObject({ enable: 1, policy_in: 'DROP' });
    expect(g.firewall.rules.some((r) => r.dport === '3306')).toBe(false);
    expect(g.firewall.rules.filter((r) => r.type === 'group')).toHaveLength(3);
    expect(state().firewall.groups[ssh.pveGroup]?.rules.map((r) => r.dport)).toEqual(['2222']);
    expect((await reconciler.pass({ repair: false })).drift).toEqual([]);
  });

  it('terminating frees addresses and memberships; then the network can be deleted', async () => {
    for (const i of [vm1, vm2]) {
      const res = await alice.delete<{ operation?: Op } & Op>(`/api/v1/instances/${i.id}?confirm=${i.id}`);
      expect(res.status, res.text).toBe(202);
      const opId = (res.body.operation ?? res.body).id;
      expect((await waitOp(alice, opId)).status).toBe('succeeded');
    }
    expect(state().firewall.ipsets?.[`${ssh.pveGroup}-m`]?.entries).toEqual([]);
    expect(state().sdn.ips?.[web.vnet]).toEqual([]);
    const del = await alice.delete<Op>(`/api/v1/networks/${db.id}`);
    expect(del.status).toBe(202);
    expect((await waitOp(alice, del.body.id)).status).toBe('succeeded');
    expect(state().sdn.vnets[db.vnet]).toBeUndefined();
    expect(state().firewall.groups[`pcn-${db.vnet}`]).toBeUndefined();
    expect((await alice.get(`/api/v1/networks/${db.id}`)).status).toBe(404);
    expect((await alice.delete(`/api/v1/security-groups/${app.id}`)).status).toBe(204);
    expect(state().firewall.groups[app.pveGroup]).toBeUndefined();
    expect(state().firewall.ipsets?.[`${app.pveGroup}-m`]).toBeUndefined();
  });
});
