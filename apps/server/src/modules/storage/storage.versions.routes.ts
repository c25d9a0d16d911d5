/**
 * REST API for bucket versioning (console, CLI): the versioning status, an object's versions,
 * restoring one (a copy of it becomes the current version) and deleting one for good.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { StorageError } from './storage.errors.ts';
import { BucketParams } from './storage.schemas.ts';
import { type StorageContext, type StorageService, storageContext } from './storage.service.ts';

const TAG = ['storage'];
const ctxOf = (request: FastifyRequest): StorageContext => storageContext(authContext(request), 'api');

const VersioningStatus = Type.Union([Type.Literal('Enabled'), Type.Literal('Suspended'), Type.Null()], {
  description: 'null: never enabled (S3 cannot go back to that once enabled)',
});

export const VersioningSchema = Type.Object(
  { bucket: Type.String(), status: VersioningStatus },
  { $id: 'BucketVersioning', additionalProperties: false },
);

export const ObjectVersionSchema = Type.Object(
  {
    key: Type.String(),
    versionId: Type.String({ description: '"null" for the null version' }),
    isLatest: Type.Boolean(),
    isDeleteMarker: Type.Boolean(),
    lastModified: Type.String({ format: 'date-time' }),
    etag: Type.String({ description: 'Empty for delete markers' }),
    size: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ObjectVersion', additionalProperties: false },
);

export const VersionListingSchema = Type.Object(
  {
    items: Type.Array(Type.Ref(ObjectVersionSchema)),
    prefixes: Type.Array(Type.String()),
    isTruncated: Type.Boolean(),
    nextKeyMarker: Type.Union([Type.String(), Type.Null()]),
    nextVersionIdMarker: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'VersionListing', additionalProperties: false },
);

export const RestoredVersionSchema = Type.Object(
  {
    key: Type.String(),
    versionId: Type.String({ description: 'The new current version' }),
    restoredVersionId: Type.String(),
    etag: Type.String(),
  },
  { $id: 'RestoredVersion', additionalProperties: false },
);

export const versionSchemas = [
  VersioningSchema,
  ObjectVersionSchema,
  VersionListingSchema,
  RestoredVersionSchema,
];

const VersionRef = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 1024 }),
    versionId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
const VersionDeleteRef = Type.Object(
  {
    ...VersionRef.properties,
    bypassGovernance: Type.Optional(
      Type.Boolean({ description: 'Object lock: delete despite GOVERNANCE retention (admins only)' }),
    ),
  },
  { additionalProperties: false },
);

export async function versionRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/buckets/:bucket/versioning',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketVersioning',
        summary: 'Whether the bucket keeps every version of its objects',
        params: BucketParams,
        response: { 200: Type.Ref(VersioningSchema), ...errorResponses(404) },
      },
    },
    async (request) => ({
      bucket: request.params.bucket,
      status: await service.getBucketVersioning(ctxOf(request), request.params.bucket),
    }),
  );

  r.put(
    '/buckets/:bucket/versioning',
    {
      config: {
        audit: { action: 'buckets.put_versioning', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'putBucketVersioning',
        summary: 'Enable or suspend versioning (existing versions are kept when suspended)',
        params: BucketParams,
        body: Type.Object(
          { status: Type.Union([Type.Literal('Enabled'), Type.Literal('Suspended')]) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(VersioningSchema), ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => {
      await service.putBucketVersioning(ctxOf(request), request.params.bucket, request.body.status);
      return { bucket: request.params.bucket, status: request.body.status };
    },
  );

  r.get(
    '/buckets/:bucket/versions',
    {
      schema: {
        tags: TAG,
        operationId: 'listObjectVersions',
        summary: 'Versions and delete markers, by key then newest first (paged by key/version markers)',
        params: BucketParams,
        querystring: Type.Object({
          prefix: Type.Optional(Type.String({ maxLength: 1024 })),
          delimiter: Type.Optional(Type.String({ maxLength: 16 })),
          keyMarker: Type.Optional(Type.String({ maxLength: 1024 })),
          versionIdMarker: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default 100' })),
        }),
        response: { 200: Type.Ref(VersionListingSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await service.listObjectVersions(ctxOf(request), request.params.bucket, {
        prefix: q.prefix ?? '',
        delimiter: q.delimiter ?? '',
        keyMarker: q.keyMarker ?? '',
        versionIdMarker: q.versionIdMarker ?? '',
        maxKeys: q.limit ?? 100,
      });
      return {
        items: result.entries.map((e) => ({
          key: e.key,
          versionId: e.versionId ?? 'null',
          isLatest: e.isLatest,
          isDeleteMarker: e.isDeleteMarker,
          lastModified: e.lastModified,
          etag: e.etag,
          size: e.size,
        })),
        prefixes: result.commonPrefixes,
        isTruncated: result.isTruncated,
        nextKeyMarker: result.nextKeyMarker,
        nextVersionIdMarker: result.nextVersionIdMarker,
      };
    },
  );

  r.post(
    '/buckets/:bucket/versions/restore',
    {
      config: { audit: { action: 'objects.copy', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'restoreObjectVersion',
        summary: 'Make a copy of an older version the current version (the history is kept)',
        params: BucketParams,
        body: VersionRef,
        response: { 200: Type.Ref(RestoredVersionSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const { key, versionId } = request.body;
      const ctx = ctxOf(request);
      if ((await service.getBucketVersioning(ctx, bucket)) === null)
        throw new StorageError('InvalidRequest', 'Versioning has never been enabled on this bucket.', {
          BucketName: bucket,
        });
      const result = await service.copyObject(
        ctx,
        { bucket, key, versionId },
        { bucket, key },
        { directive: 'COPY', attrs: {}, conditions: {} },
      );
      return {
        key,
        versionId: result.versionId ?? 'null',
        restoredVersionId: versionId,
        etag: result.etag,
      };
    },
  );

  r.post(
    '/buckets/:bucket/versions/delete',
    {
      config: { audit: { action: 'objects.delete_version', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'deleteObjectVersion',
        summary: 'Delete one version (or delete marker) for good; the newest remaining one becomes current',
        params: BucketParams,
        body: VersionDeleteRef,
        response: {
          200: Type.Object(
            {
              key: Type.String(),
              versionId: Type.String(),
              deleteMarker: Type.Boolean(),
              existed: Type.Boolean(),
            },
            { additionalProperties: false },
          ),
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (request) => {
      const { key, versionId, bypassGovernance } = request.body;
      const ctx = ctxOf(request);
      ctx.bypassGovernance = bypassGovernance === true;
      const r2 = await service.deleteObject(ctx, request.params.bucket, key, versionId);
      return { key, versionId, deleteMarker: r2.deleteMarker, existed: r2.deleted };
    },
  );
}
