/** Helpers of the runner's tests: code by content hash (as the server sends it), polling. */
import { createHash } from 'node:crypto';
import type { Pool } from './pool.mjs';

export type Files = Record<string, string>;

/** The runner's content hash of these files and the files as base64 (PUT /v1/code's body). */
export function codeOf(files: Files): { sha: string; b64: Files } {
  const b64: Files = {};
  const h = createHash('sha256');
  for (const path of Object.keys(files).sort()) {
    const data = Buffer.from(files[path] as string);
    b64[path] = data.toString('base64');
    h.update(`${path}\0${data.length}\0`).update(data);
  }
  return { sha: h.digest('hex'), b64 };
}

/** Store the files in the pool; their hash. */
export function put(pool: Pool, files: Files): string {
  const { sha, b64 } = codeOf(files);
  pool.putCode(sha, b64);
  return sha;
}

/** Wait until `cond` holds (every 50 ms), at most `ms`. */
export async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
