/**
 * Hashing large bodies in worker threads (storage.hashing.ts): the digests and the file are
 * exactly what one thread computes and writes, for every checksum algorithm, whatever the chunk
 * sizes; the size limit holds; a worker that dies fails the upload instead of hanging it; the
 * engine picks the parallel path for large or unknown sizes and nothing is left behind on failure.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChecksumAlgorithm, checksumOf } from './storage.checksums.ts';
import { StorageEngine } from './storage.engine.ts';
import { StorageError } from './storage.errors.ts';
import { closeHashWorkers, copyInto, PARALLEL_HASH_MIN_BYTES, ParallelBlobSink } from './storage.hashing.ts';

const dir = mkdtempSync(join(tmpdir(), 'pc-hashing-'));
afterAll(async () => {
  await closeHashWorkers();
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;
function data(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7 + (i >> 13)) & 0xff;
  return b;
}
/** Odd chunk sizes, as sockets deliver them. */
function chunked(b: Buffer): Readable {
  const out: Buffer[] = [];
  for (let i = 0, n = 1; i < b.length; i += n, n = (n * 7 + 12345) % 300_000 || 1)
    out.push(b.subarray(i, i + n));
  return Readable.from(out);
}
const hash = (alg: string, b: Buffer) => createHash(alg).update(b).digest();

let fileNo = 0;
async function sinkOf(
  body: Buffer,
  opts: { sha256?: boolean; checksum?: ChecksumAlgorithm | null },
  maxBytes = 1e12,
) {
  const path = join(dir, `f${fileNo++}`);
  const fh = await open(path, 'w');
  try {
    const sink = new ParallelBlobSink(fh, maxBytes, opts);
    await pipeline(chunked(body), sink);
    return { digest: await sink.result(), file: readFileSync(path) };
  } finally {
    await fh.close();
  }
}

