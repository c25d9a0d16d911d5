/**
 * REST API for object lock (console, CLI): the bucket's configuration and default retention, and
 * the retention / legal hold of one object version — the same rules as S3's
 * Put/GetObjectLockConfiguration, Put/GetObjectRetention and Put/GetObjectLegalHold.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { StorageError } from './storage.errors.ts';
import type { VersionLock } from './storage.objectlock.service.ts';
import type { DefaultRetention } from './storage.objectlock.ts';
import { BucketParams, ObjectParams } from './storage.schemas.ts';
import { type StorageContext, type StorageService, storageContext } from './storage.service.ts';

const TAG = ['storage'];
const ctxOf = (request: FastifyRequest, bypass = false): StorageContext => {
  const ctx = storageContext(authContext(request), 'api');
  ctx.bypassGovernance = bypass;
  return ctx;
};

const Mode = Type.Union([Type.Literal('GOVERNANCE'), Type.Literal('COMPLIANCE')], {
  description: 'GOVERNANCE: admins may shorten or bypass it; COMPLIANCE: nobody can, until it ends',
});

const DefaultRetentionSchema = Type.Object(
  {
    mode: Mode,
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
    years: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false, description: 'Exactly one of days and years' },
);

export const ObjectLockConfigSchema = Type.Object(
  {
    bucket: Type.String(),
    enabled: Type.Boolean({ description: 'Object lock is on (it cannot be turned off)' }),
    defaultRetention: Type.Union([DefaultRetentionSchema, Type.Null()], {
      description: 'Retention every new version gets unless the upload asks for another',
    }),
  },
  { $id: 'ObjectLockConfig', additionalProperties: false },
);

const RetentionSchema = Type.Object(
  { mode: Mode, retainUntil: Type.String({ description: 'ISO 8601 date-time' }) },
  { additionalProperties: false },
);

export const ObjectLockStateSchema = Type.Object(
  {
    key: Type.String(),
    versionId: Type.String(),
    retention: Type.Union([RetentionSchema, Type.Null()]),
    legalHold: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: never set' }),
    locked: Type.Boolean({ description: 'The version cannot be deleted now' }),
  },
  { $id: 'ObjectLockState', additionalProperties: false },
);

export const objectLockSchemas = [ObjectLockConfigSchema, ObjectLockStateSchema];

const VersionQuery = Type.Object({
  versionId: Type.Optional(Type.String({ maxLength: 64, description: 'Default: the current version' })),
});

export async function objectLockRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const json = (lock: VersionLock): Static<typeof ObjectLockStateSchema> => ({
    key: lock.key,
    versionId: lock.versionId,
    retention: lock.retention,
    legalHold: lock.legalHold,
    locked:
      lock.legalHold === true ||
      (lock.retention !== null && Date.parse(lock.retention.retainUntil) > Date.now()),
  });

  r.get(
    '/buckets/:bucket/object-lock',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketObjectLock',
        summary: "The bucket's object lock configuration (enabled: false when it has none)",
        params: BucketParams,
        response: { 200: Type.Ref(ObjectLockConfigSchema), ...errorResponses(404) },
      },
    },
    async (request) => ({
      bucket: request.params.bucket,
      ...(await service.objectLock.getObjectLockConfiguration(ctxOf(request), request.params.bucket)),
    }),
  );

  r.put(
    '/buckets/:bucket/object-lock',
    {
      config: {
        audit: { action: 'buckets.put_object_lock', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'putBucketObjectLock',
        summary:
          'Turn object lock on (the bucket must have versioning Enabled; it cannot be turned off) and set or clear the default retention',
        params: BucketParams,
        body: Type.Object(
          { defaultRetention: Type.Union([DefaultRetentionSchema, Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(ObjectLockConfigSchema), ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => ({
      bucket: request.params.bucket,
      ...(await service.objectLock.putObjectLockConfiguration(
        ctxOf(request),
        request.params.bucket,
        request.body.defaultRetention as DefaultRetention | null,
      )),
    }),
  );

  r.get(
    '/buckets/:bucket/object-lock/objects/*',
    {
      schema: {
        tags: TAG,
        operationId: 'getObjectLock',
        summary: 'Retention and legal hold of an object version (the current one by default)',
        params: ObjectParams,
        querystring: VersionQuery,
        response: { 200: Type.Ref(ObjectLockStateSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const key = request.params['*'];
      if (!key) throw new StorageError('InvalidArgument', 'Object key must not be empty');
      return json(
        await service.objectLock.getObjectLock(
          ctxOf(request),
          request.params.bucket,
          key,
          request.query.versionId,
        ),
      );
    },
  );

  r.put(
    '/buckets/:bucket/object-lock/retention',
    {
      config: { audit: { action: 'objects.put_retention', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'putObjectRetention',
        summary:
          'Set, extend, shorten or (null) remove the retention of a version; shortening or removing GOVERNANCE needs bypassGovernance (admins), COMPLIANCE can only be extended',
        params: BucketParams,
        body: Type.Object(
          {
            key: Type.String({ minLength: 1, maxLength: 1024 }),
            versionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            retention: Type.Union([RetentionSchema, Type.Null()]),
            bypassGovernance: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(ObjectLockStateSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const { key, versionId, retention, bypassGovernance } = request.body;
      let parsed = retention;
      if (retention) {
        const ms = Date.parse(retention.retainUntil);
        if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(retention.retainUntil))
          throw new StorageError('InvalidArgument', 'retainUntil must be an ISO 8601 date-time');
        if (ms <= Date.now())
          throw new StorageError('InvalidArgument', 'The retain until date must be in the future!');
        parsed = { mode: retention.mode, retainUntil: new Date(ms).toISOString() };
      }
      return json(
        await service.objectLock.putRetention(
          ctxOf(request, bypassGovernance === true),
          request.params.bucket,
          key,
          parsed,
          versionId,
        ),
      );
    },
  );

  r.put(
    '/buckets/:bucket/object-lock/legal-hold',
    {
      config: { audit: { action: 'objects.put_legal_hold', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'putObjectLegalHold',
        summary: 'Put a legal hold on a version (no delete until it is released) or release it',
        params: BucketParams,
        body: Type.Object(
          {
            key: Type.String({ minLength: 1, maxLength: 1024 }),
            versionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            legalHold: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(ObjectLockStateSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { key, versionId, legalHold } = request.body;
      return json(
        await service.objectLock.putLegalHold(
          ctxOf(request),
          request.params.bucket,
          key,
          legalHold,
          versionId,
        ),
      );
    },
  );
}
