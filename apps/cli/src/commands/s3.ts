/**
 * `s3 mb|rb|ls|cp|rm|presign` (+ versioning verbs in s3-versions.ts): buckets and objects through the REST API (`/api/v1/buckets`).
 * Bucket and listing calls go through the SDK; object bodies are streamed with fetch (never
 * buffered whole), and files above the multipart threshold go up in parts through the REST upload
 * endpoints (`…/uploads`, `…/parts/{n}`, `…/complete`; aborted on failure).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { components } from '@proxicloud/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { unwrap } from '../lib/api.ts';
import { authorizationHeader } from '../lib/auth.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import type { Context } from '../lib/context.ts';
import { contextOf } from '../lib/context.ts';
import { apiErrorFromResponse, CliError, ExitCode, networkError, UsageError } from '../lib/errors.ts';
import { type Column, formatBytes, formatTimestamp } from '../lib/output.ts';
import { registerS3AccessCommands } from './s3-access.ts';
import { registerS3EncryptionCommands } from './s3-encryption.ts';
import { registerS3LifecycleCommands } from './s3-lifecycle.ts';
import { registerS3ObjectLockCommands } from './s3-objectlock.ts';
import { registerS3VersionCommands } from './s3-versions.ts';

type Bucket = components['schemas']['Bucket'];
type ObjectSummary = components['schemas']['ObjectSummary'];

const MiB = 1024 * 1024;
const DEFAULT_THRESHOLD = 16 * MiB;
const DEFAULT_PART_SIZE = 16 * MiB;
const MIN_PART_SIZE = 5 * MiB;
const MAX_PARTS = 10_000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

// ---------------------------------------------------------------- pure helpers (unit-tested)

export interface S3Location {
  bucket: string;
  key: string;
}

/** `s3://bucket/key`, or (with `bare`) `bucket/key` as `ls` accepts it. */
export function parseS3Uri(value: string, opts: { bare?: boolean } = {}): S3Location | null {
  let rest: string;
  if (value.startsWith('s3://')) rest = value.slice(5);
  else if (opts.bare) rest = value;
  else return null;
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new UsageError(`"${value}" has no bucket name`, 'Write s3://bucket/key.');
  return { bucket, key };
}

/** Each key segment URL-encoded, slashes kept (the API's wildcard route). */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** "1h", "30m", "7d", "90s" or plain seconds → seconds (1 s to 7 days). */
export function parseExpires(value: string): number {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('use a duration like 90s, 15m, 1h, 7d (or seconds)');
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === 'd' ? 86_400 : unit === 'h' ? 3600 : unit === 'm' ? 60 : 1;
  const seconds = Number(m[1]) * factor;
  if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS)
    throw new InvalidArgumentError('must be between 1 second and 7 days');
  return seconds;
}

