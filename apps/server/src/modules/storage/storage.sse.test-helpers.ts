/** Helpers for the server-side encryption tests (never imported by production code). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StorageTest } from './storage.test-helpers.ts';

export const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
export const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
export const ssec = (key: Buffer) => ({
  SSECustomerAlgorithm: 'AES256',
  SSECustomerKey: key.toString('base64'),
});
export const copySsec = (key: Buffer) => ({
  CopySourceSSECustomerAlgorithm: 'AES256',
  CopySourceSSECustomerKey: key.toString('base64'),
});
/** Recognisable plaintext longer than a few 64 KiB chunks. */
export const body = (size: number, seed = 'plaintext-marker') =>
  Buffer.from(seed.repeat(Math.ceil(size / seed.length)).slice(0, size), 'latin1');

export async function bytes(p: Promise<{ Body?: unknown }>): Promise<Buffer> {
  const res = await p;
  return Buffer.from(
    await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** Look at what the server stored: bucket ids, blob files on disk, key rows. */
export function sseInspector(t: StorageTest) {
  async function bucketId(name: string): Promise<string> {
    const row = await t.ctx.db.kysely
      .selectFrom('buckets')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The blob files (on disk) behind an object's current version. */
  async function blobFiles(
    bucket: string,
    key: string,
  ): Promise<{ id: string; blobs: string[]; files: Buffer[] }> {
    const id = await bucketId(bucket);
    const row = await t.ctx.db.kysely
      .selectFrom('objects')
      .select(['id', 'blob'])
      .where('bucket_id', '=', id)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    const blobs = row.blob
      ? [row.blob]
      : (
          await t.ctx.db.kysely
            .selectFrom('object_segments')
            .select('blob')
            .where('object_id', '=', row.id)
            .orderBy('idx')
            .execute()
        ).map((s) => s.blob);
    const files = blobs.map((b) => readFileSync(t.ctx.app.storage.engine.blobPath(id, b)));
    return { id, blobs, files };
  }

  async function keyRows(bucket: string) {
    return t.ctx.db.kysely
      .selectFrom('blob_keys')
      .selectAll()
      .where('bucket_id', '=', await bucketId(bucket))
      .execute();
  }
  return { bucketId, blobFiles, keyRows };
}
