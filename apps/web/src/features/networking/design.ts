// The network designer's model (pure, unit-tested): what is on the canvas, the checks made while
// drawing (overlaps, unreachable routes, bad rules) and the round trip to the IaC YAML format
// (networks, securityGroups, natGateways, routeTables, peerings; references as ${kind.name.id}).
import { parse, stringify } from 'yaml';
import type { RuleInput } from './api.ts';
import { parseCidr } from './routes.ts';
import { ruleProblem } from './SecurityGroupsPage.tsx';

export type DesignKind = 'network' | 'natGateway' | 'routeTable' | 'securityGroup';
export interface DesignNode {
  id: string;
  kind: DesignKind;
  name: string;
  x: number;
  y: number;
  /** network */
  cidr?: string;
  /** securityGroup */
  rules?: RuleInput[];
  /** routeTable: destination → the NAT gateway node it goes to */
  routes?: { destinationCidr: string; natGatewayId: string }[];
}
/** natGateway → network (placement), routeTable → network (association), network → network (peering). */
export interface DesignEdge {
  id: string;
  source: string;
  target: string;
  /** network → network: a peering (source: your side, whose allowed ranges the peer may reach) */
  peering?: DesignPeering;
}
export interface DesignPeering {
  name: string;
  /** ranges of the source network the peer may reach; empty: all of it */
  allowedCidrs: string[];
  /** ranges of the target (peer) network the source may reach; empty/absent: all of it */
  peerAllowedCidrs?: string[];
}
export interface Design {
  nodes: DesignNode[];
  edges: DesignEdge[];
}

export interface DesignProblem {
  nodeId: string;
  /** set when the problem is a peering (an edge) */
  edgeId?: string;
  message: string;
}

const isPeering = (d: Design, e: DesignEdge) =>
  d.nodes.find((n) => n.id === e.source)?.kind === 'network' && !!e.peering;

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const LOOSE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const overlaps = (a: { net: number; bits: number }, b: { net: number; bits: number }) =>
  a.net < b.net + 2 ** (32 - b.bits) && b.net < a.net + 2 ** (32 - a.bits);

/** Which edges are allowed: from a NAT gateway or a route table to a network. */
export function canConnect(d: Design, source: string, target: string): string | null {
  const s = d.nodes.find((n) => n.id === source);
  const t = d.nodes.find((n) => n.id === target);
  if (!s || !t) return 'Unknown box.';
  if (s.kind === 'network' && t.kind === 'network') {
    if (source === target) return 'A network cannot peer with itself.';
    if (d.edges.some((e) => [e.source, e.target].sort().join() === [source, target].sort().join()))
      return `${s.name} and ${t.name} are already peered.`;
    return null;
  }
  if (t.kind !== 'network' || (s.kind !== 'natGateway' && s.kind !== 'routeTable'))
    return 'Connect a NAT gateway or a route table to a network, or two networks to peer them.';
  if (s.kind === 'natGateway' && d.edges.some((e) => e.source === source))
    return 'A NAT gateway serves one network.';
  if (
    d.edges.some(
      (e) =>
        e.target === target && e.source !== source && d.nodes.find((n) => n.id === e.source)?.kind === s.kind,
    )
  )
    return s.kind === 'routeTable' ? 'A network uses one route table.' : 'A network has one NAT gateway.';
  return null;
}

