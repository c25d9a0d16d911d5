import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const notificationsMigrations: ModuleMigration[] = [
  {
    name: '0050_notifications_channels',
    async up(db) {
      await db.schema
        .createTable('notification_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // non-secret settings (url, recipients, push format) as JSON
        .addColumn('config_json', 'text', (c) => c.notNull())
        // secrets (webhook secret, push token) sealed with the master key; null when none
        .addColumn('secret_sealed', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('notification_channels_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text', (c) => c.notNull())
        // pending → sending → succeeded | failed (pending again between retries)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('claimed_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('response_status', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
      await db.schema
        .createIndex('notification_deliveries_channel_idx')
        .on('notification_deliveries')
        .columns(['channel_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('notification_deliveries_due_idx')
        .on('notification_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
      // admin settings: one row per key ('smtp', 'targets'), JSON + sealed secret
      await db.schema
        .createTable('notification_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_json', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
