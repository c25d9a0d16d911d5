import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const volumesMigrations: ModuleMigration[] = [
  {
    name: '0035_volumes_volumes',
    async up(db) {
      await db.schema
        .createTable('volume_types')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('storage', 'text', (c) => c.notNull())
        .addColumn('zfs_pool', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      // Demo defaults (the simulator's pools); admins map types to their own storages.
      await (db as import('kysely').Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('volume_types')
        .values([
          {
            name: 'ssd',
            storage: 'local-zfs',
            zfs_pool: 'rpool/data',
            description: 'Fast SSD pool',
            created_at: now,
            updated_at: now,
          },
          {
            name: 'hdd',
            storage: 'tank',
            zfs_pool: 'tank/data',
            description: 'Large HDD pool',
            created_at: now,
            updated_at: now,
          },
        ])
        .execute();
      await db.schema
        .createTable('volumes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size_gb', 'integer', (c) => c.notNull())
        .addColumn('volume_type', 'text', (c) => c.notNull())
        .addColumn('storage', 'text', (c) => c.notNull())
        .addColumn('zfs_pool', 'text', (c) => c.notNull())
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('pve_volid', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('instance_id', 'text')
        .addColumn('device', 'text')
        .addColumn('device_name', 'text')
        .addColumn('mount_path', 'text')
        .addColumn('source_snapshot_id', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createIndex('volumes_owner_status_idx')
        .on('volumes')
        .columns(['owner_id', 'status'])
        .execute();
      await db.schema.createIndex('volumes_instance_idx').on('volumes').column('instance_id').execute();
      await sql`create unique index volumes_owner_name_live_uq on volumes (owner_id, name) where status <> 'deleted'`.execute(
        db,
      );
      await db.schema
        .createTable('volume_snapshots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('volume_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('zfs_name', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createIndex('volume_snapshots_volume_idx')
        .on('volume_snapshots')
        .columns(['volume_id', 'created_at'])
        .execute();
      await sql`create unique index volume_snapshots_name_live_uq on volume_snapshots (volume_id, name) where status <> 'deleted'`.execute(
        db,
      );
    },
  },
];
