/** The chunked AES-256-GCM format (pure): sizes, every range at chunk edges, tampering and truncation fail. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  chunkSpan,
  contentKey,
  decryptRange,
  EncryptStream,
  encryptedSize,
  SSE_CHUNK,
  SseDecryptError,
} from './storage.sse.crypto.ts';

async function encrypt(key: Buffer, plain: Buffer, pieces = 7): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < plain.length; i += Math.ceil(plain.length / pieces) || 1)
    parts.push(plain.subarray(i, i + (Math.ceil(plain.length / pieces) || 1)));
  const out: Buffer[] = [];
  const enc = Readable.from(parts).pipe(new EncryptStream(key));
  for await (const c of enc) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function read(file: Buffer, key: Buffer, size: number, start: number, end: number): Promise<Buffer> {
  const span = chunkSpan(size, start, end);
  const slice = file.subarray(span.fileStart, span.fileEnd + 1);
  // hand the bytes over in odd pieces, as a file stream would
  const pieces: Buffer[] = [];
  for (let i = 0; i < slice.length; i += 10_007) pieces.push(slice.subarray(i, i + 10_007));
  const out: Buffer[] = [];
  for await (const c of decryptRange(Readable.from(pieces), key, size, start, end)) out.push(c);
  return Buffer.concat(out);
}

describe('SSE chunk format', () => {
  const key = contentKey(randomBytes(32), randomBytes(16));

  it.each([0, 1, SSE_CHUNK - 1, SSE_CHUNK, SSE_CHUNK + 1, 3 * SSE_CHUNK, 3 * SSE_CHUNK + 5])(
    'size %i: the file has the computed size and every edge range decrypts',
    async (size) => {
      const plain = randomBytes(size);
      const file = await encrypt(key, plain);
      expect(file.length).toBe(encryptedSize(size));
      if (size === 0) return;
      const edges = [0, 1, SSE_CHUNK - 1, SSE_CHUNK, SSE_CHUNK + 1, 2 * SSE_CHUNK, size - 1].filter(
        (x) => x < size,
      );
      for (const s of edges)
        for (const e of edges)
          if (e >= s) expect((await read(file, key, size, s, e)).equals(plain.subarray(s, e + 1))).toBe(true);
    },
  );

  it('a flipped bit, a wrong key and a file cut at a chunk boundary all fail', async () => {
    const size = 2 * SSE_CHUNK + 100;
    const plain = randomBytes(size);
    const file = await encrypt(key, plain);
    const flipped = Buffer.from(file);
    flipped[70_000]! ^= 1;
    await expect(read(flipped, key, size, 0, size - 1)).rejects.toBeInstanceOf(SseDecryptError);
    const other = contentKey(randomBytes(32), randomBytes(16));
    await expect(read(file, other, size, 0, 10)).rejects.toBeInstanceOf(SseDecryptError);
    // claim the object ends after two full chunks: the second chunk is not marked final
    const cut = file.subarray(0, 2 * (SSE_CHUNK + 16));
    await expect(read(cut, key, 2 * SSE_CHUNK, 0, 2 * SSE_CHUNK - 1)).rejects.toBeInstanceOf(SseDecryptError);
  });

  it('the same input key with another salt gives another content key', () => {
    const input = randomBytes(32);
    expect(contentKey(input, randomBytes(16)).equals(contentKey(input, randomBytes(16)))).toBe(false);
  });
});
