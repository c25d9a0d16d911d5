import { iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { ListResult, Page } from '../../platform/db/repository.ts';
import { parseJson, StorageCore, validateTags } from './storage.core.ts';
import { type CorsRule, validateCorsRules } from './storage.cors.ts';
import { noSuchBucket, StorageError } from './storage.errors.ts';
import { assertBucketName, assertKey } from './storage.names.ts';
import { enableObjectLock } from './storage.objectlock.ts';
import type { BucketRow } from './storage.repository.ts';
import { presignAccessKeyId, presignSecret } from './storage.s3.credentials.ts';
import { presignUrl, uriEncode } from './storage.s3.sigv4.ts';
import type { BucketInfo, CleanupReport, StorageContext, Tag } from './storage.types.ts';
import { versioningOf } from './storage.versioning.ts';

export class BucketsService extends StorageCore {
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
      versioning: versioningOf(r),
      lifecycleRules: r.lifecycle === null ? 0 : parseJson<unknown[]>(r.lifecycle, []).length,
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

  async createBucket(
    ctx: StorageContext,
    name: string,
    opts: { objectLock?: boolean } = {},
  ): Promise<BucketInfo> {
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
      // object lock implies versioning (storage.objectlock.ts)
      versioning: opts.objectLock ? 'Enabled' : null,
      lifecycle: null,
    };
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const again = await repo.findBucketByName(name);
        if (again) throw this.bucketExists(ctx, again);
        await repo.insertBucket(row);
        if (opts.objectLock) await enableObjectLock(trx, id, this.now());
        await this.record(ctx, trx, 'buckets.create', 'bucket', name, {
          bucket: name,
          ...(opts.objectLock ? { objectLock: true } : {}),
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
      await this.versionsOf(repo).deleteCompletedOfBucket(bucket.id);
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
    // results of completed uploads are kept for repeated Completes as long as uploads live
    await this.versionsOf().deleteCompletedBefore(cutoff);
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