function parseMiB(flag: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag} is a whole number of MiB`);
    const n = Number(value);
    if (n < min) throw new InvalidArgumentError(`must be at least ${min} MiB`);
    return n * MiB;
  };
}

/** Part size for a file: the requested size, grown so the upload needs at most 10,000 parts. */
export function partSizeFor(size: number, requested: number): number {
  const needed = Math.ceil(size / MAX_PARTS);
  return Math.max(requested, MIN_PART_SIZE, Math.ceil(needed / MiB) * MiB);
}

/** A key is safe to write below a local directory (no absolute paths, no `..` segments). */
export function safeRelative(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\0')) return false;
  return !rel.split('/').some((s) => s === '..' || s === '.');
}

// ---------------------------------------------------------------- transport

class S3Client {
  readonly ctx: Context;
  readonly base: string;
  private ready = false;

  constructor(ctx: Context) {
    this.ctx = ctx;
    this.base = ctx.serverUrl;
  }

  get api() {
    return this.ctx.api();
  }

  /**
   * Make sure the credentials are fresh (the SDK's auth wrapper renews an expiring session) and the
   * bucket is visible to us: 404 → exit 5 before any byte moves.
   */
  async bucket(name: string): Promise<Bucket> {
    const b = await unwrap(this.api.GET('/api/v1/buckets/{bucket}', { params: { path: { bucket: name } } }));
    this.ready = true;
    return b;
  }

  private async authHeader(): Promise<string> {
    if (!this.ready) {
      await unwrap(this.api.GET('/api/v1/auth/me'));
      this.ready = true;
    }
    const header = authorizationHeader(this.ctx.credentials());
    if (!header) throw new CliError('No credentials', { exitCode: ExitCode.unauthenticated });
    return header;
  }

  /** A raw request (object bodies); non-2xx answers become ApiErrors with the usual exit codes. */
  async request(
    method: string,
    pathname: string,
    init: { headers?: Record<string, string>; body?: AsyncIterable<Uint8Array> | string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: await this.authHeader(), ...init.headers };
    let response: Response;
    try {
      response = await fetch(`${this.base}${pathname}`, {
        method,
        headers,
        ...(init.body !== undefined
          ? { body: init.body as unknown as RequestInit['body'], duplex: 'half' as const }
          : {}),
      } as RequestInit);
    } catch (err) {
      if (err instanceof CliError) throw err;
      const inner = (err as { cause?: unknown }).cause;
      if (inner instanceof CliError) throw inner;
      throw networkError(err, this.base);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      throw apiErrorFromResponse(response, body);
    }
    return response;
  }

  async *listAll(bucket: string, prefix: string, delimiter: string): AsyncGenerator<ListingPage> {
    let cursor: string | undefined;
    do {
      const page = await unwrap(
        this.api.GET('/api/v1/buckets/{bucket}/objects', {
          params: {
            path: { bucket },
            query: {
              prefix,
              ...(delimiter ? { delimiter } : {}),
              limit: 1000,
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      );
      yield { items: page.items, prefixes: page.prefixes };
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async deleteKeys(bucket: string, keys: string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const result = await unwrap(
        this.api.POST('/api/v1/buckets/{bucket}/objects/delete', {
          params: { path: { bucket } },
          body: { keys: batch },
        }),
      );
      if (result.errors.length) {
        const first = result.errors[0]!;
        throw new CliError(
          `Could not delete ${result.errors.length} object(s), e.g. ${first.key}: ${first.message}`,
          {
            code: first.code,
          },
        );
      }
      deleted += result.deleted.length;
    }
    return deleted;
  }
}

interface ListingPage {
  items: ObjectSummary[];
  prefixes: string[];
}

// ---------------------------------------------------------------- progress

class Progress {
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  done = 0;

  constructor(
    ctx: Context,
    private readonly label: string,
    private readonly total: number | null,
  ) {
    this.tty = Boolean(process.stderr.isTTY) && !ctx.out.quiet && !ctx.out.json;
  }

  add(n: number): void {
    this.done += n;
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  /** A stream that counts the bytes passing through. */
  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.add(chunk.length);
        cb(null, chunk);
      },
    });
  }

  private rate(): number {
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    return this.done / secs;
  }

  private draw(): void {
    const pct = this.total ? ` ${Math.floor((this.done / Math.max(this.total, 1)) * 100)}%` : '';
    const of = this.total !== null ? ` / ${formatBytes(this.total)}` : '';
    process.stderr.write(
      `\r\x1b[2K${this.label}  ${formatBytes(this.done)}${of}${pct}  ${formatBytes(Math.round(this.rate()))}/s`,
    );
  }

  finish(): { bytes: number; seconds: number } {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    return { bytes: this.done, seconds: (Date.now() - this.started) / 1000 };
  }
}

// ---------------------------------------------------------------- copy operations

interface CopyResult {
  operation: 'upload' | 'download' | 'copy';
  source: string;
  destination: string;
  size: number;
  etag?: string;
  multipart?: boolean;
}

interface CopyOptions {
  recursive?: boolean;
  multipartThreshold: number;
  partSize: number;
  contentType?: string;
  /** Server-side encryption of uploads and copies (SSE-S3). */
  sse?: 'AES256';
}

const s3uri = (l: S3Location) => `s3://${l.bucket}/${l.key}`;

function guessContentType(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const types: Record<string, string> = {
    '.txt': 'text/plain; charset=utf-8',
    '.md': 'text/markdown; charset=utf-8',
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.json': 'application/json',
    '.csv': 'text/csv; charset=utf-8',
    '.xml': 'application/xml',
    '.yaml': 'application/yaml',
    '.yml': 'application/yaml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.svg': 'image/svg+xml',
    '.webp': 'image/webp',
    '.pdf': 'application/pdf',
    '.zip': 'application/zip',
    '.gz': 'application/gzip',
    '.tar': 'application/x-tar',
    '.mp4': 'video/mp4',
    '.mp3': 'audio/mpeg',
    '.iso': 'application/x-iso9660-image',
  };
  return types[ext] ?? 'application/octet-stream';
}

async function uploadFile(
  client: S3Client,
  file: string,
  dest: S3Location,
  opts: CopyOptions,
): Promise<CopyResult> {
  const size = fs.statSync(file).size;
  const contentType = opts.contentType ?? guessContentType(file);
  const progress = new Progress(client.ctx, `upload ${path.basename(file)}`, size);
  const objectPath = `/api/v1/buckets/${encodeURIComponent(dest.bucket)}/objects/${encodeKey(dest.key)}`;
  let etag: string;
  const multipart = size > opts.multipartThreshold;
  if (!multipart) {
    const body = fs.createReadStream(file).pipe(progress.counter());
    const res = await client.request('PUT', objectPath, {
      headers: {
        'content-type': contentType,
        'content-length': String(size),
        ...(opts.sse ? { 'x-amz-server-side-encryption': opts.sse } : {}),
      },
      body,
    });
    etag = ((await res.json()) as { etag: string }).etag;
  } else {
    etag = await multipartUpload(client, file, size, dest, contentType, opts, progress);
  }
  progress.finish();
  return {
    operation: 'upload',
    source: file,
    destination: s3uri(dest),
    size,
    etag,
    ...(multipart ? { multipart } : {}),
  };
}

async function multipartUpload(
  client: S3Client,
  file: string,
  size: number,
  dest: S3Location,
  contentType: string,
  opts: CopyOptions,
  progress: Progress,
): Promise<string> {
  const bucketPath = `/api/v1/buckets/${encodeURIComponent(dest.bucket)}`;
  const upload = await unwrap(
    client.api.POST('/api/v1/buckets/{bucket}/uploads', {
      params: { path: { bucket: dest.bucket } },
      body: { key: dest.key, contentType, ...(opts.sse ? { encryption: opts.sse } : {}) },
    }),
  );
  const partSize = partSizeFor(size, opts.partSize);
  const parts: { partNumber: number; etag: string }[] = [];
  try {
    for (let n = 1, start = 0; start < size; n++, start += partSize) {
      const end = Math.min(start + partSize, size) - 1;
      const body = fs.createReadStream(file, { start, end }).pipe(progress.counter());
      const res = await client.request(
        'PUT',
        `${bucketPath}/uploads/${encodeURIComponent(upload.uploadId)}/parts/${n}`,
        { headers: { 'content-length': String(end - start + 1) }, body },
      );
      const part = (await res.json()) as { etag: string };
      parts.push({ partNumber: n, etag: part.etag });
    }
    const done = await unwrap(
      client.api.POST('/api/v1/buckets/{bucket}/uploads/{uploadId}/complete', {
        params: { path: { bucket: dest.bucket, uploadId: upload.uploadId } },
        body: { parts },
      }),
    );
    return done.etag;
  } catch (err) {
    // Leave nothing behind: the parts already stored are discarded.
    await client.api
      .DELETE('/api/v1/buckets/{bucket}/uploads/{uploadId}', {
        params: { path: { bucket: dest.bucket, uploadId: upload.uploadId } },
      })
      .catch(() => {});
    throw err;
  }
}

async function downloadObject(
  client: S3Client,
  src: S3Location,
  file: string,
  knownSize?: number,
): Promise<CopyResult> {
  const res = await client.request(
    'GET',
    `/api/v1/buckets/${encodeURIComponent(src.bucket)}/objects/${encodeKey(src.key)}`,
  );
  const length = Number(res.headers.get('content-length') ?? knownSize ?? Number.NaN);
  const etag = (res.headers.get('etag') ?? '').replace(/"/g, '');
  const progress = new Progress(
    client.ctx,
    `download ${src.key.split('/').pop()}`,
    Number.isFinite(length) ? length : null,
  );
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Written next to the target and renamed at the end: an interrupted download leaves no torn file.
  const tmp = `${file}.${randomBytes(4).toString('hex')}.part`;
  const md5 = createHash('md5');
  try {
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          md5.update(chunk);
          cb(null, chunk);
        },
      }),
      progress.counter(),
      fs.createWriteStream(tmp),
    );
    const got = progress.done;
    if (Number.isFinite(length) && got !== length)
      throw new CliError(`Download of ${s3uri(src)} was cut short (${got} of ${length} bytes)`);
    // Single-part ETags are the MD5 of the content: check them.
    if (/^[0-9a-f]{32}$/.test(etag) && md5.digest('hex') !== etag)
      throw new CliError(`Checksum mismatch downloading ${s3uri(src)}: the content does not match its ETag`);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  progress.finish();
  return { operation: 'download', source: s3uri(src), destination: file, size: progress.done, etag };
}

