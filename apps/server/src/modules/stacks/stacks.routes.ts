import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { buildSchema } from '@proxicloud/iac';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import { inProcessClient } from './stacks.client.ts';
import {
  ApplyBody,
  DestroyBody,
  ImportResponse,
  PlanBody,
  PlanResponse,
  PlanSchema,
  RunResponse,
  StackDetailSchema,
  StackListQuery,
  StackNameParams,
  StackSchema,
} from './stacks.schemas.ts';
import type { StacksService } from './stacks.service.ts';

export async function stacksRoutes(app: FastifyInstance, stacks: StacksService): Promise<void> {
  app.addSchema(StackSchema);
  app.addSchema(PlanSchema);
  app.addSchema(RunResponse);
  app.addSchema(StackDetailSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['stacks'];

  r.get(
    '/stacks',
    {
      schema: {
        tags,
        operationId: 'listStacks',
        summary: 'Your stacks (admins: all)',
        querystring: StackListQuery,
        response: { 200: ListOf(Type.Ref(StackSchema)), ...errorResponses() },
      },
    },
    async (request) => stacks.list(authContext(request).actor, page(request.query)),
  );

  r.get(
    '/stacks/schema',
    {
      schema: {
        tags,
        operationId: 'getStackFileSchema',
        summary: 'The JSON Schema of infrastructure files (for editors and validation)',
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses() },
      },
    },
    async () => buildSchema(),
  );

  r.get(
    '/stacks/:name',
    {
      schema: {
        tags,
        operationId: 'getStack',
        summary: 'One stack: resources, last applied hash and file, history',
        params: StackNameParams,
        response: { 200: Type.Ref(StackDetailSchema), ...errorResponses(404) },
      },
    },
    async (request) => stacks.get(authContext(request).actor, request.params.name),
  );

  r.post(
    '/stacks/:name/plan',
    {
      schema: {
        tags,
        operationId: 'planStack',
        summary: 'Compare the file with what exists: create / update / replace / delete / no-op per resource',
        params: StackNameParams,
        body: PlanBody,
        response: { 200: PlanResponse, ...errorResponses(400) },
      },
    },
    async (request) =>
      stacks.plan(
        authContext(request),
        request.params.name,
        request.body,
        inProcessClient(app, request, request.params.name),
      ),
  );

  r.post(
    '/stacks/:name/apply',
    {
      config: { audit: false },
      schema: {
        tags,
        operationId: 'applyStack',
        summary:
          'Plan the file and apply the plan as an operation (202; one step per resource; serialised per stack)',
        params: StackNameParams,
        body: ApplyBody,
        response: {
          200: Type.Ref(RunResponse),
          202: Type.Ref(RunResponse),
          ...errorResponses(400, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const run = await stacks.apply(
        authContext(request),
        request.params.name,
        request.body,
        inProcessClient(app, request, request.params.name),
      );
      return reply.code(run.operation ? 202 : 200).send(run);
    },
  );

  r.post(
    '/stacks/:name/destroy',
    {
      config: { audit: false },
      schema: {
        tags,
        operationId: 'destroyStack',
        summary:
          'Remove every resource the stack owns (dependents first; an operation, 202); nothing it does not own',
        params: StackNameParams,
        body: Type.Optional(DestroyBody),
        response: {
          200: Type.Ref(RunResponse),
          202: Type.Ref(RunResponse),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request, reply) => {
      const run = await stacks.destroy(
        authContext(request),
        request.params.name,
        inProcessClient(app, request, request.params.name),
        request.body?.expectedStateHash,
      );
      return reply.code(run.operation ? 202 : 200).send(run);
    },
  );

  r.post(
    '/stacks/:name/import',
    {
      config: { audit: false },
      schema: {
        tags,
        operationId: 'importStack',
        summary: 'Adopt existing objects named like the file’s resources into the stack',
        params: StackNameParams,
        body: PlanBody,
        response: { 200: ImportResponse, ...errorResponses(400, 409) },
      },
    },
    async (request) =>
      stacks.import(
        authContext(request),
        request.params.name,
        request.body,
        inProcessClient(app, request, request.params.name),
      ),
  );
}
