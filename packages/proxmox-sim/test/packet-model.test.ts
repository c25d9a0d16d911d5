import { describe, expect, it } from 'vitest';
import { guestNamespace, guestRuleset, hostNatRuleset, packetGuests } from '../src/packet-model.ts';
import type { SerializedState } from '../src/state.ts';

const state = {
  guests: [
    {
      vmid: 100,
      type: 'qemu',
      node: 'pve1',
      status: 'running',
      snapshots: {},
      config: {
        net0: 'virtio=BC:24:11:00:00:01,bridge=nweb,firewall=1',
        ipconfig0: 'ip=10.1.0.10/24,gw=10.1.0.1',
      },
      firewall: {
        options: { enable: 1, policy_in: 'DROP', policy_out: 'ACCEPT' },
        rules: [
          { pos: 0, type: 'group', action: 'sgweb', enable: 1 },
          { pos: 1, type: 'group', action: 'pcn-nweb', iface: 'net0', enable: 1 },
          { pos: 2, type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '9000', enable: 0 },
        ],
      },
    },
  ],
  firewall: {
    options: { enable: 1 },
    groups: {
      sgweb: {
        rules: [
          { pos: 0, type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '80:81', source: '+dc/sgapp-m' },
        ],
      },
      'pcn-nweb': { rules: [{ pos: 0, type: 'in', action: 'ACCEPT', source: '10.1.0.0/24' }] },
    },
    ipsets: { 'sgapp-m': { entries: [{ cidr: '10.1.0.11/32' }] } },
  },
  sdn: { zones: {}, vnets: { nweb: { current: { zone: 'pc' } } }, subnets: {} },
} as unknown as SerializedState;

describe('packet model (PVE firewall → nftables)', () => {
  it('finds guest NICs on applied VNets with their cloud-init addresses', () => {
    expect(packetGuests(state)).toEqual([
      {
        vmid: 100,
        ns: guestNamespace(100),
        nics: [{ slot: 0, vnet: 'nweb', ip: '10.1.0.10', bits: 24, gw: '10.1.0.1' }],
      },
    ]);
  });

  it('translates policies, group jumps (with iface), IP sets, port ranges; skips disabled rules', () => {
    const rs = guestRuleset(state, 100, packetGuests(state)[0]!.nics);
    expect(rs).toContain('set s_sgapp_m { type ipv4_addr; flags interval; elements = { 10.1.0.11/32 }; }');
    expect(rs).toContain('ip saddr @s_sgapp_m tcp dport { 80-81 } accept');
    expect(rs).toContain('iifname "eth0" jump g_pcn_nweb_in');
    expect(rs).toContain('type filter hook input priority 0; policy drop;');
    expect(rs).toContain('type filter hook output priority 0; policy accept;');
    expect(rs).toContain('ct state established,related accept');
    expect(rs).not.toContain('9000');
  });

  it('filters nothing while the datacenter firewall is off (PVE semantics)', () => {
    const off = { ...state, firewall: { ...state.firewall, options: { enable: 0 } } } as SerializedState;
    const rs = guestRuleset(off, 100, packetGuests(off)[0]!.nics);
    expect(rs).toContain('hook input priority 0; policy accept;');
    expect(rs).not.toContain('jump');
  });

  it('splits mixed IP sets into v4 and v6 halves and matches IPv6 peers with ip6 (ICMPv6 too)', () => {
    const mixed = structuredClone(state) as SerializedState;
    mixed.firewall.ipsets = { 'sgapp-m': { entries: [{ cidr: '10.1.0.11/32' }, { cidr: 'fd00::11/128' }] } };
    mixed.firewall.groups.sgweb!.rules.push(
      { pos: 1, type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '22', source: '2001:db8::/32' } as never,
      { pos: 2, type: 'in', action: 'ACCEPT', proto: 'ipv6-icmp' } as never,
    );
    const rs = guestRuleset(mixed, 100, packetGuests(mixed)[0]!.nics);
    expect(rs).toContain('set s_sgapp_m { type ipv4_addr; flags interval; elements = { 10.1.0.11/32 }; }');
    expect(rs).toContain('set s_sgapp_m_6 { type ipv6_addr; flags interval; elements = { fd00::11/128 }; }');
    expect(rs).toContain('ip6 saddr @s_sgapp_m_6 tcp dport { 80-81 } accept');
    expect(rs).toContain('ip6 saddr 2001:db8::/32 tcp dport { 22 } accept');
    expect(rs).not.toContain('ip saddr 2001:db8::/32');
    expect(rs).toContain('meta nfproto ipv6 meta l4proto ipv6-icmp accept');
  });

  it('ipfilter: a NIC sends only from its ipfilter-net<N> addresses (an absent set drops IPv4)', () => {
    const f = structuredClone(state) as SerializedState;
    const g = f.guests[0]!;
    g.firewall.options.ipfilter = 1;
    let rs = guestRuleset(f, 100, packetGuests(f)[0]!.nics);
    expect(rs).toContain('oifname "eth0" meta nfproto ipv4 drop');
    g.firewall.ipsets = {
      'ipfilter-net0': { entries: [{ cidr: '10.1.0.10/32' }, { cidr: 'fd00::10/128' }] },
    };
    rs = guestRuleset(f, 100, packetGuests(f)[0]!.nics);
    expect(rs).toContain('oifname "eth0" ip saddr != { 10.1.0.10/32 } drop');
    // before the established/related accept: a spoofed packet never belongs to a connection
    expect(rs.indexOf('ip saddr != { 10.1.0.10/32 } drop')).toBeLessThan(
      rs.lastIndexOf('ct state established'),
    );
    // PVE filters a NIC whose ipfilter-net<N> set exists even with the option off (per-NIC check)
    g.firewall.options.ipfilter = 0;
    expect(guestRuleset(f, 100, packetGuests(f)[0]!.nics)).toContain('oifname "eth0" ip saddr != {');
    delete g.firewall.ipsets!['ipfilter-net0'];
    expect(guestRuleset(f, 100, packetGuests(f)[0]!.nics)).not.toContain('saddr !=');
  });

  it('egress: out rules of a NIC group (ACCEPT to a set, DROP the rest) on that NIC; node SNAT per subnet', () => {
    const e = structuredClone(state) as SerializedState;
    e.firewall.groups['pcn-nweb']!.rules.push(
      { pos: 1, type: 'out', action: 'ACCEPT', dest: '+dc/pc-networks' } as never,
      { pos: 2, type: 'out', action: 'DROP' } as never,
    );
    e.firewall.ipsets!['pc-networks'] = { entries: [{ cidr: '10.1.0.0/24' }] } as never;
    const rs = guestRuleset(e, 100, packetGuests(e)[0]!.nics);
    expect(rs).toContain('oifname "eth0" jump g_pcn_nweb_out');
    const chain = rs.slice(rs.indexOf('chain g_pcn_nweb_out {'));
    expect(chain.slice(0, chain.indexOf('}'))).toMatch(
      /ip daddr @s_pc_networks accept\n {4}ip6 daddr @s_pc_networks_6 accept\n {4}drop\n/,
    );
    e.sdn.subnets = {
      'pc-10.1.0.0-24': { current: { vnet: 'nweb', cidr: '10.1.0.0/24', snat: 1 } },
      'pc-10.2.0.0-24': { current: { vnet: 'nweb', cidr: '10.2.0.0/24' } },
    } as never;
    const nat = hostNatRuleset(e);
    expect(nat).toContain('oifname "up0" ip saddr 10.1.0.0/24 masquerade');
    expect(nat).not.toContain('10.2.0.0/24');
  });
});
