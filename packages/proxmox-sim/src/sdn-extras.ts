/**
 * The parts of the PVE firewall and SDN that sit next to the basics in cluster-objects.ts:
 * cluster IP sets (`/cluster/firewall/ipset`, referenced from rules as `+name` / `+dc/name`),
 * `/cluster/firewall/refs`, the VNet firewall (`/cluster/sdn/vnets/{vnet}/firewall`, forward
 * rules), the global SDN lock (`/cluster/sdn/lock`, `lock-token` on writes and on apply),
 * `/cluster/sdn/rollback`, IPAM entries (`/cluster/sdn/vnets/{vnet}/ips`) and the subnet checks PVE
 * makes (a network address with host bits set, a gateway outside the subnet, a DHCP range outside
 * it). Registered by router.ts with one line.
 */
import { createHash, randomUUID } from 'node:crypto';
import { bool, int, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, paramError } from './errors.ts';
import { ipsetRoutes } from './firewall-ipsets.ts';
import type { FwRule, IpSet } from './state.ts';

type Route = (m: string, t: string, h: (r: RequestCtx) => unknown) => void;

// --- IPv4/IPv6 CIDR helpers (exact, shared by the checks below) -------------------------------

export function parseIpv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
}

export function parseCidr4(cidr: string): { net: number; bits: number } | undefined {
  const [a, b] = cidr.split('/');
  const net = parseIpv4(a ?? '');
  const bits = b === undefined ? 32 : /^\d{1,2}$/.test(b) ? Number(b) : Number.NaN;
  if (net === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  return { net, bits };
}

export function inCidr4(ip: number, c: { net: number; bits: number }): boolean {
  const size = 2 ** (32 - c.bits);
  return Math.floor(ip / size) === Math.floor(c.net / size);
}

function ipv6Big(text: string): bigint | undefined {
  const parts = text.split('::');
  if (parts.length > 2 || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (parts.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array(missing).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((a, g) => (a << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Whether IPv6 address `ip` lies in `cidr` (exact, 128-bit). */
export function inCidr6(ip: string, cidr: string): boolean {
  const [a, b] = cidr.split('/');
  const net = ipv6Big(a ?? '');
  const addr = ipv6Big(ip);
  const bits = Number(b ?? 128);
  if (net === undefined || addr === undefined || !(bits >= 0 && bits <= 128)) return false;
  const shift = BigInt(128 - bits);
  return addr >> shift === net >> shift;
}

/** PVE's subnet checks on create/update; throws PVE's parameter errors. */
export function checkSubnet(cidr: string, gateway?: string, dhcpRanges: string[] = []): void {
  if (cidr.includes(':')) {
    if (!/^[0-9a-f:]+\/\d{1,3}$/i.test(cidr) || Number(cidr.split('/')[1]) > 128)
      paramError({ subnet: `invalid subnet '${cidr}'` });
    const [a, b] = cidr.split('/');
    const net = ipv6Big(a!);
    if (net === undefined) paramError({ subnet: `invalid subnet '${cidr}'` });
    if (net! % 2n ** BigInt(128 - Number(b)) !== 0n)
      paramError({ subnet: `${cidr} is not a network address (host bits are set)` });
    if (gateway !== undefined && !inCidr6(gateway, cidr))
      paramError({ gateway: `gateway ${gateway} is not in subnet ${cidr}` });
    return;
  }
  const c = parseCidr4(cidr);
  if (!c || !cidr.includes('/')) paramError({ subnet: `invalid subnet '${cidr}'` });
  if (c!.net % 2 ** (32 - c!.bits) !== 0)
    paramError({ subnet: `${cidr} is not a network address (host bits are set)` });
  if (gateway !== undefined) {
    const g = parseIpv4(gateway);
    if (g === undefined || !inCidr4(g, c!))
      paramError({ gateway: `gateway ${gateway} is not in subnet ${cidr}` });
  }
  for (const r of dhcpRanges) {
    const start = /start-address=([^,]+)/.exec(r)?.[1];
    const end = /end-address=([^,]+)/.exec(r)?.[1];
    const s = parseIpv4(start ?? '');
    const e = parseIpv4(end ?? '');
    if (s === undefined || e === undefined || !inCidr4(s, c!) || !inCidr4(e, c!) || s > e)
      paramError({ 'dhcp-range': `dhcp range ${start ?? '?'} - ${end ?? '?'} is not inside subnet ${cidr}` });
  }
}

// --- global SDN lock ----------------------------------------------------------------------------

/** Every SDN write and `PUT /cluster/sdn` pass this: a held lock needs its token. */
export function checkSdnLock(sim: SimContext, params: RequestCtx['params']): void {
  const held = sim.world.sdn.lock;
  if (!held) return;
  const token = str(params, 'lock-token');
  if (token === undefined) die('could not lock SDN config: the global SDN lock is held (pass lock-token)');
  if (token !== held) die('invalid lock token provided for the global SDN lock');
}

function hasPending(sim: SimContext): boolean {
  const s = sim.world.sdn;
  return [s.zones, s.vnets, s.subnets].some((store) =>
    Object.values(store).some((o) => o.pending !== undefined),
  );
}

// --- rule references ----------------------------------------------------------------------------

const ipsets = (sim: SimContext): Record<string, IpSet> => {
  sim.world.firewall.ipsets ??= {};
  return sim.world.firewall.ipsets;
};

/** `source`/`dest` may name cluster IP sets (`+name`, `+dc/name`): they must exist. */
export function checkRuleRefs(sim: SimContext, rule: Partial<FwRule>): void {
  for (const field of ['source', 'dest'] as const) {
    const v = rule[field];
    if (!v) continue;
    for (const part of v.split(',')) {
      const m = /^\+(?:dc\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(part.trim());
      if (m && !ipsets(sim)[m[1]!]) paramError({ [field]: `no such ipset '${m[1]}'` });
    }
  }
}

function ipsetRefCount(sim: SimContext, name: string): number {
  const refs = (r: FwRule) =>
    [r.source, r.dest].some((v) => v?.split(',').some((p) => p === `+${name}` || p === `+dc/${name}`));
  let n = 0;
  for (const g of Object.values(sim.world.firewall.groups)) n += g.rules.filter(refs).length;
  for (const g of sim.world.guests.values()) n += g.firewall.rules.filter(refs).length;
  for (const v of Object.values(sim.world.sdn.vnetFirewall ?? {})) n += v.rules.filter(refs).length;
  return n;
}

export function sdnExtrasRoutes(
  route: Route,
  rulesApi: (sim: SimContext, list: () => FwRule[]) => Record<string, (req: RequestCtx) => unknown>,
): void {
  // IP sets (cluster and guest): firewall-ipsets.ts
  ipsetRoutes(route, '/cluster/firewall/ipset', ipsets, (sim, name) => ipsetRefCount(sim, name));
  route('GET', '/cluster/firewall/refs', (req) => {
    const type = str(req.params, 'type');
    if (type === 'alias') return [];
    return Object.entries(ipsets(req.sim)).map(([name, s]) => ({
      type: 'ipset',
      name,
      ref: `+dc/${name}`,
      scope: 'dc',
      ...(s.comment ? { comment: s.comment } : {}),
    }));
  });

  // VNet firewall (forward rules between guests of a vnet and the outside)
  const vnetFw = (req: RequestCtx) => {
    const vnet = reqStr(req.params, 'vnet');
    const v = req.sim.world.sdn.vnets[vnet];
    if (!v || v.pending === null || !(v.pending ?? v.current)) die(`vnet '${vnet}' does not exist`);
    req.sim.world.sdn.vnetFirewall ??= {};
    req.sim.world.sdn.vnetFirewall[vnet] ??= { rules: [], options: {} };
    return req.sim.world.sdn.vnetFirewall[vnet]!;
  };
  const V = '/cluster/sdn/vnets/{vnet}/firewall';
  route('GET', `${V}/rules`, (req) => rulesApi(req.sim, () => vnetFw(req).rules).get!(req));
  route('POST', `${V}/rules`, (req) => {
    const t = str(req.params, 'type');
    if (t && t !== 'forward') paramError({ type: `vnet firewall rules must have type 'forward'` });
    return rulesApi(req.sim, () => vnetFw(req).rules).add!(req);
  });
  route('GET', `${V}/rules/{pos}`, (req) => rulesApi(req.sim, () => vnetFw(req).rules).one!(req));
  route('PUT', `${V}/rules/{pos}`, (req) => rulesApi(req.sim, () => vnetFw(req).rules).update!(req));
  route('DELETE', `${V}/rules/{pos}`, (req) => rulesApi(req.sim, () => vnetFw(req).rules).remove!(req));
  route('GET', `${V}/options`, (req) => ({ enable: 0, policy_forward: 'ACCEPT', ...vnetFw(req).options }));
  route('PUT', `${V}/options`, (req) => {
    const o = vnetFw(req).options;
    const del = str(req.params, 'delete');
    if (del) for (const k of del.split(/[,;\s]+/)) delete o[k];
    for (const k of ['enable', 'policy_forward', 'log_level_forward']) {
      const v = str(req.params, k);
      if (v !== undefined) o[k] = k === 'enable' ? Number(bool(req.params, k)) : v;
    }
    req.sim.world.touch();
    return null;
  });

  // global lock, rollback
  route('POST', '/cluster/sdn/lock', (req) => {
    const sdn = req.sim.world.sdn;
    if (sdn.lock) die('could not acquire the global SDN lock: it is already held');
    if (!bool(req.params, 'allow-pending') && hasPending(req.sim))
      die('there are pending changes, use the allow-pending parameter to acquire the lock anyway');
    sdn.lock = randomUUID();
    req.sim.world.touch();
    return sdn.lock;
  });
  route('DELETE', '/cluster/sdn/lock', (req) => {
    const sdn = req.sim.world.sdn;
    if (!bool(req.params, 'force')) checkSdnLock(req.sim, req.params);
    delete sdn.lock;
    req.sim.world.touch();
    return null;
  });
  route('POST', '/cluster/sdn/rollback', (req) => {
    checkSdnLock(req.sim, req.params);
    const sdn = req.sim.world.sdn;
    for (const store of [sdn.zones, sdn.vnets, sdn.subnets])
      for (const [id, o] of Object.entries(store)) {
        if (o.current === undefined) delete store[id];
        else delete o.pending;
      }
    if (bool(req.params, 'release-lock')) delete sdn.lock;
    req.sim.world.touch();
    return null;
  });

  // IPAM entries of a vnet (the PVE IPAM plugin)
  const ipamOf = (req: RequestCtx) => {
    const vnet = reqStr(req.params, 'vnet');
    const v = req.sim.world.sdn.vnets[vnet];
    if (!v?.current) die(`vnet '${vnet}' does not exist`);
    const cidrs = Object.values(req.sim.world.sdn.subnets)
      .map((s) => s.current)
      .filter((s) => s?.vnet === vnet)
      .map((s) => String(s!.cidr));
    const subnets = cidrs.map((c) => parseCidr4(c)).filter((c) => c !== undefined);
    req.sim.world.sdn.ips ??= {};
    req.sim.world.sdn.ips[vnet] ??= [];
    const ip = reqStr(req.params, 'ip');
    const n = parseIpv4(ip);
    const in6 = ip.includes(':') && cidrs.some((c) => c.includes(':') && inCidr6(ip, c));
    if (!in6 && (n === undefined || !subnets.some((c) => inCidr4(n, c!))))
      die(`ip ${ip} is not in any subnet of vnet ${vnet}`);
    return { list: req.sim.world.sdn.ips[vnet]!, ip };
  };
  route('POST', '/cluster/sdn/vnets/{vnet}/ips', (req) => {
    const { list, ip } = ipamOf(req);
    if (list.some((e) => e.ip === ip)) die(`IP address ${ip} already exists`);
    const mac = str(req.params, 'mac');
    list.push({ ip, ...(mac ? { mac } : {}) });
    req.sim.world.touch();
    return null;
  });
  route('PUT', '/cluster/sdn/vnets/{vnet}/ips', (req) => {
    const { list, ip } = ipamOf(req);
    const e = list.find((x) => x.ip === ip);
    if (!e) die(`IP address ${ip} does not exist`);
    const mac = str(req.params, 'mac');
    const vmid = int(req.params, 'vmid');
    if (mac) e!.mac = mac;
    if (vmid !== undefined) e!.vmid = vmid;
    req.sim.world.touch();
    return null;
  });
  route('DELETE', '/cluster/sdn/vnets/{vnet}/ips', (req) => {
    const { list, ip } = ipamOf(req);
    const i = list.findIndex((x) => x.ip === ip);
    if (i < 0) die(`IP address ${ip} does not exist`);
    list.splice(i, 1);
    req.sim.world.touch();
    return null;
  });
}

function digestish(v: unknown): string {
  return createHash('sha1').update(JSON.stringify(v)).digest('hex');
}
