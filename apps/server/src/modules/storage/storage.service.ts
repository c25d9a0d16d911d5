import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import { type Action, can, type Resource } from '../iam/index.ts';
import {
  type ChecksumAlgorithm,
  compositeChecksum,
  headerFor,
  isChecksumValue,
} from './storage.checksums.ts';
import { type CorsRule, validateCorsRules } from './storage.cors.ts';
import type { BodyDigest, ByteRange, StorageEngine } from './storage.engine.ts';
import { noSuchBucket, noSuchKey, noSuchUpload, StorageError } from './storage.errors.ts';
import { KeyedLock } from './storage.locks.ts';
import {
  assertBucketName,
  assertKey,
  assertMetadata,
  MAX_OBJECT_BYTES,
  MAX_PART_BYTES,
  MAX_PARTS,
  MAX_PUT_BYTES,
  MIN_PART_BYTES,
} from './storage.names.ts';
import type { BucketRow, ObjectRow, PartRow, StorageRepository, UploadRow } from './storage.repository.ts';
import { presignAccessKeyId, presignSecret } from './storage.s3.credentials.ts';
import { presignUrl, uriEncode } from './storage.s3.sigv4.ts';

/** Which face of the service is calling: S3 answers AccessDenied for foreign buckets, the API hides them. */
export type Surface = 's3' | 'api';

export interface StorageContext extends AuthenticatedContext {
  surface: Surface;
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
}

export interface ObjectAttributes {
  contentType?: string | null;
  headers?: StoredHeaders;
  metadata?: Record<string, string>;
}

export interface PutResult {
  etag: string;
  size: number;
  lastModified: string;
  checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
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
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Bigger than any UTF-8 code point sequence: `prefix + MAX_CHAR` sorts after every key starting with prefix. */
const MAX_CHAR = '\u{10FFFF}';

export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function parseJson<T>(value: string | null, fallback: T): T {
  if (value === null) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

function unquote(etag: string): string {
  const t = etag.trim();
  const weak = t.startsWith('W/') ? t.slice(2) : t;
  return weak.startsWith('"') && weak.endsWith('"') && weak.length >= 2 ? weak.slice(1, -1) : weak;
}

/** Does an If-Match / If-None-Match list match this ETag? */
export function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((s) => s.trim())
    .some((s) => s === '*' || unquote(s) === etag);
}

/** HTTP date to whole seconds (ms), or null when unparseable (then the condition is ignored). */
function httpDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.floor(t / 1000) * 1000;
}

function seconds(isoTime: string): number {
  return Math.floor(Date.parse(isoTime) / 1000) * 1000;
}

/**
 * S3's precedence: If-Match beats If-Unmodified-Since (412), If-None-Match beats
 * If-Modified-Since (304 for reads). For copies every failure is 412.
 */
export function evaluateConditions(
  cond: Conditions,
  etag: string,
  lastModified: string,
  forCopy = false,
): void {
  const lm = seconds(lastModified);
  if (cond.ifMatch) {
    if (!etagMatches(cond.ifMatch, etag)) throw precondition('If-Match');
  } else {
    const ius = httpDate(cond.ifUnmodifiedSince);
    if (ius !== null && lm > ius) throw precondition('If-Unmodified-Since');
  }
  if (cond.ifNoneMatch) {
    if (etagMatches(cond.ifNoneMatch, etag)) throw forCopy ? precondition('If-None-Match') : notModified();
  } else {
    const ims = httpDate(cond.ifModifiedSince);
    if (ims !== null && lm <= ims) throw forCopy ? precondition('If-Modified-Since') : notModified();
  }
}

function precondition(condition: string): StorageError {
  return new StorageError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: condition,
    },
  );
}

function notModified(): StorageError {
  return new StorageError('NotModified', 'Not Modified');
}

