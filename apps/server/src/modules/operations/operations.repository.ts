import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { type Executor, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export type OperationStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface OperationsTable {
  id: string;
  owner_id: string;
  /** e.g. instance.launch, volume.attach */
  action: string;
  resource_type: string;
  resource_id: string;
  status: OperationStatus;
  progress: number;
  message: string | null;
  /** JSON StepView[] */
  steps: string;
  /** JSON: what was asked */
  params: string;
  /** JSON: checkpoints for resuming (completed step results, UPIDs) */
  state: string;
  /** JSON OperationError */
  error: string | null;
  attempts: number;
  worker_id: string | null;
  request_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    operations: OperationsTable;
  }
}

export type OperationRow = Selectable<OperationsTable>;

export interface OperationFilter {
  resourceId?: string;
  status?: OperationStatus;
  action?: string;
}

export class OperationsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): OperationsRepository {
    return new OperationsRepository(trx);
  }

  async insert(row: Insertable<OperationsTable>): Promise<void> {
    await this.db.insertInto('operations').values(row).execute();
  }

  find(id: string): Promise<OperationRow | undefined> {
    return this.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findScoped(actor: Actor, id: string): Promise<OperationRow | undefined> {
    return scope(this.db.selectFrom('operations').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  async list(
    actor: Actor,
    filter: OperationFilter,
    page: Page,
  ): Promise<{ rows: OperationRow[]; total: number }> {
    let q = scope(this.db.selectFrom('operations'), actor);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.action) q = q.where('action', '=', filter.action);
    return pageOf<OperationRow>(q, page, [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ]);
  }

  pendingIds(limit: number): Promise<{ id: string }[]> {
    return this.db
      .selectFrom('operations')
      .select('id')
      .where('status', '=', 'pending')
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
  }

  /** Atomically move a pending operation to running for this worker. */
  async claim(id: string, workerId: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('operations')
      .set((eb) => ({
        status: 'running',
        worker_id: workerId,
        attempts: eb('attempts', '+', 1),
        started_at: eb.fn.coalesce('started_at', eb.val(now)),
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * PostgreSQL: claim up to `limit` pending operations in one statement, `FOR UPDATE SKIP LOCKED`
   * so servers sharing the database never wait on (or take) each other's rows. Returns the ids.
   */
  async claimBatch(limit: number, workerId: string, now: string): Promise<string[]> {
    const r = await sql<{ id: string }>`
      update operations set status = 'running', worker_id = ${workerId}, attempts = attempts + 1,
        started_at = coalesce(started_at, ${now}), updated_at = ${now}
      where status = 'pending' and id in (
        select id from operations where status = 'pending'
        order by created_at, id limit ${limit} for update skip locked)
      returning id`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  /**
   * Operations a process that is gone was running: back to pending so they are resumed. `live`:
   * the workers still alive (default: only this one, the single-server case).
   */
  async requeueOrphans(workerId: string, now: string, live: string[] = [workerId]): Promise<number> {
    const res = await this.db
      .updateTable('operations')
      .set({ status: 'pending', updated_at: now })
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('worker_id', 'is', null), eb('worker_id', 'not in', live)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** A clean stop: this worker's interrupted operations go back to pending for another server. */
  async requeueOwn(workerId: string, now: string): Promise<number> {
    const res = await this.db
      .updateTable('operations')
      .set({ status: 'pending', updated_at: now })
      .where('status', '=', 'running')
      .where('worker_id', '=', workerId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async update(id: string, patch: Updateable<OperationsTable>): Promise<void> {
    await this.db.updateTable('operations').set(patch).where('id', '=', id).execute();
  }

  /** Update only while `workerId` still runs the operation (false: another server took it over). */
  async updateOwned(id: string, workerId: string, patch: Updateable<OperationsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('operations')
      .set(patch)
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Active (pending/running) operations on a resource. */
  activeFor(resourceId: string): Promise<OperationRow[]> {
    return this.db
      .selectFrom('operations')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .where('status', 'in', ['pending', 'running'])
      .execute();
  }

  async countActive(): Promise<number> {
    const r = await this.db
      .selectFrom('operations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    return toCount(r?.n);
  }

  async reassign(from: string, to: string): Promise<void> {
    await this.db.updateTable('operations').set({ owner_id: to }).where('owner_id', '=', from).execute();
  }
}
