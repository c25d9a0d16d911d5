import type { ColumnType, Kysely, Selectable } from 'kysely';
import { type Executor, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

/** 64-bit sizes: PostgreSQL returns bigint as a string, SQLite as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;

export interface BucketsTable {
  id: string;
  name: string;
  owner_id: string;
  region: string;
  storage: 'dir' | 'zfs';
  dataset: string | null;
  /** JSON [{key, value}] */
  tags: string | null;
  /** JSON CorsRule[] */
  cors: string | null;
  created_at: string;
  /** null (never enabled), 'Enabled' or 'Suspended' */
  versioning: string | null;
  /** JSON LifecycleRule[] (null: no lifecycle configuration) */
  lifecycle: string | null;
}

export interface ObjectsTable {
  id: string;
  bucket_id: string;
  key: string;
  owner_id: string;
  size: BigIntColumn;
  /** MD5 hex, or `<md5-of-md5s>-N` for multipart objects (no quotes). */
  etag: string;
  /** File name of the immutable blob in the bucket's store. */
  blob: string;
  parts_count: number | null;
  content_type: string;
  /** JSON StoredHeaders */
  headers: string | null;
  /** JSON user metadata (names without x-amz-meta-) */
  metadata: string | null;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  last_modified: string;
  /** null: the "null" version (unversioned writes, or writes while versioning is suspended). */
  version_id: string | null;
  /** JSON Tag[] (object tagging) */
  tags: string | null;
}

export interface MultipartUploadsTable {
  id: string;
  bucket_id: string;
  key: string;
  owner_id: string;
  content_type: string;
  headers: string | null;
  metadata: string | null;
  checksum_algorithm: string | null;
  initiated_at: string;
}

export interface MultipartPartsTable {
  upload_id: string;
  part_number: number;
  bucket_id: string;
  size: BigIntColumn;
  etag: string;
  blob: string;
  checksum_value: string | null;
  last_modified: string;
}

/** The blobs of a multipart object, in order (objects.blob is '' for those). */
export interface ObjectSegmentsTable {
  object_id: string;
  idx: number;
  bucket_id: string;
  blob: string;
  size: BigIntColumn;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    buckets: BucketsTable;
    objects: ObjectsTable;
    object_segments: ObjectSegmentsTable;
    multipart_uploads: MultipartUploadsTable;
    multipart_parts: MultipartPartsTable;
  }
}

export type BucketRow = Selectable<BucketsTable>;
export type UploadRow = Selectable<MultipartUploadsTable>;

export interface ObjectRow extends Omit<Selectable<ObjectsTable>, 'size'> {
  size: number;
}
export interface PartRow extends Omit<Selectable<MultipartPartsTable>, 'size'> {
  size: number;
}

export interface BucketStats {
  objectCount: number;
  sizeBytes: number;
}

export interface BucketWithStats extends BucketRow, BucketStats {
  owner_username: string | null;
}

function toObjectRow(row: Selectable<ObjectsTable>): ObjectRow {
  return { ...row, size: Number(row.size) };
}

function toPartRow(row: Selectable<MultipartPartsTable>): PartRow {
  return { ...row, size: Number(row.size) };
}