export function validateDesign(d: Design): DesignProblem[] {
  const out: DesignProblem[] = [];
  const nets = d.nodes.filter((n) => n.kind === 'network');
  const byKind = new Map<string, Set<string>>();
  for (const n of d.nodes) {
    const names = byKind.get(n.kind) ?? new Set();
    if (names.has(n.name)) out.push({ nodeId: n.id, message: `Another ${n.kind} is named '${n.name}'.` });
    names.add(n.name);
    byKind.set(n.kind, names);
    if (!(n.kind === 'network' ? NAME : LOOSE).test(n.name))
      out.push({
        nodeId: n.id,
        message:
          n.kind === 'network'
            ? 'Network names: lower-case letters, digits and -, up to 63.'
            : 'Names: letters, digits, . _ -, up to 63.',
      });
  }
  for (const [i, n] of nets.entries()) {
    const c = parseCidr(n.cidr ?? '');
    if (!c || c.bits < 8 || c.bits > 29 || c.net % 2 ** (32 - c.bits) !== 0) {
      out.push({
        nodeId: n.id,
        message: `'${n.cidr ?? ''}' is not a network CIDR (/8 … /29, no host bits).`,
      });
      continue;
    }
    for (const m of nets.slice(i + 1)) {
      const o = parseCidr(m.cidr ?? '');
      if (o && overlaps(c, o))
        out.push({ nodeId: m.id, message: `${m.cidr} overlaps network ${n.name} (${n.cidr}).` });
    }
  }
  const netOf = (id: string) => d.edges.filter((e) => e.source === id).map((e) => e.target);
  for (const g of d.nodes.filter((n) => n.kind === 'natGateway'))
    if (!netOf(g.id).length)
      out.push({ nodeId: g.id, message: 'Connect the NAT gateway to the network it serves.' });
  for (const t of d.nodes.filter((n) => n.kind === 'routeTable')) {
    const served = netOf(t.id);
    for (const r of t.routes ?? []) {
      const c = parseCidr(r.destinationCidr);
      if (!c || c.net % 2 ** (32 - c.bits) !== 0) {
        out.push({ nodeId: t.id, message: `'${r.destinationCidr}' is not a CIDR without host bits.` });
        continue;
      }
      for (const id of served) {
        const n = nets.find((x) => x.id === id);
        const nc = n ? parseCidr(n.cidr ?? '') : null;
        if (n && nc && c.bits > 0 && overlaps(c, nc))
          out.push({
            nodeId: t.id,
            message: `${r.destinationCidr} overlaps network ${n.name}: its own addresses are local.`,
          });
      }
      const gw = d.nodes.find((x) => x.id === r.natGatewayId && x.kind === 'natGateway');
      if (!gw) {
        out.push({ nodeId: t.id, message: `The route for ${r.destinationCidr} has no NAT gateway.` });
        continue;
      }
      const gwNet = netOf(gw.id)[0];
      for (const id of served)
        if (id !== gwNet)
          out.push({
            nodeId: t.id,
            message: `Unreachable: NAT gateway ${gw.name} serves ${nets.find((x) => x.id === gwNet)?.name ?? 'no network'}, not ${nets.find((x) => x.id === id)?.name ?? id}.`,
          });
    }
  }
  const peerNames = new Set<string>();
  for (const e of d.edges.filter((x) => isPeering(d, x))) {
    const a = nets.find((n) => n.id === e.source);
    const b = nets.find((n) => n.id === e.target);
    const p = e.peering!;
    const at = (message: string) => out.push({ nodeId: e.source, edgeId: e.id, message });
    if (peerNames.has(p.name)) at(`Another peering is named '${p.name}'.`);
    peerNames.add(p.name);
    if (!LOOSE.test(p.name)) at(`Peering names: letters, digits, . _ -, up to 63.`);
    if (!a || !b) {
      at(`Peering ${p.name} must connect two networks.`);
      continue;
    }
    if (a.id === b.id) {
      at(`Peering ${p.name}: a network cannot peer with itself.`);
      continue;
    }
    const ac = parseCidr(a.cidr ?? '');
    const bc = parseCidr(b.cidr ?? '');
    if (ac && bc && overlaps(ac, bc))
      at(
        `Peering ${p.name}: ${a.name} (${a.cidr}) and ${b.name} (${b.cidr}) overlap; peered networks need disjoint blocks.`,
      );
    for (const [side, sc, list] of [
      [a, ac, p.allowedCidrs],
      [b, bc, p.peerAllowedCidrs ?? []],
    ] as const)
      for (const c of list) {
        const r = parseCidr(c);
        if (!r || r.net % 2 ** (32 - r.bits) !== 0)
          at(`Peering ${p.name}: '${c}' is not a CIDR without host bits.`);
        else if (sc && (r.bits < sc.bits || !overlaps(r, sc)))
          at(
            `Peering ${p.name}: ${c} is not inside ${side.name} (${side.cidr}); a side opens only its own addresses.`,
          );
      }
  }
  for (const g of d.nodes.filter((n) => n.kind === 'securityGroup'))
    for (const [i, r] of (g.rules ?? []).entries()) {
      const p = ruleProblem(r);
      if (p) out.push({ nodeId: g.id, message: `Rule ${i + 1}: ${p}` });
    }
  return out;
}

const ref = (kind: string, name: string) => `\${${kind}.${name}.id}`;

