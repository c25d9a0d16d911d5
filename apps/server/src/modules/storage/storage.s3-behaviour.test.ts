/**
 * Behaviour bugs real clients hit (issue 19), each pinned by a test: repeated and duplicate-part
 * CompleteMultipartUpload, encoding-type=url, empty continuation tokens, CreateBucket on a bucket
 * you own, Expect: 100-continue only after authentication, expired presigned PUTs.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyBytes,
  type S3User,
  type StorageTest,
  signedRequest,
  signHeaders,
  startStorageTest,
} from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
const B = 'behaviour-tests';
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await t?.close();
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('CompleteMultipartUpload', () => {
  it('a second Complete of a completed upload answers 200 with the same result', async () => {
    const s3 = alice.s3;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp/twice' }));
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: B, Key: 'mp/twice', UploadId, PartNumber: 1, Body: 'only part' }),
    );
    const input = {
      Bucket: B,
      Key: 'mp/twice',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
    };
    const first = await s3.send(new CompleteMultipartUploadCommand(input));
    const second = await s3.send(new CompleteMultipartUploadCommand(input));
    expect(second.ETag).toBe(first.ETag);
    expect(second.Key).toBe('mp/twice');
    // another key with the same upload id is still unknown
    const other = await signedRequest(t.s3Url, alice.key, {
      method: 'POST',
      path: `/${B}/mp/other`,
      query: { uploadId: UploadId! },
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${p1.ETag}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(other.status).toBe(404);
    expect(other.text).toContain('<Code>NoSuchUpload</Code>');
  });

  it('a part number listed twice: the last one listed wins', async () => {
    const s3 = alice.s3;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp/dup' }));
    const big = Buffer.alloc(5 * MiB, 7);
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: B, Key: 'mp/dup', UploadId, PartNumber: 1, Body: big }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({ Bucket: B, Key: 'mp/dup', UploadId, PartNumber: 2, Body: 'tail' }),
    );
    const body =
      '<CompleteMultipartUpload>' +
      `<Part><PartNumber>1</PartNumber><ETag>"00000000000000000000000000000000"</ETag></Part>` +
      `<Part><PartNumber>1</PartNumber><ETag>${p1.ETag}</ETag></Part>` +
      `<Part><PartNumber>2</PartNumber><ETag>${p2.ETag}</ETag></Part>` +
      '</CompleteMultipartUpload>';
    const res = await signedRequest(t.s3Url, alice.key, {
      method: 'POST',
      path: `/${B}/mp/dup`,
      query: { uploadId: UploadId! },
      body,
    });
    expect(res.status).toBe(200);
    const got = await bodyBytes((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'mp/dup' }))).Body);
    expect(got.length).toBe(5 * MiB + 4);
    expect(got.subarray(5 * MiB).toString()).toBe('tail');
  });
});

describe('listing with encoding-type=url', () => {
  beforeAll(async () => {
    for (const k of ['enc/quux ab/thud', 'enc/foo+1/bar', 'enc/plain'])
      await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: k, Body: 'x' }));
  });

  for (const listType of ['1', '2'])
    it(`v${listType}: spaces are %20 in keys and common prefixes; the top-level Prefix is not encoded`, async () => {
      const query: Record<string, string> = {
        prefix: 'enc/',
        delimiter: '/',
        'encoding-type': 'url',
      };
      if (listType === '2') query['list-type'] = '2';
      const res = await signedRequest(t.s3Url, alice.key, { method: 'GET', path: `/${B}`, query });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<Prefix>enc/</Prefix>');
      expect(res.text).toContain('<CommonPrefixes><Prefix>enc/quux%20ab/</Prefix></CommonPrefixes>');
      expect(res.text).toContain('<CommonPrefixes><Prefix>enc/foo%2B1/</Prefix></CommonPrefixes>');
      expect(res.text).not.toContain('+');
      const spaced = await signedRequest(t.s3Url, alice.key, {
        method: 'GET',
        path: `/${B}`,
        query: { ...query, prefix: 'enc/quux ab/' },
      });
      expect(spaced.text).toContain('<Prefix>enc/quux ab/</Prefix>');
      expect(spaced.text).toContain('<Key>enc/quux%20ab/thud</Key>');
    });
});

describe('ListObjectsV2', () => {
  it('an empty continuation-token is treated as absent', async () => {
    const res = await signedRequest(t.s3Url, alice.key, {
      method: 'GET',
      path: `/${B}`,
      query: { 'list-type': '2', 'continuation-token': '', prefix: 'enc/' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Key>enc/plain</Key>');
  });
});

describe('CreateBucket', () => {
  it('a bucket you already own answers 200 in us-east-1; someone else’s is still 409', async () => {
    const again = await signedRequest(t.s3Url, alice.key, { method: 'PUT', path: `/${B}` });
    expect(again.status).toBe(200);
    const bob = await t.newS3User('operator');
    const taken = await signedRequest(t.s3Url, bob.key, { method: 'PUT', path: `/${B}` });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('<Code>BucketAlreadyExists</Code>');
  });
});

/** Send headers only, wait for what the server says first. */
function firstAnswer(baseUrl: string, head: string): Promise<string> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(head));
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      if (text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('Expect: 100-continue', () => {
  for (const where of ['dedicated port', 'main port /s3'])
    it(`${where}: an unauthenticated upload gets 403, not "continue"; a signed one continues`, async () => {
      const base = where === 'dedicated port' ? t.s3Url : t.url;
      const prefix = where === 'dedicated port' ? '' : '/s3';
      const host = new URL(base).host;
      const anon = await firstAnswer(
        base,
        `PUT ${prefix}/${B}/expect/anon HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`,
      );
      expect(anon).toMatch(/^HTTP\/1\.1 403/);

      const { headers, path } = await signHeaders(base, alice.key, {
        method: 'PUT',
        path: `${prefix}/${B}/expect/signed`,
        body: 'hello',
        headers: { expect: '100-continue' },
      });
      const lines = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      const signed = await firstAnswer(base, `PUT ${path} HTTP/1.1\r\n${lines}\r\n\r\n`);
      expect(signed).toMatch(/^HTTP\/1\.1 100 Continue/);
    });

  it('a bogus Expect value is ignored (no 417)', async () => {
    const res = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/expect/bogus`,
      body: 'hi',
      headers: { expect: 'something-else' },
    });
    expect(res.status).toBe(200);
  });
});

describe('presigned PUT', () => {
  it('an expired presigned PUT answers 403 AccessDenied "Request has expired"', async () => {
    const url = await getSignedUrl(alice.s3, new PutObjectCommand({ Bucket: B, Key: 'late/put.txt' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 3600_000),
    });
    const res = await fetch(url, { method: 'PUT', body: 'too late' });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>Request has expired</Message>');
    void sha;
  });
});

describe('ACLs we do not honour answer an error (BucketOwnerEnforced)', () => {
  it('PutBucketAcl/PutObjectAcl with grants beyond the owner are refused; owner-only ACLs are fine', async () => {
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'acl/obj', Body: 'x' }));
    const ownerId = alice.client.user.id;
    const grant = (id: string, permission: string) =>
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>${permission}</Permission></Grant>`;
    const doc = (grants: string) =>
      `<AccessControlPolicy><Owner><ID>${ownerId}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`;
    for (const path of [`/${B}`, `/${B}/acl/obj`]) {
      const publicRead = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path,
        query: { acl: '' },
        body: doc(
          grant(ownerId, 'FULL_CONTROL') +
            '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>',
        ),
      });
      expect(publicRead.status).toBe(400);
      expect(publicRead.text).toContain('<Code>AccessControlListNotSupported</Code>');
      const header = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path,
        query: { acl: '' },
        headers: { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
      });
      expect(header.status).toBe(400);
      const canned = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path,
        query: { acl: '' },
        headers: { 'x-amz-acl': 'public-read' },
      });
      expect(canned.status).toBe(400);
      const ownerOnly = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path,
        query: { acl: '' },
        body: doc(grant(ownerId, 'FULL_CONTROL')),
      });
      expect(ownerOnly.status).toBe(200);
      const privateAcl = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path,
        query: { acl: '' },
        headers: { 'x-amz-acl': 'private' },
      });
      expect(privateAcl.status).toBe(200);
    }
  });

  it('ownership controls: BucketOwnerEnforced is reported; other settings are not implemented', async () => {
    const get = await signedRequest(t.s3Url, alice.key, {
      method: 'GET',
      path: `/${B}`,
      query: { ownershipControls: '' },
    });
    expect(get.status).toBe(200);
    expect(get.text).toContain('<ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>');
    const writer = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}`,
      query: { ownershipControls: '' },
      body: '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>',
    });
    expect(writer.status).toBe(501);
    const create = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/behaviour-writer',
      headers: { 'x-amz-object-ownership': 'ObjectWriter' },
    });
    expect(create.status).toBe(501);
    const del = await signedRequest(t.s3Url, alice.key, {
      method: 'DELETE',
      path: `/${B}`,
      query: { ownershipControls: '' },
    });
    expect(del.status).toBe(501);
  });
});