async function copyObject(
  client: S3Client,
  src: S3Location,
  dest: S3Location,
  sse?: 'AES256',
): Promise<CopyResult> {
  const res = await client.request(
    'GET',
    `/api/v1/buckets/${encodeURIComponent(src.bucket)}/objects/${encodeKey(src.key)}`,
  );
  const headers: Record<string, string> = {};
  for (const name of [
    'content-type',
    'content-length',
    'cache-control',
    'content-disposition',
    'content-encoding',
  ]) {
    const v = res.headers.get(name);
    if (v) headers[name] = v;
  }
  res.headers.forEach((value, name) => {
    if (name.startsWith('x-amz-meta-')) headers[name] = value;
  });
  if (sse) headers['x-amz-server-side-encryption'] = sse;
  const size = Number(headers['content-length'] ?? 0);
  const progress = new Progress(client.ctx, `copy ${src.key.split('/').pop()}`, size);
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>).pipe(
    progress.counter(),
  );
  const put = await client.request(
    'PUT',
    `/api/v1/buckets/${encodeURIComponent(dest.bucket)}/objects/${encodeKey(dest.key)}`,
    { headers, body },
  );
  const result = (await put.json()) as { etag: string; size: number };
  progress.finish();
  return {
    operation: 'copy',
    source: s3uri(src),
    destination: s3uri(dest),
    size: result.size,
    etag: result.etag,
  };
}

