/**
 * Firewall (cluster security groups, rules, options; guest rules and options), SDN zones/vnets/
 * subnets with pending state until `PUT /cluster/sdn` applies them, backup jobs and vzdump.
 */
import { createHash } from 'node:crypto';
import { bool, int, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, paramError } from './errors.ts';
import { ipsetRoutes } from './firewall-ipsets.ts';
import { getGuest, guestDisks } from './guests.ts';
import { checkRuleRefs, checkSdnLock, checkSubnet } from './sdn-extras.ts';
import type { BackupJob, FwRule, GuestType, SdnObject } from './state.ts';
import { findVolume, getStorage, storageTotals } from './storage.ts';

const digestOf = (v: unknown) => createHash('sha1').update(JSON.stringify(v)).digest('hex');

// --- firewall -----------------------------------------------------------------------------------

const RULE_KEYS = [
  'type',
  'action',
  'enable',
  'proto',
  'dport',
  'sport',
  'source',
  'dest',
  'macro',
  'iface',
  'log',
  'comment',
  'icmp-type',
] as const;

function ruleEntries(rules: FwRule[]) {
  return rules.map((r, i) => {
    const e: Record<string, unknown> = { pos: i };
    for (const k of RULE_KEYS) if (r[k] !== undefined) e[k] = k === 'enable' ? Number(r[k]) : r[k];
    e.digest = digestOf(rules);
    return e;
  });
}

function checkRule(sim: SimContext, rule: Partial<FwRule>): void {
  if (rule.type === 'group') {
    if (!rule.action || !sim.world.firewall.groups[rule.action])
      die(`security group '${rule.action}' does not exist`);
  } else if (rule.action && !['ACCEPT', 'DROP', 'REJECT'].includes(rule.action)) {
    paramError({ action: `unknown action '${rule.action}'` });
  }
  if ((rule.dport || rule.sport) && !rule.proto && !rule.macro)
    paramError({ proto: 'missing property - protocol required for port' });
  checkRuleRefs(sim, rule);
}

function ruleFromParams(p: RequestCtx['params'], base: Partial<FwRule> = {}): FwRule {
  const r: Record<string, unknown> = { ...base };
  for (const k of RULE_KEYS) {
    const v = str(p, k);
    if (v !== undefined) r[k] = v;
  }
  const del = str(p, 'delete');
  if (del) for (const k of del.split(/[,;\s]+/)) delete r[k];
  return r as unknown as FwRule;
}

type RuleList = () => FwRule[];

export function rulesApi(sim: SimContext, list: RuleList) {
  return {
    get: () => ruleEntries(list()),
    add: (req: RequestCtx) => {
      const rule = ruleFromParams(req.params);
      if (!rule.type || !rule.action)
        paramError({
          ...(rule.type ? {} : { type: 'property is missing and it is not optional' }),
          ...(rule.action ? {} : { action: 'property is missing and it is not optional' }),
        });
      checkRule(sim, rule);
      const rules = list();
      const pos = Math.min(int(req.params, 'pos') ?? 0, rules.length);
      rules.splice(pos, 0, rule);
      sim.world.touch();
      return null;
    },
    one: (req: RequestCtx) => {
      const pos = Number(reqStr(req.params, 'pos'));
      const rules = list();
      if (!rules[pos]) die('no rule at position ' + pos);
      return ruleEntries(rules)[pos];
    },
    update: (req: RequestCtx) => {
      const pos = Number(reqStr(req.params, 'pos'));
      const rules = list();
      const cur = rules[pos];
      if (!cur) die('no rule at position ' + pos);
      const digest = str(req.params, 'digest');
      if (digest && digest !== digestOf(rules))
        die('detected modified configuration - file changed by other user? Try again.');
      const next = ruleFromParams(req.params, cur);
      checkRule(sim, next);
      rules.splice(pos, 1);
      const moveto = int(req.params, 'moveto');
      rules.splice(moveto !== undefined ? Math.min(moveto, rules.length) : pos, 0, next);
      sim.world.touch();
      return null;
    },
    remove: (req: RequestCtx) => {
      const pos = Number(reqStr(req.params, 'pos'));
      const rules = list();
      if (!rules[pos]) die('no rule at position ' + pos);
      rules.splice(pos, 1);
      sim.world.touch();
      return null;
    },
  };
}

