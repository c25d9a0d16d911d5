/**
 * An S3 request as the operations see it (storage.s3.operations.ts) and as the handler builds it
 * (storage.s3.handler.ts): the request type, header access, the body as the storage service
 * consumes it, small (XML) bodies with the same digest check as uploads, XML error documents.
 * Both sides import this file, so they no longer import each other.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import type { TrustFn } from '../../platform/http/proxy.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { ResolvedAccessKey } from '../iam/index.ts';
import {
  algorithmFromHeader,
  type ChecksumAlgorithm,
  checksumOf,
  headerFor,
  parseAlgorithm,
} from './storage.checksums.ts';
import { verifyBodyDigest } from './storage.core.ts';
import { StorageError } from './storage.errors.ts';
import { AwsChunkedDecoder, type ChunkSigning, STREAMING_SIGNED_TRAILER } from './storage.s3.sigv4.ts';
import { escapeXml } from './storage.s3.xml.ts';
import type { BodyInput, StorageContext, StorageService } from './storage.service.ts';
import { socketBodyFor } from './storage.socket-body.ts';

export interface S3User {
  id: string;
  username: string;
  role: Actor['role'];
  status: 'active' | 'disabled';
}

export interface S3HandlerDeps {
  service: StorageService;
  resolveAccessKey(accessKeyId: string): Promise<ResolvedAccessKey | null>;
  markAccessKeyUsed(accessKeyId: string): Promise<void>;
  findUser(userId: string): Promise<S3User | null>;
  masterKey: Buffer;
  audit: AuditService;
  clock: Clock;
  logger: Logger;
  region: string;
  /** Virtual-host base domain (`<bucket>.<domain>`), or null. */
  domain: string | null;
  /** PROXICLOUD_TRUST_PROXY's trust function: X-Forwarded-* only from these peers. */
  trustProxy: TrustFn;
  /** How long a resolved access key may be reused without a database lookup. */
  keyCacheMs: number;
}

export type PayloadMode = 'signed' | 'unsigned' | 'streaming-signed' | 'streaming-unsigned';

/** Everything an operation needs about the request. */
export interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  bucket: string | null;
  key: string | null;
  query: Map<string, string>;
  /** `/bucket/key` for error documents. */
  resource: string;
  /** Scheme + host the client used (for Location). */
  origin: string;
  ctx: StorageContext;
  requestId: string;
  /** Signed with a server-derived presign credential (restricted to object reads/uploads). */
  derivedCredential: boolean;
  payload: PayloadMode;
  /** Declared payload SHA-256 (payload = signed). */
  payloadSha256: string | null;
  chunkSigning: ChunkSigning | null;
  /** Extra headers for every answer (CORS). */
  extraHeaders: Record<string, string>;
  deps: S3HandlerDeps;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function errorXml(
  code: string,
  message: string,
  resource: string,
  requestId: string,
  fields: Record<string, string> = {},
): string {
  const extra = Object.entries(fields)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `${extra}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId>` +
    `<HostId>${requestId}</HostId></Error>`
  );
}

// ------------------------------------------------------------------ body helpers

/**
 * Pipe the request into a stream we may destroy without killing the socket. Answers an
 * `Expect: 100-continue` (the body is read from here on).
 */
function detachedBody(r: S3Request, through: PassThrough | AwsChunkedDecoder): Readable {
  const { req } = r;
  continueIfExpected(r);
  through.on('error', () => undefined); // consumers see it through their pipeline
  req.pipe(through);
  req.on('error', (err) => through.destroy(err));
  req.on('close', () => {
    if (!req.complete) through.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  });
  return through;
}

function contentLength(req: IncomingMessage): number | null {
  const v = header(req, 'content-length');
  if (v === undefined) return null;
  if (!/^\d+$/.test(v)) throw new StorageError('InvalidArgument', 'Invalid Content-Length');
  return Number(v);
}

/**
 * The request body as the storage service consumes it: aws-chunked decoding and signature
 * checks, declared length, Content-MD5, x-amz-checksum-* (header or trailer), payload SHA-256.
 */
