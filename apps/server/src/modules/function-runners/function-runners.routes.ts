import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NullableString, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import type { FunctionRunnersService } from './function-runners.service.ts';

const Str = (o: Record<string, unknown> = {}) => Type.String(o);
const lit = (xs: string[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const FunctionRunnerSchema = Type.Object(
  {
    id: Str({ description: 'fnr-…' }),
    name: Str({ description: 'also the container’s hostname' }),
    node: NullableString({ description: 'the Proxmox node of its container' }),
    vmid: Type.Union([Type.Integer(), Type.Null()], { description: 'its container id' }),
    address: NullableString({ description: '`ip:port` the server reaches the runner at' }),
    status: lit(['creating', 'ready', 'upgrading', 'draining', 'deleting', 'error', 'deleted']),
    statusReason: NullableString(),
    health: lit(['unknown', 'healthy', 'unhealthy', 'lost']),
    healthReason: NullableString({ description: 'why it is unhealthy or lost' }),
    healthCheckedAt: Type.Union([Timestamp, Type.Null()]),
    version: NullableString({ description: 'the runner version installed' }),
    latestVersion: Str({ description: 'the runner version this server installs' }),
    upgradeAvailable: Type.Boolean(),
    sandbox: Type.Union([
      Type.Object(
        {
          bwrap: Type.Boolean({ description: 'bubblewrap sandboxes in force' }),
          limits: Str({ description: 'cgroup (v2 delegated) or prlimit' }),
          seccomp: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    runtimes: Type.Union([
      Type.Record(
        Type.String(),
        Type.Object(
          { available: Type.Boolean(), version: NullableString() },
          { additionalProperties: false },
        ),
      ),
      Type.Null(),
    ]),
    activeInvocations: Type.Integer({
      minimum: 0,
      description: 'invocations this server runs on it right now',
    }),
    memoryMib: Type.Integer(),
    cores: Type.Integer(),
    activeOperationId: NullableString(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'FunctionRunner', additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    name: Str({
      pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
      description: 'lower-case letters, digits and dashes (the container’s hostname)',
    }),
    node: Type.Optional(Str({ description: 'the Proxmox node (default: the first that can hold it)' })),
    memoryMib: Type.Optional(
      Type.Integer({ minimum: 256, maximum: 262144, description: 'MiB (default 1024)' }),
    ),
    cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 128, description: 'default 2' })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Str() }, { additionalProperties: false });

export async function functionRunnersRoutes(
  app: FastifyInstance,
  svc: FunctionRunnersService,
): Promise<void> {
  app.addSchema(FunctionRunnerSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['functions'];
  const item = Type.Ref(FunctionRunnerSchema);
  const Op = Type.Ref(OperationSchema);

  r.get(
    '/functions/runners',
    {
      schema: {
        tags,
        operationId: 'listFunctionRunners',
        summary: 'Admin: the ProxiCloud-managed function runners (LXC containers on the nodes)',
        response: {
          200: Type.Object({ items: Type.Array(item) }, { additionalProperties: false }),
          ...errorResponses(),
        },
      },
    },
    async (req) => ({ items: await svc.list(authContext(req)) }),
  );
  r.post(
    '/functions/runners',
    {
      config: { audit: { action: 'function_runners.create', resourceType: 'function_runner' } },
      schema: {
        tags,
        operationId: 'createFunctionRunner',
        summary:
          'Admin: create a managed function runner (asynchronous: container, install, health check, registration)',
        body: CreateBody,
        response: { 201: item, ...errorResponses(409, 503) },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.create(authContext(req), req.body)),
  );
  r.get(
    '/functions/runners/:id',
    {
      schema: {
        tags,
        operationId: 'getFunctionRunner',
        summary: 'Admin: a managed function runner',
        params: IdParams,
        response: { 200: item, ...errorResponses(404) },
      },
    },
    async (req) => svc.get(authContext(req), req.params.id),
  );
  r.delete(
    '/functions/runners/:id',
    {
      config: {
        audit: { action: 'function_runners.delete', resourceType: 'function_runner', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'deleteFunctionRunner',
        summary: 'Admin: drain a runner, stop and destroy its container (asynchronous)',
        params: IdParams,
        response: { 202: Op, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.remove(authContext(req), req.params.id)),
  );
  r.post(
    '/functions/runners/:id/upgrade',
    {
      config: {
        audit: { action: 'function_runners.upgrade', resourceType: 'function_runner', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'upgradeFunctionRunner',
        summary:
          "Admin: drain a runner, push this server's runner version and restart it (asynchronous; upgrade runners one at a time)",
        params: IdParams,
        response: { 202: Op, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.upgrade(authContext(req), req.params.id)),
  );
  r.post(
    '/functions/runners/:id/recreate',
    {
      config: {
        audit: {
          action: 'function_runners.recreate',
          resourceType: 'function_runner',
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: 'recreateFunctionRunner',
        summary: 'Admin: build a lost runner again (new container, new secret; asynchronous)',
        params: IdParams,
        response: { 202: Op, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.recreate(authContext(req), req.params.id)),
  );
}
