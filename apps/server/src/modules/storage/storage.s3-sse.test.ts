/**
 * Server-side encryption over real HTTP with the AWS SDK v3: SSE-S3 and SSE-C round trips, range reads
 * across chunks and parts, multipart with SSE-C, versions with their own keys, wrong and missing keys,
 * ciphertext on disk, key rows removed with their blobs (storage.s3-sse-modes.test.ts: copies, bucket
 * defaults, header errors, master-key rotation).
 */
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, bytes, md5b64, md5hex, ssec, sseInspector } from './storage.sse.test-helpers.ts';
import { type S3User, type StorageTest, s3err, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let blobFiles: ReturnType<typeof sseInspector>['blobFiles'];
let keyRows: ReturnType<typeof sseInspector>['keyRows'];

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  ({ blobFiles, keyRows } = sseInspector(t));
});
afterAll(async () => {
  await t?.close();
});

describe('SSE-S3 (x-amz-server-side-encryption: AES256)', () => {
  const B = 'sse-s3';
  const data = body(200_000);
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  });

  it('round-trips, answers the header on PUT/GET/HEAD, keeps the MD5 ETag and only ciphertext on disk', async () => {
    const put = await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 'a.txt', Body: data, ServerSideEncryption: 'AES256' }),
    );
    expect(put.ServerSideEncryption).toBe('AES256');
    expect(put.ETag).toBe(`"${md5hex(data)}"`);
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'a.txt' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.ContentLength).toBe(data.length);
    const get = alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'a.txt' }));
    expect((await get).ServerSideEncryption).toBe('AES256');
    expect((await bytes(get)).equals(data)).toBe(true);

    const { files } = await blobFiles(B, 'a.txt');
    // 200 000 bytes = 4 chunks of 64 KiB → 4 tags of 16 bytes
    expect(files[0]!.length).toBe(data.length + 4 * 16);
    expect(files[0]!.includes(Buffer.from('plaintext-marker'))).toBe(false);
    const rows = await keyRows(B);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ mode: 'AES256', key_fingerprint: null });
    expect(rows[0]!.wrapped_key).toBeTruthy();
    expect(rows[0]!.kek_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('serves ranges inside, across and at the ends of 64 KiB chunks', async () => {
    const cases: [number, number][] = [
      [0, 0],
      [0, 65_535],
      [65_535, 65_536],
      [65_530, 131_080],
      [100, 199_999],
      [196_608, 199_999],
      [199_999, 199_999],
    ];
    for (const [s, e] of cases) {
      const got = await bytes(
        alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'a.txt', Range: `bytes=${s}-${e}` })),
      );
      expect(got.equals(data.subarray(s, e + 1)), `bytes=${s}-${e}`).toBe(true);
    }
    const suffix = await bytes(
      alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'a.txt', Range: 'bytes=-70000' })),
    );
    expect(suffix.equals(data.subarray(data.length - 70_000))).toBe(true);
  });

  it('encrypts empty objects and exact multiples of the chunk size', async () => {
    for (const size of [0, 65_536, 131_072]) {
      const d = body(size, 'edge');
      await alice.s3.send(
        new PutObjectCommand({ Bucket: B, Key: `edge-${size}`, Body: d, ServerSideEncryption: 'AES256' }),
      );
      expect(
        (await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: `edge-${size}` })))).equals(d),
      ).toBe(true);
    }
  });

  it('a delete removes the blob key', async () => {
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 'gone', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    const before = (await keyRows(B)).length;
    await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone' }));
    expect((await keyRows(B)).length).toBe(before - 1);
  });
});