export function bodyInput(r: S3Request, opts: { emptyWithoutLength?: boolean } = {}): BodyInput {
  const { req } = r;
  const encoding = (header(req, 'content-encoding') ?? '').toLowerCase();
  const chunked =
    r.payload === 'streaming-signed' ||
    r.payload === 'streaming-unsigned' ||
    encoding
      .split(',')
      .map((s) => s.trim())
      .includes('aws-chunked');
  let length: number | null;
  let stream: Readable;
  let decoder: AwsChunkedDecoder | null = null;
  const trailerName = (header(req, 'x-amz-trailer') ?? '').trim().toLowerCase();
  if (chunked) {
    const decoded = header(req, 'x-amz-decoded-content-length');
    if (decoded !== undefined && !/^\d+$/.test(decoded))
      throw new StorageError('InvalidArgument', 'Invalid x-amz-decoded-content-length');
    length = decoded === undefined ? null : Number(decoded);
    if (r.payload === 'streaming-signed' && length === null)
      throw new StorageError(
        'MissingContentLength',
        'You must provide the x-amz-decoded-content-length header.',
      );
    const signedTrailer = header(req, 'x-amz-content-sha256') === STREAMING_SIGNED_TRAILER;
    decoder = new AwsChunkedDecoder(
      r.chunkSigning,
      signedTrailer || r.payload === 'streaming-unsigned' || trailerName !== '',
    );
    // Unsigned chunks of a large body: chunk data read straight from the socket into the
    // upload's blocks, framing through the decoder (storage.socket-body.ts).
    stream =
      (!r.chunkSigning && length !== null
        ? socketBodyFor(req, r.res, contentLength(req), { framing: decoder, length }, () =>
            continueIfExpected(r),
          )
        : null) ?? detachedBody(r, decoder);
  } else {
    length = contentLength(req);
    if (length === null && header(req, 'transfer-encoding') === undefined) {
      // no Content-Length and no chunked transfer: HTTP says there is no body
      if (!opts.emptyWithoutLength)
        throw new StorageError('MissingContentLength', 'You must provide the Content-Length HTTP header.');
      length = 0;
    }
    // A large plain body is read straight from the socket into the upload's blocks where it can
    // be (storage.socket-body.ts); any other consumer reads it as a normal stream.
    stream =
      (length !== null ? socketBodyFor(req, r.res, length, null, () => continueIfExpected(r)) : null) ??
      detachedBody(r, new PassThrough({ highWaterMark: 1024 * 1024 }));
  }
  // x-amz-checksum-*: a header value, or announced in x-amz-trailer and sent after the body
  let checksum: BodyInput['checksum'] = null;
  for (const name of Object.keys(req.headers)) {
    const alg = algorithmFromHeader(name);
    if (alg) {
      const value = header(req, name) ?? '';
      checksum = { algorithm: alg, expected: () => value };
      break;
    }
  }
  if (!checksum && trailerName) {
    const alg = algorithmFromHeader(trailerName);
    if (!alg) throw new StorageError('InvalidRequest', `Unsupported trailer ${trailerName}`);
    const d = decoder;
    checksum = { algorithm: alg, expected: () => d?.trailers.get(headerFor(alg)) ?? null };
  }
  return {
    stream,
    length,
    contentMd5: header(req, 'content-md5') ?? null,
    checksum,
    sha256Hex: r.payload === 'signed' ? r.payloadSha256 : null,
    verify: (d) => {
      if (decoder && length !== null && decoder.decodedLength !== length)
        throw new StorageError(
          'IncompleteBody',
          'The decoded body length does not match x-amz-decoded-content-length.',
        );
      void d;
    },
  };
}

/**
 * `Expect: 100-continue`: the listeners hand such requests over without answering "continue";
 * we send it when an authenticated operation starts reading the body, so an unauthenticated or
 * refused upload gets its error without the client sending the body first.
 */
export function continueIfExpected(r: S3Request): void {
  if ((header(r.req, 'expect') ?? '').toLowerCase() !== '100-continue') return;
  if (r.res.headersSent || (r.res as { continueSent?: boolean }).continueSent) return;
  (r.res as { continueSent?: boolean }).continueSent = true;
  r.res.writeContinue();
}

/** Read a small body (XML documents) fully, with the same integrity checks. */
export async function readSmallBody(r: S3Request, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const input = bodyInput(r, { emptyWithoutLength: true });
  if (input.length !== null && input.length > limit)
    throw new StorageError('InvalidRequest', `The request body is too large (limit ${limit} bytes).`);
  const chunks: Buffer[] = [];
  let size = 0;
  const md5 = createHash('md5');
  const sha = input.sha256Hex ? createHash('sha256') : null;
  for await (const chunk of input.stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new StorageError('InvalidRequest', `The request body is too large (limit ${limit} bytes).`);
    md5.update(chunk);
    sha?.update(chunk);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  verifyBodyDigest(input, {
    size,
    md5: md5.digest(),
    sha256: sha ? sha.digest() : null,
    checksum: input.checksum ? Buffer.from(checksumOf(input.checksum.algorithm, body), 'base64') : null,
  });
  return body;
}

export function checksumAlgorithmHeader(r: S3Request): ChecksumAlgorithm | null {
  const raw = header(r.req, 'x-amz-checksum-algorithm') ?? header(r.req, 'x-amz-sdk-checksum-algorithm');
  if (!raw) return null;
  const alg = parseAlgorithm(raw);
  if (!alg)
    throw new StorageError(
      'InvalidRequest',
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  return alg;
}

export { header as requestHeader };