export function firewallRoutes(route: (m: string, t: string, h: (r: RequestCtx) => unknown) => void): void {
  const groups = (req: RequestCtx) => req.sim.world.firewall.groups;
  route('GET', '/cluster/firewall/groups', (req) =>
    Object.entries(groups(req))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, g]) => ({
        group,
        ...(g.comment ? { comment: g.comment } : {}),
        digest: digestOf(groups(req)),
      })),
  );
  route('POST', '/cluster/firewall/groups', (req) => {
    const all = groups(req);
    const name = reqStr(req.params, 'group');
    const rename = str(req.params, 'rename');
    if (rename) {
      if (!all[rename]) die(`security group '${rename}' does not exist`);
      if (all[name]) die(`security group '${name}' already exists`);
      all[name] = all[rename]!;
      delete all[rename];
      for (const g of req.sim.world.guests.values())
        for (const r of g.firewall.rules) if (r.type === 'group' && r.action === rename) r.action = name;
    } else {
      if (all[name]) die(`security group '${name}' already exists`);
      all[name] = { rules: [] };
    }
    const comment = str(req.params, 'comment');
    if (comment !== undefined) all[name]!.comment = comment;
    req.sim.world.touch();
    return null;
  });
  route('DELETE', '/cluster/firewall/groups/{group}', (req) => {
    const all = groups(req);
    const name = reqStr(req.params, 'group');
    if (!all[name]) die(`no such security group '${name}'`);
    if (all[name]!.rules.length) die(`Security group '${name}' is not empty`);
    for (const g of req.sim.world.guests.values())
      if (g.firewall.rules.some((r) => r.type === 'group' && r.action === name))
        die(`security group '${name}' is still in use by ${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`);
    delete all[name];
    req.sim.world.touch();
    return null;
  });
  const groupRules = (req: RequestCtx) => {
    const g = groups(req)[reqStr(req.params, 'group')];
    if (!g) die(`no such security group '${reqStr(req.params, 'group')}'`);
    return rulesApi(req.sim, () => g!.rules);
  };
  route('GET', '/cluster/firewall/groups/{group}', (req) => groupRules(req).get());
  route('POST', '/cluster/firewall/groups/{group}', (req) => groupRules(req).add(req));
  route('GET', '/cluster/firewall/groups/{group}/{pos}', (req) => groupRules(req).one(req));
  route('PUT', '/cluster/firewall/groups/{group}/{pos}', (req) => groupRules(req).update(req));
  route('DELETE', '/cluster/firewall/groups/{group}/{pos}', (req) => groupRules(req).remove(req));
  route('GET', '/cluster/firewall/options', (req) => ({ ...req.sim.world.firewall.options }));
  route('PUT', '/cluster/firewall/options', (req) => {
    applyOptions(req, req.sim.world.firewall.options);
    return null;
  });
  for (const t of ['qemu', 'lxc'] as const) {
    const G = `/nodes/{node}/${t}/{vmid}/firewall`;
    const guestRules = (req: RequestCtx) => {
      const g = getGuest(
        req.sim,
        reqStr(req.params, 'node'),
        Number(reqStr(req.params, 'vmid')),
        t as GuestType,
      );
      return rulesApi(req.sim, () => g.firewall.rules);
    };
    route('GET', `${G}/rules`, (req) => guestRules(req).get());
    route('POST', `${G}/rules`, (req) => guestRules(req).add(req));
    route('GET', `${G}/rules/{pos}`, (req) => guestRules(req).one(req));
    route('PUT', `${G}/rules/{pos}`, (req) => guestRules(req).update(req));
    route('DELETE', `${G}/rules/{pos}`, (req) => guestRules(req).remove(req));
    // guest IP sets (`ipfilter-net<N>`: the addresses NIC net<N> may send from when ipfilter is on)
    const guestOf = (req: RequestCtx) =>
      getGuest(req.sim, reqStr(req.params, 'node'), Number(reqStr(req.params, 'vmid')), t as GuestType);
    ipsetRoutes(
      route,
      `${G}/ipset`,
      (_sim, req) => {
        const g = guestOf(req);
        g.firewall.ipsets ??= {};
        return g.firewall.ipsets;
      },
      (_sim, name, req) =>
        guestOf(req).firewall.rules.filter((r) =>
          [r.source, r.dest].some((v) =>
            v?.split(',').some((p) => p === `+${name}` || p === `+guest/${name}`),
          ),
        ).length,
    );
    route('GET', `${G}/options`, (req) => {
      const g = getGuest(req.sim, reqStr(req.params, 'node'), Number(reqStr(req.params, 'vmid')), t);
      return {
        enable: 0,
        policy_in: 'DROP',
        policy_out: 'ACCEPT',
        dhcp: 1,
        ipfilter: 0,
        macfilter: 1,
        ...g.firewall.options,
        digest: digestOf(g.firewall.options),
      };
    });
    route('PUT', `${G}/options`, (req) => {
      const g = getGuest(req.sim, reqStr(req.params, 'node'), Number(reqStr(req.params, 'vmid')), t);
      applyOptions(req, g.firewall.options);
      return null;
    });
  }
}

