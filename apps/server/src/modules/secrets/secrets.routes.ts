import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { validatorCompiler } from '../../platform/http/validation.ts';
import type { MasterKeyRotation } from './secrets.rotation.ts';
import {
  CreateSecretBody,
  PutPolicyBody,
  PutSecretBody,
  RotationResultSchema,
  SecretDeleteQuery,
  SecretListQuery,
  SecretNameParams,
  SecretPolicySchema,
  SecretSchema,
  SecretValueQuery,
  SecretValueSchema,
  SecretVersionSchema,
} from './secrets.schemas.ts';
import type { SecretsService } from './secrets.service.ts';

const tags = ['secrets'];
/** The service writes its own audit entries (value reads included); the generic hook adds failures. */
const audited = (action: string) => ({ audit: { action, resourceType: 'secret' } });

/**
 * Validate a body or query the way route schemas do (the wildcard routes, whose body depends on the
 * path); errors take the same 400 validation_error shape.
 */
function check<T extends TSchema>(schema: T, input: unknown, part: 'body' | 'querystring'): Static<T> {
  const compiled = validatorCompiler({ schema, httpPart: part, method: 'PUT', url: '' });
  const result = compiled(input ?? {}) as { value?: unknown; error?: unknown[] };
  if (result.error)
    throw Object.assign(new Error(`invalid ${part}`), { validation: result.error, validationContext: part });
  return (part === 'body' ? input : result.value) as Static<T>;
}

const SUFFIX = /^(.*)\/(versions|policy|restore|metadata)$/;

