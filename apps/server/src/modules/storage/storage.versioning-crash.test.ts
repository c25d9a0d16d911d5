/**
 * Crash safety of versioned writes: the real server in a child process is killed with SIGKILL
 * while a PUT to a versioned bucket is half-way through its body, then restarted on the same
 * data dir and database. No version may be left half-written, the previous version must still
 * be current, every version's bytes intact, and the blob files on disk exactly the blobs the
 * database references (current and noncurrent).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestDatabase } from '../../testing/test-kit.ts';
import {
  accessKeyFor,
  type ChildServer,
  type S3Credentials,
  signHeaders,
  spawnServer,
} from './storage.test-helpers.ts';

const MiB = 1024 * 1024;
const BUCKET = 'crash-versions';
const md5 = (b: Buffer | Uint8Array) => createHash('md5').update(b).digest('hex');

function client(url: string, key: S3Credentials): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: key,
    maxAttempts: 1,
  });
}

async function body(s3: S3Client, versionId?: string): Promise<Buffer> {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc', VersionId: versionId }));
  const chunks: Buffer[] = [];
  for await (const c of r.Body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Bytes of every temp file of a bucket (an upload in progress writes one). */
function tempBytes(dataDir: string): number {
  const objects = join(dataDir, 'objects');
  let total = 0;
  for (const b of readdirSync(objects).filter((d) => d.startsWith('bkt-'))) {
    const tmp = join(objects, b, 'tmp');
    if (!existsSync(tmp)) continue;
    for (const boot of readdirSync(tmp))
      for (const f of readdirSync(join(tmp, boot))) total += statSync(join(tmp, boot, f)).size;
  }
  return total;
}

let server: ChildServer | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server?.kill();
  for (const c of cleanups) await c();
});

describe('crash safety of versioned writes', () => {
  it('kill -9 during a PUT to a versioned bucket: no half version, the previous one stays current', async () => {
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
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = randomBytes(256 * 1024);
    const v2 = randomBytes(512 * 1024);
    const id1 = (await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'doc', Body: v1 }))).VersionId!;
    const id2 = (await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'doc', Body: v2 }))).VersionId!;

    // a third version: send half of its body, wait until the server is writing it, then kill -9
    const size = 8 * MiB;
    const { headers, path } = await signHeaders(server.s3Url, key, {
      method: 'PUT',
      path: `/${BUCKET}/doc`,
      payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'content-length': String(size) },
    });
    const u = new URL(server.s3Url);
    const req = request({ host: u.hostname, port: u.port, method: 'PUT', path, headers });
    const failed = new Promise<void>((resolve) => {
      req.on('error', () => resolve());
      req.on('response', () => resolve());
    });
    req.write(randomBytes(size / 2));
    for (let i = 0; i < 500 && tempBytes(tdb.dataDir) < MiB; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempBytes(tdb.dataDir)).toBeGreaterThanOrEqual(MiB);
    await server.kill();
    await failed;

    server = await spawnServer(env);
    await server.waitForLog((l) => l.job === 'storage.cleanup' && l.msg === 'job finished');
    s3 = client(server.s3Url, key);
    expect(md5(await body(s3))).toBe(md5(v2));
    expect(md5(await body(s3, id1))).toBe(md5(v1));
    const l = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    expect(l.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size])).toEqual([
      [id2, true, v2.length],
      [id1, false, v1.length],
    ]);
    expect(l.DeleteMarkers ?? []).toEqual([]);
    // nothing of the half upload is left on disk
    expect(tempBytes(tdb.dataDir)).toBe(0);
    const bucketDir = readdirSync(join(tdb.dataDir, 'objects')).find((d) => d.startsWith('bkt-'))!;
    const blobs = readdirSync(join(tdb.dataDir, 'objects', bucketDir, 'blobs')).flatMap((shard) =>
      readdirSync(join(tdb.dataDir, 'objects', bucketDir, 'blobs', shard)),
    );
    expect(blobs.length).toBe(2); // v1 and v2, nothing else
    await server.stop();
    server = null;
  }, 120_000);
});
