import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const appsMigrations: ModuleMigration[] = [
  {
    name: '0110_apps_templates',
    async up(db) {
      await db.schema
        .createTable('app_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('app_templates_owner_idx').on('app_templates').column('owner_id').execute();
    },
  },
  {
    name: '0111_apps_installs',
    async up(db) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('template_version', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('health', 'text', (c) => c.notNull().defaultTo('unknown'))
        .addColumn('health_detail', 'text')
        .addColumn('health_checked_at', 'text')
        .addColumn('ip', 'text')
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('sealed_secrets', 'text')
        .addColumn('volume_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('error', 'text')
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('apps_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('app_logs')
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('app_logs_pk', ['app_id', 'seq'])
        .execute();
    },
  },
];
