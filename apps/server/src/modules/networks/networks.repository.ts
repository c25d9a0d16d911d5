import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { type Executor, likeContains } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export type NetworkStatus = 'creating' | 'available' | 'deleting' | 'error' | 'deleted';

export interface NetworksTable {
  id: string;
  owner_id: string;
  name: string;
  cidr: string;
  cidr6: string | null;
  /** `static` (cloud-init writes the address) or `slaac` (ip6=auto); null without IPv6 */
  ipv6_mode: 'static' | 'slaac' | null;
  gateway: string;
  dhcp_start: string | null;
  dhcp_end: string | null;
  snat: number;
  /** JSON Record<string,string> */
  tags: string;
  is_default: number;
  /** PVE SDN zone and vnet id (≤ 8 characters) */
  zone: string;
  vnet: string;
  /** VXLAN/EVPN VNI (null in a simple zone) */
  vni: number | null;
  status: NetworkStatus;
  status_reason: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface SecurityGroupsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  /** the PVE cluster security group (≤ 18 characters); its member IP set is `<pve_group>-m` */
  pve_group: string;
  created_at: string;
  updated_at: string;
}

export interface SecurityGroupRulesTable {
  id: string;
  group_id: string;
  position: number;
  direction: 'inbound' | 'outbound';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  from_port: number | null;
  to_port: number | null;
  cidr: string | null;
  source_group_id: string | null;
  description: string | null;
}

export interface InstanceNicsTable {
  instance_id: string;
  network_id: string;
  /** PVE `net<slot>` */
  slot: number;
  mac: string;
  ip: string;
  /** IPv6 address (networks with an IPv6 CIDR) */
  ip6: string | null;
  created_at: string;
  /**
   * 1 (default): PVE's ipfilter checks what the NIC sends (anti-spoofing); 0: off for this NIC only
   * (a router or NAT instance forwards other hosts' packets). Migration 0195.
   */
  source_dest_check: Generated<number>;
}

export interface InstanceSecurityGroupsTable {
  instance_id: string;
  group_id: string;
  position: number;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    networks: NetworksTable;
    security_groups: SecurityGroupsTable;
    security_group_rules: SecurityGroupRulesTable;
    instance_nics: InstanceNicsTable;
    instance_security_groups: InstanceSecurityGroupsTable;
  }
}

export type NetworkRow = Selectable<NetworksTable>;
export type SecurityGroupRow = Selectable<SecurityGroupsTable>;
export type RuleRow = Selectable<SecurityGroupRulesTable>;
export type NicRow = Selectable<InstanceNicsTable>;