function applyOptions(req: RequestCtx, target: Record<string, string | number>): void {
  const digest = str(req.params, 'digest');
  if (digest && digest !== digestOf(target))
    die('detected modified configuration - file changed by other user? Try again.');
  const del = str(req.params, 'delete');
  if (del) for (const k of del.split(/[,;\s]+/)) delete target[k];
  for (const [k, v] of Object.entries(req.params)) {
    if (['node', 'vmid', 'digest', 'delete'].includes(k) || v === undefined || v === null) continue;
    target[k] = typeof v === 'boolean' ? (v ? 1 : 0) : /^\d+$/.test(String(v)) ? Number(v) : String(v);
  }
  req.sim.world.touch();
}

// --- SDN ----------------------------------------------------------------------------------------

type Kind = 'zones' | 'vnets' | 'subnets';
const SDN_META = new Set(['digest', 'delete', 'lock-token', 'node']);

function sdnView(o: SdnObject, mode: 'edited' | 'running' | 'pending') {
  if (mode === 'running') return o.current;
  if (mode === 'edited') return o.pending === null ? undefined : (o.pending ?? o.current);
  const base = o.pending === null ? o.current : (o.pending ?? o.current);
  if (!base) return undefined;
  const e: Record<string, unknown> = { ...base };
  if (o.current === undefined) e.state = 'new';
  else if (o.pending === null) e.state = 'deleted';
  else if (o.pending) e.state = 'changed';
  if (o.pending) e.pending = o.pending;
  return e;
}

function sdnList(
  sim: SimContext,
  kind: Kind,
  req: RequestCtx,
  filter?: (o: Record<string, unknown>) => boolean,
) {
  const mode = bool(req.params, 'running') ? 'running' : bool(req.params, 'pending') ? 'pending' : 'edited';
  const out: Record<string, unknown>[] = [];
  for (const [id, o] of Object.entries(sim.world.sdn[kind]).sort(([a], [b]) => a.localeCompare(b))) {
    const v = sdnView(o, mode);
    if (!v || (filter && !filter(v))) continue;
    out.push({ ...v, digest: digestOf(sim.world.sdn[kind]) });
    void id;
  }
  const type = str(req.params, 'type');
  return type ? out.filter((x) => x.type === type) : out;
}

function sdnExists(sim: SimContext, kind: Kind, id: string): boolean {
  const o = sim.world.sdn[kind][id];
  return !!o && o.pending !== null && (o.pending ?? o.current) !== undefined;
}

