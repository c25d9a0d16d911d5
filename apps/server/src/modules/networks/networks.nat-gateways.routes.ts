import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NullableString, page, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import type { NatGatewaysService } from './networks.nat-gateways.ts';
import { ListQuery, NAME } from './networks.schemas.ts';

const Str = (o: Record<string, unknown> = {}) => Type.String(o);
const Kind = Type.Union([Type.Literal('sdnSnat'), Type.Literal('natVm')], {
  description:
    "`sdnSnat`: the network subnet's SNAT on Proxmox (the node masquerades it; no VM). `natVm`: a small managed Debian container with a static public address (nftables masquerade); routes point at its private address",
});

export const NatGatewaySchema = Type.Object(
  {
    id: Str({ description: 'nat-…' }),
    name: Str(),
    kind: Kind,
    networkId: Str(),
    networkName: NullableString(),
    sourceCidr: NullableString({ description: 'what it translates: the network’s CIDR' }),
    status: Type.Union(['creating', 'available', 'deleting', 'error', 'deleted'].map((s) => Type.Literal(s))),
    statusReason: NullableString(),
    privateAddress: NullableString({ description: 'natVm: its address on the network (routes’ next hop)' }),
    publicAddress: NullableString({ description: 'natVm: the static public address traffic leaves with' }),
    health: Type.Union(
      [Type.Literal('unknown'), Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Null()],
      {
        description: 'natVm: the container’s health (re-created when lost); sdnSnat: null',
      },
    ),
    healthCheckedAt: Type.Union([Timestamp, Type.Null()]),
    node: NullableString({ description: 'natVm: the Proxmox node of its container' }),
    vmid: Type.Union([Type.Integer(), Type.Null()], { description: 'natVm: its container id' }),
    activeOperationId: NullableString(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'NatGateway', additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    name: Str({ pattern: NAME }),
    networkId: Str({ description: 'the network whose traffic it translates (net-…)' }),
    kind: Type.Optional(Kind),
    publicAddress: Type.Optional(
      Str({
        description: 'natVm: a free address of the public range to keep; allocated when absent',
      }),
    ),
    privateAddress: Type.Optional(
      Str({
        description: 'natVm: its address on the network (outside DHCP); first free fixed one when absent',
      }),
    ),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Str() });

export async function natGatewaysRoutes(app: FastifyInstance, s: { nat: NatGatewaysService }): Promise<void> {
  app.addSchema(NatGatewaySchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['nat-gateways'];
  const item = Type.Ref(NatGatewaySchema);
  r.get(
    '/nat-gateways',
    {
      schema: {
        tags,
        operationId: 'listNatGateways',
        summary: 'List your NAT gateways',
        querystring: ListQuery,
        response: { 200: ListOf(item), ...errorResponses() },
      },
    },
    async (req) => s.nat.list(authContext(req).actor, req.query.q, page(req.query)),
  );
  r.post(
    '/nat-gateways',
    {
      config: { audit: { action: 'nat_gateways.create', resourceType: 'nat_gateway' } },
      schema: {
        tags,
        operationId: 'createNatGateway',
        summary:
          'Create a NAT gateway for a network (asynchronous: SDN is applied; 409 without a public side)',
        body: CreateBody,
        response: { 201: item, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await s.nat.createGateway(authContext(req), req.body)),
  );
  r.get(
    '/nat-gateways/:id',
    {
      schema: {
        tags,
        operationId: 'getNatGateway',
        summary: 'A NAT gateway',
        params: IdParams,
        response: { 200: item, ...errorResponses(404) },
      },
    },
    async (req) => s.nat.get(authContext(req).actor, req.params.id),
  );
  r.delete(
    '/nat-gateways/:id',
    {
      config: {
        audit: { action: 'nat_gateways.delete', resourceType: 'nat_gateway', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'deleteNatGateway',
        summary: 'Delete a NAT gateway no route targets (409 names the routes); asynchronous',
        params: IdParams,
        response: { 202: Type.Ref(OperationSchema), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await s.nat.deleteGateway(authContext(req), req.params.id)),
  );
}
