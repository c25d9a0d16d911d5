/** Multipart uploads: create, upload parts (or copy them), list, abort, complete. */
import { createHash, randomBytes } from 'node:crypto';
import { type ChecksumAlgorithm, compositeChecksum } from './storage.checksums.ts';
import { DEFAULT_CONTENT_TYPE, MAX_CHAR, parseJson, StorageCore } from './storage.core.ts';
import type { ByteRange } from './storage.engine.ts';
import { noSuchUpload, StorageError } from './storage.errors.ts';
import { byteCompare, evaluateConditions, unquote } from './storage.http-conditions.ts';
import {
  assertKey,
  assertMetadata,
  MAX_OBJECT_BYTES,
  MAX_PART_BYTES,
  MAX_PARTS,
  MIN_PART_BYTES,
} from './storage.names.ts';
import { uploadLockRequest } from './storage.objectlock.ts';
import type { BucketRow, PartRow, UploadRow } from './storage.repository.ts';
import { encryptedSize } from './storage.sse.crypto.ts';
import type { CustomerKey, ObjectEncryption, SseRequest } from './storage.sse.ts';
import type {
  BodyInput,
  CompletePart,
  Conditions,
  ObjectAttributes,
  PartInfo,
  StorageContext,
  StoredHeaders,
  UploadInfo,
} from './storage.types.ts';

export interface CompletedUpload {
  key: string;
  etag: string;
  size: number;
  lastModified: string;
  checksum: { algorithm: ChecksumAlgorithm; value: string } | null;
  versionId: string | null;
  versioned: boolean;
  encryption?: ObjectEncryption | null;
}

