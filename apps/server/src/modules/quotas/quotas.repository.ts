import type { Kysely, Selectable } from 'kysely';
import { type Dialect, type Executor, toCount } from '../../platform/db/database.ts';
import type { Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type {} from '../instances/instances.repository.ts';
import type {} from '../volumes/volumes.repository.ts';

export interface QuotasTable {
  user_id: string;
  max_vcpu: number | null;
  max_memory_mib: number | null;
  max_disk_gb: number | null;
  max_instances: number | null;
  max_volumes: number | null;
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
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Instances and volumes that hold resources (everything but terminated/failed ones). */
export const INSTANCE_INACTIVE = ['terminated', 'error'] as const;
export const VOLUME_INACTIVE = ['deleted', 'error'] as const;

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

  async usage(userId: string): Promise<Usage> {
    const [inst, vols] = await Promise.all([
      this.db
        .selectFrom('instances')
        .select((eb) => [
          eb.fn.countAll().as('n'),
          eb.fn.sum<number>('vcpu').as('vcpu'),
          eb.fn.sum<number>('memory_mib').as('mem'),
          eb.fn.sum<number>('disk_gb').as('disk'),
        ])
        .where('owner_id', '=', userId)
        .where('status', 'not in', [...INSTANCE_INACTIVE])
        .executeTakeFirst(),
      this.db
        .selectFrom('volumes')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum<number>('size_gb').as('disk')])
        .where('owner_id', '=', userId)
        .where('status', 'not in', [...VOLUME_INACTIVE])
        .executeTakeFirst(),
    ]);
    return {
      vcpu: num(inst?.vcpu),
      memory: num(inst?.mem),
      diskGib: num(inst?.disk) + num(vols?.disk),
      instances: toCount(inst?.n),
      volumes: toCount(vols?.n),
    };
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
