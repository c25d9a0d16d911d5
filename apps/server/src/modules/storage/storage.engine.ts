import { createHash, type Hash, randomBytes } from 'node:crypto';
import {
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../platform/logger.ts';
import { type ChecksumAlgorithm, type Checksummer, createChecksummer } from './storage.checksums.ts';
import { openDirect } from './storage.direct-io.ts';
import { StorageError } from './storage.errors.ts';
import { PARALLEL_HASH_MIN_BYTES, ParallelBlobSink } from './storage.hashing.ts';
import { SocketBody } from './storage.socket-body.ts';
import { chunkSpan, decryptRange, EncryptStream } from './storage.sse.crypto.ts';

/**
 * The storage engine: immutable blob files per bucket, never named after user input.
 *
 *   <dataDir>/objects/<bucket-id>/           (a ZFS dataset's mountpoint when configured)
 *       tmp/<boot-id>/<random>               uploads in progress (same filesystem as blobs)
 *       blobs/<xx>/<blob-id>                 committed-or-about-to-be-committed content
 *   <dataDir>/objects/.trash/                deleted bucket stores being removed
 *
 * Write path: stream into a temp file while hashing (MD5 always; SHA-256 / CRC on demand),
 * let the caller verify the digests, fsync the file, rename it into blobs/, fsync the
 * directory. Only then does the service commit metadata. A blob without metadata is garbage
 * that the cleanup job removes; metadata never points at a blob that is not fully on disk.
 */

export interface ZfsLike {
  create(
    dataset: string,
    opts?: { compression?: string; parents?: boolean; properties?: Record<string, string | number> },
  ): Promise<void>;
  destroy(name: string, opts?: { recursive?: boolean }): Promise<void>;
  list(opts?: { root?: string; depth?: number }): Promise<{ name: string; mountpoint: string | null }[]>;
  get(
    dataset: string,
    properties: readonly string[],
  ): Promise<Record<string, { value: string; source: string }>>;
}

export interface EngineOptions {
  dataDir: string;
  logger: Logger;
  /** One ZFS dataset per bucket under `parent` (created with compression=lz4). */
  zfs?: { agent: ZfsLike; parent: string } | null;
  /** Read/write buffer size for streaming (default 1 MiB). */
  bufferBytes?: number;
  /** Hash large bodies in worker threads (default true; false keeps everything on the event loop). */
  parallelHashing?: boolean;
  /** Large uploads write their blocks with O_DIRECT where the filesystem allows (default true). */
  directIo?: boolean;
}

export interface StoreRef {
  id: string;
  name: string;
  storage: 'dir' | 'zfs';
  dataset: string | null;
}

export interface BodyDigest {
  size: number;
  md5: Buffer;
  sha256: Buffer | null;
  checksum: Buffer | null;
}

export interface WriteOptions {
  /** Hard limit on the body size: more bytes → EntityTooLarge. */
  maxBytes: number;
  sha256?: boolean;
  checksum?: ChecksumAlgorithm | null;
  /** Called once the whole body is in the temp file, before it is made durable: throw to reject. */
  verify?: (digest: BodyDigest) => void | Promise<void>;
  /**
   * The declared body size (null: unknown). Large or unknown bodies are hashed in worker threads,
   * in parallel with each other and with the file writes (storage.hashing.ts).
   */
  sizeHint?: number | null;
  /**
   * Server-side encryption: the blob's content key. The bytes are hashed as received, then
   * encrypted (storage.sse.crypto.ts) on their way to the file (on the event loop, not in workers).
   */
  encryptKey?: Buffer | null;
}

export interface WrittenBlob extends BodyDigest {
  blob: string;
  md5Hex: string;
}

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

const BUCKET_ID = /^bkt-[0-9a-f]{17}$/;
const BLOB_ID = /^[0-9a-f]{32}$/;

export function newBlobId(): string {
  return randomBytes(16).toString('hex');
}

/** Counts and hashes bytes flowing through; fails with EntityTooLarge past the limit. */
export class DigestStream extends Transform {
  size = 0;
  private readonly md5: Hash = createHash('md5');
  private readonly sha: Hash | null;
  private readonly sum: Checksummer | null;

  constructor(
    private readonly maxBytes: number,
    opts: { sha256?: boolean; checksum?: ChecksumAlgorithm | null },
  ) {
    super();
    this.sha = opts.sha256 ? createHash('sha256') : null;
    this.sum = opts.checksum ? createChecksummer(opts.checksum) : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      cb(
        new StorageError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', {
          MaxSizeAllowed: String(this.maxBytes),
        }),
      );
      return;
    }
    this.md5.update(chunk);
    this.sha?.update(chunk);
    this.sum?.update(chunk);
    cb(null, chunk);
  }

  result(): BodyDigest {
    return {
      size: this.size,
      md5: this.md5.digest(),
      sha256: this.sha ? this.sha.digest() : null,
      checksum: this.sum ? this.sum.digest() : null,
    };
  }
}

