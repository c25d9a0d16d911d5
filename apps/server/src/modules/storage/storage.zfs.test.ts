/**
 * One ZFS dataset per bucket (PROXICLOUD_S3_ZFS_PARENT) against a real ZFS pool in a file, using
 * zfs-fuse through the host agent's LocalExecutor — the pattern of packages/proxmox-client's
 * zfs-fuse test. Skipped, with the reason printed, when zfs-fuse is missing or we are not root.
 */
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createZfsFusePool, type ZfsFusePool, zfsFuseSkipReason } from '@proxicloud/proxmox-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

const skipReason = zfsFuseSkipReason();
if (skipReason) console.log(`[storage] SKIP ZFS dataset-per-bucket test: ${skipReason}`);

describe.skipIf(!!skipReason)('ZFS dataset per bucket (zfs-fuse)', () => {
  let zp: ZfsFusePool;
  let parent: string;
  let t: StorageTest;
  let alice: S3User;
  const zget = (prop: string, ds: string) => zp.get(prop, ds);
  const exists = (ds: string) => zp.exists(ds);

  beforeAll(async () => {
    zp = await createZfsFusePool('pcs3', ['buckets']);
    parent = `${zp.name}/buckets`;
    t = await startStorageTest({ env: { PROXICLOUD_S3_ZFS_PARENT: parent } });
    alice = await t.newS3User('operator');
  });

  afterAll(async () => {
    // stop the server, then unmount the bucket datasets (they live inside the data dir), then
    // let the test kit remove the data dir
    await t?.ctx.app.close();
    await zp?.destroy();
    await t?.close();
  });

  it('creates a compressed dataset mounted as the bucket store, stores objects in it, destroys it with the bucket', async () => {
    const s3 = alice.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'zfs-photos' }));
    const ds = `${parent}/zfs-photos`;
    expect(exists(ds)).toBe(true);
    expect(zget('compression', ds)).not.toBe('off');
    const bucketId = zget('proxicloud:bucket-id', ds);
    expect(bucketId).toMatch(/^bkt-[0-9a-f]{17}$/);
    expect(zget('mountpoint', ds)).toBe(join(t.ctx.config.dataDir, 'objects', bucketId));
    expect(zget('mounted', ds)).toBe('yes');
    const rest = await t.ctx.request<{ storage: string }>('GET', '/api/v1/buckets/zfs-photos', {
      headers: { authorization: `Bearer ${alice.client.token}` },
    });
    expect(rest.body.storage).toBe('zfs');

    const body = Buffer.alloc(3 * 1024 * 1024, 'z');
    await s3.send(new PutObjectCommand({ Bucket: 'zfs-photos', Key: 'a/b.raw', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'zfs-photos', Key: 'a/b.raw' }));
    expect((await bodyBytes(got.Body)).equals(body)).toBe(true);
    expect(await t.ctx.app.storage.service.verifyStore('zfs-photos')).toEqual({
      missingBlobs: [],
      unreferencedBlobs: [],
    });

    // a copy to another bucket crosses datasets: no hard link possible, the bytes are streamed
    await s3.send(new CreateBucketCommand({ Bucket: 'zfs-other' }));
    await s3.send(
      new CopyObjectCommand({ Bucket: 'zfs-other', Key: 'copy.raw', CopySource: 'zfs-photos/a/b.raw' }),
    );
    const copy = await s3.send(new GetObjectCommand({ Bucket: 'zfs-other', Key: 'copy.raw' }));
    expect((await bodyBytes(copy.Body)).equals(body)).toBe(true);

    await s3.send(new DeleteObjectCommand({ Bucket: 'zfs-photos', Key: 'a/b.raw' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'zfs-photos' }));
    expect(exists(ds)).toBe(false);
    // the name can be used again
    await s3.send(new CreateBucketCommand({ Bucket: 'zfs-photos' }));
    expect(exists(ds)).toBe(true);
    expect(zget('proxicloud:bucket-id', ds)).not.toBe(bucketId);
  });
});
