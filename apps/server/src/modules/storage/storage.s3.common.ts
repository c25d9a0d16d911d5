/** Shared pieces of the S3 operations: answering, and reading headers and parameters of the request. */
import { StorageError } from './storage.errors.ts';
import { assertOwnerOnlyAclHeaders } from './storage.s3.acl.ts';
import { requestHeader, type S3Request } from './storage.s3.request.ts';
import { node, tag } from './storage.s3.xml.ts';
import type { Conditions, ObjectAttributes, StoredHeaders } from './storage.types.ts';

export const XML = 'application/xml';

export function send(
  r: S3Request,
  status: number,
  body?: string,
  headers: Record<string, string | number> = {},
): void {
  const { res } = r;
  for (const [k, v] of Object.entries(r.extraHeaders)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  if (body === undefined || r.method === 'HEAD') {
    if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
    else if (status !== 204 && status !== 304 && !res.hasHeader('content-length'))
      res.setHeader('content-length', 0);
    res.end();
    return;
  }
  res.setHeader('content-type', XML);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

export function h(r: S3Request, name: string): string | undefined {
  return requestHeader(r.req, name);
}

export function requireBucket(r: S3Request): string {
  if (!r.bucket)
    throw new StorageError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
  return r.bucket;
}

export function httpDate(isoTime: string): string {
  return new Date(isoTime).toUTCString();
}

export function intParam(r: S3Request, name: string, def: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = r.query.get(name);
  if (v === undefined || v === '') return def;
  if (!/^-?\d+$/.test(v) || Number(v) < 0)
    throw new StorageError('InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: v,
    });
  return Math.min(Number(v), max);
}

/**
 * encoding-type=url: keys, common prefixes and markers are URL-encoded (space → %20, '/' kept);
 * the top-level Prefix echoes the request as sent.
 */
export function encoder(r: S3Request): (s: string) => string {
  const type = r.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url')
    throw new StorageError('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: type,
    });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

export function ownerXml(id: string, name: string | null): string {
  return node('Owner', [tag('ID', id), tag('DisplayName', name ?? id)]);
}

/** Standard object attributes from request headers. */
export function objectAttributes(r: S3Request): ObjectAttributes {
  const headers: StoredHeaders = {};
  const ce = h(r, 'content-encoding');
  if (ce) {
    const rest = ce
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s.toLowerCase() !== 'aws-chunked')
      .join(', ');
    if (rest) headers.contentEncoding = rest;
  }
  const cd = h(r, 'content-disposition');
  if (cd) headers.contentDisposition = cd;
  const cc = h(r, 'cache-control');
  if (cc) headers.cacheControl = cc;
  const cl = h(r, 'content-language');
  if (cl) headers.contentLanguage = cl;
  const ex = h(r, 'expires');
  if (ex) headers.expires = ex;
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.req.headers)) {
    if (name.startsWith('x-amz-meta-') && name.length > 11)
      metadata[name.slice(11)] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  return { contentType: h(r, 'content-type') ?? null, headers, metadata };
}

/** Refuse features we do not have rather than silently ignoring them. */
export function rejectUnsupportedWriteHeaders(r: S3Request): void {
  assertOwnerOnlyAclHeaders(r);
  const sc = h(r, 'x-amz-storage-class');
  if (sc && sc !== 'STANDARD')
    throw new StorageError('InvalidArgument', `Storage class ${sc} is not supported; only STANDARD`, {
      ArgumentName: 'x-amz-storage-class',
    });
}

export function conditions(r: S3Request, prefix = ''): Conditions {
  return {
    ifMatch: h(r, `${prefix}if-match`) ?? null,
    ifNoneMatch: h(r, `${prefix}if-none-match`) ?? null,
    ifModifiedSince: h(r, `${prefix}if-modified-since`) ?? null,
    ifUnmodifiedSince: h(r, `${prefix}if-unmodified-since`) ?? null,
  };
}

/** `x-amz-copy-source: /bucket/key` (URL-encoded, optional ?versionId=null). */
export function copySource(r: S3Request): { bucket: string; key: string; versionId?: string } | null {
  const raw = h(r, 'x-amz-copy-source');
  if (raw === undefined) return null;
  let value = raw;
  const q = value.indexOf('?');
  let versionId: string | undefined;
  if (q >= 0) {
    const params = new URLSearchParams(value.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    value = value.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new StorageError('InvalidArgument', 'Invalid copy source encoding', {
      ArgumentName: 'x-amz-copy-source',
    });
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw new StorageError(
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      {
        ArgumentName: 'x-amz-copy-source',
      },
    );
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    ...(versionId !== undefined ? { versionId } : {}),
  };
}

/** x-amz-version-id on answers from buckets with versioning configured. */
export function versionHeaders(
  versioned: boolean,
  versionId: string | null | undefined,
): Record<string, string> {
  return versioned ? { 'x-amz-version-id': versionId ?? 'null' } : {};
}

/** `?versionId=` of an object request (undefined: the current version). */
export function versionIdParam(r: S3Request): string | undefined {
  return r.query.get('versionId');
}
