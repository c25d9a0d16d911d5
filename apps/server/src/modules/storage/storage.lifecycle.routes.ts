/**
 * REST API for bucket lifecycle rules (console, CLI): the same rules as S3's
 * Get/Put/DeleteBucketLifecycleConfiguration, as JSON, plus "apply now".
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NoContent } from '../../platform/http/schemas.ts';
import { StorageError } from './storage.errors.ts';
import type { LifecycleRule } from './storage.lifecycle.ts';
import { BucketParams } from './storage.schemas.ts';
import { type StorageContext, type StorageService, storageContext } from './storage.service.ts';

const TAG = ['storage'];
const ctxOf = (request: FastifyRequest): StorageContext => storageContext(authContext(request), 'api');
const Days = Type.Integer({ minimum: 1, maximum: 100_000 });

const ruleProps = {
  id: Type.Optional(
    Type.String({ maxLength: 255, description: 'Unique in the bucket; generated when left out' }),
  ),
  status: Type.Union([Type.Literal('Enabled'), Type.Literal('Disabled')]),
  filter: Type.Object(
    {
      prefix: Type.Optional(Type.String({ maxLength: 1024 })),
      tags: Type.Optional(
        Type.Array(
          Type.Object({ key: Type.String(), value: Type.String() }, { additionalProperties: false }),
          {
            maxItems: 10,
          },
        ),
      ),
      objectSizeGreaterThan: Type.Optional(Type.Integer({ minimum: 0, description: 'Bytes' })),
      objectSizeLessThan: Type.Optional(Type.Integer({ minimum: 1, description: 'Bytes' })),
    },
    { additionalProperties: false, description: 'All conditions must hold; empty: every object' },
  ),
  expiration: Type.Optional(
    Type.Object(
      {
        days: Type.Optional(Days),
        date: Type.Optional(
          Type.String({
            maxLength: 40,
            description: 'ISO 8601 date-time at midnight UTC (checked by the service)',
          }),
        ),
        expiredObjectDeleteMarker: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, description: 'Exactly one of days, date, expiredObjectDeleteMarker' },
    ),
  ),
  noncurrentVersionExpiration: Type.Optional(
    Type.Object(
      {
        noncurrentDays: Days,
        newerNoncurrentVersions: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      },
      { additionalProperties: false },
    ),
  ),
  abortIncompleteMultipartUpload: Type.Optional(
    Type.Object({ daysAfterInitiation: Days }, { additionalProperties: false }),
  ),
};
export const LifecycleRuleSchema = Type.Object(ruleProps, {
  $id: 'LifecycleRule',
  additionalProperties: false,
});
const LifecycleRuleBody = Type.Object(ruleProps, { additionalProperties: false });

export const LifecycleSchema = Type.Object(
  {
    bucket: Type.String(),
    rules: Type.Array(Type.Ref(LifecycleRuleSchema), { description: 'Empty: no lifecycle configuration' }),
  },
  { $id: 'BucketLifecycle', additionalProperties: false },
);

export const LifecycleReportSchema = Type.Object(
  {
    buckets: Type.Integer({ minimum: 0 }),
    expiredObjects: Type.Integer({ minimum: 0 }),
    expiredNoncurrentVersions: Type.Integer({ minimum: 0 }),
    removedDeleteMarkers: Type.Integer({ minimum: 0 }),
    abortedUploads: Type.Integer({ minimum: 0 }),
  },
  { $id: 'LifecycleReport', additionalProperties: false },
);

export const lifecycleSchemas = [LifecycleRuleSchema, LifecycleSchema, LifecycleReportSchema];

export async function lifecycleRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  const rulesOf = async (ctx: StorageContext, bucket: string): Promise<LifecycleRule[]> => {
    try {
      return await service.getBucketLifecycle(ctx, bucket);
    } catch (err) {
      if (err instanceof StorageError && err.s3Code === 'NoSuchLifecycleConfiguration') return [];
      throw err;
    }
  };

  r.get(
    '/buckets/:bucket/lifecycle',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketLifecycle',
        summary: "The bucket's lifecycle rules (expiration, noncurrent versions, stale uploads)",
        params: BucketParams,
        response: { 200: Type.Ref(LifecycleSchema), ...errorResponses(404) },
      },
    },
    async (request) => ({
      bucket: request.params.bucket,
      rules: await rulesOf(ctxOf(request), request.params.bucket),
    }),
  );

  r.put(
    '/buckets/:bucket/lifecycle',
    {
      config: {
        audit: { action: 'buckets.put_lifecycle', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'putBucketLifecycle',
        summary: 'Replace the lifecycle rules (an empty list removes the configuration)',
        params: BucketParams,
        body: Type.Object(
          { rules: Type.Array(LifecycleRuleBody, { maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(LifecycleSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { rules } = request.body;
      const stored = await service.putBucketLifecycle(
        ctxOf(request),
        request.params.bucket,
        rules.length ? (rules as LifecycleRule[]).map((x) => ({ ...x, id: x.id ?? '' })) : null,
      );
      return { bucket: request.params.bucket, rules: stored ?? [] };
    },
  );

  r.delete(
    '/buckets/:bucket/lifecycle',
    {
      config: {
        audit: { action: 'buckets.delete_lifecycle', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'deleteBucketLifecycle',
        summary: 'Remove the lifecycle rules',
        params: BucketParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.putBucketLifecycle(ctxOf(request), request.params.bucket, null);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/buckets/:bucket/lifecycle/apply',
    {
      config: {
        audit: { action: 'buckets.apply_lifecycle', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'applyBucketLifecycle',
        summary: 'Apply the lifecycle rules now (the hourly job does the same), and say what it removed',
        params: BucketParams,
        response: { 200: Type.Ref(LifecycleReportSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await rulesOf(ctx, request.params.bucket); // 404 for a bucket the caller cannot see
      return service.applyLifecycle(ctx, Date.now(), request.params.bucket);
    },
  );
}
