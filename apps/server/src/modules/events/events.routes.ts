import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isAdmin } from '../../platform/db/repository.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authorize } from '../iam/index.ts';
import type { DomainEvent, EventBus } from './events.bus.ts';

export interface EventsRouteOptions {
  /** Comment line sent this often so proxies keep the stream open (default 15 s). */
  heartbeatMs?: number;
}

/**
 * GET /events: a server-sent event stream of the caller's resources (admins: everyone's).
 * Each event is `id: <n>`, `event: <resource>.<created|updated|deleted>`, `data: <DomainEvent JSON>`.
 * Reconnects send `Last-Event-ID`; events still in the server's buffer are replayed, else an
 * `event: reset` tells the client to reload its lists.
 */
export async function eventsRoutes(app: FastifyInstance, bus: EventBus, options: EventsRouteOptions = {}) {
  const RESOURCES = bus.resourceNames;
  // Published in the OpenAPI (components.schemas.EventResource): the SDK and the web import it.
  app.addSchema(
    Type.Unsafe<string>({
      $id: 'EventResource',
      type: 'string',
      enum: [...RESOURCES],
      description: 'Resources whose changes /events streams (registered by the modules)',
    }),
  );
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  r.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        operationId: 'streamEvents',
        summary:
          'Server-sent events: changes to your instances, operations, volumes, snapshots and key pairs',
        description:
          'text/event-stream. Event names: instance.updated, operation.updated, volume.created, … ' +
          'data = {id, type, resource, resourceId, ownerId, at, data}. Send Last-Event-ID to resume; ' +
          '`event: reset` means the replay was incomplete. A comment line is sent as heartbeat.',
        querystring: Type.Object(
          {
            types: Type.Optional(
              Type.String({
                description: `comma-separated resources to receive (${RESOURCES.join(', ')}); default all`,
                pattern: `^(${RESOURCES.join('|')})(,(${RESOURCES.join('|')}))*$`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const { actor } = authContext(request);
      authorize(actor, 'instances', 'read');
      const wanted = new Set((request.query.types ?? RESOURCES.join(',')).split(','));
      const visible = (e: DomainEvent) =>
        wanted.has(e.resource) && (isAdmin(actor) || e.ownerId === actor.id);
      // `<epoch>-<n>` as sent below (or a bare number from older clients: this epoch). An id of
      // another epoch (another server behind the load balancer, or before a restart) cannot be
      // resumed here: the client gets `reset` and reloads.
      const lastHeader = request.headers['last-event-id'];
      const m = typeof lastHeader === 'string' ? /^(?:([0-9a-f]{8})-)?(\d{1,15})$/.exec(lastHeader) : null;
      const lastId = m ? (m[1] === undefined || m[1] === bus.epoch ? Number(m[2]) : -1) : null;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        'x-content-type-options': 'nosniff',
      });
      const send = (e: DomainEvent) => {
        res.write(`id: ${bus.epoch}-${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      res.write(`retry: 3000\n: connected, last event ${bus.lastId}\n\n`);
      if (lastId !== null) {
        const { events, complete } = lastId < 0 ? { events: [], complete: false } : bus.since(lastId);
        if (!complete) res.write(`id: ${bus.epoch}-${bus.lastId}\nevent: reset\ndata: {}\n\n`);
        else for (const e of events) if (visible(e)) send(e);
      }
      const unsubscribe = bus.subscribe((e) => {
        if (visible(e)) send(e);
      });
      const unreset = bus.onReset(() =>
        res.write(`id: ${bus.epoch}-${bus.lastId}\nevent: reset\ndata: {}\n\n`),
      );
      const heartbeat = setInterval(() => res.write(': ping\n\n'), options.heartbeatMs ?? 15_000);
      heartbeat.unref();
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        unreset();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      request.raw.on('close', end);
      res.on('error', end);
    },
  );
}
