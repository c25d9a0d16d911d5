/**
 * Resource locks. A resource that operations change (an instance, a volume, …) has an
 * `active_operation_id` column: the id of the operation that holds it, or a synchronous token
 * (`sync-<worker>-…`) while a request changes it without an operation. Modules register their
 * table once (`locks.register('volumes')`); the lock/unlock code lives here only, and so does
 * the release of locks a stopped process left behind.
 */
import type { Kysely, Updateable } from 'kysely';
import { newId } from '../../platform/crypto.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/schema.ts';

/** Tables whose rows carry `id` and `active_operation_id`. */
export type LockableTable = {
  [T in keyof Tables]: Tables[T] extends { id: string; active_operation_id: string | null } ? T : never;
}[keyof Tables];

/** The column shape every lockable table shares (what the generic queries touch). */
interface LockColumns {
  id: string;
  active_operation_id: string | null;
}
type LockDb = Kysely<Record<string, LockColumns>>;
const asLockDb = (db: Executor): LockDb => db as unknown as LockDb;

/** Take the row's operation slot (optionally with a patch); false when another holder has it. */
export async function lockRow<T extends LockableTable>(
  db: Executor,
  table: T,
  id: string,
  holder: string,
  patch: Updateable<Tables[T]> = {},
): Promise<boolean> {
  const r = await asLockDb(db)
    .updateTable(table as string)
    .set({ ...(patch as object), active_operation_id: holder })
    .where('id', '=', id)
    .where('active_operation_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Give the slot back (only if `holder` still has it). */
export async function unlockRow(
  db: Executor,
  table: LockableTable,
  id: string,
  holder: string,
): Promise<void> {
  await asLockDb(db)
    .updateTable(table as string)
    .set({ active_operation_id: null })
    .where('id', '=', id)
    .where('active_operation_id', '=', holder)
    .execute();
}

export class LockRegistry {
  private readonly tables = new Set<LockableTable>();

  /** `workerId`: the operation engine's; synchronous tokens carry it. */
  constructor(readonly workerId: string) {}

  /** A module declares a table whose rows operations lock. */
  register(table: LockableTable): void {
    this.tables.add(table);
  }

  get registered(): readonly LockableTable[] {
    return [...this.tables];
  }

  /**
   * A holder for a synchronous change (no operation row). It carries the worker id, so a restarted
   * server releases only tokens of processes that are gone.
   */
  syncToken(what: string): string {
    return `sync-${this.workerId}-${what}-${newId('x').slice(2)}`;
  }

  lock<T extends LockableTable>(
    db: Executor,
    table: T,
    id: string,
    holder: string,
    patch?: Updateable<Tables[T]>,
  ): Promise<boolean> {
    return lockRow(db, table, id, holder, patch);
  }

  unlock(db: Executor, table: LockableTable, id: string, holder: string): Promise<void> {
    return unlockRow(db, table, id, holder);
  }

  /**
   * Release locks held by no pending/running operation and by no synchronous change of a live
   * process (`live`: worker ids still running, default this one): they belong to a process that
   * is gone. Returns what was released per table.
   */
  async releaseStale(
    db: Executor,
    live: readonly string[] = [this.workerId],
  ): Promise<{ table: LockableTable; released: number }[]> {
    const workers = live.includes(this.workerId) ? live : [...live, this.workerId];
    const liveOps = db.selectFrom('operations').select('id').where('status', 'in', ['pending', 'running']);
    const out: { table: LockableTable; released: number }[] = [];
    for (const table of this.tables) {
      let q = asLockDb(db)
        .updateTable(table as string)
        .set({ active_operation_id: null })
        .where('active_operation_id', 'is not', null)
        .where('active_operation_id', 'not in', liveOps);
      for (const w of workers) q = q.where('active_operation_id', 'not like', `sync-${w}-%`);
      const res = await q.executeTakeFirst();
      const released = Number(res.numUpdatedRows);
      if (released > 0) out.push({ table, released });
    }
    return out;
  }
}
