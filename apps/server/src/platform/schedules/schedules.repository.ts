import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';

export type MissedRunPolicy = 'skip' | 'run_once';
export type ScheduleRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface SchedulesTable {
  id: string;
  kind: string;
  owner_id: string;
  /** The module's resource the schedule belongs to; (kind, resource_id) is unique. */
  resource_id: string;
  cron: string;
  timezone: string;
  enabled: number;
  missed_run_policy: MissedRunPolicy;
  /** JSON handed to the handler. */
  payload: string;
  /** Null when disabled or when the expression has no further runs. */
  next_run_at: string | null;
  last_run_at: string | null;
  last_scheduled_for: string | null;
  last_status: ScheduleRunStatus | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: string;
  updated_at: string;
}

export interface SchedulerLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
  acquired_at: string;
}

declare module '../db/schema.ts' {
  interface Tables {
    schedules: SchedulesTable;
    scheduler_leases: SchedulerLeasesTable;
  }
}

export type ScheduleRow = Selectable<SchedulesTable>;

export class SchedulesRepository {
  constructor(readonly db: Executor) {}

  findById(id: string): Promise<ScheduleRow | undefined> {
    return this.db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  }

  find(kind: string, resourceId: string): Promise<ScheduleRow | undefined> {
    return this.db
      .selectFrom('schedules')
      .selectAll()
      .where('kind', '=', kind)
      .where('resource_id', '=', resourceId)
      .executeTakeFirst();
  }

  list(filter: { kind?: string; ownerId?: string; resourceId?: string }): Promise<ScheduleRow[]> {
    let q = this.db.selectFrom('schedules').selectAll();
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.ownerId !== undefined) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId);
    return q.orderBy('kind').orderBy('resource_id').execute();
  }

  async insert(row: ScheduleRow): Promise<void> {
    await this.db.insertInto('schedules').values(row).execute();
  }

  async update(id: string, patch: Partial<ScheduleRow>): Promise<void> {
    await this.db.updateTable('schedules').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('schedules').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteByOwner(ownerId: string): Promise<number> {
    const r = await this.db.deleteFrom('schedules').where('owner_id', '=', ownerId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  due(now: string, limit: number): Promise<ScheduleRow[]> {
    return this.db
      .selectFrom('schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', 'is not', null)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
  }

  /**
   * Claim one occurrence: move next_run_at on only if nobody else did (compare-and-set), so an
   * occurrence fires at most once even if two runners ever both believed they held the lease.
   */
  async claim(id: string, expectedNext: string, patch: Partial<ScheduleRow>): Promise<boolean> {
    const r = await this.db
      .updateTable('schedules')
      .set(patch)
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .where('next_run_at', '=', expectedNext)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Take or renew the lease: succeeds if free, expired, or already ours. */
  async acquireLease(name: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
    const read = () =>
      this.db.selectFrom('scheduler_leases').select(['holder']).where('name', '=', name).executeTakeFirst();
    let current = await read();
    if (!current) {
      // First runner on this database: an already expired row, taken by the update below.
      await this.db
        .insertInto('scheduler_leases')
        .values({ name, holder, expires_at: now, acquired_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      current = await read();
    }
    const r = await this.db
      .updateTable('scheduler_leases')
      .set(
        current?.holder === holder
          ? { expires_at: expiresAt }
          : { holder, expires_at: expiresAt, acquired_at: now },
      )
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async releaseLease(name: string, holder: string, now: string): Promise<void> {
    await this.db
      .updateTable('scheduler_leases')
      .set({ expires_at: now })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute();
  }

  getLease(name: string): Promise<SchedulerLeasesTable | undefined> {
    return this.db.selectFrom('scheduler_leases').selectAll().where('name', '=', name).executeTakeFirst();
  }
}
