/** Object lock: bucket configuration, per-version retention and legal hold (rules in storage.objectlock.ts). */
import { noSuchVersion, StorageError } from './storage.errors.ts';
import { assertKey } from './storage.names.ts';
import {
  assertRetentionChange,
  bucketLockConfig,
  type DefaultRetention,
  enableObjectLock,
  type LockRequest,
  missingLockConfiguration,
  type ObjectLockConfiguration,
  type ObjectLockState,
  type Retention,
  toState,
  validateDefaultRetention,
  versionLockState,
  writeVersionLock,
} from './storage.objectlock.ts';
import type { BucketRow } from './storage.repository.ts';
import type { StorageContext } from './storage.types.ts';
import { parseVersionId, versioningOf } from './storage.versioning.ts';
import { VersionedCore } from './storage.versions.core.ts';

export interface VersionLock extends ObjectLockState {
  key: string;
  versionId: string;
}

export class ObjectLockService extends VersionedCore {
  /** The configuration, or `{enabled: false}` (REST); S3 turns that into its 404. */
  async getObjectLockConfiguration(
    ctx: StorageContext,
    bucketName: string,
  ): Promise<ObjectLockConfiguration> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, bucketName);
    return (
      (await bucketLockConfig(this.deps.db.kysely, bucket.id)) ?? { enabled: false, defaultRetention: null }
    );
  }

  /**
   * PutObjectLockConfiguration: enables object lock on a versioning-Enabled bucket (409
   * InvalidBucketState otherwise) and sets or clears the default retention.
   */
  async putObjectLockConfiguration(
    ctx: StorageContext,
    bucketName: string,
    defaultRetention: DefaultRetention | null,
  ): Promise<ObjectLockConfiguration> {
    this.authorize(ctx, 'buckets', 'update');
    const rule = defaultRetention ? validateDefaultRetention(defaultRetention) : null;
    const bucket = await this.bucketFor(ctx, bucketName);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const fresh = (await this.deps.repo.with(trx).findBucketById(bucket.id)) ?? bucket;
      const existing = await bucketLockConfig(trx, bucket.id);
      if (!existing) {
        if (versioningOf(fresh) !== 'Enabled')
          throw new StorageError(
            'InvalidBucketState',
            "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
          );
        await enableObjectLock(trx, bucket.id, this.now());
      }
      await trx
        .updateTable('bucket_object_locks')
        .set({
          default_mode: rule?.mode ?? null,
          default_days: rule?.days ?? null,
          default_years: rule?.years ?? null,
          updated_at: this.now(),
        })
        .where('bucket_id', '=', bucket.id)
        .execute();
      await this.record(ctx, trx, 'buckets.put_object_lock', 'bucket', bucket.name, {
        bucket: bucket.name,
        defaultRetention: rule,
      });
    });
    return { enabled: true, defaultRetention: rule };
  }

  /** Before reading a body: lock headers on a bucket without object lock are 400. */
  async assertLockable(ctx: StorageContext, bucketName: string): Promise<void> {
    const bucket = await this.bucketFor(ctx, bucketName);
    if (!(await bucketLockConfig(this.deps.db.kysely, bucket.id))) throw missingLockConfiguration();
  }

  /** Retention and legal hold of the current version (or `versionId`). */
  async getObjectLock(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    versionId?: string,
  ): Promise<VersionLock> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    if (!(await bucketLockConfig(this.deps.db.kysely, bucket.id))) throw missingLockConfiguration();
    const vid = await this.targetVersion(bucket, key, versionId);
    const state = await versionLockState(this.deps.db.kysely, bucket.id, vid);
    return { key, versionId: vid, ...state };
  }

  /** PutObjectRetention (`null` removes a GOVERNANCE retention, with bypass). */
  async putRetention(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    retention: Retention | null,
    versionId?: string,
  ): Promise<VersionLock> {
    return this.change(ctx, bucketName, key, versionId, 'objects.put_retention', (current) => {
      assertRetentionChange(current.retention, retention, this.deps.clock.now().getTime(), ctx);
      return { ...current, retention };
    });
  }

  /** PutObjectLegalHold. */
  async putLegalHold(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    on: boolean,
    versionId?: string,
  ): Promise<VersionLock> {
    return this.change(ctx, bucketName, key, versionId, 'objects.put_legal_hold', (current) => ({
      ...current,
      legalHold: on,
    }));
  }

  private async change(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    versionId: string | undefined,
    action: string,
    next: (current: ObjectLockState) => ObjectLockState,
  ): Promise<VersionLock> {
    this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    if (!(await bucketLockConfig(this.deps.db.kysely, bucket.id))) throw missingLockConfiguration();
    let result: VersionLock | null = null;
    await this.locks.run(`${bucket.id}\n${key}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const vid = await this.targetVersion(bucket, key, versionId, trx);
        const current = await versionLockState(trx, bucket.id, vid);
        const state = next(current);
        await writeVersionLock(trx, bucket.id, key, vid, state);
        await this.record(ctx, trx, action, 'object', `${bucket.name}/${key}`, {
          bucket: bucket.name,
          key,
          versionId: vid,
          ...(action === 'objects.put_retention'
            ? { retention: state.retention, ...(ctx.bypassGovernance ? { bypassGovernance: true } : {}) }
            : { legalHold: state.legalHold }),
        });
        result = { key, versionId: vid, ...state };
      }),
    );
    return result as unknown as VersionLock;
  }

  /** The version a lock call addresses: `versionId`, or the current object's. */
  private async targetVersion(
    bucket: BucketRow,
    key: string,
    versionId: string | undefined,
    db = this.deps.db.kysely,
  ): Promise<string> {
    const repo = this.deps.repo.with(db);
    if (versionId === undefined) {
      const row = await repo.findObject(bucket.id, key);
      if (!row) throw await this.missingKey(bucket, key);
      if (row.version_id === null)
        throw new StorageError(
          'InvalidRequest',
          'Object Lock settings cannot be applied to the null version.',
        );
      return row.version_id;
    }
    const vid = parseVersionId(versionId);
    if (vid === null)
      throw new StorageError('InvalidRequest', 'Object Lock settings cannot be applied to the null version.');
    const vrepo = this.versionsOf(repo);
    if (await vrepo.findCurrent(bucket.id, key, vid)) return vid;
    const v = await vrepo.find(bucket.id, key, vid);
    if (!v) throw noSuchVersion(key, versionId);
    if (v.is_delete_marker)
      throw new StorageError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        {
          Method: 'PUT',
          ResourceType: 'DeleteMarker',
        },
      );
    return vid;
  }

  /** x-amz-object-lock-* response headers for GET/HEAD of a version (none for unlocked ones). */
  async headersFor(bucketName: string, versionId: string | null): Promise<Record<string, string>> {
    if (versionId === null) return {};
    const row = await this.deps.db.kysely
      .selectFrom('object_locks')
      .innerJoin('buckets', 'buckets.id', 'object_locks.bucket_id')
      .select(['object_locks.mode', 'object_locks.retain_until', 'object_locks.legal_hold'])
      .where('buckets.name', '=', bucketName)
      .where('object_locks.version_id', '=', versionId)
      .executeTakeFirst();
    return lockHeaders(toState(row));
  }

  /** CreateMultipartUpload with lock headers: kept with the upload, applied on Complete. */
  async setUploadLock(uploadId: string, lock: LockRequest): Promise<void> {
    await this.deps.db.kysely
      .insertInto('upload_object_locks')
      .values({
        upload_id: uploadId,
        mode: lock.retention?.mode ?? null,
        retain_until: lock.retention?.retainUntil ?? null,
        legal_hold: lock.legalHold === undefined ? null : lock.legalHold ? 1 : 0,
      })
      .execute();
  }
}

export function lockHeaders(state: ObjectLockState): Record<string, string> {
  const out: Record<string, string> = {};
  if (state.retention) {
    out['x-amz-object-lock-mode'] = state.retention.mode;
    out['x-amz-object-lock-retain-until-date'] = state.retention.retainUntil;
  }
  if (state.legalHold !== null) out['x-amz-object-lock-legal-hold'] = state.legalHold ? 'ON' : 'OFF';
  return out;
}
