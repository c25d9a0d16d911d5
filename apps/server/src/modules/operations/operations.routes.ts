import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import { OperationIdParams, OperationListQuery, OperationSchema } from './operations.schemas.ts';
import type { OperationsService } from './operations.service.ts';

export async function operationsRoutes(app: FastifyInstance, service: OperationsService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/operations',
    {
      schema: {
        tags: ['operations'],
        operationId: 'listOperations',
        summary: 'Your operations (admins: all), newest first',
        querystring: OperationListQuery,
        response: { 200: ListOf(Type.Ref(OperationSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const { actor } = authContext(request);
      return service.list(
        actor,
        {
          ...(request.query.resourceId ? { resourceId: request.query.resourceId } : {}),
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(request.query.action ? { action: request.query.action } : {}),
        },
        page(request.query),
      );
    },
  );

  r.get(
    '/operations/:id',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getOperation',
        summary: 'One operation: status, progress, steps and the error (with the Proxmox task log tail)',
        params: OperationIdParams,
        response: { 200: Type.Ref(OperationSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      return service.get(authContext(request).actor, request.params.id);
    },
  );
}
