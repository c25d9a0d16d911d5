/**
 * S3 Object Lock over real HTTP with the AWS SDK v3 (and raw signed requests for the headers and
 * error cases the SDK hides): lock-enabled buckets, default retention, retention and legal hold
 * per version, refused deletes, the GOVERNANCE bypass (admins only) and COMPLIANCE that cannot
 * be shortened, lock headers on PUT / copy / multipart, lifecycle skipping locked versions.
 */
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { storageContext } from './storage.service.ts';
import {
  type S3User,
  type StorageTest,
  s3err,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
let admin: S3User;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  admin = await t.newS3User('admin');
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);

async function lockedBucket(name: string): Promise<void> {
  await alice.s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
}

async function put(bucket: string, key: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await alice.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'data', ...extra }));
  return r.VersionId!;
}

describe('object lock configuration', () => {
  it('a bucket created with object lock is versioned, cannot be suspended, and reports its configuration', async () => {
    await lockedBucket('ol-create');
    const v = await alice.s3.send(new GetBucketVersioningCommand({ Bucket: 'ol-create' }));
    expect(v.Status).toBe('Enabled');
    const cfg = await alice.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'ol-create' }));
    expect(cfg.ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
    expect(cfg.ObjectLockConfiguration?.Rule).toBeUndefined();
    const e = await s3err(
      alice.s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'ol-create',
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      ),
    );
    expect([e.name, e.status]).toEqual(['InvalidBucketState', 409]);
  });

  it('an existing bucket needs versioning Enabled before object lock (409), then accepts it', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'ol-later' }));
    const none = await s3err(alice.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'ol-later' })));
    expect([none.name, none.status]).toEqual(['ObjectLockConfigurationNotFoundError', 404]);
    const cfg = {
      Bucket: 'ol-later',
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled' as const,
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 2 } },
      },
    };
    const e = await s3err(alice.s3.send(new PutObjectLockConfigurationCommand(cfg)));
    expect([e.name, e.status]).toEqual(['InvalidBucketState', 409]);
    await alice.s3.send(
      new PutBucketVersioningCommand({ Bucket: 'ol-later', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await alice.s3.send(new PutObjectLockConfigurationCommand(cfg));
    const got = await alice.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'ol-later' }));
    expect(got.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 2 });
  });

  it('validates the configuration as AWS does', async () => {
    await lockedBucket('ol-validate');
    const send = (body: string, headers: Record<string, string> = {}) =>
      signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path: '/ol-validate',
        query: { 'object-lock': '' },
        body,
        headers: { 'content-md5': md5(body), ...headers },
      });
    const both = await send(
      '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule></ObjectLockConfiguration>',
    );
    expect(both.status).toBe(400);
    expect(both.text).toContain('<Code>MalformedXML</Code>');
    const zero = await send(
      '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>0</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
    );
    expect(zero.status).toBe(400);
    expect(zero.text).toContain('<Code>InvalidArgument</Code>');
    const mode = await send(
      '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>FOREVER</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
    );
    expect(mode.status).toBe(400);
    expect(mode.text).toContain('<Code>MalformedXML</Code>');
    const body =
      '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Years>1</Years></DefaultRetention></Rule></ObjectLockConfiguration>';
    const noMd5 = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/ol-validate',
      query: { 'object-lock': '' },
      body,
    });
    expect(noMd5.status).toBe(400);
    expect(noMd5.text).toContain('Content-MD5');
    expect((await send(body)).status).toBe(200);
  });
});

function md5(body: string): string {
  return createHash('md5').update(body).digest('base64');
}

