/**
 * Events: the in-process bus every module publishes its resource changes to, and the SSE stream
 * (/api/v1/events). The bus is built once in app.ts and handed to modules as `deps.bus`; each
 * module registers the resource names it publishes. Registered last, so the stream's `types`
 * filter and the OpenAPI's `EventResource` list every registered resource.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { eventsRoutes } from './events.routes.ts';

export { type DomainEvent, EventBus, type EventListener, type EventResource } from './events.bus.ts';

export const eventsModule: ServerModule<Pick<ModuleDeps, 'bus'>> = {
  name: 'events',
  tags: [{ name: 'events', description: 'Server-sent events for live consoles' }],
  async register(app, deps) {
    await eventsRoutes(app, deps.bus);
  },
};
