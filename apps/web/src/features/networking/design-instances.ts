// The designer's read-only instance boxes: the user's instances attached to each drawn network that
// is one of their networks (same name), so the design matches the topology page. They are drawn
// only: not part of the design, not validated, never exported to IaC (instances are not an IaC
// kind of the network stack), not draggable or connectable.
import type { Design } from './design.ts';

export interface OverlayNetwork {
  id: string;
  name: string;
}
export interface OverlayInstance {
  id: string;
  name: string;
  status: string;
  nics: { networkId: string; ip: string }[];
}
export interface InstanceBox {
  /** `inst:<instance id>` (never a design node id) */
  id: string;
  name: string;
  /** the instance's address on each drawn network it is on, e.g. `10.20.0.10` */
  sub: string;
  x: number;
  y: number;
}
export interface InstanceLink {
  id: string;
  /** the instance box */
  source: string;
  /** the design network node */
  target: string;
  label: string;
}

export const INSTANCE_PREFIX = 'inst:';
const BELOW = 110;
const STEP = 56;

/** Boxes and links for the instances on the design's networks (one box per instance). */
export function instanceOverlay(
  design: Design,
  networks: readonly OverlayNetwork[],
  instances: readonly OverlayInstance[],
): { boxes: InstanceBox[]; links: InstanceLink[] } {
  const byName = new Map(networks.map((n) => [n.name, n.id]));
  // design network node → the user's network it stands for
  const drawn = new Map<string, string>();
  for (const n of design.nodes)
    if (n.kind === 'network' && byName.has(n.name) && ![...drawn.values()].includes(byName.get(n.name)!))
      drawn.set(n.id, byName.get(n.name)!);
  const nodeOf = new Map([...drawn].map(([nodeId, netId]) => [netId, nodeId]));
  const boxes: InstanceBox[] = [];
  const links: InstanceLink[] = [];
  const stacked = new Map<string, number>();
  for (const i of [...instances].sort((a, b) => a.name.localeCompare(b.name))) {
    if (i.status === 'terminated') continue;
    const on = i.nics.filter((n) => nodeOf.has(n.networkId));
    if (!on.length) continue;
    const home = design.nodes.find((n) => n.id === nodeOf.get(on[0]!.networkId))!;
    const k = stacked.get(home.id) ?? 0;
    stacked.set(home.id, k + 1);
    const id = `${INSTANCE_PREFIX}${i.id}`;
    boxes.push({
      id,
      name: i.name,
      sub: on.map((n) => n.ip).join(', '),
      x: home.x + 20,
      y: home.y + BELOW + k * STEP,
    });
    for (const n of on)
      links.push({
        id: `${id}->${nodeOf.get(n.networkId)}`,
        source: id,
        target: nodeOf.get(n.networkId)!,
        label: n.ip,
      });
  }
  return { boxes, links };
}
