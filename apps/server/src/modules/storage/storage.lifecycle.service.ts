/**
 * Bucket lifecycle: the configuration (Get/Put/DeleteBucketLifecycleConfiguration) and the engine
 * the `storage.lifecycle` job runs: expire current versions (by days or date), expire noncurrent
 * versions, remove expired delete markers and abort stale multipart uploads, all through the same
 * service calls a user's deletes take (so locks, audit and blob cleanup are the usual ones).
 */

import { parseJson, StorageCore } from './storage.core.ts';
import { StorageError } from './storage.errors.ts';
import {
  currentExpiry,
  dueAfterDays,
  type LifecycleCandidate,
  type LifecycleRule,
  needsTags,
  ruleMatches,
  validateLifecycleRules,
} from './storage.lifecycle.ts';
import type { MultipartService } from './storage.multipart.service.ts';
import { isObjectLockedError } from './storage.objectlock.ts';
import type { ObjectsService } from './storage.objects.service.ts';
import type { BucketRow } from './storage.repository.ts';
import type { ObjectTagsService } from './storage.tagging.service.ts';
import type { StorageContext } from './storage.types.ts';
import type { VersionEntry, VersionsService } from './storage.versions.service.ts';

export interface LifecycleReport {
  buckets: number;
  expiredObjects: number;
  expiredNoncurrentVersions: number;
  removedDeleteMarkers: number;
  abortedUploads: number;
}

export interface LifecyclePeers {
  objects: ObjectsService;
  versions: VersionsService;
  multipart: MultipartService;
  tagging: ObjectTagsService;
}

function noConfiguration(bucket: string): StorageError {
  return new StorageError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', {
    BucketName: bucket,
  });
}

export class LifecycleService extends StorageCore {
  private peers!: LifecyclePeers;

  /** The sibling services the engine deletes through (set once by the StorageService facade). */
  attach(peers: LifecyclePeers): void {
    this.peers = peers;
  }

