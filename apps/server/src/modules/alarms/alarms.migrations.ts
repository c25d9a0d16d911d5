import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const alarmsMigrations: ModuleMigration[] = [
  {
    name: '0051_alarms_alarms',
    async up(db) {
      await db.schema
        .createTable('alarms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('comparison', 'text', (c) => c.notNull())
        .addColumn('threshold', 'real', (c) => c.notNull())
        .addColumn('duration_seconds', 'integer', (c) => c.notNull())
        .addColumn('channel_ids_json', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_reason', 'text', (c) => c.notNull())
        .addColumn('state_changed_at', 'text', (c) => c.notNull())
        .addColumn('last_value', 'real')
        .addColumn('silenced_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('alarms_owner_name_uq', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('alarm_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alarm_id', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text', (c) => c.notNull())
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('value', 'real')
        .addColumn('notified', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('alarm_history_alarm_idx')
        .on('alarm_history')
        .columns(['alarm_id', 'at'])
        .execute();
    },
  },
  {
    // buckets are named in alarms; the id of the bucket the alarm was created on (a bucket deleted
    // and created again by someone else under the same name is another bucket)
    name: '0086_alarms_resource_ref',
    async up(db) {
      await db.schema.alterTable('alarms').addColumn('resource_ref', 'text').execute();
    },
  },
];
