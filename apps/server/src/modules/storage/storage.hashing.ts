import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { type ChecksumAlgorithm, type Checksummer, createChecksummer } from './storage.checksums.ts';
import {
  type BlockMemory,
  DIRECT_ALIGN,
  type DirectTarget,
  returnMemory,
  takeMemory,
} from './storage.direct-io.ts';
import { StorageError } from './storage.errors.ts';
import type { DirectRead, SocketBody } from './storage.socket-body.ts';

/**
 * Hashing large uploads off the main thread, in parallel.
 *
 * A large body must be MD5-hashed (the ETag), often SHA-256-hashed (a signed payload) and
 * checksummed (x-amz-checksum-*): three passes over every byte that, in one thread, cost more
 * than the disk write. `ParallelBlobSink` copies the incoming bytes into 1 MiB blocks of shared
 * memory; each full block is written to the file (positional, large writes) and handed to hash
 * workers at the same time — MD5 on one worker, SHA-256/SHA-1/CRC32 on another — so the passes
 * run side by side and the event loop only copies bytes. A block is reused once the write and
 * every hash of it are done (that is the backpressure). CRC32C and CRC64NVME (our own JavaScript
 * implementations) run on the main thread, block by block.
 *
 * The blocks are written with O_DIRECT where the filesystem allows it (`openDirect`, storage.direct-io.ts): straight
 * from our blocks to the disk, without the copy into the page cache that a buffered write costs
 * (a quarter of a large PUT's CPU, paid again by the kernel's writeback). The blocks live in a
 * shared WebAssembly memory, which V8 maps page-aligned (O_DIRECT needs aligned buffers, and a
 * plain SharedArrayBuffer starts 16 bytes into a page); the last, partial block is written padded
 * with zeros to the next 4 KiB and the file truncated to its size. A filesystem that refuses
 * O_DIRECT (or an unaligned write) gets the same bytes through the buffered handle.
 */

/** Bodies of at least this many bytes (or of unknown length) are hashed in workers. */
export const PARALLEL_HASH_MIN_BYTES = 8 * 1024 * 1024;
const BLOCK_BYTES = 1024 * 1024;
const BLOCKS = 8;
const WRITEBACK_BYTES = 32 * 1024 * 1024;

