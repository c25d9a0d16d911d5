/**
 * Large bodies read straight from the socket into the upload's blocks (storage.socket-body.ts +
 * ParallelBlobSink.ingest): the bytes, digests and file are exact with and without
 * `Expect: 100-continue`, whatever the client's write pattern; a slow disk pauses the socket
 * instead of buffering; a client that hangs up fails the upload without a hang; a body nobody
 * takes over reads as a plain stream; and through the whole S3 stack the AWS SDK's uploads take
 * this path (the answer closes the connection) and read back intact, on a keep-alive client.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectTarget, openDirect } from './storage.direct-io.ts';
import { closeHashWorkers, ParallelBlobSink } from './storage.hashing.ts';
import { AwsChunkedDecoder } from './storage.s3.sigv4.ts';
import { noteRequestStart, socketBodyFor } from './storage.socket-body.ts';
import {
  bodyBytes,
  type S3User,
  type StorageTest,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'pc-socket-body-'));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

interface Received {
  tookOver: boolean;
  trailers: Map<string, string> | null;
  size: number;
  md5: string;
  file: Buffer;
}

/** A bare node:http server (as the S3 endpoint is) whose handler ingests the body into a sink. */
let server: Server;
let port = 0;
let slowDirect = 0;
const received: Received[] = [];
const failures: Error[] = [];

beforeAll(async () => {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    noteRequestStart(req);
    void (async () => {
      const length =
        req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
      // an aws-chunked body (unsigned chunks, as the SDK streams): framing through the decoder
      const framing =
        req.headers['content-encoding'] === 'aws-chunked' ? new AwsChunkedDecoder(null, true) : null;
      const decoded = Number(req.headers['x-amz-decoded-content-length']);
      // authorisation etc. take a while before the body is read: the parser meanwhile may take
      // early body bytes from the socket (without Expect) — they must not be lost
      await new Promise((r) => setTimeout(r, 5));
      const continued = () => {
        if (req.headers.expect) res.writeContinue();
      };
      const body = socketBodyFor(req, res, length, framing ? { framing, length: decoded } : null, continued);
      if (!body && length !== null)
        throw new Error('socketBodyFor answered null on plain HTTP/1.1 with a length');
      const path = join(dir, `b${received.length + failures.length}-${Date.now()}`);
      const fh = await open(path, 'w');
      const direct = await openDirect(path);
      const delayed: DirectTarget | null =
        direct && slowDirect
          ? {
              write: (async (...args: unknown[]) => {
                await new Promise((r) => setTimeout(r, slowDirect));
                return (direct.write as (...a: unknown[]) => unknown)(...args);
              }) as DirectTarget['write'],
            }
          : direct;
      try {
        const sink = new ParallelBlobSink(fh, 1e12, { direct: delayed });
        if (body) await sink.ingest(body);
        else {
          // no direct read (HTTP chunked without Expect): node's parser, as every other body
          continued();
          await pipeline(framing ? req.pipe(framing) : req, sink);
        }
        const digest = await sink.result();
        received.push({
          tookOver: body !== null && !body.canTakeOver,
          trailers: framing?.trailers ?? null,
          size: digest.size,
          md5: digest.md5.toString('hex'),
          file: readFileSync(path),
        });
        res.end(JSON.stringify({ md5: digest.md5.toString('hex') }));
      } catch (err) {
        failures.push(err as Error);
        if (!res.headersSent) res.writeHead(400).end(String(err));
      } finally {
        await direct?.close();
        await fh.close();
      }
    })();
  };
  server = createServer({ requestTimeout: 0 }, handle);
  server.on('checkContinue', handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await closeHashWorkers();
  rmSync(dir, { recursive: true, force: true });
});

/** PUT `body` written in `pieces` with a pause between them; the answer's status and headers. */
function put(
  body: Buffer,
  opts: {
    expect?: boolean;
    pieces?: number;
    abortAfter?: number;
    headers?: Record<string, string>;
    /** No Content-Length: HTTP chunked, one chunk per piece. */
    chunked?: boolean;
  } = {},
) {
  return new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/o',
        headers: {
          ...(opts.chunked ? {} : { 'content-length': String(body.length) }),
          ...(opts.expect ? { expect: '100-continue' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
        );
      },
    );
    req.on('error', reject);
    const send = async () => {
      const pieces = opts.pieces ?? 1;
      const step = Math.ceil(body.length / pieces);
      for (let at = 0; at < body.length; at += step) {
        if (opts.abortAfter !== undefined && at >= opts.abortAfter) {
          await new Promise((r) => setTimeout(r, 50));
          req.destroy();
          resolve({ status: 0, connection: undefined, text: 'aborted' });
          return;
        }
        req.write(body.subarray(at, at + step));
        await new Promise((r) => setTimeout(r, 2));
      }
      req.end();
    };
    if (opts.expect) req.on('continue', () => void send());
    else void send();
  });
}