/**
 * `bytes=a-b`, `bytes=a-`, `bytes=-n`. Syntactically invalid or multi-range headers are ignored
 * (whole object, as S3 does); a range that starts past the end is InvalidRange (416).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (start >= size || size === 0) throw invalidRange(size);
  return { start, end };
}

function invalidRange(size: number): StorageError {
  return new StorageError('InvalidRange', 'The requested range is not satisfiable', {
    ActualObjectSize: String(size),
  });
}

function checksumName(algorithm: ChecksumAlgorithm): string {
  return algorithm === 'CRC64NVME' ? 'CRC64NVME' : algorithm;
}

export class StorageService {
  private readonly locks = new KeyedLock();

  constructor(private readonly deps: StorageServiceDeps) {}

  get engine(): StorageEngine {
    return this.deps.engine;
  }

  // ---------------------------------------------------------------- authorization

  private authorize<R extends Resource>(ctx: StorageContext, resource: R, action: Action<R>): void {
    if (!can(ctx.actor, resource, action)) {
      throw new StorageError(
        'AccessDenied',
        `Access Denied: your role (${ctx.actor.role}) does not allow ${resource}:${action}`,
      );
    }
  }

  /**
   * The bucket, if the caller may use it. A bucket owned by someone else is AccessDenied on S3
   * (bucket names are global, S3 answers 403) and does not exist on the REST API.
   */
  private async bucketFor(ctx: StorageContext, name: string, repo = this.deps.repo): Promise<BucketRow> {
    const bucket = await repo.findBucketByName(name);
    if (!bucket) throw noSuchBucket(name);
    if (bucket.owner_id !== ctx.actor.id && !isAdmin(ctx.actor)) {
      if (ctx.surface === 'api') throw noSuchBucket(name);
      throw new StorageError('AccessDenied', 'Access Denied', { BucketName: name });
    }
    return bucket;
  }

  private async record(
    ctx: StorageContext,
    trx: Kysely<Tables> | undefined,
    action: string,
    resourceType: 'bucket' | 'object' | 'multipart_upload',
    resourceId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.record(
      ctx,
      { action, resourceType, resourceId, details: { via: ctx.surface, ...details } },
      trx,
    );
    ctx.resourceId = resourceId;
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  // ---------------------------------------------------------------- buckets

  /**
   * Buckets the caller may see (admins: all). `withStats` adds object count and size (an
   * aggregate over the objects; the S3 ListBuckets answer does not need it).
   */
  async listBuckets(
    ctx: StorageContext,
    page: Page | null,
    withStats = true,
  ): Promise<ListResult<BucketInfo>> {
    this.authorize(ctx, 'buckets', 'read');
    const { rows, total } = await this.deps.repo.listBuckets(ctx.actor, page);
    const stats = withStats ? await this.deps.repo.bucketStats(rows.map((r) => r.id)) : new Map();
    const names = await this.deps.repo.usernames(rows.map((r) => r.owner_id));
    return {
      items: rows.map((r) => this.toBucketInfo(r, stats.get(r.id), names.get(r.owner_id) ?? null)),
      total,
      limit: page?.limit ?? rows.length,
      offset: page?.offset ?? 0,
    };
  }

  private toBucketInfo(
    r: BucketRow,
    stats: { objectCount: number; sizeBytes: number } | undefined,
    ownerUsername: string | null,
  ): BucketInfo {
    return {
      name: r.name,
      ownerId: r.owner_id,
      ownerUsername,
      region: r.region,
      createdAt: r.created_at,
      storage: r.storage,
      objectCount: stats?.objectCount ?? 0,
      sizeBytes: stats?.sizeBytes ?? 0,
      tags: parseJson<Tag[]>(r.tags, []),
      cors: r.cors !== null,
    };
  }

  async getBucket(ctx: StorageContext, name: string): Promise<BucketInfo> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    const stats = await this.deps.repo.bucketStats([bucket.id]);
    const names = await this.deps.repo.usernames([bucket.owner_id]);
    return this.toBucketInfo(bucket, stats.get(bucket.id), names.get(bucket.owner_id) ?? null);
  }

  /** HeadBucket / GetBucketLocation: the bucket's region if the caller may use it. */
  async headBucket(ctx: StorageContext, name: string): Promise<{ region: string }> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    return { region: bucket.region };
  }

  async createBucket(ctx: StorageContext, name: string): Promise<BucketInfo> {
    this.authorize(ctx, 'buckets', 'create');
    assertBucketName(name);
    const existing = await this.deps.repo.findBucketByName(name);
    if (existing) throw this.bucketExists(ctx, existing);
    const id = newId('bkt');
    const store = await this.deps.engine.createStore(id, name, async (otherId) => {
      return !(await this.deps.repo.findBucketById(otherId));
    });
    const row: BucketRow = {
      id,
      name,
      owner_id: ctx.actor.id,
      region: this.deps.region,
      storage: store.storage,
      dataset: store.dataset,
      tags: null,
      cors: null,
      created_at: this.now(),
    };
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const again = await repo.findBucketByName(name);
        if (again) throw this.bucketExists(ctx, again);
        await repo.insertBucket(row);
        await this.record(ctx, trx, 'buckets.create', 'bucket', name, {
          bucket: name,
          storage: store.storage,
          ...(store.dataset ? { dataset: store.dataset } : {}),
        });
      });
    } catch (err) {
      await this.deps.engine
        .destroyStore({ id, name, storage: store.storage, dataset: store.dataset })
        .catch((e: unknown) => this.deps.logger.warn({ err: e, bucket: name }, 'could not remove store'));
      if (err instanceof StorageError) throw err;
      const raced = await this.deps.repo.findBucketByName(name);
      if (raced) throw this.bucketExists(ctx, raced);
      throw err;
    }
    return this.toBucketInfo(row, undefined, ctx.actor.username);
  }

  private bucketExists(ctx: StorageContext, bucket: BucketRow): StorageError {
    if (bucket.owner_id === ctx.actor.id)
      return new StorageError(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: bucket.name },
      );
    return new StorageError(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      { BucketName: bucket.name },
    );
  }

  /** Delete an empty bucket (abandoned multipart uploads go with it). */
  async deleteBucket(ctx: StorageContext, name: string): Promise<void> {
    this.authorize(ctx, 'buckets', 'delete');
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.bucketHasObjects(bucket.id))
        throw new StorageError('BucketNotEmpty', 'The bucket you tried to delete is not empty', {
          BucketName: name,
        });
      const uploads = await repo.listUploads(bucket.id, {}, 100_000);
      for (const u of uploads) await repo.deleteUpload(u.id);
      if ((await repo.deleteBucket(bucket.id)) === 0) throw noSuchBucket(name);
      await this.record(ctx, trx, 'buckets.delete', 'bucket', name, {
        bucket: name,
        ...(uploads.length > 0 ? { abortedUploads: uploads.length } : {}),
      });
    });
    await this.deps.engine
      .destroyStore(bucket)
      .catch((err: unknown) =>
        this.deps.logger.error(
          { err, bucket: name },
          'bucket deleted but its store could not be removed; cleanup will retry',
        ),
      );
  }

  async getBucketTags(ctx: StorageContext, name: string): Promise<Tag[]> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    if (bucket.tags === null)
      throw new StorageError('NoSuchTagSet', 'The TagSet does not exist', { BucketName: name });
    return parseJson<Tag[]>(bucket.tags, []);
  }

  async putBucketTags(ctx: StorageContext, name: string, tags: Tag[] | null): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    if (tags) validateTags(tags);
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).updateBucket(bucket.id, { tags: tags ? JSON.stringify(tags) : null });
      await this.record(ctx, trx, tags ? 'buckets.put_tagging' : 'buckets.delete_tagging', 'bucket', name, {
        bucket: name,
        ...(tags ? { tags: tags.length } : {}),
      });
    });
  }

  async getBucketCors(ctx: StorageContext, name: string): Promise<CorsRule[]> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    if (bucket.cors === null)
      throw new StorageError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
        BucketName: name,
      });
    return parseJson<CorsRule[]>(bucket.cors, []);
  }

  async putBucketCors(ctx: StorageContext, name: string, rules: CorsRule[] | null): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    if (rules) validateCorsRules(rules);
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).updateBucket(bucket.id, { cors: rules ? JSON.stringify(rules) : null });
      await this.record(ctx, trx, rules ? 'buckets.put_cors' : 'buckets.delete_cors', 'bucket', name, {
        bucket: name,
        ...(rules ? { rules: rules.length } : {}),
      });
    });
  }

  /** CORS rules for answering browsers (no caller: preflight requests are anonymous). */
  async corsRulesForBucket(name: string): Promise<CorsRule[] | null> {
    const bucket = await this.deps.repo.findBucketByName(name);
    if (!bucket || bucket.cors === null) return null;
    return parseJson<CorsRule[]>(bucket.cors, []);
  }

  // ---------------------------------------------------------------- objects

  private toObjectInfo(bucket: BucketRow, r: ObjectRow): ObjectInfo {
    return {
      bucket: bucket.name,
      key: r.key,
      size: r.size,
      etag: r.etag,
      lastModified: r.last_modified,
      contentType: r.content_type,
      headers: parseJson<StoredHeaders>(r.headers, {}),
      metadata: parseJson<Record<string, string>>(r.metadata, {}),
      partsCount: r.parts_count,
      checksum:
        r.checksum_algorithm && r.checksum_value
          ? { algorithm: r.checksum_algorithm as ChecksumAlgorithm, value: r.checksum_value }
          : null,
      ownerId: r.owner_id,
    };
  }

  /** Consume a body into a new blob, verifying every digest the caller claimed. */
  private async receive(
    bucket: BucketRow,
    body: BodyInput,
    maxBytes: number,
  ): Promise<{ blob: string; size: number; md5Hex: string; checksum: string | null }> {
    const md5 = body.contentMd5 != null ? parseContentMd5(body.contentMd5) : null;
    if (body.length !== null && body.length > maxBytes)
      throw new StorageError(
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed object size.',
        {
          ProposedSize: String(body.length),
          MaxSizeAllowed: String(maxBytes),
        },
      );
    const written = await this.deps.engine.writeBlob(bucket.id, body.stream, {
      maxBytes,
      sizeHint: body.length,
      sha256: !!body.sha256Hex,
      checksum: body.checksum?.algorithm ?? null,
      verify: (d) => {
        if (body.length !== null && d.size !== body.length)
          throw new StorageError(
            'IncompleteBody',
            'You did not provide the number of bytes specified by the Content-Length HTTP header.',
          );
        body.verify?.(d);
        if (md5 && !md5.equals(d.md5))
          throw new StorageError(
            'BadDigest',
            'The Content-MD5 you specified did not match what we received.',
            {
              ExpectedDigest: md5.toString('base64'),
              CalculatedDigest: d.md5.toString('base64'),
            },
          );
        if (body.sha256Hex && d.sha256 && d.sha256.toString('hex') !== body.sha256Hex.toLowerCase())
          throw new StorageError(
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            {
              ClientComputedContentSHA256: body.sha256Hex,
              S3ComputedContentSHA256: d.sha256.toString('hex'),
            },
          );
        if (body.checksum && d.checksum) {
          const expected = body.checksum.expected();
          const alg = body.checksum.algorithm;
          if (expected === null)
            throw new StorageError(
              'InvalidRequest',
              `The ${headerFor(alg)} value is missing (header or trailer).`,
            );
          if (!isChecksumValue(alg, expected))
            throw new StorageError('InvalidRequest', `Value for ${headerFor(alg)} header is invalid.`);
          if (expected !== d.checksum.toString('base64'))
            throw new StorageError(
              'BadDigest',
              `The ${checksumName(alg)} you specified did not match the calculated checksum.`,
            );
        }
      },
    });
    return {
      blob: written.blob,
      size: written.size,
      md5Hex: written.md5Hex,
      checksum: written.checksum ? written.checksum.toString('base64') : null,
    };
  }

  async putObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    body: BodyInput,
    attrs: ObjectAttributes,
    cond: { ifMatch?: string | null; ifNoneMatch?: string | null } = {},
  ): Promise<PutResult> {
    this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    if (attrs.metadata) assertMetadata(attrs.metadata);
    const bucket = await this.bucketFor(ctx, bucketName);
    if (cond.ifMatch || cond.ifNoneMatch) await this.checkWriteConditions(bucket, key, cond);
    const received = await this.receive(bucket, body, MAX_PUT_BYTES);
    const checksum = body.checksum ? { algorithm: body.checksum.algorithm, value: received.checksum! } : null;
    const lastModified = await this.commitObject(ctx, bucket, key, {
      content: { blob: received.blob },
      size: received.size,
      etag: received.md5Hex,
      partsCount: null,
      attrs,
      checksum,
      cond,
      action: 'objects.put',
      details: {},
    });
    return { etag: received.md5Hex, size: received.size, lastModified, checksum };
  }

  private async checkWriteConditions(
    bucket: BucketRow,
    key: string,
    cond: { ifMatch?: string | null; ifNoneMatch?: string | null },
    repo = this.deps.repo,
  ): Promise<void> {
    const existing = await repo.findObject(bucket.id, key);
    if (cond.ifNoneMatch && existing && etagMatches(cond.ifNoneMatch, existing.etag))
      throw precondition('If-None-Match');
    if (cond.ifMatch && (!existing || !etagMatches(cond.ifMatch, existing.etag))) {
      if (!existing) throw noSuchKey(key);
      throw precondition('If-Match');
    }
  }

  /** The blobs holding an object's bytes, in order. */
  private async segmentsOf(row: ObjectRow, repo = this.deps.repo): Promise<{ blob: string; size: number }[]> {
    return row.blob ? [{ blob: row.blob, size: row.size }] : repo.segments(row.id);
  }

  /**
   * The commit point: one transaction writes the object row (and its segments) and its audit
   * entry, serialised per key. The blobs it replaces are deleted only after the commit; on
   * failure the new blobs go (unless `keepOnFailure`: multipart parts stay with their upload).
   */
  private async commitObject(
    ctx: StorageContext,
    bucket: BucketRow,
    key: string,
    input: {
      /** One blob, or a multipart object's part blobs in order. */
      content: { blob: string } | { segments: { blob: string; size: number }[] };
      size: number;
      etag: string;
      partsCount: number | null;
      attrs: ObjectAttributes;
      checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
      cond?: { ifMatch?: string | null; ifNoneMatch?: string | null };
      action: string;
      details: Record<string, unknown>;
      /** Runs inside the transaction (multipart: drop the upload's rows). */
      within?: (repo: StorageRepository) => Promise<void>;
      keepOnFailure?: boolean;
    },
  ): Promise<string> {
    const lastModified = this.now();
    const newBlobs =
      'blob' in input.content ? [input.content.blob] : input.content.segments.map((s) => s.blob);
    let replaced: string[] = [];
    try {
      await this.locks.run(`${bucket.id}\n${key}`, () =>
        this.deps.db.kysely.transaction().execute(async (trx) => {
          const repo = this.deps.repo.with(trx);
          if (!(await repo.findBucketById(bucket.id))) throw noSuchBucket(bucket.name);
          if (input.cond?.ifMatch || input.cond?.ifNoneMatch)
            await this.checkWriteConditions(bucket, key, input.cond, repo);
          await input.within?.(repo);
          const existing = await repo.findObject(bucket.id, key);
          const values = {
            owner_id: bucket.owner_id,
            size: input.size,
            etag: input.etag,
            blob: 'blob' in input.content ? input.content.blob : '',
            parts_count: input.partsCount,
            content_type: input.attrs.contentType || DEFAULT_CONTENT_TYPE,
            headers:
              input.attrs.headers && Object.keys(input.attrs.headers).length > 0
                ? JSON.stringify(input.attrs.headers)
                : null,
            metadata:
              input.attrs.metadata && Object.keys(input.attrs.metadata).length > 0
                ? JSON.stringify(input.attrs.metadata)
                : null,
            checksum_algorithm: input.checksum?.algorithm ?? null,
            checksum_value: input.checksum?.value ?? null,
            last_modified: lastModified,
          };
          let id: string;
          if (existing) {
            replaced = (await this.segmentsOf(existing, repo)).map((s) => s.blob);
            id = existing.id;
            await repo.replaceObject(id, values);
          } else {
            id = newId('obj');
            await repo.insertObject({ id, bucket_id: bucket.id, key, ...values });
          }
          await repo.setSegments(id, bucket.id, 'segments' in input.content ? input.content.segments : []);
          await this.record(ctx, trx, input.action, 'object', `${bucket.name}/${key}`, {
            bucket: bucket.name,
            key,
            size: input.size,
            etag: input.etag,
            ...(existing ? { overwrote: true } : {}),
            ...input.details,
          });
        }),
      );
    } catch (err) {
      if (!input.keepOnFailure)
        for (const b of newBlobs) await this.deps.engine.removeBlobQuietly(bucket.id, b);
      throw err;
    }
    const keep = new Set(newBlobs);
    for (const b of replaced) if (!keep.has(b)) await this.deps.engine.removeBlobQuietly(bucket.id, b);
    return lastModified;
  }

  /** Metadata of an object the caller may read (HeadObject). */
  async headObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    cond: Conditions = {},
  ): Promise<ObjectInfo> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const row = await this.deps.repo.findObject(bucket.id, key);
    if (!row) throw noSuchKey(key);
    evaluateConditions(cond, row.etag, row.last_modified);
    return this.toObjectInfo(bucket, row);
  }

  /**
   * An object row whose blobs are leased for reading: the row is read again after taking the
   * lease, so a concurrent overwrite either happened before (we see the new row) or will find
   * the lease and defer deleting the old blobs until we are done.
   */
  private async leasedObject(
    bucket: BucketRow,
    key: string,
  ): Promise<{ row: ObjectRow; segments: { blob: string; size: number }[]; release: () => void }> {
    for (let attempt = 0; ; attempt++) {
      const row = await this.deps.repo.findObject(bucket.id, key);
      if (!row) throw noSuchKey(key);
      const segments = await this.segmentsOf(row);
      const release = this.deps.engine.lease(
        bucket.id,
        segments.map((s) => s.blob),
      );
      const again = await this.deps.repo.findObject(bucket.id, key);
      if (
        again &&
        again.blob === row.blob &&
        again.etag === row.etag &&
        again.last_modified === row.last_modified
      )
        return { row, segments, release };
      release();
      if (attempt >= 5)
        throw new StorageError('ServiceUnavailable', 'The object is being rewritten; try again.');
    }
  }

  /** Object metadata + its content stream (the blobs stay readable even if it is overwritten meanwhile). */
  async getObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    opts: { range?: string | null; conditions?: Conditions } = {},
  ): Promise<{ info: ObjectInfo; range: ByteRange | null; stream: Readable }> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const { row, segments, release } = await this.leasedObject(bucket, key);
    try {
      evaluateConditions(opts.conditions ?? {}, row.etag, row.last_modified);
      const range = parseRange(opts.range, row.size);
      const stream = this.deps.engine.openSegments(bucket.id, segments, range, release);
      return { info: this.toObjectInfo(bucket, row), range, stream };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** DeleteObject: idempotent (a missing key is fine), audited either way. */
  async deleteObject(ctx: StorageContext, bucketName: string, key: string): Promise<{ deleted: boolean }> {
    this.authorize(ctx, 'objects', 'delete');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const removed = await this.removeObject(ctx, bucket, key, 'objects.delete');
    return { deleted: removed };
  }

  private async removeObject(
    ctx: StorageContext,
    bucket: BucketRow,
    key: string,
    action: string,
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    let blobs: string[] | null = null;
    await this.locks.run(`${bucket.id}\n${key}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const row = await repo.findObject(bucket.id, key);
        if (row) {
          blobs = (await this.segmentsOf(row, repo)).map((s) => s.blob);
          await repo.deleteObjectById(row.id);
        }
        await this.record(ctx, trx, action, 'object', `${bucket.name}/${key}`, {
          bucket: bucket.name,
          key,
          ...(row ? { size: row.size, etag: row.etag } : { existed: false }),
          ...extra,
        });
      }),
    );
    for (const b of blobs ?? []) await this.deps.engine.removeBlobQuietly(bucket.id, b);
    return blobs !== null;
  }

  /** DeleteObjects: per-key results; keys that do not exist count as deleted (as on S3). */
  async deleteObjects(
    ctx: StorageContext,
    bucketName: string,
    keys: readonly string[],
  ): Promise<{
    deleted: { key: string; existed: boolean }[];
    errors: { key: string; code: string; message: string }[];
  }> {
    this.authorize(ctx, 'objects', 'delete');
    const bucket = await this.bucketFor(ctx, bucketName);
    const deleted: { key: string; existed: boolean }[] = [];
    const errors: { key: string; code: string; message: string }[] = [];
    for (const key of keys) {
      try {
        assertKey(key);
        const existed = await this.removeObject(ctx, bucket, key, 'objects.delete', { batch: true });
        deleted.push({ key, existed });
      } catch (err) {
        if (err instanceof StorageError) errors.push({ key, code: err.s3Code, message: err.message });
        else {
          this.deps.logger.error({ err, bucket: bucketName }, 'batch delete failed for one key');
          errors.push({
            key,
            code: 'InternalError',
            message: 'We encountered an internal error. Please try again.',
          });
        }
      }
    }
    return { deleted, errors };
  }

  /**
   * CopyObject. Blobs are immutable, so a copy is a set of hard links (same ETag, same parts)
   * when source and destination share a filesystem; otherwise, or when a new checksum is asked
   * for, the bytes are streamed into a new blob (plain MD5 ETag).
   */
  async copyObject(
    ctx: StorageContext,
    src: { bucket: string; key: string },
    dst: { bucket: string; key: string },
    opts: {
      directive: 'COPY' | 'REPLACE';
      attrs: ObjectAttributes;
      conditions: Conditions;
      checksumAlgorithm?: ChecksumAlgorithm | null;
    },
  ): Promise<{
    etag: string;
    lastModified: string;
    checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  }> {
    this.authorize(ctx, 'objects', 'read');
    this.authorize(ctx, 'objects', 'write');
    assertKey(src.key);
    assertKey(dst.key);
    if (opts.directive === 'REPLACE' && opts.attrs.metadata) assertMetadata(opts.attrs.metadata);
    const srcBucket = await this.bucketFor(ctx, src.bucket);
    const dstBucket = await this.bucketFor(ctx, dst.bucket);
    const { row, segments, release } = await this.leasedObject(srcBucket, src.key);
    try {
      evaluateConditions(opts.conditions, row.etag, row.last_modified, true);
      if (
        srcBucket.id === dstBucket.id &&
        src.key === dst.key &&
        opts.directive === 'COPY' &&
        !opts.checksumAlgorithm
      )
        throw new StorageError(
          'InvalidRequest',
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      const source = this.toObjectInfo(srcBucket, row);
      const attrs: ObjectAttributes =
        opts.directive === 'COPY'
          ? { contentType: source.contentType, headers: source.headers, metadata: source.metadata }
          : opts.attrs;
      const details = { source: `${src.bucket}/${src.key}`, directive: opts.directive };

      if (!opts.checksumAlgorithm) {
        const linked: string[] = [];
        for (const seg of segments) {
          const b = await this.deps.engine.linkBlob({ bucketId: srcBucket.id, blob: seg.blob }, dstBucket.id);
          if (b === null) break;
          linked.push(b);
        }
        if (linked.length === segments.length) {
          const lastModified = await this.commitObject(ctx, dstBucket, dst.key, {
            content: row.blob
              ? { blob: linked[0]! }
              : { segments: segments.map((s, i) => ({ blob: linked[i]!, size: s.size })) },
            size: row.size,
            etag: row.etag,
            partsCount: row.parts_count,
            attrs,
            checksum: source.checksum,
            action: 'objects.copy',
            details,
          });
          return { etag: row.etag, lastModified, checksum: source.checksum };
        }
        for (const b of linked) await this.deps.engine.removeBlobQuietly(dstBucket.id, b);
      }
      const written = await this.deps.engine.writeBlob(
        dstBucket.id,
        this.deps.engine.openSegments(srcBucket.id, segments, null, () => undefined),
        { maxBytes: MAX_OBJECT_BYTES, checksum: opts.checksumAlgorithm ?? null, sizeHint: row.size },
      );
      const checksum =
        opts.checksumAlgorithm && written.checksum
          ? { algorithm: opts.checksumAlgorithm, value: written.checksum.toString('base64') }
          : source.checksum && !source.checksum.value.includes('-')
            ? source.checksum
            : null;
      const lastModified = await this.commitObject(ctx, dstBucket, dst.key, {
        content: { blob: written.blob },
        size: written.size,
        etag: written.md5Hex,
        partsCount: null,
        attrs,
        checksum,
        action: 'objects.copy',
        details,
      });
      return { etag: written.md5Hex, lastModified, checksum };
    } finally {
      release();
    }
  }

  /**
   * Keys in byte order with prefix/delimiter roll-up. Each common prefix costs one query (the
   * scan then jumps past every key under it), so deep listings stay cheap.
   */
  async listObjects(
    ctx: StorageContext,
    bucketName: string,
    input: ListObjectsInput,
  ): Promise<ListObjectsResult> {
    this.authorize(ctx, 'objects', 'read');
    const bucket = await this.bucketFor(ctx, bucketName);
    const prefix = input.prefix ?? '';
    const delimiter = input.delimiter ?? '';
    const after = input.after ?? null;
    const maxKeys = Math.max(0, Math.min(input.maxKeys, 1000));
    const objects: ObjectInfo[] = [];
    const commonPrefixes: string[] = [];
    let count = 0;
    let last: string | null = null;
    let lastPrefix: string | null = null;
    let truncated = false;
    // start: strictly after `after`, but never before the prefix
    let cursorAfter: string | null = after;
    let cursorFrom: string | null = null;
    if (prefix && (after === null || byteCompare(after, prefix) < 0)) {
      cursorAfter = null;
      cursorFrom = prefix;
    }
    if (maxKeys === 0) return { objects, commonPrefixes, isTruncated: false, last: null };
    scan: for (;;) {
      const limit = Math.min(1000, maxKeys - count + 1);
      const batch = await this.deps.repo.listObjects(
        bucket.id,
        { after: cursorAfter, from: cursorFrom },
        limit,
      );
      if (batch.length === 0) break;
      let jumped = false;
      for (const row of batch) {
        if (prefix && !row.key.startsWith(prefix)) break scan;
        if (delimiter) {
          const idx = row.key.indexOf(delimiter, prefix.length);
          if (idx >= 0) {
            const cp = row.key.slice(0, idx + delimiter.length);
            if (cp === lastPrefix || (after !== null && byteCompare(cp, after) <= 0)) {
              // keys under an already returned (or skipped) prefix: jump past them
              const jump = cp + MAX_CHAR;
              cursorAfter = byteCompare(jump, row.key) > 0 ? jump : row.key;
              cursorFrom = null;
              jumped = true;
              break;
            }
            if (count >= maxKeys) {
              truncated = true;
              break scan;
            }
            commonPrefixes.push(cp);
            count++;
            last = cp;
            lastPrefix = cp;
            const jump = cp + MAX_CHAR;
            cursorAfter = byteCompare(jump, row.key) > 0 ? jump : row.key;
            cursorFrom = null;
            jumped = true;
            break;
          }
        }
        if (count >= maxKeys) {
          truncated = true;
          break scan;
        }
        objects.push(this.toObjectInfo(bucket, row));
        count++;
        last = row.key;
        cursorAfter = row.key;
        cursorFrom = null;
      }
      // a short batch without a jump means there are no more rows
      if (!jumped && batch.length < limit) break;
    }
    return { objects, commonPrefixes, isTruncated: truncated, last };
  }

  // ---------------------------------------------------------------- multipart

  private toUploadInfo(bucket: BucketRow, u: UploadRow): UploadInfo {
    return {
      uploadId: u.id,
      bucket: bucket.name,
      key: u.key,
      initiated: u.initiated_at,
      ownerId: u.owner_id,
      checksumAlgorithm: (u.checksum_algorithm as ChecksumAlgorithm | null) ?? null,
      contentType: u.content_type,
    };
  }

  async createUpload(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    attrs: ObjectAttributes,
    checksumAlgorithm: ChecksumAlgorithm | null,
  ): Promise<UploadInfo> {
    this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    if (attrs.metadata) assertMetadata(attrs.metadata);
    const bucket = await this.bucketFor(ctx, bucketName);
    const row: UploadRow = {
      id: randomBytes(24).toString('base64url'),
      bucket_id: bucket.id,
      key,
      owner_id: bucket.owner_id,
      content_type: attrs.contentType || DEFAULT_CONTENT_TYPE,
      headers: attrs.headers && Object.keys(attrs.headers).length > 0 ? JSON.stringify(attrs.headers) : null,
      metadata:
        attrs.metadata && Object.keys(attrs.metadata).length > 0 ? JSON.stringify(attrs.metadata) : null,
      checksum_algorithm: checksumAlgorithm,
      initiated_at: this.now(),
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).insertUpload(row);
      await this.record(ctx, trx, 'multipart.create', 'multipart_upload', row.id, {
        bucket: bucketName,
        key,
      });
    });
    return this.toUploadInfo(bucket, row);
  }

  /** The upload, checked against its bucket (and its key when the caller names one, as S3 does). */
  private async uploadFor(ctx: StorageContext, bucketName: string, key: string | null, uploadId: string) {
    const bucket = await this.bucketFor(ctx, bucketName);
    const upload = await this.deps.repo.findUpload(uploadId);
    if (!upload || upload.bucket_id !== bucket.id || (key !== null && upload.key !== key))
      throw noSuchUpload(uploadId);
    return { bucket, upload };
  }

  private assertPartNumber(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS)
      throw new StorageError(
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000, inclusive',
        {
          ArgumentName: 'partNumber',
          ArgumentValue: String(n),
        },
      );
  }

  async uploadPart(
    ctx: StorageContext,
    bucketName: string,
    key: string | null,
    uploadId: string,
    partNumber: number,
    body: BodyInput,
  ): Promise<{
    etag: string;
    size: number;
    checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  }> {
    this.authorize(ctx, 'objects', 'write');
    this.assertPartNumber(partNumber);
    const { bucket, upload } = await this.uploadFor(ctx, bucketName, key, uploadId);
    const algorithm = (upload.checksum_algorithm as ChecksumAlgorithm | null) ?? null;
    if (algorithm && body.checksum && body.checksum.algorithm !== algorithm)
      throw new StorageError(
        'InvalidRequest',
        `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${body.checksum.algorithm.toLowerCase()}`,
      );
    const received = await this.receive(bucket, body, MAX_PART_BYTES);
    const checksum = body.checksum ? { algorithm: body.checksum.algorithm, value: received.checksum! } : null;
    await this.commitPart(ctx, bucket, upload, partNumber, received, checksum?.value ?? null, {});
    return { etag: received.md5Hex, size: received.size, checksum };
  }

  async uploadPartCopy(
    ctx: StorageContext,
    dst: { bucket: string; key: string; uploadId: string; partNumber: number },
    src: { bucket: string; key: string },
    opts: { range?: string | null; conditions: Conditions },
  ): Promise<{ etag: string; lastModified: string }> {
    this.authorize(ctx, 'objects', 'write');
    this.authorize(ctx, 'objects', 'read');
    this.assertPartNumber(dst.partNumber);
    assertKey(src.key);
    const { bucket, upload } = await this.uploadFor(ctx, dst.bucket, dst.key, dst.uploadId);
    const srcBucket = await this.bucketFor(ctx, src.bucket);
    const { row, segments, release } = await this.leasedObject(srcBucket, src.key);
    let copied: { blob: string; size: number; md5Hex: string; checksum: Buffer | null };
    let range: ByteRange | null = null;
    try {
      evaluateConditions(opts.conditions, row.etag, row.last_modified, true);
      if (opts.range) {
        const m = /^bytes=(\d+)-(\d+)$/.exec(opts.range.trim());
        if (!m)
          throw new StorageError(
            'InvalidArgument',
            'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
            { ArgumentName: 'x-amz-copy-source-range' },
          );
        const start = Number(m[1]);
        const end = Number(m[2]);
        if (end < start || end >= row.size)
          throw new StorageError('InvalidRange', 'The requested range is not satisfiable', {
            ActualObjectSize: String(row.size),
          });
        range = { start, end };
      }
      const size = range ? range.end - range.start + 1 : row.size;
      if (size > MAX_PART_BYTES)
        throw new StorageError(
          'EntityTooLarge',
          'Your proposed upload exceeds the maximum allowed object size.',
        );
      const algorithm = (upload.checksum_algorithm as ChecksumAlgorithm | null) ?? null;
      const linked =
        !range && row.blob && !algorithm
          ? await this.deps.engine.linkBlob({ bucketId: srcBucket.id, blob: row.blob }, bucket.id)
          : null;
      if (linked) copied = { blob: linked, size: row.size, md5Hex: row.etag, checksum: null };
      else {
        const w = await this.deps.engine.writeBlob(
          bucket.id,
          this.deps.engine.openSegments(srcBucket.id, segments, range, () => undefined),
          {
            maxBytes: MAX_PART_BYTES,
            checksum: algorithm,
            sizeHint: range ? range.end - range.start + 1 : row.size,
          },
        );
        copied = { blob: w.blob, size: w.size, md5Hex: w.md5Hex, checksum: w.checksum };
      }
    } finally {
      release();
    }
    const lastModified = await this.commitPart(
      ctx,
      bucket,
      upload,
      dst.partNumber,
      { blob: copied.blob, size: copied.size, md5Hex: copied.md5Hex },
      copied.checksum ? copied.checksum.toString('base64') : null,
      { source: `${src.bucket}/${src.key}`, ...(range ? { range: `${range.start}-${range.end}` } : {}) },
    );
    return { etag: copied.md5Hex, lastModified };
  }

  private async commitPart(
    ctx: StorageContext,
    bucket: BucketRow,
    upload: UploadRow,
    partNumber: number,
    received: { blob: string; size: number; md5Hex: string },
    checksum: string | null,
    details: Record<string, unknown>,
  ): Promise<string> {
    const lastModified = this.now();
    let replaced: string | null = null;
    try {
      await this.locks.run(`upload\n${upload.id}`, () =>
        this.deps.db.kysely.transaction().execute(async (trx) => {
          const repo = this.deps.repo.with(trx);
          if (!(await repo.findUpload(upload.id))) throw noSuchUpload(upload.id);
          const row: PartRow = {
            upload_id: upload.id,
            part_number: partNumber,
            bucket_id: bucket.id,
            size: received.size,
            etag: received.md5Hex,
            blob: received.blob,
            checksum_value: checksum,
            last_modified: lastModified,
          };
          const existing = await repo.findPart(upload.id, partNumber);
          if (existing) {
            await repo.replacePart(row);
            replaced = existing.blob;
          } else await repo.insertPart(row);
          await this.record(ctx, trx, 'multipart.upload_part', 'multipart_upload', upload.id, {
            bucket: bucket.name,
            key: upload.key,
            partNumber,
            size: received.size,
            etag: received.md5Hex,
            ...details,
          });
        }),
      );
    } catch (err) {
      await this.deps.engine.removeBlobQuietly(bucket.id, received.blob);
      throw err;
    }
    if (replaced) await this.deps.engine.removeBlobQuietly(bucket.id, replaced);
    return lastModified;
  }

  async listParts(
    ctx: StorageContext,
    bucketName: string,
    key: string | null,
    uploadId: string,
    opts: { marker: number; maxParts: number },
  ): Promise<{ upload: UploadInfo; parts: PartInfo[]; isTruncated: boolean; nextMarker: number | null }> {
    this.authorize(ctx, 'objects', 'read');
    const { bucket, upload } = await this.uploadFor(ctx, bucketName, key, uploadId);
    const max = Math.max(0, Math.min(opts.maxParts, 1000));
    const rows = await this.deps.repo.listParts(upload.id, opts.marker, max + 1);
    const page = rows.slice(0, max);
    return {
      upload: this.toUploadInfo(bucket, upload),
      parts: page.map((p) => ({
        partNumber: p.part_number,
        etag: p.etag,
        size: p.size,
        lastModified: p.last_modified,
        checksum: p.checksum_value,
      })),
      isTruncated: rows.length > max,
      nextMarker: page.length > 0 ? page[page.length - 1]!.part_number : null,
    };
  }

  async listUploads(
    ctx: StorageContext,
    bucketName: string,
    opts: {
      prefix?: string;
      delimiter?: string;
      keyMarker?: string;
      uploadIdMarker?: string;
      maxUploads: number;
    },
  ): Promise<{
    uploads: UploadInfo[];
    commonPrefixes: string[];
    isTruncated: boolean;
    nextKeyMarker: string | null;
    nextUploadIdMarker: string | null;
  }> {
    this.authorize(ctx, 'objects', 'read');
    const bucket = await this.bucketFor(ctx, bucketName);
    const max = Math.max(0, Math.min(opts.maxUploads, 1000));
    const prefix = opts.prefix ?? '';
    const uploads: UploadInfo[] = [];
    const commonPrefixes: string[] = [];
    let truncated = false;
    let keyMarker = opts.keyMarker;
    let uploadIdMarker = opts.uploadIdMarker;
    let from: string | undefined;
    let lastPrefix: string | null = null;
    let nextKeyMarker: string | null = null;
    let nextUploadIdMarker: string | null = null;
    scan: for (;;) {
      const rows = await this.deps.repo.listUploads(
        bucket.id,
        { prefix: prefix || undefined, keyMarker, uploadIdMarker, from },
        Math.min(1000, max + 1),
      );
      if (rows.length === 0) break;
      let jumped = false;
      for (const u of rows) {
        if (prefix && !u.key.startsWith(prefix)) {
          if (byteCompare(u.key, prefix) > 0) break scan;
          continue;
        }
        if (opts.delimiter) {
          const idx = u.key.indexOf(opts.delimiter, prefix.length);
          if (idx >= 0) {
            const cp = u.key.slice(0, idx + opts.delimiter.length);
            if (cp !== lastPrefix) {
              if (uploads.length + commonPrefixes.length >= max) {
                truncated = true;
                break scan;
              }
              commonPrefixes.push(cp);
              lastPrefix = cp;
              nextKeyMarker = cp;
              nextUploadIdMarker = null;
            }
            from = cp + MAX_CHAR;
            keyMarker = undefined;
            uploadIdMarker = undefined;
            jumped = true;
            break;
          }
        }
        if (uploads.length + commonPrefixes.length >= max) {
          truncated = true;
          break scan;
        }
        uploads.push(this.toUploadInfo(bucket, u));
        nextKeyMarker = u.key;
        nextUploadIdMarker = u.id;
        keyMarker = u.key;
        uploadIdMarker = u.id;
        from = undefined;
      }
      if (!jumped && rows.length < Math.min(1000, max + 1)) break;
    }
    return { uploads, commonPrefixes, isTruncated: truncated, nextKeyMarker, nextUploadIdMarker };
  }

  async abortUpload(
    ctx: StorageContext,
    bucketName: string,
    key: string | null,
    uploadId: string,
  ): Promise<void> {
    this.authorize(ctx, 'objects', 'delete');
    const { bucket, upload } = await this.uploadFor(ctx, bucketName, key, uploadId);
    await this.dropUpload(ctx, bucket, upload, 'multipart.abort');
  }

  private async dropUpload(
    ctx: StorageContext,
    bucket: BucketRow,
    upload: UploadRow,
    action: string,
  ): Promise<void> {
    let parts: PartRow[] = [];
    await this.locks.run(`upload\n${upload.id}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (!(await repo.findUpload(upload.id))) throw noSuchUpload(upload.id);
        parts = await repo.listParts(upload.id);
        await repo.deleteUpload(upload.id);
        await this.record(ctx, trx, action, 'multipart_upload', upload.id, {
          bucket: bucket.name,
          key: upload.key,
          parts: parts.length,
        });
      }),
    );
    for (const p of parts) await this.deps.engine.removeBlobQuietly(bucket.id, p.blob);
  }

  /**
   * CompleteMultipartUpload: validate the part list, then in one transaction make the listed
   * part blobs the object's segments (no copy: completing is O(parts), not O(bytes)) and drop
   * the upload. Unlisted parts are deleted after the commit.
   */
  async completeUpload(
    ctx: StorageContext,
    bucketName: string,
    keyOrNull: string | null,
    uploadId: string,
    parts: readonly CompletePart[],
    onProgress?: () => void,
  ): Promise<{
    key: string;
    etag: string;
    size: number;
    lastModified: string;
    checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  }> {
    this.authorize(ctx, 'objects', 'write');
    const { bucket, upload } = await this.uploadFor(ctx, bucketName, keyOrNull, uploadId);
    const key = upload.key;
    if (parts.length === 0)
      throw new StorageError(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema.',
      );
    for (let i = 1; i < parts.length; i++) {
      if (parts[i]!.partNumber <= parts[i - 1]!.partNumber)
        throw new StorageError(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        );
    }
    const stored = new Map((await this.deps.repo.listParts(upload.id)).map((p) => [p.part_number, p]));
    const chosen: PartRow[] = [];
    const algorithm = (upload.checksum_algorithm as ChecksumAlgorithm | null) ?? null;
    for (const [i, p] of parts.entries()) {
      const row = stored.get(p.partNumber);
      if (!row || row.etag !== unquote(p.etag))
        throw new StorageError(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { UploadId: uploadId, PartNumber: String(p.partNumber), ETag: p.etag },
        );
      if (p.checksum && row.checksum_value && p.checksum !== row.checksum_value)
        throw new StorageError(
          'InvalidPart',
          `The checksum of part ${p.partNumber} does not match the uploaded part.`,
          {
            UploadId: uploadId,
            PartNumber: String(p.partNumber),
          },
        );
      if (i < parts.length - 1 && row.size < MIN_PART_BYTES)
        throw new StorageError(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: String(row.size),
            MinSizeAllowed: String(MIN_PART_BYTES),
            PartNumber: String(p.partNumber),
            ETag: row.etag,
          },
        );
      chosen.push(row);
    }
    const total = chosen.reduce((s, p) => s + p.size, 0);
    if (total > MAX_OBJECT_BYTES)
      throw new StorageError(
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed object size.',
      );
    const md5s = createHash('md5');
    for (const p of chosen) md5s.update(Buffer.from(p.etag, 'hex'));
    const etag = `${md5s.digest('hex')}-${chosen.length}`;
    let checksum: { algorithm: ChecksumAlgorithm; value: string } | null = null;
    if (algorithm && chosen.every((p) => p.checksum_value))
      checksum = {
        algorithm,
        value: compositeChecksum(
          algorithm,
          chosen.map((p) => p.checksum_value!),
        ),
      };

    // The parts become the object's segments: no bytes are copied. Make sure they are all there.
    for (const p of chosen) {
      const size = await this.deps.engine.blobSize(bucket.id, p.blob);
      if (size !== p.size)
        throw new StorageError(
          'InternalError',
          `Stored part ${p.part_number} is damaged or missing; upload it again.`,
        );
    }
    onProgress?.();
    const size = chosen.reduce((n, p) => n + p.size, 0);
    let unlisted: string[] = [];
    // lock order everywhere: upload → key → database (never wait for a lock inside a transaction)
    const lastModified = await this.locks.run(`upload\n${upload.id}`, () =>
      this.commitObject(ctx, bucket, key, {
        content: { segments: chosen.map((p) => ({ blob: p.blob, size: p.size })) },
        size,
        etag,
        partsCount: chosen.length,
        attrs: {
          contentType: upload.content_type,
          headers: parseJson<StoredHeaders>(upload.headers, {}),
          metadata: parseJson<Record<string, string>>(upload.metadata, {}),
        },
        checksum,
        action: 'multipart.complete',
        details: { uploadId, parts: chosen.length },
        keepOnFailure: true,
        within: async (repo) => {
          if (!(await repo.findUpload(upload.id))) throw noSuchUpload(upload.id);
          const current = await repo.listParts(upload.id);
          const byNumber = new Map(current.map((p) => [p.part_number, p.blob]));
          for (const p of chosen)
            if (byNumber.get(p.part_number) !== p.blob)
              throw new StorageError(
                'InvalidPart',
                `Part ${p.part_number} was replaced while completing; retry.`,
              );
          const used = new Set(chosen.map((p) => p.blob));
          unlisted = current.map((p) => p.blob).filter((b) => !used.has(b));
          await repo.deleteUpload(upload.id);
        },
      }),
    );
    for (const b of unlisted) await this.deps.engine.removeBlobQuietly(bucket.id, b);
    return { key, etag, size, lastModified, checksum };
  }

  // ---------------------------------------------------------------- presigned URLs

  /**
   * A presigned S3 URL for one object (share links, browser uploads), signed with the caller's
   * server-derived presign credential. `origin` is where the caller reached us; the URL points
   * at /s3 on that origin, so a browser using the console needs no CORS.
   */
  async presign(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    input: { method: 'GET' | 'PUT'; expiresIn: number; origin: string; responseContentDisposition?: string },
  ): Promise<{ url: string; method: 'GET' | 'PUT'; expiresAt: string }> {
    if (input.method === 'GET') this.authorize(ctx, 'objects', 'read');
    else this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const now = this.deps.clock.now();
    const path = `/s3/${uriEncode(bucket.name)}/${key
      .split('/')
      .map((s) => uriEncode(s))
      .join('/')}`;
    const extra: [string, string][] = [];
    if (input.method === 'GET' && input.responseContentDisposition)
      extra.push(['response-content-disposition', input.responseContentDisposition]);
    const url = presignUrl({
      method: input.method,
      origin: input.origin,
      path,
      accessKeyId: presignAccessKeyId(ctx.actor.id),
      secret: presignSecret(this.deps.masterKey, ctx.actor.id),
      region: bucket.region,
      expiresIn: input.expiresIn,
      now,
      extraQuery: extra,
    });
    const expiresAt = iso(new Date(now.getTime() + input.expiresIn * 1000));
    await this.record(ctx, undefined, 'objects.presign', 'object', `${bucket.name}/${key}`, {
      bucket: bucket.name,
      key,
      method: input.method,
      expiresIn: input.expiresIn,
    });
    return { url, method: input.method, expiresAt };
  }

  /** Who owns what, for display names in S3 listings. */
  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    return this.deps.repo.usernames(userIds);
  }

  // ---------------------------------------------------------------- housekeeping

  /**
   * The cleanup job: temp files of dead processes, blobs no metadata points at, stores of
   * deleted buckets, orphan ZFS datasets, and multipart uploads older than the expiry.
   * `graceMs`: blobs and temp files younger than this (and written by this process) are left
   * alone because an upload may be about to commit them.
   */
  async cleanup(ctx: StorageContext, graceMs = 60 * 60 * 1000): Promise<CleanupReport> {
    const report: CleanupReport = { tempFiles: 0, orphanBlobs: 0, orphanStores: 0, expiredUploads: 0 };
    const engine = this.deps.engine;
    const now = this.deps.clock.now().getTime();
    const threshold = Math.max(engine.bootTime, Date.now() - graceMs);
    // expired multipart uploads
    const cutoff = iso(new Date(now - this.deps.uploadExpiryDays * 86_400_000));
    for (;;) {
      const expired = await this.deps.repo.uploadsInitiatedBefore(cutoff, 100);
      if (expired.length === 0) break;
      for (const u of expired) {
        const bucket = await this.deps.repo.findBucketById(u.bucket_id);
        if (!bucket) continue;
        try {
          await this.dropUpload(ctx, bucket, u, 'multipart.expire');
          report.expiredUploads++;
        } catch (err) {
          if (!(err instanceof StorageError && err.s3Code === 'NoSuchUpload')) throw err;
        }
      }
      if (expired.length < 100) break;
    }
    const buckets = await this.deps.repo.allBuckets();
    const ids = new Set(buckets.map((b) => b.id));
    // stores without a bucket row
    // stores without a bucket row (the trash last: removing an orphan store goes through it)
    const dirs = await engine.listStoreDirs();
    for (const name of [...dirs.filter((d) => d !== '.trash'), ...dirs.filter((d) => d === '.trash')]) {
      if (name === '.trash' || (!ids.has(name) && /^bkt-/.test(name))) {
        await engine.removeOrphanStore(name);
        if (name !== '.trash') report.orphanStores++;
      }
    }
    for (const d of await engine.listDatasets().catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'could not list ZFS datasets for cleanup');
      return [];
    })) {
      if (d.bucketId && !ids.has(d.bucketId)) {
        await engine.destroyDataset(d.name);
        report.orphanStores++;
      }
    }
    for (const bucket of buckets) {
      report.tempFiles += await engine.cleanTemp(bucket.id, threshold);
      let batch: string[] = [];
      const flush = async () => {
        const referenced = await this.deps.repo.referencedBlobs(bucket.id, batch);
        for (const blob of batch) {
          if (referenced.has(blob)) continue;
          await engine.removeBlob(bucket.id, blob);
          report.orphanBlobs++;
        }
        batch = [];
      };
      for await (const f of engine.listBlobFiles(bucket.id)) {
        if (f.changedMs >= threshold) continue;
        batch.push(f.blob);
        if (batch.length >= 500) await flush();
      }
      if (batch.length > 0) await flush();
    }
    return report;
  }

  /** Objects whose blob file is missing (consistency check for tests and operators). */
  async verifyStore(bucketName: string): Promise<{ missingBlobs: string[]; unreferencedBlobs: string[] }> {
    const bucket = await this.deps.repo.findBucketByName(bucketName);
    if (!bucket) throw noSuchBucket(bucketName);
    const referenced = new Set(await this.deps.repo.allBlobs(bucket.id));
    const files = new Set<string>();
    for await (const f of this.deps.engine.listBlobFiles(bucket.id)) files.add(f.blob);
    return {
      missingBlobs: [...referenced].filter((b) => !files.has(b)),
      unreferencedBlobs: [...files].filter((b) => !referenced.has(b)),
    };
  }
}

