/**
 * Bucket lifecycle over real HTTP with the AWS SDK v3: Put/Get/DeleteBucketLifecycleConfiguration
 * with AWS's validation errors, and the engine applied with a clock moved forward: expiration by
 * days and date (unversioned: gone; versioned: a delete marker), noncurrent-version expiration
 * with NewerNoncurrentVersions, expired delete markers, stale multipart uploads, prefix, tag and
 * size filters; plus the REST API the console and CLI use.
 */
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { dueAfterDays } from './storage.lifecycle.ts';
import { storageContext } from './storage.service.ts';
import { type S3User, type StorageTest, s3err, startStorageTest } from './storage.test-helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
let t: StorageTest;
let alice: S3User;
let bob: S3User;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
});
afterAll(async () => {
  await t?.close();
});

const put = (bucket: string, key: string, body = 'x', tagging?: string) =>
  alice.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Tagging: tagging }));
const setRules = (bucket: string, rules: LifecycleRule[]) =>
  alice.s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }),
  );
const apply = (daysFromNow: number, bucket?: string) =>
  t.ctx.app.storage.service.applyLifecycle(
    storageContext(systemContext(systemActor, 'test-lifecycle'), 'api'),
    Date.now() + daysFromNow * DAY,
    bucket,
  );
async function keys(bucket: string): Promise<string[]> {
  const r = await alice.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (r.Contents ?? []).map((c) => c.Key!).sort();
}
async function newBucket(name: string, versioned = false) {
  await alice.s3.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned)
    await alice.s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
    );
}

describe('lifecycle configuration (S3)', () => {
  const B = 'lc-config';
  beforeAll(() => newBucket(B));

  it('answers NoSuchLifecycleConfiguration before one is set, stores and returns rules, deletes them', async () => {
    expect(
      await s3err(alice.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))),
    ).toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
      status: 404,
    });
    await setRules(B, [
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
      {
        ID: 'tagged',
        Status: 'Disabled',
        Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'class', Value: 'scratch' }] } },
        Expiration: { Date: new Date('2030-01-01T00:00:00Z') },
        NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
      },
      { Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
    ]);
    const got = await alice.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }));
    expect(got.Rules).toHaveLength(3);
    expect(got.Rules![0]).toMatchObject({
      ID: 'logs',
      Status: 'Enabled',
      Filter: { Prefix: 'logs/' },
      Expiration: { Days: 30 },
    });
    expect(got.Rules![1]!.Filter!.And).toMatchObject({
      Prefix: 'tmp/',
      Tags: [{ Key: 'class', Value: 'scratch' }],
    });
    expect(got.Rules![1]!.Expiration!.Date!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(got.Rules![1]!.NoncurrentVersionExpiration).toMatchObject({
      NoncurrentDays: 7,
      NewerNoncurrentVersions: 2,
    });
    expect(got.Rules![2]!.ID).toMatch(/^\S{8,}$/); // generated
    expect(got.Rules![2]!.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 3 });

    // the REST API shows the same rules, and the bucket says it has them
    const rest = await alice.client.get<{ rules: { id: string }[] }>(`/api/v1/buckets/${B}/lifecycle`);
    expect(rest.body.rules.map((r) => r.id).slice(0, 2)).toEqual(['logs', 'tagged']);
    const info = await alice.client.get<{ lifecycleRules: number }>(`/api/v1/buckets/${B}`);
    expect(info.body.lifecycleRules).toBe(3);

    await alice.s3.send(new DeleteBucketLifecycleCommand({ Bucket: B }));
    expect(
      await s3err(alice.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))),
    ).toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });
  });

  it('refuses invalid rules with the errors AWS gives', async () => {
    const cases: [LifecycleRule[], string][] = [
      [[{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' } }], 'InvalidRequest'], // no action
      [[{ ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }], 'InvalidArgument'],
      [
        [{ ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }],
        'InvalidArgument',
      ],
      [
        [
          {
            ID: 'a',
            Status: 'Enabled',
            Filter: {},
            Expiration: { Days: 1, ExpiredObjectDeleteMarker: true },
          },
        ],
        'MalformedXML',
      ],
      [
        [
          { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } },
          { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 2 } },
        ],
        'InvalidArgument',
      ],
      [
        [
          {
            ID: 'a',
            Status: 'Enabled',
            Filter: { Tag: { Key: 'k', Value: 'v' } },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
        'InvalidRequest',
      ],
      [
        [{ ID: 'a', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: -1 } }],
        'InvalidArgument',
      ],
      [[{ ID: 'x'.repeat(256), Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }], 'InvalidArgument'],
      [
        [{ ID: 'a', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }],
        'NotImplemented',
      ],
    ];
    for (const [rules, code] of cases) {
      const err = await s3err(setRules(B, rules));
      expect(err.name, JSON.stringify(rules).slice(0, 120)).toBe(code);
    }
    // nothing was stored by any of them
    expect(
      await s3err(alice.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))),
    ).toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
    });
  });

  it("another user's bucket: AccessDenied on S3, 404 on the REST API", async () => {
    expect((await s3err(bob.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })))).name).toBe(
      'AccessDenied',
    );
    const rest = await bob.client.put(`/api/v1/buckets/${B}/lifecycle`, {
      rules: [{ status: 'Enabled', filter: {}, expiration: { days: 1 } }],
    });
    expect(rest.status).toBe(404);
  });
});

