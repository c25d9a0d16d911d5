import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const secretsMigrations: ModuleMigration[] = [
  {
    name: '0040_secrets_vault',
    async up(db) {
      await db.schema
        .createTable('secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .addColumn('purge_at', 'text')
        .addUniqueConstraint('secrets_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('secret_versions')
        .addColumn('secret_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('kek_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addPrimaryKeyConstraint('secret_versions_pk', ['secret_id', 'version'])
        .execute();
      await db.schema.createIndex('secret_versions_kek_idx').on('secret_versions').column('kek_id').execute();
      await db.schema
        .createTable('secret_grants')
        .addColumn('secret_id', 'text', (c) => c.notNull())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('access', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_grants_pk', ['secret_id', 'principal'])
        .execute();
      await db.schema
        .createIndex('secret_grants_principal_idx')
        .on('secret_grants')
        .column('principal')
        .execute();
      // secretEnv of instances and functions: references (names or ids), never values
      await db.schema
        .createTable('secret_env_refs')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('env_name', 'text', (c) => c.notNull())
        .addColumn('secret_ref', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_env_refs_pk', ['consumer', 'env_name'])
        .execute();
    },
  },
];
