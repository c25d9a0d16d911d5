import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { StorageError } from './storage.errors.ts';

/**
 * AWS Signature Version 4 for S3: header and presigned-query authentication, and the
 * `aws-chunked` body decoder with per-chunk (and trailer) signature verification.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
export const MAX_SKEW_MS = 15 * 60 * 1000;

export interface SigV4Auth {
  kind: 'header' | 'query';
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** yyyymmddThhmmssZ */
  amzDate: string;
  /** Presigned URLs: lifetime in seconds. */
  expires: number | null;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const keyCache = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"), cached. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${sha256Hex(secret)}\n${date}\n${region}\n${service}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const key = hmac(kService, 'aws4_request');
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is %XX (upper-case). */
export function uriEncode(value: string, encodeSlash = true): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (!encodeSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new StorageError('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** The canonical URI of an S3 request path: every segment decoded, then encoded exactly once. */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((seg) => uriEncode(decodeComponent(seg)))
    .join('/');
}

/** Parse a raw query string into decoded [name, value] pairs ('+' is a literal plus, as in SigV4). */
export function parseQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0
        ? [decodeComponent(p), '']
        : [decodeComponent(p.slice(0, eq)), decodeComponent(p.slice(eq + 1))];
    });
}

export function canonicalQuery(pairs: readonly [string, string][], exclude?: string): string {
  return pairs
    .filter(([k]) => k !== exclude)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  const s = Array.isArray(v) ? v.join(',') : (v ?? '');
  return s.trim().replace(/\s+/g, ' ');
}

export function canonicalRequest(
  method: string,
  uri: string,
  query: string,
  headers: IncomingHttpHeaders,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const canonHeaders = signedHeaders.map((h) => `${h}:${headerValue(headers, h)}\n`).join('');
  return [method, uri, query, canonHeaders, signedHeaders.join(';'), payloadHash].join('\n');
}