export class MultipartService extends StorageCore {
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
    sse: SseRequest | null = null,
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
    const encryption = await this.deps.sse.plan(bucket.id, sse);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).insertUpload(row);
      if (encryption) await this.deps.sse.setUpload(trx, row.id, encryption, sse?.customer);
      await this.record(ctx, trx, 'multipart.create', 'multipart_upload', row.id, {
        bucket: bucketName,
        key,
        ...(encryption ? { encryption: encryption.mode } : {}),
      });
    });
    return { ...this.toUploadInfo(bucket, row), encryption };
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
    encryption: ObjectEncryption | null;
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
    const encryption = await this.deps.sse.uploadEncryption(upload.id, body.sse?.customer);
    const seal = encryption ? this.deps.sse.seal(encryption, body.sse?.customer) : null;
    const received = await this.receive(bucket, body, MAX_PART_BYTES, seal);
    const checksum = body.checksum ? { algorithm: body.checksum.algorithm, value: received.checksum! } : null;
    await this.commitPart(
      ctx,
      bucket,
      upload,
      partNumber,
      { ...received, md5Hex: received.etag },
      checksum?.value ?? null,
      {},
    );
    return { etag: received.etag, size: received.size, checksum, encryption };
  }

  async uploadPartCopy(
    ctx: StorageContext,
    dst: { bucket: string; key: string; uploadId: string; partNumber: number },
    src: { bucket: string; key: string },
    opts: {
      range?: string | null;
      conditions: Conditions;
      /** SSE-C upload: the upload's key (every part carries it). */
      customer?: CustomerKey | null;
      /** SSE-C source: its key. */
      sourceCustomer?: CustomerKey | null;
    },
  ): Promise<{ etag: string; lastModified: string; encryption: ObjectEncryption | null }> {
    this.authorize(ctx, 'objects', 'write');
    this.authorize(ctx, 'objects', 'read');
    this.assertPartNumber(dst.partNumber);
    assertKey(src.key);
    const { bucket, upload } = await this.uploadFor(ctx, dst.bucket, dst.key, dst.uploadId);
    const srcBucket = await this.bucketFor(ctx, src.bucket);
    const encryption = await this.deps.sse.uploadEncryption(upload.id, opts.customer);
    const { row, segments, release } = await this.leasedObject(srcBucket, src.key);
    let copied: { blob: string; size: number; md5Hex: string; checksum: Buffer | null };
    let range: ByteRange | null = null;
    try {
      const opened = await this.deps.sse.open(srcBucket.id, segments, opts.sourceCustomer);
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
        !range && row.blob && !algorithm && !encryption && !opened.encryption
          ? await this.deps.engine.linkBlob({ bucketId: srcBucket.id, blob: row.blob }, bucket.id)
          : null;
      if (linked) copied = { blob: linked, size: row.size, md5Hex: row.etag, checksum: null };
      else {
        const seal = encryption ? this.deps.sse.seal(encryption, opts.customer) : null;
        const w = await this.deps.engine.writeBlob(
          bucket.id,
          this.deps.engine.openSegments(srcBucket.id, opened.segments, range, () => undefined),
          {
            maxBytes: MAX_PART_BYTES,
            checksum: algorithm,
            sizeHint: range ? range.end - range.start + 1 : row.size,
            encryptKey: seal?.contentKey ?? null,
          },
        );
        if (seal) await this.recordSeal(bucket.id, w.blob, seal);
        copied = { blob: w.blob, size: w.size, md5Hex: this.etagOf(seal, w.md5), checksum: w.checksum };
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
    return { etag: copied.md5Hex, lastModified, encryption };
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
    listed: readonly CompletePart[],
    onProgress?: () => void,
  ): Promise<CompletedUpload> {
    this.authorize(ctx, 'objects', 'write');
    const again = await this.alreadyCompleted(ctx, bucketName, keyOrNull, uploadId);
    if (again) return again;
    const { bucket, upload } = await this.uploadFor(ctx, bucketName, keyOrNull, uploadId);
    const key = upload.key;
    if (listed.length === 0)
      throw new StorageError(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema.',
      );
    for (let i = 1; i < listed.length; i++) {
      if (listed[i]!.partNumber < listed[i - 1]!.partNumber)
        throw new StorageError(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        );
    }
    // a part number listed more than once (a re-sent part): the last one listed counts, as on S3
    const parts = listed.filter((p, i) => listed[i + 1]?.partNumber !== p.partNumber);
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

    // The parts become the object's segments: no bytes are copied. Make sure they are all there
    // (an encrypted part is bigger on disk: a tag per 64 KiB chunk).
    const encryption = await this.uploadEncryptionForComplete(upload.id);
    for (const p of chosen) {
      const size = await this.deps.engine.blobSize(bucket.id, p.blob);
      if (size !== (encryption ? encryptedSize(p.size) : p.size))
        throw new StorageError(
          'InternalError',
          `Stored part ${p.part_number} is damaged or missing; upload it again.`,
        );
    }
    onProgress?.();
    const size = chosen.reduce((n, p) => n + p.size, 0);
    let unlisted: string[] = [];
    // object lock settings asked for by CreateMultipartUpload (read before the upload rows go)
    const lock = await uploadLockRequest(this.deps.db.kysely, upload.id);
    // lock order everywhere: upload → key → database (never wait for a lock inside a transaction)
    const committed = await this.locks.run(`upload\n${upload.id}`, () =>
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
        lock,
        keepOnFailure: true,
        within: async (repo, versionId) => {
          if (!(await repo.findUpload(upload.id))) throw noSuchUpload(upload.id);
          await this.versionsOf(repo).insertCompleted({
            upload_id: upload.id,
            bucket_id: bucket.id,
            key,
            etag,
            size,
            version_id: versionId,
            checksum_algorithm: checksum?.algorithm ?? null,
            checksum_value: checksum?.value ?? null,
            completed_at: this.now(),
          });
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
    return { key, etag, size, checksum, ...committed, encryption };
  }

  /** The upload's encryption mode for Complete (the parts' keys were checked when they came in). */
  private async uploadEncryptionForComplete(uploadId: string): Promise<ObjectEncryption | null> {
    const mode = await this.deps.sse.uploadMode(uploadId);
    return mode ? { mode } : null;
  }

  /** The result of an upload that was already completed (S3 answers a repeated Complete with it). */
  private async alreadyCompleted(
    ctx: StorageContext,
    bucketName: string,
    key: string | null,
    uploadId: string,
  ): Promise<CompletedUpload | null> {
    const done = await this.versionsOf().findCompleted(uploadId);
    if (!done) return null;
    const bucket = await this.bucketFor(ctx, bucketName);
    if (done.bucket_id !== bucket.id || (key !== null && done.key !== key)) return null;
    return {
      key: done.key,
      etag: done.etag,
      size: done.size,
      lastModified: done.completed_at,
      checksum:
        done.checksum_algorithm && done.checksum_value
          ? { algorithm: done.checksum_algorithm as ChecksumAlgorithm, value: done.checksum_value }
          : null,
      versionId: done.version_id,
      versioned: bucket.versioning !== null,
    };
  }

  // ---------------------------------------------------------------- presigned URLs
}
