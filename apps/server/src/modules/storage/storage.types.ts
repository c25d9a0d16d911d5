import type { Readable } from 'node:stream';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { ChecksumAlgorithm } from './storage.checksums.ts';
import type { BodyDigest, StorageEngine } from './storage.engine.ts';
import type { StorageRepository } from './storage.repository.ts';
import type { CustomerKey, ObjectEncryption, SseKeys, SseRequest } from './storage.sse.ts';

/** Which face of the service is calling: S3 answers AccessDenied for foreign buckets, the API hides them. */
export type Surface = 's3' | 'api';

export interface StorageContext extends AuthenticatedContext {
  surface: Surface;
  /** x-amz-bypass-governance-retention: true (object lock; honoured only with objects:bypass_governance). */
  bypassGovernance?: boolean;
  /** Buckets (by id) a bucket policy or ACL opened to this S3 request (storage.s3.policy.ts). */
  s3Grants?: Set<string>;
}

/** Attach the surface to the request's own context object (so `audited` flags reach the audit hook). */
export function storageContext(ctx: AuthenticatedContext, surface: Surface): StorageContext {
  const c = ctx as StorageContext;
  c.surface = surface;
  return c;
}

export interface StoredHeaders {
  contentEncoding?: string;
  contentDisposition?: string;
  cacheControl?: string;
  contentLanguage?: string;
  expires?: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface BucketInfo {
  name: string;
  ownerId: string;
  ownerUsername: string | null;
  region: string;
  createdAt: string;
  storage: 'dir' | 'zfs';
  objectCount: number;
  sizeBytes: number;
  tags: Tag[];
  cors: boolean;
  versioning: 'Enabled' | 'Suspended' | null;
  /** Number of lifecycle rules (0: no lifecycle configuration). */
  lifecycleRules: number;
}

export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  lastModified: string;
  contentType: string;
  headers: StoredHeaders;
  metadata: Record<string, string>;
  partsCount: number | null;
  checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  ownerId: string;
  /** null: the null version (unversioned bucket, or written while versioning was suspended). */
  versionId: string | null;
  tags: Tag[];
  /** Server-side encryption (HEAD/GET/details; listings leave it out). */
  encryption?: ObjectEncryption | null;
}

export interface Conditions {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
  ifUnmodifiedSince?: string | null;
}

/** An upload body as the transport hands it over, with what it claims about itself. */
export interface BodyInput {
  stream: Readable;
  /** Declared (decoded) length; null when unknown (chunked transfer). */
  length: number | null;
  /** Content-MD5 header (base64). */
  contentMd5?: string | null;
  /** x-amz-checksum-* : the value may arrive in a trailer, hence a function read after the body. */
  checksum?: { algorithm: ChecksumAlgorithm; expected: () => string | null } | null;
  /** Hex SHA-256 the payload must have (signed payloads). */
  sha256Hex?: string | null;
  /** Further transport checks once the body is read (e.g. chunk framing). */
  verify?: (digest: BodyDigest) => void;
  /** Server-side encryption the request asks for (S3 headers); else the bucket's default applies. */
  sse?: SseRequest | null;
}

export interface ObjectAttributes {
  contentType?: string | null;
  headers?: StoredHeaders;
  metadata?: Record<string, string>;
}

export interface PutResult {
  /** Set when the bucket has versioning configured (null: the null version). */
  versionId?: string | null;
  versioned?: boolean;
  etag: string;
  size: number;
  lastModified: string;
  checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  encryption: ObjectEncryption | null;
}

export interface ListObjectsInput {
  prefix?: string;
  delimiter?: string;
  /** Exclusive start: marker, start-after or a decoded continuation token. */
  after?: string | null;
  maxKeys: number;
}

export interface ListObjectsResult {
  objects: ObjectInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix returned (the next page starts after it). */
  last: string | null;
}

export interface UploadInfo {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  ownerId: string;
  checksumAlgorithm: ChecksumAlgorithm | null;
  contentType: string;
  encryption?: ObjectEncryption | null;
}

export interface PartInfo {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksum: string | null;
}

export interface CompletePart {
  partNumber: number;
  etag: string;
  checksum?: string | null;
}

export interface StorageServiceDeps {
  db: Database;
  repo: StorageRepository;
  engine: StorageEngine;
  audit: AuditService;
  clock: Clock;
  logger: Logger;
  region: string;
  uploadExpiryDays: number;
  /** Master key: derives the per-user presign credentials (see storage.s3.credentials.ts). */
  masterKey: Buffer;
  /** Server-side encryption keys (storage.sse.ts). */
  sse: SseKeys;
}

export type { CustomerKey, ObjectEncryption, SseRequest };

export interface CleanupReport {
  tempFiles: number;
  orphanBlobs: number;
  orphanStores: number;
  expiredUploads: number;
}
