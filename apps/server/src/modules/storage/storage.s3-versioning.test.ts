/**
 * Bucket versioning (and object tagging, which is per version) over real HTTP with the AWS SDK v3 (and raw requests for headers the SDK
 * hides): version ids on PUT/COPY/DELETE, delete markers, ?versionId on GET/HEAD/DELETE,
 * ListObjectVersions with prefix/delimiter/markers/paging, DeleteObjects with versions, copy from
 * a version, the null version when unversioned or suspended, and housekeeping that keeps
 * noncurrent blobs.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { storageContext } from './storage.service.ts';
import {
  bodyBytes,
  type S3User,
  type StorageTest,
  s3err,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

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

async function read(bucket: string, key: string, versionId?: string): Promise<string> {
  const r = await alice.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return (await bodyBytes(r.Body)).toString();
}

async function put(bucket: string, key: string, body: string): Promise<string | undefined> {
  return (await alice.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))).VersionId;
}

async function enable(bucket: string, status: 'Enabled' | 'Suspended' = 'Enabled') {
  await alice.s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }),
  );
}

function summary(l: ListObjectVersionsCommandOutput) {
  const all = [
    ...(l.Versions ?? []).map((v) => ({ k: v.Key, v: v.VersionId, latest: v.IsLatest, marker: false })),
    ...(l.DeleteMarkers ?? []).map((v) => ({ k: v.Key, v: v.VersionId, latest: v.IsLatest, marker: true })),
  ];
  return all;
}

describe('bucket versioning configuration', () => {
  it('a new bucket has no status; Enabled and Suspended stick; bad documents are refused; others are denied', async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'ver-config' }));
    expect(
      (await alice.s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }))).Status,
    ).toBeUndefined();
    await enable('ver-config');
    expect((await alice.s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }))).Status).toBe(
      'Enabled',
    );
    await enable('ver-config', 'Suspended');
    expect((await alice.s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }))).Status).toBe(
      'Suspended',
    );
    const bad = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/ver-config',
      query: { versioning: '' },
      body: '<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>MalformedXML</Code>');
    const mfa = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: '/ver-config',
      query: { versioning: '' },
      body: '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>',
    });
    expect(mfa.status).toBe(501);
    expect(
      await s3err(
        bob.s3.send(
          new PutBucketVersioningCommand({
            Bucket: 'ver-config',
            VersioningConfiguration: { Status: 'Enabled' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe('versions, delete markers and ?versionId', () => {
  const B = 'ver-objects';
  let pre: string | undefined;
  let v1: string | undefined;
  let v2: string | undefined;

  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    pre = await put(B, 'doc', 'before versioning');
    await enable(B);
    v1 = await put(B, 'doc', 'one');
    v2 = await put(B, 'doc', 'two');
  });

  it('each PUT gets its own version id; older versions stay readable, the null version too', async () => {
    expect(pre).toBeUndefined(); // unversioned bucket: no version id
    expect(v1).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2).not.toBe(v1);
    expect(await read(B, 'doc')).toBe('two');
    expect(await read(B, 'doc', v1)).toBe('one');
    expect(await read(B, 'doc', 'null')).toBe('before versioning');
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'doc', VersionId: v1 }));
    expect(head.VersionId).toBe(v1);
    expect(head.ContentLength).toBe(3);
    const cur = await alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc' }));
    expect(cur.VersionId).toBe(v2);
    await bodyBytes(cur.Body);
  });

  it('ListObjectVersions: newest first, IsLatest on the current one', async () => {
    const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'doc' }));
    expect(summary(l)).toEqual([
      { k: 'doc', v: v2, latest: true, marker: false },
      { k: 'doc', v: v1, latest: false, marker: false },
      { k: 'doc', v: 'null', latest: false, marker: false },
    ]);
  });

  it('a malformed version id is 400; an unknown one 404 NoSuchVersion', async () => {
    expect(await s3err(read(B, 'doc', 'not-a-version'))).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
    });
    expect(await s3err(read(B, 'doc', 'A'.repeat(32)))).toMatchObject({ name: 'NoSuchVersion', status: 404 });
  });

  it('DELETE adds a delete marker: GET is 404 with x-amz-delete-marker; GET of the marker is 405', async () => {
    const del = await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc' }));
    expect(del.DeleteMarker).toBe(true);
    const markerId = del.VersionId!;
    expect(markerId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const gone = await signedRequest(t.s3Url, alice.key, { method: 'GET', path: `/${B}/doc` });
    expect(gone.status).toBe(404);
    expect(gone.headers['x-amz-delete-marker']).toBe('true');
    expect(gone.headers['x-amz-version-id']).toBe(markerId);
    const marker = await signedRequest(t.s3Url, alice.key, {
      method: 'GET',
      path: `/${B}/doc`,
      query: { versionId: markerId },
    });
    expect(marker.status).toBe(405);
    expect(marker.headers['x-amz-delete-marker']).toBe('true');
    expect(await read(B, 'doc', v2)).toBe('two');
    const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'doc' }));
    expect(l.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[markerId, true]]);
    expect(l.Versions?.every((v) => v.IsLatest === false)).toBe(true);
    // the plain listing no longer shows the key
    const plain = await signedRequest(t.s3Url, alice.key, {
      method: 'GET',
      path: `/${B}`,
      query: { 'list-type': '2' },
    });
    expect(plain.text).not.toContain('<Key>doc</Key>');

    // deleting the marker by version id brings v2 back
    const undo = await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: markerId }));
    expect(undo.DeleteMarker).toBe(true);
    expect(undo.VersionId).toBe(markerId);
    expect(await read(B, 'doc')).toBe('two');
  });

  it('DELETE ?versionId of the current version removes it for good; the previous becomes current', async () => {
    await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: v2 }));
    expect(await read(B, 'doc')).toBe('one');
    expect(await s3err(read(B, 'doc', v2))).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'doc' }));
    expect(head.VersionId).toBe(v1);
  });

  it('CopyObject from a version restores it as a new current version', async () => {
    const copy = await alice.s3.send(
      new CopyObjectCommand({ Bucket: B, Key: 'doc', CopySource: `${B}/doc?versionId=null` }),
    );
    expect(copy.CopySourceVersionId).toBe('null');
    expect(copy.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await read(B, 'doc')).toBe('before versioning');
    expect(await read(B, 'doc', v1)).toBe('one');
  });

  it('DeleteObjects with version ids; a bucket with only versions is not empty', async () => {
    const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    const all = summary(l);
    const res = await alice.s3.send(
      new DeleteObjectsCommand({
        Bucket: B,
        Delete: { Objects: [...all.map((e) => ({ Key: e.k!, VersionId: e.v })), { Key: 'other' }] },
      }),
    );
    expect(res.Errors ?? []).toEqual([]);
    expect(res.Deleted?.filter((d) => d.VersionId).length).toBe(all.length);
    const marker = res.Deleted?.find((d) => d.Key === 'other');
    expect(marker?.DeleteMarker).toBe(true);
    expect(marker?.DeleteMarkerVersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await s3err(alice.s3.send(new DeleteBucketCommand({ Bucket: B })))).toMatchObject({
      name: 'BucketNotEmpty',
      status: 409,
    });
    await alice.s3.send(
      new DeleteObjectCommand({ Bucket: B, Key: 'other', VersionId: marker!.DeleteMarkerVersionId }),
    );
    const left = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(summary(left)).toEqual([]);
    await alice.s3.send(new DeleteBucketCommand({ Bucket: B }));
  });
});

describe('suspended versioning: the null version', () => {
  it('PUT overwrites the null version and keeps the versioned ones; DELETE leaves a null marker', async () => {
    const B = 'ver-suspended';
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    await enable(B);
    const v1 = await put(B, 'k', 'versioned');
    await enable(B, 'Suspended');
    const n1 = await put(B, 'k', 'null one');
    expect(n1).toBe('null');
    await put(B, 'k', 'null two');
    const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(summary(l)).toEqual([
      { k: 'k', v: 'null', latest: true, marker: false },
      { k: 'k', v: v1, latest: false, marker: false },
    ]);
    expect(await read(B, 'k', 'null')).toBe('null two');
    const del = await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBe('null');
    const after = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B }));
    expect(summary(after)).toEqual([
      { k: 'k', v: v1, latest: false, marker: false },
      { k: 'k', v: 'null', latest: true, marker: true },
    ]);
    expect(await read(B, 'k', v1)).toBe('versioned');
  });
});

describe('ListObjectVersions paging', () => {
  const B = 'ver-paging';
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    await enable(B);
    for (const k of ['a', 'dir/x', 'dir/y', 'b']) {
      ids[k] = [];
      for (let i = 0; i < 3; i++) ids[k]!.unshift((await put(B, k, `${k}${i}`))!);
    }
    await alice.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'b' }));
  });

  it('pages through every version with key and version-id markers, in order, exactly once', async () => {
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let page = 0; page < 20; page++) {
      const l = await alice.s3.send(
        new ListObjectVersionsCommand({
          Bucket: B,
          MaxKeys: 2,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      const entries = summary(l).length;
      expect(entries).toBeLessThanOrEqual(2);
      // entries in document order
      const order = [...(l.Versions ?? []), ...(l.DeleteMarkers ?? [])];
      for (const e of order) seen.push(`${e.Key}@${e.VersionId}`);
      if (!l.IsTruncated) break;
      keyMarker = l.NextKeyMarker;
      versionIdMarker = l.NextVersionIdMarker;
    }
    expect(new Set(seen).size).toBe(13);
    expect(seen.filter((s) => s.startsWith('dir/x@'))).toEqual(ids['dir/x']!.map((v) => `dir/x@${v}`));
  });

  it('prefix and delimiter roll up common prefixes', async () => {
    const l = await alice.s3.send(new ListObjectVersionsCommand({ Bucket: B, Delimiter: '/' }));
    expect(l.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/']);
    expect(new Set(summary(l).map((e) => e.k))).toEqual(new Set(['a', 'b']));
    const inDir = await alice.s3.send(
      new ListObjectVersionsCommand({ Bucket: B, Prefix: 'dir/', Delimiter: '/' }),
    );
    expect(summary(inDir).length).toBe(6);
    expect(inDir.Versions?.filter((v) => v.IsLatest).map((v) => v.Key)).toEqual(['dir/x', 'dir/y']);
  });

  it('a version-id marker without a key marker is refused', async () => {
    const res = await signedRequest(t.s3Url, alice.key, {
      method: 'GET',
      path: `/${B}`,
      query: { versions: '', 'version-id-marker': ids.a![0]! },
    });
    expect(res.status).toBe(400);
  });

  it('housekeeping keeps the blobs of noncurrent versions', async () => {
    const ctx = storageContext(systemContext(systemActor, 'test-versions'), 'api');
    await t.ctx.app.storage.service.cleanup(ctx, 0);
    expect(await read(B, 'a', ids.a![2])).toBe('a0');
    expect(await t.ctx.app.storage.service.verifyStore(B)).toEqual({
      missingBlobs: [],
      unreferencedBlobs: [],
    });
  });
});

describe('object tagging', () => {
  const B = 'tagging-tests';
  beforeAll(async () => {
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  });

  it('x-amz-tagging on PUT, Get/Put/DeleteObjectTagging, tag count on GET, limits', async () => {
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 't', Body: 'x', Tagging: 'env=prod&team=a%20b' }),
    );
    const got = await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 't' }));
    expect(got.TagSet).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'a b' },
    ]);
    const obj = await alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 't' }));
    expect(obj.TagCount).toBe(2);
    await bodyBytes(obj.Body);
    await alice.s3.send(
      new PutObjectTaggingCommand({
        Bucket: B,
        Key: 't',
        Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] },
      }),
    );
    expect((await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 't' }))).TagSet).toEqual([
      { Key: 'only', Value: 'one' },
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(
      await s3err(
        alice.s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 't', Tagging: { TagSet: eleven } })),
      ),
    ).toMatchObject({ name: 'InvalidTag', status: 400 });
    expect(
      await s3err(
        alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'u', Body: 'x', Tagging: 'aws:x=1' })),
      ),
    ).toMatchObject({ name: 'InvalidTag', status: 400 });
    // copy keeps the tags by default, REPLACE takes the new ones
    await alice.s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy', CopySource: `${B}/t` }));
    expect((await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'copy' }))).TagSet).toEqual([
      { Key: 'only', Value: 'one' },
    ]);
    await alice.s3.send(
      new CopyObjectCommand({
        Bucket: B,
        Key: 'copy2',
        CopySource: `${B}/t`,
        TaggingDirective: 'REPLACE',
        Tagging: 'new=1',
      }),
    );
    expect((await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'copy2' }))).TagSet).toEqual([
      { Key: 'new', Value: '1' },
    ]);
    await alice.s3.send(new DeleteObjectTaggingCommand({ Bucket: B, Key: 't' }));
    expect((await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 't' }))).TagSet).toEqual([]);
    expect(await s3err(bob.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 't' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
  });

  it('tags belong to a version: an old version keeps its tags', async () => {
    await enable(B);
    const v1 = (
      await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'vt', Body: '1', Tagging: 'gen=1' }))
    ).VersionId;
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'vt', Body: '2', Tagging: 'gen=2' }));
    expect(
      (await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'vt', VersionId: v1 }))).TagSet,
    ).toEqual([{ Key: 'gen', Value: '1' }]);
    await alice.s3.send(
      new PutObjectTaggingCommand({
        Bucket: B,
        Key: 'vt',
        VersionId: v1,
        Tagging: { TagSet: [{ Key: 'gen', Value: 'old' }] },
      }),
    );
    expect((await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'vt' }))).TagSet).toEqual([
      { Key: 'gen', Value: '2' },
    ]);
    expect(
      (await alice.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'vt', VersionId: v1 }))).TagSet,
    ).toEqual([{ Key: 'gen', Value: 'old' }]);
  });
});
