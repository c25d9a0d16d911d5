/**
 * IPv6 on networks (static and SLAAC, cloud-init ip6/gw6, PVE IPAM, member IP sets, rules with
 * IPv6 peers) and PVE's ipfilter (anti-spoofing: `ipfilter-net<N>` = each NIC's addresses, drift
 * repaired by the reconciler).
 */
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
import { bigToIpv6, eui64, ipv6ToBig } from './networks.cidr.ts';

let t: ComputeTestContext;
let alice: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

interface Net {
  id: string;
  vnet: string;
  ipv6Cidr: string | null;
  ipv6Gateway: string | null;
  ipv6Mode: string | null;
  activeOperationId: string;
  status: string;
}
type Nic = { networkId: string; mac: string; ip: string; ip6?: string };
type InstNet = Inst & { nics: Nic[]; securityGroupIds: string[] };

const state = () => t.sim.inspect();
const slaacOf = (prefix: string, mac: string) => bigToIpv6(ipv6ToBig(prefix)! | eui64(mac));

async function createNet(body: Record<string, unknown>): Promise<Net> {
  const res = await alice.post<Net & ErrorBody>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  expect((await waitOp(alice, res.body.activeOperationId)).status).toBe('succeeded');
  return (await alice.get<Net>(`/api/v1/networks/${res.body.id}`)).body;
}

let v6: Net;
let slaac: Net;
let vm: InstNet;

