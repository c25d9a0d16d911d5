/**
 * REST API for bucket default encryption (console, CLI): S3's Get/Put/DeleteBucketEncryption as
 * JSON. Objects are encrypted on the S3 face (`x-amz-server-side-encryption*`) or by this default.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NoContent } from '../../platform/http/schemas.ts';
import { BucketParams } from './storage.schemas.ts';
import { type StorageContext, type StorageService, storageContext } from './storage.service.ts';

const TAG = ['storage'];
const ctxOf = (request: FastifyRequest): StorageContext => storageContext(authContext(request), 'api');

export const BucketEncryptionSchema = Type.Object(
  {
    bucket: Type.String(),
    algorithm: Type.Union([Type.Literal('AES256'), Type.Null()], {
      description:
        'Default encryption of new objects: AES256 (SSE-S3, AES-256-GCM at rest); null: stored as sent',
    }),
    bucketKeyEnabled: Type.Boolean({
      description: "S3's BucketKeyEnabled flag (kept and echoed; no effect here)",
    }),
  },
  { $id: 'BucketEncryption', additionalProperties: false },
);

export const encryptionSchemas = [BucketEncryptionSchema];

export async function encryptionRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/buckets/:bucket/encryption',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketEncryption',
        summary: "The bucket's default encryption of new objects",
        params: BucketParams,
        response: { 200: Type.Ref(BucketEncryptionSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const cfg = await service.encryption.getBucketEncryption(ctxOf(request), request.params.bucket);
      return {
        bucket: request.params.bucket,
        algorithm: cfg?.algorithm ?? null,
        bucketKeyEnabled: cfg?.bucketKeyEnabled ?? false,
      };
    },
  );

  r.put(
    '/buckets/:bucket/encryption',
    {
      config: {
        audit: { action: 'buckets.put_encryption', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'putBucketEncryption',
        summary: 'Encrypt new objects by default (AES256: SSE-S3); existing objects stay as they are',
        params: BucketParams,
        body: Type.Object(
          {
            algorithm: Type.Literal('AES256'),
            bucketKeyEnabled: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(BucketEncryptionSchema), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const cfg = await service.encryption.putBucketEncryption(ctxOf(request), request.params.bucket, {
        algorithm: 'AES256',
        bucketKeyEnabled: request.body.bucketKeyEnabled ?? false,
      });
      return {
        bucket: request.params.bucket,
        algorithm: 'AES256' as const,
        bucketKeyEnabled: !!cfg?.bucketKeyEnabled,
      };
    },
  );

  r.delete(
    '/buckets/:bucket/encryption',
    {
      config: {
        audit: { action: 'buckets.delete_encryption', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'deleteBucketEncryption',
        summary: 'Stop encrypting new objects by default (encrypted objects stay encrypted)',
        params: BucketParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.encryption.putBucketEncryption(ctxOf(request), request.params.bucket, null);
      return reply.status(204).send(null);
    },
  );
}
