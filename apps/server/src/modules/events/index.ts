/**
 * Events: the in-process bus every module publishes its resource changes to, and the SSE stream
 * (/api/v1/events). The bus is built once in app.ts and handed to modules as `deps.bus`; each
 * module registers the resource names it publishes. Registered last, so the stream's `types`
 * filter and the OpenAPI's `EventResource` list every registered resource. On PostgreSQL the
 * relay (events.relay.ts) fans events out to the other servers sharing the database.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { eventsMigrations as migrations } from './events.migrations.ts';
import { EventRelay } from './events.relay.ts';
import { eventsRoutes } from './events.routes.ts';

export {
  type DomainEvent,
  EventBus,
  type EventListener,
  type EventResource,
  type RelayedEvent,
} from './events.bus.ts';
export { EventRelay } from './events.relay.ts';

export const eventsModule: ServerModule<
  Pick<ModuleDeps, 'bus' | 'db' | 'config' | 'logger'>,
  { relay: EventRelay | null }
> = {
  name: 'events',
  tags: [{ name: 'events', description: 'Server-sent events for live consoles' }],
  migrations,
  async register(app, deps) {
    await eventsRoutes(app, deps.bus);
    let relay: EventRelay | null = null;
    if (deps.db.dialect === 'postgres' && deps.config.database.url) {
      relay = new EventRelay({
        bus: deps.bus,
        db: deps.db,
        url: deps.config.database.url,
        logger: deps.logger,
      });
      await relay.start();
      app.addHook('onClose', async () => {
        await relay?.stop();
      });
    }
    return { relay };
  },
};
