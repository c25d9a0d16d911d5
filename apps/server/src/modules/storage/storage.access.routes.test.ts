/**
 * The REST API for bucket policies, the Public Access Block, ownership/ACLs and tags (what the
 * console and the CLI use): the settings take effect on the S3 endpoint, errors carry S3's
 * reason, other users' buckets answer 404, read-only users cannot change anything.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let bob: S3User;
const B = 'rest-access';

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'site/index.html', Body: 'hello' }));
});
afterAll(async () => {
  await t?.close();
});

const anonGet = async (path: string) => (await fetch(`${t.s3Url}${path}`)).status;

const publicRead = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Site',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${B}/site/*`,
    },
  ],
};

describe('bucket policy over REST', () => {
  it('get (none) → put → public on S3 → delete; malformed policies answer 400 with the reason', async () => {
    const none = await alice.client.get<{ policy: unknown; isPublic: boolean }>(
      `/api/v1/buckets/${B}/policy`,
    );
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ bucket: B, policy: null, isPublic: false });

    const put = await alice.client.put<{ isPublic: boolean }>(`/api/v1/buckets/${B}/policy`, {
      policy: publicRead,
    });
    expect(put.status).toBe(200);
    expect(put.body.isPublic).toBe(true);
    expect(await anonGet(`/${B}/site/index.html`)).toBe(200);
    const got = await alice.client.get<{ policy: typeof publicRead }>(`/api/v1/buckets/${B}/policy`);
    expect(got.body.policy.Statement[0]?.Sid).toBe('Site');

    const bad = await alice.client.put<{
      error: { code: string; message: string; details: { field: string; value: string } };
    }>(`/api/v1/buckets/${B}/policy`, {
      policy: { Statement: [{ ...publicRead.Statement[0], Resource: 'arn:aws:s3:::elsewhere/*' }] },
    });
    expect(bad.status).toBe(400);
    // AWS's words, then which value to fix
    expect(bad.body.error.message).toBe('Policy has invalid resource: arn:aws:s3:::elsewhere/*');
    expect(bad.body.error.details).toEqual({ field: 'Resource', value: 'arn:aws:s3:::elsewhere/*' });

    // bob neither sees nor changes it
    expect((await bob.client.get(`/api/v1/buckets/${B}/policy`)).status).toBe(404);
    expect((await bob.client.delete(`/api/v1/buckets/${B}/policy`)).status).toBe(404);

    expect((await alice.client.delete(`/api/v1/buckets/${B}/policy`)).status).toBe(204);
    expect(await anonGet(`/${B}/site/index.html`)).toBe(403);
  });

  it('read-only users cannot set policies', async () => {
    const ro = await t.ctx.newUser({ role: 'readonly' });
    const res = await ro.put(`/api/v1/buckets/${B}/policy`, { policy: publicRead });
    expect([403, 404]).toContain(res.status);
  });
});

describe('public access block over REST', () => {
  it('reports unconfigured, blocks a public policy, then lets it through once removed', async () => {
    const empty = await alice.client.get<{ configured: boolean }>(`/api/v1/buckets/${B}/public-access-block`);
    expect(empty.body.configured).toBe(false);
    const set = await alice.client.put<{ blockPublicPolicy: boolean; ignorePublicAcls: boolean }>(
      `/api/v1/buckets/${B}/public-access-block`,
      { blockPublicPolicy: true },
    );
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ configured: true, blockPublicPolicy: true, ignorePublicAcls: false });
    const refused = await alice.client.put(`/api/v1/buckets/${B}/policy`, { policy: publicRead });
    expect(refused.status).toBe(403);
    expect((await alice.client.delete(`/api/v1/buckets/${B}/public-access-block`)).status).toBe(204);
    expect((await alice.client.put(`/api/v1/buckets/${B}/policy`, { policy: publicRead })).status).toBe(200);
    await alice.client.delete(`/api/v1/buckets/${B}/policy`);
  });
});

describe('ownership and ACLs over REST', () => {
  it('ACLs need BucketOwnerPreferred; a public-read object ACL opens the object on S3', async () => {
    const acl = await alice.client.get<{ ownership: string; grants: unknown[] }>(`/api/v1/buckets/${B}/acl`);
    expect(acl.body.ownership).toBe('BucketOwnerEnforced');
    expect(acl.body.grants).toHaveLength(1);
    const refused = await alice.client.put(`/api/v1/buckets/${B}/object-acl/site/index.html`, {
      acl: 'public-read',
    });
    expect(refused.status).toBe(400);

    expect(
      (await alice.client.put(`/api/v1/buckets/${B}/ownership`, { ownership: 'BucketOwnerPreferred' }))
        .status,
    ).toBe(200);
    const set = await alice.client.put<{
      grants: { grantee: { type: string; uri?: string }; permission: string }[];
    }>(`/api/v1/buckets/${B}/object-acl/site/index.html`, { acl: 'public-read' });
    expect(set.status).toBe(200);
    expect(set.body.grants.map((g) => [g.grantee.type, g.permission])).toEqual([
      ['CanonicalUser', 'FULL_CONTROL'],
      ['Group', 'READ'],
    ]);
    expect(await anonGet(`/${B}/site/index.html`)).toBe(200);

    // explicit grant to bob by id on the bucket: bob may list
    const bobId = bob.client.user.id;
    const bucketAcl = await alice.client.put<{ grants: { grantee: { username?: string } }[] }>(
      `/api/v1/buckets/${B}/acl`,
      { grants: [{ grantee: { type: 'CanonicalUser', id: bobId }, permission: 'READ' }] },
    );
    expect(bucketAcl.status).toBe(200);
    expect(bucketAcl.body.grants.map((g) => g.grantee.username)).toContain(bob.client.user.username);
    const unknown = await alice.client.put(`/api/v1/buckets/${B}/acl`, {
      grants: [{ grantee: { type: 'CanonicalUser', id: 'usr-nobody' }, permission: 'READ' }],
    });
    expect(unknown.status).toBe(400);
    // back to enforced needs a private bucket ACL first
    expect(
      (await alice.client.put(`/api/v1/buckets/${B}/ownership`, { ownership: 'BucketOwnerEnforced' })).status,
    ).toBe(400);
    await alice.client.put(`/api/v1/buckets/${B}/acl`, { acl: 'private' });
    expect(
      (await alice.client.put(`/api/v1/buckets/${B}/ownership`, { ownership: 'BucketOwnerEnforced' })).status,
    ).toBe(200);
    expect(await anonGet(`/${B}/site/index.html`)).toBe(403);
  });
});

describe('tags over REST', () => {
  it('bucket tags and object tags: put, get, clear; limits as S3 has them', async () => {
    const put = await alice.client.put(`/api/v1/buckets/${B}/tags`, {
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(put.status).toBe(200);
    const got = await alice.client.get<{ tags: { key: string; value: string }[] }>(
      `/api/v1/buckets/${B}/tags`,
    );
    expect(got.body.tags).toEqual([{ key: 'team', value: 'web' }]);
    await alice.client.put(`/api/v1/buckets/${B}/tags`, { tags: [] });
    expect((await alice.client.get<{ tags: unknown[] }>(`/api/v1/buckets/${B}/tags`)).body.tags).toEqual([]);

    const objPath = `/api/v1/buckets/${B}/object-tags/site/index.html`;
    expect((await alice.client.get<{ tags: unknown[] }>(objPath)).body.tags).toEqual([]);
    const setObj = await alice.client.put(objPath, { tags: [{ key: 'class', value: 'public' }] });
    expect(setObj.status).toBe(200);
    expect((await alice.client.get<{ tags: unknown[] }>(objPath)).body.tags).toEqual([
      { key: 'class', value: 'public' },
    ]);
    const tooMany = await alice.client.put(objPath, {
      tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    });
    expect(tooMany.status).toBe(400);
    expect((await alice.client.get(`/api/v1/buckets/${B}/object-tags/missing.txt`)).status).toBe(404);
    expect((await bob.client.get(objPath)).status).toBe(404);
  });
});
