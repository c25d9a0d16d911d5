import { createHash, type Hash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * S3's additional checksums (x-amz-checksum-<algorithm>, base64 of the big-endian digest):
 * CRC32, CRC32C, CRC64NVME, SHA1 and SHA256. All incremental, so they run on streams.
 */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

export interface Checksummer {
  update(data: Buffer): void;
  digest(): Buffer;
}

/** `x-amz-checksum-crc32` → CRC32 */
export function algorithmFromHeader(name: string): ChecksumAlgorithm | null {
  const m = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/.exec(name.toLowerCase());
  return m ? (m[1]!.toUpperCase() as ChecksumAlgorithm) : null;
}

export function headerFor(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

export function parseAlgorithm(value: string | undefined): ChecksumAlgorithm | null {
  if (!value) return null;
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : null;
}

/** Expected digest length in bytes (to validate base64 values). */
export function digestLength(algorithm: ChecksumAlgorithm): number {
  switch (algorithm) {
    case 'CRC32':
    case 'CRC32C':
      return 4;
    case 'CRC64NVME':
      return 8;
    case 'SHA1':
      return 20;
    case 'SHA256':
      return 32;
  }
}

class HashSummer implements Checksummer {
  private readonly hash: Hash;
  constructor(name: string) {
    this.hash = createHash(name);
  }
  update(data: Buffer) {
    this.hash.update(data);
  }
  digest() {
    return this.hash.digest();
  }
}

class Crc32Summer implements Checksummer {
  private crc = 0;
  update(data: Buffer) {
    this.crc = zlibCrc32(data, this.crc);
  }
  digest() {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

/** Slicing-by-8 table for a reflected 32-bit CRC. */
function crc32Tables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    tables[0]![i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = tables[0]![i]!;
    for (let t = 1; t < 8; t++) {
      c = tables[0]![c & 0xff]! ^ (c >>> 8);
      tables[t]![i] = c >>> 0;
    }
  }
  return tables;
}

let CRC32C_TABLES: Uint32Array[] | null = null;

class Crc32cSummer implements Checksummer {
  private crc = 0xffffffff;
  update(data: Buffer) {
    CRC32C_TABLES ??= crc32Tables(0x82f63b78);
    const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC32C_TABLES as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    let crc = this.crc;
    let i = 0;
    const n = data.length;
    for (; i + 8 <= n; i += 8) {
      const a = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      crc =
        t7[a & 0xff]! ^
        t6[(a >>> 8) & 0xff]! ^
        t5[(a >>> 16) & 0xff]! ^
        t4[a >>> 24]! ^
        t3[data[i + 4]!]! ^
        t2[data[i + 5]!]! ^
        t1[data[i + 6]!]! ^
        t0[data[i + 7]!]!;
    }
    for (; i < n; i++) crc = t0[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    this.crc = crc >>> 0;
  }
  digest() {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
    return out;
  }
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), on two 32-bit halves for speed.
let CRC64_LO: Uint32Array | null = null;
let CRC64_HI: Uint32Array | null = null;

function crc64Tables(): void {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x9a6c9329;
  for (let i = 0; i < 256; i++) {
    let l = i;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[i] = l;
    hi[i] = h;
  }
  CRC64_LO = lo;
  CRC64_HI = hi;
}

class Crc64NvmeSummer implements Checksummer {
  private lo = 0xffffffff;
  private hi = 0xffffffff;
  update(data: Buffer) {
    if (!CRC64_LO) crc64Tables();
    const tLo = CRC64_LO!;
    const tHi = CRC64_HI!;
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ tLo[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ tHi[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }
  digest() {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}

export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Summer();
    case 'CRC32C':
      return new Crc32cSummer();
    case 'CRC64NVME':
      return new Crc64NvmeSummer();
    case 'SHA1':
      return new HashSummer('sha1');
    case 'SHA256':
      return new HashSummer('sha256');
  }
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const c = createChecksummer(algorithm);
  c.update(data);
  return c.digest().toString('base64');
}

/** A valid base64 digest for the algorithm? */
export function isChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === digestLength(algorithm);
}

/**
 * S3's composite checksum of a multipart object: the checksum of the concatenated binary part
 * checksums, suffixed with `-<parts>`.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partValues: string[]): string {
  const c = createChecksummer(algorithm);
  for (const v of partValues) c.update(Buffer.from(v, 'base64'));
  return `${c.digest().toString('base64')}-${partValues.length}`;
}