export async function secretsRoutes(
  app: FastifyInstance,
  secrets: SecretsService,
  rotation: MasterKeyRotation,
): Promise<void> {
  for (const s of [
    SecretSchema,
    SecretValueSchema,
    SecretVersionSchema,
    SecretPolicySchema,
    RotationResultSchema,
  ])
    app.addSchema(s);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  const valueReply = (reply: FastifyReply, v: unknown) => reply.header('cache-control', 'no-store').send(v);

  r.get(
    '/secrets',
    {
      schema: {
        tags,
        operationId: 'listSecrets',
        summary:
          'Secrets you own or that are shared with you (admins: all) — names and metadata, never values',
        querystring: SecretListQuery,
        response: { 200: ListOf(Type.Ref(SecretSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const { q, prefix, includeDeleted } = request.query;
      return secrets.list(
        authContext(request).actor,
        { q, prefix, includeDeleted: includeDeleted ?? false },
        page(request.query),
      );
    },
  );

  r.post(
    '/secrets',
    {
      config: audited('secrets.create'),
      schema: {
        tags,
        operationId: 'createSecret',
        summary: 'Create a secret (version 1); the value is encrypted before it is stored',
        body: CreateSecretBody,
        response: { 201: Type.Ref(SecretSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await secrets.create(authContext(request), request.body)),
  );

  r.post(
    '/secrets/master-key/rotate',
    {
      config: audited('secrets.rotate_master_key'),
      schema: {
        tags,
        operationId: 'rotateSecretsMasterKey',
        summary: 'Admins: new master key; every data key is re-wrapped (values stay readable throughout)',
        description:
          '409 master_key_from_env (the key comes from PROXICLOUD_SECRETS_MASTER_KEY) or ' +
          'cluster_rotation_unsupported (other servers share the database: stop them first).',
        response: { 200: Type.Ref(RotationResultSchema), ...errorResponses(409) },
      },
    },
    async (request) => rotation.rotate(authContext(request)),
  );

  // --- one secret, by URL-encoded name or id ---

  r.get(
    '/secrets/:name',
    {
      schema: {
        tags,
        operationId: 'getSecretValue',
        summary: 'The value of the current version (or ?version=N); every read is audited',
        params: SecretNameParams,
        querystring: SecretValueQuery,
        response: { 200: Type.Ref(SecretValueSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      valueReply(
        reply,
        await secrets.getValue(authContext(request), request.params.name, request.query.version),
      ),
  );

  r.get(
    '/secrets/:name/metadata',
    {
      schema: {
        tags,
        operationId: 'describeSecret',
        summary: 'A secret without its value',
        params: SecretNameParams,
        response: { 200: Type.Ref(SecretSchema), ...errorResponses(404) },
      },
    },
    async (request) => secrets.describe(authContext(request).actor, request.params.name),
  );

  r.put(
    '/secrets/:name',
    {
      config: audited('secrets.put_version'),
      schema: {
        tags,
        operationId: 'putSecretValue',
        summary: 'Store a new version (optional check-and-set with expectedVersion → 409)',
        params: SecretNameParams,
        body: PutSecretBody,
        response: { 200: Type.Ref(SecretSchema), ...errorResponses(404, 409) },
      },
    },
    async (request) => secrets.putValue(authContext(request), request.params.name, request.body),
  );

  r.delete(
    '/secrets/:name',
    {
      config: audited('secrets.delete'),
      schema: {
        tags,
        operationId: 'deleteSecret',
        summary:
          'Schedule deletion after a recovery window (default 7 days; restore until then), or ?force=true now',
        params: SecretNameParams,
        querystring: SecretDeleteQuery,
        response: { 200: Type.Ref(SecretSchema), 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const out = await secrets.delete(authContext(request), request.params.name, request.query);
      return out ? out : reply.status(204).send(null);
    },
  );

  r.post(
    '/secrets/:name/restore',
    {
      config: audited('secrets.restore'),
      schema: {
        tags,
        operationId: 'restoreSecret',
        summary: 'Cancel a scheduled deletion',
        params: SecretNameParams,
        response: { 200: Type.Ref(SecretSchema), ...errorResponses(404, 409) },
      },
    },
    async (request) => secrets.restore(authContext(request), request.params.name),
  );

  r.get(
    '/secrets/:name/versions',
    {
      schema: {
        tags,
        operationId: 'listSecretVersions',
        summary: 'Versions of a secret, newest first (no values)',
        params: SecretNameParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref(SecretVersionSchema)) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => ({ items: await secrets.versions(authContext(request).actor, request.params.name) }),
  );

  r.get(
    '/secrets/:name/policy',
    {
      schema: {
        tags,
        operationId: 'getSecretPolicy',
        summary: "The secret's grants",
        params: SecretNameParams,
        response: { 200: Type.Ref(SecretPolicySchema), ...errorResponses(404) },
      },
    },
    async (request) => secrets.getPolicy(authContext(request).actor, request.params.name),
  );

  r.put(
    '/secrets/:name/policy',
    {
      config: audited('secrets.put_policy'),
      schema: {
        tags,
        operationId: 'putSecretPolicy',
        summary: 'Replace the grants (owner, manage grantees and admins)',
        params: SecretNameParams,
        body: PutPolicyBody,
        response: { 200: Type.Ref(SecretPolicySchema), ...errorResponses(404) },
      },
    },
    async (request) => secrets.putPolicy(authContext(request), request.params.name, request.body.grants),
  );

  // --- the same, with the name as a plain trailing path: /secrets/app/db/password[/versions|/policy|…] ---
  const split = (path: string): { ref: string; sub: string | null } => {
    const m = SUFFIX.exec(path);
    return m ? { ref: m[1]!, sub: m[2]! } : { ref: path, sub: null };
  };
  const hidden = { tags, hide: true } as const;

  app.get('/secrets/*', { schema: hidden }, async (request, reply) => {
    const ctx = authContext(request);
    const path = (request.params as { '*': string })['*'];
    const { ref, sub } = split(path);
    if (sub === 'versions') return { items: await secrets.versions(ctx.actor, ref) };
    if (sub === 'policy') return secrets.getPolicy(ctx.actor, ref);
    if (sub === 'metadata') return secrets.describe(ctx.actor, ref);
    const q = check(SecretValueQuery, request.query, 'querystring');
    return valueReply(reply, await secrets.getValue(ctx, path, q.version));
  });

  app.put('/secrets/*', { schema: hidden, config: audited('secrets.put_version') }, async (request) => {
    const ctx = authContext(request);
    const { ref, sub } = split((request.params as { '*': string })['*']);
    if (sub === 'policy')
      return secrets.putPolicy(ctx, ref, check(PutPolicyBody, request.body, 'body').grants);
    const name = sub ? `${ref}/${sub}` : ref;
    return secrets.putValue(ctx, name, check(PutSecretBody, request.body, 'body'));
  });

  app.delete('/secrets/*', { schema: hidden, config: audited('secrets.delete') }, async (request, reply) => {
    const q = check(SecretDeleteQuery, request.query, 'querystring');
    const out = await secrets.delete(authContext(request), (request.params as { '*': string })['*'], q);
    return out ? out : reply.status(204).send(null);
  });

  app.post('/secrets/*', { schema: hidden, config: audited('secrets.restore') }, async (request, reply) => {
    const { ref, sub } = split((request.params as { '*': string })['*']);
    if (sub !== 'restore')
      return reply.status(404).send({
        error: {
          code: 'not_found',
          message: `Route POST ${request.url.split('?')[0]} not found`,
          requestId: request.id,
        },
      });
    return secrets.restore(authContext(request), ref);
  });
}
