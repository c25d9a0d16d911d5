import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const metricsMigrations: ModuleMigration[] = [
  {
    // volume (used/size) and bucket (objects/bytes) samples: PVE keeps no history of these
    name: '0085_metrics_resource_samples',
    async up(db) {
      await db.schema
        .createTable('resource_samples')
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('used_bytes', 'double precision')
        .addColumn('size_bytes', 'double precision')
        .addColumn('object_count', 'double precision')
        .addPrimaryKeyConstraint('resource_samples_pk', ['resource_type', 'resource_id', 'at'])
        .execute();
      await db.schema.createIndex('resource_samples_at_idx').on('resource_samples').column('at').execute();
    },
  },
];
