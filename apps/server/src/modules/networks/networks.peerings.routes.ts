import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import {
  errorResponses,
  ListOf,
  NoContent,
  NullableString,
  page,
  Timestamp,
} from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import type { PeeringsService } from './networks.peerings.ts';
import { ListQuery, NAME } from './networks.schemas.ts';

const Str = (o: Record<string, unknown> = {}) => Type.String(o);

const Side = Type.Object(
  {
    ownerId: Str(),
    networkId: Str(),
    networkName: NullableString({ description: 'only for your own side' }),
    cidr: NullableString(),
    allowedCidrs: Type.Union([Type.Array(Str()), Type.Null()], {
      description: 'ranges of this side the other side may reach (null: not accepted yet)',
    }),
  },
  { additionalProperties: false },
);

export const PeeringSchema = Type.Object(
  {
    id: Str({ description: 'pcx-…' }),
    name: Str(),
    status: Type.Union(
      ['pendingAcceptance', 'provisioning', 'active', 'rejected', 'deleting', 'deleted'].map((s) =>
        Type.Literal(s),
      ),
    ),
    statusReason: NullableString(),
    yourSide: Type.Union([Type.Literal('requester'), Type.Literal('accepter')]),
    requester: Side,
    accepter: Side,
    activeOperationId: NullableString(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Peering', additionalProperties: false },
);

const Cidrs = Type.Array(Str({ maxLength: 18 }), {
  maxItems: 20,
  description: 'ranges of your network the other side may reach (default: all of it)',
});
const CreateBody = Type.Object(
  {
    name: Str({ pattern: NAME }),
    networkId: Str({ description: 'your network (net-…)' }),
    peerNetworkId: Str({
      description: "the other network (yours: active at once; another user's: they accept)",
    }),
    allowedCidrs: Type.Optional(Cidrs),
    peerAllowedCidrs: Type.Optional(
      Type.Array(Str(), {
        maxItems: 50,
        description:
          "both networks yours: ranges of the peer network yours may reach (default: all of it); another user's network: not allowed, they choose when accepting",
      }),
    ),
  },
  { additionalProperties: false },
);
const AcceptBody = Type.Object({ allowedCidrs: Type.Optional(Cidrs) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Str() });

export async function peeringsRoutes(app: FastifyInstance, s: { peerings: PeeringsService }): Promise<void> {
  app.addSchema(PeeringSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['peerings'];
  const item = Type.Ref(PeeringSchema);
  r.get(
    '/peerings',
    {
      schema: {
        tags,
        operationId: 'listPeerings',
        summary: 'Peerings you requested or were asked to accept',
        querystring: ListQuery,
        response: { 200: ListOf(item), ...errorResponses() },
      },
    },
    async (req) => s.peerings.list(authContext(req).actor, req.query.q, page(req.query)),
  );
  r.post(
    '/peerings',
    {
      config: { audit: { action: 'peerings.create', resourceType: 'peering' } },
      schema: {
        tags,
        operationId: 'createPeering',
        summary:
          'Request a peering between your network and another (active at once between your own networks)',
        body: CreateBody,
        response: { 201: item, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await s.peerings.create(authContext(req), req.body)),
  );
  r.get(
    '/peerings/:id',
    {
      schema: {
        tags,
        operationId: 'getPeering',
        summary: 'A peering',
        params: IdParams,
        response: { 200: item, ...errorResponses(404) },
      },
    },
    async (req) => s.peerings.get(authContext(req).actor, req.params.id),
  );
  r.post(
    '/peerings/:id/accept',
    {
      config: { audit: { action: 'peerings.accept', resourceType: 'peering', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'acceptPeering',
        summary: 'Accept a peering request to your network, opening the given ranges (asynchronous)',
        params: IdParams,
        body: AcceptBody,
        response: { 200: item, ...errorResponses(404, 409) },
      },
    },
    async (req) => s.peerings.accept(authContext(req), req.params.id, req.body?.allowedCidrs),
  );
  r.post(
    '/peerings/:id/reject',
    {
      config: { audit: { action: 'peerings.reject', resourceType: 'peering', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'rejectPeering',
        summary: 'Reject a peering request to your network',
        params: IdParams,
        response: { 200: item, ...errorResponses(404, 409) },
      },
    },
    async (req) => s.peerings.reject(authContext(req), req.params.id),
  );
  r.delete(
    '/peerings/:id',
    {
      config: { audit: { action: 'peerings.delete', resourceType: 'peering', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'deletePeering',
        summary:
          'Delete a peering (either side): its firewall rules and routes go (202 with the operation; 204 when nothing was applied)',
        params: IdParams,
        response: { 202: Type.Ref(OperationSchema), 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const op = await s.peerings.delete(authContext(req), req.params.id);
      return op ? reply.status(202).send(op) : reply.status(204).send(null);
    },
  );
}
