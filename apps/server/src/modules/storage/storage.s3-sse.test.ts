/**
 * Server-side encryption over real HTTP with the AWS SDK v3 (and raw signed requests for the header
 * errors the SDK would not send): SSE-S3 and SSE-C round trips, range reads, multipart, copies
 * between modes, bucket default encryption, wrong and missing keys, ciphertext on disk, key rows
 * removed with their blobs, and master-key rotation re-wrapping the data keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type S3User,
  type StorageTest,
  s3err,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
});
afterAll(async () => {
  await t?.close();
});

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const ssec = (key: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') });
const copySsec = (key: Buffer) => ({
  CopySourceSSECustomerAlgorithm: 'AES256',
  CopySourceSSECustomerKey: key.toString('base64'),
});
/** Recognisable plaintext longer than a few 64 KiB chunks. */
const body = (size: number, seed = 'plaintext-marker') =>
  Buffer.from(seed.repeat(Math.ceil(size / seed.length)).slice(0, size), 'latin1');

async function bytes(p: Promise<{ Body?: unknown }>): Promise<Buffer> {
  const res = await p;
  return Buffer.from(
    await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

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

describe('copies between encryption modes', () => {
  const B = 'sse-copy';
  const key = randomBytes(32);
  const data = body(100_000, 'copy-me-');
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'plain', Body: data }));
  });

  it('plain → SSE-C → SSE-S3 → plain, each readable as it should be', async () => {
    const c1 = await alice.s3.send(
      new CopyObjectCommand({ Bucket: B, Key: 'ssec', CopySource: `${B}/plain`, ...ssec(key) }),
    );
    expect(c1.SSECustomerKeyMD5).toBe(md5b64(key));
    expect((await blobFiles(B, 'ssec')).files[0]!.includes(Buffer.from('copy-me-copy-me-'))).toBe(false);
    const noSourceKey = await s3err(
      alice.s3.send(
        new CopyObjectCommand({
          Bucket: B,
          Key: 's3',
          CopySource: `${B}/ssec`,
          ServerSideEncryption: 'AES256',
        }),
      ),
    );
    expect(noSourceKey.status).toBe(400);
    const c2 = await alice.s3.send(
      new CopyObjectCommand({
        Bucket: B,
        Key: 's3',
        CopySource: `${B}/ssec`,
        ServerSideEncryption: 'AES256',
        ...copySsec(key),
      }),
    );
    expect(c2.ServerSideEncryption).toBe('AES256');
    expect((await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 's3' })))).equals(data)).toBe(
      true,
    );
    await alice.s3.send(new CopyObjectCommand({ Bucket: B, Key: 'plain2', CopySource: `${B}/s3` }));
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'plain2' }));
    expect(head.ServerSideEncryption).toBeUndefined();
    expect((await blobFiles(B, 'plain2')).files[0]!.equals(data)).toBe(true);
  });

  it('re-encrypts an SSE-S3 object in place (a copy onto itself that changes the encryption)', async () => {
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 'self', Body: data, ServerSideEncryption: 'AES256' }),
    );
    await alice.s3.send(
      new CopyObjectCommand({ Bucket: B, Key: 'self', CopySource: `${B}/self`, ...ssec(key) }),
    );
    expect(
      (await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'self', ...ssec(key) })))).equals(
        data,
      ),
    ).toBe(true);
  });

  it('UploadPartCopy from an SSE-C source into an SSE-S3 upload', async () => {
    const up = await alice.s3.send(
      new CreateMultipartUploadCommand({ Bucket: B, Key: 'mpc', ServerSideEncryption: 'AES256' }),
    );
    expect(up.ServerSideEncryption).toBe('AES256');
    const part = await alice.s3.send(
      new UploadPartCopyCommand({
        Bucket: B,
        Key: 'mpc',
        UploadId: up.UploadId,
        PartNumber: 1,
        CopySource: `${B}/ssec`,
        CopySourceRange: 'bytes=10-70009',
        ...copySsec(key),
      }),
    );
    const done = await alice.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'mpc',
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
      }),
    );
    expect(done.ServerSideEncryption).toBe('AES256');
    const got = await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'mpc' })));
    expect(got.equals(data.subarray(10, 70_010))).toBe(true);
  });
});