/** Worker source (plain CommonJS, evaluated, so it needs no TypeScript loader in the worker). */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
const states = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'open') {
    states.set(m.id, m.algorithms.map((a) => (a === 'crc32' ? { crc: 0 } : { hash: createHash(a) })));
  } else if (m.op === 'update') {
    const s = states.get(m.id);
    if (s) {
      const data = Buffer.from(m.sab, m.offset, m.length);
      for (const h of s) {
        if (h.hash) h.hash.update(data);
        else h.crc = crc32(data, h.crc);
      }
    }
    parentPort.postMessage({ id: m.id, op: 'done', block: m.block });
  } else if (m.op === 'digest') {
    const s = states.get(m.id);
    states.delete(m.id);
    const digests = (s || []).map((h) => {
      if (h.hash) return h.hash.digest();
      const out = Buffer.alloc(4);
      out.writeUInt32BE(h.crc >>> 0);
      return out;
    });
    parentPort.postMessage({ id: m.id, op: 'digest', digests });
  } else if (m.op === 'drop') {
    states.delete(m.id);
  }
});
`;

type WorkerAlgorithm = 'md5' | 'sha256' | 'sha1' | 'crc32';

interface Listener {
  done(block: number): void;
  digest(digests: Uint8Array[]): void;
  fail(err: Error): void;
}

class HashWorker {
  readonly worker: Worker;
  readonly listeners = new Map<number, Listener>();
  dead = false;

  constructor(onDeath: (w: HashWorker) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; op: string; block?: number; digests?: Uint8Array[] }) => {
      const l = this.listeners.get(m.id);
      if (!l) return;
      if (m.op === 'done') l.done(m.block!);
      else if (m.op === 'digest') {
        this.listeners.delete(m.id);
        l.digest(m.digests!);
      }
    });
    const die = (err: Error) => {
      if (this.dead) return;
      this.dead = true;
      onDeath(this);
      for (const l of this.listeners.values()) l.fail(err);
      this.listeners.clear();
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`hash worker exited with code ${code}`)));
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }
}

/** A small pool of hash workers, started on first use and shared by all uploads. */
class HashPool {
  private workers: HashWorker[] = [];
  private next = 0;
  private nextId = 1;
  readonly size = Math.max(2, Math.min(4, availableParallelism()));

  id(): number {
    return this.nextId++;
  }

  /** `count` distinct workers (as far as the pool has them), round-robin. */
  pick(count: number): HashWorker[] {
    while (this.workers.length < this.size)
      this.workers.push(
        new HashWorker((dead) => {
          this.workers = this.workers.filter((w) => w !== dead);
        }),
      );
    const out: HashWorker[] = [];
    for (let i = 0; i < count; i++) out.push(this.workers[(this.next + i) % this.workers.length]!);
    this.next = (this.next + 1) % this.workers.length;
    return out;
  }

  async close(): Promise<void> {
    const all = this.workers;
    this.workers = [];
    await Promise.all(all.map((w) => w.worker.terminate()));
  }
}

const pool = new HashPool();

/** Stop the hash workers (tests; the workers are unref'd and never hold the process open). */
export function closeHashWorkers(): Promise<void> {
  return pool.close();
}

export interface ParallelDigest {
  size: number;
  md5: Buffer;
  sha256: Buffer | null;
  checksum: Buffer | null;
}

interface Group {
  worker: HashWorker;
  algorithms: WorkerAlgorithm[];
  digests: Promise<Uint8Array[]>;
}

interface Block {
  sab: SharedArrayBuffer;
  /** Where the block starts in `sab`. */
  offset: number;
  buf: Buffer;
  pending: number;
}

/**
 * Copy `source` (not empty) into `target` at `at`. `Buffer#copy` and `set` into a SharedArrayBuffer
 * go through V8's TypedArray copy, which moves shared memory a word at a time (Node 20: ≈ 2× the
 * cost of a memcpy, and 5 % of a large PUT's CPU in the profile); `fill` with a Buffer value as long
 * as the range is one native memcpy on every Node version.
 */
export function copyInto(target: Buffer, at: number, source: Buffer): void {
  target.fill(source, at, at + source.length);
}

/** Write everything at `position`, however the kernel splits it. */
async function writeAllAt(fh: DirectTarget, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

function tooLarge(maxBytes: number): StorageError {
  return new StorageError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', {
    MaxSizeAllowed: String(maxBytes),
  });
}

/** The file sink of a large upload: counts, writes and hashes (see the module comment). */
export class ParallelBlobSink extends Writable {
  size = 0;
  private readonly id = pool.id();
  private readonly blocks: Block[] = [];
  private current = 0;
  private fill = 0;
  private position = 0;
  private readonly groups: Group[] = [];
  private readonly local: Checksummer | null;
  private readonly localIsChecksum: boolean;
  private failure: Error | null = null;
  private waiter: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly checksumIndex: { group: number; index: number } | null = null;
  private readonly sha256Index: { group: number; index: number } | null = null;
  private readonly memory: BlockMemory;
  /** The O_DIRECT handle while direct writes work (null: every write is buffered). */
  private direct: DirectTarget | null;
  /** Some block went out through `direct`: the file may be padded past its size. */
  private wroteDirect = false;

