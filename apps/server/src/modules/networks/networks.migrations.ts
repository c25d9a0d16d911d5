import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const networksMigrations: ModuleMigration[] = [
  {
    name: '0065_networks_networks_security_groups',
    async up(db) {
      await db.schema
        .createTable('networks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('cidr', 'text', (c) => c.notNull())
        .addColumn('cidr6', 'text')
        .addColumn('gateway', 'text', (c) => c.notNull())
        .addColumn('dhcp_start', 'text')
        .addColumn('dhcp_end', 'text')
        .addColumn('snat', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('vnet', 'text', (c) => c.notNull())
        .addColumn('vni', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await sql`create unique index networks_vnet_live_uq on networks (vnet) where status <> 'deleted'`.execute(
        db,
      );
      await sql`create unique index networks_owner_name_live_uq on networks (owner_id, name) where status <> 'deleted'`.execute(
        db,
      );
      await db.schema
        .createTable('security_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('pve_group', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('security_groups_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('security_group_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('from_port', 'integer')
        .addColumn('to_port', 'integer')
        .addColumn('cidr', 'text')
        .addColumn('source_group_id', 'text')
        .addColumn('description', 'text')
        .execute();
      await db.schema
        .createIndex('security_group_rules_group_idx')
        .on('security_group_rules')
        .columns(['group_id', 'position'])
        .execute();
      await db.schema
        .createTable('instance_nics')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('network_id', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('instance_nics_pk', ['instance_id', 'network_id'])
        .execute();
      await db.schema
        .createIndex('instance_nics_network_idx')
        .on('instance_nics')
        .column('network_id')
        .execute();
      await db.schema
        .createTable('instance_security_groups')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('instance_security_groups_pk', ['instance_id', 'group_id'])
        .execute();
      await db.schema
        .createIndex('instance_security_groups_group_idx')
        .on('instance_security_groups')
        .column('group_id')
        .execute();
    },
  },
  {
    // IPv6 on NICs (static or SLAAC per network; the address is known either way: EUI-64 of the MAC)
    name: '0080_networks_ipv6',
    async up(db) {
      await db.schema.alterTable('instance_nics').addColumn('ip6', 'text').execute();
      await db.schema.alterTable('networks').addColumn('ipv6_mode', 'text').execute();
    },
  },
  {
    // route tables (issue 20): named tables of routes, one table per network, a default per owner
    name: '0160_networks_route_tables',
    async up(db) {
      await db.schema
        .createTable('route_tables')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status_reason', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('route_tables_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('route_table_routes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('table_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('destination_cidr', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .execute();
      await db.schema
        .createIndex('route_table_routes_table_idx')
        .on('route_table_routes')
        .columns(['table_id', 'position'])
        .execute();
      await db.schema
        .createTable('route_table_networks')
        .addColumn('network_id', 'text', (c) => c.primaryKey())
        .addColumn('table_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('route_table_networks_table_idx')
        .on('route_table_networks')
        .column('table_id')
        .execute();
      // what the guests of a network last got (so a later apply removes routes no longer wanted)
      await db.schema
        .createTable('network_routes_applied')
        .addColumn('network_id', 'text', (c) => c.primaryKey())
        .addColumn('routes', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    // NAT gateways (issue 20): `sdnSnat` = the subnet's SNAT on PVE, serving its own network
    name: '0161_networks_nat_gateways',
    async up(db) {
      await db.schema
        .createTable('nat_gateways')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('network_id', 'text', (c) => c.notNull())
        .addColumn('snat_before', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await sql`create unique index nat_gateways_owner_name_live_uq on nat_gateways (owner_id, name) where status <> 'deleted'`.execute(
        db,
      );
      await sql`create unique index nat_gateways_network_live_uq on nat_gateways (network_id) where status <> 'deleted'`.execute(
        db,
      );
    },
  },
  {
    // peerings (issue 20): request/accept between two networks, allowed ranges per side
    name: '0162_networks_peerings',
    async up(db) {
      await db.schema
        .createTable('peerings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('requester_owner_id', 'text', (c) => c.notNull())
        .addColumn('requester_network_id', 'text', (c) => c.notNull())
        .addColumn('requester_cidrs', 'text', (c) => c.notNull())
        .addColumn('accepter_owner_id', 'text', (c) => c.notNull())
        .addColumn('accepter_network_id', 'text', (c) => c.notNull())
        .addColumn('accepter_cidrs', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createIndex('peerings_requester_net_idx')
        .on('peerings')
        .column('requester_network_id')
        .execute();
      await db.schema
        .createIndex('peerings_accepter_net_idx')
        .on('peerings')
        .column('accepter_network_id')
        .execute();
    },
  },
  {
    // NAT gateways of kind `natVm`: the managed container, its two addresses (the public one kept
    // across re-creation, like an elastic IP) and its health
    name: '0163_networks_nat_vm',
    async up(db) {
      for (const [col, type] of [
        ['node', 'text'],
        ['vmid', 'integer'],
        ['private_address', 'text'],
        ['public_address', 'text'],
        ['health', 'text'],
        ['health_checked_at', 'text'],
      ] as const)
        await db.schema.alterTable('nat_gateways').addColumn(col, type).execute();
      await sql`create unique index nat_gateways_public_live_uq on nat_gateways (public_address) where status <> 'deleted' and public_address is not null`.execute(
        db,
      );
    },
  },
  {
    // per-NIC source/destination check (PVE ipfilter per NIC): on by default
    name: '0195_networks_nic_source_dest_check',
    async up(db) {
      await db.schema
        .alterTable('instance_nics')
        .addColumn('source_dest_check', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  },
];
