/**
 * Server-side encryption of blob files (pure; no database). A blob is encrypted with AES-256-GCM in
 * chunks of 64 KiB of plaintext, each stored as `ciphertext ‖ 16-byte tag`:
 *
 *  - the content key is HKDF-SHA256(input key, a random 16-byte salt per blob): the input key is a
 *    random data key (SSE-S3, wrapped by the secrets vault's master key) or the customer's key
 *    (SSE-C), so every blob has its own content key even when a customer reuses one key;
 *  - chunk i uses the IV `0x00000000 ‖ i (64-bit big-endian)` (unique under a per-blob key) and the
 *    AAD `proxicloud/s3/sse/v1 ‖ final-flag`, so chunks cannot be reordered, and a file cut at a chunk
 *    boundary fails (the last chunk must carry the final flag);
 *  - an empty body is one empty final chunk (16 bytes), so every encrypted blob authenticates.
 *
 * Range reads decrypt only the chunks that hold the range (`chunkSpan`).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const SSE_CHUNK = 64 * 1024;
export const SSE_TAG = 16;
const FRAME = SSE_CHUNK + SSE_TAG;
const INFO = Buffer.from('proxicloud/s3/sse/v1/content-key');
const AAD_MORE = Buffer.from('proxicloud/s3/sse/v1\x00');
const AAD_FINAL = Buffer.from('proxicloud/s3/sse/v1\x01');

/** Number of chunks of a plaintext of `size` bytes (an empty one is one empty chunk). */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / SSE_CHUNK));
}

/** Size on disk of an encrypted blob holding `size` plaintext bytes. */
export function encryptedSize(size: number): number {
  return size + SSE_TAG * chunkCount(size);
}

export function newSalt(): Buffer {
  return randomBytes(16);
}

/** The blob's content key from the input key (data key or customer key) and the blob's salt. */
export function contentKey(inputKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', inputKey, salt, INFO, 32));
}

function iv(index: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE(BigInt(index), 4);
  return b;
}

function sealChunk(key: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv(index), { authTagLength: SSE_TAG });
  c.setAAD(final ? AAD_FINAL : AAD_MORE);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

export class SseDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SseDecryptError';
  }
}

function openChunk(key: Buffer, index: number, final: boolean, frame: Buffer): Buffer {
  if (frame.length < SSE_TAG) throw new SseDecryptError(`encrypted chunk ${index} is truncated`);
  const d = createDecipheriv('aes-256-gcm', key, iv(index), { authTagLength: SSE_TAG });
  d.setAAD(final ? AAD_FINAL : AAD_MORE);
  d.setAuthTag(frame.subarray(frame.length - SSE_TAG));
  try {
    return Buffer.concat([d.update(frame.subarray(0, frame.length - SSE_TAG)), d.final()]);
  } catch {
    throw new SseDecryptError(`encrypted chunk ${index} failed authentication (damaged blob or wrong key)`);
  }
}

/** Encrypts a byte stream into chunk frames (goes after hashing in the write path). */
export class EncryptStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;

  constructor(private readonly key: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // keep at least one byte back: the last chunk (full or not) is only known at the end
    if (this.pendingBytes > SSE_CHUNK) {
      let all = Buffer.concat(this.pending, this.pendingBytes);
      const out: Buffer[] = [];
      while (all.length > SSE_CHUNK) {
        out.push(sealChunk(this.key, this.index++, false, all.subarray(0, SSE_CHUNK)));
        all = all.subarray(SSE_CHUNK);
      }
      this.pending = [all];
      this.pendingBytes = all.length;
      cb(null, out.length === 1 ? out[0] : Buffer.concat(out));
      return;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    cb(null, sealChunk(this.key, this.index, true, Buffer.concat(this.pending, this.pendingBytes)));
  }
}

/** Where the chunks holding plaintext bytes [start, end] are in the file. */
export function chunkSpan(
  size: number,
  start: number,
  end: number,
): { first: number; last: number; fileStart: number; fileEnd: number; skip: number } {
  const first = Math.floor(start / SSE_CHUNK);
  const last = Math.floor(end / SSE_CHUNK);
  const fileStart = first * FRAME;
  const fileEnd = Math.min(encryptedSize(size), (last + 1) * FRAME) - 1;
  return { first, last, fileStart, fileEnd, skip: start - first * SSE_CHUNK };
}

/**
 * Decrypt the frames of a blob of `size` plaintext bytes read from `fileStart` (chunk `first`) on,
 * yielding exactly plaintext bytes [start, end].
 */
export async function* decryptRange(
  frames: AsyncIterable<Buffer>,
  key: Buffer,
  size: number,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  const span = chunkSpan(size, start, end);
  const finalIndex = chunkCount(size) - 1;
  let index = span.first;
  let buf: Buffer = Buffer.alloc(0);
  let skip = span.skip;
  let remaining = end - start + 1;
  const emit = (plain: Buffer): Buffer | null => {
    let p = skip > 0 ? plain.subarray(skip) : plain;
    skip = 0;
    if (p.length > remaining) p = p.subarray(0, remaining);
    remaining -= p.length;
    return p.length > 0 ? p : null;
  };
  for await (const data of frames) {
    buf = buf.length ? Buffer.concat([buf, data]) : data;
    while (buf.length >= FRAME && index < finalIndex) {
      const out = emit(openChunk(key, index, false, buf.subarray(0, FRAME)));
      buf = buf.subarray(FRAME);
      index++;
      if (out) yield out;
    }
  }
  if (remaining > 0 || index <= span.last) {
    if (index !== finalIndex) throw new SseDecryptError(`encrypted blob is truncated at chunk ${index}`);
    const out = emit(openChunk(key, index, index === finalIndex, buf));
    if (out) yield out;
  }
  if (remaining > 0) throw new SseDecryptError('encrypted blob is shorter than its object');
}

/** SSE-C: the key check stored instead of the key (HMAC keyed by the blob's salt). */
export function customerKeyFingerprint(customerKey: Buffer, salt: Buffer): string {
  return createHmac('sha256', salt)
    .update('proxicloud/s3/sse-c/v1/fingerprint')
    .update(customerKey)
    .digest('hex');
}

export function fingerprintMatches(customerKey: Buffer, salt: Buffer, fingerprint: string): boolean {
  const a = Buffer.from(customerKeyFingerprint(customerKey, salt), 'hex');
  const b = Buffer.from(fingerprint, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * SSE-C objects: as on AWS, the ETag is not the MD5 of the data (that would let anyone who can
 * list the bucket confirm a guess of the plaintext). 32 hex characters, derived from the MD5 and
 * the blob's content key.
 */
export function sseCEtag(key: Buffer, md5: Buffer): string {
  return createHmac('sha256', key)
    .update('proxicloud/s3/sse-c/v1/etag')
    .update(md5)
    .digest('hex')
    .slice(0, 32);
}

export function md5Base64(b: Buffer): string {
  return createHash('md5').update(b).digest('base64');
}