  constructor(
    private readonly fh: FileHandle,
    private readonly maxBytes: number,
    opts: { sha256?: boolean; checksum?: ChecksumAlgorithm | null; direct?: DirectTarget | null },
  ) {
    super({ highWaterMark: BLOCK_BYTES });
    this.memory = takeMemory(BLOCKS * BLOCK_BYTES);
    this.direct = this.memory.aligned ? (opts.direct ?? null) : null;
    const { sab } = this.memory;
    for (let i = 0; i < BLOCKS; i++) {
      const offset = i * BLOCK_BYTES;
      this.blocks.push({ sab, offset, buf: Buffer.from(sab, offset, BLOCK_BYTES), pending: 0 });
    }
    const second: WorkerAlgorithm[] = [];
    if (opts.sha256) second.push('sha256');
    const alg = opts.checksum ?? null;
    const workerChecksum: WorkerAlgorithm | null =
      alg === 'CRC32' ? 'crc32' : alg === 'SHA1' ? 'sha1' : alg === 'SHA256' ? 'sha256' : null;
    if (alg && !workerChecksum) {
      this.local = createChecksummer(alg);
      this.localIsChecksum = true;
    } else {
      this.local = null;
      this.localIsChecksum = false;
    }
    if (workerChecksum && !(workerChecksum === 'sha256' && opts.sha256)) second.push(workerChecksum);
    const workers = pool.pick(second.length > 0 ? 2 : 1);
    const assignments: WorkerAlgorithm[][] = [['md5']];
    if (second.length > 0) {
      if (workers.length > 1 && workers[1] !== workers[0]) assignments.push(second);
      else assignments[0]!.push(...second);
    }
    for (const [g, algorithms] of assignments.entries()) {
      const worker = workers[g]!;
      const digests = new Promise<Uint8Array[]>((resolve, reject) => {
        worker.listeners.set(this.id, {
          done: (block) => this.release(block),
          digest: resolve,
          fail: (err) => {
            reject(err);
            this.fail(err);
          },
        });
      });
      digests.catch(() => undefined);
      worker.post({ op: 'open', id: this.id, algorithms });
      this.groups.push({ worker, algorithms, digests });
    }
    const find = (a: WorkerAlgorithm) => {
      for (const [group, g] of this.groups.entries()) {
        const index = g.algorithms.indexOf(a);
        if (index >= 0) return { group, index };
      }
      return null;
    };
    if (opts.sha256) this.sha256Index = find('sha256');
    if (workerChecksum) this.checksumIndex = find(workerChecksum);
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
    this.reader?.abort(err);
  }

  private release(index: number): void {
    const b = this.blocks[index]!;
    b.pending--;
    if (b.pending === 0 && this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve();
    }
    if (b.pending === 0 && this.readerPaused && index === this.current) {
      this.readerPaused = false;
      this.reader!.resume();
    }
  }

  /** A direct read from the socket in progress (`ingest`). */
  private reader: DirectRead | null = null;
  private readerPaused = false;

  /**
   * Take a SocketBody straight from the socket into the blocks, instead of through the Writable
   * side: the kernel copies each read into the block it belongs in, so neither node's parser nor
   * we copy the bytes again. Resolves like the Writable side finishing (then `result()`).
   */
  async ingest(body: SocketBody): Promise<void> {
    try {
      if (body.length > this.maxBytes) throw tooLarge(this.maxBytes);
      this.reader = body.takeOver({
        next: (max) => {
          const block = this.blocks[this.current]!;
          return block.buf.subarray(this.fill, this.fill + Math.min(BLOCK_BYTES - this.fill, max));
        },
        data: (n) => {
          this.size += n;
          if (this.size > this.maxBytes) {
            this.fail(tooLarge(this.maxBytes)); // aws-chunked data beyond its declared length
            return false;
          }
          this.fill += n;
          if (this.fill === BLOCK_BYTES) this.dispatch();
          if (this.fill === 0 && this.blocks[this.current]!.pending > 0) {
            this.readerPaused = true;
            return false;
          }
          return true;
        },
      });
      await this.reader.done;
      if (this.failure) throw this.failure;
      await this.finish();
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /** Wait until block `index` is free (or everything, for `all`). */
  private async free(index: number | 'all'): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const busy = index === 'all' ? this.blocks.some((b) => b.pending > 0) : this.blocks[index]!.pending > 0;
      if (!busy) return;
      await new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }
  }

  /**
   * Every WRITEBACK_BYTES, an fdatasync in the background starts the disk on what is written so
   * far, so the fsync before the rename (storage.engine.ts) finds little left to do: the disk works
   * while we hash instead of after.
   */
  private startWriteback(): void {
    if (this.syncing || this.ending || this.position - this.synced < WRITEBACK_BYTES) return;
    const upTo = this.position;
    this.syncing = this.fh.datasync().then(
      () => {
        this.syncing = null;
        this.synced = upTo;
      },
      (err: Error) => {
        this.syncing = null;
        this.fail(err); // reported here, or the fsync before the rename might never see it
      },
    );
  }
  private syncing: Promise<void> | null = null;
  private synced = 0;
  private ending = false;

