/**
 * Large objects through the real server in a child process: a multipart upload (lib-storage,
 * parallel parts) and a download, hashed on both sides, while the server's resident memory is
 * measured from /proc. 64 MiB in the default suite; 1 GiB with PROXICLOUD_TEST_LARGE=1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestDatabase } from '../../testing/test-kit.ts';
import { accessKeyFor, type ChildServer, spawnServer } from './storage.test-helpers.ts';

const MiB = 1024 * 1024;
const LARGE = process.env.PROXICLOUD_TEST_LARGE === '1';
const SIZE = LARGE ? 1024 * MiB : 64 * MiB;
/** The server may grow by at most this much while moving SIZE bytes through it. */
const MAX_GROWTH = 160 * MiB;

let server: ChildServer | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server?.stop();
  for (const c of cleanups) await c();
});

describe(`large object (${SIZE / MiB} MiB${LARGE ? '' : '; PROXICLOUD_TEST_LARGE=1 for 1 GiB'})`, () => {
  it(
    'multipart upload and download with checksums; server memory stays bounded',
    async () => {
      const tdb = await createTestDatabase();
      cleanups.push(() => tdb.drop());
      server = await spawnServer({
        PROXICLOUD_DATA_DIR: tdb.dataDir,
        PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PROXICLOUD_LOG_LEVEL: 'info',
        ...(tdb.database.kind === 'postgres' ? { DATABASE_URL: tdb.database.url! } : {}),
      });
      const key = await accessKeyFor(server.url, 'admin', ADMIN_PASSWORD);
      const s3 = new S3Client({
        endpoint: server.s3Url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: key,
        maxAttempts: 1,
      });
      cleanups.push(async () => s3.destroy());
      await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
      const before = server.memory();

      // generated on the fly: the test process does not hold the object either
      const block = randomBytes(MiB);
      const up = createHash('sha256');
      let produced = 0;
      const source = Readable.from(
        (function* () {
          while (produced < SIZE) {
            const piece = Buffer.from(block);
            piece.writeUInt32LE(produced / MiB, 0);
            up.update(piece);
            produced += piece.length;
            yield piece;
          }
        })(),
      );
      let peak = before.hwm;
      const sampler = setInterval(() => {
        try {
          peak = Math.max(peak, server!.memory().rss);
        } catch {
          // process gone
        }
      }, 100);
      try {
        const t0 = Date.now();
        const result = await new Upload({
          client: s3,
          params: { Bucket: 'large', Key: 'big.bin', Body: source },
          partSize: 16 * MiB,
          queueSize: 4,
        }).done();
        const uploadMs = Date.now() - t0;
        expect(result.ETag).toMatch(new RegExp(`^"[0-9a-f]{32}-${Math.ceil(SIZE / (16 * MiB))}"$`));
        const head = await s3.send(new HeadObjectCommand({ Bucket: 'large', Key: 'big.bin' }));
        expect(head.ContentLength).toBe(SIZE);

        const t1 = Date.now();
        const get = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'big.bin' }));
        const down = createHash('sha256');
        let received = 0;
        for await (const c of get.Body as AsyncIterable<Uint8Array>) {
          down.update(c);
          received += c.length;
        }
        const downloadMs = Date.now() - t1;
        expect(received).toBe(SIZE);
        expect(down.digest('hex')).toBe(up.digest('hex'));

        const after = server.memory();
        peak = Math.max(peak, after.hwm);
        const growth = peak - before.hwm;
        console.log(
          `[storage] ${SIZE / MiB} MiB: upload ${((SIZE / MiB / uploadMs) * 1000).toFixed(0)} MiB/s, download ${((SIZE / MiB / downloadMs) * 1000).toFixed(0)} MiB/s, server RSS peak ${(peak / MiB).toFixed(0)} MiB (start ${(before.hwm / MiB).toFixed(0)} MiB, growth ${(growth / MiB).toFixed(0)} MiB)`,
        );
        expect(growth).toBeLessThan(MAX_GROWTH);
      } finally {
        clearInterval(sampler);
      }
    },
    LARGE ? 900_000 : 180_000,
  );
});
