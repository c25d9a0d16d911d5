import type { Kysely, Selectable } from 'kysely';
import { type Dialect, type Executor, toCount } from '../../platform/db/database.ts';
import type { Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface QuotasTable {
  user_id: string;
  max_vcpu: number | null;
  max_memory_mib: number | null;
  max_disk_gb: number | null;
  max_instances: number | null;
  max_volumes: number | null;
  /** GiB of backups (recovery points) kept */
  max_backup_gib: number | null;
  max_networks: number | null;
  max_security_groups: number | null;
  max_functions: number | null;
  max_function_concurrency: number | null;
  /** MiB (the functions' memoryMb) of invocations running at once */
  max_function_memory_mib: number | null;
  updated_at: string;
  updated_by: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    quotas: QuotasTable;
  }
}

export type QuotaRow = Selectable<QuotasTable>;

export interface Usage {
  vcpu: number;
  memory: number;
  diskGib: number;
  instances: number;
  volumes: number;
  /** GiB of backups kept (may be fractional) */
  backupGib: number;
  networks: number;
  securityGroups: number;
  functions: number;
  /** invocations running now (counted per server) */
  functionConcurrency: number;
  /** MiB (memoryMb) of the invocations running now */
  functionMemory: number;
}

/**
 * What a module counts toward a user's quota (instances: vCPU, memory, disk, count; volumes: disk,
 * count), read inside the caller's transaction. Modules register theirs (`quotas.registerUsage`).
 */
export interface UsageSource {
  name: string;
  usage(userId: string, db: Executor): Promise<Partial<Usage>>;
}

export class QuotasRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: Dialect,
  ) {}

  with(trx: Kysely<Tables>): QuotasRepository {
    return new QuotasRepository(trx, this.dialect);
  }

  find(userId: string): Promise<QuotaRow | undefined> {
    return this.db.selectFrom('quotas').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async upsert(row: QuotaRow): Promise<void> {
    const { user_id, ...rest } = row;
    await this.db
      .insertInto('quotas')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
      .execute();
  }

  async delete(userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('quotas').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Serialise quota checks per user: PostgreSQL takes the user row lock until the transaction
   * ends; SQLite has one writer connection, so its transactions are serial already.
   */
  async lockUser(userId: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await this.db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  }

  /** Users (id, username) for the admin overview, by username. */
  async users(page: Page): Promise<{ rows: { id: string; username: string }[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('users')
        .select(['id', 'username'])
        .orderBy('username')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      this.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ]);
    return { rows, total: toCount(count?.n) };
  }

  findUser(id: string): Promise<{ id: string; username: string } | undefined> {
    return this.db.selectFrom('users').select(['id', 'username']).where('id', '=', id).executeTakeFirst();
  }
}