describe('parallel hashing', () => {
  const body = data(9 * MiB + 4321, 1);
  for (const checksum of [null, 'CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    for (const sha256 of [false, true]) {
      it(`MD5${sha256 ? ' + SHA-256' : ''}${checksum ? ` + ${checksum}` : ''}: same digests and bytes as one thread`, async () => {
        const { digest, file } = await sinkOf(body, { sha256, checksum });
        expect(digest.size).toBe(body.length);
        expect(file.equals(body)).toBe(true);
        expect(digest.md5.equals(hash('md5', body))).toBe(true);
        if (sha256) expect(digest.sha256?.equals(hash('sha256', body))).toBe(true);
        else expect(digest.sha256).toBeNull();
        if (checksum) expect(digest.checksum?.toString('base64')).toBe(checksumOf(checksum, body));
        else expect(digest.checksum).toBeNull();
      });
    }
  }

  it('empty and tiny bodies, and a body of exactly whole blocks', async () => {
    for (const b of [Buffer.alloc(0), Buffer.from('x'), data(4 * MiB, 2)]) {
      const { digest, file } = await sinkOf(b, { sha256: true, checksum: 'CRC32' });
      expect(file.equals(b)).toBe(true);
      expect(digest.md5.equals(hash('md5', b))).toBe(true);
      expect(digest.sha256?.equals(hash('sha256', b))).toBe(true);
    }
  });

  it('chunks that end exactly on, straddle and span whole 1 MiB blocks are copied byte for byte', async () => {
    // copyInto (fill, not copy) takes a whole chunk when it fits and a slice of it otherwise
    const sizes = [1, MiB - 1, MiB, MiB + 1, 3 * MiB + MiB / 2, 7, MiB - 8, 2 * MiB];
    const b = data(
      sizes.reduce((a, n) => a + n, 0),
      5,
    );
    const parts: Buffer[] = [];
    for (let at = 0, i = 0; at < b.length; at += sizes[i++]!) parts.push(b.subarray(at, at + sizes[i]!));
    const path = join(dir, `f${fileNo++}`);
    const fh = await open(path, 'w');
    try {
      const sink = new ParallelBlobSink(fh, 1e12, { checksum: 'CRC32' });
      await pipeline(Readable.from(parts), sink);
      const digest = await sink.result();
      expect(readFileSync(path).equals(b)).toBe(true);
      expect(digest.md5.equals(hash('md5', b))).toBe(true);
      expect(digest.checksum?.toString('base64')).toBe(checksumOf('CRC32', b));
    } finally {
      await fh.close();
    }
    const target = Buffer.from(new SharedArrayBuffer(8));
    copyInto(target, 3, Buffer.from([1, 2, 3]));
    expect([...target]).toEqual([0, 0, 0, 1, 2, 3, 0, 0]);
  });

  it('more bytes than allowed: EntityTooLarge', async () => {
    const err = await sinkOf(data(3 * MiB, 3), {}, 2 * MiB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).s3Code).toBe('EntityTooLarge');
  });

  it('chunks buffered while a block is busy arrive together (_writev): same bytes and digests; the limit holds', async () => {
    const b = data(6 * MiB + 99, 7);
    const run = async (maxBytes: number) => {
      const path = join(dir, `f${fileNo++}`);
      const fh = await open(path, 'w');
      try {
        const sink = new ParallelBlobSink(fh, maxBytes, { sha256: true, checksum: 'CRC32' });
        const batches: number[] = [];
        const writev = sink._writev.bind(sink);
        sink._writev = (chunks, cb) => {
          batches.push(chunks.length);
          writev(chunks, cb);
        };
        // Written without waiting: the stream buffers them while the first write is in progress.
        for (let i = 0; i < b.length; i += 64 * 1024) sink.write(b.subarray(i, i + 64 * 1024));
        sink.end();
        await new Promise<void>((resolve, reject) => {
          sink.on('finish', resolve);
          sink.on('error', reject);
        });
        expect(Math.max(...batches)).toBeGreaterThan(1);
        return { digest: await sink.result(), file: readFileSync(path) };
      } finally {
        await fh.close();
      }
    };
    const { digest, file } = await run(1e12);
    expect(file.equals(b)).toBe(true);
    expect(digest.size).toBe(b.length);
    expect(digest.md5.equals(hash('md5', b))).toBe(true);
    expect(digest.sha256?.equals(hash('sha256', b))).toBe(true);
    expect(digest.checksum?.toString('base64')).toBe(checksumOf('CRC32', b));
    const err = await run(2 * MiB).catch((e: unknown) => e);
    expect((err as StorageError).s3Code).toBe('EntityTooLarge');
  });

  it('a hash worker that dies fails the upload (no hang); new uploads get new workers', async () => {
    const fh = await open(join(dir, 'dies'), 'w');
    try {
      const sink = new ParallelBlobSink(fh, 1e12, { sha256: true });
      const source = new Readable({ read() {} });
      const done = pipeline(source, sink);
      source.push(data(3 * MiB, 4));
      await new Promise((r) => setTimeout(r, 50));
      await closeHashWorkers();
      source.push(data(3 * MiB, 5));
      source.push(null);
      await expect(done.then(() => sink.result())).rejects.toThrow(/hash worker exited/);
    } finally {
      await fh.close();
    }
    const b = data(2 * MiB, 6);
    expect((await sinkOf(b, {})).digest.md5.equals(hash('md5', b))).toBe(true);
  });

  it('the engine gives the same blob and digests for large, unknown and small size hints', async () => {
    const logger = { info() {}, warn() {}, error() {}, debug() {}, child: () => logger } as never;
    const engine = new StorageEngine({ dataDir: join(dir, 'engine'), logger });
    const bucket = 'bkt-0123456789abcdef0';
    await engine.createStore(bucket, 'b');
    const big = data(PARALLEL_HASH_MIN_BYTES + 1, 7);
    for (const sizeHint of [big.length, null, 0]) {
      const w = await engine.writeBlob(bucket, chunked(big), {
        maxBytes: 1e12,
        sha256: true,
        checksum: 'CRC32C',
        sizeHint,
      });
      expect(w.md5Hex).toBe(hash('md5', big).toString('hex'));
      expect(w.sha256?.equals(hash('sha256', big))).toBe(true);
      expect(w.checksum?.toString('base64')).toBe(checksumOf('CRC32C', big));
      expect(readFileSync(engine.blobPath(bucket, w.blob)).equals(big)).toBe(true);
    }
    // a failed verify leaves no temp file behind (parallel path)
    await expect(
      engine.writeBlob(bucket, chunked(big), {
        maxBytes: 1e12,
        sizeHint: big.length,
        verify: () => {
          throw new StorageError('BadDigest', 'no');
        },
      }),
    ).rejects.toThrow('no');
    const tmp = join(engine.bucketDir(bucket), 'tmp', engine.bootId);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