describe('reading a large body straight from the socket', () => {
  it('lands byte for byte, with and without Expect: 100-continue, however the client writes it', async () => {
    const cases = [
      { body: randomBytes(9 * MiB + 12345), expect: true, pieces: 1 },
      { body: randomBytes(9 * MiB + 12345), expect: false, pieces: 1 },
      { body: randomBytes(8 * MiB), expect: false, pieces: 37 },
      { body: randomBytes(8 * MiB + 1), expect: true, pieces: 500 },
    ];
    for (const c of cases) {
      const before = received.length;
      const res = await put(c.body, c);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).md5).toBe(md5(c.body));
      // the parser never saw the end of the body, so the connection must not be reused
      expect(res.connection).toBe('close');
      const r = received[before]!;
      expect(r.tookOver).toBe(true);
      expect(r.size).toBe(c.body.length);
      expect(r.file.equals(c.body)).toBe(true);
    }
  });

  it('a slow disk pauses the socket (blocks are reused only once written and hashed): nothing lost', async () => {
    slowDirect = 15;
    try {
      const body = randomBytes(14 * MiB + 7);
      const res = await put(body, { pieces: 3 });
      expect(JSON.parse(res.text).md5).toBe(md5(body));
      expect(received.at(-1)!.file.equals(body)).toBe(true);
    } finally {
      slowDirect = 0;
    }
  });

  it('a client that hangs up mid-body fails the upload (no hang)', async () => {
    const before = failures.length;
    await put(randomBytes(12 * MiB), { pieces: 12, abortAfter: 5 * MiB });
    for (let i = 0; i < 100 && failures.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(failures.length).toBe(before + 1);
    expect(String(failures.at(-1))).toMatch(/aborted/);
    // and the server goes on serving
    const body = randomBytes(9 * MiB);
    expect(JSON.parse((await put(body)).text).md5).toBe(md5(body));
  });

  it('a body nobody takes over reads as a plain stream (encrypted uploads, small-object paths)', async () => {
    const plain = createServer((req, res) => {
      const body = socketBodyFor(req, res, Number(req.headers['content-length']), null, () => undefined)!;
      const hash = createHash('md5');
      void pipeline(
        body,
        new Writable({
          write(chunk: Buffer, _e, cb) {
            hash.update(chunk);
            cb();
          },
        }),
      ).then(() => res.end(hash.digest('hex')));
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const body = randomBytes(9 * MiB + 3);
      const answer = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/`, {
        method: 'PUT',
        body: Readable.toWeb(Readable.from([body])) as ReadableStream,
        headers: { 'content-length': String(body.length) },
        duplex: 'half',
      } as RequestInit);
      expect(await answer.text()).toBe(md5(body));
      // stream mode keeps the connection
      expect(answer.headers.get('connection')).not.toBe('close');
    } finally {
      plain.closeAllConnections();
      await new Promise((r) => plain.close(r));
    }
  });
});

/** `data` framed as unsigned aws-chunked chunks of these sizes (the last repeats), with a trailer. */
function awsChunked(data: Buffer, sizes: number[], trailer = 'x-amz-checksum-crc32:AAAAAA=='): Buffer {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(sizes[Math.min(i, sizes.length - 1)]!, data.length - at);
    out.push(Buffer.from(`${n.toString(16)}\r\n`), data.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  out.push(Buffer.from(`0\r\n${trailer}\r\n\r\n`));
  return Buffer.concat(out);
}
const chunkedHeaders = (decoded: number) => ({
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': String(decoded),
});

describe('aws-chunked bodies read straight from the socket', () => {
  it('chunk data lands in place and the framing is decoded, for every chunk pattern', async () => {
    const data = randomBytes(9 * MiB + 777);
    const patterns = [[64 * 1024], [data.length], [100_003], [1, 1, 2, 3, 5, 8, 13, 2 * MiB + 1, 65_536]];
    for (const [i, sizes] of patterns.entries()) {
      const before = received.length;
      const res = await put(awsChunked(data, sizes), {
        expect: i % 2 === 0,
        pieces: 1 + i * 7,
        headers: chunkedHeaders(data.length),
      });
      expect(res.status, res.text).toBe(200);
      const r = received[before]!;
      expect(r.tookOver).toBe(true);
      expect(r.size).toBe(data.length);
      expect(r.md5).toBe(md5(data));
      expect(r.file.equals(data)).toBe(true);
      expect(r.trailers?.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    }
  });

  it('HTTP chunked around aws-chunked (how the AWS SDK streams): both framings decoded, data in place', async () => {
    const data = randomBytes(9 * MiB + 5);
    for (const [i, sizes] of [[64 * 1024], [100_003], [data.length]].entries()) {
      const before = received.length;
      const res = await put(awsChunked(data, sizes), {
        chunked: true,
        expect: true,
        pieces: [300, 11, 200][i]!,
        headers: chunkedHeaders(data.length),
      });
      expect(res.status, res.text).toBe(200);
      const r = received[before]!;
      expect(r.tookOver).toBe(true);
      expect(r.file.equals(data)).toBe(true);
      expect(r.trailers?.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    }
    // without Expect, body bytes may reach node's parser first: read through it instead
    const before = received.length;
    const res = await put(awsChunked(data, [64 * 1024]), {
      chunked: true,
      pieces: 50,
      headers: chunkedHeaders(data.length),
    });
    expect(res.status, res.text).toBe(200);
    expect(received[before]!.tookOver).toBe(false);
    expect(received[before]!.file.equals(data)).toBe(true);
    // a client that does not wait for "100 Continue" and whose first bytes are only an HTTP chunk's
    // size line: node's parser is then part-way through the framing, so no direct read
    {
      const inner = awsChunked(data, [64 * 1024]);
      const before = received.length;
      const raw = connect(port, '127.0.0.1');
      raw.on('error', () => undefined);
      const answer = new Promise<string>((resolve) => {
        let text = '';
        raw.on('data', (c: Buffer) => {
          text += c.toString('latin1');
          if (/\r\n\r\n[\s\S]*"md5"/.test(text)) resolve(text);
        });
      });
      raw.write(
        'PUT /o HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n' +
          `Content-Encoding: aws-chunked\r\nX-Amz-Decoded-Content-Length: ${data.length}\r\n\r\n` +
          `${inner.length.toString(16)}\r\n`,
      );
      await new Promise((r) => setTimeout(r, 20));
      raw.write(Buffer.concat([inner, Buffer.from('\r\n0\r\n\r\n')]));
      expect(await answer).toContain(md5(data));
      raw.destroy();
      expect(received[before]!.tookOver).toBe(false);
      expect(received[before]!.file.equals(data)).toBe(true);
    }
    // a broken HTTP chunk in the middle fails the upload (raw bytes: node's client frames correctly)
    const failed = failures.length;
    const inner = awsChunked(data, [64 * 1024]);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      'PUT /o HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n' +
        `Content-Encoding: aws-chunked\r\nX-Amz-Decoded-Content-Length: ${data.length}\r\n\r\n`,
    );
    await new Promise((r) => socket.once('data', r)); // 100 Continue
    const first = inner.subarray(0, 5 * MiB);
    socket.write(
      Buffer.concat([Buffer.from(`${first.length.toString(16)}\r\n`), first, Buffer.from('\r\nZZ\r\n')]),
    );
    for (let i = 0; i < 100 && failures.length === failed; i++) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    expect(failures.length).toBe(failed + 1);
    expect(String(failures.at(-1))).toMatch(/Invalid HTTP chunk size/);
  });

  it("bad framing anywhere in a large body fails the upload with the decoder's error", async () => {
    const data = randomBytes(9 * MiB);
    const good = awsChunked(data, [64 * 1024]);
    const at = good.indexOf(Buffer.from('\r\n10000\r\n'), 5 * MiB); // a chunk header 5 MiB in
    const cases: [Buffer, RegExp][] = [
      [
        Buffer.concat([good.subarray(0, at + 2), Buffer.from('zz'), good.subarray(at + 4)]),
        /Invalid aws-chunked chunk size/,
      ],
      [
        Buffer.concat([good.subarray(0, at), Buffer.from('XY'), good.subarray(at + 2)]),
        /not followed by CRLF/,
      ],
      [good.subarray(0, at + 2), /ended before its final chunk/],
      [Buffer.concat([good, Buffer.from('garbage')]), /Unexpected data after the final/],
    ];
    for (const [body, message] of cases) {
      const before = failures.length;
      // the server answers 400 and closes before reading the rest: the client may see the reset first
      const res = await put(body, { pieces: 4, headers: chunkedHeaders(data.length) }).catch(() => ({
        status: 400,
      }));
      expect(res.status).toBe(400);
      expect(failures.length).toBe(before + 1);
      expect(String(failures.at(-1))).toMatch(message);
    }
  });
});

describe('through the S3 endpoint', () => {
  let t: StorageTest;
  let user: S3User;
  beforeAll(async () => {
    t = await startStorageTest();
    user = await t.newS3User('operator');
    await user.s3.send(new CreateBucketCommand({ Bucket: 'direct' }));
  });
  afterAll(async () => t?.close());

  it('PutObject of large bodies (the SDK, keep-alive) arrive intact; small ones keep the connection', async () => {
    const big = randomBytes(10 * MiB + 99);
    const seen: (string | undefined)[] = [];
    const plain = t.s3Client(user.key, { requestChecksumCalculation: 'WHEN_REQUIRED' });
    for (const client of [user.s3, plain])
      client.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          seen.push((out.response as { headers?: Record<string, string> }).headers?.connection);
          return out;
        },
        { step: 'deserialize', name: 'connectionHeader' },
      );
    const pieces = () =>
      Readable.from(Array.from({ length: 161 }, (_, i) => big.subarray(i * 65_536, (i + 1) * 65_536)));
    // the SDK's default for a stream body: aws-chunked, unsigned chunks, a CRC32 trailer
    const chunked = await user.s3.send(
      new PutObjectCommand({ Bucket: 'direct', Key: 'chunked', Body: pieces(), ContentLength: big.length }),
    );
    expect(chunked.ChecksumCRC32).toBeTruthy();
    // a stream body without the SDK's checksum: UNSIGNED-PAYLOAD over plain HTTP, Content-Length given
    await plain.send(
      new PutObjectCommand({ Bucket: 'direct', Key: 'stream', Body: pieces(), ContentLength: big.length }),
    );
    // a Buffer body: signed payload (the server checks its SHA-256 as well)
    const buffer = await user.s3.send(new PutObjectCommand({ Bucket: 'direct', Key: 'buffer', Body: big }));
    expect(buffer.ETag).toBe(`"${md5(big)}"`);
    await user.s3.send(new PutObjectCommand({ Bucket: 'direct', Key: 'small', Body: big.subarray(0, 1000) }));
    expect(seen).toEqual(['close', 'close', 'close', 'keep-alive']);
    for (const key of ['chunked', 'stream', 'buffer']) {
      const got = await bodyBytes(
        (await user.s3.send(new GetObjectCommand({ Bucket: 'direct', Key: key, ChecksumMode: 'ENABLED' })))
          .Body,
      );
      expect(got.equals(big)).toBe(true);
    }
    // a wrong CRC32 in the trailer of a large unsigned aws-chunked body is BadDigest
    const badTrailer = await signedRequest(t.s3Url, user.key, {
      method: 'PUT',
      path: '/direct/bad-trailer',
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      body: awsChunked(big, [65_536], 'x-amz-checksum-crc32:AAAAAA=='),
      headers: { ...chunkedHeaders(big.length), 'x-amz-trailer': 'x-amz-checksum-crc32' },
    });
    expect(badTrailer.status).toBe(400);
    expect(badTrailer.text).toContain('<Code>BadDigest</Code>');
    // a wrong signed payload hash is still refused after a direct read
    const bad = await signedRequest(t.s3Url, user.key, {
      method: 'PUT',
      path: '/direct/bad',
      body: big,
      payloadHash: createHash('sha256').update('something else').digest('hex'),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('XAmzContentSHA256Mismatch');
    expect(bad.headers.connection).toBe('close');
  });
});
