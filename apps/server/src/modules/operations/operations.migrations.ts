import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const operationsMigrations: ModuleMigration[] = [
  {
    name: '0033_operations_operations',
    async up(db) {
      await db.schema
        .createTable('operations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('message', 'text')
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('worker_id', 'text')
        .addColumn('request_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('operations_owner_created_idx')
        .on('operations')
        .columns(['owner_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('operations_status_idx')
        .on('operations')
        .columns(['status', 'created_at'])
        .execute();
      await db.schema.createIndex('operations_resource_idx').on('operations').column('resource_id').execute();
    },
  },
];
