import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface InstanceTypesTable {
  name: string;
  description: string;
  vcpu: number;
  memory_mib: number;
  disk_gb: number;
  builtin: number;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    instance_types: InstanceTypesTable;
  }
}

export type InstanceTypeRow = Selectable<InstanceTypesTable>;

export class CatalogRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): CatalogRepository {
    return new CatalogRepository(trx);
  }

  listTypes(): Promise<InstanceTypeRow[]> {
    return this.db
      .selectFrom('instance_types')
      .selectAll()
      .orderBy('vcpu')
      .orderBy('memory_mib')
      .orderBy('name')
      .execute();
  }

  findType(name: string): Promise<InstanceTypeRow | undefined> {
    return this.db.selectFrom('instance_types').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async insertType(row: Insertable<InstanceTypesTable>): Promise<void> {
    await this.db.insertInto('instance_types').values(row).execute();
  }

  async deleteType(name: string): Promise<void> {
    await this.db.deleteFrom('instance_types').where('name', '=', name).execute();
  }
}
