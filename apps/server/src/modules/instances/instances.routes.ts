import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import type { InstanceStatus } from './instances.repository.ts';
import {
  AdoptBody,
  IDEMPOTENCY_HEADER,
  InstanceIdParams,
  InstanceListQuery,
  InstanceSchema,
  InstanceSummaryQuery,
  InstanceSummarySchema,
  LaunchInstanceBody,
  LaunchResponse,
  StopBody,
  TerminateQuery,
  UpdateInstanceBody,
} from './instances.schemas.ts';
import type { InstancesService } from './instances.service.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export async function instancesRoutes(app: FastifyInstance, instances: InstancesService): Promise<void> {
  app.addSchema(InstanceSchema);
  app.addSchema(LaunchResponse);
  app.addSchema(InstanceSummarySchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const accepted = { 202: Type.Ref(LaunchResponse), ...errorResponses(404, 409, 422, 502, 503) };

  r.get(
    '/instances',
    {
      schema: {
        tags: ['instances'],
        operationId: 'listInstances',
        summary: 'Your instances (admins: all) with live status and usage; filter, search, sort, paginate',
        querystring: InstanceListQuery,
        response: { 200: ListOf(Type.Ref(InstanceSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const q = request.query;
      return instances.list(
        authContext(request).actor,
        {
          ...(q.status ? { status: q.status.split(',') as InstanceStatus[] } : {}),
          ...(q.q ? { q: q.q } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.ownerId ? { ownerId: q.ownerId } : {}),
          ...(q.includeTerminated ? { includeTerminated: true } : {}),
          ...(q.sort ? { sort: q.sort as 'name' } : {}),
          ...(q.order ? { order: q.order } : {}),
        },
        page(q),
        q.usage ?? true,
      );
    },
  );

  r.get(
    '/instances/summary',
    {
      schema: {
        tags: ['instances'],
        operationId: 'instancesSummary',
        summary:
          'Dashboard numbers for your instances (admins: all): counts by status, type and node, allocated sizes, the busiest running ones',
        description:
          'Counts come from the database (terminated instances are left out); `busiest` lists the `top` running ' +
          'instances by current CPU use, with live usage from Proxmox /cluster/resources (cached a few seconds).',
        querystring: InstanceSummaryQuery,
        response: { 200: Type.Ref(InstanceSummarySchema), ...errorResponses() },
      },
    },
    async (request) => {
      const q = request.query;
      return instances.summary(authContext(request).actor, {
        ...(q.ownerId ? { ownerId: q.ownerId } : {}),
        ...(q.top !== undefined ? { top: q.top } : {}),
      });
    },
  );

  r.post(
    '/instances',
    {
      config: { audit: { action: 'instances.launch', resourceType: 'instance' } },
      schema: {
        tags: ['instances'],
        operationId: 'launchInstance',
        summary: 'Launch a VM (cloud image + cloud-init) or an LXC container; returns the launch operation',
        description:
          'Asynchronous: answers 202 with the instance (status pending) and the operation to follow ' +
          '(GET /api/v1/operations/{id} or the /api/v1/events stream). Send an Idempotency-Key header ' +
          '(8-128 chars) to make retries safe: the same key and body return the same instance.',
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY.source })),
        }),
        body: LaunchInstanceBody,
        response: accepted,
      },
    },
    async (request, reply) => {
      const key = request.headers[IDEMPOTENCY_HEADER];
      if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
        throw new ValidationError('Idempotency-Key must be 8-128 characters of letters, digits and ._:-');
      }
      const result = await instances.launch(authContext(request), request.body, key as string | undefined);
      return reply.status(202).send(result);
    },
  );

  r.post(
    '/instances/adopt',
    {
      config: { audit: { action: 'instances.adopt', resourceType: 'instance' } },
      schema: {
        tags: ['instances'],
        operationId: 'adoptInstance',
        summary: 'Admin: manage an existing Proxmox guest that ProxiCloud did not create, for a user',
        body: AdoptBody,
        response: { 201: Type.Ref(InstanceSchema), ...errorResponses(409, 422, 502, 503) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await instances.adopt(authContext(request), request.body)),
  );

  r.get(
    '/instances/:id',
    {
      schema: {
        tags: ['instances'],
        operationId: 'getInstance',
        summary: 'One instance with live status, IP addresses and usage',
        params: InstanceIdParams,
        response: { 200: Type.Ref(InstanceSchema), ...errorResponses(404) },
      },
    },
    async (request) => instances.get(authContext(request).actor, request.params.id),
  );

  r.put(
    '/instances/:id',
    {
      config: { audit: { action: 'instances.update', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'updateInstance',
        summary: 'Change tags or termination protection',
        params: InstanceIdParams,
        body: UpdateInstanceBody,
        response: { 200: Type.Ref(InstanceSchema), ...errorResponses(404) },
      },
    },
    async (request) => instances.update(authContext(request), request.params.id, request.body),
  );

  r.post(
    '/instances/:id/start',
    {
      config: { audit: { action: 'instances.start', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'startInstance',
        summary: 'Start a stopped instance (asynchronous)',
        params: InstanceIdParams,
        response: accepted,
      },
    },
    async (request, reply) =>
      reply.status(202).send(await instances.start(authContext(request), request.params.id)),
  );

  r.post(
    '/instances/:id/stop',
    {
      config: { audit: { action: 'instances.stop', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'stopInstance',
        summary: 'Shut down (ACPI, forced after timeoutSeconds) or power off with force (asynchronous)',
        params: InstanceIdParams,
        body: StopBody,
        response: accepted,
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await instances.stop(authContext(request), request.params.id, request.body ?? {})),
  );

  r.post(
    '/instances/:id/reboot',
    {
      config: { audit: { action: 'instances.reboot', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'rebootInstance',
        summary: 'Reboot a running instance (asynchronous)',
        params: InstanceIdParams,
        response: accepted,
      },
    },
    async (request, reply) =>
      reply.status(202).send(await instances.reboot(authContext(request), request.params.id)),
  );

  r.delete(
    '/instances/:id',
    {
      config: { audit: { action: 'instances.terminate', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'terminateInstance',
        summary: 'Terminate: detach volumes (kept), power off, delete the guest and its root disk',
        description:
          'Needs ?confirm=<instance id or name>. Protected instances answer 409 instance_protected.',
        params: InstanceIdParams,
        querystring: TerminateQuery,
        response: accepted,
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await instances.terminate(authContext(request), request.params.id, request.query.confirm)),
  );
}