/** Every regular file below `dir`, as paths relative to it with forward slashes, sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(r);
      else if (entry.isFile()) out.push(r);
    }
  };
  visit('');
  return out.sort();
}

const joinKey = (prefix: string, name: string) =>
  prefix === '' || prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;

async function runCopy(
  ctx: Context,
  srcArg: string,
  dstArg: string,
  opts: CopyOptions,
): Promise<CopyResult[]> {
  const src = parseS3Uri(srcArg);
  const dst = parseS3Uri(dstArg);
  const client = new S3Client(ctx);
  const results: CopyResult[] = [];
  const report = (r: CopyResult) => {
    results.push(r);
    if (!ctx.out.json && !ctx.out.quiet)
      ctx.out.line(`${r.operation}: ${r.source} to ${r.destination} (${formatBytes(r.size)})`);
  };

  if (!src && !dst)
    throw new UsageError(
      'One of source and destination must be s3://bucket/key',
      'For local copies use cp(1).',
    );

  // ---- local → bucket
  if (!src && dst && srcArg === '-')
    throw new UsageError('Uploading from stdin is not supported', 'Write the data to a file first.');
  if (!src && dst) {
    if (!fs.existsSync(srcArg)) throw new UsageError(`No such file or directory: ${srcArg}`);
    await client.bucket(dst.bucket);
    const stat = fs.statSync(srcArg);
    if (stat.isDirectory()) {
      if (!opts.recursive)
        throw new UsageError(`${srcArg} is a directory`, 'Pass --recursive to copy a directory tree.');
      for (const rel of walk(srcArg))
        report(
          await uploadFile(
            client,
            path.join(srcArg, rel),
            { bucket: dst.bucket, key: joinKey(dst.key, rel) },
            opts,
          ),
        );
      return results;
    }
    const key = dst.key === '' || dst.key.endsWith('/') ? `${dst.key}${path.basename(srcArg)}` : dst.key;
    report(await uploadFile(client, srcArg, { bucket: dst.bucket, key }, opts));
    return results;
  }

  // ---- bucket → local or bucket
  const from = src!;
  await client.bucket(from.bucket);
  if (dst) await client.bucket(dst.bucket);
  if (opts.recursive) {
    const prefix = from.key === '' || from.key.endsWith('/') ? from.key : `${from.key}/`;
    let count = 0;
    for await (const page of client.listAll(from.bucket, prefix, '')) {
      for (const item of page.items) {
        const rel = item.key.slice(prefix.length);
        if (rel === '' || rel.endsWith('/')) continue; // folder markers
        if (dst) {
          report(
            await copyObject(
              client,
              { bucket: from.bucket, key: item.key },
              { bucket: dst.bucket, key: joinKey(dst.key, rel) },
              opts.sse,
            ),
          );
        } else {
          if (!safeRelative(rel)) {
            ctx.out.warn(
              `Skipping ${s3uri({ bucket: from.bucket, key: item.key })}: its key is not a safe local path`,
            );
            continue;
          }
          report(
            await downloadObject(
              client,
              { bucket: from.bucket, key: item.key },
              path.join(dstArg, ...rel.split('/')),
              item.size,
            ),
          );
        }
        count++;
      }
    }
    if (count === 0) ctx.out.note(`Nothing to copy under ${s3uri({ bucket: from.bucket, key: prefix })}`);
    return results;
  }
  if (from.key === '' || from.key.endsWith('/'))
    throw new UsageError(
      `${srcArg} names a bucket or folder, not an object`,
      'Pass --recursive to copy everything under it.',
    );
  const name = from.key.split('/').pop()!;
  if (dst) {
    const key = dst.key === '' || dst.key.endsWith('/') ? `${dst.key}${name}` : dst.key;
    report(await copyObject(client, from, { bucket: dst.bucket, key }, opts.sse));
    return results;
  }
  if (dstArg === '-') {
    // To stdout (e.g. piped into tar): the bytes only, nothing else on stdout.
    const res = await client.request(
      'GET',
      `/api/v1/buckets/${encodeURIComponent(from.bucket)}/objects/${encodeKey(from.key)}`,
    );
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
      process.stdout,
    );
    return results;
  }
  const target =
    dstArg.endsWith('/') || dstArg === '.' || (fs.existsSync(dstArg) && fs.statSync(dstArg).isDirectory())
      ? path.join(dstArg, name)
      : dstArg;
  report(await downloadObject(client, from, target));
  return results;
}

// ---------------------------------------------------------------- listing output

interface LsRow {
  key: string;
  size: number | null;
  lastModified: string | null;
}

const lsColumns: Column<LsRow>[] = [
  { header: 'MODIFIED', value: (r) => (r.lastModified ? formatTimestamp(r.lastModified) : 'PRE') },
  { header: 'SIZE', value: (r) => (r.size === null ? '' : formatBytes(r.size)), align: 'right' },
  { header: 'KEY', value: (r) => r.key },
];

const bucketColumns: Column<Bucket>[] = [
  { header: 'NAME', value: (b) => b.name },
  { header: 'OBJECTS', value: (b) => b.objectCount.toLocaleString('en-US'), align: 'right' },
  { header: 'SIZE', value: (b) => formatBytes(b.sizeBytes), align: 'right' },
  { header: 'OWNER', value: (b) => b.ownerUsername ?? b.ownerId },
  { header: 'CREATED', value: (b) => formatTimestamp(b.createdAt) },
];

/**
 * Why a bucket name is invalid, in plain words, or null. The same rules as the server (S3's), so a
 * bad name fails here with a sentence instead of the server's schema pattern.
 */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (it has ${name.length})`;
  if (/[A-Z]/.test(name)) return 'must be lowercase (no capital letters)';
  const bad = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  if (bad.length)
    return `may contain only lowercase letters, digits, dots (.) and hyphens (-), not ${bad.map((c) => JSON.stringify(c)).join(', ')}`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
    return 'must begin and end with a letter or a digit';
  if (name.includes('..')) return 'must not contain two dots in a row';
  if (name.includes('.-') || name.includes('-.')) return 'must not have a dot next to a hyphen';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not look like an IP address';
  for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-'])
    if (name.startsWith(p)) return `must not start with "${p}"`;
  for (const x of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(x)) return `must not end with "${x}"`;
  return null;
}

function bucketArg(value: string): string {
  const loc = parseS3Uri(value, { bare: true })!;
  if (loc.key !== '')
    throw new UsageError(`"${value}" is not a bucket name`, 'Give only the bucket: s3://bucket');
  const problem = bucketNameProblem(loc.bucket);
  if (problem)
    throw new CliError(`"${loc.bucket}" is not a valid bucket name: it ${problem}`, {
      exitCode: ExitCode.validation,
      code: 'invalid_bucket_name',
      hint: 'Bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (e.g. my-backups).',
    });
  return loc.bucket;
}

/**
 * Delete every version and delete marker of a versioned bucket for good (rb --force), a page at
 * a time, 8 deletes in flight. Returns how many were deleted.
 */
async function deleteAllVersions(ctx: Context, bucket: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    // always the first page: what we deleted is gone from the listing
    const page = await unwrap(
      ctx
        .api()
        .GET('/api/v1/buckets/{bucket}/versions', { params: { path: { bucket }, query: { limit: 1000 } } }),
    );
    if (page.items.length === 0) return deleted;
    const queue = [...page.items];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let v = queue.shift(); v; v = queue.shift()) {
          await unwrap(
            ctx.api().POST('/api/v1/buckets/{bucket}/versions/delete', {
              params: { path: { bucket } },
              body: { key: v.key, versionId: v.versionId },
            }),
          );
          deleted++;
        }
      }),
    );
  }
}

// ---------------------------------------------------------------- commands

export function registerS3Commands(program: Command): void {
  const s3 = program
    .command('s3')
    .description('Object storage: buckets and objects (also usable with any S3 tool and your access keys)')
    .addHelpText(
      'after',
      `
