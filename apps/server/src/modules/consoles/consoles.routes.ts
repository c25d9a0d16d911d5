import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { InstanceIdParams } from '../instances/index.ts';
import { ConsoleSessionSchema, CreateConsoleBody } from './consoles.schemas.ts';
import type { ConsolesService } from './consoles.service.ts';

export async function consolesRoutes(app: FastifyInstance, consoles: ConsolesService): Promise<void> {
  app.addSchema(ConsoleSessionSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/instances/:id/console',
    {
      schema: {
        tags: ['consoles'],
        operationId: 'createConsoleSession',
        summary:
          "Open a console session: the instance's screen (vnc), a container's shell or a VM's serial port",
        description:
          'Owner or admin with instances:console (ReadOnly users may not: a console is write access). ' +
          'Returns a one-time websocket URL valid for a few seconds, bound to you and the instance. ' +
          '409 instance_not_running; 422 serial_not_configured or a type that does not fit the instance.',
        params: InstanceIdParams,
        body: CreateConsoleBody,
        response: { 201: Type.Ref(ConsoleSessionSchema), ...errorResponses(404, 409, 422, 502, 503) },
      },
      config: {
        audit: { action: 'instances.console_session', resourceType: 'instance', resourceIdParam: 'id' },
      },
    },
    async (request, reply) => {
      const ws = `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}`;
      const session = await consoles.create(
        authContext(request).actor,
        request.params.id,
        request.body.type,
        ws,
      );
      return reply.status(201).send(session);
    },
  );
}
