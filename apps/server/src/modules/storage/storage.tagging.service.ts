/** Object tagging: Put/Get/DeleteObjectTagging (current object or one version). */
import { validateTags } from './storage.core.ts';
import { noSuchVersion, StorageError } from './storage.errors.ts';
import { assertKey } from './storage.names.ts';
import type { StorageContext, Tag } from './storage.types.ts';
import { parseVersionId } from './storage.versioning.ts';
import { VersionedCore } from './storage.versions.core.ts';

/** S3 allows at most 10 tags per object. */
export const MAX_OBJECT_TAGS = 10;

export function validateObjectTags(tags: Tag[]): void {
  if (tags.length > MAX_OBJECT_TAGS)
    throw new StorageError('InvalidTag', `Object tags cannot be greater than ${MAX_OBJECT_TAGS}`);
  validateTags(tags);
}

/** `x-amz-tagging: k1=v1&k2=v2` (URL query encoding). */
export function parseTaggingHeader(value: string): Tag[] {
  const tags: Tag[] = [];
  for (const [key, v] of new URLSearchParams(value)) tags.push({ key, value: v });
  validateObjectTags(tags);
  return tags;
}

export class ObjectTagsService extends VersionedCore {
  async getObjectTags(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    versionId?: string,
  ): Promise<{ tags: Tag[]; versionId: string | null; versioned: boolean }> {
    this.authorize(ctx, 'objects', 'read');
    assertKey(key);
    const bucket = await this.bucketFor(ctx, bucketName);
    if (versionId !== undefined) {
      const { row, release } = await this.leasedVersion(bucket, key, versionId);
      release();
      return { tags: this.toObjectInfo(bucket, row).tags, versionId: row.version_id, versioned: true };
    }
    const row = await this.deps.repo.findObject(bucket.id, key);
    if (!row) throw await this.missingKey(bucket, key);
    return {
      tags: this.toObjectInfo(bucket, row).tags,
      versionId: row.version_id,
      versioned: bucket.versioning !== null,
    };
  }

  /** Replace (or with null, remove) the tags of the current object or of one version. */
  async putObjectTags(
    ctx: StorageContext,
    bucketName: string,
    key: string,
    tags: Tag[] | null,
    versionId?: string,
  ): Promise<{ versionId: string | null; versioned: boolean }> {
    this.authorize(ctx, 'objects', 'write');
    assertKey(key);
    if (tags) validateObjectTags(tags);
    const bucket = await this.bucketFor(ctx, bucketName);
    const value = tags && tags.length > 0 ? JSON.stringify(tags) : null;
    let found: string | null | undefined;
    await this.locks.run(`${bucket.id}\n${key}`, () =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const vrepo = this.versionsOf(repo);
        if (versionId === undefined) {
          const row = await repo.findObject(bucket.id, key);
          if (!row) throw await this.missingKey(bucket, key);
          await trx.updateTable('objects').set({ tags: value }).where('id', '=', row.id).execute();
          found = row.version_id;
        } else {
          const vid = parseVersionId(versionId);
          const cur = await vrepo.findCurrent(bucket.id, key, vid);
          if (cur) await trx.updateTable('objects').set({ tags: value }).where('id', '=', cur.id).execute();
          else {
            const v = await vrepo.find(bucket.id, key, vid);
            if (!v || v.is_delete_marker) throw noSuchVersion(key, versionId);
            await trx.updateTable('object_versions').set({ tags: value }).where('id', '=', v.id).execute();
          }
          found = vid;
        }
        await this.record(
          ctx,
          trx,
          tags ? 'objects.put_tagging' : 'objects.delete_tagging',
          'object',
          `${bucket.name}/${key}`,
          {
            bucket: bucket.name,
            key,
            ...(tags ? { tags: tags.length } : {}),
            ...(versionId ? { versionId } : {}),
          },
        );
      }),
    );
    return { versionId: found ?? null, versioned: bucket.versioning !== null || versionId !== undefined };
  }
}
