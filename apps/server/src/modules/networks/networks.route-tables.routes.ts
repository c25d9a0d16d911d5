import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NoContent, NullableString, Timestamp } from '../../platform/http/schemas.ts';
import type { RouteTablesService } from './networks.route-tables.ts';
import { resourceRoutes } from './networks.routes-kit.ts';
import { NAME } from './networks.schemas.ts';

const Str = (o: Record<string, unknown> = {}) => Type.String(o);

export const RouteSchema = Type.Object(
  {
    id: Str(),
    destinationCidr: Str({ description: 'IPv4 destination, e.g. 10.30.0.0/16 or 0.0.0.0/0' }),
    targetType: Type.Union(
      [Type.Literal('instance'), Type.Literal('natGateway'), Type.Literal('local'), Type.Literal('peering')],
      {
        description:
          "`instance`: an instance's NIC acts as the router; `natGateway`: a NAT gateway (nat-…); `local`: the network itself (implicit); `peering`: a peer network's range (managed by the peering)",
      },
    ),
    targetId: NullableString(),
    targetName: NullableString(),
  },
  { $id: 'Route', additionalProperties: false },
);

export const RouteTableSchema = Type.Object(
  {
    id: Str({ description: 'rtb-…' }),
    name: Str(),
    isDefault: Type.Boolean({
      description: 'the owner’s default table: networks without a table of their own use it',
    }),
    routes: Type.Array(Type.Ref(RouteSchema)),
    networkIds: Type.Array(Str(), { description: 'networks associated explicitly' }),
    effectiveNetworks: Type.Array(
      Type.Object({ id: Str(), name: Str(), cidr: Str() }, { additionalProperties: false }),
      { description: 'networks that use this table' },
    ),
    localRoutes: Type.Array(Type.Ref(RouteSchema)),
    peeringRoutes: Type.Array(Type.Ref(RouteSchema), {
      description: 'peer ranges of the networks’ active peerings (added and removed with the peering)',
    }),
    statusReason: NullableString({ description: 'guests the last change could not reach' }),
    warnings: Type.Array(Type.String(), {
      description:
        'routes that cannot work as they are: a router instance whose NIC still has its source/destination check on',
    }),
    activeOperationId: NullableString(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'RouteTable', additionalProperties: false },
);

const RouteInput = Type.Object(
  {
    destinationCidr: Str({ maxLength: 18 }),
    targetType: Type.Union([Type.Literal('instance'), Type.Literal('natGateway')]),
    targetId: Str({
      description:
        'instance: the router (i-…), with a NIC on every network of the table; natGateway: a NAT gateway (nat-…) of the table’s network',
    }),
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    name: Str({ pattern: NAME }),
    routes: Type.Optional(Type.Array(RouteInput, { maxItems: 50 })),
    networkIds: Type.Optional(Type.Array(Str(), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Str({ pattern: NAME })),
    routes: Type.Optional(Type.Array(RouteInput, { maxItems: 50 })),
    networkIds: Type.Optional(Type.Array(Str(), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Str() });

export async function routeTablesRoutes(
  app: FastifyInstance,
  s: { tables: RouteTablesService },
): Promise<void> {
  app.addSchema(RouteSchema);
  app.addSchema(RouteTableSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  resourceRoutes(r, {
    path: '/route-tables',
    tag: 'route-tables',
    schema: RouteTableSchema,
    detailSchema: RouteTableSchema,
    idParams: IdParams,
    createBody: CreateBody,
    updateBody: UpdateBody,
    audit: { prefix: 'route_tables', resourceType: 'route_table' },
    list: {
      operationId: 'listRouteTables',
      summary: 'List your route tables (the default table `main` is made on first use)',
      run: (actor, q, page) => s.tables.list(actor, q, page),
    },
    create: {
      operationId: 'createRouteTable',
      summary: 'Create a route table; associated networks get its routes on their running guests',
      errors: [404, 409],
      run: (ctx, body) => s.tables.create(ctx, body),
    },
    get: {
      operationId: 'getRouteTable',
      summary: 'A route table with its routes and the networks that use it',
      run: (actor, id) => s.tables.get(actor, id),
    },
    update: {
      operationId: 'updateRouteTable',
      summary: 'Rename, replace the routes or the associated networks (running guests updated at once)',
      errors: [404, 409],
      run: (ctx, id, body) => s.tables.update(ctx, id, body),
    },
  });
  r.delete(
    '/route-tables/:id',
    {
      config: {
        audit: { action: 'route_tables.delete', resourceType: 'route_table', resourceIdParam: 'id' },
      },
      schema: {
        tags: ['route-tables'],
        operationId: 'deleteRouteTable',
        summary: 'Delete a route table (its networks fall back to the default table); not the default one',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await s.tables.delete(authContext(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
