import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * What O_DIRECT writes of upload blocks need (storage.hashing.ts): page-aligned shared memory and
 * a second, O_DIRECT handle on the temp file. V8 maps a shared WebAssembly memory page-aligned; a
 * plain SharedArrayBuffer starts 16 bytes into a page, which O_DIRECT refuses (EINVAL).
 */

/** O_DIRECT writes are padded to this (a multiple of every disk's logical block size). */
export const DIRECT_ALIGN = 4096;
const WASM_PAGE = 64 * 1024;

/** One upload's blocks: shared memory, page-aligned when `aligned`. */
export interface BlockMemory {
  sab: SharedArrayBuffer;
  aligned: boolean;
}

/** Memories of finished sinks, reused by the next (allocating and faulting in 8 MiB per upload is not free). */
const spareMemories: BlockMemory[] = [];
const SPARE_MEMORIES = 2;

/** The one part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (d: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer };
    };
  }
).WebAssembly;

/** `bytes` (a multiple of 64 KiB) of shared memory, page-aligned where the address space allows. */
export function takeMemory(bytes: number): BlockMemory {
  const spare = spareMemories.pop();
  if (spare && spare.sab.byteLength === bytes) return spare;
  const pages = bytes / WASM_PAGE;
  try {
    const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
    return { sab: memory.buffer, aligned: true };
  } catch {
    // No address space left for another wasm memory (many uploads at once): buffered writes.
    return { sab: new SharedArrayBuffer(bytes), aligned: false };
  }
}

/** Keep a finished upload's memory for the next (at most SPARE_MEMORIES). */
export function returnMemory(memory: BlockMemory): void {
  if (memory.aligned && spareMemories.length < SPARE_MEMORIES) spareMemories.push(memory);
}

/** Where O_DIRECT writes go: the temp file opened a second time by `openDirect`. */
export type DirectTarget = Pick<FileHandle, 'write'>;

/**
 * The file at `path` opened again for O_DIRECT writes, or null where that is not possible (no
 * O_DIRECT on this platform, or a filesystem that refuses it: tmpfs on older kernels, some FUSE).
 */
export async function openDirect(path: string): Promise<FileHandle | null> {
  const direct = constants.O_DIRECT;
  if (!direct) return null;
  try {
    return await open(path, constants.O_WRONLY | direct);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return null;
    throw err;
  }
}
