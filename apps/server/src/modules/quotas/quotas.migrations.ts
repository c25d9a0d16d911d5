import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const quotasMigrations: ModuleMigration[] = [
  {
    name: '0032_quotas_quotas',
    async up(db) {
      // user_id = 'default' holds the limits of users without their own row; null = unlimited.
      await db.schema
        .createTable('quotas')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('max_vcpu', 'integer')
        .addColumn('max_memory_mib', 'integer')
        .addColumn('max_disk_gb', 'integer')
        .addColumn('max_instances', 'integer')
        .addColumn('max_volumes', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
    },
  },
  {
    name: '0056_quotas_backup_limit',
    async up(db) {
      await db.schema.alterTable('quotas').addColumn('max_backup_gib', 'integer').execute();
    },
  },
  {
    name: '0067_quotas_network_limits',
    async up(db) {
      await db.schema.alterTable('quotas').addColumn('max_networks', 'integer').execute();
      await db.schema.alterTable('quotas').addColumn('max_security_groups', 'integer').execute();
    },
  },
  {
    name: '0170_quotas_function_limits',
    async up(db) {
      // functions owned; invocations running at once; MiB (memoryMb) of running invocations
      await db.schema.alterTable('quotas').addColumn('max_functions', 'integer').execute();
      await db.schema.alterTable('quotas').addColumn('max_function_concurrency', 'integer').execute();
      await db.schema.alterTable('quotas').addColumn('max_function_memory_mib', 'integer').execute();
    },
  },
];
