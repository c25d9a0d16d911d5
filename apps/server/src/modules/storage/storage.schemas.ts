import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.ts';

/** REST API schemas for buckets and objects (→ OpenAPI components). */

export const BucketName = Type.String({
  minLength: 3,
  maxLength: 63,
  pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
  description: 'S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens',
});

export const TagSchema = Type.Object(
  { key: Type.String(), value: Type.String() },
  { $id: 'BucketTag', additionalProperties: false },
);

export const BucketSchema = Type.Object(
  {
    name: Type.String(),
    ownerId: Type.String(),
    ownerUsername: Type.Union([Type.String(), Type.Null()]),
    region: Type.String(),
    createdAt: Timestamp,
    storage: Type.Union([Type.Literal('dir'), Type.Literal('zfs')], {
      description: 'dir: a directory in the data dir; zfs: a ZFS dataset of its own',
    }),
    objectCount: Type.Integer({ minimum: 0 }),
    sizeBytes: Type.Integer({ minimum: 0 }),
    tags: Type.Array(Type.Ref(TagSchema)),
    cors: Type.Boolean({ description: 'Whether the bucket has a CORS configuration' }),
    versioning: Type.Union([Type.Literal('Enabled'), Type.Literal('Suspended'), Type.Null()], {
      description: 'Versioning status (null: never enabled)',
    }),
    lifecycleRules: Type.Integer({ minimum: 0, description: 'Lifecycle rules (0: none)' }),
  },
  { $id: 'Bucket', additionalProperties: false },
);