export class NetworksRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): NetworksRepository {
    return new NetworksRepository(trx);
  }

  // ---- networks
  list(actor: Actor, q: string | undefined, page: Page): Promise<{ rows: NetworkRow[]; total: number }> {
    let query = scope(this.db.selectFrom('networks'), actor).where('status', '<>', 'deleted');
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    return pageOf<NetworkRow>(query, page, [['name'], ['id']]);
  }

  findScoped(actor: Actor, id: string): Promise<NetworkRow | undefined> {
    return scope(
      this.db.selectFrom('networks').selectAll().where('id', '=', id).where('status', '<>', 'deleted'),
      actor,
    ).executeTakeFirst();
  }

  find(id: string): Promise<NetworkRow | undefined> {
    return this.db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  liveOf(ownerId: string): Promise<NetworkRow[]> {
    return this.db
      .selectFrom('networks')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('status', '<>', 'deleted')
      .execute();
  }

  allLive(): Promise<NetworkRow[]> {
    return this.db.selectFrom('networks').selectAll().where('status', '<>', 'deleted').execute();
  }

  async vnetTaken(vnet: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('networks')
      .select('id')
      .where('vnet', '=', vnet)
      .where('status', '<>', 'deleted')
      .executeTakeFirst());
  }

  async insertNetwork(row: Insertable<NetworksTable>): Promise<void> {
    await this.db.insertInto('networks').values(row).execute();
  }

  async updateNetwork(id: string, patch: Updateable<NetworksTable>): Promise<void> {
    await this.db.updateTable('networks').set(patch).where('id', '=', id).execute();
  }

  async maxVni(): Promise<number> {
    const r = await this.db
      .selectFrom('networks')
      .select((eb) => eb.fn.max('vni').as('m'))
      .executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  // ---- security groups
  listGroups(
    actor: Actor,
    q: string | undefined,
    page: Page,
  ): Promise<{ rows: SecurityGroupRow[]; total: number }> {
    let query = scope(this.db.selectFrom('security_groups'), actor);
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    return pageOf<SecurityGroupRow>(query, page, [['name'], ['id']]);
  }

  findGroupScoped(actor: Actor, id: string): Promise<SecurityGroupRow | undefined> {
    return scope(
      this.db.selectFrom('security_groups').selectAll().where('id', '=', id),
      actor,
    ).executeTakeFirst();
  }

  findGroup(id: string): Promise<SecurityGroupRow | undefined> {
    return this.db.selectFrom('security_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  groupsOwned(ownerId: string, ids: readonly string[]): Promise<SecurityGroupRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('security_groups')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('id', 'in', ids)
      .execute();
  }

  groupsByIds(ids: readonly string[]): Promise<SecurityGroupRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('security_groups').selectAll().where('id', 'in', ids).execute();
  }

  allGroups(): Promise<SecurityGroupRow[]> {
    return this.db.selectFrom('security_groups').selectAll().execute();
  }

  groupsOfOwner(ownerId: string): Promise<SecurityGroupRow[]> {
    return this.db.selectFrom('security_groups').selectAll().where('owner_id', '=', ownerId).execute();
  }

  async insertGroup(row: Insertable<SecurityGroupsTable>): Promise<void> {
    await this.db.insertInto('security_groups').values(row).execute();
  }

  async updateGroup(id: string, patch: Updateable<SecurityGroupsTable>): Promise<void> {
    await this.db.updateTable('security_groups').set(patch).where('id', '=', id).execute();
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.deleteFrom('security_group_rules').where('group_id', '=', id).execute();
    await this.db.deleteFrom('security_groups').where('id', '=', id).execute();
  }

  rulesOf(groupIds: readonly string[]): Promise<RuleRow[]> {
    if (!groupIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('security_group_rules')
      .selectAll()
      .where('group_id', 'in', groupIds)
      .orderBy('group_id')
      .orderBy('position')
      .execute();
  }

  async replaceRules(groupId: string, rules: Insertable<SecurityGroupRulesTable>[]): Promise<void> {
    await this.db.deleteFrom('security_group_rules').where('group_id', '=', groupId).execute();
    if (rules.length) await this.db.insertInto('security_group_rules').values(rules).execute();
  }

  /** Groups whose rules name `groupId` as their peer. */
  async referencing(groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('security_group_rules')
      .select('group_id')
      .distinct()
      .where('source_group_id', '=', groupId)
      .execute();
    return rows.map((r) => r.group_id);
  }

  async referenceEdges(ownerId: string): Promise<Map<string, string[]>> {
    const rows = await this.db
      .selectFrom('security_group_rules as r')
      .innerJoin('security_groups as g', 'g.id', 'r.group_id')
      .select(['r.group_id', 'r.source_group_id'])
      .where('g.owner_id', '=', ownerId)
      .where('r.source_group_id', 'is not', null)
      .execute();
    const m = new Map<string, string[]>();
    for (const r of rows) m.set(r.group_id, [...(m.get(r.group_id) ?? []), r.source_group_id!]);
    return m;
  }

  // ---- attachments
  nicsOf(instanceIds: readonly string[]): Promise<NicRow[]> {
    if (!instanceIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('instance_nics')
      .selectAll()
      .where('instance_id', 'in', instanceIds)
      .orderBy('instance_id')
      .orderBy('slot')
      .execute();
  }

  /** Addresses NAT VMs hold on the network (not instance NICs, but taken all the same). */
  async natVmAddressesOn(networkId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('nat_gateways')
      .select('private_address')
      .where('network_id', '=', networkId)
      .where('status', '<>', 'deleted')
      .execute();
    return rows.flatMap((r) => (r.private_address ? [r.private_address] : []));
  }

  nicsOnNetwork(networkId: string): Promise<NicRow[]> {
    return this.db.selectFrom('instance_nics').selectAll().where('network_id', '=', networkId).execute();
  }

  async insertNic(row: Insertable<InstanceNicsTable>): Promise<void> {
    await this.db.insertInto('instance_nics').values(row).execute();
  }

  async setSourceDestCheck(instanceId: string, networkId: string, on: boolean): Promise<void> {
    await this.db
      .updateTable('instance_nics')
      .set({ source_dest_check: on ? 1 : 0 })
      .where('instance_id', '=', instanceId)
      .where('network_id', '=', networkId)
      .execute();
  }

  async deleteNic(instanceId: string, networkId: string): Promise<void> {
    await this.db
      .deleteFrom('instance_nics')
      .where('instance_id', '=', instanceId)
      .where('network_id', '=', networkId)
      .execute();
  }

  async deleteNicsOf(instanceId: string): Promise<void> {
    await this.db.deleteFrom('instance_nics').where('instance_id', '=', instanceId).execute();
  }

  async groupIdsOf(instanceId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('instance_security_groups')
      .select('group_id')
      .where('instance_id', '=', instanceId)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.group_id);
  }

  attachmentsOf(instanceIds: readonly string[]): Promise<Selectable<InstanceSecurityGroupsTable>[]> {
    if (!instanceIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('instance_security_groups')
      .selectAll()
      .where('instance_id', 'in', instanceIds)
      .orderBy('position')
      .execute();
  }

  async instancesOfGroup(groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('instance_security_groups')
      .select('instance_id')
      .where('group_id', '=', groupId)
      .execute();
    return rows.map((r) => r.instance_id);
  }

  async setGroupsOf(instanceId: string, groupIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('instance_security_groups').where('instance_id', '=', instanceId).execute();
    if (groupIds.length)
      await this.db
        .insertInto('instance_security_groups')
        .values(groupIds.map((group_id, position) => ({ instance_id: instanceId, group_id, position })))
        .execute();
  }

  /** Instances with NICs or groups (the reconciler's work list). */
  async attachedInstanceIds(): Promise<string[]> {
    const a = await this.db.selectFrom('instance_nics').select('instance_id').distinct().execute();
    const b = await this.db.selectFrom('instance_security_groups').select('instance_id').distinct().execute();
    return [...new Set([...a, ...b].map((r) => r.instance_id))];
  }

  async countLive(ownerId: string): Promise<number> {
    const n = await this.liveOf(ownerId);
    const g = await this.groupsOfOwner(ownerId);
    return n.length + g.length;
  }

  /** Quota usage: live networks (the default one included) and security groups. */
  async usage(ownerId: string): Promise<{ networks: number; securityGroups: number }> {
    const [n, g] = await Promise.all([this.liveOf(ownerId), this.groupsOfOwner(ownerId)]);
    return { networks: n.length, securityGroups: g.length };
  }

  async reassign(from: string, to: string): Promise<void> {
    await this.db.updateTable('networks').set({ owner_id: to }).where('owner_id', '=', from).execute();
    await this.db.updateTable('security_groups').set({ owner_id: to }).where('owner_id', '=', from).execute();
  }
}
