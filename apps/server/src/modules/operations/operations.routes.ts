import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import { authorize } from '../iam/index.ts';
import { toOperationView } from './operations.engine.ts';
import type { OperationsRepository } from './operations.repository.ts';
import { OperationIdParams, OperationListQuery, OperationSchema } from './operations.schemas.ts';

export async function operationsRoutes(app: FastifyInstance, repo: OperationsRepository): Promise<void> {
  app.addSchema(OperationSchema);
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
      authorize(actor, 'instances', 'read');
      const p = page(request.query);
      const { rows, total } = await repo.list(
        actor,
        {
          ...(request.query.resourceId ? { resourceId: request.query.resourceId } : {}),
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(request.query.action ? { action: request.query.action } : {}),
        },
        p,
      );
      return { items: rows.map(toOperationView), total, ...p };
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
      const { actor } = authContext(request);
      authorize(actor, 'instances', 'read');
      const row = await repo.findScoped(actor, request.params.id);
      if (!row) throw new NotFoundError('Operation', request.params.id);
      return toOperationView(row);
    },
  );
}