  async getBucketLifecycle(ctx: StorageContext, name: string): Promise<LifecycleRule[]> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    if (bucket.lifecycle === null) throw noConfiguration(name);
    return parseJson<LifecycleRule[]>(bucket.lifecycle, []);
  }

  /** Replaces the whole configuration (as S3 does); null deletes it. Returns the stored rules. */
  async putBucketLifecycle(
    ctx: StorageContext,
    name: string,
    rules: LifecycleRule[] | null,
  ): Promise<LifecycleRule[] | null> {
    this.authorize(ctx, 'buckets', 'update');
    const stored = rules ? validateLifecycleRules(rules) : null;
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo
        .with(trx)
        .updateBucket(bucket.id, { lifecycle: stored ? JSON.stringify(stored) : null });
      await this.record(
        ctx,
        trx,
        stored ? 'buckets.put_lifecycle' : 'buckets.delete_lifecycle',
        'bucket',
        name,
        { bucket: name, ...(stored ? { rules: stored.length } : {}) },
      );
    });
    return stored;
  }

  /**
   * One pass over every bucket with a lifecycle configuration, as of `nowMs`. `ctx` must be allowed
   * to delete in every bucket (the job runs as the system actor).
   */
  async applyLifecycle(ctx: StorageContext, nowMs: number, onlyBucket?: string): Promise<LifecycleReport> {
    const report: LifecycleReport = {
      buckets: 0,
      expiredObjects: 0,
      expiredNoncurrentVersions: 0,
      removedDeleteMarkers: 0,
      abortedUploads: 0,
    };
    for (const bucket of await this.deps.repo.allBuckets()) {
      if (bucket.lifecycle === null || (onlyBucket && bucket.name !== onlyBucket)) continue;
      const rules = parseJson<LifecycleRule[]>(bucket.lifecycle, []).filter((r) => r.status === 'Enabled');
      if (rules.length === 0) continue;
      report.buckets++;
      try {
        await this.applyToVersions(ctx, bucket, rules, nowMs, report);
        await this.abortUploads(ctx, bucket, rules, nowMs, report);
      } catch (err) {
        // a bucket deleted mid-pass, or one failing key, must not stop the other buckets
        if (!(err instanceof StorageError && err.s3Code === 'NoSuchBucket'))
          this.deps.logger.error({ err, bucket: bucket.name }, 'lifecycle pass failed for a bucket');
      }
    }
    return report;
  }

  private async applyToVersions(
    ctx: StorageContext,
    bucket: BucketRow,
    rules: LifecycleRule[],
    nowMs: number,
    report: LifecycleReport,
  ): Promise<void> {
    const withTags = needsTags(rules);
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    let pending: VersionEntry[] = [];
    const flush = async () => {
      if (pending.length) await this.applyToKey(ctx, bucket, rules, pending, nowMs, withTags, report);
      pending = [];
    };
    for (;;) {
      const page = await this.peers.versions.listObjectVersions(ctx, bucket.name, {
        maxKeys: 1000,
        ...(keyMarker ? { keyMarker } : {}),
        ...(versionIdMarker ? { versionIdMarker } : {}),
      });
      for (const e of page.entries) {
        if (pending[0] && pending[0].key !== e.key) await flush();
        pending.push(e);
      }
      if (!page.isTruncated || !page.nextKeyMarker) break;
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker ?? undefined;
    }
    await flush();
  }

  /** One key's versions, newest first (a key never spans two listing pages here: see flush). */
  private async applyToKey(
    ctx: StorageContext,
    bucket: BucketRow,
    rules: LifecycleRule[],
    versions: VersionEntry[],
    nowMs: number,
    withTags: boolean,
    report: LifecycleReport,
  ): Promise<void> {
    const key = versions[0]!.key;
    const vid = (v: VersionEntry) => v.versionId ?? 'null';
    const remaining = [...versions];
    const candidate = async (v: VersionEntry): Promise<LifecycleCandidate> => ({
      key,
      size: v.size,
      ...(withTags && !v.isDeleteMarker
        ? { tags: (await this.peers.tagging.getObjectTags(ctx, bucket.name, key, vid(v))).tags }
        : {}),
    });

    // noncurrent versions: noncurrent since their successor was written
    for (const rule of rules) {
      const nve = rule.noncurrentVersionExpiration;
      if (!nve) continue;
      let newerKept = 0;
      for (let i = 1; i < remaining.length; i++) {
        const v = remaining[i]!;
        if (!ruleMatches(rule, await candidate(v))) continue;
        const due = dueAfterDays(remaining[i - 1]!.lastModified, nve.noncurrentDays) <= nowMs;
        if (!due) {
          newerKept++;
          continue;
        }
        if (newerKept < (nve.newerNoncurrentVersions ?? 0)) {
          newerKept++;
          continue;
        }
        try {
          await this.peers.objects.deleteObject(ctx, bucket.name, key, vid(v));
        } catch (err) {
          // object lock: a version under retention or legal hold stays until it is released
          if (isObjectLockedError(err)) continue;
          throw err;
        }
        report.expiredNoncurrentVersions++;
        remaining.splice(i, 1);
        i--;
      }
    }

    const current = remaining[0];
    if (!current?.isLatest) return;
    if (!current.isDeleteMarker) {
      const expiry = currentExpiry(rules, await candidate(current), current.lastModified);
      if (expiry && expiry.at <= nowMs) {
        // unversioned: the object goes; versioned: a delete marker becomes current (as on S3)
        await this.peers.objects.deleteObject(ctx, bucket.name, key);
        report.expiredObjects++;
      }
      return;
    }
    // an expired object delete marker: the only version left of its key
    if (remaining.length === 1) {
      const c = await candidate(current);
      if (rules.some((r) => r.expiration?.expiredObjectDeleteMarker && ruleMatches(r, c))) {
        await this.peers.objects.deleteObject(ctx, bucket.name, key, vid(current));
        report.removedDeleteMarkers++;
      }
    }
  }

  private async abortUploads(
    ctx: StorageContext,
    bucket: BucketRow,
    rules: LifecycleRule[],
    nowMs: number,
    report: LifecycleReport,
  ): Promise<void> {
    const aborting = rules.filter((r) => r.abortIncompleteMultipartUpload);
    if (aborting.length === 0) return;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.peers.multipart.listUploads(ctx, bucket.name, {
        maxUploads: 1000,
        ...(keyMarker ? { keyMarker } : {}),
        ...(uploadIdMarker ? { uploadIdMarker } : {}),
      });
      for (const u of page.uploads) {
        const due = aborting.some(
          (r) =>
            ruleMatches(r, { key: u.key, size: 0 }) &&
            dueAfterDays(u.initiated, r.abortIncompleteMultipartUpload!.daysAfterInitiation) <= nowMs,
        );
        if (!due) continue;
        await this.peers.multipart.abortUpload(ctx, bucket.name, u.key, u.uploadId);
        report.abortedUploads++;
      }
      if (!page.isTruncated || !page.nextKeyMarker) break;
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker ?? undefined;
    }
  }
}