export function scopeOf(auth: Pick<SigV4Auth, 'date' | 'region' | 'service'>): string {
  return `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signatureEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function malformedHeader(message: string): StorageError {
  return new StorageError(
    'AuthorizationHeaderMalformed',
    `The authorization header is malformed; ${message}`,
  );
}

function parseCredential(value: string, err: (m: string) => StorageError) {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request')
    throw err('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(date)) throw err('incorrect date format in the Credential.');
  if (service !== 's3') throw err(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (!accessKeyId || !region) throw err('the Credential is mal-formed.');
  return { accessKeyId, date, region, service };
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` */
export function parseAuthorizationHeader(header: string, amzDate: string): SigV4Auth {
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new StorageError(
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signed || !signature)
    throw malformedHeader('it must contain Credential, SignedHeaders and Signature.');
  const cred = parseCredential(credential, malformedHeader);
  if (!/^[0-9a-f]{64}$/.test(signature)) throw malformedHeader('the Signature is not 64 hex characters.');
  const signedHeaders = signed.split(';').map((h) => h.trim().toLowerCase());
  if (!signedHeaders.includes('host')) throw malformedHeader('the host header must be signed.');
  if (cred.date !== amzDate.slice(0, 8))
    throw malformedHeader(`the date in the Credential (${cred.date}) does not match the request date.`);
  return { kind: 'header', ...cred, signedHeaders, signature, amzDate, expires: null };
}

function queryError(message: string): StorageError {
  return new StorageError('AuthorizationQueryParametersError', message);
}

/** Presigned URL parameters (X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature). */
export function parsePresignedQuery(params: ReadonlyMap<string, string>): SigV4Auth {
  if (params.get('X-Amz-Algorithm') !== ALGORITHM)
    throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = params.get('X-Amz-Credential');
  const amzDate = params.get('X-Amz-Date');
  const expiresRaw = params.get('X-Amz-Expires');
  const signed = params.get('X-Amz-SignedHeaders');
  const signature = params.get('X-Amz-Signature');
  if (!credential || !amzDate || !expiresRaw || !signed || !signature)
    throw queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  if (params.has('X-Amz-Security-Token'))
    throw new StorageError('InvalidRequest', 'Session tokens are not supported by this endpoint.');
  const cred = parseCredential(credential, (m) =>
    queryError(`Error parsing the X-Amz-Credential parameter; ${m}`),
  );
  if (!/^\d{8}T\d{6}Z$/.test(amzDate))
    throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (cred.date !== amzDate.slice(0, 8))
    throw queryError('Error parsing the X-Amz-Credential parameter; the date does not match X-Amz-Date.');
  if (!/^\d+$/.test(expiresRaw)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  if (expires < 1) throw queryError('X-Amz-Expires must be non-negative');
  if (expires > MAX_PRESIGN_SECONDS)
    throw queryError('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  if (!/^[0-9a-f]{64}$/.test(signature)) throw queryError('X-Amz-Signature must be 64 hex characters.');
  const signedHeaders = signed.split(';').map((h) => h.trim().toLowerCase());
  if (!signedHeaders.includes('host')) throw queryError('X-Amz-SignedHeaders must include host.');
  return { kind: 'query', ...cred, signedHeaders, signature, amzDate, expires };
}

/** `20130524T000000Z` → epoch ms, or null. */
export function parseAmzDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(t) ? null : t;
}

export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The request's signature for these inputs. */
export function computeSignature(
  key: Buffer,
  auth: Pick<SigV4Auth, 'amzDate' | 'date' | 'region' | 'service'>,
  canonical: string,
): string {
  return createHmac('sha256', key)
    .update(stringToSign(auth.amzDate, scopeOf(auth), canonical))
    .digest('hex');
}

/** A presigned URL for `method baseUrl+path` (path already URI-encoded as the server will see it). */
export function presignUrl(input: {
  method: string;
  origin: string;
  /** Encoded absolute path, e.g. /s3/bucket/my%20key */
  path: string;
  accessKeyId: string;
  secret: string;
  region: string;
  expiresIn: number;
  now: Date;
  extraQuery?: [string, string][];
}): string {
  const host = new URL(input.origin).host;
  const amzDate = toAmzDate(input.now);
  const auth = { amzDate, date: amzDate.slice(0, 8), region: input.region, service: 's3' };
  const params: [string, string][] = [
    ...(input.extraQuery ?? []),
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${input.accessKeyId}/${scopeOf(auth)}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(input.expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = canonicalQuery(params);
  const canonical = canonicalRequest(
    input.method,
    canonicalUri(input.path),
    query,
    { host },
    ['host'],
    UNSIGNED_PAYLOAD,
  );
  const key = signingKey(input.secret, auth.date, auth.region, 's3');
  const signature = computeSignature(key, auth, canonical);
  return `${input.origin}${input.path}?${query}&X-Amz-Signature=${signature}`;
}

// ------------------------------------------------------------------ aws-chunked

export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  /** The request (seed) signature. */
  seed: string;
}

const MAX_LINE = 4096;
const CRLF = Buffer.from('\r\n');

/**
 * Decodes an `aws-chunked` body: `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0…\r\n`
 * followed by optional trailer lines and an empty line. With signing, every chunk's signature
 * (chained from the seed) is verified at the end of that chunk, and a signed trailer must carry
 * a valid x-amz-trailer-signature. Any failure errors the stream, so the upload is never committed.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailer headers (lower-case names). */
  readonly trailers = new Map<string, string>();
  decodedLength = 0;
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size';
  private line = Buffer.alloc(0);
  private remaining = 0;
  private pendingSignature: string | null = null;
  private previousSignature: string;
  private chunkHash: ReturnType<typeof createHash> | null = null;
  private crlfSeen = 0;
  private trailerLines: string[] = [];

  constructor(
    private readonly signing: ChunkSigning | null,
    private readonly expectTrailer: boolean,
  ) {
    // 1 MiB either side, as the PassThrough of plain bodies (storage.s3.request.ts): with the
    // default 16 KiB, every 64 KiB socket read waited for the consumer before the next was taken.
    super({ highWaterMark: 1024 * 1024 });
    this.previousSignature = signing?.seed ?? '';
  }

  private fail(err: StorageError | string): Error {
    return typeof err === 'string' ? new StorageError('IncompleteBody', err) : err;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.finishBody();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  // ---- the same decoding driven by a direct socket read (BodyFraming, storage.body-framing.ts)

  /** Where decoded data goes: pushed (stream mode) or handed to a direct reader. */
  private emitData: (piece: Buffer) => void = (piece) => this.push(piece);

  /**
   * How many of the next raw bytes are chunk data that may be read straight into place (0: the
   * next bytes are framing). Signed chunks are never read around the decoder (their data is
   * hashed for the chunk signature here).
   */
  dataAhead(): number {
    return this.state === 'data' && !this.signing ? this.remaining : 0;
  }

  /** `n` bytes of chunk data (at most what is left of the chunk) are in: decoded, or read straight into place. */
  tookData(n: number): void {
    this.remaining -= n;
    this.decodedLength += n;
    if (this.remaining === 0) {
      this.state = 'data-crlf';
      this.crlfSeen = 0;
    }
  }

  /** Decode raw bytes; each piece of chunk data goes to `emit` (a view into `raw`). */
  consumeRaw(raw: Buffer, emit: (piece: Buffer) => void): void {
    this.emitData = emit;
    this.consume(raw);
  }

  /** The raw body ended: it must have ended with its final chunk (and trailer). */
  finishBody(): void {
    if (this.state !== 'done') throw this.fail('The aws-chunked body ended before its final chunk.');
  }

  /** Read one CRLF-terminated line; returns null when more bytes are needed. */
  private readLine(buf: Buffer, offset: number): { line: string; next: number } | null {
    const idx = buf.indexOf(CRLF, offset);
    if (idx < 0) {
      // keep the partial line (CR may be the last byte of this buffer)
      this.line = Buffer.concat([this.line, buf.subarray(offset)]);
      if (this.line.length > MAX_LINE) throw this.fail('aws-chunked header line is too long.');
      return null;
    }
    const full = Buffer.concat([this.line, buf.subarray(offset, idx)]);
    this.line = Buffer.alloc(0);
    if (full.length > MAX_LINE) throw this.fail('aws-chunked header line is too long.');
    return { line: full.toString('latin1'), next: idx + 2 };
  }

  private consume(input: Buffer): void {
    let buf = input;
    // a CR at the end of the previous buffer with the LF at the start of this one
    if (this.line.length > 0 && this.line[this.line.length - 1] === 0x0d && buf[0] === 0x0a) {
      this.line = this.line.subarray(0, this.line.length - 1);
      buf = Buffer.concat([this.line, CRLF, buf.subarray(1)]);
      this.line = Buffer.alloc(0);
    }
    let off = 0;
    while (off < buf.length) {
      switch (this.state) {
        case 'size': {
          const r = this.readLine(buf, off);
          if (!r) return;
          off = r.next;
          this.startChunk(r.line);
          break;
        }
        case 'data': {
          const take = Math.min(this.remaining, buf.length - off);
          const piece = buf.subarray(off, off + take);
          off += take;
          // Released before its signature is checked: nothing is committed until the whole
          // body (every chunk signature included) has been verified, so memory stays bounded.
          this.chunkHash?.update(piece);
          this.emitData(piece);
          this.tookData(take);
          break;
        }
        case 'data-crlf': {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (buf[off] !== expected) throw this.fail('aws-chunked chunk data is not followed by CRLF.');
          off++;
          this.crlfSeen++;
          if (this.crlfSeen === 2) {
            this.finishChunk();
            this.state = 'size';
          }
          break;
        }
        case 'trailer': {
          const r = this.readLine(buf, off);
          if (!r) return;
          off = r.next;
          if (r.line === '') {
            this.finishTrailer();
            this.state = 'done';
          } else {
            this.trailerLines.push(r.line);
            if (this.trailerLines.length > 20) throw this.fail('Too many trailer headers.');
          }
          break;
        }
        case 'done':
          // tolerate trailing CRLFs; anything else is garbage after the final chunk
          if (buf[off] === 0x0d || buf[off] === 0x0a) {
            off++;
            break;
          }
          throw this.fail('Unexpected data after the final aws-chunked chunk.');
      }
    }
  }

  private startChunk(line: string): void {
    const [sizeHex, ...exts] = line.split(';');
    if (!sizeHex || !/^[0-9a-fA-F]{1,16}$/.test(sizeHex.trim()))
      throw this.fail('Invalid aws-chunked chunk size.');
    const size = Number.parseInt(sizeHex.trim(), 16);
    let sig: string | null = null;
    for (const e of exts) {
      const [k, v] = e.split('=');
      if (k?.trim() === 'chunk-signature') sig = (v ?? '').trim();
    }
    if (this.signing) {
      if (!sig || !/^[0-9a-f]{64}$/.test(sig))
        throw new StorageError(
          'SignatureDoesNotMatch',
          'A chunk of the aws-chunked body has no valid chunk-signature.',
        );
      this.pendingSignature = sig;
      this.chunkHash = createHash('sha256');
    }
    this.remaining = size;
    if (size === 0) {
      this.finishChunk();
      this.state = 'trailer';
      return;
    }
    this.state = 'data';
  }

  private finishChunk(): void {
    if (!this.signing || !this.chunkHash) return;
    const digest = this.chunkHash.digest('hex');
    const toSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.signing.amzDate,
      this.signing.scope,
      this.previousSignature,
      EMPTY_SHA256,
      digest,
    ].join('\n');
    const expected = createHmac('sha256', this.signing.key).update(toSign).digest('hex');
    if (!signatureEquals(expected, this.pendingSignature ?? ''))
      throw new StorageError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided (aws-chunked chunk signature).',
      );
    this.previousSignature = expected;
    this.chunkHash = null;
  }

  private finishTrailer(): void {
    let trailerSignature: string | null = null;
    const canonical: string[] = [];
    for (const line of this.trailerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw this.fail('Malformed trailer header.');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') trailerSignature = value;
      else {
        this.trailers.set(name, value);
        canonical.push(`${name}:${value}\n`);
      }
    }
    if (this.signing && this.expectTrailer) {
      if (!trailerSignature)
        throw new StorageError(
          'SignatureDoesNotMatch',
          'The signed aws-chunked trailer has no x-amz-trailer-signature.',
        );
      const toSign = [
        'AWS4-HMAC-SHA256-TRAILER',
        this.signing.amzDate,
        this.signing.scope,
        this.previousSignature,
        sha256Hex(canonical.join('')),
      ].join('\n');
      const expected = createHmac('sha256', this.signing.key).update(toSign).digest('hex');
      if (!signatureEquals(expected, trailerSignature))
        throw new StorageError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided (trailer signature).',
        );
    }
  }
}