describe('retention', () => {
  it('default retention locks new versions; deletes of them are refused, a plain delete adds a marker', async () => {
    await lockedBucket('ol-default');
    await alice.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: 'ol-default',
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    const before = Date.now();
    const vid = await put('ol-default', 'doc.txt');
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: 'ol-default', Key: 'doc.txt' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    const until = head.ObjectLockRetainUntilDate!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + DAY - 2000);
    expect(until).toBeLessThanOrEqual(Date.now() + DAY + 2000);
    const ret = await alice.s3.send(new GetObjectRetentionCommand({ Bucket: 'ol-default', Key: 'doc.txt' }));
    expect(ret.Retention?.Mode).toBe('GOVERNANCE');

    const refused = await s3err(
      alice.s3.send(new DeleteObjectCommand({ Bucket: 'ol-default', Key: 'doc.txt', VersionId: vid })),
    );
    expect([refused.name, refused.status]).toEqual(['AccessDenied', 403]);
    const marker = await alice.s3.send(new DeleteObjectCommand({ Bucket: 'ol-default', Key: 'doc.txt' }));
    expect(marker.DeleteMarker).toBe(true);

    // the owner (an operator) may not bypass GOVERNANCE; an admin may
    const noBypass = await s3err(
      alice.s3.send(
        new DeleteObjectCommand({
          Bucket: 'ol-default',
          Key: 'doc.txt',
          VersionId: vid,
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect([noBypass.name, noBypass.status]).toEqual(['AccessDenied', 403]);
    expect(noBypass.message).toContain('bypass_governance');
    await admin.s3.send(
      new DeleteObjectCommand({
        Bucket: 'ol-default',
        Key: 'doc.txt',
        VersionId: vid,
        BypassGovernanceRetention: true,
      }),
    );
    const left = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: 'ol-default' }));
    expect(left.Versions ?? []).toHaveLength(0);
    expect(left.DeleteMarkers).toHaveLength(1);
  });

  it('COMPLIANCE can be extended but never shortened, switched or bypassed', async () => {
    await lockedBucket('ol-compliance');
    const until = inHours(2);
    const vid = await put('ol-compliance', 'c', {
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until,
    });
    const r = await alice.s3.send(new GetObjectRetentionCommand({ Bucket: 'ol-compliance', Key: 'c' }));
    expect(r.Retention?.Mode).toBe('COMPLIANCE');
    expect(Math.abs(r.Retention!.RetainUntilDate!.getTime() - until.getTime())).toBeLessThan(1000);

    const shorter = await s3err(
      admin.s3.send(
        new PutObjectRetentionCommand({
          Bucket: 'ol-compliance',
          Key: 'c',
          Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inHours(1) },
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect([shorter.name, shorter.status]).toEqual(['AccessDenied', 403]);
    const toGovernance = await s3err(
      admin.s3.send(
        new PutObjectRetentionCommand({
          Bucket: 'ol-compliance',
          Key: 'c',
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inHours(5) },
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect(toGovernance.status).toBe(403);
    await alice.s3.send(
      new PutObjectRetentionCommand({
        Bucket: 'ol-compliance',
        Key: 'c',
        VersionId: vid,
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inHours(3) },
      }),
    );
    const del = await s3err(
      admin.s3.send(
        new DeleteObjectCommand({
          Bucket: 'ol-compliance',
          Key: 'c',
          VersionId: vid,
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect([del.name, del.status]).toEqual(['AccessDenied', 403]);
    const batch = await alice.s3.send(
      new DeleteObjectsCommand({
        Bucket: 'ol-compliance',
        Delete: { Objects: [{ Key: 'c', VersionId: vid }] },
      }),
    );
    expect(batch.Errors?.[0]?.Code).toBe('AccessDenied');
  });

  it('GOVERNANCE retention can be removed only with the bypass header by an admin', async () => {
    await lockedBucket('ol-gov');
    const vid = await put('ol-gov', 'g', {
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: inHours(4),
    });
    const shorten = {
      Bucket: 'ol-gov',
      Key: 'g',
      Retention: { Mode: 'GOVERNANCE' as const, RetainUntilDate: inHours(1) },
    };
    expect((await s3err(alice.s3.send(new PutObjectRetentionCommand(shorten)))).status).toBe(403);
    expect(
      (
        await s3err(
          alice.s3.send(new PutObjectRetentionCommand({ ...shorten, BypassGovernanceRetention: true })),
        )
      ).status,
    ).toBe(403);
    await admin.s3.send(new PutObjectRetentionCommand({ ...shorten, BypassGovernanceRetention: true }));
    // an empty Retention removes it
    const body = '<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></Retention>';
    const removed = await signedRequest(t.s3Url, admin.key, {
      method: 'PUT',
      path: '/ol-gov/g',
      query: { retention: '' },
      body,
      headers: { 'content-md5': md5(body), 'x-amz-bypass-governance-retention': 'true' },
    });
    expect(removed.status).toBe(200);
    const none = await s3err(alice.s3.send(new GetObjectRetentionCommand({ Bucket: 'ol-gov', Key: 'g' })));
    expect([none.name, none.status]).toEqual(['NoSuchObjectLockConfiguration', 404]);
    await alice.s3.send(new DeleteObjectCommand({ Bucket: 'ol-gov', Key: 'g', VersionId: vid }));
  });

  it('answers AWS errors for bad lock headers and buckets without object lock', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'ol-plain' }));
    const plain = await s3err(
      put('ol-plain', 'x', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inHours(1) }),
    );
    expect([plain.name, plain.status]).toEqual(['InvalidRequest', 400]);
    expect(plain.message).toContain('missing Object Lock Configuration');
    await put('ol-plain', 'x');
    const ret = await s3err(
      alice.s3.send(
        new PutObjectRetentionCommand({
          Bucket: 'ol-plain',
          Key: 'x',
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inHours(1) },
        }),
      ),
    );
    expect([ret.name, ret.status]).toEqual(['InvalidRequest', 400]);

    await lockedBucket('ol-headers');
    const modeOnly = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/ol-headers/a',
      body: 'a',
      headers: { 'x-amz-object-lock-mode': 'GOVERNANCE', 'content-md5': md5('a') },
    });
    expect(modeOnly.status).toBe(400);
    expect(modeOnly.text).toContain('<Code>InvalidArgument</Code>');
    const past = await s3err(
      put('ol-headers', 'a', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inHours(-1) }),
    );
    expect([past.name, past.status]).toEqual(['InvalidArgument', 400]);
    const noDigest = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/ol-headers/a',
      body: 'a',
      headers: {
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': inHours(1).toISOString(),
      },
    });
    expect(noDigest.status).toBe(400);
    expect(noDigest.text).toContain('Content-MD5 OR x-amz-checksum-');
  });
});