export const ChecksumSchema = Type.Object(
  {
    algorithm: Type.Union(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'].map((a) => Type.Literal(a))),
    value: Type.String({ description: 'base64; multipart objects end in -<parts>' }),
  },
  { additionalProperties: false },
);

export const ObjectSummarySchema = Type.Object(
  {
    key: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    etag: Type.String({ description: 'MD5 hex, or <md5-of-md5s>-<parts> for multipart uploads (no quotes)' }),
    lastModified: Timestamp,
    contentType: Type.String(),
  },
  { $id: 'ObjectSummary', additionalProperties: false },
);

export const ObjectInfoSchema = Type.Object(
  {
    bucket: Type.String(),
    key: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    etag: Type.String(),
    lastModified: Timestamp,
    contentType: Type.String(),
    contentEncoding: Type.Optional(Type.String()),
    contentDisposition: Type.Optional(Type.String()),
    cacheControl: Type.Optional(Type.String()),
    contentLanguage: Type.Optional(Type.String()),
    expires: Type.Optional(Type.String()),
    metadata: Type.Record(Type.String(), Type.String(), {
      description: 'x-amz-meta-* (names without the prefix)',
    }),
    partsCount: Type.Union([Type.Integer(), Type.Null()]),
    checksum: Type.Union([ChecksumSchema, Type.Null()]),
    encryption: Type.Optional(
      Type.Union([Type.Literal('AES256'), Type.Literal('SSE-C'), Type.Null()], {
        description:
          'Server-side encryption: AES256 (SSE-S3), SSE-C (customer key; read it over S3), null: none',
      }),
    ),
  },
  { $id: 'ObjectInfo', additionalProperties: false },
);

export const ObjectListingSchema = Type.Object(
  {
    bucket: Type.String(),
    prefix: Type.String(),
    delimiter: Type.String(),
    items: Type.Array(Type.Ref(ObjectSummarySchema)),
    prefixes: Type.Array(Type.String(), { description: 'Common prefixes ("folders") at this level' }),
    isTruncated: Type.Boolean(),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page' }),
  },
  { $id: 'ObjectListing', additionalProperties: false },
);

export const PutObjectResultSchema = Type.Object(
  {
    bucket: Type.String(),
    key: Type.String(),
    etag: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    lastModified: Timestamp,
    encryption: Type.Optional(
      Type.Union([Type.Literal('AES256'), Type.Null()], { description: 'Server-side encryption applied' }),
    ),
  },
  { $id: 'PutObjectResult', additionalProperties: false },
);

export const UploadSchema = Type.Object(
  {
    uploadId: Type.String(),
    bucket: Type.String(),
    key: Type.String(),
    initiated: Timestamp,
  },
  { $id: 'MultipartUpload', additionalProperties: false },
);

export const PartResultSchema = Type.Object(
  {
    partNumber: Type.Integer(),
    etag: Type.String(),
    size: Type.Integer(),
  },
  { $id: 'UploadedPart', additionalProperties: false },
);

export const DeleteObjectsResultSchema = Type.Object(
  {
    deleted: Type.Array(
      Type.Object({ key: Type.String(), existed: Type.Boolean() }, { additionalProperties: false }),
    ),
    errors: Type.Array(
      Type.Object(
        { key: Type.String(), code: Type.String(), message: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'DeleteObjectsResult', additionalProperties: false },
);

export const PresignResultSchema = Type.Object(
  {
    url: Type.String({ description: 'Presigned S3 URL (under /s3 on the origin you called)' }),
    method: Type.Union([Type.Literal('GET'), Type.Literal('PUT')]),
    expiresAt: Timestamp,
  },
  { $id: 'PresignResult', additionalProperties: false },
);

export const storageSharedSchemas = [
  TagSchema,
  BucketSchema,
  ObjectSummarySchema,
  ObjectInfoSchema,
  ObjectListingSchema,
  PutObjectResultSchema,
  UploadSchema,
  PartResultSchema,
  DeleteObjectsResultSchema,
  PresignResultSchema,
];

// ---- requests ----

export const BucketParams = Type.Object({ bucket: Type.String({ minLength: 1, maxLength: 255 }) });
export const ObjectParams = Type.Object({
  bucket: Type.String({ minLength: 1, maxLength: 255 }),
  '*': Type.String({ description: 'Object key (may contain slashes; URL-encode each segment)' }),
});
export const UploadParams = Type.Object({
  bucket: Type.String({ minLength: 1, maxLength: 255 }),
  uploadId: Type.String({ minLength: 1, maxLength: 128 }),
});
export const PartParams = Type.Object({
  bucket: Type.String({ minLength: 1, maxLength: 255 }),
  uploadId: Type.String({ minLength: 1, maxLength: 128 }),
  partNumber: Type.Integer({ minimum: 1, maximum: 10000 }),
});

export const BucketListQuery = Type.Object({ ...PageQuery });

export const CreateBucketBody = Type.Object(
  {
    name: BucketName,
    objectLockEnabled: Type.Optional(
      Type.Boolean({
        description: 'Create with object lock (versioning Enabled for good); see /object-lock',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ListObjectsQuery = Type.Object({
  prefix: Type.Optional(Type.String({ maxLength: 1024 })),
  delimiter: Type.Optional(Type.String({ maxLength: 16, description: 'Usually "/" for folder navigation' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default 100' })),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
});

export const GetObjectQuery = Type.Object({
  download: Type.Optional(Type.Boolean({ description: 'Answer with Content-Disposition: attachment' })),
  versionId: Type.Optional(
    Type.String({ maxLength: 64, description: 'A specific version ("null": the null version)' }),
  ),
});

export const DeleteObjectsBody = Type.Object(
  { keys: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

export const PresignBody = Type.Object(
  {
    key: Type.String({ minLength: 1 }),
    method: Type.Optional(
      Type.Union([Type.Literal('GET'), Type.Literal('PUT')], { description: 'GET (default) or PUT' }),
    ),
    expiresIn: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 604800, description: 'Seconds (default 3600, at most 7 days)' }),
    ),
    responseContentDisposition: Type.Optional(
      Type.String({ maxLength: 512, description: 'GET only: Content-Disposition of the answer' }),
    ),
  },
  { additionalProperties: false },
);

export const CreateUploadBody = Type.Object(
  {
    key: Type.String({ minLength: 1 }),
    contentType: Type.Optional(Type.String({ maxLength: 256 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
    encryption: Type.Optional(
      Type.Literal('AES256', { description: 'Encrypt at rest (SSE-S3) even without a bucket default' }),
    ),
  },
  { additionalProperties: false },
);

export const CompleteUploadBody = Type.Object(
  {
    parts: Type.Array(
      Type.Object(
        { partNumber: Type.Integer({ minimum: 1, maximum: 10000 }), etag: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);

export const RawBody = Type.String({
  contentMediaType: 'application/octet-stream',
  description: 'The raw bytes (streamed; not JSON)',
});
