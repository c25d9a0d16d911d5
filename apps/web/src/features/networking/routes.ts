/** Live checks of the route-table editor (mirror the server's rules: networks.route-tables.ts). */
const ip = (t: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.some((x) => x > 255) ? null : ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
};
const txt = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(text: string): { net: number; bits: number } | null {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  const net = m ? ip(m[1]!) : null;
  const bits = m ? Number(m[2]) : Number.NaN;
  if (!m || net === null || bits > 32) return null;
  return { net, bits };
}

const overlaps = (a: { net: number; bits: number }, b: { net: number; bits: number }) =>
  a.net < b.net + 2 ** (32 - b.bits) && b.net < a.net + 2 ** (32 - a.bits);

export interface RouteDraft {
  destinationCidr: string;
  targetId: string;
}

/**
 * The problem of route `i` (null: fine): syntax, host bits, a duplicate destination, overlap with
 * a network of the table (its own CIDR is the implicit local route), a router without a NIC on
 * every network of the table, a NAT gateway of another network.
 */
export function routeProblem(
  routes: RouteDraft[],
  i: number,
  networks: { id: string; name: string; cidr: string }[],
  reach: (targetId: string) => { kind: 'instance' | 'natGateway'; networkIds: string[] },
): string | null {
  const r = routes[i]!;
  const c = parseCidr(r.destinationCidr);
  if (!c) return 'Use an IPv4 CIDR like 10.30.0.0/16 (0.0.0.0/0 = everything else).';
  const size = 2 ** (32 - c.bits);
  if (c.net % size !== 0) return `Host bits are set: did you mean ${txt(c.net - (c.net % size))}/${c.bits}?`;
  if (routes.findIndex((x) => x.destinationCidr.trim() === r.destinationCidr.trim()) !== i)
    return `Another route already sends ${r.destinationCidr} somewhere.`;
  if (c.bits > 0)
    for (const n of networks) {
      const nc = parseCidr(n.cidr);
      if (nc && overlaps(c, nc))
        return `Overlaps network ${n.name} (${n.cidr}): its own addresses are local.`;
    }
  if (!r.targetId) return 'Pick the router instance or NAT gateway.';
  const t = reach(r.targetId);
  const missing = networks.filter((n) => !t.networkIds.includes(n.id));
  if (missing.length)
    return t.kind === 'natGateway'
      ? `This NAT gateway serves its own network only, not ${missing.map((n) => n.name).join(', ')}.`
      : `The router has no NIC on ${missing.map((n) => n.name).join(', ')}.`;
  return null;
}

/** A peering's problem before it is sent (mirrors the server): self, overlap, ranges outside the network. */
export function peeringProblem(
  mine: { id: string; cidr: string; name: string },
  peer: { id: string; cidr: string } | null,
  allowed: string[],
): string | null {
  const a = parseCidr(mine.cidr);
  if (peer && peer.id === mine.id) return 'A network cannot peer with itself.';
  const b = peer ? parseCidr(peer.cidr) : null;
  if (a && b && overlaps(a, b))
    return `${mine.cidr} and ${peer!.cidr} overlap: peered networks need disjoint blocks.`;
  for (const c of allowed) {
    const p = parseCidr(c);
    if (!p || p.net % 2 ** (32 - p.bits) !== 0) return `'${c}' is not a CIDR without host bits.`;
    if (a && (p.bits < a.bits || !(p.net >= a.net && p.net < a.net + 2 ** (32 - a.bits))))
      return `${c} is not inside ${mine.name} (${mine.cidr}).`;
  }
  return null;
}
