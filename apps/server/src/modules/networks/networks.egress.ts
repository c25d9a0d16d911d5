/**
 * Egress follows the route table (issue 20: "private instances reach outside only through their
 * route table's NAT target"). Outside = any destination that is not a ProxiCloud network. A network
 * reaches outside when
 *   - its route table has a default route (`0.0.0.0/0` → a NAT gateway or a router instance), or
 *   - the network's **own** SNAT is on (a "public" network, like AWS's default VPC; the default
 *     network is made so). SNAT switched on by an `sdnSnat` NAT gateway does not count: that
 *     gateway only works through a route.
 * Otherwise its NICs may send only to ProxiCloud networks (the cluster IP set `pc-networks`; what
 * reaches another network is still decided by that network's inbound rules, peerings included),
 * to the destinations of the table's other routes, and DHCP; everything else is dropped. The rules
 * live in the network's "same network" group `pcn-<vnet>` (out direction, referenced per NIC with
 * `iface net<N>`, placed before the security groups), so a route change rewrites one cluster group
 * and the next packet of every guest on the network follows it.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../platform/db/schema.ts';
import type { NetworkRow } from './networks.repository.ts';
import { MANAGED, type PveRule } from './networks.rules.ts';

/** The cluster IP set of every live network's CIDRs ("inside"). */
export const NETWORKS_SET = 'pc-networks';
export const EGRESS_SET_COMMENT = `${MANAGED}:networks (egress inside)`;

export interface EgressPolicy {
  /** may reach any destination */
  open: boolean;
  /** why: `ownSnat`, `defaultRoute`, or null (closed) */
  via: 'ownSnat' | 'defaultRoute' | null;
  /** closed: the table's other route destinations, which stay reachable */
  destinations: string[];
}

const isDefault = (cidr: string) => /\/0$/.test(cidr.trim());

/** The network's own SNAT: what it has without an `sdnSnat` gateway's help. */
async function ownSnat(db: Kysely<Tables>, net: NetworkRow): Promise<boolean> {
  const gw = await db
    .selectFrom('nat_gateways')
    .select(['snat_before'])
    .where('network_id', '=', net.id)
    .where('kind', '=', 'sdnSnat')
    .where('status', '<>', 'deleted')
    .executeTakeFirst();
  return gw ? Number(gw.snat_before) === 1 : Number(net.snat) === 1;
}

/** The routes of the table the network uses (its association, else the owner's default table). */
async function tableRoutes(db: Kysely<Tables>, net: NetworkRow): Promise<string[]> {
  const assoc = await db
    .selectFrom('route_table_networks')
    .select('table_id')
    .where('network_id', '=', net.id)
    .executeTakeFirst();
  const tableId =
    assoc?.table_id ??
    (
      await db
        .selectFrom('route_tables')
        .select('id')
        .where('owner_id', '=', net.owner_id)
        .where('is_default', '=', 1)
        .executeTakeFirst()
    )?.id;
  if (!tableId) return [];
  const rows = await db
    .selectFrom('route_table_routes')
    .select(['destination_cidr', 'target_type', 'target_id'])
    .where('table_id', '=', tableId)
    .orderBy('position')
    .execute();
  const out: string[] = [];
  for (const r of rows) {
    if (r.target_type === 'natGateway' && r.target_id) {
      // a route to a gateway that is gone carries nothing
      const gw = await db
        .selectFrom('nat_gateways')
        .select('status')
        .where('id', '=', r.target_id)
        .executeTakeFirst();
      if (!gw || gw.status === 'deleted') continue;
    }
    out.push(r.destination_cidr);
  }
  return out;
}

export async function egressPolicy(db: Kysely<Tables>, net: NetworkRow): Promise<EgressPolicy> {
  if (await ownSnat(db, net)) return { open: true, via: 'ownSnat', destinations: [] };
  const routes = await tableRoutes(db, net);
  if (routes.some(isDefault)) return { open: true, via: 'defaultRoute', destinations: [] };
  return { open: false, via: null, destinations: [...new Set(routes)] };
}

/** The out-direction rules of the network's group for `policy` (none when open). */
export function egressRules(net: NetworkRow, policy: EgressPolicy): PveRule[] {
  if (policy.open) return [];
  const c = (what: string) => `${MANAGED}:${net.id} egress ${what}`;
  return [
    // DHCP discover/request leave from 0.0.0.0 to the broadcast address (PVE's guest option `dhcp`
    // is off on our guests, so nothing else lets them out)
    { type: 'out', action: 'ACCEPT', proto: 'udp', dport: '67', enable: 1, comment: c('dhcp') },
    { type: 'out', action: 'ACCEPT', dest: `+dc/${NETWORKS_SET}`, enable: 1, comment: c('networks') },
    ...policy.destinations.map(
      (dest): PveRule => ({ type: 'out', action: 'ACCEPT', dest, enable: 1, comment: c('route') }),
    ),
    { type: 'out', action: 'DROP', enable: 1, comment: c('no route to a NAT target') },
  ];
}

/** The `pc-networks` entries: every live network's IPv4 CIDR and IPv6 prefix. */
export function networkCidrs(nets: readonly NetworkRow[]): string[] {
  return [...new Set(nets.flatMap((n) => [n.cidr, ...(n.cidr6 ? [n.cidr6] : [])]))].sort();
}