export interface CleanupReport {
  tempFiles: number;
  orphanBlobs: number;
  orphanStores: number;
  expiredUploads: number;
}

/** Opaque listing cursor (S3 continuation token, REST cursor): the last key or prefix returned. */
export function encodeCursor(last: string): string {
  return Buffer.from(`v1:${last}`, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): string {
  const raw = Buffer.from(token, 'base64url').toString('utf8');
  if (!raw.startsWith('v1:') || encodeCursor(raw.slice(3)) !== token)
    throw new StorageError('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  return raw.slice(3);
}

export function parseContentMd5(value: string): Buffer {
  const v = value.trim();
  const buf = /^[A-Za-z0-9+/]{22}==$/.test(v) ? Buffer.from(v, 'base64') : null;
  if (buf?.length !== 16)
    throw new StorageError('InvalidDigest', 'The Content-MD5 you specified was invalid.', {
      'Content-MD5': v,
    });
  return buf;
}

export function validateTags(tags: Tag[]): void {
  if (tags.length > 50) throw new StorageError('InvalidTag', 'Object tags cannot be greater than 50');
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.key.length < 1 || t.key.length > 128)
      throw new StorageError('InvalidTag', 'The TagKey you have provided is invalid');
    if (t.value.length > 256)
      throw new StorageError('InvalidTag', 'The TagValue you have provided is invalid');
    if (t.key.startsWith('aws:'))
      throw new StorageError('InvalidTag', 'Your TagKey cannot be prefixed with aws:');
    if (seen.has(t.key))
      throw new StorageError('InvalidTag', 'Cannot provide multiple Tags with the same key');
    seen.add(t.key);
  }
}
