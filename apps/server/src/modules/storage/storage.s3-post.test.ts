/**
 * POST Object (browser form uploads) over real HTTP: multipart/form-data as a browser sends it
 * (fetch + FormData, and hand-written bodies for field order), POST policies signed with SigV4 and
 * SigV2, conditions (exact, eq, starts-with, content-length-range), success_action_status and
 * redirect, and AWS's error codes. The uploaded objects are read back with the AWS SDK v3.
 */
import { createHmac } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyBytes,
  rawRequest,
  type S3User,
  type StorageTest,
  s3err,
  startStorageTest,
  testSigningKey,
} from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let bob: S3User;
const B = 'post-uploads';

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await t?.close();
});

const amzDateOf = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The fields a SigV4 POST form carries (what AWS's createPresignedPost produces). */
function v4Fields(
  user: S3User,
  conditions: unknown[],
  opts: { expiresInS?: number; fields?: Record<string, string>; bucket?: string } = {},
): Record<string, string> {
  const now = new Date();
  const date = amzDateOf(now).slice(0, 8);
  const credential = `${user.key.accessKeyId}/${date}/us-east-1/s3/aws4_request`;
  const amzDate = amzDateOf(now);
  const fields = {
    ...(opts.fields ?? {}),
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': amzDate,
  };
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(now.getTime() + (opts.expiresInS ?? 600) * 1000).toISOString(),
      conditions: [
        { bucket: opts.bucket ?? B },
        ...conditions,
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': amzDate },
      ],
    }),
  ).toString('base64');
  const signature = createHmac('sha256', testSigningKey(user.key.secretAccessKey, date))
    .update(policy)
    .digest('hex');
  return { ...fields, Policy: policy, 'X-Amz-Signature': signature };
}

/** POST a form the way a browser does (fetch + FormData: multipart/form-data, the file last). */
async function postForm(
  fields: Record<string, string>,
  file: { name: string; body: string | Buffer; type?: string } | null,
  path = `/${B}`,
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.body], { type: file.type ?? 'text/plain' }), file.name);
  return fetch(`${t.s3Url}${path}`, { method: 'POST', body: form, redirect: 'manual' });
}

async function read(key: string): Promise<string> {
  const r = await alice.s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
  return (await bodyBytes(r.Body)).toString();
}

