import type { ModuleMigration } from '../../platform/db/migrations.ts';

/** Built-in instance types (AWS-style t-family). Admins add their own next to them. */
export const BUILTIN_INSTANCE_TYPES = [
  { name: 't.nano', description: 'Tiny: 1 vCPU, 512 MiB', vcpu: 1, memory_mib: 512, disk_gb: 4 },
  { name: 't.micro', description: 'Micro: 1 vCPU, 768 MiB', vcpu: 1, memory_mib: 768, disk_gb: 8 },
  { name: 't.small', description: 'Small: 1 vCPU, 1 GiB', vcpu: 1, memory_mib: 1024, disk_gb: 10 },
  { name: 't.medium', description: 'Medium: 2 vCPU, 4 GiB', vcpu: 2, memory_mib: 4096, disk_gb: 20 },
  { name: 't.large', description: 'Large: 4 vCPU, 8 GiB', vcpu: 4, memory_mib: 8192, disk_gb: 40 },
  { name: 't.xlarge', description: 'Extra large: 8 vCPU, 16 GiB', vcpu: 8, memory_mib: 16384, disk_gb: 80 },
];

export const catalogMigrations: ModuleMigration[] = [
  {
    name: '0030_catalog_instance_types',
    async up(db) {
      await db.schema
        .createTable('instance_types')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('vcpu', 'integer', (c) => c.notNull())
        .addColumn('memory_mib', 'integer', (c) => c.notNull())
        .addColumn('disk_gb', 'integer', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      await (db as import('kysely').Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('instance_types')
        .values(BUILTIN_INSTANCE_TYPES.map((t) => ({ ...t, builtin: 1, created_at: now })))
        .execute();
    },
  },
];
