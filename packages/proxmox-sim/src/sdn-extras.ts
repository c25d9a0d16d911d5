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

/** PVE's subnet checks on create/update; throws PVE's parameter errors. */
export function checkSubnet(cidr: string, gateway?: string, dhcpRanges: string[] = []): void {
  if (cidr.includes(':')) {
    if (!/^[0-9a-f:]+\/\d{1,3}$/i.test(cidr) || Number(cidr.split('/')[1]) > 128)
      paramError({ subnet: `invalid subnet '${cidr}'` });
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

function normCidr(cidr: string): string {
  return cidr.includes('/') ? cidr : cidr.includes(':') ? `${cidr}/128` : `${cidr}/32`;
}

export function sdnExtrasRoutes(
  route: Route,
  rulesApi: (sim: SimContext, list: () => FwRule[]) => Record<string, (req: RequestCtx) => unknown>,
): void {
  // IP sets
  route('GET', '/cluster/firewall/ipset', (req) =>
    Object.entries(ipsets(req.sim))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => ({ name, ...(s.comment ? { comment: s.comment } : {}), digest: digestish(s) })),
  );
  route('POST', '/cluster/firewall/ipset', (req) => {
    const all = ipsets(req.sim);
    const name = reqStr(req.params, 'name');
    const rename = str(req.params, 'rename');
    if (rename) {
      if (!all[rename]) die(`no such IPSet '${rename}'`);
      if (all[name]) die(`IPSet '${name}' already exists`);
      all[name] = all[rename]!;
      delete all[rename];
    } else {
      if (all[name]) die(`IPSet '${name}' already exists`);
      all[name] = { entries: [] };
    }
    const comment = str(req.params, 'comment');
    if (comment !== undefined) all[name]!.comment = comment;
    req.sim.world.touch();
    return null;
  });
  const set = (req: RequestCtx): IpSet => {
    const name = reqStr(req.params, 'name');
    const s = ipsets(req.sim)[name];
    if (!s) die(`no such IPSet '${name}'`);
    return s!;
  };
  route('GET', '/cluster/firewall/ipset/{name}', (req) => {
    const s = set(req);
    return s.entries.map((e) => ({ ...e, digest: digestish(s) }));
  });
  route('DELETE', '/cluster/firewall/ipset/{name}', (req) => {
    const name = reqStr(req.params, 'name');
    const s = set(req);
    if (s.entries.length && !bool(req.params, 'force')) die(`IPSet '${name}' is not empty`);
    if (ipsetRefCount(req.sim, name)) die(`IPSet '${name}' is used by firewall rules`);
    delete ipsets(req.sim)[name];
    req.sim.world.touch();
    return null;
  });
  route('POST', '/cluster/firewall/ipset/{name}', (req) => {
    const s = set(req);
    const cidr = normCidr(reqStr(req.params, 'cidr'));
    if (!cidr.includes(':') && !parseCidr4(cidr))
      paramError({ cidr: `invalid IP address or CIDR '${cidr}'` });
    if (s.entries.some((e) => e.cidr === cidr)) die(`entry '${cidr}' already exists`);
    const comment = str(req.params, 'comment');
    s.entries.push({
      cidr,
      ...(comment ? { comment } : {}),
      ...(bool(req.params, 'nomatch') ? { nomatch: 1 } : {}),
    });
    req.sim.world.touch();
    return null;
  });
  const entry = (req: RequestCtx) => {
    const s = set(req);
    const cidr = normCidr(reqStr(req.params, 'cidr'));
    const i = s.entries.findIndex((e) => e.cidr === cidr);
    if (i < 0) die('no such IP/Network');
    return { s, i };
  };
  route('GET', '/cluster/firewall/ipset/{name}/{cidr}', (req) => {
    const { s, i } = entry(req);
    return { ...s.entries[i], digest: digestish(s) };
  });
  route('PUT', '/cluster/firewall/ipset/{name}/{cidr}', (req) => {
    const { s, i } = entry(req);
    const comment = str(req.params, 'comment');
    if (comment !== undefined) s.entries[i]!.comment = comment;
    if (req.params.nomatch !== undefined) s.entries[i]!.nomatch = bool(req.params, 'nomatch') ? 1 : 0;
    req.sim.world.touch();
    return null;
  });
  route('DELETE', '/cluster/firewall/ipset/{name}/{cidr}', (req) => {
    const { s, i } = entry(req);
    s.entries.splice(i, 1);
    req.sim.world.touch();
    return null;
  });
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
    const subnets = Object.values(req.sim.world.sdn.subnets)
      .map((s) => s.current)
      .filter((s) => s?.vnet === vnet)
      .map((s) => parseCidr4(String(s!.cidr)))
      .filter((c) => c !== undefined);
    req.sim.world.sdn.ips ??= {};
    req.sim.world.sdn.ips[vnet] ??= [];
    const ip = reqStr(req.params, 'ip');
    const n = parseIpv4(ip);
    if (n === undefined || !subnets.some((c) => inCidr4(n, c!)))
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