function sdnUpsert(
  sim: SimContext,
  kind: Kind,
  id: string,
  values: Record<string, unknown>,
  create: boolean,
  req: RequestCtx,
): void {
  checkSdnLock(sim, req.params);
  const store = sim.world.sdn[kind];
  const label = kind.slice(0, -1);
  if (create) {
    if (sdnExists(sim, kind, id)) die(`sdn ${label} object ID '${id}' already defined`);
    store[id] = { ...(store[id] ?? {}), pending: values };
  } else {
    if (!sdnExists(sim, kind, id)) die(`sdn ${label} '${id}' does not exist`);
    const o = store[id]!;
    const cur = { ...((o.pending ?? o.current) as Record<string, unknown>) };
    const del = str(req.params, 'delete');
    if (del) for (const k of del.split(/[,;\s]+/)) delete cur[k];
    o.pending = { ...cur, ...values };
  }
  sim.world.touch();
}

function sdnDelete(sim: SimContext, kind: Kind, id: string, params: RequestCtx['params'] = {}): void {
  checkSdnLock(sim, params);
  const store = sim.world.sdn[kind];
  if (!sdnExists(sim, kind, id)) die(`sdn ${kind.slice(0, -1)} '${id}' does not exist`);
  if (store[id]!.current === undefined) delete store[id];
  else store[id]!.pending = null;
  sim.world.touch();
}

function values(req: RequestCtx, skip: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.params)) {
    if (SDN_META.has(k) || skip.includes(k) || v === undefined || v === null) continue;
    out[k] =
      typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? v : /^\d+$/.test(String(v)) ? Number(v) : v;
  }
  return out;
}

