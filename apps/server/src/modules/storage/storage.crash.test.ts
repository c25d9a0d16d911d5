/**
 * Crash safety: the real server in a child process is killed with SIGKILL while uploads,
 * overwrites and a multipart upload are in flight, then restarted on the same data dir and
 * database. Every object must be complete and correct (its bytes hash to one of the versions
 * that were sent, and to its ETag), an acknowledged write must never be lost or rolled back,
 * listings must agree with what GET returns, and after the start-up cleanup the blob files on
 * disk must be exactly the blobs the database references.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.ts';
import { ADMIN_PASSWORD, createTestDatabase } from '../../testing/test-kit.ts';
import { accessKeyFor, type ChildServer, type S3Credentials, spawnServer } from './storage.test-helpers.ts';

const MiB = 1024 * 1024;
const BUCKET = 'crash-test';
const block = randomBytes(64 * 1024);

/** Distinct content of `size` bytes, cheap to make: a shared random block stamped with an id. */
function content(size: number, id: string): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let off = 0; off < size; off += block.length)
    block.copy(b, off, 0, Math.min(block.length, size - off));
  for (let off = 0; off < size; off += 1024 * 1024)
    b.write(`${id}@${off}`.padEnd(32, '.'), off, Math.min(32, size - off));
  return b;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

function client(url: string, key: S3Credentials): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: key,
    maxAttempts: 1,
  });
}

interface KeyHistory {
  /** md5 of every version sent, in order. */
  sent: string[];
  /** index in `sent` of the last acknowledged version, or -1. */
  acked: number;
}

let server: ChildServer | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server?.kill();
  for (const c of cleanups) await c();
});