describe('bucket default encryption', () => {
  const B = 'sse-default';
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  });

  it('without one: the not-found error, and objects are stored as sent', async () => {
    expect(await s3err(alice.s3.send(new GetBucketEncryptionCommand({ Bucket: B })))).toMatchObject({
      name: 'ServerSideEncryptionConfigurationNotFoundError',
      status: 404,
    });
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'before', Body: 'visible-text' }));
    expect((await blobFiles(B, 'before')).files[0]!.toString()).toBe('visible-text');
  });

  it('AES256 applies to new objects and multipart uploads; delete turns it off', async () => {
    await alice.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: B,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }],
        },
      }),
    );
    const got = await alice.s3.send(new GetBucketEncryptionCommand({ Bucket: B }));
    expect(got.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true },
    ]);
    const put = await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'after', Body: 'hidden-text' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect(put.BucketKeyEnabled).toBe(true);
    expect((await blobFiles(B, 'after')).files[0]!.includes(Buffer.from('hidden-text'))).toBe(false);
    const up = await alice.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp' }));
    expect(up.ServerSideEncryption).toBe('AES256');
    const p = await alice.s3.send(
      new UploadPartCommand({
        Bucket: B,
        Key: 'mp',
        UploadId: up.UploadId,
        PartNumber: 1,
        Body: 'hidden-part',
      }),
    );
    await alice.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'mp',
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] },
      }),
    );
    expect((await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'mp' })))).toString()).toBe(
      'hidden-part',
    );
    expect((await blobFiles(B, 'mp')).files[0]!.includes(Buffer.from('hidden-part'))).toBe(false);

    await alice.s3.send(new DeleteBucketEncryptionCommand({ Bucket: B }));
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'later', Body: 'visible-again' }));
    expect((await blobFiles(B, 'later')).files[0]!.toString()).toBe('visible-again');
    expect((await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'after' })))).toString()).toBe(
      'hidden-text',
    );
  });

  it('refuses SSE-KMS defaults with 501 and malformed configurations with 400', async () => {
    const kms = await s3err(
      alice.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: B,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
          },
        }),
      ),
    );
    expect(kms).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(kms.message).toContain('SSE-KMS');
    const bad = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}`,
      query: { encryption: '' },
      body: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>MalformedXML</Code>');
  });
});

describe('inconsistent SSE headers (raw signed requests)', () => {
  const B = 'sse-headers';
  const key = randomBytes(32);
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  const put = (headers: Record<string, string>) =>
    signedRequest(t.s3Url, alice.key, { method: 'PUT', path: `/${B}/x`, headers, body: 'x' });
  const C = 'x-amz-server-side-encryption-customer-';

  it.each([
    [
      'a key MD5 that does not match',
      {
        [`${C}algorithm`]: 'AES256',
        [`${C}key`]: key.toString('base64'),
        [`${C}key-md5`]: md5b64(Buffer.from('no')),
      },
      400,
      'InvalidArgument',
    ],
    [
      'an algorithm other than AES256',
      { [`${C}algorithm`]: 'AES128', [`${C}key`]: key.toString('base64'), [`${C}key-md5`]: md5b64(key) },
      400,
      'InvalidEncryptionAlgorithmError',
    ],
    [
      'a key that is not 256 bits',
      {
        [`${C}algorithm`]: 'AES256',
        [`${C}key`]: key.subarray(0, 16).toString('base64'),
        [`${C}key-md5`]: md5b64(key.subarray(0, 16)),
      },
      400,
      'InvalidArgument',
    ],
    [
      'a key without its MD5',
      { [`${C}algorithm`]: 'AES256', [`${C}key`]: key.toString('base64') },
      400,
      'InvalidArgument',
    ],
    [
      'a key without the algorithm',
      { [`${C}key`]: key.toString('base64'), [`${C}key-md5`]: md5b64(key) },
      400,
      'InvalidArgument',
    ],
    [
      'SSE-S3 and SSE-C together',
      {
        'x-amz-server-side-encryption': 'AES256',
        [`${C}algorithm`]: 'AES256',
        [`${C}key`]: key.toString('base64'),
        [`${C}key-md5`]: md5b64(key),
      },
      400,
      'InvalidArgument',
    ],
    ['an unknown algorithm', { 'x-amz-server-side-encryption': 'AES512' }, 400, 'InvalidArgument'],
    ['SSE-KMS', { 'x-amz-server-side-encryption': 'aws:kms' }, 501, 'NotImplemented'],
    [
      'a KMS key id without aws:kms',
      { 'x-amz-server-side-encryption-aws-kms-key-id': 'k' },
      400,
      'InvalidArgument',
    ],
  ])('%s', async (_what, headers, status, code) => {
    const res = await put(headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.text).toContain(`<Code>${code}</Code>`);
  });
});

describe('master-key rotation', () => {
  it('re-wraps every SSE-S3 data key under the new key; the objects stay readable', async () => {
    const B = 'sse-rotate';
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    for (const k of ['r1', 'r2'])
      await alice.s3.send(
        new PutObjectCommand({ Bucket: B, Key: k, Body: `rotate-${k}`, ServerSideEncryption: 'AES256' }),
      );
    const before = await keyRows(B);
    const res = await t.ctx.admin.post<{ kekId: string; rewrapped: number }>(
      '/api/v1/secrets/master-key/rotate',
    );
    expect(res.status).toBe(200);
    const after = await keyRows(B);
    expect(after.map((r) => r.kek_id)).toEqual([res.body.kekId, res.body.kekId]);
    expect(res.body.kekId).not.toBe(before[0]!.kek_id);
    expect(after.map((r) => r.wrapped_key)).not.toEqual(before.map((r) => r.wrapped_key));
    expect(res.body.rewrapped).toBeGreaterThanOrEqual(2);
    for (const k of ['r1', 'r2'])
      expect((await bytes(alice.s3.send(new GetObjectCommand({ Bucket: B, Key: k })))).toString()).toBe(
        `rotate-${k}`,
      );
  });
});
