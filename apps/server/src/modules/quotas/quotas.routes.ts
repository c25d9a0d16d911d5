import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { QuotaListQuery, QuotaParams, QuotaSchema, SetQuotaBody } from './quotas.schemas.ts';
import type { QuotasService } from './quotas.service.ts';

export async function quotasRoutes(app: FastifyInstance, quotas: QuotasService): Promise<void> {
  app.addSchema(QuotaSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/quotas',
    {
      schema: {
        tags: ['quotas'],
        operationId: 'listQuotas',
        summary: 'Quotas and usage: every user (admin) or your own',
        querystring: QuotaListQuery,
        response: { 200: ListOf(Type.Ref(QuotaSchema)), ...errorResponses() },
      },
    },
    async (request) => quotas.list(authContext(request).actor, page(request.query)),
  );

  r.get(
    '/quotas/:userId',
    {
      schema: {
        tags: ['quotas'],
        operationId: 'getQuota',
        summary: 'Limits and usage of one user ("me" for yourself, "default" for the defaults)',
        params: QuotaParams,
        response: { 200: Type.Ref(QuotaSchema), ...errorResponses(404) },
      },
    },
    async (request) => quotas.get(authContext(request).actor, request.params.userId),
  );

  r.put(
    '/quotas/:userId',
    {
      config: { audit: { action: 'quotas.update', resourceType: 'quota', resourceIdParam: 'userId' } },
      schema: {
        tags: ['quotas'],
        operationId: 'setQuota',
        summary: "Set a user's limits, or the default limits (admin); omitted/null = unlimited",
        params: QuotaParams,
        body: SetQuotaBody,
        response: { 200: Type.Ref(QuotaSchema), ...errorResponses(404) },
      },
    },
    async (request) => quotas.set(authContext(request), request.params.userId, request.body),
  );

  r.delete(
    '/quotas/:userId',
    {
      config: { audit: { action: 'quotas.reset', resourceType: 'quota', resourceIdParam: 'userId' } },
      schema: {
        tags: ['quotas'],
        operationId: 'resetQuota',
        summary: "Remove a user's own limits (the defaults apply again) (admin)",
        params: QuotaParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await quotas.reset(authContext(request), request.params.userId);
      return reply.status(204).send(null);
    },
  );
}