describe('crash safety', () => {
  it('kill -9 during uploads, overwrites and a multipart upload leaves every object old-or-new, never torn', async () => {
    const tdb = await createTestDatabase();
    cleanups.push(() => tdb.drop());
    const env: Record<string, string> = {
      PROXICLOUD_DATA_DIR: tdb.dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(tdb.database.kind === 'postgres' ? { DATABASE_URL: tdb.database.url! } : {}),
    };
    server = await spawnServer(env);
    const key = await accessKeyFor(server.url, 'admin', ADMIN_PASSWORD);
    let s3 = client(server.s3Url, key);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const bucketId = readdirSync(join(tdb.dataDir, 'objects')).find((d) => d.startsWith('bkt-'))!;

    const history = new Map<string, KeyHistory>();
    const record = (k: string, body: Buffer) => {
      const h = history.get(k) ?? { sent: [], acked: -1 };
      history.set(k, h);
      h.sent.push(md5(body));
      return h.sent.length - 1;
    };
    const ack = (k: string, index: number) => {
      const h = history.get(k)!;
      h.acked = Math.max(h.acked, index);
    };

    for (const [round, delayMs] of [400, 1500, 3000].entries()) {
      let stop = false;
      const work: Promise<void>[] = [];
      // overwrite loops: one writer per key, each PUT a new version of 1–6 MiB
      for (let w = 0; w < 3; w++) {
        const k = `overwrite-${w}`;
        work.push(
          (async () => {
            for (let v = 0; !stop; v++) {
              const body = content((1 + ((v + w) % 6)) * MiB, `${k}-r${round}-v${v}`);
              const index = record(k, body);
              try {
                await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: body }));
                ack(k, index);
              } catch {
                return; // the server died mid-request
              }
            }
          })(),
        );
      }
      // new objects
      work.push(
        (async () => {
          for (let i = 0; !stop; i++) {
            const k = `new/r${round}/${i}`;
            const body = content((2 + (i % 7)) * MiB + i, k);
            const index = record(k, body);
            try {
              await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: body }));
              ack(k, index);
            } catch {
              return;
            }
          }
        })(),
      );
      // a multipart upload (lib-storage, 5 MiB parts)
      const mpKey = `multipart/r${round}`;
      const mpBody = content(23 * MiB + 7, mpKey);
      const mpIndex = record(mpKey, mpBody);
      work.push(
        new Upload({
          client: s3,
          params: { Bucket: BUCKET, Key: mpKey, Body: Readable.from([mpBody]) },
          partSize: 5 * MiB,
          queueSize: 2,
        })
          .done()
          .then(
            () => ack(mpKey, mpIndex),
            () => undefined,
          ),
      );

      await new Promise((r) => setTimeout(r, delayMs));
      await server.kill();
      stop = true;
      await Promise.all(work);
      s3.destroy();
      // a blob renamed into place whose metadata never committed looks like this one
      const orphanDir = join(tdb.dataDir, 'objects', bucketId, 'blobs', 'ff');
      mkdirSync(orphanDir, { recursive: true });
      writeFileSync(join(orphanDir, `ff${randomBytes(15).toString('hex')}`), 'orphan');

      server = await spawnServer(env);
      await server.waitForLog((l) => l.job === 'storage.cleanup' && l.msg === 'job finished');
      const cleaned = server.logs.find((l) => l.msg === 'storage cleanup removed leftovers');
      const cleanup = cleaned?.report as { orphanBlobs: number } | undefined;
      expect(cleanup?.orphanBlobs ?? 0).toBeGreaterThanOrEqual(1); // the planted one
      s3 = client(server.s3Url, key);

      // every key: absent (only if never acknowledged), or exactly one version at or after the last ack
      const present = new Map<string, { md5: string; size: number }>();
      for (const [k, h] of history) {
        let body: Buffer | null = null;
        let etag: string | undefined;
        try {
          const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }));
          const chunks: Buffer[] = [];
          for await (const c of r.Body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
          body = Buffer.concat(chunks);
          etag = r.ETag;
        } catch (err) {
          if (!(err instanceof S3ServiceException && err.name === 'NoSuchKey')) throw err;
        }
        if (body === null) {
          expect(h.acked, `${k} was acknowledged but is gone`).toBe(-1);
          continue;
        }
        const got = md5(body);
        const at = h.sent.lastIndexOf(got);
        expect(at, `${k}: content matches none of the versions sent (torn write?)`).toBeGreaterThanOrEqual(0);
        expect(at, `${k}: an acknowledged write was rolled back`).toBeGreaterThanOrEqual(h.acked);
        if (!k.startsWith('multipart/')) expect(etag).toBe(`"${got}"`);
        present.set(k, { md5: got, size: body.length });
      }

      // the listing agrees with GET
      const listed = new Map<string, { size: number; etag: string }>();
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
        for (const c of page.Contents ?? []) listed.set(c.Key!, { size: c.Size!, etag: c.ETag! });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      expect([...listed.keys()].sort()).toEqual([...present.keys()].sort());
      for (const [k, v] of present) expect(listed.get(k)?.size, k).toBe(v.size);

      // blob files on disk = blobs the database references; no temp files of the dead process
      const db = openDatabase(tdb.database, { poolSize: 1 });
      try {
        const bucket = await db.kysely
          .selectFrom('buckets')
          .select('id')
          .where('name', '=', BUCKET)
          .executeTakeFirstOrThrow();
        const referenced = [
          ...(await db.kysely
            .selectFrom('objects')
            .select('blob')
            .where('bucket_id', '=', bucket.id)
            .where('blob', '!=', '')
            .execute()),
          ...(await db.kysely
            .selectFrom('object_segments')
            .select('blob')
            .where('bucket_id', '=', bucket.id)
            .execute()),
          ...(await db.kysely
            .selectFrom('multipart_parts')
            .select('blob')
            .where('bucket_id', '=', bucket.id)
            .execute()),
        ].map((r) => r.blob);
        const base = join(tdb.dataDir, 'objects', bucket.id);
        const files = readdirSync(join(base, 'blobs')).flatMap((shard) =>
          readdirSync(join(base, 'blobs', shard)),
        );
        expect(files.sort()).toEqual([...new Set(referenced)].sort());
        const boots = readdirSync(join(base, 'tmp'));
        expect(boots.length).toBeLessThanOrEqual(1);
        for (const b of boots) expect(readdirSync(join(base, 'tmp', b))).toEqual([]);
      } finally {
        await db.close();
      }
    }
    // the workload really ran: versions were sent and acknowledged across rounds
    const ackedCount = [...history.values()].filter((h) => h.acked >= 0).length;
    expect(ackedCount).toBeGreaterThan(3);
    await server.stop();
    server = null;
  }, 240_000);
});