/** Write everything, however the kernel splits it. */
async function writeAll(fh: FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await fh.writev(pending);
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const b of pending) {
      if (skip >= b.length) skip -= b.length;
      else {
        rest.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    pending = rest;
  }
}

/** A Writable over a FileHandle we keep owning (so we can fsync and close it ourselves). */
class FileSink extends Writable {
  constructor(
    private readonly fh: FileHandle,
    highWaterMark: number,
  ) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    writeAll(this.fh, [chunk]).then(() => cb(), cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    writeAll(
      this.fh,
      chunks.map((c) => c.chunk),
    ).then(() => cb(), cb);
  }
}

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class StorageEngine {
  readonly root: string;
  readonly bootId = randomBytes(6).toString('hex');
  /** Files older than this boot cannot belong to an in-flight request of this process. */
  readonly bootTime = Date.now();
  private readonly buffer: number;
  private readonly preparedDirs = new Set<string>();
  /** Blobs being read: their removal waits for the last reader (see lease()). */
  private readonly leases = new Map<string, number>();
  private readonly doomed = new Set<string>();
  /** Runs after a blob file is gone (server-side encryption forgets the blob's key). */
  onBlobRemoved: ((bucketId: string, blob: string) => Promise<void>) | null = null;

  constructor(private readonly opts: EngineOptions) {
    this.root = join(opts.dataDir, 'objects');
    this.buffer = opts.bufferBytes ?? 1024 * 1024;
  }

  get zfsParent(): string | null {
    return this.opts.zfs?.parent ?? null;
  }

  bucketDir(bucketId: string): string {
    if (!BUCKET_ID.test(bucketId)) throw new Error(`invalid bucket id ${bucketId}`);
    return join(this.root, bucketId);
  }

  blobPath(bucketId: string, blob: string): string {
    if (!BLOB_ID.test(blob)) throw new Error('invalid blob id');
    return join(this.bucketDir(bucketId), 'blobs', blob.slice(0, 2), blob);
  }

  private tmpDir(bucketId: string): string {
    return join(this.bucketDir(bucketId), 'tmp', this.bootId);
  }

  /** mkdir -p once per process, fsyncing the parent of each directory it had to create. */
  private async prepareDir(path: string): Promise<void> {
    if (this.preparedDirs.has(path)) return;
    const created = await mkdir(path, { recursive: true });
    if (created !== undefined) {
      // fsync every directory from the first created one's parent down to the leaf's parent
      let dir = path;
      const chain: string[] = [];
      while (dir.length >= created.length) {
        chain.push(join(dir, '..'));
        dir = join(dir, '..');
      }
      for (const d of chain.reverse()) await fsyncDir(d).catch(() => undefined);
    }
    if (this.preparedDirs.size > 100_000) this.preparedDirs.clear();
    this.preparedDirs.add(path);
  }

  // ---------------------------------------------------------------- bucket stores

  /** Create a bucket's store: a ZFS dataset (when configured) or a directory. */
  async createStore(
    bucketId: string,
    bucketName: string,
    /** For a leftover dataset of the same name: is the bucket it belonged to gone? */
    isOrphan: (bucketId: string) => Promise<boolean> = async () => false,
  ): Promise<{ storage: 'dir' | 'zfs'; dataset: string | null }> {
    const dir = this.bucketDir(bucketId);
    await this.prepareDir(this.root);
    let dataset: string | null = null;
    if (this.opts.zfs) {
      dataset = `${this.opts.zfs.parent}/${bucketName}`;
      const existing = await this.opts.zfs.agent.get(dataset, ['proxicloud:bucket-id']).catch(() => null);
      if (existing) {
        const owner = existing['proxicloud:bucket-id']?.value;
        if (owner && /^bkt-[0-9a-f]{17}$/.test(owner) && (await isOrphan(owner))) {
          this.opts.logger.warn({ dataset }, 'destroying the leftover dataset of a deleted bucket');
          await this.opts.zfs.agent.destroy(dataset);
        } else {
          throw new StorageError(
            'InternalError',
            `ZFS dataset ${dataset} already exists and is not a leftover bucket store`,
          );
        }
      }
      const properties = { mountpoint: dir, atime: 'off', 'proxicloud:bucket-id': bucketId };
      try {
        await this.opts.zfs.agent.create(dataset, { compression: 'lz4', properties });
      } catch (err) {
        // ZFS implementations without lz4 (zfs-fuse): "on" picks their default algorithm
        if (!/compression/i.test(String((err as { stderr?: string }).stderr ?? ''))) throw err;
        this.opts.logger.warn({ dataset }, 'this ZFS has no lz4 compression; using compression=on');
        await this.opts.zfs.agent.create(dataset, { compression: 'on', properties });
      }
    } else {
      await mkdir(dir, { mode: 0o750 });
      await fsyncDir(this.root);
    }
    await this.prepareDir(join(dir, 'blobs'));
    await this.prepareDir(this.tmpDir(bucketId));
    return { storage: dataset ? 'zfs' : 'dir', dataset };
  }

  /** Remove a bucket's store and everything in it (after its metadata is gone). */
  async destroyStore(ref: StoreRef): Promise<void> {
    const dir = this.bucketDir(ref.id);
    for (const p of [...this.preparedDirs]) if (p.startsWith(dir)) this.preparedDirs.delete(p);
    if (ref.storage === 'zfs' && ref.dataset && this.opts.zfs) {
      await this.opts.zfs.agent.destroy(ref.dataset);
      await rm(dir, { recursive: true, force: true });
      return;
    }
    const trash = join(this.root, '.trash');
    await mkdir(trash, { recursive: true });
    const target = join(trash, `${ref.id}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(dir, target);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await fsyncDir(this.root).catch(() => undefined);
    await rm(target, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- writes

  /**
   * Stream `source` into a new blob. On any failure (including a rejecting `verify`) nothing is
   * left behind. The source is consumed but never destroyed by us (the HTTP layer owns it).
   */
  async writeBlob(bucketId: string, source: Readable, options: WriteOptions): Promise<WrittenBlob> {
    // The source may fail before the pipeline below is attached (a client hanging up while we
    // open the temp file): keep that from becoming an uncaught 'error'; pipeline still sees it.
    source.on('error', () => undefined);
    const tmpDir = this.tmpDir(bucketId);
    await this.prepareDir(tmpDir).catch((err: unknown) => {
      throw isNotFound(err) ? storeMissing(bucketId) : err;
    });
    const tmp = join(tmpDir, newBlobId());
    const hint = options.sizeHint === undefined ? 0 : options.sizeHint;
    const parallel =
      !options.encryptKey &&
      this.opts.parallelHashing !== false &&
      (hint === null || hint >= PARALLEL_HASH_MIN_BYTES);
    let fh: FileHandle | undefined;
    let direct: FileHandle | null = null;
    try {
      fh = await open(tmp, 'wx', 0o640);
      let result: BodyDigest;
      if (parallel) {
        if (this.opts.directIo !== false) direct = await openDirect(tmp);
        const sink = new ParallelBlobSink(fh, options.maxBytes, { ...options, direct });
        if (source instanceof SocketBody && source.canTakeOver) await sink.ingest(source);
        else await pipeline(source, sink);
        await direct?.close();
        direct = null;
        result = await sink.result();
      } else {
        const digest = new DigestStream(options.maxBytes, options);
        const file = new FileSink(fh, this.buffer);
        if (options.encryptKey) await pipeline(source, digest, new EncryptStream(options.encryptKey), file);
        else await pipeline(source, digest, file);
        result = digest.result();
      }
      await options.verify?.(result);
      return await this.commitTemp(bucketId, tmp, fh, result);
    } catch (err) {
      await direct?.close().catch(() => undefined);
      await fh?.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /** fsync + close the temp file, rename it into blobs/, fsync the directory. */
  private async commitTemp(
    bucketId: string,
    tmp: string,
    fh: FileHandle,
    result: BodyDigest,
  ): Promise<WrittenBlob> {
    await fh.sync();
    await fh.close();
    const blob = newBlobId();
    const dest = this.blobPath(bucketId, blob);
    const shard = join(this.bucketDir(bucketId), 'blobs', blob.slice(0, 2));
    await this.prepareDir(shard);
    await rename(tmp, dest);
    await fsyncDir(shard);
    return { ...result, blob, md5Hex: result.md5.toString('hex') };
  }

  /**
   * A new name for an existing blob in another (or the same) bucket: a hard link, which is safe
   * because blobs are immutable. Null when the stores are on different filesystems (separate ZFS
   * datasets): the caller then streams a copy.
   */
  async linkBlob(src: { bucketId: string; blob: string }, dstBucketId: string): Promise<string | null> {
    const blob = newBlobId();
    const shard = join(this.bucketDir(dstBucketId), 'blobs', blob.slice(0, 2));
    await this.prepareDir(shard);
    try {
      await link(this.blobPath(src.bucketId, src.blob), this.blobPath(dstBucketId, blob));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EXDEV' || code === 'EPERM' || code === 'EMLINK') return null;
      throw err;
    }
    await fsyncDir(shard);
    return blob;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Hold blobs for reading: removeBlob() of a held blob is deferred until the last holder
   * releases it, so an overwrite or delete never pulls a file out from under a download.
   * Returns the (idempotent) release function.
   */
  lease(bucketId: string, blobs: readonly string[]): () => void {
    const keys = blobs.map((b) => `${bucketId}/${b}`);
    for (const k of keys) this.leases.set(k, (this.leases.get(k) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of keys) {
        const n = (this.leases.get(k) ?? 1) - 1;
        if (n > 0) {
          this.leases.set(k, n);
          continue;
        }
        this.leases.delete(k);
        if (this.doomed.delete(k)) {
          const [bucketId, blob] = k.split('/') as [string, string];
          void this.removeBlobQuietly(bucketId, blob);
        }
      }
    };
  }

  /**
   * Stream an object's segments (one blob, or a multipart object's part blobs in order), limited
   * to `range`. Files are opened one after the other; `release` runs when the stream ends or is
   * destroyed. A segment with a `key` is encrypted: only the chunks holding the range are read
   * and decrypted (sizes are always plaintext sizes).
   */
  openSegments(
    bucketId: string,
    segments: readonly { blob: string; size: number; key?: Buffer | null }[],
    range: ByteRange | null,
    release: () => void,
  ): Readable {
    const paths = segments.map((s) => this.blobPath(bucketId, s.blob));
    const hwm = Math.min(this.buffer, 512 * 1024);
    async function* read(): AsyncGenerator<Buffer> {
      try {
        let offset = 0;
        for (const [i, seg] of segments.entries()) {
          const segStart = offset;
          const segEnd = offset + seg.size - 1;
          offset += seg.size;
          if (seg.size === 0) continue;
          if (range && (segEnd < range.start || segStart > range.end)) continue;
          const start = range ? Math.max(range.start, segStart) - segStart : 0;
          const end = range ? Math.min(range.end, segEnd) - segStart : seg.size - 1;
          const fh = await open(paths[i]!, 'r');
          const span = seg.key ? chunkSpan(seg.size, start, end) : null;
          const stream = fh.createReadStream({
            start: span ? span.fileStart : start,
            end: span ? span.fileEnd : end,
            highWaterMark: hwm,
            autoClose: true,
          });
          try {
            if (seg.key) yield* decryptRange(stream, seg.key, seg.size, start, end);
            else for await (const chunk of stream) yield chunk as Buffer;
          } finally {
            stream.destroy();
          }
        }
      } finally {
        release();
      }
    }
    return Readable.from(read(), { objectMode: false, highWaterMark: hwm });
  }

  /** Open a single blob (or a range of it) for reading. */
  async openBlob(bucketId: string, blob: string, range: ByteRange | null): Promise<Readable> {
    const fh = await open(this.blobPath(bucketId, blob), 'r');
    return fh.createReadStream({
      start: range?.start,
      end: range?.end,
      highWaterMark: Math.min(this.buffer, 512 * 1024),
      autoClose: true,
    });
  }

  /** Size of a blob file, or null if it is missing. */
  async blobSize(bucketId: string, blob: string): Promise<number | null> {
    try {
      return (await stat(this.blobPath(bucketId, blob))).size;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async blobExists(bucketId: string, blob: string): Promise<boolean> {
    try {
      await stat(this.blobPath(bucketId, blob));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Delete a blob file (deferred while it is leased to a reader). */
  async removeBlob(bucketId: string, blob: string): Promise<void> {
    const key = `${bucketId}/${blob}`;
    if (this.leases.has(key)) {
      this.doomed.add(key);
      return;
    }
    try {
      await unlink(this.blobPath(bucketId, blob));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await this.onBlobRemoved?.(bucketId, blob);
  }

  /** Best effort (after a commit): failures are left for the cleanup job. */
  async removeBlobQuietly(bucketId: string, blob: string): Promise<void> {
    try {
      await this.removeBlob(bucketId, blob);
    } catch (err) {
      this.opts.logger.warn(
        { err, bucketId, blob },
        'could not remove an unreferenced blob; cleanup will retry',
      );
    }
  }

  // ---------------------------------------------------------------- housekeeping

  /** Blob files of a bucket with their age (max of mtime and ctime: link and rename bump ctime). */
  async *listBlobFiles(bucketId: string): AsyncGenerator<{ blob: string; changedMs: number }> {
    const base = join(this.bucketDir(bucketId), 'blobs');
    let shards: string[];
    try {
      shards = await readdir(base);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const shard of shards.sort()) {
      let names: string[];
      try {
        names = await readdir(join(base, shard));
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      for (const name of names.sort()) {
        try {
          const st = await lstat(join(base, shard, name));
          yield { blob: name, changedMs: Math.max(st.mtimeMs, st.ctimeMs) };
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
  }

  /** Remove temp files of earlier boots, and this boot's temp files older than `olderThanMs`. */
  async cleanTemp(bucketId: string, olderThanMs: number): Promise<number> {
    const base = join(this.bucketDir(bucketId), 'tmp');
    let removed = 0;
    let boots: string[];
    try {
      boots = await readdir(base);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    for (const boot of boots) {
      const dir = join(base, boot);
      if (boot !== this.bootId) {
        removed += (await readdir(dir).catch(() => [])).length;
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const st = await lstat(join(dir, name)).catch(() => null);
        if (st && Math.max(st.mtimeMs, st.ctimeMs) < olderThanMs) {
          await unlink(join(dir, name)).catch(() => undefined);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Entries directly under objects/ (bucket stores and .trash). */
  async listStoreDirs(): Promise<string[]> {
    try {
      return await readdir(this.root);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** Remove a store directory that has no bucket row (crash during bucket create/delete). */
  async removeOrphanStore(name: string): Promise<void> {
    if (name === '.trash') {
      await rm(join(this.root, '.trash'), { recursive: true, force: true });
      return;
    }
    if (!BUCKET_ID.test(name)) return;
    const dir = join(this.root, name);
    if (this.opts.zfs) {
      // Never rm -rf inside a mounted dataset: destroy orphan datasets through zfs instead.
      await rmdir(dir).catch(() => undefined);
      return;
    }
    await this.destroyStore({ id: name, name, storage: 'dir', dataset: null });
  }

  /** Datasets under the ZFS parent with their bucket id property. */
  async listDatasets(): Promise<{ name: string; bucketId: string | null }[]> {
    const zfs = this.opts.zfs;
    if (!zfs) return [];
    const list = await zfs.agent.list({ root: zfs.parent, depth: 1 });
    const out: { name: string; bucketId: string | null }[] = [];
    for (const d of list) {
      if (d.name === zfs.parent) continue;
      const props = await zfs.agent.get(d.name, ['proxicloud:bucket-id']);
      const v = props['proxicloud:bucket-id']?.value;
      out.push({ name: d.name, bucketId: v && v !== '-' ? v : null });
    }
    return out;
  }

  async destroyDataset(name: string): Promise<void> {
    await this.opts.zfs?.agent.destroy(name);
  }
}

function storeMissing(bucketId: string): StorageError {
  return new StorageError('NoSuchBucket', 'The specified bucket does not exist', { BucketId: bucketId });
}
