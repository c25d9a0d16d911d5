import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const stacksMigrations: ModuleMigration[] = [
  {
    name: '0060_stacks_stacks',
    async up(db) {
      await db.schema
        .createTable('stacks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        // StackState as JSON: the resources the stack owns, their ids, resolved specs and outputs
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('resource_count', 'integer', (c) => c.notNull())
        .addColumn('spec_hash', 'text')
        .addColumn('document', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lock_id', 'text')
        .addColumn('lock_until', 'text')
        .addColumn('last_applied_at', 'text')
        .addColumn('last_applied_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('stacks_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('stack_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('stack_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('spec_hash', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('stack_history_stack_idx')
        .on('stack_history')
        .columns(['stack_id', 'started_at'])
        .execute();
    },
  },
  {
    // applies and destroys run as operations: the running one on the stack, and each history entry's
    name: '0095_stacks_operations',
    async up(db) {
      await db.schema.alterTable('stacks').addColumn('operation_id', 'text').execute();
      await db.schema.alterTable('stack_history').addColumn('operation_id', 'text').execute();
    },
  },
];