describe('POST object with a SigV4 policy', () => {
  it('stores the file under the key (the filename variable replaced), content type and metadata; 204 by default', async () => {
    const fields = v4Fields(
      alice,
      [
        ['starts-with', '$key', 'uploads/'],
        ['starts-with', '$Content-Type', 'text/'],
        { 'x-amz-meta-owner': 'alice' },
        ['content-length-range', 1, 1024],
      ],
      {
        fields: {
          key: `uploads/${'$'}{filename}`,
          'Content-Type': 'text/plain',
          'x-amz-meta-owner': 'alice',
        },
      },
    );
    const res = await postForm(fields, { name: 'hello.txt', body: 'hello from a form' });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('location')).toBe(`${t.s3Url}/${B}/uploads/hello.txt`);
    expect(await read('uploads/hello.txt')).toBe('hello from a form');
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'uploads/hello.txt' }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ owner: 'alice' });
  });

  it('answers 201 with a PostResponse document, 200 empty, or a 303 redirect', async () => {
    const f201 = v4Fields(alice, [{ key: 'a201.txt' }, { success_action_status: '201' }], {
      fields: { key: 'a201.txt', success_action_status: '201' },
    });
    const r201 = await postForm(f201, { name: 'x.txt', body: 'one' });
    expect(r201.status).toBe(201);
    const xml = await r201.text();
    expect(xml).toContain('<PostResponse>');
    expect(xml).toContain(`<Bucket>${B}</Bucket>`);
    expect(xml).toContain('<Key>a201.txt</Key>');
    expect(xml).toContain('<ETag>&quot;');

    const f200 = v4Fields(alice, [{ key: 'a200.txt' }, { success_action_status: '200' }], {
      fields: { key: 'a200.txt', success_action_status: '200' },
    });
    expect((await postForm(f200, { name: 'x.txt', body: 'two' })).status).toBe(200);

    const fRedirect = v4Fields(
      alice,
      [{ key: 'a303.txt' }, ['starts-with', '$success_action_redirect', 'https://app.example/']],
      { fields: { key: 'a303.txt', success_action_redirect: 'https://app.example/done?x=1' } },
    );
    const r303 = await postForm(fRedirect, { name: 'x.txt', body: 'three' });
    expect(r303.status).toBe(303);
    const loc = new URL(r303.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('https://app.example/done');
    expect(loc.searchParams.get('x')).toBe('1');
    expect(loc.searchParams.get('bucket')).toBe(B);
    expect(loc.searchParams.get('key')).toBe('a303.txt');
    expect(loc.searchParams.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await read('a303.txt')).toBe('three');
  });

  it('refuses what the policy does not allow, with AWS error codes', async () => {
    const base = (conditions: unknown[], fields: Record<string, string>, expiresInS?: number) =>
      v4Fields(alice, conditions, { fields, ...(expiresInS !== undefined ? { expiresInS } : {}) });
    const expect403 = async (res: Response, text: string) => {
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).toContain('<Code>AccessDenied</Code>');
      expect(body).toContain(text);
    };
    // key outside the allowed prefix
    await expect403(
      await postForm(base([['starts-with', '$key', 'uploads/']], { key: 'other/x.txt' }), {
        name: 'x',
        body: 'x',
      }),
      'Policy Condition failed',
    );
    // a field the policy does not mention
    await expect403(
      await postForm(base([{ key: 'x.txt' }], { key: 'x.txt', 'x-amz-meta-sneaky': '1' }), {
        name: 'x',
        body: 'x',
      }),
      'Extra input fields: x-amz-meta-sneaky',
    );
    // expired
    await expect403(
      await postForm(base([{ key: 'x.txt' }], { key: 'x.txt' }, -5), { name: 'x', body: 'x' }),
      'Policy expired',
    );
    // too large / too small
    const big = await postForm(
      base([{ key: 'big.txt' }, ['content-length-range', 0, 10]], { key: 'big.txt' }),
      {
        name: 'x',
        body: 'x'.repeat(11),
      },
    );
    expect(big.status).toBe(400);
    expect(await big.text()).toContain('<Code>EntityTooLarge</Code>');
    const small = await postForm(
      base([{ key: 'small.txt' }, ['content-length-range', 5, 10]], { key: 'small.txt' }),
      { name: 'x', body: 'x' },
    );
    expect(small.status).toBe(400);
    expect(await small.text()).toContain('<Code>EntityTooSmall</Code>');
    expect(await s3err(alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'small.txt' })))).toMatchObject({
      status: 404,
    });
    // a tampered signature
    const bad = base([{ key: 'x.txt' }], { key: 'x.txt' });
    bad['X-Amz-Signature'] = bad['X-Amz-Signature']!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const sig = await postForm(bad, { name: 'x', body: 'x' });
    expect(sig.status).toBe(403);
    expect(await sig.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    // not JSON
    const policyless = base([{ key: 'x.txt' }], { key: 'x.txt' });
    policyless.Policy = Buffer.from('not json').toString('base64');
    const invalid = await postForm(policyless, { name: 'x', body: 'x' });
    expect(invalid.status).toBe(403); // the signature covers the policy: a changed policy fails first
    // no policy at all: anonymous
    const anon = await postForm({ key: 'x.txt' }, { name: 'x', body: 'x' });
    expect(anon.status).toBe(403);
    expect(await anon.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers InvalidPolicyDocument for a well-signed policy that is not valid', async () => {
    const now = new Date();
    const date = amzDateOf(now).slice(0, 8);
    const credential = `${alice.key.accessKeyId}/${date}/us-east-1/s3/aws4_request`;
    const policy = Buffer.from(JSON.stringify({ conditions: [] })).toString('base64');
    const signature = createHmac('sha256', testSigningKey(alice.key.secretAccessKey, date))
      .update(policy)
      .digest('hex');
    const res = await postForm(
      {
        key: 'x.txt',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': credential,
        'X-Amz-Date': amzDateOf(now),
        Policy: policy,
        'X-Amz-Signature': signature,
      },
      { name: 'x', body: 'x' },
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidPolicyDocument</Code>');
    expect(text).toContain('missing expiration');
  });

  it('needs the key before the file; ignores fields after it; refuses another user’s bucket', async () => {
    const fields = v4Fields(alice, [{ key: 'order.txt' }], { fields: { key: 'order.txt' } });
    // hand-written body: the file first, the key after it (AWS: key must come before the file)
    const boundary = '----WebKitFormBoundaryABC123';
    const parts: string[] = [];
    const fieldPart = (k: string, v: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    for (const [k, v] of Object.entries(fields)) if (k !== 'key') parts.push(fieldPart(k, v));
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="o.txt"\r\nContent-Type: text/plain\r\n\r\nbody\r\n`,
    );
    parts.push(fieldPart('key', 'order.txt'));
    parts.push(`--${boundary}--\r\n`);
    const body = parts.join('');
    const res = await rawRequest(t.s3Url, {
      method: 'POST',
      path: `/${B}`,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
    expect(res.text).toContain('must contain a field named &apos;key&apos;');

    // in the right order, with an extra field after the file: it is ignored
    const ok: string[] = [];
    for (const [k, v] of Object.entries(fields)) ok.push(fieldPart(k, v));
    ok.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="o.txt"\r\nContent-Type: text/plain\r\n\r\nordered\r\n`,
    );
    ok.push(fieldPart('x-amz-meta-late', 'ignored'));
    ok.push(`--${boundary}--\r\n`);
    const okBody = ok.join('');
    const good = await rawRequest(t.s3Url, {
      method: 'POST',
      path: `/${B}`,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(okBody)),
      },
      body: okBody,
    });
    expect(good.status, good.text).toBe(204);
    expect(await read('order.txt')).toBe('ordered');

    // no file part
    const nofile = await postForm(fields, null);
    expect(nofile.status).toBe(400);
    expect(await nofile.text()).toContain('exactly one file');

    // bob signs a policy for alice's bucket: the bucket is not his
    const bobs = v4Fields(bob, [{ key: 'bob.txt' }], { fields: { key: 'bob.txt' } });
    const denied = await postForm(bobs, { name: 'b', body: 'b' });
    expect(denied.status).toBe(403);
  });
});