describe('legal hold', () => {
  it('a legal hold blocks deletes until it is released, whatever the retention', async () => {
    await lockedBucket('ol-hold');
    const vid = await put('ol-hold', 'h', { ObjectLockLegalHoldStatus: 'ON' });
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: 'ol-hold', Key: 'h' }));
    expect(head.ObjectLockLegalHoldStatus).toBe('ON');
    const del = await s3err(
      admin.s3.send(
        new DeleteObjectCommand({
          Bucket: 'ol-hold',
          Key: 'h',
          VersionId: vid,
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect(del.status).toBe(403);
    await alice.s3.send(
      new PutObjectLegalHoldCommand({ Bucket: 'ol-hold', Key: 'h', LegalHold: { Status: 'OFF' } }),
    );
    const got = await alice.s3.send(new GetObjectLegalHoldCommand({ Bucket: 'ol-hold', Key: 'h' }));
    expect(got.LegalHold?.Status).toBe('OFF');
    await alice.s3.send(new DeleteObjectCommand({ Bucket: 'ol-hold', Key: 'h', VersionId: vid }));
    const none = await s3err(alice.s3.send(new GetObjectLegalHoldCommand({ Bucket: 'ol-hold', Key: 'h' })));
    expect(none.status).toBe(404);
  });
});

describe('copy, multipart and lifecycle', () => {
  it('copy and multipart uploads take the lock headers', async () => {
    await lockedBucket('ol-writes');
    await put('ol-writes', 'src');
    await alice.s3.send(
      new CopyObjectCommand({
        Bucket: 'ol-writes',
        Key: 'dst',
        CopySource: 'ol-writes/src',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: inHours(1),
      }),
    );
    const dst = await alice.s3.send(new HeadObjectCommand({ Bucket: 'ol-writes', Key: 'dst' }));
    expect(dst.ObjectLockMode).toBe('GOVERNANCE');
    const src = await alice.s3.send(new HeadObjectCommand({ Bucket: 'ol-writes', Key: 'src' }));
    expect(src.ObjectLockMode).toBeUndefined();

    const up = await alice.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'ol-writes',
        Key: 'big',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: inHours(1),
        ObjectLockLegalHoldStatus: 'ON',
      }),
    );
    const part = await alice.s3.send(
      new UploadPartCommand({
        Bucket: 'ol-writes',
        Key: 'big',
        UploadId: up.UploadId,
        PartNumber: 1,
        Body: 'part one',
      }),
    );
    const done = await alice.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'ol-writes',
        Key: 'big',
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const big = await alice.s3.send(new HeadObjectCommand({ Bucket: 'ol-writes', Key: 'big' }));
    expect(big.ObjectLockMode).toBe('COMPLIANCE');
    expect(big.ObjectLockLegalHoldStatus).toBe('ON');
    const del = await s3err(
      alice.s3.send(new DeleteObjectCommand({ Bucket: 'ol-writes', Key: 'big', VersionId: done.VersionId })),
    );
    expect(del.status).toBe(403);
  });

  it('lifecycle expiration leaves locked versions in place', async () => {
    await lockedBucket('ol-lifecycle');
    const locked = await put('ol-lifecycle', 'k', { ObjectLockLegalHoldStatus: 'ON' });
    const free = await put('ol-lifecycle', 'k');
    await put('ol-lifecycle', 'k'); // current
    await alice.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'ol-lifecycle',
        LifecycleConfiguration: {
          Rules: [
            { ID: 'old', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
          ],
        },
      }),
    );
    const report = await t.ctx.app.storage.service.applyLifecycle(
      storageContext(systemContext(systemActor, 'test-lifecycle'), 'api'),
      Date.now() + 10 * DAY,
      'ol-lifecycle',
    );
    expect(report.expiredNoncurrentVersions).toBe(1);
    const left = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: 'ol-lifecycle' }));
    const ids = (left.Versions ?? []).map((v) => v.VersionId);
    expect(ids).toContain(locked);
    expect(ids).not.toContain(free);
    expect(ids).toHaveLength(2);
  });
});
