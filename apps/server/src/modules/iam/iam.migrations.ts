import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const iamMigrations: ModuleMigration[] = [
  {
    name: '0001_iam_users',
    async up(db) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('full_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .addCheckConstraint('users_role_check', sql`role in ('admin', 'operator', 'readonly')`)
        .addCheckConstraint('users_status_check', sql`status in ('active', 'disabled')`)
        .execute();
      await db.schema.createIndex('users_role_status_idx').on('users').columns(['role', 'status']).execute();
    },
  },
  {
    name: '0002_iam_sessions',
    async up(db) {
      await db.schema
        .createTable('auth_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_reason', 'text')
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('auth_sessions_user_idx').on('auth_sessions').column('user_id').execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) =>
          c.notNull().references('auth_sessions.id').onDelete('cascade'),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('spent_at', 'text')
        .execute();
      await db.schema
        .createIndex('refresh_tokens_session_idx')
        .on('refresh_tokens')
        .column('session_id')
        .execute();
      await db.schema
        .createTable('login_lockouts')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0003_iam_access_keys',
    async up(db) {
      await db.schema
        .createTable('access_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('access_keys_owner_idx').on('access_keys').column('owner_id').execute();
    },
  },
  {
    // Lockouts per username AND source address: a stranger's wrong passwords no longer lock the
    // account for its owner elsewhere (issue 10). Old rows are transient (15 minutes): dropped.
    name: '0010_iam_lockout_sources',
    async up(db) {
      await db.schema.dropTable('login_lockouts').execute();
      await db.schema
        .createTable('login_lockouts')
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('login_lockouts_pk', ['username', 'source'])
        .execute();
    },
  },
  {
    // The per-address login failure window moves from process memory to the database: shared by
    // every server on one PostgreSQL, and kept across restarts (issue 21).
    name: '0102_iam_login_ip_failures',
    async up(db) {
      await db.schema
        .createTable('login_ip_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('login_ip_failures_source_idx')
        .on('login_ip_failures')
        .columns(['source', 'at'])
        .execute();
      await db.schema.createIndex('login_ip_failures_at_idx').on('login_ip_failures').column('at').execute();
    },
  },
  {
    // A version of the users table, bumped by triggers on every write (from any process or any
    // server sharing the database): the users list cache is valid while the version it was read
    // at is still current (issue 10 item 20). Triggers, not repository code, so no writer is missed.
    // No row until the first write (an absent row reads as version 0): a migrated database stays empty.
    name: '0105_iam_users_version',
    async up(db, dialect) {
      await db.schema
        .createTable('table_versions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .execute();
      const bump =
        "insert into table_versions (name, version) values ('users', 1) " +
        'on conflict (name) do update set version = table_versions.version + 1';
      if (dialect === 'sqlite') {
        for (const op of ['insert', 'update', 'delete']) {
          await sql
            .raw(`create trigger users_version_${op} after ${op} on users begin ${bump}; end`)
            .execute(db);
        }
      } else {
        await sql
          .raw(
            'create function users_version_bump() returns trigger language plpgsql as $$ ' +
              `begin ${bump}; return null; end $$`,
          )
          .execute(db);
        await sql
          .raw(
            'create trigger users_version after insert or update or delete or truncate on users ' +
              'for each statement execute function users_version_bump()',
          )
          .execute(db);
      }
    },
  },
];
