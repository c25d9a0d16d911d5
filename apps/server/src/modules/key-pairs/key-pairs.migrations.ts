import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const keyPairsMigrations: ModuleMigration[] = [
  {
    name: '0031_keypairs_key_pairs',
    async up(db) {
      await db.schema
        .createTable('key_pairs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('bits', 'integer', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('key_pairs_owner_name_uq', ['owner_id', 'name'])
        .execute();
    },
  },
];