export function sdnRoutes(route: (m: string, t: string, h: (r: RequestCtx) => unknown) => void): void {
  route('GET', '/cluster/sdn/zones', (req) => sdnList(req.sim, 'zones', req));
  route('POST', '/cluster/sdn/zones', (req) => {
    const zone = reqStr(req.params, 'zone');
    const type = reqStr(req.params, 'type');
    if ((type === 'vlan' || type === 'qinq') && !str(req.params, 'bridge'))
      paramError({ bridge: 'property is missing and it is not optional' });
    sdnUpsert(req.sim, 'zones', zone, { ...values(req, ['zone']), zone, type }, true, req);
    return null;
  });
  route('GET', '/cluster/sdn/zones/{zone}', (req) => sdnOne(req, 'zones', reqStr(req.params, 'zone')));
  route('PUT', '/cluster/sdn/zones/{zone}', (req) => {
    sdnUpsert(req.sim, 'zones', reqStr(req.params, 'zone'), values(req, ['zone']), false, req);
    return null;
  });
  route('DELETE', '/cluster/sdn/zones/{zone}', (req) => {
    const zone = reqStr(req.params, 'zone');
    for (const [id, v] of Object.entries(req.sim.world.sdn.vnets))
      if (sdnExists(req.sim, 'vnets', id) && (v.pending ?? v.current)?.zone === zone)
        die(`zone ${zone} is used by vnet ${id}`);
    sdnDelete(req.sim, 'zones', zone, req.params);
    return null;
  });
  route('GET', '/cluster/sdn/vnets', (req) => sdnList(req.sim, 'vnets', req));
  route('POST', '/cluster/sdn/vnets', (req) => {
    const vnet = reqStr(req.params, 'vnet');
    const zone = reqStr(req.params, 'zone');
    if (!sdnExists(req.sim, 'zones', zone)) die(`zone '${zone}' doesn't exist`);
    const z = req.sim.world.sdn.zones[zone]!;
    const ztype = (z.pending ?? z.current)?.type;
    if ((ztype === 'vlan' || ztype === 'qinq' || ztype === 'vxlan') && int(req.params, 'tag') === undefined)
      paramError({ tag: `missing vlan tag` });
    sdnUpsert(req.sim, 'vnets', vnet, { ...values(req, ['vnet']), vnet, type: 'vnet' }, true, req);
    return null;
  });
  route('GET', '/cluster/sdn/vnets/{vnet}', (req) => sdnOne(req, 'vnets', reqStr(req.params, 'vnet')));
  route('PUT', '/cluster/sdn/vnets/{vnet}', (req) => {
    sdnUpsert(req.sim, 'vnets', reqStr(req.params, 'vnet'), values(req, ['vnet']), false, req);
    return null;
  });
  route('DELETE', '/cluster/sdn/vnets/{vnet}', (req) => {
    const vnet = reqStr(req.params, 'vnet');
    for (const [id, s] of Object.entries(req.sim.world.sdn.subnets))
      if (sdnExists(req.sim, 'subnets', id) && (s.pending ?? s.current)?.vnet === vnet)
        die(`Can't delete vnet ${vnet} - subnet ${id} still exists`);
    sdnDelete(req.sim, 'vnets', vnet, req.params);
    return null;
  });
  const subnetId = (req: RequestCtx, vnet: string, cidr: string) => {
    const v = req.sim.world.sdn.vnets[vnet];
    const zone = (v?.pending ?? v?.current)?.zone;
    return `${zone}-${cidr.replace('/', '-')}`;
  };
  route('GET', '/cluster/sdn/vnets/{vnet}/subnets', (req) => {
    const vnet = reqStr(req.params, 'vnet');
    if (!sdnExists(req.sim, 'vnets', vnet)) die(`vnet '${vnet}' does not exist`);
    return sdnList(req.sim, 'subnets', req, (o) => o.vnet === vnet);
  });
  route('POST', '/cluster/sdn/vnets/{vnet}/subnets', (req) => {
    const vnet = reqStr(req.params, 'vnet');
    if (!sdnExists(req.sim, 'vnets', vnet)) die(`vnet '${vnet}' does not exist`);
    const cidr = reqStr(req.params, 'subnet');
    const gw = str(req.params, 'gateway');
    const ranges = req.params['dhcp-range'];
    checkSubnet(cidr, gw, (Array.isArray(ranges) ? ranges : ranges ? [ranges] : []).map(String));
    if (gw && !gatewayInSubnet(gw, cidr)) paramError({ gateway: `gateway ${gw} is not in subnet ${cidr}` });
    const id = subnetId(req, vnet, cidr);
    sdnUpsert(
      req.sim,
      'subnets',
      id,
      {
        ...values(req, ['subnet']),
        subnet: id,
        cidr,
        vnet,
        type: 'subnet',
        network: cidr.split('/')[0],
        mask: cidr.split('/')[1],
      },
      true,
      req,
    );
    return null;
  });
  route('GET', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', (req) =>
    sdnOne(req, 'subnets', reqStr(req.params, 'subnet')),
  );
  route('PUT', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', (req) => {
    sdnUpsert(req.sim, 'subnets', reqStr(req.params, 'subnet'), values(req, ['subnet', 'vnet']), false, req);
    return null;
  });
  route('DELETE', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', (req) => {
    sdnDelete(req.sim, 'subnets', reqStr(req.params, 'subnet'), req.params);
    return null;
  });
  route('PUT', '/cluster/sdn', (req) => {
    const { sim, user } = req;
    checkSdnLock(sim, req.params);
    if ([...sim.world.tasks.values()].some((t) => t.type === 'reloadnetworkall' && t.status === 'running'))
      die('SDN configuration is being applied by another task (reloadnetworkall); try again');
    if (bool(req.params, 'release-lock')) delete sim.world.sdn.lock;
    const node = [...sim.world.nodes.keys()][0]!;
    return sim.tasks.start({
      node,
      type: 'reloadnetworkall',
      id: '',
      user,
      work: (ctx) => {
        for (const kind of ['zones', 'vnets', 'subnets'] as const) {
          const store = sim.world.sdn[kind];
          for (const [id, o] of Object.entries(store)) {
            if (o.pending === null) delete store[id];
            else if (o.pending) store[id] = { current: o.pending };
          }
        }
        for (const n of sim.world.nodes.keys()) ctx.log(`${n}: reloading network config`);
        sim.world.touch();
      },
    });
  });
}