describe('POST object from a web page of another origin', () => {
  it('passes the CORS preflight and answers with CORS headers; object lock default retention applies', async () => {
    await alice.s3.send(
      new PutBucketCorsCommand({
        Bucket: B,
        CORSConfiguration: {
          CORSRules: [
            { AllowedOrigins: ['https://app.example'], AllowedMethods: ['POST'], AllowedHeaders: ['*'] },
          ],
        },
      }),
    );
    const pre = await fetch(`${t.s3Url}/${B}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const form = new FormData();
    for (const [k, v] of Object.entries(
      v4Fields(alice, [{ key: 'cors.txt' }], { fields: { key: 'cors.txt' } }),
    ))
      form.append(k, v);
    form.append('file', new Blob(['cross-origin']), 'cors.txt');
    const res = await fetch(`${t.s3Url}/${B}`, {
      method: 'POST',
      body: form,
      headers: { origin: 'https://app.example' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');

    // a bucket with object lock: the form upload gets the default retention like a PUT
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'post-locked', ObjectLockEnabledForBucket: true }));
    await alice.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: 'post-locked',
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
        },
      }),
    );
    const lockedForm = new FormData();
    const now = new Date();
    const date = amzDateOf(now).slice(0, 8);
    const credential = `${alice.key.accessKeyId}/${date}/us-east-1/s3/aws4_request`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(now.getTime() + 600_000).toISOString(),
        conditions: [
          { bucket: 'post-locked' },
          { key: 'kept.txt' },
          { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
          { 'x-amz-credential': credential },
          { 'x-amz-date': amzDateOf(now) },
        ],
      }),
    ).toString('base64');
    const fields: Record<string, string> = {
      key: 'kept.txt',
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': credential,
      'x-amz-date': amzDateOf(now),
      policy,
      'x-amz-signature': createHmac('sha256', testSigningKey(alice.key.secretAccessKey, date))
        .update(policy)
        .digest('hex'),
    };
    for (const [k, v] of Object.entries(fields)) lockedForm.append(k, v);
    lockedForm.append('file', new Blob(['keep me']), 'kept.txt');
    const up = await fetch(`${t.s3Url}/post-locked`, { method: 'POST', body: lockedForm });
    expect(up.status, await up.clone().text()).toBe(204);
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: 'post-locked', Key: 'kept.txt' }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(up.headers.get('x-amz-version-id')).toBe(head.VersionId);

    // lock fields in the form (covered by the policy) set the version's legal hold
    const held = v4Fields(alice, [{ key: 'held.txt' }, { 'x-amz-object-lock-legal-hold': 'ON' }], {
      fields: { key: 'held.txt', 'x-amz-object-lock-legal-hold': 'ON' },
    });
    const heldRes = await postForm(held, { name: 'held.txt', body: 'x' });
    expect(heldRes.status).toBe(400); // B has no object lock
    expect(await heldRes.text()).toContain('missing Object Lock Configuration');
    const heldLocked = v4Fields(alice, [{ key: 'held.txt' }, { 'x-amz-object-lock-legal-hold': 'ON' }], {
      bucket: 'post-locked',
      fields: { key: 'held.txt', 'x-amz-object-lock-legal-hold': 'ON' },
    });
    const ok = await postForm(heldLocked, { name: 'held.txt', body: 'x' }, '/post-locked');
    expect(ok.status, await ok.clone().text()).toBe(204);
    const heldHead = await alice.s3.send(new HeadObjectCommand({ Bucket: 'post-locked', Key: 'held.txt' }));
    expect(heldHead.ObjectLockLegalHoldStatus).toBe('ON');
  });
});

describe('POST object with a SigV2 policy', () => {
  it('accepts AWSAccessKeyId + signature (HMAC-SHA1 of the policy) and refuses a wrong one', async () => {
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(Date.now() + 600_000).toISOString(),
        conditions: [{ bucket: B }, ['starts-with', '$key', 'v2/'], ['eq', '$acl', 'private']],
      }),
    ).toString('base64');
    const signature = createHmac('sha1', alice.key.secretAccessKey).update(policy).digest('base64');
    const fields = {
      key: 'v2/doc.txt',
      acl: 'private',
      AWSAccessKeyId: alice.key.accessKeyId,
      policy,
      signature,
    };
    const res = await postForm(fields, { name: 'doc.txt', body: 'signed v2' });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await read('v2/doc.txt')).toBe('signed v2');
    const wrong = await postForm(
      { ...fields, signature: `A${signature.slice(1)}` },
      { name: 'd', body: 'x' },
    );
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
