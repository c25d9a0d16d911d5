import type { components } from '@proxicloud/sdk';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { ApiError, call } from '../../lib/api/errors.ts';
import { readCookie } from '../../lib/api/session-middleware.ts';
import { formatBytes as formatBytesIn } from '../../lib/format.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';

export type Bucket = components['schemas']['Bucket'];
export type ObjectSummary = components['schemas']['ObjectSummary'];
export type ObjectInfo = components['schemas']['ObjectInfo'];

export const MiB = 1024 * 1024;
/** Files above this go up as a multipart upload (REST upload endpoints) in parts of PART_SIZE. */
export const MULTIPART_THRESHOLD = 16 * MiB;
export const PART_SIZE = 16 * MiB;
export const PAGE_SIZE = 100;

// ---------------------------------------------------------------- pure helpers

/** S3 bucket naming rules (the server's rules, checked live while typing). Null when valid. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3) return 'At least 3 characters.';
  if (name.length > 63) return 'At most 63 characters.';
  if (/[A-Z]/.test(name)) return 'Use lowercase letters only.';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'Only lowercase letters, digits, dots (.) and hyphens (-).';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Must begin and end with a letter or digit.';
  if (name.includes('..')) return 'No two dots in a row.';
  if (name.includes('.-') || name.includes('-.')) return 'No dot next to a hyphen.';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'Must not look like an IP address.';
  for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-'])
    if (name.startsWith(p)) return `Must not start with "${p}".`;
  for (const s of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(s)) return `Must not end with "${s}".`;
  return null;
}

/** "0 B", "512 B", "1.5 KiB", "20.0 MiB" (binary units; one decimal below 100 in a unit). */
export function formatBytes(n: number): string {
  return formatBytesIn(n, { wholeFrom: 100 });
}

/** Each segment of a key URL-encoded, slashes kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

export const objectUrl = (bucket: string, key: string) =>
  `/api/v1/buckets/${encodeURIComponent(bucket)}/objects/${encodeKey(key)}`;

/** Console URL of a folder (prefix) in the browser. */
export const folderPath = (bucket: string, prefix = '') =>
  `/storage/buckets/${encodeURIComponent(bucket)}/${encodeKey(prefix)}`;

/** The name shown for a key or prefix inside its folder. */
export function baseName(keyOrPrefix: string, prefix: string): string {
  return keyOrPrefix.slice(prefix.length);
}

// ---------------------------------------------------------------- queries

export const bucketsKey = ['buckets'] as const;

export const bucketsQuery = () =>
  queryOptions({
    queryKey: [...bucketsKey, 'list'] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets', { params: { query: { limit: 1000 } } })),
  });

export const bucketQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'one', bucket] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets/{bucket}', { params: { path: { bucket } } })),
  });