Objects are named s3://bucket/key. Keys may contain slashes; "folders" are key prefixes.
${examples(
  'proxicloud s3 mb photos',
  'proxicloud s3 cp ./holiday.jpg s3://photos/2026/holiday.jpg',
  'proxicloud s3 cp ./album s3://photos/2026/ --recursive',
  'proxicloud s3 ls photos/2026/',
  'proxicloud s3 cp s3://photos/2026/holiday.jpg .',
  'proxicloud s3 presign s3://photos/2026/holiday.jpg --expires 1d',
  'proxicloud s3 rm s3://photos/2026/ --recursive',
  'proxicloud s3 rb photos --force',
)}`,
    );

  registerS3VersionCommands(s3);
  registerS3LifecycleCommands(s3);
  registerS3ObjectLockCommands(s3);
  registerS3AccessCommands(s3);
  registerS3EncryptionCommands(s3);

  s3.command('mb <bucket>')
    .description('Make a bucket (3-63 lowercase letters, digits, dots and hyphens; unique on the server)')
    .option('--object-lock', 'with object lock (versioned for good; see `s3 object-lock --help`)')
    .addHelpText(
      'after',
      examples(
        'proxicloud s3 mb backups',
        'proxicloud s3 mb s3://backups',
        'proxicloud s3 mb vault --object-lock',
      ),
    )
    .action(async (name: string, opts: { objectLock?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const bucket = await unwrap(
        ctx.api().POST('/api/v1/buckets', {
          body: { name: bucketArg(name), ...(opts.objectLock ? { objectLockEnabled: true } : {}) },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(bucket);
      ctx.out.success(`Created bucket s3://${bucket.name}.`);
    });

  s3.command('rb <bucket>')
    .description('Remove a bucket; it must be empty unless --force')
    .option('--force', 'delete every object in the bucket first')
    .option('-y, --yes', 'do not ask for confirmation (with --force)')
    .addHelpText('after', examples('proxicloud s3 rb old-logs', 'proxicloud s3 rb old-logs --force --yes'))
    .action(async (name: string, opts: { force?: boolean; yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const bucket = bucketArg(name);
      const client = new S3Client(ctx);
      const info = await client.bucket(bucket);
      let removed = 0;
      let versionsRemoved = 0;
      // a versioned bucket keeps old versions and delete markers: --force removes them too
      const versioned =
        opts.force &&
        (await unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/versioning', { params: { path: { bucket } } })))
          .status !== null;
      if (opts.force && (info.objectCount > 0 || versioned)) {
        await confirmOrExit(
          versioned
            ? `Delete all ${info.objectCount} objects in s3://${bucket}, every old version and delete marker, and the bucket?`
            : `Delete all ${info.objectCount} objects in s3://${bucket} and the bucket?`,
          opts.yes,
        );
        if (versioned) versionsRemoved = await deleteAllVersions(ctx, bucket);
        for (;;) {
          // Re-list from the start after each batch: deleting shifts the cursor's ground.
          const first = await client.listAll(bucket, '', '').next();
          const keys = first.done ? [] : first.value.items.map((i) => i.key);
          if (!keys.length) break;
          removed += await client.deleteKeys(bucket, keys);
        }
      }
      try {
        await unwrap(ctx.api().DELETE('/api/v1/buckets/{bucket}', { params: { path: { bucket } } }));
      } catch (err) {
        if (err instanceof CliError && err.exitCode === ExitCode.conflict && !opts.force) {
          throw new CliError(err.message, {
            exitCode: ExitCode.conflict,
            ...(err.code ? { code: err.code } : {}),
            ...(err.requestId ? { requestId: err.requestId } : {}),
            hint: `The bucket still holds objects. Empty it first, or run: proxicloud s3 rb ${bucket} --force`,
          });
        }
        throw err;
      }
      if (ctx.out.json)
        return ctx.out.printJson({
          bucket,
          deleted: true,
          objectsDeleted: removed,
          versionsDeleted: versionsRemoved,
        });
      ctx.out.success(
        `Removed bucket s3://${bucket}${removed ? ` and its ${removed} object${removed === 1 ? '' : 's'}` : ''}${versionsRemoved ? ` (${versionsRemoved} version${versionsRemoved === 1 ? '' : 's'} and delete markers deleted for good)` : ''}.`,
      );
    });

  s3.command('ls [target]')
    .description('List buckets, or the objects and folders in s3://bucket/prefix')
    .option('-r, --recursive', 'list every object below the prefix (no folders)')
    .addHelpText(
      'after',
      examples(
        'proxicloud s3 ls',
        'proxicloud s3 ls photos',
        'proxicloud s3 ls s3://photos/2026/',
        'proxicloud s3 ls photos --recursive -o json',
      ),
    )
    .action(async (target: string | undefined, opts: { recursive?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const client = new S3Client(ctx);
      if (!target) {
        const page = await unwrap(ctx.api().GET('/api/v1/buckets', { params: { query: { limit: 1000 } } }));
        if (ctx.out.json) return ctx.out.printJson(page);
        if (ctx.out.quiet) {
          for (const b of page.items) ctx.out.line(b.name);
          return;
        }
        return ctx.out.table(
          bucketColumns,
          page.items,
          'No buckets. Make one with `proxicloud s3 mb <name>`.',
        );
      }
      const loc = parseS3Uri(target, { bare: true })!;
      const items: ObjectSummary[] = [];
      const prefixes: string[] = [];
      for await (const page of client.listAll(loc.bucket, loc.key, opts.recursive ? '' : '/')) {
        items.push(...page.items);
        prefixes.push(...page.prefixes);
      }
      if (ctx.out.json) return ctx.out.printJson({ bucket: loc.bucket, prefix: loc.key, prefixes, items });
      if (ctx.out.quiet) {
        for (const p of prefixes) ctx.out.line(p);
        for (const i of items) ctx.out.line(i.key);
        return;
      }
      const rows: LsRow[] = [
        ...prefixes.map((p) => ({ key: p, size: null, lastModified: null })),
        ...items.map((i) => ({ key: i.key, size: i.size, lastModified: i.lastModified })),
      ];
      ctx.out.table(lsColumns, rows, `Nothing under s3://${loc.bucket}/${loc.key}`);
      if (items.length)
        ctx.out.note(
          `${items.length} object${items.length === 1 ? '' : 's'}, ${formatBytes(items.reduce((s, i) => s + i.size, 0))}`,
        );
    });

  s3.command('cp <source> <destination>')
    .description('Copy files to, from or between buckets (streams; multipart for large files)')
    .option('-r, --recursive', 'copy a local directory tree or everything under an s3:// prefix')
    .option('--content-type <type>', 'Content-Type for uploads (default: guessed from the file name)')
    .addOption(
      new Option(
        '--sse <algorithm>',
        'encrypt uploads and copies at rest (SSE-S3; see `s3 encryption`)',
      ).choices(['AES256']),
    )
    .addOption(
      new Option('--multipart-threshold <MiB>', 'upload files larger than this in parts')
        .argParser(parseMiB('--multipart-threshold', 5))
        .default(DEFAULT_THRESHOLD, '16'),
    )
    .addOption(
      new Option('--part-size <MiB>', 'multipart part size')
        .argParser(parseMiB('--part-size', 5))
        .default(DEFAULT_PART_SIZE, '16'),
    )
    .addHelpText(
      'after',
      `
Progress (bytes and rate) is shown on a terminal. Downloads are written to a temporary file and
renamed when complete; single-part objects are checked against their ETag (MD5).
${examples(
  'proxicloud s3 cp ./disk.img s3://backups/disk.img',
  'proxicloud s3 cp ./site s3://www/ --recursive',
  'proxicloud s3 cp s3://backups/disk.img ./restore/',
  'proxicloud s3 cp s3://www/ ./site-copy --recursive',
  'proxicloud s3 cp s3://backups/disk.img s3://archive/2026/disk.img',
  'proxicloud s3 cp s3://backups/site.tar - | tar -x',
)}`,
    )
    .action(async (source: string, destination: string, opts: CopyOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const results = await runCopy(ctx, source, destination, opts);
      if (destination === '-') return;
      if (ctx.out.json) ctx.out.printJson({ items: results });
      else if (results.length > 1 && !ctx.out.quiet)
        ctx.out.note(`${results.length} files, ${formatBytes(results.reduce((s, r) => s + r.size, 0))}`);
    });

  s3.command('rm <target>')
    .description('Delete an object, or with --recursive everything under a prefix')
    .option('-r, --recursive', 'delete every object under s3://bucket/prefix')
    .option('-y, --yes', 'do not ask for confirmation (with --recursive)')
    .addHelpText(
      'after',
      examples(
        'proxicloud s3 rm s3://photos/2026/holiday.jpg',
        'proxicloud s3 rm s3://photos/2025/ --recursive --yes',
      ),
    )
    .action(async (target: string, opts: { recursive?: boolean; yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const loc = parseS3Uri(target);
      if (!loc) throw new UsageError(`"${target}" is not an s3:// URI`, 'Write s3://bucket/key.');
      const client = new S3Client(ctx);
      await client.bucket(loc.bucket);
      if (!opts.recursive) {
        if (loc.key === '')
          throw new UsageError(
            'Give an object key',
            'To delete everything: --recursive; to remove the bucket: s3 rb.',
          );
        await client.request(
          'DELETE',
          `/api/v1/buckets/${encodeURIComponent(loc.bucket)}/objects/${encodeKey(loc.key)}`,
        );
        if (ctx.out.json) return ctx.out.printJson({ deleted: [loc.key] });
        return ctx.out.info(`delete: ${s3uri(loc)}`);
      }
      const keys: string[] = [];
      for await (const page of client.listAll(loc.bucket, loc.key, ''))
        keys.push(...page.items.map((i) => i.key));
      if (keys.length) await confirmOrExit(`Delete ${keys.length} objects under ${s3uri(loc)}?`, opts.yes);
      await client.deleteKeys(loc.bucket, keys);
      if (ctx.out.json) return ctx.out.printJson({ deleted: keys });
      for (const k of keys) ctx.out.info(`delete: s3://${loc.bucket}/${k}`);
      if (!keys.length) ctx.out.note(`Nothing under ${s3uri(loc)}`);
    });

  s3.command('presign <target>')
    .description('Print a presigned URL: anyone with it can GET (or PUT) the object until it expires')
    .addOption(
      new Option('--expires <duration>', 'lifetime: 90s, 15m, 1h, 7d (at most 7 days)')
        .argParser(parseExpires)
        .default(3600, '1h'),
    )
    .addOption(new Option('--method <method>', 'what the URL allows').choices(['GET', 'PUT']).default('GET'))
    .addHelpText(
      'after',
      examples(
        'proxicloud s3 presign s3://photos/2026/holiday.jpg',
        'curl -o holiday.jpg "$(proxicloud s3 presign s3://photos/2026/holiday.jpg --expires 15m)"',
        'curl -T report.pdf "$(proxicloud s3 presign s3://inbox/report.pdf --method PUT)"',
      ),
    )
    .action(async (target: string, opts: { expires: number; method: 'GET' | 'PUT' }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const loc = parseS3Uri(target);
      if (!loc || loc.key === '')
        throw new UsageError(`"${target}" is not an object URI`, 'Write s3://bucket/key.');
      const result = await unwrap(
        ctx.api().POST('/api/v1/buckets/{bucket}/presign', {
          params: { path: { bucket: loc.bucket } },
          body: { key: loc.key, method: opts.method, expiresIn: opts.expires },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(result);
      ctx.out.line(result.url);
      ctx.out.note(`${result.method} link, expires ${formatTimestamp(result.expiresAt)}`);
    });
}