describe('lifecycle engine', () => {
  it('rounds due times up to the next midnight UTC, as S3 does', () => {
    expect(new Date(dueAfterDays('2026-01-15T10:30:00.000Z', 3)).toISOString()).toBe(
      '2026-01-19T00:00:00.000Z',
    );
    expect(new Date(dueAfterDays('2026-01-15T00:00:00.000Z', 1)).toISOString()).toBe(
      '2026-01-16T00:00:00.000Z',
    );
  });

  it('expires current objects by days with prefix, tag and size filters (unversioned: removed)', async () => {
    const B = 'lc-expire';
    await newBucket(B);
    await put(B, 'logs/a.log');
    await put(B, 'logs/big.log', 'x'.repeat(2048));
    await put(B, 'tmp/scratch', 'x', 'class=scratch');
    await put(B, 'tmp/keep', 'x', 'class=keep');
    await put(B, 'docs/readme');
    await setRules(B, [
      {
        ID: 'logs',
        Status: 'Enabled',
        Filter: { And: { Prefix: 'logs/', ObjectSizeLessThan: 1024 } },
        Expiration: { Days: 2 },
      },
      {
        ID: 'scratch',
        Status: 'Enabled',
        Filter: { Tag: { Key: 'class', Value: 'scratch' } },
        Expiration: { Days: 1 },
      },
      { ID: 'off', Status: 'Disabled', Filter: {}, Expiration: { Days: 1 } },
    ]);
    expect((await apply(0, B)).expiredObjects).toBe(0); // not due yet
    const one = await apply(2, B); // past the scratch rule's due time, not the logs rule's
    expect(one.expiredObjects).toBe(1);
    expect(await keys(B)).toEqual(['docs/readme', 'logs/a.log', 'logs/big.log', 'tmp/keep']);
    await apply(3, B);
    expect(await keys(B)).toEqual(['docs/readme', 'logs/big.log', 'tmp/keep']);
  });

  it('expires by date', async () => {
    const B = 'lc-date';
    await newBucket(B);
    await put(B, 'a');
    const tomorrow = new Date(Math.ceil((Date.now() + DAY) / DAY) * DAY);
    await setRules(B, [{ ID: 'd', Status: 'Enabled', Filter: {}, Expiration: { Date: tomorrow } }]);
    await apply(0, B);
    expect(await keys(B)).toEqual(['a']);
    await apply(2, B);
    expect(await keys(B)).toEqual([]);
  });

  it('versioned: current versions get a delete marker, noncurrent ones expire keeping the newest N, then the marker goes', async () => {
    const B = 'lc-versions';
    await newBucket(B, true);
    for (const body of ['v1', 'v2', 'v3', 'v4']) await put(B, 'doc', body);
    await setRules(B, [
      {
        ID: 'nc',
        Status: 'Enabled',
        Filter: {},
        NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 },
      },
      { ID: 'cur', Status: 'Enabled', Filter: {}, Expiration: { Days: 10 } },
      {
        ID: 'dm',
        Status: 'Enabled',
        Filter: { Prefix: 'doc' },
        Expiration: { ExpiredObjectDeleteMarker: true },
      },
    ]);
    const versions = async () => {
      const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B }));
      return { versions: (l.Versions ?? []).length, markers: (l.DeleteMarkers ?? []).length };
    };
    const r1 = await apply(2, B);
    expect(r1.expiredNoncurrentVersions).toBe(2); // v1, v2 go; v3 is kept as the newest noncurrent
    expect(await versions()).toEqual({ versions: 2, markers: 0 });
    const r2 = await apply(11, B); // v4 expires: a delete marker becomes current
    expect(r2.expiredObjects).toBe(1);
    expect(await keys(B)).toEqual([]);
    expect((await versions()).markers).toBe(1);
    await apply(13, B); // all noncurrent versions older than a day (newest one kept: 1)...
    const left = await versions();
    expect(left.versions).toBe(1);
    await setRules(B, [
      { ID: 'nc', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
      { ID: 'dm', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ]);
    const r3 = await apply(13, B); // ...then without a keep count the last version goes, and the lone marker with it
    expect(r3).toMatchObject({ expiredNoncurrentVersions: 1, removedDeleteMarkers: 1 });
    expect(await versions()).toEqual({ versions: 0, markers: 0 });
  });

  it('a delete marker with versions left behind it is not removed', async () => {
    const B = 'lc-markers';
    await newBucket(B, true);
    await put(B, 'k');
    await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
    await setRules(B, [
      { ID: 'dm', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ]);
    expect((await apply(30, B)).removedDeleteMarkers).toBe(0);
  });

  it('aborts incomplete multipart uploads after N days (by prefix)', async () => {
    const B = 'lc-uploads';
    await newBucket(B);
    await alice.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big/one' }));
    await alice.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'other/two' }));
    await setRules(B, [
      {
        ID: 'mpu',
        Status: 'Enabled',
        Filter: { Prefix: 'big/' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
      },
    ]);
    expect((await apply(1, B)).abortedUploads).toBe(0);
    expect((await apply(3, B)).abortedUploads).toBe(1);
    const l = await alice.s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    expect((l.Uploads ?? []).map((u) => u.Key)).toEqual(['other/two']);
  });

  it('REST: rules as JSON, validation as 400, and apply-now reports what it removed', async () => {
    const B = 'lc-rest';
    await newBucket(B);
    const bad = await alice.client.put(`/api/v1/buckets/${B}/lifecycle`, {
      rules: [{ status: 'Enabled', filter: {}, expiration: { days: 1, date: '2030-01-01T00:00:00Z' } }],
    });
    expect(bad.status).toBe(400);
    const dated = await alice.client.put<{ rules: { expiration: { date: string } }[] }>(
      `/api/v1/buckets/${B}/lifecycle`,
      { rules: [{ status: 'Enabled', filter: {}, expiration: { date: '2030-01-01T00:00:00.000Z' } }] },
    );
    expect(dated.status, dated.text).toBe(200);
    const notMidnight = await alice.client.put(`/api/v1/buckets/${B}/lifecycle`, {
      rules: [{ status: 'Enabled', filter: {}, expiration: { date: '2030-01-01T12:00:00Z' } }],
    });
    expect(notMidnight.status).toBe(400);
    const ok = await alice.client.put<{ rules: { id: string }[] }>(`/api/v1/buckets/${B}/lifecycle`, {
      rules: [{ id: 'all', status: 'Enabled', filter: { prefix: 'old/' }, expiration: { days: 1 } }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.rules[0]!.id).toBe('all');
    await put(B, 'old/x');
    const now = await alice.client.post<{ expiredObjects: number }>(
      `/api/v1/buckets/${B}/lifecycle/apply`,
      {},
    );
    expect(now.status).toBe(200);
    expect(now.body.expiredObjects).toBe(0); // written today: due tomorrow at the earliest
    expect((await bob.client.post(`/api/v1/buckets/${B}/lifecycle/apply`, {})).status).toBe(404);
    expect((await alice.client.delete(`/api/v1/buckets/${B}/lifecycle`)).status).toBe(204);
    const after = await alice.client.get<{ rules: unknown[] }>(`/api/v1/buckets/${B}/lifecycle`);
    expect(after.body.rules).toEqual([]);
  });
});
