import { PassThrough, type Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { StorageError } from './storage.errors.ts';
import {
  BucketListQuery,
  BucketParams,
  BucketSchema,
  CompleteUploadBody,
  CreateBucketBody,
  CreateUploadBody,
  DeleteObjectsBody,
  DeleteObjectsResultSchema,
  GetObjectQuery,
  ListObjectsQuery,
  ObjectInfoSchema,
  ObjectListingSchema,
  ObjectParams,
  PartParams,
  PartResultSchema,
  PresignBody,
  PresignResultSchema,
  PutObjectResultSchema,
  RawBody,
  UploadParams,
  UploadSchema,
} from './storage.schemas.ts';
import {
  type BodyInput,
  decodeCursor,
  encodeCursor,
  type ObjectInfo,
  quoteEtag,
  type StorageContext,
  type StorageService,
  storageContext,
} from './storage.service.ts';

/**
 * The REST API for buckets and objects (web console, CLI). HTTP translation only; the storage
 * service holds the rules. Object bodies are streamed both ways, never buffered.
 */

const TAG = ['storage'];

function ctxOf(request: FastifyRequest): StorageContext {
  return storageContext(authContext(request), 'api');
}

function objectKey(request: FastifyRequest): string {
  const key = (request.params as Record<string, string>)['*'] ?? '';
  if (key === '') throw new StorageError('InvalidArgument', 'Object key must not be empty');
  return key;
}

/** The raw request body as a stream we own (destroying it never kills the socket). */
function rawBody(request: FastifyRequest): BodyInput {
  const req = request.raw;
  const lengthHeader = req.headers['content-length'];
  const length = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (length === null && req.headers['transfer-encoding'] === undefined)
    throw new StorageError(
      'MissingContentLength',
      'Send the object with a Content-Length header (or chunked).',
    );
  const through = new PassThrough({ highWaterMark: 1024 * 1024 });
  through.on('error', () => undefined); // the consumer sees it through its pipeline
  req.pipe(through);
  req.on('error', (err) => through.destroy(err));
  req.on('close', () => {
    if (!req.complete) through.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  });
  const md5 = req.headers['content-md5'];
  return { stream: through, length, contentMd5: typeof md5 === 'string' ? md5 : null };
}

function attributesFrom(request: FastifyRequest) {
  const h = request.headers;
  const str = (name: string) => {
    const v = h[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(h))
    if (name.startsWith('x-amz-meta-') && name.length > 11 && typeof value === 'string')
      metadata[name.slice(11)] = value;
  return {
    contentType: str('content-type') ?? null,
    headers: {
      ...(str('content-encoding') ? { contentEncoding: str('content-encoding') } : {}),
      ...(str('content-disposition') ? { contentDisposition: str('content-disposition') } : {}),
      ...(str('cache-control') ? { cacheControl: str('cache-control') } : {}),
      ...(str('content-language') ? { contentLanguage: str('content-language') } : {}),
      ...(str('expires') ? { expires: str('expires') } : {}),
    },
    metadata,
  };
}

/** REST uploads: `x-amz-server-side-encryption: AES256` asks for SSE-S3 (SSE-C is an S3-only feature). */
function sseHeader(value: string | string[] | undefined): { algorithm: 'AES256' } | null {
  if (value === undefined) return null;
  if (value === 'AES256') return { algorithm: 'AES256' };
  throw new StorageError('InvalidArgument', 'x-amz-server-side-encryption: only AES256 is supported', {
    ArgumentName: 'x-amz-server-side-encryption',
  });
}

function infoJson(info: ObjectInfo) {
  return {
    bucket: info.bucket,
    key: info.key,
    size: info.size,
    etag: info.etag,
    lastModified: info.lastModified,
    contentType: info.contentType,
    ...info.headers,
    metadata: info.metadata,
    partsCount: info.partsCount,
    checksum: info.checksum,
    ...(info.encryption !== undefined ? { encryption: info.encryption?.mode ?? null } : {}),
  };
}

function objectReplyHeaders(reply: FastifyReply, info: ObjectInfo): void {
  reply.header('etag', quoteEtag(info.etag));
  reply.header('last-modified', new Date(info.lastModified).toUTCString());
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', info.contentType);
  if (info.headers.contentEncoding) reply.header('content-encoding', info.headers.contentEncoding);
  if (info.headers.contentDisposition) reply.header('content-disposition', info.headers.contentDisposition);
  if (info.headers.contentLanguage) reply.header('content-language', info.headers.contentLanguage);
  if (info.headers.expires) reply.header('expires', info.headers.expires);
  reply.header('cache-control', info.headers.cacheControl ?? 'private, no-cache');
  for (const [k, v] of Object.entries(info.metadata)) reply.header(`x-amz-meta-${k}`, v);
}

function attachment(key: string): string {
  const name = key.split('/').pop() || 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function conditionsOf(request: FastifyRequest) {
  const h = request.headers;
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    ifMatch: s(h['if-match']),
    ifNoneMatch: s(h['if-none-match']),
    ifModifiedSince: s(h['if-modified-since']),
    ifUnmodifiedSince: s(h['if-unmodified-since']),
  };
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export async function storageRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---------------------------------------------------------------- buckets
  r.get(
    '/buckets',
    {
      schema: {
        tags: TAG,
        operationId: 'listBuckets',
        summary: 'Buckets you own (admins: all) with object count and total size',
        querystring: BucketListQuery,
        response: { 200: ListOf(Type.Ref(BucketSchema)), ...errorResponses() },
      },
    },
    async (request) => service.listBuckets(ctxOf(request), page(request.query)),
  );

  r.post(
    '/buckets',
    {
      config: { audit: { action: 'buckets.create', resourceType: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'createBucket',
        summary: 'Create a bucket (S3 naming rules; names are unique across all users)',
        body: CreateBucketBody,
        response: { 201: Type.Ref(BucketSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await service.createBucket(ctxOf(request), request.body.name, {
          objectLock: request.body.objectLockEnabled === true,
        }),
      ),
  );

  r.get(
    '/buckets/:bucket',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucket',
        summary: 'One bucket with its object count, size and tags',
        params: BucketParams,
        response: { 200: Type.Ref(BucketSchema), ...errorResponses(404) },
      },
    },
    async (request) => service.getBucket(ctxOf(request), request.params.bucket),
  );

  r.delete(
    '/buckets/:bucket',
    {
      config: { audit: { action: 'buckets.delete', resourceType: 'bucket', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'deleteBucket',
        summary: 'Delete an empty bucket (409 bucket_not_empty otherwise)',
        params: BucketParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await service.deleteBucket(ctxOf(request), request.params.bucket);
      return reply.status(204).send(null);
    },
  );

  // ---------------------------------------------------------------- listing, metadata, batch delete
  r.get(
    '/buckets/:bucket/objects',
    {
      schema: {
        tags: TAG,
        operationId: 'listObjects',
        summary: 'Objects and common prefixes (folders) under a prefix, in key order, paged by cursor',
        params: BucketParams,
        querystring: ListObjectsQuery,
        response: { 200: Type.Ref(ObjectListingSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await service.listObjects(ctxOf(request), request.params.bucket, {
        prefix: q.prefix ?? '',
        delimiter: q.delimiter ?? '',
        after: q.cursor ? decodeCursor(q.cursor) : null,
        maxKeys: q.limit ?? 100,
      });
      return {
        bucket: request.params.bucket,
        prefix: q.prefix ?? '',
        delimiter: q.delimiter ?? '',
        items: result.objects.map((o) => ({
          key: o.key,
          size: o.size,
          etag: o.etag,
          lastModified: o.lastModified,
          contentType: o.contentType,
        })),
        prefixes: result.commonPrefixes,
        isTruncated: result.isTruncated,
        nextCursor: result.isTruncated && result.last ? encodeCursor(result.last) : null,
      };
    },
  );

  r.get(
    '/buckets/:bucket/metadata/*',
    {
      schema: {
        tags: TAG,
        operationId: 'getObjectMetadata',
        summary: 'An object’s metadata as JSON (size, ETag, content type, user metadata …)',
        params: ObjectParams,
        response: { 200: Type.Ref(ObjectInfoSchema), ...errorResponses(404) },
      },
    },
    async (request) =>
      infoJson(
        await service.headObject(
          ctxOf(request),
          request.params.bucket,
          objectKey(request),
          {},
          undefined,
          null,
          {
            describeOnly: true,
          },
        ),
      ),
  );

  r.post(
    '/buckets/:bucket/objects/delete',
    {
      config: { audit: { action: 'objects.delete', resourceType: 'bucket', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'deleteObjects',
        summary: 'Delete up to 1000 objects; missing keys count as deleted',
        params: BucketParams,
        body: DeleteObjectsBody,
        response: { 200: Type.Ref(DeleteObjectsResultSchema), ...errorResponses(404) },
      },
    },
    async (request) => service.deleteObjects(ctxOf(request), request.params.bucket, request.body.keys),
  );

  r.post(
    '/buckets/:bucket/presign',
    {
      config: { audit: { action: 'objects.presign', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'presignObject',
        summary: 'A presigned S3 URL to GET (share link) or PUT (browser upload) one object',
        params: BucketParams,
        body: PresignBody,
        response: { 200: Type.Ref(PresignResultSchema), ...errorResponses(404) },
      },
    },
    async (request) =>
      service.presign(ctxOf(request), request.params.bucket, request.body.key, {
        method: request.body.method ?? 'GET',
        expiresIn: request.body.expiresIn ?? 3600,
        origin: originOf(request),
        responseContentDisposition: request.body.responseContentDisposition,
      }),
  );

  // ---------------------------------------------------------------- multipart (JSON parts)
  r.post(
    '/buckets/:bucket/uploads',
    {
      config: { audit: { action: 'multipart.create', resourceType: 'multipart_upload' } },
      schema: {
        tags: TAG,
        operationId: 'createUpload',
        summary: 'Start a multipart upload (for large browser uploads); parts go to …/parts/{n}',
        params: BucketParams,
        body: CreateUploadBody,
        response: { 201: Type.Ref(UploadSchema), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const meta = request.body.metadata ?? {};
      const lower = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k.toLowerCase(), v]));
      const u = await service.createUpload(
        ctxOf(request),
        request.params.bucket,
        request.body.key,
        { contentType: request.body.contentType ?? null, metadata: lower },
        null,
        request.body.encryption ? { algorithm: 'AES256' } : null,
      );
      return reply
        .status(201)
        .send({ uploadId: u.uploadId, bucket: u.bucket, key: u.key, initiated: u.initiated });
    },
  );

  r.post(
    '/buckets/:bucket/uploads/:uploadId/complete',
    {
      config: {
        audit: {
          action: 'multipart.complete',
          resourceType: 'multipart_upload',
          resourceIdParam: 'uploadId',
        },
      },
      schema: {
        tags: TAG,
        operationId: 'completeUpload',
        summary: 'Assemble the listed parts (ascending, all but the last ≥ 5 MiB) into the object',
        params: UploadParams,
        body: CompleteUploadBody,
        response: { 200: Type.Ref(PutObjectResultSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const result = await service.completeUpload(
        ctxOf(request),
        request.params.bucket,
        null,
        request.params.uploadId,
        request.body.parts,
      );
      return {
        bucket: request.params.bucket,
        key: result.key,
        etag: result.etag,
        size: result.size,
        lastModified: result.lastModified,
      };
    },
  );

  r.delete(
    '/buckets/:bucket/uploads/:uploadId',
    {
      config: {
        audit: { action: 'multipart.abort', resourceType: 'multipart_upload', resourceIdParam: 'uploadId' },
      },
      schema: {
        tags: TAG,
        operationId: 'abortUpload',
        summary: 'Abort a multipart upload and discard its parts',
        params: UploadParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.abortUpload(ctxOf(request), request.params.bucket, null, request.params.uploadId);
      return reply.status(204).send(null);
    },
  );

  // ---------------------------------------------------------------- objects (streamed)
  r.get(
    '/buckets/:bucket/objects/*',
    {
      exposeHeadRoute: false,
      schema: {
        tags: TAG,
        operationId: 'getObject',
        summary: 'Download an object (streams; Range, If-None-Match and If-Modified-Since supported)',
        params: ObjectParams,
        querystring: GetObjectQuery,
        response: {
          200: { description: 'The object', content: { 'application/octet-stream': { schema: RawBody } } },
          206: { description: 'A byte range', content: { 'application/octet-stream': { schema: RawBody } } },
          304: { description: 'Not modified', type: 'null' },
          ...errorResponses(404, 412, 416),
        },
      },
    },
    async (request, reply) => {
      const key = objectKey(request);
      let result: Awaited<ReturnType<StorageService['getObject']>>;
      try {
        result = await service.getObject(ctxOf(request), request.params.bucket, key, {
          range: request.headers.range ?? null,
          conditions: conditionsOf(request),
          ...(request.query.versionId !== undefined ? { versionId: request.query.versionId } : {}),
        });
      } catch (err) {
        if (err instanceof StorageError && err.s3Code === 'NotModified') return reply.status(304).send(null);
        throw err;
      }
      const { info, range, stream } = result;
      objectReplyHeaders(reply, info);
      if (request.query.download) reply.header('content-disposition', attachment(key));
      if (range) {
        reply.status(206);
        reply.header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
        reply.header('content-length', range.end - range.start + 1);
      } else reply.header('content-length', info.size);
      // the schema documents the bytes; the payload is a stream (Fastify pipes it)
      return (reply as FastifyReply).send(stream as Readable);
    },
  );

  r.head(
    '/buckets/:bucket/objects/*',
    {
      schema: {
        tags: TAG,
        operationId: 'headObject',
        summary: 'Object headers (ETag, Content-Type, Content-Length, Last-Modified, x-amz-meta-*)',
        params: ObjectParams,
      },
    },
    async (request, reply) => {
      try {
        const info = await service.headObject(
          ctxOf(request),
          request.params.bucket,
          objectKey(request),
          conditionsOf(request),
        );
        objectReplyHeaders(reply, info);
        reply.header('content-length', info.size);
        return reply.status(200).send();
      } catch (err) {
        if (err instanceof StorageError && err.s3Code === 'NotModified') return reply.status(304).send();
        throw err;
      }
    },
  );

  r.delete(
    '/buckets/:bucket/objects/*',
    {
      config: { audit: { action: 'objects.delete', resourceType: 'object' } },
      schema: {
        tags: TAG,
        operationId: 'deleteObject',
        summary: 'Delete an object (204 even if it did not exist)',
        params: ObjectParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.deleteObject(ctxOf(request), request.params.bucket, objectKey(request));
      return reply.status(204).send(null);
    },
  );

  // Raw-body routes live in their own scope: no JSON parser, the body is streamed to disk.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null, ''));
    raw.addHook('preValidation', async (request) => {
      if (typeof request.body !== 'string') request.body = '';
    });
    // Answering before the body was read (an error): close the connection rather than drain it.
    raw.addHook('onSend', async (request, reply, payload) => {
      if (!request.raw.complete) reply.header('connection', 'close');
      return payload;
    });
    const rr = raw.withTypeProvider<TypeBoxTypeProvider>();

    rr.put(
      '/buckets/:bucket/objects/*',
      {
        config: { audit: { action: 'objects.put', resourceType: 'object' } },
        schema: {
          tags: TAG,
          operationId: 'putObject',
          summary:
            'Upload an object: the raw body is the content (Content-Type, Content-MD5, Content-Disposition, Cache-Control and x-amz-meta-* headers are honoured)',
          params: ObjectParams,
          consumes: ['application/octet-stream'],
          body: RawBody,
          response: { 200: Type.Ref(PutObjectResultSchema), ...errorResponses(404, 411, 413) },
        },
      },
      async (request) => {
        const key = objectKey(request);
        const result = await service.putObject(
          ctxOf(request),
          request.params.bucket,
          key,
          { ...rawBody(request), sse: sseHeader(request.headers['x-amz-server-side-encryption']) },
          attributesFrom(request),
          conditionsOf(request),
        );
        return {
          bucket: request.params.bucket,
          key,
          etag: result.etag,
          size: result.size,
          lastModified: result.lastModified,
          encryption: result.encryption ? 'AES256' : null,
        };
      },
    );

    rr.put(
      '/buckets/:bucket/uploads/:uploadId/parts/:partNumber',
      {
        config: {
          audit: {
            action: 'multipart.upload_part',
            resourceType: 'multipart_upload',
            resourceIdParam: 'uploadId',
          },
        },
        schema: {
          tags: TAG,
          operationId: 'uploadPart',
          summary: 'Upload one part (raw body; 5 MiB to 5 GiB except the last); returns its ETag',
          params: PartParams,
          consumes: ['application/octet-stream'],
          body: RawBody,
          response: { 200: Type.Ref(PartResultSchema), ...errorResponses(404, 411, 413) },
        },
      },
      async (request) => {
        const result = await service.uploadPart(
          ctxOf(request),
          request.params.bucket,
          null,
          request.params.uploadId,
          request.params.partNumber,
          rawBody(request),
        );
        return { partNumber: request.params.partNumber, etag: result.etag, size: result.size };
      },
    );
  });
}
