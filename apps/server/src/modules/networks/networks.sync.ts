/**
 * Keeps Proxmox's firewall in line with our database: a security group's PVE group (compiled
 * rules) and member IP set (the addresses of every NIC of every instance attached to it), a
 * network's "same network" group, and each instance's guest firewall (options + group rules).
 * Used by the services after a change and by the reconciler to repair drift.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { type GuestRef, type InstancesPort, refOf } from '../instances/index.ts';
import { nicView } from './networks.attach.ts';
import {
  EGRESS_SET_COMMENT,
  egressPolicy,
  egressRules,
  NETWORKS_SET,
  networkCidrs,
} from './networks.egress.ts';
import { activePeeringsOf } from './networks.peerings.ts';
import { type GuestFirewall, networkGroup, type PveNetworking } from './networks.pve.ts';
import type { NetworkRow, NetworksRepository, NicRow, SecurityGroupRow } from './networks.repository.ts';
import { compileRules, MANAGED, memberSet, type PveRule } from './networks.rules.ts';
import { toRule } from './networks.views.ts';

export class FirewallSync {
  constructor(
    private readonly deps: {
      repo: NetworksRepository;
      pve: () => PveNetworking;
      instances: InstancesPort;
      logger: Logger;
      /** PVE's ipfilter (anti-spoofing) on managed guests (PROXICLOUD_IPFILTER, default on) */
      ipfilter?: () => boolean;
    },
  ) {}

  private get ipfilter(): boolean {
    return this.deps.ipfilter?.() ?? true;
  }

  private get repo() {
    return this.deps.repo;
  }

  /** The group's compiled PVE rules. */
  async compiled(group: SecurityGroupRow): Promise<PveRule[]> {
    const rules = (await this.repo.rulesOf([group.id])).map(toRule);
    const peers = await this.repo.groupsByIds([
      ...new Set(rules.flatMap((r) => (r.sourceSecurityGroupId ? [r.sourceSecurityGroupId] : []))),
    ]);
    const byId = new Map(peers.map((p) => [p.id, p.pve_group]));
    return compileRules(rules, (id) => byId.get(id) ?? 'missing');
  }

  /** Addresses of every NIC of every instance attached to the group. */
  async memberAddresses(groupId: string): Promise<string[]> {
    const ids = await this.repo.instancesOfGroup(groupId);
    const nics = await this.repo.nicsOf(ids);
    return [...new Set(nics.flatMap(nicAddresses))].sort();
  }

  /** The group's member IP set, then its rules (peers' sets must exist before rules name them). */
  async syncGroup(group: SecurityGroupRow): Promise<void> {
    const pve = this.deps.pve();
    await pve.syncIpset(
      memberSet(group.pve_group),
      `${MANAGED}:${group.id} members`,
      await this.memberAddresses(group.id),
    );
    await pve.syncGroup(
      group.pve_group,
      `${MANAGED}:${group.id} ${group.name}`.slice(0, 200),
      await this.compiled(group),
    );
  }

  async syncMembers(groupIds: readonly string[]): Promise<void> {
    const pve = this.deps.pve();
    for (const g of await this.repo.groupsByIds(groupIds))
      await pve.syncIpset(
        memberSet(g.pve_group),
        `${MANAGED}:${g.id} members`,
        await this.memberAddresses(g.id),
      );
  }

  /**
   * The same-network group's rules: the network's own CIDR, and per active peering
   * `-source <peer CIDR> -dest <range this side opened>` (networks.peerings.ts).
   */
  async networkGroupRules(net: NetworkRow): Promise<PveRule[]> {
    const rules: PveRule[] = [
      {
        type: 'in',
        action: 'ACCEPT',
        source: net.cidr,
        enable: 1,
        comment: `${MANAGED}:${net.id} same network`,
      },
    ];
    if (net.cidr6)
      rules.push({
        type: 'in',
        action: 'ACCEPT',
        source: net.cidr6,
        enable: 1,
        comment: `${MANAGED}:${net.id} same network v6`,
      });
    for (const pr of await activePeeringsOf(this.repo.db as Kysely<Tables>, net.id)) {
      const peer = await this.repo.find(pr.peerNetworkId);
      if (!peer || peer.status === 'deleted') continue;
      for (const dest of pr.ownAllowed)
        rules.push({
          type: 'in',
          action: 'ACCEPT',
          source: peer.cidr,
          dest,
          enable: 1,
          comment: `${MANAGED}:${pr.peering.id} peering`,
        });
    }
    // egress: without a default route (or the network's own SNAT) only inside + routed destinations
    rules.push(...egressRules(net, await egressPolicy(this.repo.db as Kysely<Tables>, net)));
    return rules;
  }

  /** The group rewritten (after the `pc-networks` set its egress rules name). */
  async syncNetworkGroup(net: NetworkRow): Promise<void> {
    const rules = await this.networkGroupRules(net);
    if (rules.some((r) => r.dest === `+dc/${NETWORKS_SET}`)) await this.syncNetworksSet();
    await this.deps.pve().syncGroup(networkGroup(net.vnet), `${MANAGED}:${net.id}`, rules);
  }

  /** The `pc-networks` IP set: every live network's CIDRs ("inside" for the egress rules). */
  async networksSetEntries(): Promise<string[]> {
    return networkCidrs(await this.repo.allLive());
  }

  async syncNetworksSet(): Promise<boolean> {
    return this.deps.pve().syncIpset(NETWORKS_SET, EGRESS_SET_COMMENT, await this.networksSetEntries());
  }

  /**
   * What the guest firewalls of many instances must hold, read with a handful of queries (the
   * reconciler's batch form of `desiredGuest`).
   */
  async desiredGuests(instanceIds: readonly string[]): Promise<Map<string, GuestFirewall>> {
    const out = new Map<string, GuestFirewall>();
    if (!instanceIds.length) return out;
    const [attachments, nics, groups, nets] = await Promise.all([
      this.repo.attachmentsOf(instanceIds),
      this.repo.nicsOf(instanceIds),
      this.repo.allGroups(),
      this.repo.allLive(),
    ]);
    const groupName = new Map(groups.map((g) => [g.id, g.pve_group]));
    const vnetOf = new Map(nets.map((n) => [n.id, n.vnet]));
    for (const id of instanceIds) out.set(id, { groups: [], nics: [] });
    for (const a of [...attachments].sort((x, y) => Number(x.position) - Number(y.position))) {
      const g = groupName.get(a.group_id);
      if (g) out.get(a.instance_id)?.groups.push(g);
    }
    for (const n of [...nics].sort((x, y) => Number(x.slot) - Number(y.slot))) {
      const vnet = vnetOf.get(n.network_id);
      if (vnet)
        out.get(n.instance_id)?.nics.push({
          slot: Number(n.slot),
          networkGroup: networkGroup(vnet),
          addresses: nicAddresses(n),
          sourceDestCheck: Number(n.source_dest_check ?? 1) !== 0,
        });
    }
    for (const want of out.values()) want.ipfilter = this.ipfilterFor(want);
    return out;
  }

  /**
   * ipfilter only where every NIC is ours: a guest launched on networks has its net0 on one. A
   * guest launched on a plain bridge (net0 on vmbr0, addressed by the LAN) keeps it off, or PVE
   * would drop everything net0 sends (its ipfilter-net0 would be empty). Undefined: setting off.
   */
  private ipfilterFor(want: GuestFirewall): boolean | undefined {
    if (!this.ipfilter) return undefined;
    return want.nics.some((n) => n.slot === 0);
  }

  /** What the guest firewall of an instance must hold. */
  async desiredGuest(instanceId: string): Promise<GuestFirewall> {
    const groupIds = await this.repo.groupIdsOf(instanceId);
    const groups = await this.repo.groupsByIds(groupIds);
    const byId = new Map(groups.map((g) => [g.id, g.pve_group]));
    const nics = await this.repo.nicsOf([instanceId]);
    const nets = new Map<string, NetworkRow>();
    for (const n of nics) {
      const row = await this.repo.find(n.network_id);
      if (row) nets.set(row.id, row);
    }
    const want: GuestFirewall = {
      groups: groupIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
      nics: nics.flatMap((n) =>
        nets.has(n.network_id)
          ? [
              {
                slot: Number(n.slot),
                networkGroup: networkGroup(nets.get(n.network_id)!.vnet),
                addresses: nicAddresses(n),
                sourceDestCheck: Number(n.source_dest_check ?? 1) !== 0,
              },
            ]
          : [],
      ),
    };
    want.ipfilter = this.ipfilterFor(want);
    return want;
  }

  async guestRef(instanceId: string): Promise<GuestRef | null> {
    const row = await this.deps.instances.find(instanceId);
    if (!row || row.status === 'terminated' || row.vmid === null || row.node === null) return null;
    return refOf(row);
  }

  /** Brings the instance's guest firewall in line; `repair` also drops ACCEPT rules added by hand. */
  async syncInstance(instanceId: string, repair = false): Promise<void> {
    const ref = await this.guestRef(instanceId);
    if (!ref) return;
    await this.deps.pve().syncGuest(ref, await this.desiredGuest(instanceId), repair ? [] : undefined);
  }

  /** The instance's NIC/security-group view on its row (what GET /instances shows). */
  async publishView(instanceId: string): Promise<void> {
    const nics = await this.repo.nicsOf([instanceId]);
    const securityGroupIds = await this.repo.groupIdsOf(instanceId);
    await this.deps.instances.setNetworkView(instanceId, {
      nics: nics.map(nicView),
      securityGroupIds,
    });
    await this.deps.instances.publish(instanceId).catch(() => undefined);
  }
}

/** The addresses a NIC may send from (PVE ipfilter) and that represent it in member IP sets. */
export function nicAddresses(n: NicRow): string[] {
  return [n.ip, ...(n.ip6 ? [n.ip6] : [])];
}
