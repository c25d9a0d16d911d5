/** Bucket versioning configuration and ListObjectVersions. */
import { MAX_CHAR, StorageCore } from './storage.core.ts';
import { StorageError } from './storage.errors.ts';
import { byteCompare } from './storage.http-conditions.ts';
import { bucketLockConfig, lockedVersioning } from './storage.objectlock.ts';
import type { StorageContext } from './storage.types.ts';
import { type VersioningState, versioningOf } from './storage.versioning.ts';
import type { VersionCursor } from './storage.versions.repository.ts';

export interface VersionEntry {
  key: string;
  /** null: the null version. */
  versionId: string | null;
  isLatest: boolean;
  isDeleteMarker: boolean;
  lastModified: string;
  etag: string;
  size: number;
  ownerId: string;
  checksumAlgorithm: string | null;
}

export interface ListVersionsInput {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
}

export interface ListVersionsResult {
  entries: VersionEntry[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string | null;
  /** 'null' for the null version; null when the page ended on a common prefix. */
  nextVersionIdMarker: string | null;
}

export class VersionsService extends StorageCore {
  async getBucketVersioning(ctx: StorageContext, name: string): Promise<VersioningState> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    return versioningOf(bucket);
  }

  /** Enable or suspend versioning (a bucket never goes back to unversioned, as on S3). */
  async putBucketVersioning(
    ctx: StorageContext,
    name: string,
    status: 'Enabled' | 'Suspended',
  ): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      if (status === 'Suspended' && (await bucketLockConfig(trx, bucket.id))) throw lockedVersioning();
      await this.deps.repo.with(trx).updateBucket(bucket.id, { versioning: status });
      await this.record(ctx, trx, 'buckets.put_versioning', 'bucket', name, { bucket: name, status });
    });
  }

  /**
   * Every version and delete marker, by key then newest first, with prefix/delimiter roll-up
   * and key/version-id markers (as ListObjectVersions pages).
   */
  async listObjectVersions(
    ctx: StorageContext,
    name: string,
    input: ListVersionsInput,
  ): Promise<ListVersionsResult> {
    this.authorize(ctx, 'objects', 'read');
    const bucket = await this.bucketFor(ctx, name);
    const vrepo = this.versionsOf();
    const prefix = input.prefix ?? '';
    const delimiter = input.delimiter ?? '';
    const keyMarker = input.keyMarker ?? '';
    const maxKeys = Math.max(0, Math.min(input.maxKeys, 1000));
    if (input.versionIdMarker && !keyMarker)
      throw new StorageError(
        'InvalidArgument',
        'A version-id marker cannot be specified without a key marker.',
        { ArgumentName: 'version-id-marker', ArgumentValue: input.versionIdMarker },
      );
    let cursor: VersionCursor | null = null;
    let prevKey: string | null = null;
    if (keyMarker) {
      cursor = { kind: 'after-key', key: keyMarker };
      if (input.versionIdMarker) {
        const vid = input.versionIdMarker === 'null' ? null : input.versionIdMarker;
        if (await vrepo.findCurrent(bucket.id, keyMarker, vid))
          cursor = { kind: 'after-current', key: keyMarker };
        else {
          const v = await vrepo.find(bucket.id, keyMarker, vid);
          if (!v)
            throw new StorageError('InvalidArgument', 'Invalid version id specified', {
              ArgumentName: 'version-id-marker',
              ArgumentValue: input.versionIdMarker,
            });
          cursor = { kind: 'after-seq', key: keyMarker, seq: v.seq };
        }
        prevKey = keyMarker; // the rest of this key's versions are not the latest
      }
    }
    if (prefix && (keyMarker === '' || byteCompare(keyMarker, prefix) < 0))
      cursor = { kind: 'from', key: prefix };

    const entries: VersionEntry[] = [];
    const commonPrefixes: string[] = [];
    let count = 0;
    let truncated = false;
    let last: { key: string; versionId: string | null | undefined } | null = null;
    let lastPrefix: string | null = null;
    if (maxKeys === 0)
      return { entries, commonPrefixes, isTruncated: false, nextKeyMarker: null, nextVersionIdMarker: null };
    scan: for (;;) {
      const limit = Math.min(1000, maxKeys - count + 1);
      const batch = await vrepo.list(bucket.id, cursor, limit);
      if (batch.length === 0) break;
      let jumped = false;
      for (const row of batch) {
        if (prefix && !row.key.startsWith(prefix)) break scan;
        if (delimiter) {
          const idx = row.key.indexOf(delimiter, prefix.length);
          if (idx >= 0) {
            const cp = row.key.slice(0, idx + delimiter.length);
            const jump = cp + MAX_CHAR;
            const next: VersionCursor = {
              kind: 'after-key',
              key: byteCompare(jump, row.key) > 0 ? jump : row.key,
            };
            if (cp === lastPrefix || (keyMarker && byteCompare(cp, keyMarker) <= 0)) {
              cursor = next;
              jumped = true;
              break;
            }
            if (count >= maxKeys) {
              truncated = true;
              break scan;
            }
            commonPrefixes.push(cp);
            count++;
            last = { key: cp, versionId: undefined };
            lastPrefix = cp;
            cursor = next;
            jumped = true;
            break;
          }
        }
        if (count >= maxKeys) {
          truncated = true;
          break scan;
        }
        entries.push({
          key: row.key,
          versionId: row.version_id,
          isLatest: row.key !== prevKey,
          isDeleteMarker: row.is_delete_marker === 1,
          lastModified: row.last_modified,
          etag: row.etag,
          size: row.size,
          ownerId: row.owner_id,
          checksumAlgorithm: row.checksum_algorithm,
        });
        prevKey = row.key;
        count++;
        last = { key: row.key, versionId: row.version_id };
        cursor = row.is_current
          ? { kind: 'after-current', key: row.key }
          : { kind: 'after-seq', key: row.key, seq: row.seq };
      }
      if (!jumped && batch.length < limit) break;
    }
    return {
      entries,
      commonPrefixes,
      isTruncated: truncated,
      nextKeyMarker: truncated && last ? last.key : null,
      nextVersionIdMarker:
        truncated && last && last.versionId !== undefined ? (last.versionId ?? 'null') : null,
    };
  }
}
