import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import { GENESIS_HASH } from './audit.chain.ts';

export const auditMigrations: ModuleMigration[] = [
  {
    name: '0004_audit_log',
    async up(db) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('timestamp', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('username', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text')
        .addColumn('resource_id', 'text')
        .addColumn('source_ip', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_timestamp_idx').on('audit_log').column('timestamp').execute();
      await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['user_id', 'id']).execute();
      await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'id']).execute();
      await db.schema
        .createIndex('audit_log_resource_idx')
        .on('audit_log')
        .columns(['resource_type', 'resource_id'])
        .execute();
      // Chain head: one row, locked by every append (SELECT … FOR UPDATE on PostgreSQL).
      await db.schema
        .createTable('audit_chain')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('last_id', 'integer', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into audit_chain (id, last_id, last_hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('last_id', 'integer', (c) => c.notNull().unique())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
