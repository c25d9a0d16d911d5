/**
 * PVE firewall IP sets, at the datacenter (`/cluster/firewall/ipset`, referenced as `+name` /
 * `+dc/name`) and per guest (`/nodes/{node}/{qemu,lxc}/{vmid}/firewall/ipset`, referenced as
 * `+name` / `+guest/name`). A guest set named `ipfilter-net<N>` is what PVE's `ipfilter` option
 * checks the source addresses of NIC `net<N>` against (anti-spoofing; packet-model.ts).
 */
import { createHash } from 'node:crypto';
import { bool, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, paramError } from './errors.ts';
import type { IpSet } from './state.ts';

type Route = (m: string, t: string, h: (r: RequestCtx) => unknown) => void;

function parseIpv4(ip: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

/** `a.b.c.d[/n]` or an IPv6 address/prefix, normalised with its host prefix (PVE lists them so). */
export function normCidr(cidr: string): string {
  return cidr.includes('/') ? cidr : cidr.includes(':') ? `${cidr}/128` : `${cidr}/32`;
}

function validCidr(cidr: string): boolean {
  const [a, b] = cidr.split('/');
  if (cidr.includes(':'))
    return /^[0-9a-fA-F:]+$/.test(a ?? '') && (a ?? '').includes(':') && Number(b) >= 0 && Number(b) <= 128;
  return parseIpv4(a ?? '') && /^\d{1,2}$/.test(b ?? '') && Number(b) <= 32;
}

function digestish(v: unknown): string {
  return createHash('sha1').update(JSON.stringify(v)).digest('hex');
}

/** The IP set API under `base` for the sets `store` returns (created on first use). */
export function ipsetRoutes(
  route: Route,
  base: string,
  store: (sim: SimContext, req: RequestCtx) => Record<string, IpSet>,
  refCount: (sim: SimContext, name: string, req: RequestCtx) => number,
): void {
  const all = (req: RequestCtx) => store(req.sim, req);
  route('GET', base, (req) =>
    Object.entries(all(req))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => ({ name, ...(s.comment ? { comment: s.comment } : {}), digest: digestish(s) })),
  );
  route('POST', base, (req) => {
    const sets = all(req);
    const name = reqStr(req.params, 'name');
    if (!/^[A-Za-z][A-Za-z0-9\-_]+$/.test(name)) paramError({ name: `invalid format - '${name}'` });
    const rename = str(req.params, 'rename');
    if (rename) {
      if (!sets[rename]) die(`no such IPSet '${rename}'`);
      if (sets[name]) die(`IPSet '${name}' already exists`);
      sets[name] = sets[rename]!;
      delete sets[rename];
    } else {
      if (sets[name]) die(`IPSet '${name}' already exists`);
      sets[name] = { entries: [] };
    }
    const comment = str(req.params, 'comment');
    if (comment !== undefined) sets[name]!.comment = comment;
    req.sim.world.touch();
    return null;
  });
  const set = (req: RequestCtx): IpSet => {
    const name = reqStr(req.params, 'name');
    const s = all(req)[name];
    if (!s) die(`no such IPSet '${name}'`);
    return s!;
  };
  route('GET', `${base}/{name}`, (req) => {
    const s = set(req);
    return s.entries.map((e) => ({ ...e, digest: digestish(s) }));
  });
  route('DELETE', `${base}/{name}`, (req) => {
    const name = reqStr(req.params, 'name');
    const s = set(req);
    if (s.entries.length && !bool(req.params, 'force')) die(`IPSet '${name}' is not empty`);
    if (refCount(req.sim, name, req)) die(`IPSet '${name}' is used by firewall rules`);
    delete all(req)[name];
    req.sim.world.touch();
    return null;
  });
  route('POST', `${base}/{name}`, (req) => {
    const s = set(req);
    const cidr = normCidr(reqStr(req.params, 'cidr'));
    if (!validCidr(cidr)) paramError({ cidr: `invalid IP address or CIDR '${cidr}'` });
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
  route('GET', `${base}/{name}/{cidr}`, (req) => {
    const { s, i } = entry(req);
    return { ...s.entries[i], digest: digestish(s) };
  });
  route('PUT', `${base}/{name}/{cidr}`, (req) => {
    const { s, i } = entry(req);
    const comment = str(req.params, 'comment');
    if (comment !== undefined) s.entries[i]!.comment = comment;
    if (req.params.nomatch !== undefined) s.entries[i]!.nomatch = bool(req.params, 'nomatch') ? 1 : 0;
    req.sim.world.touch();
    return null;
  });
  route('DELETE', `${base}/{name}/{cidr}`, (req) => {
    const { s, i } = entry(req);
    s.entries.splice(i, 1);
    req.sim.world.touch();
    return null;
  });
}
