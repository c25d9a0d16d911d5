/**
 * Server-side encryption, continued (storage.s3-sse.test.ts has the round trips): copies between
 * encryption modes, bucket default encryption, the 400/501 answers to inconsistent SSE headers (raw
 * signed requests), and master-key rotation re-wrapping the data keys.
 */
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, bytes, copySsec, md5b64, ssec, sseInspector } from './storage.sse.test-helpers.ts';
import {
  type S3User,
  type StorageTest,
  s3err,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

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

describe('bucket policies on the SSE headers', () => {
  it('"deny unencrypted uploads" (AWS\'s example policy): a plain PUT is refused, SSE-S3 and SSE-C pass', async () => {
    const B = 'sse-policy';
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    const denyPlain = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyIncorrectEncryptionHeader',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${B}/*`,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
        },
        {
          Sid: 'DenyUnencryptedObjectUploads',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${B}/*`,
          Condition: {
            Null: {
              's3:x-amz-server-side-encryption': 'true',
              's3:x-amz-server-side-encryption-customer-algorithm': 'true',
            },
          },
        },
      ],
    };
    // first the Null statement alone: a PUT with neither SSE header is refused, SSE-S3 and SSE-C pass
    await alice.s3.send(
      new PutBucketPolicyCommand({
        Bucket: B,
        Policy: JSON.stringify({ ...denyPlain, Statement: [denyPlain.Statement[1]] }),
      }),
    );
    const plain = await s3err(alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'p', Body: 'x' })));
    expect(plain).toMatchObject({ name: 'AccessDenied', status: 403 });
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 's3', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'c', Body: 'x', ...ssec(randomBytes(32)) }));

    // then both statements (AWS's example): a missing SSE-S3 header makes StringNotEquals true, so SSE-C is refused too
    await alice.s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: JSON.stringify(denyPlain) }));
    const wrong = await s3err(
      alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'c2', Body: 'x', ...ssec(randomBytes(32)) })),
    );
    expect(wrong).toMatchObject({ name: 'AccessDenied', status: 403 });
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 's3b', Body: 'x', ServerSideEncryption: 'AES256' }),
    );
  });
});
