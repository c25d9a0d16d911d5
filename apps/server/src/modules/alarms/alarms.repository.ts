import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { type Executor, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmsTable {
  id: string;
  owner_id: string;
  name: string;
  resource_type: 'instance' | 'node' | 'volume' | 'bucket';
  resource_id: string;
  /** buckets: the bucket's id (resource_id is its name) */
  resource_ref: string | null;
  metric: string;
  comparison: '>' | '>=' | '<' | '<=';
  threshold: number;
  duration_seconds: number;
  channel_ids_json: string;
  state: AlarmState;
  state_reason: string;
  state_changed_at: string;
  last_value: number | null;
  silenced_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface AlarmHistoryTable {
  id: string;
  alarm_id: string;
  from_state: AlarmState;
  to_state: AlarmState;
  reason: string;
  value: number | null;
  notified: number;
  at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    alarms: AlarmsTable;
    alarm_history: AlarmHistoryTable;
  }
}

export type AlarmRow = Selectable<AlarmsTable>;
export type AlarmHistoryRow = Selectable<AlarmHistoryTable>;

export class AlarmsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): AlarmsRepository {
    return new AlarmsRepository(trx);
  }

  list(
    actor: Actor,
    filter: { state?: AlarmState; resourceId?: string },
    page: Page,
  ): Promise<{ rows: AlarmRow[]; total: number }> {
    let q = scope(this.db.selectFrom('alarms'), actor);
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    return pageOf<AlarmRow>(q, page, [['name'], ['id']]);
  }

  all(): Promise<AlarmRow[]> {
    return this.db.selectFrom('alarms').selectAll().execute();
  }

  findScoped(actor: Actor, id: string): Promise<AlarmRow | undefined> {
    return scope(this.db.selectFrom('alarms').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  findByName(ownerId: string, name: string): Promise<AlarmRow | undefined> {
    return this.db
      .selectFrom('alarms')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: Insertable<AlarmsTable>): Promise<void> {
    await this.db.insertInto('alarms').values(row).execute();
  }

  async update(id: string, patch: Updateable<AlarmsTable>): Promise<void> {
    await this.db.updateTable('alarms').set(patch).where('id', '=', id).execute();
  }

  /** Change the state only if it is still `from` (two servers evaluating: one wins). */
  async transition(id: string, from: AlarmState, patch: Updateable<AlarmsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('alarms')
      .set(patch)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('alarm_history').where('alarm_id', '=', id).execute();
    await this.db.deleteFrom('alarms').where('id', '=', id).execute();
  }

  async insertHistory(row: Insertable<AlarmHistoryTable>): Promise<void> {
    await this.db.insertInto('alarm_history').values(row).execute();
  }

  history(alarmId: string, page: Page): Promise<{ rows: AlarmHistoryRow[]; total: number }> {
    return pageOf<AlarmHistoryRow>(
      this.db.selectFrom('alarm_history').where('alarm_id', '=', alarmId),
      page,
      [
        ['at', 'desc'],
        ['id', 'desc'],
      ],
    );
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('alarms')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return toCount(r?.n);
  }

  async reassign(from: string, to: string): Promise<void> {
    const rows = await this.db.selectFrom('alarms').selectAll().where('owner_id', '=', from).execute();
    for (const row of rows) {
      const clash = await this.findByName(to, row.name);
      await this.db
        .updateTable('alarms')
        // channels stay with their owner's id list; notify() skips ids that are not the new owner's
        .set({ owner_id: to, ...(clash ? { name: `${row.name.slice(0, 40)}-${row.id}` } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
