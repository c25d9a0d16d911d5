import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import type { InstanceNetworks } from './networks.attach.ts';
import type { SecurityGroupsService } from './networks.groups.ts';
import {
  AttachNicBody,
  CreateNetworkBody,
  CreateSecurityGroupBody,
  GroupIdParams,
  InstanceNetworkingSchema,
  InstanceNicParams,
  InstanceParams,
  ListQuery,
  NetworkDetailSchema,
  NetworkIdParams,
  NetworkSchema,
  RuleSchema,
  SecurityGroupSchema,
  SetGroupsBody,
  UpdateNetworkBody,
  UpdateSecurityGroupBody,
} from './networks.schemas.ts';
import type { NetworksService } from './networks.service.ts';

export async function networksRoutes(
  app: FastifyInstance,
  s: { networks: NetworksService; groups: SecurityGroupsService; attach: InstanceNetworks },
): Promise<void> {
  for (const schema of [
    NetworkSchema,
    NetworkDetailSchema,
    RuleSchema,
    SecurityGroupSchema,
    InstanceNetworkingSchema,
  ])
    app.addSchema(schema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const net = ['networks'];
  const sg = ['security-groups'];

  r.get(
    '/networks',
    {
      schema: {
        tags: net,
        operationId: 'listNetworks',
        summary: 'Your networks (admins: all)',
        querystring: ListQuery,
        response: { 200: ListOf(Type.Ref(NetworkSchema)), ...errorResponses() },
      },
    },
    async (req) => s.networks.list(authContext(req).actor, req.query.q, page(req.query)),
  );
  r.post(
    '/networks',
    {
      config: { audit: { action: 'networks.create', resourceType: 'network' } },
      schema: {
        tags: net,
        operationId: 'createNetwork',
        summary: 'Create a network: an SDN VNet + subnet (async: status creating → available)',
        body: CreateNetworkBody,
        response: { 201: Type.Ref(NetworkSchema), ...errorResponses(409, 503) },
      },
    },
    async (req, reply) => reply.status(201).send(await s.networks.create(authContext(req), req.body)),
  );
  r.get(
    '/networks/:id',
    {
      schema: {
        tags: net,
        operationId: 'getNetwork',
        summary: 'One network and the instances attached to it',
        params: NetworkIdParams,
        response: { 200: Type.Ref(NetworkDetailSchema), ...errorResponses(404) },
      },
    },
    async (req) => s.networks.get(authContext(req).actor, req.params.id),
  );
  r.put(
    '/networks/:id',
    {
      config: { audit: { action: 'networks.update', resourceType: 'network', resourceIdParam: 'id' } },
      schema: {
        tags: net,
        operationId: 'updateNetwork',
        summary: 'Rename, retag, change SNAT or the DHCP range (SDN changes run as an operation)',
        params: NetworkIdParams,
        body: UpdateNetworkBody,
        response: { 200: Type.Ref(NetworkSchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (req) => s.networks.update(authContext(req), req.params.id, req.body),
  );
  r.delete(
    '/networks/:id',
    {
      config: { audit: { action: 'networks.delete', resourceType: 'network', resourceIdParam: 'id' } },
      schema: {
        tags: net,
        operationId: 'deleteNetwork',
        summary: 'Delete a network without NICs (409 names the instances still on it)',
        params: NetworkIdParams,
        response: { 202: Type.Ref(OperationSchema), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await s.networks.delete(authContext(req), req.params.id)),
  );

  r.get(
    '/security-groups',
    {
      schema: {
        tags: sg,
        operationId: 'listSecurityGroups',
        summary: 'Your security groups (admins: all)',
        querystring: ListQuery,
        response: { 200: ListOf(Type.Ref(SecurityGroupSchema)), ...errorResponses() },
      },
    },
    async (req) => s.groups.list(authContext(req).actor, req.query.q, page(req.query)),
  );
  r.post(
    '/security-groups',
    {
      config: { audit: { action: 'security_groups.create', resourceType: 'security_group' } },
      schema: {
        tags: sg,
        operationId: 'createSecurityGroup',
        summary: 'Create a security group (a PVE cluster security group + member IP set)',
        body: CreateSecurityGroupBody,
        response: { 201: Type.Ref(SecurityGroupSchema), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await s.groups.create(authContext(req), req.body)),
  );
  r.get(
    '/security-groups/:id',
    {
      schema: {
        tags: sg,
        operationId: 'getSecurityGroup',
        summary: 'One security group, its rules and attached instances',
        params: GroupIdParams,
        response: { 200: Type.Ref(SecurityGroupSchema), ...errorResponses(404) },
      },
    },
    async (req) => s.groups.get(authContext(req).actor, req.params.id),
  );
  r.put(
    '/security-groups/:id',
    {
      config: {
        audit: { action: 'security_groups.update', resourceType: 'security_group', resourceIdParam: 'id' },
      },
      schema: {
        tags: sg,
        operationId: 'updateSecurityGroup',
        summary: 'Rename or replace the rules; applies to every attached instance at once',
        params: GroupIdParams,
        body: UpdateSecurityGroupBody,
        response: { 200: Type.Ref(SecurityGroupSchema), ...errorResponses(404, 409) },
      },
    },
    async (req) => s.groups.update(authContext(req), req.params.id, req.body),
  );
  r.delete(
    '/security-groups/:id',
    {
      config: {
        audit: { action: 'security_groups.delete', resourceType: 'security_group', resourceIdParam: 'id' },
      },
      schema: {
        tags: sg,
        operationId: 'deleteSecurityGroup',
        summary: 'Delete a security group no instance uses and no other group references',
        params: GroupIdParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await s.groups.delete(authContext(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/instances/:id/nics',
    {
      config: { audit: { action: 'instances.attach_nic', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'attachInstanceNic',
        summary: 'Add a NIC on a network (hot-plugged when running; 409 when Proxmox cannot)',
        params: InstanceParams,
        body: AttachNicBody,
        response: { 201: Type.Ref(InstanceNetworkingSchema), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.attach.attach(authContext(req), req.params.id, req.body)),
  );
  r.delete(
    '/instances/:id/nics/:networkId',
    {
      config: { audit: { action: 'instances.detach_nic', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'detachInstanceNic',
        summary: 'Remove the NIC on a network (its address returns to the network)',
        params: InstanceNicParams,
        response: { 200: Type.Ref(InstanceNetworkingSchema), ...errorResponses(404, 409) },
      },
    },
    async (req) => s.attach.detach(authContext(req), req.params.id, req.params.networkId),
  );
  r.put(
    '/instances/:id/security-groups',
    {
      config: {
        audit: { action: 'instances.set_security_groups', resourceType: 'instance', resourceIdParam: 'id' },
      },
      schema: {
        tags: ['instances'],
        operationId: 'setInstanceSecurityGroups',
        summary: "Replace the instance's security groups (takes effect at once, no restart)",
        params: InstanceParams,
        body: SetGroupsBody,
        response: { 200: Type.Ref(InstanceNetworkingSchema), ...errorResponses(404, 409) },
      },
    },
    async (req) => s.attach.setGroups(authContext(req), req.params.id, req.body.securityGroupIds),
  );
}