/** The design as an IaC file (the stacks' format). */
export function designToYaml(d: Design, stack?: string): string {
  const name = (id: string) => d.nodes.find((n) => n.id === id)?.name ?? id;
  const of = (k: DesignKind) => d.nodes.filter((n) => n.kind === k);
  const netOf = (id: string) => d.edges.filter((e) => e.source === id).map((e) => e.target);
  const doc: Record<string, unknown> = {};
  if (stack) doc.stack = stack;
  if (of('network').length) doc.networks = of('network').map((n) => ({ name: n.name, cidr: n.cidr ?? '' }));
  if (of('securityGroup').length)
    doc.securityGroups = of('securityGroup').map((g) => ({ name: g.name, rules: g.rules ?? [] }));
  if (of('natGateway').length)
    doc.natGateways = of('natGateway').map((g) => ({
      name: g.name,
      networkId: netOf(g.id)[0] ? ref('networks', name(netOf(g.id)[0]!)) : '',
    }));
  if (of('routeTable').length)
    doc.routeTables = of('routeTable').map((t) => ({
      name: t.name,
      networkIds: netOf(t.id).map((id) => ref('networks', name(id))),
      routes: (t.routes ?? []).map((r) => ({
        destinationCidr: r.destinationCidr,
        targetType: 'natGateway',
        targetId: ref('natGateways', name(r.natGatewayId)),
      })),
    }));
  const peerings = d.edges.filter((e) => isPeering(d, e));
  if (peerings.length)
    doc.peerings = peerings.map((e) => ({
      name: e.peering!.name,
      networkId: ref('networks', name(e.source)),
      peerNetworkId: ref('networks', name(e.target)),
      ...(e.peering!.allowedCidrs.length ? { allowedCidrs: e.peering!.allowedCidrs } : {}),
      ...(e.peering!.peerAllowedCidrs?.length ? { peerAllowedCidrs: e.peering!.peerAllowedCidrs } : {}),
    }));
  return stringify(doc, { lineWidth: 0 });
}

const REF = /^\$\{(networks|natGateways)\.([^.}]+)\.id\}$/;

/** An IaC file back into a design (positions laid out in rows by kind); throws on what it cannot draw. */
export function yamlToDesign(text: string): Design {
  const doc = (parse(text) ?? {}) as Record<string, unknown>;
  const nodes: DesignNode[] = [];
  const edges: DesignEdge[] = [];
  const list = (k: string) => (Array.isArray(doc[k]) ? (doc[k] as Record<string, unknown>[]) : []);
  const id = (kind: DesignKind, name: string) => `${kind}:${name}`;
  const target = (text: unknown, kind: 'networks' | 'natGateways') => {
    const m = REF.exec(String(text ?? ''));
    if (!m || m[1] !== kind) throw new Error(`'${String(text)}' is not a reference like \${${kind}.NAME.id}`);
    return id(kind === 'networks' ? 'network' : 'natGateway', m[2]!);
  };
  const row = (kind: DesignKind, y: number) => (item: Record<string, unknown>, i: number) =>
    nodes.push({ id: id(kind, String(item.name)), kind, name: String(item.name), x: i * 240, y });
  list('routeTables').forEach(row('routeTable', 0));
  list('networks').forEach((n, i) => {
    row('network', 160)(n, i);
    nodes[nodes.length - 1]!.cidr = String(n.cidr ?? n.subnet ?? '');
  });
  list('natGateways').forEach(row('natGateway', 320));
  list('securityGroups').forEach((g, i) => {
    row('securityGroup', 480)(g, i);
    nodes[nodes.length - 1]!.rules = (g.rules as RuleInput[] | undefined) ?? [];
  });
  for (const g of list('natGateways')) {
    const from = id('natGateway', String(g.name));
    edges.push({ id: `${from}->${g.networkId}`, source: from, target: target(g.networkId, 'networks') });
  }
  for (const t of list('routeTables')) {
    const from = id('routeTable', String(t.name));
    for (const n of (t.networkIds as unknown[] | undefined) ?? [])
      edges.push({ id: `${from}->${n}`, source: from, target: target(n, 'networks') });
    const node = nodes.find((x) => x.id === from)!;
    node.routes = ((t.routes as Record<string, unknown>[] | undefined) ?? []).map((r) => {
      if (r.targetType !== 'natGateway') throw new Error('The designer draws routes to NAT gateways only');
      return { destinationCidr: String(r.destinationCidr), natGatewayId: target(r.targetId, 'natGateways') };
    });
  }
  for (const p of list('peerings')) {
    const from = target(p.networkId, 'networks');
    const to = target(p.peerNetworkId, 'networks');
    if (!nodes.some((n) => n.id === from))
      throw new Error(`${from.split(':')[1]} is not a network of this file`);
    edges.push({
      id: `peering:${String(p.name)}`,
      source: from,
      target: to,
      peering: {
        name: String(p.name),
        allowedCidrs: Array.isArray(p.allowedCidrs) ? p.allowedCidrs.map(String) : [],
        ...(Array.isArray(p.peerAllowedCidrs) ? { peerAllowedCidrs: p.peerAllowedCidrs.map(String) } : {}),
      },
    });
  }
  for (const e of edges)
    if (!nodes.some((n) => n.id === e.target))
      throw new Error(`${e.target.split(':')[1]} is not a network of this file`);
  return { nodes, edges };
}
