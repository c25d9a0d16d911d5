import type { ModuleMigration } from '../db/migrations.ts';

/**
 * Servers sharing one database (platform/cluster): each running server's heartbeat row. On
 * PostgreSQL several servers may run against one database; a server whose heartbeat is older
 * than the TTL is dead and others take over its operations.
 */
export const clusterMigrations: ModuleMigration[] = [
  {
    name: '0100_platform_cluster_servers',
    async up(db) {
      await db.schema
        .createTable('cluster_servers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
