/**
 * The REST API for object lock (what the console and CLI use): creating a bucket with object
 * lock, the default retention, retention and legal hold of a version, deletes refused and the
 * admin-only GOVERNANCE bypass, isolation (another user's bucket is 404).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let bob: S3User;
let admin: S3User;
const B = 'rest-lock';

interface LockState {
  key: string;
  versionId: string;
  retention: { mode: string; retainUntil: string } | null;
  legalHold: boolean | null;
  locked: boolean;
}

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  admin = await t.newS3User('admin');
});
afterAll(async () => {
  await t?.close();
});

describe('object lock over the REST API', () => {
  it('creates a bucket with object lock, sets the default retention, and shows it on each version', async () => {
    const created = await alice.client.post(`/api/v1/buckets`, { name: B, objectLockEnabled: true });
    expect(created.status).toBe(201);
    const versioning = await alice.client.get<{ status: string }>(`/api/v1/buckets/${B}/versioning`);
    expect(versioning.body.status).toBe('Enabled');
    const suspend = await alice.client.put(`/api/v1/buckets/${B}/versioning`, { status: 'Suspended' });
    expect(suspend.status).toBe(409);

    const cfg = await alice.client.put<{ enabled: boolean; defaultRetention: unknown }>(
      `/api/v1/buckets/${B}/object-lock`,
      { defaultRetention: { mode: 'GOVERNANCE', days: 3 } },
    );
    expect(cfg.status).toBe(200);
    expect(cfg.body).toEqual({ bucket: B, enabled: true, defaultRetention: { mode: 'GOVERNANCE', days: 3 } });
    const both = await alice.client.put(`/api/v1/buckets/${B}/object-lock`, {
      defaultRetention: { mode: 'GOVERNANCE', days: 3, years: 1 },
    });
    expect(both.status).toBe(400);

    const put = await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/report.pdf', Body: 'pdf' }));
    const lock = await alice.client.get<LockState>(`/api/v1/buckets/${B}/object-lock/objects/dir/report.pdf`);
    expect(lock.status).toBe(200);
    expect(lock.body.versionId).toBe(put.VersionId);
    expect(lock.body.retention?.mode).toBe('GOVERNANCE');
    expect(lock.body.locked).toBe(true);

    const refused = await alice.client.post(`/api/v1/buckets/${B}/versions/delete`, {
      key: 'dir/report.pdf',
      versionId: put.VersionId,
    });
    expect(refused.status).toBe(403);
    const notAllowed = await alice.client.post(`/api/v1/buckets/${B}/versions/delete`, {
      key: 'dir/report.pdf',
      versionId: put.VersionId,
      bypassGovernance: true,
    });
    expect(notAllowed.status).toBe(403);

    // legal hold on, then the retention removed by an admin: still locked by the hold
    const hold = await alice.client.put<LockState>(`/api/v1/buckets/${B}/object-lock/legal-hold`, {
      key: 'dir/report.pdf',
      legalHold: true,
    });
    expect(hold.body.legalHold).toBe(true);
    const removed = await admin.client.put<LockState>(`/api/v1/buckets/${B}/object-lock/retention`, {
      key: 'dir/report.pdf',
      retention: null,
      bypassGovernance: true,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ retention: null, legalHold: true, locked: true });
    const released = await alice.client.put<LockState>(`/api/v1/buckets/${B}/object-lock/legal-hold`, {
      key: 'dir/report.pdf',
      versionId: put.VersionId,
      legalHold: false,
    });
    expect(released.body.locked).toBe(false);
    const gone = await alice.client.post(`/api/v1/buckets/${B}/versions/delete`, {
      key: 'dir/report.pdf',
      versionId: put.VersionId,
    });
    expect(gone.status).toBe(200);
  });

  it('COMPLIANCE retention set through REST cannot be shortened, even by an admin', async () => {
    const cleared = await alice.client.put<{ defaultRetention: unknown }>(
      `/api/v1/buckets/${B}/object-lock`,
      {
        defaultRetention: null,
      },
    );
    expect(cleared.body.defaultRetention).toBeNull();
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'c.txt', Body: 'c' }));
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const set = await alice.client.put<LockState>(`/api/v1/buckets/${B}/object-lock/retention`, {
      key: 'c.txt',
      retention: { mode: 'COMPLIANCE', retainUntil: until },
    });
    expect(set.status).toBe(200);
    const shorter = await admin.client.put(`/api/v1/buckets/${B}/object-lock/retention`, {
      key: 'c.txt',
      retention: { mode: 'COMPLIANCE', retainUntil: new Date(Date.now() + 3_600_000).toISOString() },
      bypassGovernance: true,
    });
    expect(shorter.status).toBe(403);
    const past = await alice.client.put(`/api/v1/buckets/${B}/object-lock/retention`, {
      key: 'c.txt',
      retention: { mode: 'COMPLIANCE', retainUntil: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
  });

  it('needs versioning for object lock on an existing bucket, and hides other users’ buckets', async () => {
    await alice.client.post(`/api/v1/buckets`, { name: 'rest-lock-plain' });
    const none = await alice.client.get<{ enabled: boolean }>(`/api/v1/buckets/rest-lock-plain/object-lock`);
    expect(none.body.enabled).toBe(false);
    await alice.s3.send(new PutObjectCommand({ Bucket: 'rest-lock-plain', Key: 'p', Body: 'p' }));
    const noLock = await alice.client.get<{ error: { message: string } }>(
      `/api/v1/buckets/rest-lock-plain/object-lock/objects/p`,
    );
    expect(noLock.status).toBe(400);
    expect(noLock.body.error.message).toContain('missing Object Lock Configuration');
    const noVersioning = await alice.client.put(`/api/v1/buckets/rest-lock-plain/object-lock`, {
      defaultRetention: null,
    });
    expect(noVersioning.status).toBe(409);
    expect((await bob.client.get(`/api/v1/buckets/${B}/object-lock`)).status).toBe(404);
    expect((await bob.client.get(`/api/v1/buckets/${B}/object-lock/objects/c.txt`)).status).toBe(404);
  });
});
