import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from './storage.checksums.ts';
import { MAX_CHAR } from './storage.core.ts';
import type { ByteRange } from './storage.engine.ts';
import { StorageError } from './storage.errors.ts';
import { byteCompare, evaluateConditions, parseRange } from './storage.http-conditions.ts';
import { assertKey, assertMetadata, MAX_OBJECT_BYTES, MAX_PUT_BYTES } from './storage.names.ts';
import type { LockRequest } from './storage.objectlock.ts';
import type { BucketRow, ObjectRow } from './storage.repository.ts';
import type { CustomerKey, ObjectEncryption, SseRequest } from './storage.sse.ts';
import type {
  BodyInput,
  Conditions,
  ListObjectsInput,
  ListObjectsResult,
  ObjectAttributes,
  ObjectInfo,
  PutResult,
  StorageContext,
  Tag,
} from './storage.types.ts';
import { VersionedCore } from './storage.versions.core.ts';

export interface DeleteResult {
  /** The object (or version) existed. */
  deleted: boolean;
  /** A delete marker was created, or the deleted version was one. */
  deleteMarker: boolean;
  /** The marker's (or the deleted version's) id; undefined for unversioned buckets. */
  versionId?: string | null;
}

export class ObjectsService extends VersionedCore {
  async putObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    body: BodyInput,
    attrs: ObjectAttributes,
    cond: { ifMatch?: string | null; ifNoneMatch?: string | null } = {},
    tags: Tag[] | null = null,
    lock: LockRequest | null = null,
  ): Promise<PutResult> {
    this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    if (attrs.metadata) assertMetadata(attrs.metadata);
    const bucket = await this.bucketFor(ctx, bucketName);
    if (cond.ifMatch || cond.ifNoneMatch) await this.checkWriteConditions(bucket, key, cond);
    const encryption = await this.deps.sse.plan(bucket.id, body.sse);
    const seal = encryption ? this.deps.sse.seal(encryption, body.sse?.customer) : null;
    const received = await this.receive(bucket, body, MAX_PUT_BYTES, seal);
    const checksum = body.checksum ? { algorithm: body.checksum.algorithm, value: received.checksum! } : null;
    const { lastModified, versionId, versioned } = await this.commitObject(ctx, bucket, key, {
      content: { blob: received.blob },
      size: received.size,
      etag: received.etag,
      partsCount: null,
      attrs,
      checksum,
      cond,
      tags,
      lock,
      action: 'objects.put',
      details: encryption ? { encryption: encryption.mode } : {},
    });
    return {
      etag: received.etag,
      size: received.size,
      lastModified,
      checksum,
      versionId,
      versioned,
      encryption,
    };
  }

  /** The object's first blob (its encryption is its blobs'). */
  private async firstBlob(row: ObjectRow): Promise<string | undefined> {
    return row.blob || (await this.segmentsOf(row))[0]?.blob;
  }

  /** Metadata of an object the caller may read (HeadObject). */
  async headObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    cond: Conditions = {},
    versionId?: string,
    customer: CustomerKey | null = null,
    /** Say how the object is encrypted without checking an SSE-C key (the REST details view). */
    opts: { describeOnly?: boolean } = {},
  ): Promise<ObjectInfo & { versioned: boolean }> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const versioned = bucket.versioning !== null;
    if (versionId !== undefined) {
      const { row, segments, release } = await this.leasedVersion(bucket, key, versionId);
      release();
      const encryption = await this.deps.sse.head(bucket.id, segments[0]?.blob, customer, opts.describeOnly);
      evaluateConditions(cond, row.etag, row.last_modified);
      return { ...this.toObjectInfo(bucket, row), versioned: true, encryption };
    }
    const row = await this.deps.repo.findObject(bucket.id, key);
    if (!row) throw await this.missingKey(bucket, key);
    const encryption = await this.deps.sse.head(
      bucket.id,
      await this.firstBlob(row),
      customer,
      opts.describeOnly,
    );
    evaluateConditions(cond, row.etag, row.last_modified);
    return { ...this.toObjectInfo(bucket, row), versioned, encryption };
  }

  /** Object metadata + its content stream (the blobs stay readable even if it is overwritten meanwhile). */
  async getObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    opts: {
      range?: string | null;
      conditions?: Conditions;
      versionId?: string;
      /** SSE-C: the key the object was written with. */
      customer?: CustomerKey | null;
    } = {},
  ): Promise<{ info: ObjectInfo; range: ByteRange | null; stream: Readable; versioned: boolean }> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    const { row, segments, release } = await this.leased(bucket, key, opts.versionId);
    try {
      const opened = await this.deps.sse.open(bucket.id, segments, opts.customer);
      evaluateConditions(opts.conditions ?? {}, row.etag, row.last_modified);
      const range = parseRange(opts.range, row.size);
      const stream = this.deps.engine.openSegments(bucket.id, opened.segments, range, release);
      const versioned = bucket.versioning !== null || opts.versionId !== undefined;
      const info = { ...this.toObjectInfo(bucket, row), encryption: opened.encryption };
      return { info, range, stream, versioned };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** The current object (or one version) with its blobs leased. */
  private async leased(bucket: BucketRow, key: string, versionId: string | undefined) {
    if (versionId !== undefined) return this.leasedVersion(bucket, key, versionId);
    try {
      return await this.leasedObject(bucket, key);
    } catch (err) {
      if (err instanceof StorageError && err.s3Code === 'NoSuchKey') throw await this.missingKey(bucket, key);
      throw err;
    }
  }

  /**
   * DeleteObject: idempotent (a missing key is fine), audited either way. In a versioned bucket
   * it adds a delete marker; with a version id it removes that version for good.
   */
  async deleteObject(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    versionId?: string,
  ): Promise<DeleteResult> {
    this.authorize(ctx, 'objects', 'delete');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    return this.deleteOne(ctx, bucket, key, versionId, {});
  }

  private async deleteOne(
    ctx: StorageContext,
    bucket: BucketRow,
    key: string,
    versionId: string | undefined,
    extra: Record<string, unknown>,
  ): Promise<DeleteResult> {
    if (versionId !== undefined) {
      const r = await this.removeVersion(ctx, bucket, key, versionId, 'objects.delete_version', extra);
      return { deleted: r.existed, deleteMarker: r.deleteMarker, versionId: r.versionId };
    }
    const r = await this.removeObject(ctx, bucket, key, 'objects.delete', extra);
    return {
      deleted: r.existed,
      deleteMarker: r.deleteMarker,
      ...(r.deleteMarker ? { versionId: r.versionId } : {}),
    };
  }

  /** DeleteObjects: per-key results; keys that do not exist count as deleted (as on S3). */
  async deleteObjects(
    ctx: StorageContext,
    bucketName: string,
    keys: readonly (string | { key: string; versionId?: string })[],
  ): Promise<{
    deleted: (DeleteResult & { key: string; existed: boolean; requestedVersionId?: string })[];
    errors: { key: string; code: string; message: string; versionId?: string }[];
  }> {
    this.authorize(ctx, 'objects', 'delete');
    const bucket = await this.bucketFor(ctx, bucketName);
    const deleted: (DeleteResult & { key: string; existed: boolean; requestedVersionId?: string })[] = [];
    const errors: { key: string; code: string; message: string; versionId?: string }[] = [];
    for (const item of keys) {
      const key = typeof item === 'string' ? item : item.key;
      const versionId = typeof item === 'string' ? undefined : item.versionId;
      try {
        assertKey(key);
        const r = await this.deleteOne(ctx, bucket, key, versionId, { batch: true });
        deleted.push({
          key,
          existed: r.deleted,
          ...r,
          ...(versionId !== undefined ? { requestedVersionId: versionId } : {}),
        });
      } catch (err) {
        if (err instanceof StorageError)
          errors.push({ key, code: err.s3Code, message: err.message, ...(versionId ? { versionId } : {}) });
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
    src: { bucket: string; key: string; versionId?: string },
    dst: { bucket: string; key: string },
    opts: {
      directive: 'COPY' | 'REPLACE';
      attrs: ObjectAttributes;
      conditions: Conditions;
      checksumAlgorithm?: ChecksumAlgorithm | null;
      /** null: copy the source's tags; an array: replace them (x-amz-tagging-directive REPLACE). */
      tags?: Tag[] | null;
      /** x-amz-object-lock-* for the copy (the source's lock is not copied, as on S3). */
      lock?: LockRequest | null;
      /** The copy's encryption (x-amz-server-side-encryption*; else the bucket default). */
      sse?: SseRequest | null;
      /** SSE-C source: its key (x-amz-copy-source-server-side-encryption-customer-*). */
      sourceCustomer?: CustomerKey | null;
    },
  ): Promise<{
    etag: string;
    lastModified: string;
    checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
    versionId: string | null;
    versioned: boolean;
    sourceVersionId: string | null;
    sourceVersioned: boolean;
    encryption: ObjectEncryption | null;
  }> {
    this.authorize(ctx, 'objects', 'read');
    this.authorize(ctx, 'objects', 'write');
    assertKey(src.key);
    assertKey(dst.key);
    if (opts.directive === 'REPLACE' && opts.attrs.metadata) assertMetadata(opts.attrs.metadata);
    const srcBucket = await this.bucketFor(ctx, src.bucket);
    const dstBucket = await this.bucketFor(ctx, dst.bucket);
    const { row, segments, release } = await this.leased(srcBucket, src.key, src.versionId);
    const sourceInfo = {
      sourceVersionId: row.version_id,
      sourceVersioned: srcBucket.versioning !== null || src.versionId !== undefined,
    };
    try {
      const opened = await this.deps.sse.open(srcBucket.id, segments, opts.sourceCustomer);
      evaluateConditions(opts.conditions, row.etag, row.last_modified, true);
      const encryption = await this.deps.sse.plan(dstBucket.id, opts.sse);
      if (
        srcBucket.id === dstBucket.id &&
        src.key === dst.key &&
        src.versionId === undefined &&
        opts.directive === 'COPY' &&
        !opts.checksumAlgorithm &&
        !opts.sse?.algorithm &&
        !opts.sse?.customer
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
      const details = {
        source: `${src.bucket}/${src.key}`,
        directive: opts.directive,
        ...(src.versionId !== undefined ? { sourceVersionId: src.versionId } : {}),
      };
      const tags = opts.tags ?? source.tags;

      // hard links share the bytes: only when neither side is encrypted (else each blob has its own key)
      if (!opts.checksumAlgorithm && !opened.encryption && !encryption) {
        const linked: string[] = [];
        for (const seg of segments) {
          const b = await this.deps.engine.linkBlob({ bucketId: srcBucket.id, blob: seg.blob }, dstBucket.id);
          if (b === null) break;
          linked.push(b);
        }
        if (linked.length === segments.length) {
          const c = await this.commitObject(ctx, dstBucket, dst.key, {
            content: row.blob
              ? { blob: linked[0]! }
              : { segments: segments.map((s, i) => ({ blob: linked[i]!, size: s.size })) },
            size: row.size,
            etag: row.etag,
            partsCount: row.parts_count,
            attrs,
            checksum: source.checksum,
            tags,
            lock: opts.lock ?? null,
            action: 'objects.copy',
            details,
          });
          return { etag: row.etag, checksum: source.checksum, ...c, ...sourceInfo, encryption: null };
        }
        for (const b of linked) await this.deps.engine.removeBlobQuietly(dstBucket.id, b);
      }
      const seal = encryption ? this.deps.sse.seal(encryption, opts.sse?.customer) : null;
      const written = await this.deps.engine.writeBlob(
        dstBucket.id,
        this.deps.engine.openSegments(srcBucket.id, opened.segments, null, () => undefined),
        {
          maxBytes: MAX_OBJECT_BYTES,
          checksum: opts.checksumAlgorithm ?? null,
          sizeHint: row.size,
          encryptKey: seal?.contentKey ?? null,
        },
      );
      if (seal) await this.recordSeal(dstBucket.id, written.blob, seal);
      const etag = this.etagOf(seal, written.md5);
      const checksum =
        opts.checksumAlgorithm && written.checksum
          ? { algorithm: opts.checksumAlgorithm, value: written.checksum.toString('base64') }
          : source.checksum && !source.checksum.value.includes('-')
            ? source.checksum
            : null;
      const c = await this.commitObject(ctx, dstBucket, dst.key, {
        content: { blob: written.blob },
        size: written.size,
        etag,
        partsCount: null,
        attrs,
        checksum,
        tags,
        lock: opts.lock ?? null,
        action: 'objects.copy',
        details: encryption ? { ...details, encryption: encryption.mode } : details,
      });
      return { etag, checksum, ...c, ...sourceInfo, encryption };
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
}
