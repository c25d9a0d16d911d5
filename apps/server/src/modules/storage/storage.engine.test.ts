/**
 * The storage engine and housekeeping: nothing is left behind by a rejected, oversized or
 * broken upload; file names never come from user input; read leases keep a blob readable while
 * it is overwritten; the cleanup job removes dead temp files, orphan blobs and stores, and
 * expires abandoned multipart uploads (with a manual clock).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { createLogger } from '../../platform/logger.ts';
import { StorageEngine } from './storage.engine.ts';
import { StorageError } from './storage.errors.ts';
import { storageContext } from './storage.service.ts';
import { bodyBytes, type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)).map((p) => `${e.name}/${p}`) : [e.name],
  );
}

describe('engine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-engine-'));
  const engine = new StorageEngine({ dataDir, logger: createLogger('silent') });
  const bucket = 'bkt-0123456789abcdef0';
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a rejected, oversized or broken upload leaves no file behind', async () => {
    await engine.createStore(bucket, 'engine-test');
    const files = () => walk(join(dataDir, 'objects', bucket)).filter((f) => !f.endsWith('/'));
    expect(files()).toEqual([]);

    await expect(
      engine.writeBlob(bucket, Readable.from([Buffer.from('data')]), {
        maxBytes: 100,
        verify: () => {
          throw new StorageError('BadDigest', 'no');
        },
      }),
    ).rejects.toMatchObject({ s3Code: 'BadDigest' });
    await expect(
      engine.writeBlob(bucket, Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { maxBytes: 100 }),
    ).rejects.toMatchObject({ s3Code: 'EntityTooLarge' });
    const broken = new PassThrough();
    const writing = engine.writeBlob(bucket, broken, { maxBytes: 1000 });
    broken.write(Buffer.alloc(10));
    broken.destroy(new Error('client went away'));
    await expect(writing).rejects.toThrow('client went away');
    expect(files()).toEqual([]);

    const ok = await engine.writeBlob(bucket, Readable.from([Buffer.from('hello')]), {
      maxBytes: 100,
      sha256: true,
    });
    expect(ok.md5Hex).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(ok.size).toBe(5);
    expect(files()).toEqual([`blobs/${ok.blob.slice(0, 2)}/${ok.blob}`]);
  });

  it('file names come from ids only: user input never reaches a path', () => {
    expect(() => engine.bucketDir('../../etc')).toThrow();
    expect(() => engine.bucketDir('bkt-0123456789abcdef0/../x')).toThrow();
    expect(() => engine.blobPath(bucket, '../../../../etc/passwd')).toThrow();
    expect(() => engine.blobPath(bucket, 'A'.repeat(32))).toThrow();
  });

  it('segments stream in order and honour ranges across segment boundaries', async () => {
    const a = await engine.writeBlob(bucket, Readable.from([Buffer.from('abcde')]), { maxBytes: 10 });
    const b = await engine.writeBlob(bucket, Readable.from([Buffer.from('')]), { maxBytes: 10 });
    const c = await engine.writeBlob(bucket, Readable.from([Buffer.from('fghij')]), { maxBytes: 10 });
    const segs = [
      { blob: a.blob, size: 5 },
      { blob: b.blob, size: 0 },
      { blob: c.blob, size: 5 },
    ];
    const read = async (range: { start: number; end: number } | null) => {
      let released = 0;
      const s = engine.openSegments(bucket, segs, range, () => released++);
      const out = (await bodyBytes(s)).toString();
      expect(released).toBe(1);
      return out;
    };
    expect(await read(null)).toBe('abcdefghij');
    expect(await read({ start: 3, end: 6 })).toBe('defg');
    expect(await read({ start: 5, end: 5 })).toBe('f');
    expect(await read({ start: 0, end: 4 })).toBe('abcde');
  });

  it('a leased blob is removed only when its last reader lets go', async () => {
    const w = await engine.writeBlob(bucket, Readable.from([Buffer.from('leased')]), { maxBytes: 10 });
    const path = engine.blobPath(bucket, w.blob);
    const r1 = engine.lease(bucket, [w.blob]);
    const r2 = engine.lease(bucket, [w.blob]);
    await engine.removeBlob(bucket, w.blob);
    expect(existsSync(path)).toBe(true);
    r1();
    r1(); // idempotent
    expect(existsSync(path)).toBe(true);
    r2();
    for (let i = 0; i < 50 && existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(path)).toBe(false);
  });
});

describe('service housekeeping', () => {
  let t: StorageTest;
  let alice: S3User;
  const clock = new ManualClock();
  const ctx = () => storageContext(systemContext(systemActor, 'test-cleanup'), 'api');

  beforeAll(async () => {
    t = await startStorageTest({ clock });
    alice = await t.newS3User('operator');
    await alice.s3.send(new CreateBucketCommand({ Bucket: 'housekeeping' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an overwrite during a download does not disturb it; the old blob goes afterwards', async () => {
    const v1 = Buffer.alloc(4 * 1024 * 1024, 'a');
    await alice.s3.send(new PutObjectCommand({ Bucket: 'housekeeping', Key: 'doc', Body: v1 }));
    const reading = await alice.s3.send(new GetObjectCommand({ Bucket: 'housekeeping', Key: 'doc' }));
    const it = (reading.Body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const first = await it.next(); // the download has started
    await alice.s3.send(new PutObjectCommand({ Bucket: 'housekeeping', Key: 'doc', Body: 'v2' }));
    const chunks = [Buffer.from(first.value as Uint8Array)];
    for (let r = await it.next(); !r.done; r = await it.next()) chunks.push(Buffer.from(r.value));
    expect(Buffer.concat(chunks).equals(v1)).toBe(true);
    const now = await alice.s3.send(new GetObjectCommand({ Bucket: 'housekeeping', Key: 'doc' }));
    expect((await bodyBytes(now.Body)).toString()).toBe('v2');
    const service = t.ctx.app.storage.service;
    for (let i = 0; i < 50; i++) {
      if ((await service.verifyStore('housekeeping')).unreferencedBlobs.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await service.verifyStore('housekeeping')).toEqual({ missingBlobs: [], unreferencedBlobs: [] });
  });

  it('cleanup removes dead temp files, orphan blobs and stores; keeps everything referenced and young', async () => {
    const service = t.ctx.app.storage.service;
    const engine = t.ctx.app.storage.engine;
    await alice.s3.send(new PutObjectCommand({ Bucket: 'housekeeping', Key: 'keep', Body: 'keep me' }));
    const objects = join(t.ctx.config.dataDir, 'objects');
    const bucketId = readdirSync(objects).find(
      (d) => d.startsWith('bkt-') && existsSync(join(objects, d, 'blobs')),
    )!;
    // a temp file of a previous (crashed) process, an orphan blob, a leftover store, the trash
    mkdirSync(join(objects, bucketId, 'tmp', 'deadbeef0000'), { recursive: true });
    writeFileSync(join(objects, bucketId, 'tmp', 'deadbeef0000', 'partial'), 'half an upload');
    mkdirSync(join(objects, bucketId, 'blobs', 'ee'), { recursive: true });
    const orphan = join(objects, bucketId, 'blobs', 'ee', `ee${'0'.repeat(30)}`);
    writeFileSync(orphan, 'no metadata points here');
    mkdirSync(join(objects, 'bkt-00000000000000000', 'blobs'), { recursive: true });
    mkdirSync(join(objects, '.trash', 'bkt-x'), { recursive: true });

    // default grace: a young orphan written by this process may be an upload about to commit
    const young = await service.cleanup(ctx());
    expect(young.tempFiles).toBe(1);
    expect(existsSync(orphan)).toBe(true);
    expect(existsSync(join(objects, 'bkt-00000000000000000'))).toBe(false);
    expect(existsSync(join(objects, '.trash'))).toBe(false);

    const old = await service.cleanup(ctx(), 0);
    expect(old.orphanBlobs).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(join(objects, bucketId, 'tmp', 'deadbeef0000'))).toBe(false);
    expect(existsSync(join(objects, bucketId, 'tmp', engine.bootId))).toBe(true);
    const keep = await alice.s3.send(new GetObjectCommand({ Bucket: 'housekeeping', Key: 'keep' }));
    expect((await bodyBytes(keep.Body)).toString()).toBe('keep me');
    expect(await service.verifyStore('housekeeping')).toEqual({ missingBlobs: [], unreferencedBlobs: [] });
  });

  it('multipart uploads older than PROXICLOUD_S3_UPLOAD_EXPIRY_DAYS are aborted (and audited)', async () => {
    const service = t.ctx.app.storage.service;
    const { UploadId } = await alice.s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'housekeeping', Key: 'stale' }),
    );
    await alice.s3.send(
      new UploadPartCommand({ Bucket: 'housekeeping', Key: 'stale', UploadId, PartNumber: 1, Body: 'p' }),
    );
    clock.advance(6 * 86_400_000);
    expect((await service.cleanup(ctx())).expiredUploads).toBe(0);
    clock.advance(2 * 86_400_000);
    expect((await service.cleanup(ctx())).expiredUploads).toBe(1);
    expect(await service.verifyStore('housekeeping')).toEqual({ missingBlobs: [], unreferencedBlobs: [] });
    // (the admin's JWT expired with the clock jump: ask the audit service directly)
    const audit = await t.ctx.app.services.audit.list(
      systemActor,
      { action: 'multipart.expire' },
      { limit: 50, offset: 0 },
    );
    expect(audit.items.map((e) => e.resourceId)).toContain(UploadId);
  });
});
