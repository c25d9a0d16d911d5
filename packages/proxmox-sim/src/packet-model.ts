/**
 * The "real packets" model of the simulated cluster (tests only; needs root, `ip` and `nft`):
 * every applied SDN VNet becomes a Linux bridge in one host namespace that also holds the
 * subnet gateways and routes between them (a PVE simple zone), every guest NIC on a VNet a veth
 * into the guest's own namespace, and the PVE firewall state the simulator holds (guest options
 * policy_in/policy_out, guest rules, cluster security groups, cluster IP sets) nftables rules in
 * that namespace with PVE's semantics: established/related accepted first, rules in order,
 * `group` rules jump into the group's rules for the same direction (limited to `iface`), the
 * policy last; with the guest option `ipfilter`, or with a guest IP set `ipfilter-net<N>` (PVE
 * filters that NIC even with the option off), a NIC may only send from the set's addresses
 * (anti-spoofing). Filtering happens where the guest's tap/veth meets the bridge in PVE; doing it
 * inside the guest namespace is equivalent for traffic to and from that guest.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FwRule, SerializedState } from './state.ts';

/**
 * Namespace names carry a tag of this process (and module instance): packet worlds of test files
 * running side by side, or of two test runs on one machine, never share or delete each other's.
 */
const NS_TAG = `pcsim${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
/** The namespace of guest `vmid` in this process's packet world. */
export const guestNamespace = (vmid: number): string => `${NS_TAG}-g${vmid}`;

export interface PacketGuest {
  vmid: number;
  ns: string;
  nics: { slot: number; vnet: string; ip: string; bits: number; gw?: string }[];
}

const sh = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, {
    stdio: input === undefined ? ['ignore', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    input,
  }).toString();

/** Whether this machine can run the packet tier (root, network namespaces, nft); why not otherwise. */
export function packetTierUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const bin of ['ip', 'nft', 'ping']) {
    try {
      sh('sh', ['-c', `command -v ${bin}`]);
    } catch {
      return `'${bin}' is not installed (apt-get install -y iproute2 nftables iputils-ping)`;
    }
  }
  try {
    sh('ip', ['netns', 'add', `${NS_TAG}-probe`]);
    sh('ip', ['netns', 'del', `${NS_TAG}-probe`]);
  } catch (e) {
    return `network namespaces are not available: ${(e as Error).message.split('\n')[0]}`;
  }
  return null;
}

/**
 * A rule's source/dest for one address family: an IP set (PVE splits mixed sets into v4 and v6
 * halves, so do we), or the family's CIDRs; null = the rule names none of this family.
 */
function addr(spec: string | undefined, v6: boolean): string | null {
  if (!spec) return null;
  const m = /^\+(?:dc\/|guest\/)?(.+)$/.exec(spec);
  if (m) return `@${setName(m[1]!)}${v6 ? '_6' : ''}`;
  const parts = spec.split(',').filter((p) => p.includes(':') === v6);
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0]! : `{ ${parts.join(', ')} }`;
}
const setName = (n: string) => `s_${n.replace(/[^A-Za-z0-9_]/g, '_')}`;
const chainName = (g: string, dir: 'in' | 'out') => `g_${g.replace(/[^A-Za-z0-9_]/g, '_')}_${dir}`;

function ruleLine(r: FwRule, dir: 'in' | 'out', nicName: (iface: string) => string | null): string | null {
  const lines = [false, true].flatMap((v6) => {
    const l = ruleLineOf(r, dir, nicName, v6);
    return l ? [l] : [];
  });
  return lines.length ? [...new Set(lines)].join('\n    ') : null;
}

function ruleLineOf(
  r: FwRule,
  dir: 'in' | 'out',
  nicName: (iface: string) => string | null,
  v6: boolean,
): string | null {
  if (r.enable !== undefined && Number(r.enable) === 0) return null;
  const parts: string[] = [];
  if (r.iface) {
    const n = nicName(r.iface);
    if (!n) return null;
    parts.push(`${dir === 'in' ? 'iifname' : 'oifname'} "${n}"`);
  }
  if (r.type === 'group') return `${parts.join(' ')} jump ${chainName(r.action, dir)}`.trim();
  if (r.type !== dir) return null;
  // a family the rule's peers do not name is not matched (a rule without peers matches both)
  const src = addr(r.source, v6);
  const dst = addr(r.dest, v6);
  if ((r.source && !src) || (r.dest && !dst)) return null;
  if (r.proto === 'icmp' && v6) return null;
  if ((r.proto === 'ipv6-icmp' || r.proto === 'icmpv6') && !v6) return null;
  const fam = v6 ? 'ip6' : 'ip';
  if (src) parts.push(`${fam} saddr ${src}`);
  if (dst) parts.push(`${fam} daddr ${dst}`);
  if (!src && !dst && r.proto && ['icmp', 'ipv6-icmp', 'icmpv6'].includes(r.proto))
    parts.push(`meta nfproto ${v6 ? 'ipv6' : 'ipv4'}`);
  if (r.proto) {
    if (r.dport) parts.push(`${r.proto} dport { ${r.dport.replace(/:/g, '-').split(',').join(', ')} }`);
    else parts.push(`meta l4proto ${r.proto === 'icmpv6' ? 'ipv6-icmp' : r.proto}`);
  }
  const verdict = r.action === 'ACCEPT' ? 'accept' : r.action === 'REJECT' ? 'reject' : 'drop';
  return `${parts.join(' ')} ${verdict}`.trim();
}

/** The nftables ruleset of one guest (its namespace), from the simulator's firewall state. */
export function guestRuleset(state: SerializedState, vmid: number, nics: PacketGuest['nics']): string {
  const g = state.guests.find((x) => x.vmid === vmid);
  if (!g) throw new Error(`no guest ${vmid}`);
  const o = { enable: 0, policy_in: 'DROP', policy_out: 'ACCEPT', ...g.firewall.options };
  const cluster = Number(state.firewall.options.enable ?? 0) === 1;
  const sets: Record<string, string[]> = {};
  for (const [name, s] of Object.entries(state.firewall.ipsets ?? {}))
    sets[name] = s.entries.map((e) => e.cidr);
  const nicName = (iface: string) => {
    const slot = /^net(\d+)$/.exec(iface)?.[1];
    return slot !== undefined && nics.some((n) => n.slot === Number(slot)) ? `eth${slot}` : null;
  };
  const lines: string[] = ['table inet pve {'];
  for (const [name, cidrs] of Object.entries(sets)) {
    for (const v6 of [false, true]) {
      const own = cidrs.filter((c) => c.includes(':') === v6);
      lines.push(
        `  set ${setName(name)}${v6 ? '_6' : ''} { type ${v6 ? 'ipv6_addr' : 'ipv4_addr'}; flags interval;${own.length ? ` elements = { ${own.join(', ')} };` : ''} }`,
      );
    }
  }
  for (const [name, grp] of Object.entries(state.firewall.groups))
    for (const dir of ['in', 'out'] as const) {
      lines.push(`  chain ${chainName(name, dir)} {`);
      for (const r of grp.rules) {
        const l = ruleLine(r, dir, nicName);
        if (l) lines.push(`    ${l}`);
      }
      lines.push('  }');
    }
  const active = Number(o.enable) === 1 && cluster;
  for (const dir of ['in', 'out'] as const) {
    const hook = dir === 'in' ? 'input' : 'output';
    const policy = active ? (dir === 'in' ? o.policy_in : o.policy_out) : 'ACCEPT';
    lines.push(
      `  chain ${hook} {`,
      `    type filter hook ${hook} priority 0; policy ${policy === 'ACCEPT' ? 'accept' : 'drop'};`,
    );
    if (active && dir === 'out') {
      // PVE's ipfilter (anti-spoofing): a NIC sends only from the addresses of its guest IP set
      // `ipfilter-net<N>` (for containers also the configured address). PVE filters a NIC when the
      // guest option is on (an absent set = none) or, with the option off, when the set exists
      const optionOn = Number(g.firewall.options.ipfilter ?? 0) === 1;
      for (const n of nics) {
        if (!optionOn && !g.firewall.ipsets?.[`ipfilter-net${n.slot}`]) continue;
        const allowed = (g.firewall.ipsets?.[`ipfilter-net${n.slot}`]?.entries ?? [])
          .filter((e) => !e.cidr.includes(':') && !e.nomatch)
          .map((e) => e.cidr);
        if (g.type === 'lxc') allowed.push(`${n.ip}/32`);
        lines.push(
          allowed.length
            ? `    oifname "eth${n.slot}" ip saddr != { ${allowed.join(', ')} } drop`
            : `    oifname "eth${n.slot}" meta nfproto ipv4 drop`,
        );
      }
    }
    if (active) {
      lines.push(
        '    ct state established,related accept',
        `    ${dir === 'in' ? 'iifname' : 'oifname'} "lo" accept`,
      );
      for (const r of g.firewall.rules) {
        const l = ruleLine(r, dir, nicName);
        if (l) lines.push(`    ${l}`);
      }
    }
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n');
}

/** Guests and their NICs on applied VNets (from `netN` bridge= and `ipconfigN` / LXC ip=). */
export function packetGuests(state: SerializedState): PacketGuest[] {
  const out: PacketGuest[] = [];
  for (const g of state.guests) {
    const nics: PacketGuest['nics'] = [];
    for (const [k, v] of Object.entries(g.config)) {
      const slot = /^net(\d+)$/.exec(k)?.[1];
      if (slot === undefined) continue;
      const vnet = /(?:^|,)bridge=([^,]+)/.exec(v)?.[1];
      if (!vnet || !state.sdn.vnets[vnet]?.current) continue;
      const ipc = g.config[`ipconfig${slot}`] ?? v;
      const ip = /(?:^|,)ip=([\d.]+)\/(\d+)/.exec(ipc);
      if (!ip) continue;
      const gw = /(?:^|,)gw=([\d.]+)/.exec(ipc)?.[1];
      nics.push({ slot: Number(slot), vnet, ip: ip[1]!, bits: Number(ip[2]), ...(gw ? { gw } : {}) });
    }
    if (nics.length) out.push({ vmid: g.vmid, ns: guestNamespace(g.vmid), nics });
  }
  return out;
}

/**
 * The node's uplink in the packet world: a "public" namespace (`PUBLIC_NS`) on a veth from the host
 * namespace. The host holds `hostIp`, the public side `publicIp` (both in `cidr`) and nothing
 * else: it has no route back to the VNets, so only masqueraded traffic gets answers. Subnets with
 * PVE's `snat` option get the node's masquerade for traffic leaving through the uplink (as PVE
 * writes for a simple zone: `-s <subnet> -o <uplink> -j SNAT`).
 */
export interface PacketUplink {
  hostIp: string;
  publicIp: string;
  /** prefix length of the uplink network */
  bits: number;
}
export const PUBLIC_NS = `${NS_TAG}-pub`;

/** The host namespace's NAT table: masquerade per applied subnet with `snat` set. */
export function hostNatRuleset(state: SerializedState): string {
  const lines = [
    'table ip pcsim_nat {',
    '  chain postrouting {',
    '    type nat hook postrouting priority 100;',
  ];
  for (const s of Object.values(state.sdn.subnets)) {
    const c = s.current as { vnet?: string; cidr?: string; snat?: unknown } | undefined;
    if (!c?.vnet || !c.cidr || c.cidr.includes(':') || !state.sdn.vnets[c.vnet]?.current) continue;
    if (c.snat === true || Number(c.snat) === 1)
      lines.push(`    oifname "up0" ip saddr ${c.cidr} masquerade`);
  }
  lines.push('  }', '}');
  return lines.join('\n');
}

/** Builds host + guest namespaces, bridges, veths, routes and the nftables rules; returns a teardown. */
export function buildPacketWorld(
  state: SerializedState,
  opts: { uplink?: PacketUplink } = {},
): {
  guests: PacketGuest[];
  apply(state: SerializedState): void;
  destroy(): void;
} {
  const host = `${NS_TAG}-host`;
  const guests = packetGuests(state);
  const nsList = [host, ...guests.map((g) => g.ns), ...(opts.uplink ? [PUBLIC_NS] : [])];
  const destroy = () => {
    for (const ns of nsList) {
      try {
        sh('ip', ['netns', 'del', ns]);
      } catch {
        // not there
      }
    }
  };
  destroy();
  sh('ip', ['netns', 'add', host]);
  const inHost = (...a: string[]) => sh('ip', ['netns', 'exec', host, ...a]);
  inHost('sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
  inHost('ip', 'link', 'set', 'lo', 'up');
  for (const s of Object.values(state.sdn.subnets)) {
    const c = s.current as { vnet?: string; cidr?: string; gateway?: string } | undefined;
    if (!c?.vnet || !state.sdn.vnets[c.vnet]?.current) continue;
    inHost('ip', 'link', 'add', c.vnet, 'type', 'bridge');
    inHost('ip', 'link', 'set', c.vnet, 'up');
    if (c.gateway) inHost('ip', 'addr', 'add', `${c.gateway}/${c.cidr!.split('/')[1]}`, 'dev', c.vnet);
  }
  const up = opts.uplink;
  if (up) {
    sh('ip', ['netns', 'add', PUBLIC_NS]);
    sh('ip', ['netns', 'exec', PUBLIC_NS, 'ip', 'link', 'set', 'lo', 'up']);
    inHost('ip', 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', PUBLIC_NS);
    inHost('ip', 'addr', 'add', `${up.hostIp}/${up.bits}`, 'dev', 'up0');
    inHost('ip', 'link', 'set', 'up0', 'up');
    const inPub = (...a: string[]) => sh('ip', ['netns', 'exec', PUBLIC_NS, ...a]);
    inPub('ip', 'addr', 'add', `${up.publicIp}/${up.bits}`, 'dev', 'eth0');
    inPub('ip', 'link', 'set', 'eth0', 'up');
  }
  for (const g of guests) {
    sh('ip', ['netns', 'add', g.ns]);
    sh('ip', ['netns', 'exec', g.ns, 'ip', 'link', 'set', 'lo', 'up']);
    for (const n of g.nics) {
      const peer = `v${g.vmid}n${n.slot}`;
      inHost('ip', 'link', 'add', peer, 'type', 'veth', 'peer', 'name', `eth${n.slot}`, 'netns', g.ns);
      inHost('ip', 'link', 'set', peer, 'master', n.vnet);
      inHost('ip', 'link', 'set', peer, 'up');
      const inG = (...a: string[]) => sh('ip', ['netns', 'exec', g.ns, ...a]);
      inG('ip', 'addr', 'add', `${n.ip}/${n.bits}`, 'dev', `eth${n.slot}`);
      inG('ip', 'link', 'set', `eth${n.slot}`, 'up');
      if (n.gw) inG('ip', 'route', 'add', 'default', 'via', n.gw);
    }
  }
  const apply = (s: SerializedState) => {
    if (up) sh('ip', ['netns', 'exec', host, 'nft', '-f', '-'], `flush ruleset\n${hostNatRuleset(s)}\n`);
    for (const g of guests) {
      sh(
        'ip',
        ['netns', 'exec', g.ns, 'nft', '-f', '-'],
        `flush ruleset\n${guestRuleset(s, g.vmid, g.nics)}\n`,
      );
      // the routes set inside the running guest (`ip -batch` through the guest agent / pct exec),
      // replaced in place: a route that stays is never absent between two packets
      const want = s.guests.find((x) => x.vmid === g.vmid)?.guestRoutes ?? [];
      const have = sh('ip', ['netns', 'exec', g.ns, 'ip', '-o', 'route', 'show', 'proto', '250'])
        .split('\n')
        .map((l) => l.split(' ')[0]!)
        .filter(Boolean);
      const lines = [
        ...want.map((r) => `route replace ${r.dst} via ${r.via} proto ${r.proto}`),
        ...have.filter((d) => !want.some((r) => r.dst === d)).map((d) => `route del ${d} proto 250`),
      ];
      if (lines.length) sh('ip', ['netns', 'exec', g.ns, 'ip', '-batch', '-'], `${lines.join('\n')}\n`);
    }
  };
  apply(state);
  return { guests, apply, destroy };
}
