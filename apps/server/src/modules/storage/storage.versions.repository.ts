/**
 * SQL for object versions (noncurrent versions and delete markers) and for the results of
 * completed multipart uploads. The current version of a key stays in `objects`.
 */
import type { ColumnType, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { ObjectRow } from './storage.repository.ts';

type BigIntColumn = ColumnType<number | string, number, number>;

export interface ObjectVersionsTable {
  id: string;
  bucket_id: string;
  key: string;
  /** null: the "null" version. */
  version_id: string | null;
  /** Zero-padded, increasing: newer versions of a key sort after older ones. */
  seq: string;
  is_delete_marker: number;
  owner_id: string;
  size: BigIntColumn;
  etag: string;
  blob: string;
  parts_count: number | null;
  content_type: string;
  headers: string | null;
  metadata: string | null;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  tags: string | null;
  last_modified: string;
}

export interface VersionSegmentsTable {
  version_row_id: string;
  idx: number;
  bucket_id: string;
  blob: string;
  size: BigIntColumn;
}

export interface MultipartCompletedTable {
  upload_id: string;
  bucket_id: string;
  key: string;
  etag: string;
  size: BigIntColumn;
  version_id: string | null;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  completed_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    object_versions: ObjectVersionsTable;
    version_segments: VersionSegmentsTable;
    multipart_completed: MultipartCompletedTable;
  }
}

export interface VersionRow extends Omit<Selectable<ObjectVersionsTable>, 'size'> {
  size: number;
}

export interface CompletedRow extends Omit<Selectable<MultipartCompletedTable>, 'size'> {
  size: number;
}

/** One entry of a version listing: the current object (is_current = 1) or a versions row. */
export interface ListedVersion {
  key: string;
  version_id: string | null;
  seq: string;
  is_current: number;
  is_delete_marker: number;
  size: number;
  etag: string;
  owner_id: string;
  last_modified: string;
  checksum_algorithm: string | null;
}

/** Where a version listing continues. */
export type VersionCursor =
  | { kind: 'from'; key: string }
  | { kind: 'after-key'; key: string }
  | { kind: 'after-current'; key: string }
  | { kind: 'after-seq'; key: string; seq: string };

const toVersionRow = (r: Selectable<ObjectVersionsTable>): VersionRow => ({ ...r, size: Number(r.size) });

export class VersionsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): VersionsRepository {
    return new VersionsRepository(trx);
  }

  async insert(row: VersionRow): Promise<void> {
    await this.db.insertInto('object_versions').values(row).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('version_segments').where('version_row_id', '=', id).execute();
    await this.db.deleteFrom('object_versions').where('id', '=', id).execute();
  }

  /** The versions row of a key with this version id (null: the null version). */
  async find(bucketId: string, key: string, versionId: string | null): Promise<VersionRow | undefined> {
    let q = this.db
      .selectFrom('object_versions')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .where('key', '=', key);
    q = versionId === null ? q.where('version_id', 'is', null) : q.where('version_id', '=', versionId);
    const row = await q.executeTakeFirst();
    return row ? toVersionRow(row) : undefined;
  }

  /** The newest versions row of a key (a delete marker or a noncurrent version). */
  async latest(bucketId: string, key: string): Promise<VersionRow | undefined> {
    const row = await this.db
      .selectFrom('object_versions')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .where('key', '=', key)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toVersionRow(row) : undefined;
  }

  /** The current object of a key when it has this version id. */
  async findCurrent(bucketId: string, key: string, versionId: string | null): Promise<ObjectRow | undefined> {
    let q = this.db
      .selectFrom('objects')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .where('key', '=', key);
    q = versionId === null ? q.where('version_id', 'is', null) : q.where('version_id', '=', versionId);
    const row = await q.executeTakeFirst();
    return row ? { ...row, size: Number(row.size) } : undefined;
  }

  async segments(rowId: string): Promise<{ blob: string; size: number }[]> {
    const rows = await this.db
      .selectFrom('version_segments')
      .select(['blob', 'size'])
      .where('version_row_id', '=', rowId)
      .orderBy('idx')
      .execute();
    return rows.map((r) => ({ blob: r.blob, size: Number(r.size) }));
  }

  async setSegments(
    rowId: string,
    bucketId: string,
    segments: readonly { blob: string; size: number }[],
  ): Promise<void> {
    for (let i = 0; i < segments.length; i += 500) {
      await this.db
        .insertInto('version_segments')
        .values(
          segments.slice(i, i + 500).map((seg, j) => ({
            version_row_id: rowId,
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
   * Current objects and versions rows of a bucket in listing order: key, then the current
   * object, then newer before older.
   */
  async list(bucketId: string, cursor: VersionCursor | null, limit: number): Promise<ListedVersion[]> {
    const cols = [
      'key',
      'version_id',
      'is_delete_marker',
      'size',
      'etag',
      'owner_id',
      'last_modified',
      'checksum_algorithm',
    ] as const;
    let current = this.db
      .selectFrom('objects')
      .select([
        'key',
        'version_id',
        sql<string>`''`.as('seq'),
        sql<number>`1`.as('is_current'),
        sql<number>`0`.as('is_delete_marker'),
        'size',
        'etag',
        'owner_id',
        'last_modified',
        'checksum_algorithm',
      ])
      .where('bucket_id', '=', bucketId);
    let versions = this.db
      .selectFrom('object_versions')
      .select([cols[0], cols[1], 'seq', sql<number>`0`.as('is_current'), ...cols.slice(2)])
      .where('bucket_id', '=', bucketId);
    if (cursor) {
      const k = cursor.key;
      switch (cursor.kind) {
        case 'from':
          current = current.where('key', '>=', k);
          versions = versions.where('key', '>=', k);
          break;
        case 'after-key':
          current = current.where('key', '>', k);
          versions = versions.where('key', '>', k);
          break;
        case 'after-current':
          current = current.where('key', '>', k);
          versions = versions.where('key', '>=', k);
          break;
        case 'after-seq': {
          const seq = cursor.seq;
          current = current.where('key', '>', k);
          versions = versions.where((eb) =>
            eb.or([eb('key', '>', k), eb.and([eb('key', '=', k), eb('seq', '<', seq)])]),
          );
          break;
        }
      }
    }
    const rows = await current
      .unionAll(versions)
      .orderBy('key')
      .orderBy('is_current', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, size: Number(r.size) }) as ListedVersion);
  }

  // ---- completed multipart uploads ----
  async insertCompleted(row: CompletedRow): Promise<void> {
    await this.db.insertInto('multipart_completed').values(row).execute();
  }

  async findCompleted(uploadId: string): Promise<CompletedRow | undefined> {
    const row = await this.db
      .selectFrom('multipart_completed')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .executeTakeFirst();
    return row ? { ...row, size: Number(row.size) } : undefined;
  }

  async deleteCompletedBefore(before: string): Promise<number> {
    const res = await this.db
      .deleteFrom('multipart_completed')
      .where('completed_at', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async deleteCompletedOfBucket(bucketId: string): Promise<void> {
    await this.db.deleteFrom('multipart_completed').where('bucket_id', '=', bucketId).execute();
  }
}
