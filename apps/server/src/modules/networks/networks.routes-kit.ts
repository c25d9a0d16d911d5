import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { type AuthenticatedContext, authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import { ListQuery } from './networks.schemas.ts';

const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();
type Routes = ReturnType<typeof typed>;
interface Doc {
  operationId: string;
  summary: string;
  /** Error statuses beyond 400/401/403/500. */
  errors?: number[];
}

/**
 * list / create / get / update routes of one named resource (`<path>`, `<path>/:id`), the shape
 * networks and security groups share. Delete differs (operation vs 204) and stays with the caller.
 */
export function resourceRoutes<C extends TSchema, U extends TSchema>(
  r: Routes,
  o: {
    path: string;
    tag: string;
    schema: TSchema & { $id?: string };
    detailSchema: TSchema & { $id?: string };
    idParams: TObject<{ id: TSchema }>;
    createBody: C;
    updateBody: U;
    audit: { prefix: string; resourceType: string };
    list: Doc & { run: (actor: Actor, q: string | undefined, page: Page) => Promise<ListResult<unknown>> };
    create: Doc & { run: (ctx: AuthenticatedContext, body: Static<C>) => Promise<unknown> };
    get: Doc & { run: (actor: Actor, id: string) => Promise<unknown> };
    update: Doc & { run: (ctx: AuthenticatedContext, id: string, body: Static<U>) => Promise<unknown> };
  },
): void {
  const tags = [o.tag];
  const item = Type.Ref(o.schema);
  const byId = `${o.path}/:id`;
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;
  r.get(
    o.path,
    {
      schema: {
        tags,
        operationId: o.list.operationId,
        summary: o.list.summary,
        querystring: ListQuery,
        response: { 200: ListOf(item), ...errorResponses(...(o.list.errors ?? [])) },
      },
    },
    async (req) => o.list.run(authContext(req).actor, req.query.q, page(req.query)),
  );
  r.post(
    o.path,
    {
      config: { audit: { action: `${o.audit.prefix}.create`, resourceType: o.audit.resourceType } },
      schema: {
        tags,
        operationId: o.create.operationId,
        summary: o.create.summary,
        body: o.createBody,
        response: { 201: item, ...errorResponses(...(o.create.errors ?? [])) },
      },
    },
    async (req, reply) => reply.status(201).send(await o.create.run(authContext(req), req.body as Static<C>)),
  );
  r.get(
    byId,
    {
      schema: {
        tags,
        operationId: o.get.operationId,
        summary: o.get.summary,
        params: o.idParams,
        response: { 200: Type.Ref(o.detailSchema), ...errorResponses(404, ...(o.get.errors ?? [])) },
      },
    },
    async (req) => o.get.run(authContext(req).actor, idOf(req)),
  );
  r.put(
    byId,
    {
      config: {
        audit: {
          action: `${o.audit.prefix}.update`,
          resourceType: o.audit.resourceType,
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: o.update.operationId,
        summary: o.update.summary,
        params: o.idParams,
        body: o.updateBody,
        response: { 200: item, ...errorResponses(...(o.update.errors ?? [])) },
      },
    },
    async (req) => o.update.run(authContext(req), idOf(req), req.body as Static<U>),
  );
}
