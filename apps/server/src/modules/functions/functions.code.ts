/**
 * Function code: a ZIP upload or inline files, normalized to `{path: bytes}` and hashed.
 * ZIP reading uses fflate's streaming unzipper and counts the bytes it actually inflates, so a zip
 * bomb (a small archive that inflates to gigabytes, or lies about its sizes) stops at the cap
 * instead of filling memory; entry names are checked before anything is kept (zip-slip: absolute
 * paths, `..`, NUL are rejected). Nothing is written to the server's disk.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Unzip, type UnzipFile, UnzipInflate, zipSync } from 'fflate';
import { ValidationError } from '../../platform/errors.ts';

export const MAX_ZIP_BYTES = 10 * 1024 * 1024;
export const MAX_CODE_BYTES = 50 * 1024 * 1024;
export const MAX_FILES = 2000;

export type CodeFiles = Map<string, Buffer>;

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new ValidationError(message, { field: 'code', ...details }, 'invalid_code');

/** A safe relative path, or null (absolute, `..`, backslashes, NUL, too long). */
export function safePath(p: string): string | null {
  if (!p || p.length > 512 || p.includes('\0') || p.includes('\\')) return null;
  const n = posix.normalize(p).replace(/^(\.\/)+/, '');
  if (n.startsWith('/') || n === '..' || n.startsWith('../') || n === '.' || n.endsWith('/')) return null;
  return n;
}

/** Unzip under the caps; throws ValidationError on a bad or oversized archive. */
export function readZip(zip: Uint8Array, maxCodeBytes = MAX_CODE_BYTES): CodeFiles {
  if (zip.byteLength > MAX_ZIP_BYTES)
    throw invalid(`The ZIP is ${zip.byteLength} bytes; the limit is ${MAX_ZIP_BYTES} (10 MiB)`);
  const files: CodeFiles = new Map();
  let total = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    if (file.name.endsWith('/')) return; // directory entry
    const name = safePath(file.name);
    if (!name) {
      failure = invalid(`Unsafe path in the ZIP: '${file.name.slice(0, 200)}'`, {
        path: file.name.slice(0, 200),
      });
      return;
    }
    if (files.size >= MAX_FILES) {
      failure = invalid(`The ZIP holds more than ${MAX_FILES} files`);
      return;
    }
    const chunks: Uint8Array[] = [];
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = invalid(`Corrupt ZIP entry '${name}': ${err.message}`);
        return;
      }
      total += data.length;
      if (total > maxCodeBytes) {
        failure = invalid(`The code inflates to more than ${maxCodeBytes} bytes`);
        file.terminate();
        return;
      }
      chunks.push(data);
      if (final) files.set(name, Buffer.concat(chunks));
    };
    try {
      file.start();
    } catch (e) {
      failure = invalid(`Unsupported ZIP entry '${name}': ${(e as Error).message}`);
    }
  });
  unzip.register(UnzipInflate);
  try {
    // Feed in slices so an inflating entry is stopped early (terminate) instead of at the end.
    const step = 64 * 1024;
    for (let i = 0; i < zip.byteLength && !failure; i += step)
      unzip.push(zip.subarray(i, Math.min(zip.byteLength, i + step)), i + step >= zip.byteLength);
  } catch (e) {
    if (!failure) failure = invalid(`Not a readable ZIP archive: ${(e as Error).message}`);
  }
  if (failure) throw failure;
  if (files.size === 0) throw invalid('The ZIP holds no files');
  return files;
}

/** Inline files `{path: text}` (the console editor, small functions). */
export function readInline(input: Record<string, string>): CodeFiles {
  const files: CodeFiles = new Map();
  let total = 0;
  for (const [path, text] of Object.entries(input)) {
    const name = safePath(path);
    if (!name) throw invalid(`Unsafe file path '${path.slice(0, 200)}'`, { path: path.slice(0, 200) });
    const data = Buffer.from(text, 'utf8');
    total += data.length;
    files.set(name, data);
  }
  if (files.size === 0) throw invalid('code.files is empty');
  if (files.size > MAX_FILES) throw invalid(`More than ${MAX_FILES} files`);
  if (total > MAX_CODE_BYTES) throw invalid('The code is larger than 50 MiB');
  return files;
}

/** Content hash over the sorted paths and bytes (the runner checks the same hash). */
export function codeHash(files: CodeFiles): string {
  const h = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const data = files.get(path)!;
    h.update(`${path}\0${data.length}\0`).update(data);
  }
  return h.digest('hex');
}

export const codeSize = (files: CodeFiles) => [...files.values()].reduce((n, b) => n + b.length, 0);

export function encodeFiles(files: CodeFiles): string {
  return JSON.stringify(Object.fromEntries([...files].map(([k, v]) => [k, v.toString('base64')])));
}

export function decodeFiles(json: string): CodeFiles {
  return new Map(
    Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  );
}

/** Text files for the editor (binary files are listed without content). */
export function textFiles(files: CodeFiles): { path: string; size: number; text: string | null }[] {
  return [...files].map(([path, data]) => {
    const text = data.includes(0) ? null : data.toString('utf8');
    return {
      path,
      size: data.length,
      text: text !== null && Buffer.byteLength(text) === data.length ? text : null,
    };
  });
}

/** A ZIP of the code (download). */
export function toZip(files: CodeFiles): Uint8Array {
  return zipSync(Object.fromEntries([...files].map(([k, v]) => [k, new Uint8Array(v)])));
}
