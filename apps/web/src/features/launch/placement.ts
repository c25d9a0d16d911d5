import type { NodeLaunchOptions, NodeStorage } from './api.ts';

export interface PlacementChoices {
  /** Storages that hold this type of guest (on every candidate node), most free first. */
  storages: NodeStorage[];
  /** Bridges every candidate node has. */
  bridges: string[];
  /** The bridge used when none is picked (what the server picks: vmbr0, else the first). */
  defaultBridge: string | null;
}

/**
 * The storage and bridge choices for a launch: from the chosen node, or — automatic placement —
 * what every online node offers (a storage named on one node only could not be placed elsewhere).
 */
export function placementChoices(nodes: NodeLaunchOptions[], type: 'lxc' | 'vm'): PlacementChoices {
  const online = nodes.filter((n) => n.status === 'online');
  if (!online.length) return { storages: [], bridges: [], defaultBridge: null };
  const [first, ...rest] = online as [NodeLaunchOptions, ...NodeLaunchOptions[]];
  const holds = (s: NodeStorage) => (type === 'vm' ? s.vm : s.lxc);
  const storages = first.storages
    .filter((s) => holds(s) && rest.every((n) => n.storages.some((o) => o.storage === s.storage && holds(o))))
    .map((s) => ({
      ...s,
      // on several nodes: the least free space any of them has
      availBytes: Math.min(
        s.availBytes,
        ...rest.map((n) => n.storages.find((o) => o.storage === s.storage)?.availBytes ?? 0),
      ),
    }))
    .sort((a, b) => b.availBytes - a.availBytes || a.storage.localeCompare(b.storage));
  const bridges = first.bridges.filter((b) => rest.every((n) => n.bridges.includes(b)));
  return {
    storages,
    bridges,
    defaultBridge: bridges.includes('vmbr0') ? 'vmbr0' : (bridges[0] ?? null),
  };
}

const IPV4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}';
/** What the API takes for `network.address` (IPv4 with prefix) and `network.gateway`. */
export const CIDR = new RegExp(`^${IPV4}/(3[0-2]|[12]?\\d)$`);
export const GATEWAY = new RegExp(`^${IPV4}$`);
