/**
 * The REST API for versioning (what the console and CLI use): status, listing an object's
 * versions, restoring one, deleting one for good, downloading a version; isolation and roles.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
const B = 'rest-versions';

interface Version {
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
}

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await t?.close();
});

const versionsOf = async (key: string) =>
  (
    await alice.client.get<{ items: Version[] }>(
      `/api/v1/buckets/${B}/versions?prefix=${encodeURIComponent(key)}`,
    )
  ).body.items;

describe('versioning over the REST API', () => {
  it('status starts null; enabling shows on the bucket; restore and delete a version', async () => {
    const status = await alice.client.get<{ status: string | null }>(`/api/v1/buckets/${B}/versioning`);
    expect(status.status).toBe(200);
    expect(status.body.status).toBeNull();
    // restoring needs versioning
    const early = await alice.client.post(`/api/v1/buckets/${B}/versions/restore`, {
      key: 'k',
      versionId: 'null',
    });
    expect(early.status).toBe(400);

    const put = await alice.client.put<{ status: string }>(`/api/v1/buckets/${B}/versioning`, {
      status: 'Enabled',
    });
    expect(put.status).toBe(200);
    const bucket = await alice.client.get<{ versioning: string | null }>(`/api/v1/buckets/${B}`);
    expect(bucket.body.versioning).toBe('Enabled');

    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'notes.txt', Body: 'first draft' }));
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'notes.txt', Body: 'second' }));
    const list = await versionsOf('notes.txt');
    expect(list.map((v) => [v.isLatest, v.size])).toEqual([
      [true, 6],
      [false, 11],
    ]);
    const old = list[1]!.versionId;

    const dl = await alice.client.get(`/api/v1/buckets/${B}/objects/notes.txt?versionId=${old}`);
    expect(dl.status).toBe(200);
    expect(dl.text).toBe('first draft');

    const restored = await alice.client.post<{ versionId: string; restoredVersionId: string }>(
      `/api/v1/buckets/${B}/versions/restore`,
      { key: 'notes.txt', versionId: old },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.restoredVersionId).toBe(old);
    const current = await alice.client.get(`/api/v1/buckets/${B}/objects/notes.txt`);
    expect(current.text).toBe('first draft');
    expect((await versionsOf('notes.txt')).length).toBe(3);

    const del = await alice.client.post<{ existed: boolean }>(`/api/v1/buckets/${B}/versions/delete`, {
      key: 'notes.txt',
      versionId: old,
    });
    expect(del.status).toBe(200);
    expect(del.body.existed).toBe(true);
    expect((await versionsOf('notes.txt')).map((v) => v.versionId)).not.toContain(old);

    const bad = await alice.client.post(`/api/v1/buckets/${B}/versions/restore`, {
      key: 'notes.txt',
      versionId: 'nope',
    });
    expect(bad.status).toBe(400);
  });

  it('other users see 404; read-only users cannot change versioning', async () => {
    const bob = await t.ctx.newUser({ role: 'operator' });
    expect((await bob.get(`/api/v1/buckets/${B}/versions`)).status).toBe(404);
    expect((await bob.put(`/api/v1/buckets/${B}/versioning`, { status: 'Suspended' })).status).toBe(404);
    const ro = await t.ctx.newUser({ role: 'readonly' });
    expect((await ro.put(`/api/v1/buckets/${B}/versioning`, { status: 'Suspended' })).status).toBe(403);
    const bad = await alice.client.put(`/api/v1/buckets/${B}/versioning`, { status: 'Off' });
    expect(bad.status).toBe(400);
  });
});
