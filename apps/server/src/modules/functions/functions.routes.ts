import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { authorize } from '../iam/index.ts';
import { MAX_ZIP_BYTES } from './functions.code.ts';
import type { FunctionsInvoker } from './functions.invoker.ts';
import type { FunctionsRepository } from './functions.repository.ts';
import type { RunnerSet } from './functions.runners.ts';
import * as S from './functions.schemas.ts';
import type { FunctionsService } from './functions.service.ts';
import { summarize } from './functions.stats.ts';
import { invocationView } from './functions.views.ts';

const tags = ['functions'];

/** The file of a multipart/form-data body (the first part with a filename, or the first part). */
export function multipartFile(body: Buffer, contentType: string): Buffer {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new ValidationError('multipart body without a boundary', { field: 'code' });
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  let pos = body.indexOf(boundary);
  let fallback: Buffer | null = null;
  while (pos >= 0) {
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) break;
    const next = body.indexOf(boundary, headerEnd);
    if (next < 0) break;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const data = body.subarray(headerEnd + 4, next - 2);
    if (/filename=/i.test(headers)) return data;
    fallback ??= data;
    pos = next;
  }
  if (fallback) return fallback;
  throw new ValidationError('No file in the multipart body', { field: 'code' });
}

export async function functionsRoutes(
  app: FastifyInstance,
  deps: {
    service: FunctionsService;
    invoker: FunctionsInvoker;
    repo: FunctionsRepository;
    runners: RunnerSet;
    clock: Clock;
  },
): Promise<void> {
  const { service, invoker } = deps;
  app.addSchema(S.FunctionCorsSchema);
  app.addSchema(S.FunctionSchema);
  app.addSchema(S.InvocationSchema);
  app.addSchema(S.FunctionScheduleSchema);
  app.addSchema(S.InvokeResponse);
  app.addContentTypeParser(
    ['application/zip', 'application/x-zip-compressed', 'application/octet-stream', 'multipart/form-data'],
    { parseAs: 'buffer', bodyLimit: MAX_ZIP_BYTES + 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const Fn = Type.Ref(S.FunctionSchema);

  r.get(
    '/functions/runtimes',
    {
      schema: {
        tags,
        operationId: 'listFunctionRuntimes',
        summary: "The runners' runtimes (versions, availability) and sandbox",
        response: { 200: S.RuntimesResponse, ...errorResponses() },
      },
    },
    async (request) => {
      authorize(authContext(request).actor, 'functions', 'read');
      const st = await deps.runners.status();
      return {
        runtimes: S.RUNTIMES.map((name) => ({
          name,
          available: st?.runtimes[name]?.available ?? false,
          version: st?.runtimes[name]?.version ?? null,
          ...(st?.runtimes[name]?.reason
            ? { reason: st.runtimes[name]!.reason! }
            : !st
              ? { reason: 'No function runner reachable' }
              : {}),
        })),
        sandbox: {
          bwrap: st?.bwrap ?? false,
          limits: st?.limits ?? 'unknown',
          seccomp: st?.seccomp ?? false,
          runners: deps.runners.clients.length,
        },
      };
    },
  );

  r.get(
    '/functions',
    {
      schema: {
        tags,
        operationId: 'listFunctions',
        summary: 'Your functions (admins: all)',
        querystring: S.FunctionListQuery,
        response: { 200: ListOf(Fn), ...errorResponses() },
      },
    },
    async (request) => service.list(authContext(request).actor, request.query.q, page(request.query)),
  );

  r.post(
    '/functions',
    {
      config: { audit: { action: 'functions.create', resourceType: 'function' } },
      schema: {
        tags,
        operationId: 'createFunction',
        summary: 'Create a function (version 1, alias live)',
        body: S.CreateFunctionBody,
        response: { 201: Fn, ...errorResponses(409, 422, 503) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.create(authContext(request), request.body)),
  );

  r.get(
    '/functions/:id',
    {
      schema: {
        tags,
        operationId: 'getFunction',
        summary: 'One function',
        params: S.FunctionIdParams,
        response: { 200: Fn, ...errorResponses(404) },
      },
    },
    async (request) => service.get(authContext(request).actor, request.params.id),
  );

  r.put(
    '/functions/:id',
    {
      config: { audit: { action: 'functions.update', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'updateFunction',
        summary: 'Change configuration and/or code: creates a new immutable version',
        params: S.FunctionIdParams,
        body: S.UpdateFunctionBody,
        response: { 200: Fn, ...errorResponses(404, 422, 503) },
      },
    },
    async (request) => service.update(authContext(request), request.params.id, request.body),
  );

  r.delete(
    '/functions/:id',
    {
      config: { audit: { action: 'functions.delete', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'deleteFunction',
        summary: 'Delete a function, its versions, schedules and history',
        params: S.FunctionIdParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.delete(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/functions/:id/code',
    {
      config: { audit: { action: 'functions.code', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'uploadFunctionCode',
        summary: 'Upload a ZIP (raw application/zip or multipart/form-data): a new version',
        consumes: ['application/zip', 'multipart/form-data'],
        params: S.FunctionIdParams,
        response: { 200: Fn, ...errorResponses(404, 413, 422, 503) },
      },
    },
    async (request) => {
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body))
        throw new ValidationError('Send the ZIP as application/zip or multipart/form-data', {
          field: 'code',
        });
      const ct = String(request.headers['content-type'] ?? '');
      const zip = ct.startsWith('multipart/') ? multipartFile(body, ct) : body;
      return service.update(authContext(request), request.params.id, {}, zip);
    },
  );

  r.get(
    '/functions/:id/code',
    {
      schema: {
        tags,
        operationId: 'getFunctionCode',
        summary: 'The code of a version (default: live) as text files',
        params: S.FunctionIdParams,
        querystring: S.CodeQuery,
        response: { 200: S.CodeResponse, ...errorResponses(404) },
      },
    },
    async (request) => service.code(authContext(request).actor, request.params.id, request.query.version),
  );

  r.get(
    '/functions/:id/versions',
    {
      schema: {
        tags,
        operationId: 'listFunctionVersions',
        summary: 'Immutable versions and aliases',
        params: S.FunctionIdParams,
        response: { 200: S.VersionsResponse, ...errorResponses(404) },
      },
    },
    async (request) => service.versions(authContext(request).actor, request.params.id),
  );

  r.put(
    '/functions/:id/aliases/:name',
    {
      config: { audit: { action: 'functions.alias', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'putFunctionAlias',
        summary: "Point an alias (e.g. 'live': roll back) at a version",
        params: S.AliasParams,
        body: S.AliasBody,
        response: { 200: S.VersionsResponse, ...errorResponses(404) },
      },
    },
    async (request) =>
      service.putAlias(authContext(request), request.params.id, request.params.name, request.body.version),
  );

  r.delete(
    '/functions/:id/aliases/:name',
    {
      config: {
        audit: { action: 'functions.alias_delete', resourceType: 'function', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'deleteFunctionAlias',
        summary: 'Delete an alias (not live)',
        params: S.AliasParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await service.deleteAlias(authContext(request), request.params.id, request.params.name);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/functions/:id/invoke',
    {
      schema: {
        tags,
        operationId: 'invokeFunction',
        summary:
          'Invoke: sync (result, duration, memory, log tail; 429 when throttled) or async (202 + invocationId)',
        params: S.FunctionIdParams,
        body: S.InvokeBody,
        response: {
          200: Type.Ref(S.InvokeResponse),
          202: Type.Ref(S.InvokeResponse),
          429: Type.Ref(S.InvokeResponse),
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const ctx = authContext(request);
      authorize(ctx.actor, 'functions', 'invoke');
      const row = await service.row(ctx.actor, request.params.id);
      const payload = request.body.payload ?? {};
      if (request.body.async)
        return reply.status(202).send(await invoker.enqueue(row, payload, 'api', request.body.qualifier));
      const out = await invoker.invoke(row, payload, 'api', request.body.qualifier);
      return reply.status(out.status === 'throttled' ? 429 : 200).send(out);
    },
  );

  r.get(
    '/functions/:id/invocations',
    {
      schema: {
        tags,
        operationId: 'listFunctionInvocations',
        summary:
          'Invocation history, newest first (with `since`: finished after it, oldest first, with logs)',
        params: S.FunctionIdParams,
        querystring: S.InvocationsQuery,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref(S.InvocationSchema)) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const ctx = authContext(request);
      authorize(ctx.actor, 'functions', 'read');
      await service.row(ctx.actor, request.params.id);
      const q = request.query;
      if (q.since)
        return {
          items: (await deps.repo.finishedSince(request.params.id, q.since, q.limit ?? 100)).map((i) =>
            invocationView(i, true),
          ),
        };
      const rows = await deps.repo.invocations(request.params.id, {
        limit: q.limit ?? 50,
        ...(q.status ? { status: q.status } : {}),
      });
      return { items: rows.map((i) => invocationView(i, false)) };
    },
  );

  r.get(
    '/invocations/:id',
    {
      schema: {
        tags,
        operationId: 'getInvocation',
        summary: 'One invocation with its logs and result',
        params: S.InvocationIdParams,
        response: { 200: Type.Ref(S.InvocationSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { actor } = authContext(request);
      authorize(actor, 'functions', 'read');
      const inv = await deps.repo.invocation(request.params.id);
      if (!inv || (inv.owner_id !== actor.id && !isAdmin(actor)))
        throw new NotFoundError('Invocation', request.params.id);
      return invocationView(inv, true);
    },
  );

  r.get(
    '/functions/:id/metrics',
    {
      schema: {
        tags,
        operationId: 'getFunctionMetrics',
        summary: 'Invocations, errors, throttles, p50/p95 duration over a window',
        params: S.FunctionIdParams,
        querystring: S.MetricsQuery,
        response: { 200: S.FunctionMetricsSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = authContext(request);
      authorize(ctx.actor, 'functions', 'read');
      await service.row(ctx.actor, request.params.id);
      const hours = request.query.hours ?? 24;
      const now = deps.clock.now();
      const rows = await deps.repo.stats(
        request.params.id,
        new Date(now.getTime() - hours * 3600_000).toISOString(),
      );
      return summarize(rows, hours, now);
    },
  );

  r.put(
    '/functions/:id/url',
    {
      config: { audit: { action: 'functions.url', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'putFunctionUrl',
        summary: 'Create or change the function URL (/fn/{urlId}/…): auth none|iam, CORS',
        params: S.FunctionIdParams,
        body: S.UrlBody,
        response: { 200: S.UrlResponse, ...errorResponses(404) },
      },
    },
    async (request) =>
      service.setUrl(authContext(request), request.params.id, request.body.auth, request.body.cors),
  );

  r.delete(
    '/functions/:id/url',
    {
      config: { audit: { action: 'functions.url_delete', resourceType: 'function', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'deleteFunctionUrl',
        summary: 'Remove the function URL',
        params: S.FunctionIdParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.deleteUrl(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/functions/:id/schedules',
    {
      schema: {
        tags,
        operationId: 'listFunctionSchedules',
        summary: 'Cron triggers',
        params: S.FunctionIdParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref(S.FunctionScheduleSchema)) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => ({
      items: await service.listSchedules(authContext(request).actor, request.params.id),
    }),
  );

  r.post(
    '/functions/:id/schedules',
    {
      config: {
        audit: { action: 'functions.schedule_create', resourceType: 'function', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'createFunctionSchedule',
        summary: 'Add a cron trigger (5 fields, or 6 with seconds; IANA time zone) with a fixed JSON payload',
        params: S.FunctionIdParams,
        body: S.ScheduleBody,
        response: { 201: Type.Ref(S.FunctionScheduleSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.addSchedule(authContext(request), request.params.id, request.body)),
  );

  r.delete(
    '/functions/:id/schedules/:scheduleId',
    {
      config: {
        audit: { action: 'functions.schedule_delete', resourceType: 'function', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'deleteFunctionSchedule',
        summary: 'Remove a cron trigger',
        params: S.ScheduleParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.deleteSchedule(authContext(request), request.params.id, request.params.scheduleId);
      return reply.status(204).send(null);
    },
  );
}
