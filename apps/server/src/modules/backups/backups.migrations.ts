import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const backupsMigrations: ModuleMigration[] = [
  {
    name: '0055_backups_policies_runs_points',
    async up(db) {
      await db.schema
        .createTable('backup_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        // as given: a preset (daily/weekly/monthly) or a cron expression; `cron` is what runs
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('storage', 'text')
        .addColumn('retention', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('missed_run_policy', 'text', (c) => c.notNull())
        .addColumn('notify_channel_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('notify_on', 'text', (c) => c.notNull().defaultTo('["failure"]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('backup_policies_owner_name_uq')
        .on('backup_policies')
        .columns(['owner_id', 'name'])
        .unique()
        .execute();
      await db.schema
        .createTable('backup_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text')
        .addColumn('policy_name', 'text')
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('scheduled_for', 'text')
        .addColumn('operation_id', 'text')
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('outcomes', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('pruned', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('backup_runs_policy_idx')
        .on('backup_runs')
        .columns(['policy_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('backup_runs_owner_idx')
        .on('backup_runs')
        .columns(['owner_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('recovery_points')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text')
        .addColumn('run_id', 'text')
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('resource_name', 'text', (c) => c.notNull())
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('storage', 'text', (c) => c.notNull())
        // instance backups: the vzdump archive; volume backups: the ZFS snapshot (snapshots module)
        .addColumn('volid', 'text')
        .addColumn('snapshot_id', 'text')
        .addColumn('guest_type', 'text')
        .addColumn('vmid', 'integer')
        .addColumn('mode', 'text')
        .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('config', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createIndex('recovery_points_resource_idx')
        .on('recovery_points')
        .columns(['resource_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('recovery_points_owner_idx')
        .on('recovery_points')
        .columns(['owner_id', 'status'])
        .execute();
    },
  },
  {
    name: '0090_backups_zfs_send',
    async up(db) {
      // volume policies may copy each snapshot to the admin's backup dataset (`zfs send`)
      await db.schema
        .alterTable('backup_policies')
        .addColumn('zfs_send', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // `<dataset>@<snapshot>` of that copy, and what the volume was (to restore it after it is gone)
      await db.schema.alterTable('recovery_points').addColumn('copy_ref', 'text').execute();
      await db.schema.alterTable('recovery_points').addColumn('volume_spec', 'text').execute();
      // missed occurrences now always reach the backups handler, which applies the policy's own
      // run_once / skip (so a skipped one is recorded and can be notified)
      await sql`update schedules set missed_run_policy = 'run_once' where kind = 'backups.run'`.execute(db);
    },
  },
  {
    name: '0091_backups_node_slots',
    async up(db) {
      // per-node vzdump concurrency across every server on the database: one row per slot held
      await db.schema
        .createTable('backup_node_slots')
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('backup_node_slots_pk', ['node', 'slot'])
        .execute();
    },
  },
  {
    name: '0092_backups_one_active_run',
    async up(db) {
      // a policy never overlaps itself, also when two servers queue a run at the same moment
      await sql`create unique index backup_runs_one_active_uq on backup_runs (policy_id) where status in ('queued', 'running') and policy_id is not null`.execute(
        db,
      );
    },
  },
];