describe('IPv6 networks', () => {
  it('refuses bad IPv6 prefixes and modes with a 4xx and writes nothing', async () => {
    const before = Object.keys(state().sdn.vnets).length;
    for (const [body, status, field] of [
      [{ ipv6Cidr: 'fd00:1::5/64' }, 400, 'ipv6Cidr'],
      [{ ipv6Cidr: 'fd00:1::/40' }, 400, 'ipv6Cidr'],
      [{ ipv6Cidr: 'fd00:zz::/64' }, 400, 'ipv6Cidr'],
      [{ ipv6Cidr: 'fd00:1::/80', ipv6Mode: 'slaac' }, 400, 'ipv6Mode'],
      [{ ipv6Mode: 'slaac' }, 400, 'ipv6Mode'],
    ] as const) {
      const res = await alice.post<ErrorBody>('/api/v1/networks', {
        name: 'bad6',
        cidr: '10.61.0.0/24',
        ...body,
      });
      expect(res.status, res.text).toBe(status);
      expect(res.body.error.details).toMatchObject({ field });
    }
    expect(Object.keys(state().sdn.vnets).length).toBe(before);
  });

  it('creates the IPv6 subnet with its gateway next to the IPv4 one; overlapping prefixes are refused', async () => {
    v6 = await createNet({ name: 'six', cidr: '10.62.0.0/24', ipv6Cidr: 'fd00:62::/64' });
    expect(v6).toMatchObject({ ipv6Cidr: 'fd00:62::/64', ipv6Gateway: 'fd00:62::1', ipv6Mode: 'static' });
    const subnets = Object.values(state().sdn.subnets)
      .map((s) => s.current as { vnet?: string; cidr?: string; gateway?: string } | undefined)
      .filter((s) => s?.vnet === v6.vnet);
    expect(subnets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ cidr: '10.62.0.0/24', gateway: '10.62.0.1' }),
        expect.objectContaining({ cidr: 'fd00:62::/64', gateway: 'fd00:62::1' }),
      ]),
    );
    const clash = await alice.post<ErrorBody>('/api/v1/networks', {
      name: 'clash6',
      cidr: '10.63.0.0/24',
      ipv6Cidr: 'fd00:62::/48',
    });
    expect(clash.status, clash.text).toBe(409);
    expect(clash.body.error.code).toBe('cidr_overlap');
    slaac = await createNet({
      name: 'auto6',
      cidr: '10.64.0.0/24',
      ipv6Cidr: 'fd00:64:0:1::/64',
      ipv6Mode: 'slaac',
    });
    expect(slaac.ipv6Mode).toBe('slaac');
  });

  it('gives NICs an IPv6 address (EUI-64 of the MAC), in cloud-init, IPAM, member sets and ipfilter', async () => {
    const sg = await alice.post<{ id: string; pveGroup: string } & ErrorBody>('/api/v1/security-groups', {
      name: 'v6-rules',
      rules: [
        { direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '2001:db8::/32' },
        { direction: 'inbound', protocol: 'icmp', cidr: '::/0' },
        { direction: 'inbound', protocol: 'icmp', cidr: '10.0.0.0/8' },
      ],
    });
    expect(sg.status, sg.text).toBe(201);
    const rules = state().firewall.groups[sg.body.pveGroup]!.rules;
    expect(rules.map((r) => [r.proto, r.source ?? null])).toEqual([
      ['tcp', '2001:db8::/32'],
      ['ipv6-icmp', null],
      ['icmp', '10.0.0.0/8'],
    ]);
    const bad = await alice.post<ErrorBody>('/api/v1/security-groups', {
      name: 'v6-bad',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '2001:db8::1/32' }],
    });
    expect(bad.status, bad.text).toBe(400);

    const { instance } = await launch(alice, {
      name: 'six-1',
      networkIds: [v6.id],
      securityGroupIds: [sg.body.id],
    });
    vm = (await alice.get<InstNet>(`/api/v1/instances/${instance.id}`)).body;
    const nic = vm.nics[0]!;
    expect(nic.ip6).toBe(slaacOf('fd00:62::', nic.mac));
    const g = state().guests.find((x) => x.vmid === Number(vm.vmid))!;
    expect(g.config.ipconfig0).toContain(`ip6=${nic.ip6}/64`);
    expect(g.config.ipconfig0).toContain('gw6=fd00:62::1');
    expect(g.config.ipconfig0).toContain(`ip=${nic.ip}/24`);
    expect(state().sdn.ips?.[v6.vnet]?.map((e) => e.ip)).toEqual(expect.arrayContaining([nic.ip, nic.ip6]));
    expect(
      state()
        .firewall.ipsets?.[`${sg.body.pveGroup}-m`]?.entries.map((e) => e.cidr)
        .sort(),
    ).toEqual([`${nic.ip}/32`, `${nic.ip6}/128`].sort());
    // anti-spoofing: ipfilter on, ipfilter-net0 = exactly the NIC's addresses
    expect(g.firewall.options.ipfilter).toBe(1);
    expect(g.firewall.ipsets?.['ipfilter-net0']?.entries.map((e) => e.cidr).sort()).toEqual(
      [`${nic.ip}/32`, `${nic.ip6}/128`].sort(),
    );
    const detail = await alice.get<{ instances: { ip6?: string }[] }>(`/api/v1/networks/${v6.id}`);
    expect(detail.body.instances[0]?.ip6).toBe(nic.ip6);
  });

  it('SLAAC networks write ip6=auto; a second NIC gets its own ipfilter set', async () => {
    const res = await alice.post<InstNet & ErrorBody>(`/api/v1/instances/${vm.id}/nics`, {
      networkId: slaac.id,
    });
    expect(res.status, res.text).toBe(201);
    const nic = res.body.nics.find((n) => n.networkId === slaac.id)!;
    expect(nic.ip6).toBe(slaacOf('fd00:64:0:1::', nic.mac));
    const g = state().guests.find((x) => x.vmid === Number(vm.vmid))!;
    expect(g.config.ipconfig1).toContain('ip6=auto');
    expect(g.config.ipconfig1).not.toContain('gw6');
    expect(g.firewall.ipsets?.['ipfilter-net1']?.entries.map((e) => e.cidr).sort()).toEqual(
      [`${nic.ip}/32`, `${nic.ip6}/128`].sort(),
    );
    const fixed = await alice.post<ErrorBody>(`/api/v1/instances/${vm.id}/nics`, {
      networkId: v6.id,
      ip6: 'fd00:62::99',
    });
    expect(fixed.status).toBe(409); // already a NIC on that network
  });

  it('the reconciler finds and repairs ipfilter drift; detaching and terminating free the addresses', async () => {
    const node = vm.node!;
    const vmid = Number(vm.vmid);
    const api = t.ctx.app.services.pve().client.api;
    const nic0 = vm.nics[0]!;
    await api.deleteNodesQemuFirewallIpsetByNameByCidr({
      node,
      vmid,
      name: 'ipfilter-net0',
      cidr: `${nic0.ip}/32`,
    });
    await api.postNodesQemuFirewallIpsetByName({ node, vmid, name: 'ipfilter-net0', cidr: '10.62.0.250' });
    await api.putNodesQemuFirewallOptions({ node, vmid, ipfilter: false } as never);
    const reconciler = t.ctx.app.modules.networks.reconciler;
    const dry = await reconciler.pass({ repair: false });
    expect(dry.drift.find((d) => d.id === vm.id)?.problems).toEqual(
      expect.arrayContaining(['ipfilter off', 'ipfilter IP sets differ from the NICs']),
    );
    await reconciler.pass();
    const g = state().guests.find((x) => x.vmid === vmid)!;
    expect(g.firewall.options.ipfilter).toBe(1);
    expect(g.firewall.ipsets?.['ipfilter-net0']?.entries.map((e) => e.cidr).sort()).toEqual(
      [`${nic0.ip}/32`, `${nic0.ip6}/128`].sort(),
    );
    expect((await reconciler.pass({ repair: false })).drift).toEqual([]);

    const det = await alice.delete<InstNet>(`/api/v1/instances/${vm.id}/nics/${slaac.id}`);
    expect(det.status, det.text).toBe(200);
    expect(state().guests.find((x) => x.vmid === vmid)!.firewall.ipsets?.['ipfilter-net1']).toBeUndefined();
    expect(state().sdn.ips?.[slaac.vnet]).toEqual([]);
    const del = await alice.delete<{ operation?: Op } & Op>(`/api/v1/instances/${vm.id}?confirm=${vm.id}`);
    expect(del.status, del.text).toBe(202);
    expect((await waitOp(alice, (del.body.operation ?? del.body).id)).status).toBe('succeeded');
    expect(state().sdn.ips?.[v6.vnet]).toEqual([]);
  });
});
