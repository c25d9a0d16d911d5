import type { ModuleMigration } from '../../platform/db/migrations.ts';

export const eventsMigrations: ModuleMigration[] = [
  {
    // Events too big for a NOTIFY payload, relayed to the other servers by id (events.relay.ts).
    name: '0101_events_relay_spill',
    async up(db) {
      await db.schema
        .createTable('event_relay_spill')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
