import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NoContent } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import type { InstanceNetworks } from './networks.attach.ts';
import type { SecurityGroupsService } from './networks.groups.ts';
import { resourceRoutes } from './networks.routes-kit.ts';
import {
  AttachNicBody,
  CreateNetworkBody,
  CreateSecurityGroupBody,
  GroupIdParams,
  InstanceNetworkingSchema,
  InstanceNicParams,
  InstanceParams,
  NetworkDetailSchema,
  NetworkIdParams,
  NetworkSchema,
  NetworkSettingsSchema,
  RuleSchema,
  SecurityGroupSchema,
  SetGroupsBody,
  UpdateNetworkBody,
  UpdateNicBody,
  UpdateSecurityGroupBody,
} from './networks.schemas.ts';
import type { NetworkSettings, NetworksService } from './networks.service.ts';

export async function networksRoutes(
  app: FastifyInstance,
  s: {
    networks: NetworksService;
    groups: SecurityGroupsService;
    attach: InstanceNetworks;
    settings: NetworkSettings;
  },
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

  r.get(
    '/networks/settings',
    {
      schema: {
        tags: ['networks'],
        operationId: 'getNetworkSettings',
        summary: 'How launches are networked here: default network, who may launch on a Proxmox bridge',
        response: { 200: NetworkSettingsSchema, ...errorResponses() },
      },
    },
    async (req) => {
      const ctx = authContext(req);
      const { settings } = s;
      return {
        defaultNetwork: settings.defaultNetwork,
        bridgeLaunch: settings.bridgeLaunch,
        mayLaunchOnBridge: settings.bridgeLaunch === 'all' || ctx.actor.role === 'admin',
        zone: settings.zone,
        zoneType: settings.zoneType,
        ipfilter: settings.ipfilter,
      };
    },
  );

  resourceRoutes(r, {
    path: '/networks',
    tag: 'networks',
    schema: NetworkSchema,
    detailSchema: NetworkDetailSchema,
    idParams: NetworkIdParams,
    createBody: CreateNetworkBody,
    updateBody: UpdateNetworkBody,
    audit: { prefix: 'networks', resourceType: 'network' },
    list: {
      operationId: 'listNetworks',
      summary: 'Your networks (admins: all)',
      run: (actor, q, p) => s.networks.list(actor, q, p),
    },
    create: {
      operationId: 'createNetwork',
      summary: 'Create a network: an SDN VNet + subnet (async: status creating → available)',
      errors: [409, 503],
      run: (ctx, body) => s.networks.create(ctx, body),
    },
    get: {
      operationId: 'getNetwork',
      summary: 'One network and the instances attached to it',
      run: (actor, id) => s.networks.get(actor, id),
    },
    update: {
      operationId: 'updateNetwork',
      summary: 'Rename, retag, change SNAT or the DHCP range (SDN changes run as an operation)',
      errors: [404, 409, 422],
      run: (ctx, id, body) => s.networks.update(ctx, id, body),
    },
  });
  r.delete(
    '/networks/:id',
    {
      config: { audit: { action: 'networks.delete', resourceType: 'network', resourceIdParam: 'id' } },
      schema: {
        tags: ['networks'],
        operationId: 'deleteNetwork',
        summary: 'Delete a network without NICs (409 names the instances still on it)',
        params: NetworkIdParams,
        response: { 202: Type.Ref(OperationSchema), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await s.networks.delete(authContext(req), req.params.id)),
  );

  resourceRoutes(r, {
    path: '/security-groups',
    tag: 'security-groups',
    schema: SecurityGroupSchema,
    detailSchema: SecurityGroupSchema,
    idParams: GroupIdParams,
    createBody: CreateSecurityGroupBody,
    updateBody: UpdateSecurityGroupBody,
    audit: { prefix: 'security_groups', resourceType: 'security_group' },
    list: {
      operationId: 'listSecurityGroups',
      summary: 'Your security groups (admins: all)',
      run: (actor, q, p) => s.groups.list(actor, q, p),
    },
    create: {
      operationId: 'createSecurityGroup',
      summary: 'Create a security group (a PVE cluster security group + member IP set)',
      errors: [404, 409],
      run: (ctx, body) => s.groups.create(ctx, body),
    },
    get: {
      operationId: 'getSecurityGroup',
      summary: 'One security group, its rules and attached instances',
      run: (actor, id) => s.groups.get(actor, id),
    },
    update: {
      operationId: 'updateSecurityGroup',
      summary: 'Rename or replace the rules; applies to every attached instance at once',
      errors: [404, 409],
      run: (ctx, id, body) => s.groups.update(ctx, id, body),
    },
  });
  r.delete(
    '/security-groups/:id',
    {
      config: {
        audit: { action: 'security_groups.delete', resourceType: 'security_group', resourceIdParam: 'id' },
      },
      schema: {
        tags: ['security-groups'],
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
  r.patch(
    '/instances/:id/nics/:networkId',
    {
      config: { audit: { action: 'instances.update_nic', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'updateInstanceNic',
        summary:
          'Change a NIC: its source/destination check (off for a router or NAT instance; takes effect at once)',
        params: InstanceNicParams,
        body: UpdateNicBody,
        response: { 200: Type.Ref(InstanceNetworkingSchema), ...errorResponses(404, 409) },
      },
    },
    async (req) => s.attach.setNic(authContext(req), req.params.id, req.params.networkId, req.body),
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
