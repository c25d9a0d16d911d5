// The network topology's layout (pure, unit-tested): one column per network (its box on top, its
// NAT gateway and instances under it), route tables in a row above the networks they serve,
// peerings as edges between networks. Edges: route table → network, network → NAT gateway,
// network → instance (one per NIC), network ↔ network (peering, labelled with the opened ranges),
// route → its router instance or NAT gateway.

export interface TopoNetwork {
  id: string;
  name: string;
  cidr: string;
  status: string;
}
export interface TopoInstance {
  id: string;
  name: string;
  status: string;
  nics: { networkId: string; ip: string }[];
}
export interface TopoRouteTable {
  id: string;
  name: string;
  isDefault: boolean;
  effectiveNetworks: { id: string }[];
  routes: { destinationCidr: string; targetType: string; targetId: string | null }[];
}
export interface TopoNat {
  id: string;
  name: string;
  networkId: string;
  status: string;
}
export interface TopoPeering {
  id: string;
  name: string;
  status: string;
  requester: { networkId: string; allowedCidrs: string[] | null };
  accepter: { networkId: string; allowedCidrs: string[] | null; cidr: string | null };
}

export type TopoKind = 'network' | 'instance' | 'routeTable' | 'natGateway' | 'foreignNetwork';
export interface TopoBox {
  id: string;
  kind: TopoKind;
  ref: string;
  label: string;
  sub: string;
  x: number;
  y: number;
}
export interface TopoEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  dashed?: boolean;
}

export const TOPO_W = 200;
const COL = TOPO_W + 60;
const ROW = 80;

export function buildTopology(d: {
  networks: TopoNetwork[];
  instances: TopoInstance[];
  routeTables: TopoRouteTable[];
  natGateways: TopoNat[];
  peerings: TopoPeering[];
}): { boxes: TopoBox[]; edges: TopoEdge[] } {
  const boxes: TopoBox[] = [];
  const edges: TopoEdge[] = [];
  const nets = [...d.networks].sort((a, b) => a.name.localeCompare(b.name));
  const col = new Map(nets.map((n, i) => [n.id, i]));
  // route tables above the first network they serve (tables without networks at the end)
  const tables = [...d.routeTables].sort(
    (a, b) =>
      Math.min(...a.effectiveNetworks.map((n) => col.get(n.id) ?? 1e6), 1e6) -
        Math.min(...b.effectiveNetworks.map((n) => col.get(n.id) ?? 1e6), 1e6) ||
      a.name.localeCompare(b.name),
  );
  tables.forEach((t, i) => {
    boxes.push({
      id: `routeTable:${t.id}`,
      kind: 'routeTable',
      ref: t.id,
      label: t.isDefault ? `${t.name} (default)` : t.name,
      sub: `${t.routes.length} route(s)`,
      x: i * COL,
      y: 0,
    });
    for (const n of t.effectiveNetworks)
      if (col.has(n.id))
        edges.push({ id: `rt:${t.id}:${n.id}`, source: `routeTable:${t.id}`, target: `network:${n.id}` });
    for (const r of t.routes)
      if (r.targetId && (r.targetType === 'instance' || r.targetType === 'natGateway'))
        edges.push({
          id: `route:${t.id}:${r.destinationCidr}`,
          source: `routeTable:${t.id}`,
          target: `${r.targetType === 'instance' ? 'instance' : 'natGateway'}:${r.targetId}`,
          label: r.destinationCidr,
          dashed: true,
        });
  });
  const rows = new Map<number, number>();
  const place = (c: number) => {
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    return 2 * ROW + r * ROW;
  };
  nets.forEach((n, i) => {
    boxes.push({
      id: `network:${n.id}`,
      kind: 'network',
      ref: n.id,
      label: n.name,
      sub: n.cidr,
      x: i * COL,
      y: ROW,
    });
  });
  for (const g of d.natGateways) {
    const c = col.get(g.networkId);
    if (c === undefined) continue;
    boxes.push({
      id: `natGateway:${g.id}`,
      kind: 'natGateway',
      ref: g.id,
      label: g.name,
      sub: `NAT · ${g.status}`,
      x: c * COL,
      y: place(c),
    });
    edges.push({ id: `nat:${g.id}`, source: `network:${g.networkId}`, target: `natGateway:${g.id}` });
  }
  for (const i of [...d.instances].sort((a, b) => a.name.localeCompare(b.name))) {
    const on = i.nics.filter((n) => col.has(n.networkId));
    if (!on.length) continue;
    const c = col.get(on[0]!.networkId)!;
    boxes.push({
      id: `instance:${i.id}`,
      kind: 'instance',
      ref: i.id,
      label: i.name,
      sub: on.map((n) => n.ip).join(', '),
      x: c * COL,
      y: place(c),
    });
    for (const n of on)
      edges.push({
        id: `nic:${i.id}:${n.networkId}`,
        source: `network:${n.networkId}`,
        target: `instance:${i.id}`,
      });
  }
  let foreign = 0;
  for (const p of d.peerings) {
    if (p.status === 'rejected' || p.status === 'deleted') continue;
    const ends = [p.requester.networkId, p.accepter.networkId];
    for (const e of ends)
      if (!col.has(e) && !boxes.some((b) => b.id === `network:${e}`)) {
        // another user's network: a box of its own, to the right
        boxes.push({
          id: `network:${e}`,
          kind: 'foreignNetwork',
          ref: e,
          label: 'peer network',
          sub: e === p.accepter.networkId ? (p.accepter.cidr ?? e) : e,
          x: (nets.length + foreign++) * COL,
          y: ROW,
        });
      }
    const opened = [...(p.requester.allowedCidrs ?? []), ...(p.accepter.allowedCidrs ?? [])];
    edges.push({
      id: `peering:${p.id}`,
      source: `network:${ends[0]}`,
      target: `network:${ends[1]}`,
      label: `${p.name}${p.status === 'active' ? '' : ` (${p.status})`}${opened.length ? `: ${opened.join(', ')}` : ''}`,
      dashed: p.status !== 'active',
    });
  }
  return { boxes, edges };
}