/** SQL for buckets, objects and multipart uploads (Kysely only; no rules). */
export class StorageRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): StorageRepository {
    return new StorageRepository(trx);
  }

  // ---- buckets ----
  async insertBucket(row: BucketRow): Promise<void> {
    await this.db.insertInto('buckets').values(row).execute();
  }

  findBucketByName(name: string): Promise<BucketRow | undefined> {
    return this.db.selectFrom('buckets').selectAll().where('name', '=', name).executeTakeFirst();
  }

  findBucketById(id: string): Promise<BucketRow | undefined> {
    return this.db.selectFrom('buckets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Buckets visible to the actor (admins: all), by name. */
  async listBuckets(actor: Actor, page: Page | null): Promise<{ rows: BucketRow[]; total: number }> {
    let q = scope(this.db.selectFrom('buckets').selectAll(), actor).orderBy('name');
    if (page) q = q.limit(page.limit).offset(page.offset);
    const rows = await q.execute();
    const total = page
      ? toCount(
          (
            await scope(
              this.db.selectFrom('buckets').select((eb) => eb.fn.countAll().as('n')),
              actor,
            ).executeTakeFirst()
          )?.n,
        )
      : rows.length;
    return { rows, total };
  }

  /** Every bucket with its object count and bytes stored (the metrics module samples it). */
  async allBucketUsage(): Promise<
    { id: string; name: string; ownerId: string; objectCount: number; sizeBytes: number }[]
  > {
    const rows = await this.db.selectFrom('buckets').select(['id', 'name', 'owner_id']).execute();
    const stats = await this.bucketStats(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      ownerId: r.owner_id,
      objectCount: stats.get(r.id)?.objectCount ?? 0,
      sizeBytes: stats.get(r.id)?.sizeBytes ?? 0,
    }));
  }

  /** Object count and total size per bucket id. */
  async bucketStats(bucketIds: readonly string[]): Promise<Map<string, BucketStats>> {
    const out = new Map<string, BucketStats>();
    if (bucketIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('objects')
      .select((eb) => ['bucket_id', eb.fn.countAll().as('n'), eb.fn.sum<number | string>('size').as('bytes')])
      .where('bucket_id', 'in', bucketIds)
      .groupBy('bucket_id')
      .execute();
    for (const r of rows)
      out.set(r.bucket_id, { objectCount: toCount(r.n), sizeBytes: Number(r.bytes ?? 0) });
    return out;
  }

  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', 'in', [...new Set(userIds)])
      .execute();
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  allBuckets(): Promise<BucketRow[]> {
    return this.db.selectFrom('buckets').selectAll().orderBy('id').execute();
  }

  async deleteBucket(id: string): Promise<number> {
    const res = await this.db.deleteFrom('buckets').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async updateBucket(
    id: string,
    values: {
      tags?: string | null;
      cors?: string | null;
      versioning?: string | null;
      lifecycle?: string | null;
    },
  ): Promise<void> {
    await this.db.updateTable('buckets').set(values).where('id', '=', id).execute();
  }

  /** Objects, noncurrent versions or delete markers (a versioned bucket is empty only without them). */
  async bucketHasObjects(bucketId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('objects')
      .select('id')
      .where('bucket_id', '=', bucketId)
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
    const version = await this.db
      .selectFrom('object_versions')
      .select('id')
      .where('bucket_id', '=', bucketId)
      .limit(1)
      .executeTakeFirst();
    return version !== undefined;
  }

  async bucketHasUploads(bucketId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('multipart_uploads')
      .select('id')
      .where('bucket_id', '=', bucketId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  // ---- objects ----
  async findObject(bucketId: string, key: string): Promise<ObjectRow | undefined> {
    const row = await this.db
      .selectFrom('objects')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? toObjectRow(row) : undefined;
  }

  async insertObject(row: ObjectRow): Promise<void> {
    await this.db.insertInto('objects').values(row).execute();
  }

  /** Replace an existing row's content in place (same id). */
  async replaceObject(id: string, row: Omit<ObjectRow, 'id' | 'bucket_id' | 'key'>): Promise<void> {
    await this.db.updateTable('objects').set(row).where('id', '=', id).execute();
  }

  async deleteObjectById(id: string): Promise<void> {
    await this.db.deleteFrom('object_segments').where('object_id', '=', id).execute();
    await this.db.deleteFrom('objects').where('id', '=', id).execute();
  }

  /** The segments of a multipart object, in order. */
  async segments(objectId: string): Promise<{ blob: string; size: number }[]> {
    const rows = await this.db
      .selectFrom('object_segments')
      .select(['blob', 'size'])
      .where('object_id', '=', objectId)
      .orderBy('idx')
      .execute();
    return rows.map((r) => ({ blob: r.blob, size: Number(r.size) }));
  }

  /** Replace an object's segment list. */
  async setSegments(
    objectId: string,
    bucketId: string,
    segments: readonly { blob: string; size: number }[],
  ): Promise<void> {
    await this.db.deleteFrom('object_segments').where('object_id', '=', objectId).execute();
    for (let i = 0; i < segments.length; i += 500) {
      await this.db
        .insertInto('object_segments')
        .values(
          segments.slice(i, i + 500).map((seg, j) => ({
            object_id: objectId,
            idx: i + j,
            bucket_id: bucketId,
            blob: seg.blob,
            size: seg.size,
          })),
        )
        .execute();
    }
  }

  /**
   * Up to `limit` objects of a bucket with key > `after` (or >= `from`), in key (byte) order.
   */
  async listObjects(
    bucketId: string,
    bounds: { after?: string | null; from?: string | null },
    limit: number,
  ): Promise<ObjectRow[]> {
    let q = this.db.selectFrom('objects').selectAll().where('bucket_id', '=', bucketId);
    if (bounds.after != null) q = q.where('key', '>', bounds.after);
    if (bounds.from != null) q = q.where('key', '>=', bounds.from);
    const rows = await q.orderBy('key').limit(limit).execute();
    return rows.map(toObjectRow);
  }

  /** Which of these blob names are referenced by an object or a part of this bucket. */
  async referencedBlobs(bucketId: string, blobs: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < blobs.length; i += 500) {
      const chunk = blobs.slice(i, i + 500);
      const a = await this.db
        .selectFrom('objects')
        .select('blob')
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', chunk)
        .execute();
      const b = await this.db
        .selectFrom('multipart_parts')
        .select('blob')
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', chunk)
        .execute();
      const c = await this.db
        .selectFrom('object_segments')
        .select('blob')
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', chunk)
        .execute();
      const d = await this.db
        .selectFrom('object_versions')
        .select('blob')
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', chunk)
        .execute();
      const e = await this.db
        .selectFrom('version_segments')
        .select('blob')
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', chunk)
        .execute();
      for (const r of [...a, ...b, ...c, ...d, ...e]) found.add(r.blob);
    }
    return found;
  }

  /** Every blob a bucket references (objects and parts), for consistency checks. */
  async allBlobs(bucketId: string): Promise<string[]> {
    const a = await this.db
      .selectFrom('objects')
      .select('blob')
      .where('bucket_id', '=', bucketId)
      .where('blob', '!=', '')
      .execute();
    const b = await this.db
      .selectFrom('multipart_parts')
      .select('blob')
      .where('bucket_id', '=', bucketId)
      .execute();
    const c = await this.db
      .selectFrom('object_segments')
      .select('blob')
      .where('bucket_id', '=', bucketId)
      .execute();
    const d = await this.db
      .selectFrom('object_versions')
      .select('blob')
      .where('bucket_id', '=', bucketId)
      .where('blob', '!=', '')
      .execute();
    const e = await this.db
      .selectFrom('version_segments')
      .select('blob')
      .where('bucket_id', '=', bucketId)
      .execute();
    return [...a, ...b, ...c, ...d, ...e].map((r) => r.blob);
  }

  // ---- multipart ----
  async insertUpload(row: UploadRow): Promise<void> {
    await this.db.insertInto('multipart_uploads').values(row).execute();
  }

  findUpload(id: string): Promise<UploadRow | undefined> {
    return this.db.selectFrom('multipart_uploads').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async deleteUpload(id: string): Promise<void> {
    await this.db.deleteFrom('multipart_parts').where('upload_id', '=', id).execute();
    await this.db.deleteFrom('multipart_uploads').where('id', '=', id).execute();
  }

  /** Uploads of a bucket ordered by (key, initiated_at, id), after the markers. */
  async listUploads(
    bucketId: string,
    opts: { prefix?: string; keyMarker?: string; uploadIdMarker?: string; from?: string },
    limit: number,
  ): Promise<UploadRow[]> {
    let q = this.db.selectFrom('multipart_uploads').selectAll().where('bucket_id', '=', bucketId);
    if (opts.prefix) q = q.where('key', '>=', opts.prefix);
    if (opts.from != null) q = q.where('key', '>', opts.from);
    if (opts.keyMarker) {
      const marker = opts.keyMarker;
      // within a key, uploads are ordered by initiation time (then id): continue after the marker upload
      const at = opts.uploadIdMarker ? await this.findUpload(opts.uploadIdMarker) : undefined;
      if (at && at.key === marker) {
        const t = at.initiated_at;
        const idm = at.id;
        q = q.where((eb) =>
          eb.or([
            eb('key', '>', marker),
            eb.and([
              eb('key', '=', marker),
              eb.or([eb('initiated_at', '>', t), eb.and([eb('initiated_at', '=', t), eb('id', '>', idm)])]),
            ]),
          ]),
        );
      } else {
        q = q.where('key', '>', marker);
      }
    }
    return q.orderBy('key').orderBy('initiated_at').orderBy('id').limit(limit).execute();
  }

  uploadsInitiatedBefore(before: string, limit: number): Promise<UploadRow[]> {
    return this.db
      .selectFrom('multipart_uploads')
      .selectAll()
      .where('initiated_at', '<', before)
      .orderBy('initiated_at')
      .limit(limit)
      .execute();
  }

  async findPart(uploadId: string, partNumber: number): Promise<PartRow | undefined> {
    const row = await this.db
      .selectFrom('multipart_parts')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .where('part_number', '=', partNumber)
      .executeTakeFirst();
    return row ? toPartRow(row) : undefined;
  }

  async insertPart(row: PartRow): Promise<void> {
    await this.db.insertInto('multipart_parts').values(row).execute();
  }

  async replacePart(row: PartRow): Promise<void> {
    await this.db
      .updateTable('multipart_parts')
      .set({
        size: row.size,
        etag: row.etag,
        blob: row.blob,
        checksum_value: row.checksum_value,
        last_modified: row.last_modified,
      })
      .where('upload_id', '=', row.upload_id)
      .where('part_number', '=', row.part_number)
      .execute();
  }

  async listParts(uploadId: string, afterPart = 0, limit = 100_000): Promise<PartRow[]> {
    const rows = await this.db
      .selectFrom('multipart_parts')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .where('part_number', '>', afterPart)
      .orderBy('part_number')
      .limit(limit)
      .execute();
    return rows.map(toPartRow);
  }

  // ---- ownership ----
  async countOwnedBuckets(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('buckets')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', userId)
      .executeTakeFirst();
    return toCount(row?.n);
  }

  async reassignOwner(fromUserId: string, toUserId: string): Promise<void> {
    await this.db
      .updateTable('buckets')
      .set({ owner_id: toUserId })
      .where('owner_id', '=', fromUserId)
      .execute();
    await this.db
      .updateTable('objects')
      .set({ owner_id: toUserId })
      .where('owner_id', '=', fromUserId)
      .execute();
    await this.db
      .updateTable('multipart_uploads')
      .set({ owner_id: toUserId })
      .where('owner_id', '=', fromUserId)
      .execute();
    await this.db
      .updateTable('object_versions')
      .set({ owner_id: toUserId })
      .where('owner_id', '=', fromUserId)
      .execute();
  }
}
