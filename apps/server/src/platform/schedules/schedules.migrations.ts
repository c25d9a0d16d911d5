import type { ModuleMigration } from '../db/migrations.ts';

/** Persisted cron schedules and the runner lease (platform/schedules). */
export const schedulesMigrations: ModuleMigration[] = [
  {
    name: '0036_platform_schedules',
    async up(db) {
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('missed_run_policy', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text')
        .addColumn('last_run_at', 'text')
        .addColumn('last_scheduled_for', 'text')
        .addColumn('last_status', 'text')
        .addColumn('last_error', 'text')
        .addColumn('last_duration_ms', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('schedules_kind_resource_key', ['kind', 'resource_id'])
        .execute();
      await db.schema
        .createIndex('schedules_due_idx')
        .on('schedules')
        .columns(['enabled', 'next_run_at'])
        .execute();
      await db.schema.createIndex('schedules_owner_idx').on('schedules').column('owner_id').execute();
      await db.schema
        .createTable('scheduler_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('acquired_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