export const objectsQuery = (bucket: string, prefix: string, cursor: string | null) =>
  queryOptions({
    queryKey: [...bucketsKey, 'objects', bucket, prefix, cursor] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/buckets/{bucket}/objects', {
          params: {
            path: { bucket },
            query: { prefix, delimiter: '/', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

export const metadataQuery = (bucket: string, key: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'metadata', bucket, key] as const,
    // openapi-fetch cannot fill the `{*}` wildcard of this path (it would send it literally), so
    // this one call is a plain fetch after the SDK has made sure the session is fresh.
    queryFn: async (): Promise<ObjectInfo> => {
      await ensureSession(bucket);
      const res = await fetch(`/api/v1/buckets/${encodeURIComponent(bucket)}/metadata/${encodeKey(key)}`, {
        credentials: 'same-origin',
      });
      const body = await res.json().catch(() => undefined);
      if (!res.ok) throw ApiError.from(res, body);
      return body as ObjectInfo;
    },
  });

// ---------------------------------------------------------------- mutations

export function useCreateBucket() {
  const qc = useQueryClient();
  return useMutation({
    // a name, or {name, objectLockEnabled} to create the bucket with object lock
    mutationFn: (v: string | { name: string; objectLockEnabled?: boolean }) =>
      call(() => api.POST('/api/v1/buckets', { body: typeof v === 'string' ? { name: v } : v })),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

export function useDeleteBucket() {
  return useInvalidatingMutation(
    (bucket: string) => call(() => api.DELETE('/api/v1/buckets/{bucket}', { params: { path: { bucket } } })),
    [bucketsKey],
  );
}

export function useDeleteObjects(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (keys: string[]) => {
      const deleted: string[] = [];
      for (let i = 0; i < keys.length; i += 1000) {
        const result = await call(() =>
          api.POST('/api/v1/buckets/{bucket}/objects/delete', {
            params: { path: { bucket } },
            body: { keys: keys.slice(i, i + 1000) },
          }),
        );
        if (result.errors.length)
          throw new Error(
            `${result.errors.length} object(s) could not be deleted: ${result.errors[0]!.key}: ${result.errors[0]!.message}`,
          );
        deleted.push(...result.deleted.map((d) => d.key));
      }
      return deleted;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

/** Every key under a prefix (for deleting a folder with its contents). */
export async function listAllKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(() =>
      api.GET('/api/v1/buckets/{bucket}/objects', {
        params: { path: { bucket }, query: { prefix, limit: 1000, ...(cursor ? { cursor } : {}) } },
      }),
    );
    keys.push(...page.items.map((i) => i.key));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return keys;
}

export function presign(bucket: string, key: string, expiresIn: number) {
  return call(() =>
    api.POST('/api/v1/buckets/{bucket}/presign', {
      params: { path: { bucket } },
      body: { key, method: 'GET', expiresIn },
    }),
  );
}

/**
 * Make sure the session is fresh before a request that does not go through the SDK (XHR uploads,
 * download links): the SDK's session middleware renews an expired access token on this call.
 */
export async function ensureSession(bucket: string): Promise<void> {
  await call(() => api.GET('/api/v1/buckets/{bucket}', { params: { path: { bucket } } }));
}

/** Start a browser download of an object (Content-Disposition: attachment). */
export async function downloadObject(bucket: string, key: string): Promise<void> {
  await ensureSession(bucket);
  const a = document.createElement('a');
  a.href = `${objectUrl(bucket, key)}?download=true`;
  a.download = key.split('/').pop() || 'download';
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------- uploads

export interface UploadHandle {
  /** Stops the transfer (a multipart upload is aborted on the server too). */
  abort: () => void;
  done: Promise<{ etag: string }>;
}

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Multipart only: the part being sent and how many there are. */
  part?: { number: number; count: number };
}

class AbortedError extends Error {
  constructor() {
    super('Upload cancelled');
    this.name = 'AbortError';
  }
}
export const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

function errorFromXhr(xhr: XMLHttpRequest): Error {
  try {
    const body = JSON.parse(xhr.responseText) as {
      error?: { code?: string; message?: string; requestId?: string };
    };
    if (body.error?.message)
      return new ApiError(
        xhr.status,
        body.error.code ?? 'error',
        body.error.message,
        undefined,
        body.error.requestId,
      );
  } catch {}
  return new ApiError(
    xhr.status,
    'upload_failed',
    `The server answered ${xhr.status} ${xhr.statusText}`.trim(),
  );
}

/** One PUT of `body` with upload progress; resolves to the parsed JSON answer. */
function xhrPut(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.withCredentials = true;
    const csrf = readCookie('pc_csrf');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch {
          resolve({});
        }
      } else reject(errorFromXhr(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload failed: network error.'));
    xhr.onabort = () => reject(new AbortedError());
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** PUT with one retry after renewing the session when the access token expired mid-way. */
async function putWithRenew(
  bucket: string,
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<unknown> {
  try {
    return await xhrPut(url, body, headers, onProgress, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    await ensureSession(bucket);
    onProgress(0);
    return xhrPut(url, body, headers, onProgress, signal);
  }
}

/** Upload one file to bucket/key: one PUT, or a multipart upload for large files. */
export function uploadFile(
  bucket: string,
  key: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
): UploadHandle {
  const controller = new AbortController();
  const signal = controller.signal;
  const contentType = file.type || 'application/octet-stream';
  const done = (async () => {
    await ensureSession(bucket);
    if (file.size <= MULTIPART_THRESHOLD) {
      const result = (await putWithRenew(
        bucket,
        objectUrl(bucket, key),
        file,
        { 'content-type': contentType },
        (loaded) => onProgress({ loaded, total: file.size }),
        signal,
      )) as { etag: string };
      return { etag: result.etag };
    }
    const upload = await call(() =>
      api.POST('/api/v1/buckets/{bucket}/uploads', {
        params: { path: { bucket } },
        body: { key, contentType },
      }),
    );
    const count = Math.ceil(file.size / PART_SIZE);
    const parts: { partNumber: number; etag: string }[] = [];
    try {
      for (let n = 1; n <= count; n++) {
        if (signal.aborted) throw new AbortedError();
        const start = (n - 1) * PART_SIZE;
        const blob = file.slice(start, Math.min(start + PART_SIZE, file.size));
        const part = (await putWithRenew(
          bucket,
          `/api/v1/buckets/${encodeURIComponent(bucket)}/uploads/${encodeURIComponent(upload.uploadId)}/parts/${n}`,
          blob,
          { 'content-type': 'application/octet-stream' },
          (loaded) => onProgress({ loaded: start + loaded, total: file.size, part: { number: n, count } }),
          signal,
        )) as { etag: string };
        parts.push({ partNumber: n, etag: part.etag });
      }
      const result = await call(() =>
        api.POST('/api/v1/buckets/{bucket}/uploads/{uploadId}/complete', {
          params: { path: { bucket, uploadId: upload.uploadId } },
          body: { parts },
        }),
      );
      return { etag: result.etag };
    } catch (e) {
      // Abort on the server so the stored parts do not linger.
      await api
        .DELETE('/api/v1/buckets/{bucket}/uploads/{uploadId}', {
          params: { path: { bucket, uploadId: upload.uploadId } },
        })
        .catch(() => {});
      throw e;
    }
  })();
  return { abort: () => controller.abort(), done };
}

/** A zero-byte `prefix/` marker, as S3 consoles create folders. */
export async function createFolder(bucket: string, prefix: string): Promise<void> {
  await ensureSession(bucket);
  const res = await fetch(objectUrl(bucket, prefix), {
    method: 'PUT',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/x-directory',
      'x-csrf-token': readCookie('pc_csrf') ?? '',
    },
    body: new Blob([]),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => undefined);
    throw ApiError.from(res, body);
  }
}
