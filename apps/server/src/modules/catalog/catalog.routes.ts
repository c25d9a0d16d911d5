import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import {
  CatalogImageSchema,
  CatalogQuery,
  CreateInstanceTypeBody,
  InstanceTypeParams,
  InstanceTypeSchema,
} from './catalog.schemas.ts';
import type { CatalogService } from './catalog.service.ts';

export async function catalogRoutes(app: FastifyInstance, catalog: CatalogService): Promise<void> {
  app.addSchema(CatalogImageSchema);
  app.addSchema(InstanceTypeSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/catalog',
    {
      schema: {
        tags: ['catalog'],
        operationId: 'listCatalog',
        summary:
          'What can be launched: cloud images (VMs), LXC templates, and ISOs, from Proxmox storage content',
        querystring: CatalogQuery,
        response: { 200: ListOf(Type.Ref(CatalogImageSchema)), ...errorResponses(502, 503) },
      },
    },
    async (request) => {
      const { kind, type, os, q } = request.query;
      return catalog.list(
        authContext(request).actor,
        { ...(kind ? { kind } : {}), ...(type ? { type } : {}), ...(os ? { os } : {}), ...(q ? { q } : {}) },
        page(request.query),
      );
    },
  );

  r.get(
    '/instance-types',
    {
      schema: {
        tags: ['catalog'],
        operationId: 'listInstanceTypes',
        summary: 'Instance types (built-in t.nano … t.xlarge and the ones admins added)',
        response: { 200: ListOf(Type.Ref(InstanceTypeSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const items = await catalog.listTypes(authContext(request).actor);
      return { items, total: items.length, limit: items.length, offset: 0 };
    },
  );

  r.post(
    '/instance-types',
    {
      config: { audit: { action: 'instance_types.create', resourceType: 'instance_type' } },
      schema: {
        tags: ['catalog'],
        operationId: 'createInstanceType',
        summary: 'Add an instance type (admin)',
        body: CreateInstanceTypeBody,
        response: { 201: Type.Ref(InstanceTypeSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const created = await catalog.createType(authContext(request), request.body);
      return reply.status(201).send(created);
    },
  );

  r.delete(
    '/instance-types/:name',
    {
      config: {
        audit: { action: 'instance_types.delete', resourceType: 'instance_type', resourceIdParam: 'name' },
      },
      schema: {
        tags: ['catalog'],
        operationId: 'deleteInstanceType',
        summary: 'Delete an instance type an admin added (built-ins stay)',
        params: InstanceTypeParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await catalog.deleteType(authContext(request), request.params.name);
      return reply.status(204).send(null);
    },
  );
}
