/**
 * Hashing large bodies in worker threads (storage.hashing.ts): the digests and the file are
 * exactly what one thread computes and writes, for every checksum algorithm, whatever the chunk
 * sizes; the size limit holds; a worker that dies fails the upload instead of hanging it; the
 * engine picks the parallel path for large or unknown sizes and nothing is left behind on failure.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChecksumAlgorithm, checksumOf } from './storage.checksums.ts';
import { type DirectTarget, openDirect } from './storage.direct-io.ts';
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

/** Can this temp dir's filesystem do O_DIRECT at all? (ext4, xfs, btrfs: yes; old tmpfs: no.) */
async function directSupported(): Promise<boolean> {
  const probe = join(dir, 'direct-probe');
  writeFileSync(probe, '');
  const fh = await openDirect(probe);
  await fh?.close();
  return fh !== null;
}
const canDirect = await directSupported();

/** Pages of `path` in the page cache (util-linux fincore). */
function cachedBytes(path: string): number {
  return Number(
    execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path], {
      encoding: 'utf8',
    }).trim(),
  );
}

describe.runIf(canDirect)('O_DIRECT block writes', () => {
  /** The sink over a temp file with a second, O_DIRECT handle; `wrap` may intercept its writes. */
  async function directSink(body: Buffer, wrap: (direct: DirectTarget) => DirectTarget = (d) => d) {
    const path = join(dir, `d${fileNo++}`);
    const fh = await open(path, 'w');
    const direct = (await openDirect(path))!;
    let directWrites = 0;
    const inner = wrap(direct);
    const counted: DirectTarget = {
      write: ((...args: Parameters<DirectTarget['write']>) => {
        directWrites++;
        return (inner.write as (...a: unknown[]) => unknown)(...args);
      }) as DirectTarget['write'],
    };
    try {
      const sink = new ParallelBlobSink(fh, 1e12, { checksum: 'CRC32', direct: counted });
      await pipeline(chunked(body), sink);
      const digest = await sink.result();
      return { digest, file: readFileSync(path), size: statSync(path).size, path, directWrites };
    } finally {
      await direct.close();
      await fh.close();
    }
  }

  it('odd, whole-block, tiny and empty bodies: the same bytes, the exact size, written around the page cache', async () => {
    for (const b of [
      data(9 * MiB + 4321, 11),
      data(8 * MiB, 12),
      data(3 * MiB + 512, 13),
      Buffer.from('x'),
      Buffer.alloc(0),
    ]) {
      const { digest, file, size, path, directWrites } = await directSink(b);
      expect(size).toBe(b.length); // the zero padding of the last block is truncated away
      expect(file.equals(b)).toBe(true);
      expect(digest.md5.equals(hash('md5', b))).toBe(true);
      expect(digest.checksum?.toString('base64')).toBe(checksumOf('CRC32', b));
      expect(directWrites).toBe(Math.ceil(b.length / MiB));
      if (b.length >= MiB) {
        // readFileSync above cached what it read; drop it and look again: only direct bytes
        execFileSync('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none']);
        expect(cachedBytes(path)).toBeLessThan(b.length / 2);
      }
    }
  });

  it('a direct write the filesystem refuses (EINVAL) switches the upload to buffered writes: same bytes', async () => {
    const b = data(7 * MiB + 100, 14);
    let calls = 0;
    const { file, size, directWrites } = await directSink(b, (direct) => ({
      write: ((...args: Parameters<DirectTarget['write']>) => {
        if (++calls > 2)
          return Promise.reject(Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' }));
        return (direct.write as (...a: unknown[]) => unknown)(...args);
      }) as DirectTarget['write'],
    }));
    expect(size).toBe(b.length);
    expect(file.equals(b)).toBe(true);
    expect(directWrites).toBeLessThan(Math.ceil(b.length / MiB)); // the rest went buffered
  });

  it('any other write error fails the upload', async () => {
    const err = await directSink(data(3 * MiB, 15), () => ({
      write: (() =>
        Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))) as DirectTarget['write'],
    })).catch((e: unknown) => e);
    expect(String(err)).toMatch(/EIO/);
  });

  it('the engine writes large blobs with O_DIRECT (not in the page cache afterwards) unless directIo is off', async () => {
    const logger = { info() {}, warn() {}, error() {}, debug() {}, child: () => logger } as never;
    const big = data(PARALLEL_HASH_MIN_BYTES + 3 * MiB + 17, 16);
    for (const directIo of [true, false]) {
      const engine = new StorageEngine({ dataDir: join(dir, `engine-direct-${directIo}`), logger, directIo });
      const bucket = 'bkt-0123456789abcdef1';
      await engine.createStore(bucket, 'b');
      const w = await engine.writeBlob(bucket, chunked(big), { maxBytes: 1e12, sizeHint: big.length });
      const path = engine.blobPath(bucket, w.blob);
      const cached = cachedBytes(path);
      if (directIo) expect(cached).toBeLessThan(MiB);
      else expect(cached).toBe(Math.ceil(big.length / 4096) * 4096);
      expect(w.md5Hex).toBe(hash('md5', big).toString('hex'));
      expect(readFileSync(path).equals(big)).toBe(true);
    }
  });
});
