import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const functionsMigrations: ModuleMigration[] = [
  {
    name: '0120_functions_functions',
    async up(db) {
      await db.schema
        .createTable('functions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('runtime', 'text', (c) => c.notNull())
        .addColumn('handler', 'text', (c) => c.notNull())
        .addColumn('memory_mb', 'integer', (c) => c.notNull())
        .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
        .addColumn('env', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('secrets', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('network', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('concurrency', 'integer', (c) => c.notNull())
        .addColumn('failure_webhook', 'text')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('url_id', 'text', (c) => c.unique())
        .addColumn('url_auth', 'text')
        .addColumn('url_cors', 'text')
        .addColumn('last_invoked_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('functions_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('function_versions')
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('code_sha256', 'text', (c) => c.notNull())
        .addColumn('code_size', 'integer', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('function_versions_pk', ['function_id', 'version'])
        .execute();
      await db.schema
        .createTable('function_aliases')
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('function_aliases_pk', ['function_id', 'name'])
        .execute();
      await db.schema
        .createTable('function_invocations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('function_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('async', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('cold', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('duration_ms', 'real')
        .addColumn('billed_ms', 'integer')
        .addColumn('memory_used_mb', 'real')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('logs', 'text')
        .addColumn('logs_truncated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('function_invocations_fn_created_ix')
        .on('function_invocations')
        .columns(['function_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('function_invocations_queue_ix')
        .on('function_invocations')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
  },
];
