/**
 * Reading and deleting one specific version of an object (`?versionId=`), and the delete-marker
 * answers S3 gives for keys whose latest version is a marker.
 */
import { StorageCore } from './storage.core.ts';
import { noSuchKey, noSuchVersion, StorageError, withHeaders } from './storage.errors.ts';
import { guardVersionDelete } from './storage.objectlock.ts';
import type { BucketRow, ObjectRow } from './storage.repository.ts';
import type { StorageContext } from './storage.types.ts';
import { parseVersionId, restoreLatest, versionBlobs, versioningOf } from './storage.versioning.ts';
import type { VersionRow } from './storage.versions.repository.ts';

/** A version as an object row (noncurrent versions have the same shape). */
export function versionAsObject(v: VersionRow): ObjectRow {
  const { seq: _seq, is_delete_marker: _marker, ...fields } = v;
  return fields;
}

export const versionHeader = (versionId: string | null) => ({ 'x-amz-version-id': versionId ?? 'null' });

export class VersionedCore extends StorageCore {
  /**
   * The row and blobs of one version, leased for reading. A delete marker answers 405 (GET and
   * HEAD of a marker), an unknown version 404 NoSuchVersion.
   */
  protected async leasedVersion(
    bucket: BucketRow,
    key: string,
    rawVersionId: string,
  ): Promise<{
    row: ObjectRow;
    segments: { blob: string; size: number }[];
    release: () => void;
    current: boolean;
  }> {
    const versionId = parseVersionId(rawVersionId);
    const vrepo = this.versionsOf();
    for (let attempt = 0; attempt < 5; attempt++) {
      const cur = await vrepo.findCurrent(bucket.id, key, versionId);
      if (cur) {
        const segments = await this.segmentsOf(cur);
        const release = this.deps.engine.lease(
          bucket.id,
          segments.map((s) => s.blob),
        );
        const again = await vrepo.findCurrent(bucket.id, key, versionId);
        if (again?.id === cur.id && again.etag === cur.etag)
          return { row: cur, segments, release, current: true };
        release();
        continue;
      }
      const v = await vrepo.find(bucket.id, key, versionId);
      if (!v) {
        // it may have moved between the two tables meanwhile
        if (await vrepo.findCurrent(bucket.id, key, versionId)) continue;
        throw noSuchVersion(key, rawVersionId);
      }
      if (v.is_delete_marker)
        throw withHeaders(
          new StorageError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
            Method: 'GET',
            ResourceType: 'DeleteMarker',
          }),
          {
            'x-amz-delete-marker': 'true',
            ...versionHeader(v.version_id),
            'last-modified': new Date(v.last_modified).toUTCString(),
            allow: 'DELETE',
          },
        );
      const segments = await versionBlobs(vrepo, v);
      const release = this.deps.engine.lease(
        bucket.id,
        segments.map((s) => s.blob),
      );
      if (await vrepo.find(bucket.id, key, versionId))
        return { row: versionAsObject(v), segments, release, current: false };
      release();
    }
    throw new StorageError('ServiceUnavailable', 'The object is being rewritten; try again.');
  }

  /** NoSuchKey, with the delete-marker headers when the latest version of the key is a marker. */
  protected async missingKey(bucket: BucketRow, key: string): Promise<StorageError> {
    const err = noSuchKey(key);
    if (versioningOf(bucket) === null) {
      // a bucket whose versioning was never enabled has no markers
      return err;
    }
    const latest = await this.versionsOf().latest(bucket.id, key);
    if (latest?.is_delete_marker)
      withHeaders(err, { 'x-amz-delete-marker': 'true', ...versionHeader(latest.version_id) });
    return err;
  }

  /**
   * DeleteObject with a version id: that version is gone for good (a marker included); when it
   * was the current one, the newest remaining version becomes current.
   */
  protected async removeVersion(
    ctx: StorageContext,
    bucket: BucketRow,
    key: string,
    rawVersionId: string,
    action: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ versionId: string | null; deleteMarker: boolean; existed: boolean }> {
    const versionId = parseVersionId(rawVersionId);
    const blobs: string[] = [];
    let wasMarker = false;
    let existed = false;
    await this.locks.run(`${bucket.id}\n${key}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const vrepo = this.versionsOf(repo);
        // object lock: a locked version stays (403), unless a permitted GOVERNANCE bypass
        await guardVersionDelete(trx, bucket.id, versionId, ctx, this.deps.clock.now().getTime());
        const cur = await vrepo.findCurrent(bucket.id, key, versionId);
        if (cur) {
          existed = true;
          blobs.push(...(await this.segmentsOf(cur, repo)).map((s) => s.blob));
          await repo.deleteObjectById(cur.id);
        } else {
          const v = await vrepo.find(bucket.id, key, versionId);
          if (v) {
            existed = true;
            wasMarker = v.is_delete_marker === 1;
            blobs.push(...(await versionBlobs(vrepo, v)).map((s) => s.blob));
            await vrepo.delete(v.id);
          }
        }
        if (existed) await restoreLatest(repo, vrepo, bucket.id, key);
        await this.record(ctx, trx, action, 'object', `${bucket.name}/${key}`, {
          bucket: bucket.name,
          key,
          versionId: rawVersionId,
          ...(existed ? {} : { existed: false }),
          ...(wasMarker ? { deleteMarker: true } : {}),
          ...extra,
        });
      }),
    );
    for (const b of blobs) await this.deps.engine.removeBlobQuietly(bucket.id, b);
    return { versionId, deleteMarker: wasMarker, existed };
  }
}
