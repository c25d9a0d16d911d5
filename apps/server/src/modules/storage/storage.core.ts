import type { Kysely } from 'kysely';
import { iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { type Action, can, type Resource } from '../iam/index.ts';
import { type ChecksumAlgorithm, headerFor, isChecksumValue } from './storage.checksums.ts';
import type { BodyDigest, StorageEngine } from './storage.engine.ts';
import { noSuchBucket, noSuchKey, noSuchUpload, StorageError } from './storage.errors.ts';
import { etagMatches, parseContentMd5, precondition } from './storage.http-conditions.ts';
import type { KeyedLock } from './storage.locks.ts';
import { applyLockOnWrite, type LockRequest } from './storage.objectlock.ts';
import type { BucketRow, ObjectRow, PartRow, StorageRepository, UploadRow } from './storage.repository.ts';
import { sseCEtag } from './storage.sse.crypto.ts';
import type { BlobSeal } from './storage.sse.ts';
import type {
  BodyInput,
  ObjectAttributes,
  ObjectInfo,
  StorageContext,
  StorageServiceDeps,
  StoredHeaders,
  Tag,
} from './storage.types.ts';
import { deleteMarker, demote, dropNullVersion, newVersionId, versioningOf } from './storage.versioning.ts';
import { VersionsRepository } from './storage.versions.repository.ts';

export interface RemoveResult {
  existed: boolean;
  /** A delete marker was created (versioned bucket). */
  deleteMarker: boolean;
  /** The delete marker's version id (null: the null version). */
  versionId: string | null;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Bigger than any UTF-8 code point sequence: `prefix + MAX_CHAR` sorts after every key starting with prefix. */
export const MAX_CHAR = '\u{10FFFF}';

export function parseJson<T>(value: string | null, fallback: T): T {
  if (value === null) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function checksumName(algorithm: ChecksumAlgorithm): string {
  return algorithm === 'CRC64NVME' ? 'CRC64NVME' : algorithm;
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

/**
 * The one digest check for request bodies (S3 PUTs and parts, and the small XML bodies of the S3
 * layer): declared length, the body's own check (aws-chunked decoded length), Content-MD5, the
 * signed payload's SHA-256, and x-amz-checksum-* (header or trailer).
 */
export function verifyBodyDigest(body: BodyInput, d: BodyDigest): void {
  const md5 = body.contentMd5 != null ? parseContentMd5(body.contentMd5) : null;
  if (body.length !== null && d.size !== body.length)
    throw new StorageError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  body.verify?.(d);
  if (md5 && !md5.equals(d.md5))
    throw new StorageError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: md5.toString('base64'),
      CalculatedDigest: d.md5.toString('base64'),
    });
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
      throw new StorageError('InvalidRequest', `The ${headerFor(alg)} value is missing (header or trailer).`);
    if (!isChecksumValue(alg, expected))
      throw new StorageError('InvalidRequest', `Value for ${headerFor(alg)} header is invalid.`);
    if (expected !== d.checksum.toString('base64'))
      throw new StorageError(
        'BadDigest',
        `The ${checksumName(alg)} you specified did not match the calculated checksum.`,
      );
  }
}

export class StorageCore {
  constructor(
    protected readonly deps: StorageServiceDeps,
    protected readonly locks: KeyedLock,
  ) {}

  get engine(): StorageEngine {
    return this.deps.engine;
  }

  /** Versions and completed-upload SQL, on the same executor as `repo`. */
  protected versionsOf(repo: StorageRepository = this.deps.repo): VersionsRepository {
    return new VersionsRepository(repo.db);
  }

  // ---------------------------------------------------------------- authorization

  protected authorize<R extends Resource>(ctx: StorageContext, resource: R, action: Action<R>): void {
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
  protected async bucketFor(ctx: StorageContext, name: string, repo = this.deps.repo): Promise<BucketRow> {
    const bucket = await repo.findBucketByName(name);
    if (!bucket) throw noSuchBucket(name);
    if (bucket.owner_id !== ctx.actor.id && !isAdmin(ctx.actor) && !ctx.s3Grants?.has(bucket.id)) {
      if (ctx.surface === 'api') throw noSuchBucket(name);
      throw new StorageError('AccessDenied', 'Access Denied', { BucketName: name });
    }
    return bucket;
  }

  protected async record(
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

  protected now(): string {
    return iso(this.deps.clock.now());
  }

  // ---------------------------------------------------------------- buckets

  protected toObjectInfo(bucket: BucketRow, r: ObjectRow): ObjectInfo {
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
      versionId: r.version_id,
      tags: parseJson<Tag[]>(r.tags, []),
    };
  }

  /**
   * Consume a body into a new blob, verifying every digest the caller claimed; with a `seal`, the
   * blob is encrypted and its key recorded. `etag` is the MD5 (SSE-C: not the MD5, as on AWS).
   */
  protected async receive(
    bucket: BucketRow,
    body: BodyInput,
    maxBytes: number,
    seal: BlobSeal | null = null,
  ): Promise<{ blob: string; size: number; md5Hex: string; etag: string; checksum: string | null }> {
    if (body.contentMd5 != null) parseContentMd5(body.contentMd5); // InvalidDigest before reading
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
      verify: (d) => verifyBodyDigest(body, d),
      encryptKey: seal?.contentKey ?? null,
    });
    if (seal) await this.recordSeal(bucket.id, written.blob, seal);
    return {
      blob: written.blob,
      size: written.size,
      md5Hex: written.md5Hex,
      etag: seal ? this.etagOf(seal, written.md5) : written.md5Hex,
      checksum: written.checksum ? written.checksum.toString('base64') : null,
    };
  }

  /** SSE-C ETags are not the MD5 of the data (as on AWS); plain and SSE-S3 ones are. */
  protected etagOf(seal: BlobSeal | null, md5: Buffer): string {
    return seal?.mode === 'SSE-C' ? sseCEtag(seal.contentKey, md5) : md5.toString('hex');
  }

  /** Record a new blob's key; without it the blob is unreadable, so it goes on failure. */
  protected async recordSeal(bucketId: string, blob: string, seal: BlobSeal): Promise<void> {
    try {
      await this.deps.sse.commit(bucketId, blob, seal);
    } catch (err) {
      await this.deps.engine.removeBlobQuietly(bucketId, blob);
      throw err;
    }
  }

  protected async checkWriteConditions(
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
  protected async segmentsOf(
    row: ObjectRow,
    repo = this.deps.repo,
  ): Promise<{ blob: string; size: number }[]> {
    return row.blob ? [{ blob: row.blob, size: row.size }] : repo.segments(row.id);
  }

  /**
   * The commit point: one transaction writes the object row (and its segments) and its audit
   * entry, serialised per key. The blobs it replaces are deleted only after the commit; on
   * failure the new blobs go (unless `keepOnFailure`: multipart parts stay with their upload).
   */
  protected async commitObject(
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
      /** Object tags (x-amz-tagging, or the source's on copy). */
      tags?: Tag[] | null;
      /** Object lock settings asked for (x-amz-object-lock-*); else the bucket's default retention. */
      lock?: LockRequest | null;
      /** Runs inside the transaction (multipart: drop the upload's rows). */
      within?: (repo: StorageRepository, versionId: string | null) => Promise<void>;
      keepOnFailure?: boolean;
    },
  ): Promise<{ lastModified: string; versionId: string | null; versioned: boolean }> {
    const lastModified = this.now();
    let versionId: string | null = null;
    let versioned = false;
    const newBlobs =
      'blob' in input.content ? [input.content.blob] : input.content.segments.map((s) => s.blob);
    const replaced: string[] = [];
    try {
      await this.locks.run(`${bucket.id}\n${key}`, () =>
        this.deps.db.kysely.transaction().execute(async (trx) => {
          const repo = this.deps.repo.with(trx);
          const fresh = await repo.findBucketById(bucket.id);
          if (!fresh) throw noSuchBucket(bucket.name);
          const state = versioningOf(fresh);
          versioned = state !== null;
          versionId = state === 'Enabled' ? newVersionId() : null;
          if (input.cond?.ifMatch || input.cond?.ifNoneMatch)
            await this.checkWriteConditions(bucket, key, input.cond, repo);
          await input.within?.(repo, versionId);
          await applyLockOnWrite(trx, bucket.id, key, versionId, input.lock, Date.parse(lastModified));
          let existing = await repo.findObject(bucket.id, key);
          if (existing && state !== null && !(state === 'Suspended' && existing.version_id === null)) {
            // the current version stays as a noncurrent one
            await demote(repo, this.versionsOf(repo), existing);
            existing = undefined;
          }
          if (state === 'Suspended')
            replaced.push(...(await dropNullVersion(this.versionsOf(repo), bucket.id, key)));
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
            version_id: versionId,
            tags: input.tags && input.tags.length > 0 ? JSON.stringify(input.tags) : null,
          };
          let id: string;
          if (existing) {
            replaced.push(...(await this.segmentsOf(existing, repo)).map((s) => s.blob));
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
            ...(versionId ? { versionId } : {}),
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
    return { lastModified, versionId, versioned };
  }

  /**
   * An object row whose blobs are leased for reading: the row is read again after taking the
   * lease, so a concurrent overwrite either happened before (we see the new row) or will find
   * the lease and defer deleting the old blobs until we are done.
   */
  protected async leasedObject(
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

  /**
   * DeleteObject without a version id. Unversioned buckets: the object goes. Versioned buckets:
   * the current object becomes noncurrent (suspended: the null version goes) and a delete
   * marker becomes the latest version.
   */
  protected async removeObject(
    ctx: StorageContext,
    bucket: BucketRow,
    key: string,
    action: string,
    extra: Record<string, unknown> = {},
  ): Promise<RemoveResult> {
    const blobs: string[] = [];
    let existed = false;
    let marker: { versionId: string | null } | null = null;
    await this.locks.run(`${bucket.id}\n${key}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const vrepo = this.versionsOf(repo);
        const fresh = await repo.findBucketById(bucket.id);
        const state = fresh ? versioningOf(fresh) : null;
        const row = await repo.findObject(bucket.id, key);
        existed = row !== undefined;
        if (row) {
          if (state === null || (state === 'Suspended' && row.version_id === null)) {
            blobs.push(...(await this.segmentsOf(row, repo)).map((s) => s.blob));
            await repo.deleteObjectById(row.id);
          } else await demote(repo, vrepo, row);
        }
        if (state !== null) {
          if (state === 'Suspended') blobs.push(...(await dropNullVersion(vrepo, bucket.id, key)));
          const versionId = state === 'Enabled' ? newVersionId() : null;
          await vrepo.insert(deleteMarker(bucket.id, key, bucket.owner_id, versionId, this.now()));
          marker = { versionId };
        }
        await this.record(ctx, trx, action, 'object', `${bucket.name}/${key}`, {
          bucket: bucket.name,
          key,
          ...(row ? { size: row.size, etag: row.etag } : { existed: false }),
          ...(marker
            ? { deleteMarker: true, versionId: (marker as { versionId: string | null }).versionId }
            : {}),
          ...extra,
        });
      }),
    );
    for (const b of blobs) await this.deps.engine.removeBlobQuietly(bucket.id, b);
    const m = marker as { versionId: string | null } | null;
    return { existed, deleteMarker: m !== null, versionId: m ? m.versionId : null };
  }

  protected async dropUpload(
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
}