describe('SSE-C (customer-provided keys)', () => {
  const B = 'sse-c';
  const key = randomBytes(32);
  const other = randomBytes(32);
  const data = body(150_000, 'customer-secret-data');
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'c.bin', Body: data, ...ssec(key) }));
  });

  it('needs the key on GET and HEAD: 400 without it, 403 with a wrong one', async () => {
    expect(await s3err(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'c.bin' })))).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
    });
    expect((await s3err(alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c.bin' })))).status).toBe(400);
    expect(
      await s3err(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'c.bin', ...ssec(other) }))),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(
      (await s3err(alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c.bin', ...ssec(other) })))).status,
    ).toBe(403);
  });

  it('round-trips with the key, echoes its MD5, hides the MD5 of the data in the ETag, stores no key', async () => {
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'c.bin', ...ssec(key) }));
    expect(head.SSECustomerAlgorithm).toBe('AES256');
    expect(head.SSECustomerKeyMD5).toBe(md5b64(key));
    expect(head.ServerSideEncryption).toBeUndefined();
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(head.ETag).not.toBe(`"${md5hex(data)}"`);
    const got = await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'c.bin', ...ssec(key) })));
    expect(got.equals(data)).toBe(true);
    const part = await bytes(
      alice.s3.send(
        new GetObjectCommand({ Bucket: B, Key: 'c.bin', Range: 'bytes=65000-70000', ...ssec(key) }),
      ),
    );
    expect(part.equals(data.subarray(65_000, 70_001))).toBe(true);

    const { files } = await blobFiles(B, 'c.bin');
    expect(files[0]!.includes(Buffer.from('customer-secret-data'))).toBe(false);
    const rows = await keyRows(B);
    expect(rows[0]).toMatchObject({ mode: 'SSE-C', wrapped_key: null, kek_id: null });
    const stored = JSON.stringify(rows);
    for (const form of [key.toString('base64'), key.toString('hex'), md5b64(key)])
      expect(stored).not.toContain(form);
  });

  it('refuses SSE-C headers on an object that is not SSE-C', async () => {
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'plain', Body: 'p' }));
    expect(
      await s3err(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'plain', ...ssec(key) }))),
    ).toMatchObject({
      status: 400,
    });
  });

  it('multipart: every part carries the key; the object reads back across part boundaries', async () => {
    const part1 = body(5 * 1024 * 1024, 'part-one-');
    const part2 = body(100_000, 'part-two-');
    const up = await alice.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp', ...ssec(key) }));
    expect(up.SSECustomerKeyMD5).toBe(md5b64(key));
    const p1 = await alice.s3.send(
      new UploadPartCommand({
        Bucket: B,
        Key: 'mp',
        UploadId: up.UploadId,
        PartNumber: 1,
        Body: part1,
        ...ssec(key),
      }),
    );
    expect(p1.SSECustomerAlgorithm).toBe('AES256');
    const missing = await s3err(
      alice.s3.send(
        new UploadPartCommand({ Bucket: B, Key: 'mp', UploadId: up.UploadId, PartNumber: 2, Body: part2 }),
      ),
    );
    expect(missing.status).toBe(400);
    const wrong = await s3err(
      alice.s3.send(
        new UploadPartCommand({
          Bucket: B,
          Key: 'mp',
          UploadId: up.UploadId,
          PartNumber: 2,
          Body: part2,
          ...ssec(other),
        }),
      ),
    );
    expect(wrong.status).toBe(400);
    const p2 = await alice.s3.send(
      new UploadPartCommand({
        Bucket: B,
        Key: 'mp',
        UploadId: up.UploadId,
        PartNumber: 2,
        Body: part2,
        ...ssec(key),
      }),
    );
    await alice.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'mp',
        UploadId: up.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
        ...ssec(key),
      }),
    );
    const all = Buffer.concat([part1, part2]);
    expect(
      (await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'mp', ...ssec(key) })))).equals(all),
    ).toBe(true);
    const s = part1.length - 10;
    const across = await bytes(
      alice.s3.send(
        new GetObjectCommand({ Bucket: B, Key: 'mp', Range: `bytes=${s}-${s + 99}`, ...ssec(key) }),
      ),
    );
    expect(across.equals(all.subarray(s, s + 100))).toBe(true);
    expect((await s3err(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'mp' })))).status).toBe(400);
    const { files } = await blobFiles(B, 'mp');
    expect(files).toHaveLength(2);
    for (const f of files) expect(f.includes(Buffer.from('part-one-part-one-'))).toBe(false);
  });

  it('versioning: each version has its own key', async () => {
    const V = 'sse-c-versions';
    await alice.s3.send(new CreateBucketCommand({ Bucket: V }));
    await alice.s3.send(
      new PutBucketVersioningCommand({ Bucket: V, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = await alice.s3.send(new PutObjectCommand({ Bucket: V, Key: 'k', Body: 'one', ...ssec(key) }));
    const v2 = await alice.s3.send(
      new PutObjectCommand({ Bucket: V, Key: 'k', Body: 'two', ...ssec(other) }),
    );
    const read = (v: string | undefined, k: Buffer) =>
      bytes(alice.s3.send(new GetObjectCommand({ Bucket: V, Key: 'k', VersionId: v, ...ssec(k) })));
    expect((await read(v1.VersionId, key)).toString()).toBe('one');
    expect((await read(v2.VersionId, other)).toString()).toBe('two');
    expect((await s3err(read(v1.VersionId, other))).status).toBe(403);
    expect(await keyRows(V)).toHaveLength(2);
    await alice.s3.send(new DeleteObjectCommand({ Bucket: V, Key: 'k', VersionId: v1.VersionId }));
    expect(await keyRows(V)).toHaveLength(1);
  });
});
