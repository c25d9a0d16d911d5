import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from './storage.checksums.ts';
import { MAX_CHAR, StorageCore } from './storage.core.ts';
import type { ByteRange } from './storage.engine.ts';
import { noSuchKey, StorageError } from './storage.errors.ts';
import { byteCompare, evaluateConditions, parseRange } from './storage.http-conditions.ts';
import { assertKey, assertMetadata, MAX_OBJECT_BYTES, MAX_PUT_BYTES } from './storage.names.ts';
import type {
  BodyInput,
  Conditions,
  ListObjectsInput,
  ListObjectsResult,
  ObjectAttributes,
  ObjectInfo,
  PutResult,
  StorageContext,
} from './storage.types.ts';

export class ObjectsService extends StorageCore {
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
}
