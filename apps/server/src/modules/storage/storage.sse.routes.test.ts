/** REST API for bucket default encryption, and the encryption in an object's details. */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let bob: S3User;
const B = 'sse-rest';

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await t?.close();
});

describe('bucket encryption over the REST API', () => {
  it('get, put, delete; audited; another user gets 404', async () => {
    const none = await alice.client.get<{ algorithm: string | null }>(`/api/v1/buckets/${B}/encryption`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ bucket: B, algorithm: null, bucketKeyEnabled: false });
    const put = await alice.client.put(`/api/v1/buckets/${B}/encryption`, { algorithm: 'AES256' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ bucket: B, algorithm: 'AES256', bucketKeyEnabled: false });
    const bad = await alice.client.put(`/api/v1/buckets/${B}/encryption`, { algorithm: 'aws:kms' });
    expect(bad.status).toBe(400);
    expect((await bob.client.get(`/api/v1/buckets/${B}/encryption`)).status).toBe(404);
    expect((await bob.client.put(`/api/v1/buckets/${B}/encryption`, { algorithm: 'AES256' })).status).toBe(
      404,
    );

    // a new object is encrypted by default; its details say so
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'd.txt', Body: 'default' }));
    const meta = await alice.client.get<{ encryption: string | null }>(`/api/v1/buckets/${B}/metadata/d.txt`);
    expect(meta.body.encryption).toBe('AES256');
    const content = await alice.client.get(`/api/v1/buckets/${B}/objects/d.txt`);
    expect(content.text).toBe('default');

    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'buckets.%_encryption')
      .execute();
    expect(audit.map((a) => a.action)).toContain('buckets.put_encryption');

    expect((await alice.client.delete(`/api/v1/buckets/${B}/encryption`)).status).toBe(204);
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'p.txt', Body: 'plain' }));
    const plain = await alice.client.get<{ encryption: string | null }>(
      `/api/v1/buckets/${B}/metadata/p.txt`,
    );
    expect(plain.body.encryption).toBeNull();
  });

  it('SSE-C objects: the details name the mode without the key; the content needs the key (S3)', async () => {
    const key = randomBytes(32);
    await alice.s3.send(
      new PutObjectCommand({
        Bucket: B,
        Key: 'c.txt',
        Body: 'secret',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: key.toString('base64'),
      }),
    );
    const meta = await alice.client.get<{ encryption: string | null }>(`/api/v1/buckets/${B}/metadata/c.txt`);
    expect(meta.body.encryption).toBe('SSE-C');
    expect((await alice.client.get(`/api/v1/buckets/${B}/objects/c.txt`)).status).toBe(400);
  });

  it('REST uploads ask for SSE-S3 with x-amz-server-side-encryption (single and multipart)', async () => {
    const put = await alice.client.request<{ encryption: string | null }>(
      'PUT',
      `/api/v1/buckets/${B}/objects/r.txt`,
      {
        payload: 'rest-upload',
        headers: { 'content-type': 'application/octet-stream', 'x-amz-server-side-encryption': 'AES256' },
      },
    );
    expect(put.status).toBe(200);
    expect(put.body.encryption).toBe('AES256');
    const meta = await alice.client.get<{ encryption: string | null }>(`/api/v1/buckets/${B}/metadata/r.txt`);
    expect(meta.body.encryption).toBe('AES256');
    const bad = await alice.client.request('PUT', `/api/v1/buckets/${B}/objects/r2.txt`, {
      payload: 'x',
      headers: { 'content-type': 'application/octet-stream', 'x-amz-server-side-encryption': 'aws:kms' },
    });
    expect(bad.status).toBe(400);
    const up = await alice.client.post<{ uploadId: string }>(`/api/v1/buckets/${B}/uploads`, {
      key: 'm.txt',
      encryption: 'AES256',
    });
    expect(up.status).toBe(201);
    const part = await alice.client.request<{ etag: string }>(
      'PUT',
      `/api/v1/buckets/${B}/uploads/${up.body.uploadId}/parts/1`,
      { payload: 'multi', headers: { 'content-type': 'application/octet-stream' } },
    );
    expect(part.status).toBe(200);
    const done = await alice.client.post(`/api/v1/buckets/${B}/uploads/${up.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: part.body.etag }],
    });
    expect(done.status).toBe(200);
    const m = await alice.client.get<{ encryption: string | null }>(`/api/v1/buckets/${B}/metadata/m.txt`);
    expect(m.body.encryption).toBe('AES256');
  });
});
