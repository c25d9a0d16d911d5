import { sha256Hex } from '../../platform/crypto.ts';

/** prevHash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields covered by an entry's hash (everything except the hashes themselves). */
export interface ChainedFields {
  id: number;
  timestamp: string;
  userId: string | null;
  username: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  sourceIp: string;
  result: string;
  requestId: string;
  details: unknown;
}

/** JSON with object keys sorted at every level: one byte sequence per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** hash = SHA-256(prevHash || canonical JSON of the row's fields), hex. */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  return sha256Hex(prevHash + canonicalJson(fields));
}