function sdnOne(req: RequestCtx, kind: Kind, id: string) {
  const o = req.sim.world.sdn[kind][id];
  const mode = bool(req.params, 'running') ? 'running' : bool(req.params, 'pending') ? 'pending' : 'edited';
  const v = o ? sdnView(o, mode) : undefined;
  if (!v) die(`sdn ${kind.slice(0, -1)} '${id}' does not exist`);
  return { ...v, digest: digestOf(req.sim.world.sdn[kind]) };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
function gatewayInSubnet(gw: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/') as [string, string];
  if (!gw.includes('.') || !net.includes('.')) return true;
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (
    Math.floor(ipv4ToInt(gw) / 2 ** (32 - Number(bits))) ===
      Math.floor(ipv4ToInt(net) / 2 ** (32 - Number(bits))) && mask >= 0
  );
}

// --- backup jobs and vzdump ---------------------------------------------------------------------

export function backupRoutes(route: (m: string, t: string, h: (r: RequestCtx) => unknown) => void): void {
  const jobs = (req: RequestCtx) => req.sim.world.backupJobs;
  const entry = (j: BackupJob) => {
    const next = Math.floor(Date.now() / 1000 / 3600 + 1) * 3600;
    return { ...j, type: 'vzdump', ...(j.enabled === 0 ? {} : { 'next-run': next }) };
  };
  route('GET', '/cluster/backup', (req) => [...jobs(req).values()].map(entry));
  route('POST', '/cluster/backup', (req) => {
    const p = req.params;
    const id = str(p, 'id') ?? `backup-${req.sim.rng.hex(4)}-${req.sim.rng.hex(2)}`;
    if (jobs(req).has(id)) die(`Job '${id}' already exists`);
    if (!str(p, 'vmid') && !bool(p, 'all') && !str(p, 'pool'))
      paramError({ vmid: "property is missing and 'all' or 'pool' is not set" });
    const storage = str(p, 'storage');
    if (storage) {
      const s = getStorage(req.sim, storage);
      if (!s.content.includes('backup')) die(`storage '${storage}' does not support backups`);
    }
    const job: BackupJob = { id, enabled: 1, schedule: str(p, 'schedule') ?? '00:00' };
    for (const [k, v] of Object.entries(p))
      if (k !== 'id' && v !== undefined && v !== null)
        job[k] =
          typeof v === 'boolean' ? (v ? 1 : 0) : /^\d+$/.test(String(v)) && k !== 'vmid' ? Number(v) : v;
    jobs(req).set(id, job);
    req.sim.world.touch();
    return null;
  });
  const getJob = (req: RequestCtx) => {
    const id = reqStr(req.params, 'id');
    const j = jobs(req).get(id);
    if (!j) die(`job '${id}' does not exist`);
    return j!;
  };
  route('GET', '/cluster/backup/{id}', (req) => entry(getJob(req)));
  route('PUT', '/cluster/backup/{id}', (req) => {
    const j = getJob(req);
    const del = str(req.params, 'delete');
    if (del) for (const k of del.split(/[,;\s]+/)) delete j[k];
    for (const [k, v] of Object.entries(req.params))
      if (!['id', 'delete', 'digest'].includes(k) && v !== undefined && v !== null)
        j[k] = typeof v === 'boolean' ? (v ? 1 : 0) : /^\d+$/.test(String(v)) && k !== 'vmid' ? Number(v) : v;
    req.sim.world.touch();
    return null;
  });
  route('DELETE', '/cluster/backup/{id}', (req) => {
    jobs(req).delete(getJob(req).id);
    req.sim.world.touch();
    return null;
  });
  route('POST', '/nodes/{node}/vzdump', (req) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const storage = str(params, 'storage') ?? 'local';
    const s = getStorage(sim, storage);
    if (!s.content.includes('backup')) die(`storage '${storage}' does not support backups`);
    let ids: number[] = [];
    if (bool(params, 'all')) ids = [...(sim.world.guestsByNode.get(node) ?? [])];
    else if (str(params, 'vmid'))
      ids = str(params, 'vmid')!
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number);
    else paramError({ vmid: "property is missing and 'all' is not set" });
    const exclude = new Set(
      (str(params, 'exclude') ?? '')
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number),
    );
    ids = ids.filter((id) => !exclude.has(id));
    const guests = ids.map((id) => {
      const g = sim.world.guests.get(id);
      if (!g || g.node !== node) die(`guest ${id} is not on node '${node}'`);
      return g!;
    });
    const mode = str(params, 'mode') ?? 'snapshot';
    const compress = str(params, 'compress') ?? 'zstd';
    const ext = compress === '0' ? '' : compress === 'gzip' ? '.gz' : compress === 'lzo' ? '.lzo' : '.zst';
    for (const g of guests)
      if (g.lock && g.lock !== 'backup') die(`${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${g.lock})`);
    for (const g of guests) g.lock = 'backup';
    return sim.tasks.start({
      node,
      type: 'vzdump',
      id: ids.length === 1 ? String(ids[0]) : '',
      user,
      work: (ctx) => {
        for (const g of guests) {
          const d = new Date();
          const stamp = `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}_${String(d.getUTCDate()).padStart(2, '0')}-${String(d.getUTCHours()).padStart(2, '0')}_${String(d.getUTCMinutes()).padStart(2, '0')}_${String(d.getUTCSeconds()).padStart(2, '0')}`;
          const name =
            g.type === 'qemu'
              ? `vzdump-qemu-${g.vmid}-${stamp}.vma${ext}`
              : `vzdump-lxc-${g.vmid}-${stamp}.tar${ext}`;
          let size = 0;
          for (const disk of guestDisks(g))
            if (!/^unused/.test(disk.key))
              size += Math.floor((findVolume(sim, node, disk.volid)?.size ?? 0) * 0.12);
          size = Math.max(size, 64 * 1024 * 1024);
          const { avail } = storageTotals(sim, node, s);
          ctx.log(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
          ctx.log(`INFO: Backup started at ${d.toISOString().replace('T', ' ').slice(0, 19)}`);
          ctx.log(`INFO: status = ${g.status}`);
          ctx.log(`INFO: backup mode: ${mode}`);
          if (size > avail)
            throw new Error(
              `ERROR: Backup of VM ${g.vmid} failed - vma_queue_write: write error - No space left on device`,
            );
          let volid = `${storage}:backup/${name}`;
          let n = 1;
          while (sim.world.volumes.get(node)!.has(volid))
            volid = `${storage}:backup/${name.replace(/(\.(vma|tar))/, `-${n++}$1`)}`;
          sim.world.putVolume(node, {
            volid,
            storage,
            content: 'backup',
            format:
              g.type === 'qemu'
                ? `vma${ext ? `.${ext.slice(1)}` : ''}`
                : `tar${ext ? `.${ext.slice(1)}` : ''}`,
            size,
            vmid: g.vmid,
            ctime: Math.floor(Date.now() / 1000),
            notes: str(params, 'notes-template')
              ?.replace('{{guestname}}', g.config.name ?? g.config.hostname ?? '')
              .replace('{{vmid}}', String(g.vmid)),
            protected: bool(params, 'protected') || undefined,
          });
          ctx.log(`INFO: creating vzdump archive '${s.path}/dump/${volid.split('/').pop()}'`);
          ctx.log(`INFO: Finished Backup of VM ${g.vmid} (00:00:0${1 + (g.vmid % 8)})`);
        }
        ctx.log('INFO: Backup job finished successfully');
      },
      finally: () => {
        for (const g of guests) if (g.lock === 'backup') delete g.lock;
      },
    });
  });
}
