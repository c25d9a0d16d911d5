import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const instancesMigrations: ModuleMigration[] = [
  {
    name: '0034_instances_instances',
    async up(db) {
      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('instance_type', 'text')
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('os', 'text')
        .addColumn('node', 'text')
        .addColumn('vmid', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('vcpu', 'integer', (c) => c.notNull())
        .addColumn('memory_mib', 'integer', (c) => c.notNull())
        .addColumn('disk_gb', 'integer', (c) => c.notNull())
        .addColumn('storage', 'text', (c) => c.notNull())
        .addColumn('bridge', 'text', (c) => c.notNull())
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('key_pair_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ips', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('active_operation_id', 'text')
        .addColumn('needs_cleanup', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('managed', 'text', (c) => c.notNull().defaultTo('created'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('launched_at', 'text')
        .addColumn('terminated_at', 'text')
        .execute();
      await db.schema
        .createIndex('instances_owner_status_idx')
        .on('instances')
        .columns(['owner_id', 'status'])
        .execute();
      await db.schema
        .createIndex('instances_status_idx')
        .on('instances')
        .columns(['status', 'created_at'])
        .execute();
      // PVE VMIDs are cluster-wide: one live instance per VMID, and one live name per owner.
      await sql`create unique index instances_vmid_live_uq on instances (vmid) where vmid is not null and status <> 'terminated'`.execute(
        db,
      );
      await sql`create unique index instances_owner_name_live_uq on instances (owner_id, name) where status <> 'terminated'`.execute(
        db,
      );
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('operation_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['owner_id', 'key'])
        .execute();
    },
  },
  {
    // NICs on ProxiCloud networks and security groups, as the networks module last wrote them
    name: '0066_instances_net_view',
    async up(db) {
      await db.schema.alterTable('instances').addColumn('net_view', 'text').execute();
    },
  },
];
