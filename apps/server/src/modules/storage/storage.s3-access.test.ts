/**
 * Bucket policies, the Public Access Block and ACLs over real HTTP: the AWS SDK v3 for the
 * management calls, unsigned `fetch` for anonymous access (which must work exactly where a
 * policy or ACL allows it, and never when the Public Access Block forbids it).
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, type S3User, type StorageTest, s3err, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let bob: S3User;
let bobId: string;
let aliceId: string;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  aliceId = (await alice.client.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id;
  bobId = (await bob.client.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id;
});
afterAll(async () => {
  await t?.close();
});

/** An unsigned request, as a browser or curl sends it. */
async function anon(method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.s3Url}${path}`, { method, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, text: await res.text() };
}

async function put(user: S3User, bucket: string, key: string, body: string, extra: object = {}) {
  return user.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
}

async function setPolicy(user: S3User, bucket: string, statements: object[]) {
  await user.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
}

const publicRead = (bucket: string, prefix = '') => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
});

describe('anonymous requests', () => {
  it('are denied without a policy or ACL (objects, listing, ListBuckets, CreateBucket)', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-private' }));
    await put(alice, 'acc-private', 'a.txt', 'secret');
    for (const [method, path] of [
      ['GET', '/acc-private/a.txt'],
      ['HEAD', '/acc-private/a.txt'],
      ['GET', '/acc-private'],
      ['GET', '/'],
      ['PUT', '/acc-private/b.txt'],
      ['DELETE', '/acc-private/a.txt'],
      ['PUT', '/acc-anon-new'],
    ] as const) {
      const r = await anon(method, path, method === 'PUT' ? 'x' : undefined);
      expect(r.status, `${method} ${path}`).toBe(403);
      if (method !== 'HEAD') expect(r.text).toContain('<Code>AccessDenied</Code>');
    }
    expect((await anon('GET', '/acc-nowhere/x')).text).toContain('NoSuchBucket');
  });
});

describe('bucket policies', () => {
  it('Put/Get/Delete and PolicyStatus; a public-read policy opens GetObject (only) to anonymous callers', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-web' }));
    await put(alice, 'acc-web', 'public/index.html', '<h1>hi</h1>');
    await put(alice, 'acc-web', 'private/notes.txt', 'mine');
    expect((await s3err(alice.s3.send(new GetBucketPolicyCommand({ Bucket: 'acc-web' })))).name).toBe(
      'NoSuchBucketPolicy',
    );
    await setPolicy(alice, 'acc-web', [publicRead('acc-web', 'public/')]);
    const got = await alice.s3.send(new GetBucketPolicyCommand({ Bucket: 'acc-web' }));
    expect(JSON.parse(got.Policy ?? '{}').Statement[0].Sid).toBe('PublicRead');
    const status = await alice.s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'acc-web' }));
    expect(status.PolicyStatus?.IsPublic).toBe(true);

    const ok = await anon('GET', '/acc-web/public/index.html');
    expect(ok).toEqual({ status: 200, text: '<h1>hi</h1>' });
    expect((await anon('GET', '/acc-web/private/notes.txt')).status).toBe(403);
    expect((await anon('PUT', '/acc-web/public/evil.html', 'x')).status).toBe(403);
    expect((await anon('GET', '/acc-web?list-type=2')).status).toBe(403);
    // other users get what anonymous gets, and no more
    const viaBob = await bob.s3.send(new GetObjectCommand({ Bucket: 'acc-web', Key: 'public/index.html' }));
    expect((await bodyBytes(viaBob.Body)).toString()).toBe('<h1>hi</h1>');
    expect(
      (await s3err(bob.s3.send(new GetObjectCommand({ Bucket: 'acc-web', Key: 'private/notes.txt' }))))
        .status,
    ).toBe(403);
    // only the owner manages the policy
    expect((await s3err(bob.s3.send(new GetBucketPolicyCommand({ Bucket: 'acc-web' })))).status).toBe(403);
    expect((await s3err(bob.s3.send(new DeleteBucketPolicyCommand({ Bucket: 'acc-web' })))).status).toBe(403);

    await alice.s3.send(new DeleteBucketPolicyCommand({ Bucket: 'acc-web' }));
    expect((await anon('GET', '/acc-web/public/index.html')).status).toBe(403); // the cache was invalidated
  });

  it('refuses malformed policies with MalformedPolicy (bad JSON, foreign resources, unknown principals)', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-bad' }));
    const bad = async (policy: string) =>
      s3err(alice.s3.send(new PutBucketPolicyCommand({ Bucket: 'acc-bad', Policy: policy })));
    const e1 = await bad('this is not json');
    expect(e1).toMatchObject({ name: 'MalformedPolicy', status: 400 });
    const e2 = await bad(JSON.stringify({ Statement: [publicRead('other-bucket')] }));
    expect(e2.message).toBe('Policy has invalid resource');
    const e3 = await bad(
      JSON.stringify({
        Statement: [{ ...publicRead('acc-bad'), Principal: { AWS: 'arn:aws:iam::nobody-here:root' } }],
      }),
    );
    expect(e3.message).toBe('Invalid principal in policy');
    const e4 = await bad(JSON.stringify({ Statement: [{ ...publicRead('acc-bad'), Action: 's3:Fly' }] }));
    expect(e4.message).toBe('Policy has invalid action');
  });

  it('grants another user exactly what it names (prefix, actions); copy reads through the grant', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-shared' }));
    await put(alice, 'acc-shared', 'drop/readme.txt', 'readme');
    await setPolicy(alice, 'acc-shared', [
      {
        Sid: 'BobDrops',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${bobId}:root` },
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: 'arn:aws:s3:::acc-shared/drop/*',
      },
      {
        Sid: 'BobLists',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${bobId}:root` },
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::acc-shared',
        Condition: { StringLike: { 's3:prefix': 'drop/*' } },
      },
    ]);
    const st = await alice.s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'acc-shared' }));
    expect(st.PolicyStatus?.IsPublic).toBe(false);
    await put(bob, 'acc-shared', 'drop/from-bob.txt', 'hello alice');
    expect((await s3err(put(bob, 'acc-shared', 'other/x.txt', 'no'))).status).toBe(403);
    const listed = await bob.s3.send(new ListObjectsV2Command({ Bucket: 'acc-shared', Prefix: 'drop/' }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual(['drop/from-bob.txt', 'drop/readme.txt']);
    expect((await s3err(bob.s3.send(new ListObjectsV2Command({ Bucket: 'acc-shared' })))).status).toBe(403);
    // the owner still reads what bob wrote (objects belong to the bucket owner)
    const r = await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-shared', Key: 'drop/from-bob.txt' }));
    expect((await bodyBytes(r.Body)).toString()).toBe('hello alice');
    // copy from alice's bucket into bob's own: s3:GetObject on the source is enough
    await bob.s3.send(new CreateBucketCommand({ Bucket: 'acc-bob-own' }));
    await bob.s3.send(
      new CopyObjectCommand({
        Bucket: 'acc-bob-own',
        Key: 'copy.txt',
        CopySource: 'acc-shared/drop/readme.txt',
      }),
    );
    const c = await bob.s3.send(new GetObjectCommand({ Bucket: 'acc-bob-own', Key: 'copy.txt' }));
    expect((await bodyBytes(c.Body)).toString()).toBe('readme');
    // ...but not into alice's bucket outside the granted prefix
    expect(
      (
        await s3err(
          bob.s3.send(
            new CopyObjectCommand({
              Bucket: 'acc-shared',
              Key: 'x/copy.txt',
              CopySource: 'acc-bob-own/copy.txt',
            }),
          ),
        )
      ).status,
    ).toBe(403);
    // DeleteObjects by bob: nothing grants s3:DeleteObject → refused as a whole
    expect(
      (
        await s3err(
          bob.s3.send(
            new DeleteObjectsCommand({
              Bucket: 'acc-shared',
              Delete: { Objects: [{ Key: 'drop/readme.txt' }] },
            }),
          ),
        )
      ).status,
    ).toBe(403);
    // with a grant for drop/*: per key
    await setPolicy(alice, 'acc-shared', [
      {
        Effect: 'Allow',
        Principal: { AWS: bobId },
        Action: 's3:DeleteObject',
        Resource: 'arn:aws:s3:::acc-shared/drop/*',
      },
    ]);
    await put(alice, 'acc-shared', 'other/keep.txt', 'k');
    const batch = await bob.s3.send(
      new DeleteObjectsCommand({
        Bucket: 'acc-shared',
        Delete: { Objects: [{ Key: 'drop/readme.txt' }, { Key: 'other/keep.txt' }] },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key)).toEqual(['drop/readme.txt']);
    expect(batch.Errors?.map((e) => [e.Key, e.Code])).toEqual([['other/keep.txt', 'AccessDenied']]);
    const kept = await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-shared', Key: 'other/keep.txt' }));
    expect((await bodyBytes(kept.Body)).toString()).toBe('k');
  });

  it('an explicit Deny wins, also over the owner; the owner can still remove the policy', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-deny' }));
    await put(alice, 'acc-deny', 'vault/gold.txt', 'gold');
    await put(alice, 'acc-deny', 'open/a.txt', 'a');
    await setPolicy(alice, 'acc-deny', [
      publicRead('acc-deny'),
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::acc-deny/vault/*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acc-deny', 'arn:aws:s3:::acc-deny/*'],
        Condition: { StringEquals: { 'aws:UserAgent': 'blocked-agent' } },
      },
    ]);
    expect((await anon('GET', '/acc-deny/open/a.txt')).status).toBe(200);
    expect((await anon('GET', '/acc-deny/vault/gold.txt')).status).toBe(403);
    expect(
      (await s3err(alice.s3.send(new GetObjectCommand({ Bucket: 'acc-deny', Key: 'vault/gold.txt' }))))
        .status,
    ).toBe(403);
    const blocked = await fetch(`${t.s3Url}/acc-deny/open/a.txt`, {
      headers: { 'user-agent': 'blocked-agent' },
    });
    expect(blocked.status).toBe(403);
    // DeleteObjects is decided per key: the vault key is refused, the other one goes
    await put(alice, 'acc-deny', 'open/b.txt', 'b');
    const batch = await alice.s3.send(
      new DeleteObjectsCommand({
        Bucket: 'acc-deny',
        Delete: { Objects: [{ Key: 'vault/gold.txt' }, { Key: 'open/b.txt' }] },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key)).toEqual(['open/b.txt']);
    expect(batch.Errors?.map((e) => [e.Key, e.Code])).toEqual([['vault/gold.txt', 'AccessDenied']]);
    await alice.s3.send(new DeleteBucketPolicyCommand({ Bucket: 'acc-deny' }));
    const r = await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-deny', Key: 'vault/gold.txt' }));
    expect((await bodyBytes(r.Body)).toString()).toBe('gold');
  });

  it('aws:SecureTransport: a Deny for plain HTTP applies to this (http) endpoint', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-tls' }));
    await put(alice, 'acc-tls', 'a.txt', 'a');
    await setPolicy(alice, 'acc-tls', [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::acc-tls/*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expect(
      (await s3err(alice.s3.send(new GetObjectCommand({ Bucket: 'acc-tls', Key: 'a.txt' })))).status,
    ).toBe(403);
  });
});

describe('public access block', () => {
  it('BlockPublicPolicy refuses public policies; RestrictPublicBuckets shuts an existing one; delete reopens', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-pab' }));
    await put(alice, 'acc-pab', 'a.txt', 'a');
    expect((await s3err(alice.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'acc-pab' })))).name).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );
    await setPolicy(alice, 'acc-pab', [publicRead('acc-pab')]);
    expect((await anon('GET', '/acc-pab/a.txt')).status).toBe(200);

    await alice.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'acc-pab',
        PublicAccessBlockConfiguration: { RestrictPublicBuckets: true },
      }),
    );
    const got = await alice.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'acc-pab' }));
    expect(got.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
    expect((await anon('GET', '/acc-pab/a.txt')).status).toBe(403);
    expect((await s3err(bob.s3.send(new GetObjectCommand({ Bucket: 'acc-pab', Key: 'a.txt' })))).status).toBe(
      403,
    );
    // the owner is not affected
    await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-pab', Key: 'a.txt' }));

    await alice.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'acc-pab',
        PublicAccessBlockConfiguration: { BlockPublicPolicy: true },
      }),
    );
    const denied = await s3err(setPolicy(alice, 'acc-pab', [publicRead('acc-pab', 'x/')]));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    // a non-public policy is still fine
    await setPolicy(alice, 'acc-pab', [{ ...publicRead('acc-pab'), Principal: { AWS: bobId } }]);
    await alice.s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'acc-pab' }));
    await setPolicy(alice, 'acc-pab', [publicRead('acc-pab')]);
    expect((await anon('GET', '/acc-pab/a.txt')).status).toBe(200);
  });
});

describe('ACLs', () => {
  it('BucketOwnerEnforced (the default) refuses ACLs that grant anything beyond the owner', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-enforced' }));
    const own = await alice.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'acc-enforced' }));
    expect(own.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    expect((await s3err(put(alice, 'acc-enforced', 'a', 'a', { ACL: 'public-read' }))).name).toBe(
      'AccessControlListNotSupported',
    );
    await put(alice, 'acc-enforced', 'a', 'a', { ACL: 'bucket-owner-full-control' });
    expect(
      (await s3err(alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-enforced-2', ACL: 'public-read' }))))
        .name,
    ).toBe('InvalidBucketAclWithObjectOwnership');
  });

  it('with ACLs enabled: canned and explicit grants on objects and buckets are enforced', async () => {
    await alice.s3.send(
      new CreateBucketCommand({
        Bucket: 'acc-acl',
        ObjectOwnership: 'BucketOwnerPreferred',
        ACL: 'public-read',
      }),
    );
    // bucket public-read: anonymous listing works, reading objects does not (object ACLs are private)
    await put(alice, 'acc-acl', 'private.txt', 'p');
    const list = await anon('GET', '/acc-acl?list-type=2');
    expect(list.status).toBe(200);
    expect(list.text).toContain('<Key>private.txt</Key>');
    expect((await anon('GET', '/acc-acl/private.txt')).status).toBe(403);

    await put(alice, 'acc-acl', 'pub.txt', 'pub', { ACL: 'public-read' });
    expect(await anon('GET', '/acc-acl/pub.txt')).toEqual({ status: 200, text: 'pub' });
    const acl = await alice.s3.send(new GetObjectAclCommand({ Bucket: 'acc-acl', Key: 'pub.txt' }));
    expect(acl.Owner?.ID).toBe(aliceId);
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? g.Grantee?.ID, g.Permission])).toEqual([
      ['CanonicalUser', aliceId, 'FULL_CONTROL'],
      ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ'],
    ]);
    // overwriting without an ACL makes the object private again, as on S3
    await put(alice, 'acc-acl', 'pub.txt', 'pub v2');
    expect((await anon('GET', '/acc-acl/pub.txt')).status).toBe(403);

    // an explicit grant to bob by canonical id
    await alice.s3.send(
      new PutObjectAclCommand({ Bucket: 'acc-acl', Key: 'private.txt', GrantRead: `id="${bobId}"` }),
    );
    const r = await bob.s3.send(new GetObjectCommand({ Bucket: 'acc-acl', Key: 'private.txt' }));
    expect((await bodyBytes(r.Body)).toString()).toBe('p');
    expect((await anon('GET', '/acc-acl/private.txt')).status).toBe(403);
    // unknown grantees answer S3's errors
    expect(
      (
        await s3err(
          alice.s3.send(
            new PutObjectAclCommand({ Bucket: 'acc-acl', Key: 'private.txt', GrantRead: 'id="usr_nobody"' }),
          ),
        )
      ).name,
    ).toBe('InvalidArgument');
    expect(
      (
        await s3err(
          alice.s3.send(
            new PutObjectAclCommand({
              Bucket: 'acc-acl',
              Key: 'private.txt',
              GrantRead: 'emailAddress="x@example.com"',
            }),
          ),
        )
      ).name,
    ).toBe('UnresolvableGrantByEmailAddress');

    // bucket ACL: public-read-write lets anonymous callers upload
    await alice.s3.send(new PutBucketAclCommand({ Bucket: 'acc-acl', ACL: 'public-read-write' }));
    expect((await anon('PUT', '/acc-acl/anon.txt', 'from nobody')).status).toBe(200);
    const back = await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-acl', Key: 'anon.txt' }));
    expect((await bodyBytes(back.Body)).toString()).toBe('from nobody');
    const bacl = await alice.s3.send(new GetBucketAclCommand({ Bucket: 'acc-acl' }));
    expect(bacl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'READ', 'WRITE']);
    // back to private
    await alice.s3.send(new PutBucketAclCommand({ Bucket: 'acc-acl', ACL: 'private' }));
    expect((await anon('PUT', '/acc-acl/anon2.txt', 'x')).status).toBe(403);
    expect((await anon('GET', '/acc-acl?list-type=2')).status).toBe(403);
  });

  it('the Public Access Block: BlockPublicAcls refuses public ACLs, IgnorePublicAcls disregards them', async () => {
    await alice.s3.send(
      new CreateBucketCommand({ Bucket: 'acc-acl-pab', ObjectOwnership: 'BucketOwnerPreferred' }),
    );
    await put(alice, 'acc-acl-pab', 'a.txt', 'a', { ACL: 'public-read' });
    expect((await anon('GET', '/acc-acl-pab/a.txt')).status).toBe(200);
    await alice.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'acc-acl-pab',
        PublicAccessBlockConfiguration: { IgnorePublicAcls: true, BlockPublicAcls: true },
      }),
    );
    expect((await anon('GET', '/acc-acl-pab/a.txt')).status).toBe(403);
    expect((await s3err(put(alice, 'acc-acl-pab', 'b.txt', 'b', { ACL: 'public-read' }))).name).toBe(
      'AccessDenied',
    );
    expect(
      (
        await s3err(
          alice.s3.send(
            new PutObjectAclCommand({ Bucket: 'acc-acl-pab', Key: 'a.txt', ACL: 'authenticated-read' }),
          ),
        )
      ).name,
    ).toBe('AccessDenied');
    // going back to BucketOwnerEnforced needs a private bucket ACL, and then drops ACLs
    await alice.s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: 'acc-acl-pab',
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    );
    await alice.s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'acc-acl-pab' }));
    expect((await anon('GET', '/acc-acl-pab/a.txt')).status).toBe(403);
  });
});

describe('x-amz-expiration', () => {
  it('PUT, HEAD and GET say when a lifecycle rule expires the object, and which rule', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'acc-expiry' }));
    await alice.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'acc-expiry',
        LifecycleConfiguration: {
          Rules: [{ ID: 'tmp-rule', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 2 } }],
        },
      }),
    );
    const first = await put(alice, 'acc-expiry', 'tmp/a.txt', 'a');
    expect(first.Expiration).toMatch(
      /^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} 00:00:00 GMT", rule-id="tmp-rule"$/,
    );
    const due = Date.parse(/expiry-date="([^"]+)"/.exec(first.Expiration ?? '')![1]!);
    const twoDays = Date.now() + 2 * 86_400_000;
    expect(due).toBeGreaterThanOrEqual(twoDays - 86_400_000);
    expect(due).toBeLessThanOrEqual(twoDays + 86_400_000);
    expect(
      (await alice.s3.send(new HeadObjectCommand({ Bucket: 'acc-expiry', Key: 'tmp/a.txt' }))).Expiration,
    ).toBe(first.Expiration);
    const got = await alice.s3.send(new GetObjectCommand({ Bucket: 'acc-expiry', Key: 'tmp/a.txt' }));
    expect(got.Expiration).toBe(first.Expiration);
    await bodyBytes(got.Body);
    // outside the rule's prefix: no header
    const other = await put(alice, 'acc-expiry', 'keep/b.txt', 'b');
    expect(other.Expiration).toBeUndefined();
    // removing the rules (REST) takes effect at once
    expect((await alice.client.delete('/api/v1/buckets/acc-expiry/lifecycle')).status).toBe(204);
    expect(
      (await alice.s3.send(new HeadObjectCommand({ Bucket: 'acc-expiry', Key: 'tmp/a.txt' }))).Expiration,
    ).toBeUndefined();
  });
});
