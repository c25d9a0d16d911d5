import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { type Executor, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export type ChannelType = 'email' | 'webhook' | 'push';
export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface NotificationChannelsTable {
  id: string;
  owner_id: string;
  name: string;
  type: ChannelType;
  enabled: number;
  config_json: string;
  secret_sealed: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationDeliveriesTable {
  id: string;
  channel_id: string;
  owner_id: string;
  event: string;
  subject: string;
  body: string;
  data_json: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  claimed_at: string | null;
  last_error: string | null;
  response_status: number | null;
  created_at: string;
  completed_at: string | null;
}

export interface NotificationSettingsTable {
  key: string;
  value_json: string;
  secret_sealed: string | null;
  updated_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    notification_channels: NotificationChannelsTable;
    notification_deliveries: NotificationDeliveriesTable;
    notification_settings: NotificationSettingsTable;
  }
}

export type ChannelRow = Selectable<NotificationChannelsTable>;
export type DeliveryRow = Selectable<NotificationDeliveriesTable>;
export type SettingRow = Selectable<NotificationSettingsTable>;

export class NotificationsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): NotificationsRepository {
    return new NotificationsRepository(trx);
  }

  // ---- channels

  list(actor: Actor, page: Page): Promise<{ rows: ChannelRow[]; total: number }> {
    return pageOf<ChannelRow>(scope(this.db.selectFrom('notification_channels'), actor), page, [
      ['name'],
      ['id'],
    ]);
  }

  findScoped(actor: Actor, id: string): Promise<ChannelRow | undefined> {
    return scope(
      this.db.selectFrom('notification_channels').selectAll().where('id', '=', id),
      actor,
    ).executeTakeFirst();
  }

  find(id: string): Promise<ChannelRow | undefined> {
    return this.db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findOwned(ownerId: string, ids: readonly string[]): Promise<ChannelRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('id', 'in', ids)
      .execute();
  }

  findByName(ownerId: string, name: string): Promise<ChannelRow | undefined> {
    return this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: Insertable<NotificationChannelsTable>): Promise<void> {
    await this.db.insertInto('notification_channels').values(row).execute();
  }

  async update(id: string, patch: Updateable<NotificationChannelsTable>): Promise<void> {
    await this.db.updateTable('notification_channels').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('notification_deliveries').where('channel_id', '=', id).execute();
    await this.db.deleteFrom('notification_channels').where('id', '=', id).execute();
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('notification_channels')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return toCount(r?.n);
  }

  /** Reassign on user deletion; a clashing name gets the channel id appended. */
  async reassign(from: string, to: string): Promise<void> {
    const rows = await this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('owner_id', '=', from)
      .execute();
    for (const row of rows) {
      const clash = await this.findByName(to, row.name);
      await this.db
        .updateTable('notification_channels')
        .set({ owner_id: to, ...(clash ? { name: `${row.name.slice(0, 40)}-${row.id}` } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
    await this.db
      .updateTable('notification_deliveries')
      .set({ owner_id: to })
      .where('owner_id', '=', from)
      .execute();
  }

  // ---- deliveries

  deliveries(channelId: string, page: Page): Promise<{ rows: DeliveryRow[]; total: number }> {
    return pageOf<DeliveryRow>(
      this.db.selectFrom('notification_deliveries').where('channel_id', '=', channelId),
      page,
      [
        ['created_at', 'desc'],
        ['id', 'desc'],
      ],
    );
  }

  findDelivery(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('notification_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertDelivery(row: Insertable<NotificationDeliveriesTable>): Promise<void> {
    await this.db.insertInto('notification_deliveries').values(row).execute();
  }

  /** Claim one delivery for sending (compare-and-set on its status): true when this caller got it. */
  async claim(id: string, from: 'pending', at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('notification_deliveries')
      .set({ status: 'sending', claimed_at: at })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async updateDelivery(id: string, patch: Updateable<NotificationDeliveriesTable>): Promise<void> {
    await this.db.updateTable('notification_deliveries').set(patch).where('id', '=', id).execute();
  }

  /** Ids of deliveries due for (another) attempt, oldest first. */
  async due(now: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deliveries stuck in 'sending' since before `before` (a server died mid-send) go back to pending. */
  async releaseStale(before: string, now: string): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({ status: 'pending', next_attempt_at: now, claimed_at: null })
      .where('status', '=', 'sending')
      .where('claimed_at', '<', before)
      .execute();
  }

  async deleteFinishedBefore(before: string): Promise<void> {
    await this.db
      .deleteFrom('notification_deliveries')
      .where('status', 'in', ['succeeded', 'failed'])
      .where('created_at', '<', before)
      .execute();
  }

  // ---- admin settings

  setting(key: string): Promise<SettingRow | undefined> {
    return this.db.selectFrom('notification_settings').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async putSetting(row: SettingRow): Promise<void> {
    const existing = await this.setting(row.key);
    if (existing) {
      await this.db
        .updateTable('notification_settings')
        .set({ value_json: row.value_json, secret_sealed: row.secret_sealed, updated_at: row.updated_at })
        .where('key', '=', row.key)
        .execute();
    } else {
      await this.db.insertInto('notification_settings').values(row).execute();
    }
  }
}
