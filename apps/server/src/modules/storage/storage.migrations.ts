import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import { accessMigrations } from './storage.access.service.ts';
import { objectLockMigrations } from './storage.objectlock.ts';
import { sseMigrations } from './storage.sse.ts';

/**
 * Object keys must sort by their UTF-8 bytes (S3 lists in that order, and prefix/delimiter
 * listing relies on it). SQLite's default BINARY collation does that; PostgreSQL needs "C".
 */
function keyType(dialect: Dialect) {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}

export const storageMigrations: ModuleMigration[] = [
  {
    name: '0020_storage_buckets',
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('buckets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('storage', 'text', (c) => c.notNull())
        .addColumn('dataset', 'text')
        .addColumn('tags', 'text')
        .addColumn('cors', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('buckets_storage_check', sql`storage in ('dir', 'zfs')`)
        .execute();
      await db.schema.createIndex('buckets_owner_idx').on('buckets').column('owner_id').execute();
    },
  },
  {
    name: '0021_storage_objects',
    async up(db: Kysely<unknown>, dialect: Dialect) {
      await db.schema
        .createTable('objects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('bucket_id', 'text', (c) => c.notNull().references('buckets.id'))
        .addColumn('key', keyType(dialect), (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('parts_count', 'integer')
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('headers', 'text')
        .addColumn('metadata', 'text')
        .addColumn('checksum_algorithm', 'text')
        .addColumn('checksum_value', 'text')
        .addColumn('last_modified', 'text', (c) => c.notNull())
        .addUniqueConstraint('objects_bucket_key_unique', ['bucket_id', 'key'])
        .execute();
      await db.schema.createIndex('objects_owner_idx').on('objects').column('owner_id').execute();
      await db.schema.createIndex('objects_blob_idx').on('objects').columns(['bucket_id', 'blob']).execute();
    },
  },
  {
    name: '0022_storage_multipart',
    async up(db: Kysely<unknown>, dialect: Dialect) {
      await db.schema
        .createTable('multipart_uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('bucket_id', 'text', (c) => c.notNull().references('buckets.id'))
        .addColumn('key', keyType(dialect), (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('headers', 'text')
        .addColumn('metadata', 'text')
        .addColumn('checksum_algorithm', 'text')
        .addColumn('initiated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('multipart_uploads_bucket_key_idx')
        .on('multipart_uploads')
        .columns(['bucket_id', 'key', 'initiated_at'])
        .execute();
      await db.schema
        .createIndex('multipart_uploads_owner_idx')
        .on('multipart_uploads')
        .column('owner_id')
        .execute();
      await db.schema
        .createTable('multipart_parts')
        .addColumn('upload_id', 'text', (c) =>
          c.notNull().references('multipart_uploads.id').onDelete('cascade'),
        )
        .addColumn('part_number', 'integer', (c) => c.notNull())
        .addColumn('bucket_id', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('checksum_value', 'text')
        .addColumn('last_modified', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('multipart_parts_pk', ['upload_id', 'part_number'])
        .execute();
      await db.schema
        .createIndex('multipart_parts_blob_idx')
        .on('multipart_parts')
        .columns(['bucket_id', 'blob'])
        .execute();
    },
  },
  {
    // Multipart objects are stored as their part blobs in order (no concatenation copy).
    name: '0023_storage_segments',
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('object_segments')
        .addColumn('object_id', 'text', (c) => c.notNull().references('objects.id').onDelete('cascade'))
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('bucket_id', 'text', (c) => c.notNull())
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('object_segments_pk', ['object_id', 'idx'])
        .execute();
      await db.schema
        .createIndex('object_segments_blob_idx')
        .on('object_segments')
        .columns(['bucket_id', 'blob'])
        .execute();
    },
  },
  {
    // A repeated CompleteMultipartUpload answers the first one's result (clients retry on timeouts).
    name: '0070_storage_completed_uploads',
    async up(db: Kysely<unknown>, dialect: Dialect) {
      await db.schema
        .createTable('multipart_completed')
        .addColumn('upload_id', 'text', (c) => c.primaryKey())
        .addColumn('bucket_id', 'text', (c) => c.notNull())
        .addColumn('key', keyType(dialect), (c) => c.notNull())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('version_id', 'text')
        .addColumn('checksum_algorithm', 'text')
        .addColumn('checksum_value', 'text')
        .addColumn('completed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('multipart_completed_time_idx')
        .on('multipart_completed')
        .column('completed_at')
        .execute();
    },
  },
  {
    // Versioning: `objects` keeps the current version of each key (the hot path is unchanged);
    // noncurrent versions and delete markers live in `object_versions`, newest first by `seq`.
    name: '0071_storage_versioning',
    async up(db: Kysely<unknown>, dialect: Dialect) {
      await db.schema.alterTable('buckets').addColumn('versioning', 'text').execute();
      await db.schema.alterTable('objects').addColumn('version_id', 'text').execute();
      await db.schema.alterTable('objects').addColumn('tags', 'text').execute();
      await db.schema
        .createTable('object_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('bucket_id', 'text', (c) => c.notNull().references('buckets.id'))
        .addColumn('key', keyType(dialect), (c) => c.notNull())
        .addColumn('version_id', 'text')
        .addColumn('seq', 'text', (c) => c.notNull())
        .addColumn('is_delete_marker', 'integer', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('parts_count', 'integer')
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('headers', 'text')
        .addColumn('metadata', 'text')
        .addColumn('checksum_algorithm', 'text')
        .addColumn('checksum_value', 'text')
        .addColumn('tags', 'text')
        .addColumn('last_modified', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('object_versions_key_idx')
        .on('object_versions')
        .columns(['bucket_id', 'key', 'seq'])
        .execute();
      await db.schema
        .createIndex('object_versions_vid_idx')
        .on('object_versions')
        .columns(['bucket_id', 'version_id'])
        .execute();
      await db.schema
        .createIndex('object_versions_blob_idx')
        .on('object_versions')
        .columns(['bucket_id', 'blob'])
        .execute();
      await db.schema
        .createIndex('objects_version_idx')
        .on('objects')
        .columns(['bucket_id', 'version_id'])
        .execute();
      await db.schema
        .createTable('version_segments')
        .addColumn('version_row_id', 'text', (c) =>
          c.notNull().references('object_versions.id').onDelete('cascade'),
        )
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('bucket_id', 'text', (c) => c.notNull())
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('version_segments_pk', ['version_row_id', 'idx'])
        .execute();
      await db.schema
        .createIndex('version_segments_blob_idx')
        .on('version_segments')
        .columns(['bucket_id', 'blob'])
        .execute();
    },
  },
  {
    // Bucket lifecycle rules (JSON), applied by the storage.lifecycle job.
    name: '0130_storage_bucket_lifecycle',
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('buckets').addColumn('lifecycle', 'text').execute();
    },
  },
  ...accessMigrations,
  ...objectLockMigrations,
  ...sseMigrations,
];