  private dispatch(): void {
    const index = this.current;
    const block = this.blocks[index]!;
    const length = this.fill;
    const data = block.buf.subarray(0, length);
    block.pending = 1 + this.groups.length;
    this.local?.update(data);
    const position = this.position;
    this.position += length;
    this.writeBlock(block, length, position).then(
      () => {
        this.release(index);
        this.startWriteback();
      },
      (err: Error) => this.fail(err),
    );
    for (const g of this.groups)
      g.worker.post({
        op: 'update',
        id: this.id,
        block: index,
        sab: block.sab,
        offset: block.offset,
        length,
      });
    this.current = (index + 1) % this.blocks.length;
    this.fill = 0;
  }

  /**
   * One block to the file: through O_DIRECT while that works (the last, partial block padded with
   * zeros to DIRECT_ALIGN; `_final` truncates), else buffered. A refused direct write (EINVAL: an
   * alignment the filesystem does not accept) switches this upload to buffered writes.
   */
  private async writeBlock(block: Block, length: number, position: number): Promise<void> {
    const direct = this.direct;
    if (direct) {
      const padded = Math.ceil(length / DIRECT_ALIGN) * DIRECT_ALIGN;
      if (padded > length) block.buf.fill(0, length, padded);
      try {
        this.wroteDirect = true;
        await writeAllAt(direct, block.buf.subarray(0, padded), position);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
        this.direct = null;
      }
    }
    await writeAllAt(this.fh, block.buf.subarray(0, length), position);
  }

  private async copyIn(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.fill === 0) await this.free(this.current);
      const block = this.blocks[this.current]!;
      const n = Math.min(BLOCK_BYTES - this.fill, chunk.length - offset);
      copyInto(block.buf, this.fill, n === chunk.length ? chunk : chunk.subarray(offset, offset + n));
      this.fill += n;
      offset += n;
      if (this.fill === BLOCK_BYTES) this.dispatch();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      cb(tooLarge(this.maxBytes));
      return;
    }
    this.copyIn(chunk).then(() => cb(), cb);
  }

  /** Everything buffered while the previous write waited for a free block: copied in one pass. */
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    for (const { chunk } of chunks) this.size += chunk.length;
    if (this.size > this.maxBytes) {
      cb(tooLarge(this.maxBytes));
      return;
    }
    (async () => {
      for (const { chunk } of chunks) await this.copyIn(chunk);
    })().then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.finish().then(() => cb(), cb);
  }

  /** The last, partial block out; every write and hash done; the file at its exact size. */
  private async finish(): Promise<void> {
    if (this.fill > 0) {
      await this.free(this.current);
      this.dispatch();
    }
    await this.free('all');
    this.ending = true;
    await this.syncing;
    if (this.failure) throw this.failure;
    if (this.wroteDirect) await this.fh.truncate(this.size);
    this.finished = true;
    returnMemory(this.memory);
  }
  private finished = false;

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.writableFinished && !this.finished) this.drop();
    cb(err);
  }

  private dropped = false;
  private drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const g of this.groups) {
      g.worker.listeners.delete(this.id);
      g.worker.post({ op: 'drop', id: this.id });
    }
  }

  /** The digests, once the sink has finished. */
  async result(): Promise<ParallelDigest> {
    for (const g of this.groups) g.worker.post({ op: 'digest', id: this.id });
    const all = await Promise.all(this.groups.map((g) => g.digests));
    const pick = (at: { group: number; index: number } | null) =>
      at ? Buffer.from(all[at.group]![at.index]!) : null;
    return {
      size: this.size,
      md5: Buffer.from(all[0]![0]!),
      sha256: pick(this.sha256Index),
      checksum: this.localIsChecksum ? this.local!.digest() : pick(this.checksumIndex),
    };
  }
}
