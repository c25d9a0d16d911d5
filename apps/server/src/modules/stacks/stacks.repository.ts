import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';

export interface StacksTable {
  id: string;
  owner_id: string;
  name: string;
  state: string;
  resource_count: number;
  spec_hash: string | null;
  document: string | null;
  status: 'empty' | 'applying' | 'applied' | 'failed' | 'destroyed';
  lock_id: string | null;
  lock_until: string | null;
  /** the apply/destroy operation holding the lock (null when none runs) */
  operation_id: string | null;
  last_applied_at: string | null;
  last_applied_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface StackHistoryTable {
  id: string;
  stack_id: string;
  action: 'apply' | 'destroy' | 'import';
  status: 'running' | 'succeeded' | 'failed';
  user_id: string;
  username: string;
  spec_hash: string | null;
  summary: string;
  changes: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  operation_id: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    stacks: StacksTable;
    stack_history: StackHistoryTable;
  }
}

export type StackRow = Selectable<StacksTable>;
export type StackHistoryRow = Selectable<StackHistoryTable>;

export class StacksRepository {
  constructor(readonly db: Executor) {}

  with(db: Executor): StacksRepository {
    return new StacksRepository(db);
  }

  list(actor: Actor, page: Page): Promise<{ rows: StackRow[]; total: number }> {
    return pageOf<StackRow>(scope(this.db.selectFrom('stacks'), actor), page, [['name'], ['id']]);
  }

  /** The caller's own stack of that name (stacks are named per owner). */
  findOwn(ownerId: string, name: string): Promise<StackRow | undefined> {
    return this.db
      .selectFrom('stacks')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: Insertable<StacksTable>): Promise<void> {
    await this.db
      .insertInto('stacks')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async update(id: string, patch: Updateable<StacksTable>): Promise<void> {
    await this.db.updateTable('stacks').set(patch).where('id', '=', id).execute();
  }

  /** Take the stack's apply lock when it is free or expired (compare-and-set). */
  async tryLock(id: string, lockId: string, now: string, until: string): Promise<boolean> {
    const r = await this.db
      .updateTable('stacks')
      .set({ lock_id: lockId, lock_until: until })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lock_id', 'is', null), eb('lock_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Save state while holding the lock (and extend it); false when the lock was lost. */
  async saveLocked(id: string, lockId: string, patch: Updateable<StacksTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('stacks')
      .set(patch)
      .where('id', '=', id)
      .where('lock_id', '=', lockId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async unlock(id: string, lockId: string): Promise<void> {
    await this.db
      .updateTable('stacks')
      .set({ lock_id: null, lock_until: null, operation_id: null })
      .where('id', '=', id)
      .where('lock_id', '=', lockId)
      .execute();
  }

  async insertHistory(row: Insertable<StackHistoryTable>): Promise<void> {
    await this.db.insertInto('stack_history').values(row).execute();
  }

  async updateHistory(id: string, patch: Updateable<StackHistoryTable>): Promise<void> {
    await this.db.updateTable('stack_history').set(patch).where('id', '=', id).execute();
  }

  history(stackId: string, limit: number): Promise<StackHistoryRow[]> {
    return this.db
      .selectFrom('stack_history')
      .selectAll()
      .where('stack_id', '=', stackId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async deleteStack(id: string): Promise<void> {
    await this.db.deleteFrom('stack_history').where('stack_id', '=', id).execute();
    await this.db.deleteFrom('stacks').where('id', '=', id).execute();
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('stacks')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async reassign(from: string, to: string): Promise<void> {
    await this.db.updateTable('stacks').set({ owner_id: to }).where('owner_id', '=', from).execute();
  }
}
