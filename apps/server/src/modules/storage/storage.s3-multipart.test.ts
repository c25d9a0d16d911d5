/**
 * Multipart uploads over real HTTP with the AWS SDK and lib-storage: create, upload (and
 * re-upload) parts, UploadPartCopy with ranges, list parts/uploads with paging, complete with
 * part-list validation, abort, S3's multipart ETag and composite checksums, and a 64 MiB object
 * through lib-storage with checksums end to end.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const B = 'multipart-tests';
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  bob = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
});
afterAll(async () => {
  await t?.close();
});

const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');
/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, dash, part count. */
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
    .digest('hex')}-${parts.length}"`;

function data(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE((i * 2654435761 + seed) >>> 0, Math.min(i, size - 4));
  return b;
}

describe('multipart uploads', () => {
  it('create → upload parts (one re-uploaded) → list → complete: S3 ETag, content, metadata', async () => {
    const s3 = alice.s3;
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: B,
        Key: 'videos/big.bin',
        ContentType: 'video/mp4',
        Metadata: { camera: 'gopro' },
        CacheControl: 'no-cache',
      }),
    );
    const uploadId = created.UploadId!;
    expect(uploadId).toBeTruthy();
    const p1 = data(5 * MiB, 1);
    const p2 = data(5 * MiB, 2);
    const p3 = data(1234, 3);
    const e1 = (
      await s3.send(
        new UploadPartCommand({
          Bucket: B,
          Key: 'videos/big.bin',
          UploadId: uploadId,
          PartNumber: 1,
          Body: data(5 * MiB, 9),
        }),
      )
    ).ETag;
    // re-upload part 1: the last upload wins
    const e1b = (
      await s3.send(
        new UploadPartCommand({
          Bucket: B,
          Key: 'videos/big.bin',
          UploadId: uploadId,
          PartNumber: 1,
          Body: p1,
        }),
      )
    ).ETag;
    expect(e1b).not.toBe(e1);
    expect(e1b).toBe(`"${md5hex(p1)}"`);
    const e2 = (
      await s3.send(
        new UploadPartCommand({
          Bucket: B,
          Key: 'videos/big.bin',
          UploadId: uploadId,
          PartNumber: 2,
          Body: p2,
        }),
      )
    ).ETag;
    const e3 = (
      await s3.send(
        new UploadPartCommand({
          Bucket: B,
          Key: 'videos/big.bin',
          UploadId: uploadId,
          PartNumber: 3,
          Body: p3,
        }),
      )
    ).ETag;
    // an extra part that is not listed at completion is discarded
    await s3.send(
      new UploadPartCommand({
        Bucket: B,
        Key: 'videos/big.bin',
        UploadId: uploadId,
        PartNumber: 7,
        Body: 'extra',
      }),
    );

    const parts = await s3.send(
      new ListPartsCommand({ Bucket: B, Key: 'videos/big.bin', UploadId: uploadId }),
    );
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, e1b],
      [2, 5 * MiB, e2],
      [3, 1234, e3],
      [7, 5, `"${md5hex(Buffer.from('extra'))}"`],
    ]);
    const paged = await s3.send(
      new ListPartsCommand({
        Bucket: B,
        Key: 'videos/big.bin',
        UploadId: uploadId,
        MaxParts: 2,
        PartNumberMarker: '1',
      }),
    );
    expect(paged.Parts?.map((p) => p.PartNumber)).toEqual([2, 3]);
    expect(paged.IsTruncated).toBe(true);
    expect(paged.NextPartNumberMarker).toBe('3');

    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'videos/big.bin',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1b },
            { PartNumber: 2, ETag: e2 },
            { PartNumber: 3, ETag: e3 },
          ],
        },
      }),
    );
    expect(done.ETag).toBe(multipartEtag([p1, p2, p3]));
    expect(done.Key).toBe('videos/big.bin');
    expect(done.Bucket).toBe(B);

    const get = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'videos/big.bin' }));
    const body = await bodyBytes(get.Body);
    expect(md5hex(body)).toBe(md5hex(Buffer.concat([p1, p2, p3])));
    expect(get.ETag).toBe(done.ETag);
    expect(get.ContentType).toBe('video/mp4');
    expect(get.Metadata).toEqual({ camera: 'gopro' });
    expect(get.CacheControl).toBe('no-cache');
    // a range across the part boundary
    const cross = await s3.send(
      new GetObjectCommand({
        Bucket: B,
        Key: 'videos/big.bin',
        Range: `bytes=${5 * MiB - 3}-${5 * MiB + 2}`,
      }),
    );
    expect((await bodyBytes(cross.Body)).equals(Buffer.concat([p1.subarray(-3), p2.subarray(0, 3)]))).toBe(
      true,
    );

    // the upload is gone; its part files too (including the unlisted part 7)
    expect(
      await s3err(s3.send(new ListPartsCommand({ Bucket: B, Key: 'videos/big.bin', UploadId: uploadId }))),
    ).toMatchObject({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(await t.ctx.app.storage.service.verifyStore(B)).toEqual({
      missingBlobs: [],
      unreferencedBlobs: [],
    });
  });

  it('completion validates the part list: InvalidPart, InvalidPartOrder, EntityTooSmall, MalformedXML', async () => {
    const s3 = alice.s3;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'v.bin' }));
    const small = data(1 * MiB, 4);
    const big = data(5 * MiB, 5);
    const e1 = (
      await s3.send(new UploadPartCommand({ Bucket: B, Key: 'v.bin', UploadId, PartNumber: 1, Body: small }))
    ).ETag!;
    const e2 = (
      await s3.send(new UploadPartCommand({ Bucket: B, Key: 'v.bin', UploadId, PartNumber: 2, Body: big }))
    ).ETag!;
    const complete = (Parts: { PartNumber: number; ETag: string }[]) =>
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket: B, Key: 'v.bin', UploadId, MultipartUpload: { Parts } }),
      );
    expect(
      await s3err(complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }])),
    ).toMatchObject({ name: 'InvalidPart', status: 400 });
    expect(await s3err(complete([{ PartNumber: 3, ETag: e1 }]))).toMatchObject({
      name: 'InvalidPart',
      status: 400,
    });
    expect(
      await s3err(
        complete([
          { PartNumber: 2, ETag: e2 },
          { PartNumber: 1, ETag: e1 },
        ]),
      ),
    ).toMatchObject({ name: 'InvalidPartOrder', status: 400 });
    expect(
      await s3err(
        complete([
          { PartNumber: 1, ETag: e1 },
          { PartNumber: 2, ETag: e2 },
        ]),
      ),
    ).toMatchObject({ name: 'EntityTooSmall', status: 400 });
    expect(await s3err(complete([]))).toMatchObject({ name: 'MalformedXML', status: 400 });
    // a small LAST part is fine; ETags may come without quotes
    const ok = await complete([{ PartNumber: 2, ETag: e2.replace(/"/g, '') }]);
    expect(ok.ETag).toBe(multipartEtag([big]));
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'v.bin' }))).ContentLength).toBe(5 * MiB);
  });

  it('CompleteMultipartUpload and DeleteObjects bodies with character references (Go writes &#34;)', async () => {
    const s3 = alice.s3;
    const key = "go's object.bin";
    const part1 = data(5 * MiB, 31);
    const part2 = data(1 * MiB, 32);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
    const etags: string[] = [];
    for (const [i, Body] of [part1, part2].entries())
      etags.push(
        (await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: i + 1, Body })))
          .ETag!,
      );
    const path = `/${B}/${encodeURIComponent(key).replace(/'/g, '%27')}`;
    // exactly what Go's encoding/xml (rclone, minio-go) sends: quotes as &#34;
    const goBody = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${etags
      .map((e, i) => `<Part><ETag>${e.replace(/"/g, '&#34;')}</ETag><PartNumber>${i + 1}</PartNumber></Part>`)
      .join('')}</CompleteMultipartUpload>`;
    const done = await signedRequest(t.s3Url, alice.key, {
      method: 'POST',
      path,
      query: { uploadId: UploadId! },
      body: goBody,
    });
    expect(done.status, done.text).toBe(200);
    expect(done.text).toContain(`<ETag>${multipartEtag([part1, part2]).replace(/"/g, '&quot;')}</ETag>`);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
    expect(md5hex(await bodyBytes(got.Body))).toBe(md5hex(Buffer.concat([part1, part2])));
    // DeleteObjects with a key written with references (&#39; hex and decimal forms)
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'a"b\'c', Body: 'x' }));
    const del = await signedRequest(t.s3Url, alice.key, {
      method: 'POST',
      path: `/${B}`,
      query: { delete: '' },
      body: `<Delete><Object><Key>go&#39;s object.bin</Key></Object><Object><Key>a&#x22;b&#39;c</Key></Object></Delete>`,
    });
    expect(del.status, del.text).toBe(200);
    expect(del.text).toContain('<Deleted><Key>go&apos;s object.bin</Key></Deleted>');
    expect(del.text).toContain('<Deleted><Key>a&quot;b&apos;c</Key></Deleted>');
    expect(await s3err(s3.send(new HeadObjectCommand({ Bucket: B, Key: key })))).toMatchObject({
      status: 404,
    });
    expect(await s3err(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'a"b\'c' })))).toMatchObject({
      status: 404,
    });
  });

  it('abort discards everything; NoSuchUpload afterwards; invalid part numbers', async () => {
    const s3 = alice.s3;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin' }));
    await s3.send(
      new UploadPartCommand({ Bucket: B, Key: 'aborted.bin', UploadId, PartNumber: 1, Body: 'part' }),
    );
    expect(
      await s3err(
        s3.send(
          new UploadPartCommand({ Bucket: B, Key: 'aborted.bin', UploadId, PartNumber: 10001, Body: 'x' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(
      await s3err(
        s3.send(new UploadPartCommand({ Bucket: B, Key: 'other-key', UploadId, PartNumber: 1, Body: 'x' })),
      ),
    ).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin', UploadId }));
    expect(
      await s3err(s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'aborted.bin', UploadId }))),
    ).toMatchObject({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(
      await s3err(
        s3.send(new UploadPartCommand({ Bucket: B, Key: 'aborted.bin', UploadId, PartNumber: 2, Body: 'x' })),
      ),
    ).toMatchObject({ name: 'NoSuchUpload' });
    expect(
      await s3err(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: B,
            Key: 'aborted.bin',
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NoSuchUpload' });
    expect(await s3err(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'aborted.bin' })))).toMatchObject({
      status: 404,
    });
    expect(await t.ctx.app.storage.service.verifyStore(B)).toEqual({
      missingBlobs: [],
      unreferencedBlobs: [],
    });
  });

  it("another user's upload or bucket is AccessDenied", async () => {
    const { UploadId } = await alice.s3.send(
      new CreateMultipartUploadCommand({ Bucket: B, Key: 'mine.bin' }),
    );
    expect(
      await s3err(
        bob.s3.send(
          new UploadPartCommand({ Bucket: B, Key: 'mine.bin', UploadId, PartNumber: 1, Body: 'x' }),
        ),
      ),
    ).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(
      await s3err(bob.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'theirs.bin' }))),
    ).toMatchObject({
      name: 'AccessDenied',
    });
    expect(await s3err(bob.s3.send(new ListMultipartUploadsCommand({ Bucket: B })))).toMatchObject({
      name: 'AccessDenied',
    });
    await alice.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'mine.bin', UploadId }));
  });

  it('UploadPartCopy with byte ranges assembles an object from existing ones', async () => {
    const s3 = alice.s3;
    const src = data(6 * MiB, 7);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy-src.bin', Body: src }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'copy-dst.bin' }));
    const copyPart = (PartNumber: number, CopySourceRange?: string) =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: B,
          Key: 'copy-dst.bin',
          UploadId,
          PartNumber,
          CopySource: `${B}/copy-src.bin`,
          CopySourceRange,
        }),
      );
    const r1 = await copyPart(1, `bytes=0-${5 * MiB - 1}`);
    const r2 = await copyPart(2); // the whole object
    const r3 = await copyPart(3, `bytes=${5 * MiB}-${6 * MiB - 1}`); // a small last part
    expect(r1.CopyPartResult?.ETag).toBe(`"${md5hex(src.subarray(0, 5 * MiB))}"`);
    expect(r2.CopyPartResult?.ETag).toBe(`"${md5hex(src)}"`);
    expect(
      await s3err(
        s3.send(
          new UploadPartCopyCommand({
            Bucket: B,
            Key: 'copy-dst.bin',
            UploadId,
            PartNumber: 4,
            CopySource: `${B}/copy-src.bin`,
            CopySourceRange: `bytes=0-${7 * MiB}`,
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidRange', status: 416 });
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'copy-dst.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: r1.CopyPartResult!.ETag! },
            { PartNumber: 2, ETag: r2.CopyPartResult!.ETag! },
            { PartNumber: 3, ETag: r3.CopyPartResult!.ETag! },
          ],
        },
      }),
    );
    const parts = [src.subarray(0, 5 * MiB), src, src.subarray(5 * MiB)];
    expect(done.ETag).toBe(multipartEtag(parts));
    const body = await bodyBytes(
      (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'copy-dst.bin' }))).Body,
    );
    expect(md5hex(body)).toBe(md5hex(Buffer.concat(parts)));
  });

  it('ListMultipartUploads: prefix, delimiter, paging with key and upload-id markers', async () => {
    const s3 = alice.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu-listing' }));
    const ids: Record<string, string> = {};
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'c']) {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: 'mpu-listing', Key: key }),
      );
      ids[`${key}#${Object.keys(ids).length}`] = UploadId!;
    }
    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-listing' }));
    expect(all.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2', 'b/1', 'c', 'c']);
    const rolled = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-listing', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(rolled.Uploads?.map((u) => u.Key)).toEqual(['c', 'c']);
    const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-listing', Prefix: 'a/' }));
    expect(prefixed.Uploads?.map((u) => u.Key)).toEqual(['a/1', 'a/2']);
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await s3.send(
        new ListMultipartUploadsCommand({
          Bucket: 'mpu-listing',
          MaxUploads: 2,
          KeyMarker: keyMarker,
          UploadIdMarker: idMarker,
        }),
      );
      seen.push(...(page.Uploads ?? []).map((u) => u.UploadId!));
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      idMarker = page.NextUploadIdMarker;
    }
    expect(seen.sort()).toEqual(Object.values(ids).sort());
  });

  it('lib-storage Upload of a 64 MiB stream (parallel parts, CRC32 composite checksum), downloaded intact', async () => {
    const s3 = alice.s3;
    const size = 64 * MiB + 12345;
    const hash = createHash('sha256');
    const chunk = randomBytes(MiB);
    let sent = 0;
    const source = Readable.from(
      (function* () {
        while (sent < size) {
          const n = Math.min(MiB, size - sent);
          const piece = Buffer.from(chunk.subarray(0, n));
          piece.writeUInt32LE(sent, 0); // make every MiB distinct
          hash.update(piece);
          sent += n;
          yield piece;
        }
      })(),
    );
    const upload = new Upload({
      client: s3,
      params: { Bucket: B, Key: 'large/64mib.bin', Body: source },
      partSize: 8 * MiB,
      queueSize: 3,
    });
    const done = await upload.done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-9"$/);
    const expected = hash.digest('hex');
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: B, Key: 'large/64mib.bin', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ContentLength).toBe(size);
    expect(head.ChecksumCRC32).toMatch(/-9$/);
    const get = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'large/64mib.bin' }));
    const down = createHash('sha256');
    let got = 0;
    for await (const c of get.Body as AsyncIterable<Uint8Array>) {
      down.update(c);
      got += c.length;
    }
    expect(got).toBe(size);
    expect(down.digest('hex')).toBe(expected);
  });
});
