/**
 * SigV4 variants over real HTTP: presigned URLs (and their expiry, enforced with the server
 * clock), clock skew, UNSIGNED-PAYLOAD, signed payload hashes, aws-chunked uploads with
 * per-chunk signatures (computed here independently of the server), signed and unsigned
 * trailers, and the SDK's own streaming uploads.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bodyBytes,
  rawRequest,
  type S3User,
  type StorageTest,
  seedOf,
  signedChunkedBody,
  signedRequest,
  signHeaders,
  socketRequest,
  startStorageTest,
  testSigningKey,
} from './storage.test-helpers.ts';

let t: StorageTest;
let alice: S3User;
const B = 'auth-tests';

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'shared/report.pdf', Body: 'PDF-ish bytes' }));
});
afterAll(async () => {
  await t?.close();
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const crc32 = async (b: Buffer) => {
  const { crc32: c } = await import('node:zlib');
  const out = Buffer.alloc(4);
  out.writeUInt32BE(c(b) >>> 0);
  return out.toString('base64');
};

async function exists(key: string): Promise<boolean> {
  try {
    await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: key }));
    return true;
  } catch (err) {
    if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return false;
    throw err;
  }
}

async function read(key: string): Promise<Buffer> {
  const r = await alice.s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
  return bodyBytes(r.Body);
}

describe('presigned URLs', () => {
  it('GET and PUT work without credentials; response-* overrides apply', async () => {
    const get = await getSignedUrl(alice.s3, new GetObjectCommand({ Bucket: B, Key: 'shared/report.pdf' }), {
      expiresIn: 300,
    });
    const res = await fetch(get);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('PDF-ish bytes');

    const dl = await getSignedUrl(
      alice.s3,
      new GetObjectCommand({
        Bucket: B,
        Key: 'shared/report.pdf',
        ResponseContentDisposition: 'attachment; filename="r.pdf"',
        ResponseContentType: 'application/pdf',
      }),
      { expiresIn: 300 },
    );
    const dlRes = await fetch(dl);
    expect(dlRes.headers.get('content-disposition')).toBe('attachment; filename="r.pdf"');
    expect(dlRes.headers.get('content-type')).toBe('application/pdf');

    const put = await getSignedUrl(
      alice.s3,
      new PutObjectCommand({ Bucket: B, Key: 'uploads/from-browser.txt' }),
      {
        expiresIn: 300,
      },
    );
    const putRes = await fetch(put, { method: 'PUT', body: 'uploaded with a presigned URL' });
    expect(putRes.status).toBe(200);
    expect(putRes.headers.get('etag')).toBe(
      `"${createHash('md5').update('uploaded with a presigned URL').digest('hex')}"`,
    );
    expect((await read('uploads/from-browser.txt')).toString()).toBe('uploaded with a presigned URL');
  });

  it('an expired URL is AccessDenied "Request has expired" (server clock); not-yet-valid too', async () => {
    const expired = await getSignedUrl(
      alice.s3,
      new GetObjectCommand({ Bucket: B, Key: 'shared/report.pdf' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 2 * 3600_000),
      },
    );
    const res = await fetch(expired);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Request has expired</Message>');
    expect(body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');

    const future = await getSignedUrl(
      alice.s3,
      new GetObjectCommand({ Bucket: B, Key: 'shared/report.pdf' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() + 3600_000),
      },
    );
    const f = await fetch(future);
    expect(f.status).toBe(403);
    expect(await f.text()).toContain('Request is not valid yet');
  });

  it('X-Amz-Expires above 7 days is refused; a tampered URL fails its signature', async () => {
    const url = new URL(
      await getSignedUrl(alice.s3, new GetObjectCommand({ Bucket: B, Key: 'shared/report.pdf' }), {
        expiresIn: 3600,
      }),
    );
    url.searchParams.set('X-Amz-Expires', '604801');
    const tooLong = await fetch(url);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('<Code>AuthorizationQueryParametersError</Code>');

    const other = new URL(
      await getSignedUrl(alice.s3, new GetObjectCommand({ Bucket: B, Key: 'shared/report.pdf' }), {
        expiresIn: 3600,
      }),
    );
    other.pathname = `/${B}/uploads/from-browser.txt`;
    const tampered = await fetch(other);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('header authentication variants', () => {
  it('RequestTimeTooSkewed beyond 15 minutes of the server clock', async () => {
    const skewed = t.s3Client(alice.key, { systemClockOffset: -20 * 60_000 });
    const err = await skewed.send(new ListBucketsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((err as S3ServiceException).name).toBe('RequestTimeTooSkewed');
    expect((err as S3ServiceException).$metadata.httpStatusCode).toBe(403);
    // 10 minutes is within the allowed skew
    const slightly = t.s3Client(alice.key, { systemClockOffset: -10 * 60_000 });
    await slightly.send(new ListBucketsCommand({}));
  });

  it('SHA-256 is computed for signed payloads only, and checked on the parallel (large body) path', async () => {
    const engine = t.ctx.app.storage.service.engine;
    const spy = vi.spyOn(engine, 'writeBlob');
    try {
      const big = Buffer.alloc(9 * 1024 * 1024, 'q');
      const unsigned = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path: `/${B}/big-unsigned.bin`,
        body: big,
        payloadHash: 'UNSIGNED-PAYLOAD',
      });
      expect(unsigned.status, unsigned.text).toBe(200);
      expect(spy.mock.lastCall?.[2]).toMatchObject({ sha256: false, sizeHint: big.length });
      const signed = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path: `/${B}/big-signed.bin`,
        body: big,
      });
      expect(signed.status, signed.text).toBe(200);
      expect(spy.mock.lastCall?.[2]).toMatchObject({ sha256: true });
      expect(signed.headers.etag).toBe(`"${createHash('md5').update(big).digest('hex')}"`);
      const mismatch = await signedRequest(t.s3Url, alice.key, {
        method: 'PUT',
        path: `/${B}/big-mismatch.bin`,
        body: big,
        payloadHash: sha('something else'),
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
      expect(await exists('big-mismatch.bin')).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('UNSIGNED-PAYLOAD is accepted; a signed payload must match its x-amz-content-sha256', async () => {
    const ok = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/unsigned.txt`,
      body: 'unsigned body',
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(ok.status).toBe(200);
    expect((await read('unsigned.txt')).toString()).toBe('unsigned body');

    const signed = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/signed.txt`,
      body: 'signed body',
    });
    expect(signed.status).toBe(200);

    const mismatch = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/mismatch.txt`,
      body: 'what is sent',
      payloadHash: sha('what was signed'),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(await exists('mismatch.txt')).toBe(false);

    const missing = await signedRequest(t.s3Url, alice.key, { method: 'GET', path: `/${B}/signed.txt` });
    expect(missing.status).toBe(200);
    const bogus = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/bogus.txt`,
      body: 'x',
      payloadHash: 'NOT-A-HASH',
    });
    expect(bogus.status).toBe(400);
    expect(bogus.text).toContain('<Code>InvalidArgument</Code>');
  });

  it('MissingContentLength when a body has neither Content-Length nor chunked encoding', async () => {
    const { headers, path } = await signHeaders(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/nolength.txt`,
      payloadHash: 'UNSIGNED-PAYLOAD',
      noContentLength: true,
    });
    const raw = `PUT ${path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\nconnection: close\r\n\r\n`;
    const res = await socketRequest(t.s3Url, raw);
    expect(res.status).toBe(411);
    expect(res.text).toContain('<Code>MissingContentLength</Code>');
  });
});

describe('request limits and bodies', () => {
  it('EntityTooLarge is answered from the declared length, before any byte is read', async () => {
    const { headers, path } = await signHeaders(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/too-big.bin`,
      payloadHash: 'UNSIGNED-PAYLOAD',
      headers: { 'content-length': String(6 * 1024 ** 3) },
    });
    const raw = `PUT ${path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n`;
    const res = await socketRequest(t.s3Url, raw);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
    expect(res.text.toLowerCase()).toContain('connection: close');
    expect(await exists('too-big.bin')).toBe(false);
  });

  it('MalformedXML for bodies that are not the expected document (and DOCTYPE is refused)', async () => {
    for (const body of [
      '<Delete><Object><Key>a</Key></Object>',
      '<NotDelete/>',
      '<!DOCTYPE d [<!ENTITY x "y">]><Delete/>',
    ]) {
      const res = await signedRequest(t.s3Url, alice.key, {
        method: 'POST',
        path: `/${B}`,
        query: { delete: '' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect(res.text).toContain('<Code>MalformedXML</Code>');
    }
  });
});

describe('aws-chunked uploads', () => {
  const chunks = [Buffer.alloc(65536, 'x'), Buffer.alloc(65536, 'y'), Buffer.alloc(1000, 'z')];
  const content = Buffer.concat(chunks);

  async function chunkedPut(
    key: string,
    opts: {
      trailer?: boolean;
      checksum?: string;
      mutate?: (i: number, c: Buffer) => Buffer;
      decodedLength?: number;
      mode?: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
    } = {},
  ) {
    const mode =
      opts.mode ??
      (opts.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    const now = new Date();
    // the body length depends on the signatures only through their fixed size: build once to measure
    const probe = signedChunkedBody({
      key: Buffer.alloc(32),
      amzDate: '20000101T000000Z',
      seed: '0'.repeat(64),
      chunks,
      ...(opts.trailer
        ? { trailer: { name: 'x-amz-checksum-crc32', value: opts.checksum ?? 'AAAAAA==' } }
        : {}),
    });
    const { headers, path } = await signHeaders(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/${key}`,
      payloadHash: mode,
      signingDate: now,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(opts.decodedLength ?? content.length),
        'content-length': String(probe.length),
        'content-type': 'text/plain',
        ...(opts.trailer ? { 'x-amz-trailer': 'x-amz-checksum-crc32' } : {}),
      },
    });
    const { seed, amzDate } = seedOf(headers);
    const body = signedChunkedBody({
      key: testSigningKey(alice.key.secretAccessKey, amzDate.slice(0, 8)),
      amzDate,
      seed,
      chunks,
      ...(opts.trailer ? { trailer: { name: 'x-amz-checksum-crc32', value: opts.checksum! } } : {}),
      ...(opts.mutate ? { mutate: opts.mutate } : {}),
    });
    expect(body.length).toBe(probe.length);
    return rawRequest(t.s3Url, { method: 'PUT', path, headers, body });
  }

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signature verified, content decoded', async () => {
    const res = await chunkedPut('chunked.txt');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.etag).toBe(`"${createHash('md5').update(content).digest('hex')}"`);
    expect((await read('chunked.txt')).equals(content)).toBe(true);
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'chunked.txt' }));
    expect(head.ContentEncoding).toBeUndefined(); // aws-chunked is transport, not content
    expect(head.ContentType).toBe('text/plain');
  });

  it('a tampered chunk fails with SignatureDoesNotMatch and nothing is stored', async () => {
    const res = await chunkedPut('tampered.txt', {
      mutate: (i, c) => {
        if (i !== 1) return c;
        const copy = Buffer.from(c);
        copy[10] = 0x41;
        return copy;
      },
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await exists('tampered.txt')).toBe(false);
    expect(await t.ctx.app.storage.service.verifyStore(B)).toEqual({
      missingBlobs: [],
      unreferencedBlobs: [],
    });
  });

  it('the decoded length must match x-amz-decoded-content-length', async () => {
    const res = await chunkedPut('short.txt', { decodedLength: content.length + 5 });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<Code>IncompleteBody<\/Code>/);
    expect(await exists('short.txt')).toBe(false);
  });

  it('signed trailer: x-amz-checksum-crc32 verified, trailer signature checked', async () => {
    const good = await chunkedPut('trailer.txt', { trailer: true, checksum: await crc32(content) });
    expect(good.status, good.text).toBe(200);
    expect((await read('trailer.txt')).equals(content)).toBe(true);
    const head = await alice.s3.send(
      new HeadObjectCommand({ Bucket: B, Key: 'trailer.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumCRC32).toBe(await crc32(content));

    const bad = await chunkedPut('trailer-bad.txt', {
      trailer: true,
      checksum: await crc32(Buffer.from('nope')),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>BadDigest</Code>');
    expect(await exists('trailer-bad.txt')).toBe(false);
  });

  it("the SDK's stream upload (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER + CRC32 trailer)", async () => {
    const parts = [Buffer.alloc(300_000, 1), Buffer.alloc(200_000, 2), Buffer.from('tail')];
    const all = Buffer.concat(parts);
    const put = await alice.s3.send(
      new PutObjectCommand({
        Bucket: B,
        Key: 'sdk-stream.bin',
        Body: Readable.from(parts),
        ContentLength: all.length,
      }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update(all).digest('hex')}"`);
    expect(put.ChecksumCRC32).toBe(await crc32(all));
    const get = await alice.s3.send(
      new GetObjectCommand({ Bucket: B, Key: 'sdk-stream.bin', ChecksumMode: 'ENABLED' }),
    );
    expect((await bodyBytes(get.Body)).equals(all)).toBe(true); // the SDK validated the CRC32 too
  });

  it('an unsigned trailer with a wrong checksum is BadDigest', async () => {
    const data = Buffer.from('hello world');
    const body = Buffer.from(`b\r\n${data}\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`);
    const res = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/unsigned-trailer.txt`,
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      body,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>BadDigest</Code>');
    const fixed = Buffer.from(`b\r\n${data}\r\n0\r\nx-amz-checksum-crc32:${await crc32(data)}\r\n\r\n`);
    const ok = await signedRequest(t.s3Url, alice.key, {
      method: 'PUT',
      path: `/${B}/unsigned-trailer.txt`,
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      body: fixed,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expect(ok.status, ok.text).toBe(200);
    expect((await read('unsigned-trailer.txt')).toString()).toBe('hello world');
  });
});
