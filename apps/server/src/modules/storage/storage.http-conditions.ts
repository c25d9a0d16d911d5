/**
 * Pure HTTP/S3 request semantics, no I/O: conditional requests (If-Match, If-None-Match,
 * If-(Un)Modified-Since), byte ranges, ETags, listing cursors, Content-MD5 and S3's key order.
 */
import type { ByteRange } from './storage.engine.ts';
import { StorageError } from './storage.errors.ts';
import type { Conditions } from './storage.types.ts';

export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

export function unquote(etag: string): string {
  const t = etag.trim();
  const weak = t.startsWith('W/') ? t.slice(2) : t;
  return weak.startsWith('"') && weak.endsWith('"') && weak.length >= 2 ? weak.slice(1, -1) : weak;
}

/** Does an If-Match / If-None-Match list match this ETag? */
export function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((s) => s.trim())
    .some((s) => s === '*' || unquote(s) === etag);
}

/** HTTP date to whole seconds (ms), or null when unparseable (then the condition is ignored). */
export function httpDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.floor(t / 1000) * 1000;
}

export function seconds(isoTime: string): number {
  return Math.floor(Date.parse(isoTime) / 1000) * 1000;
}

/**
 * S3's precedence: If-Match beats If-Unmodified-Since (412), If-None-Match beats
 * If-Modified-Since (304 for reads). For copies every failure is 412.
 */
export function evaluateConditions(
  cond: Conditions,
  etag: string,
  lastModified: string,
  forCopy = false,
): void {
  const lm = seconds(lastModified);
  if (cond.ifMatch) {
    if (!etagMatches(cond.ifMatch, etag)) throw precondition('If-Match');
  } else {
    const ius = httpDate(cond.ifUnmodifiedSince);
    if (ius !== null && lm > ius) throw precondition('If-Unmodified-Since');
  }
  if (cond.ifNoneMatch) {
    if (etagMatches(cond.ifNoneMatch, etag)) throw forCopy ? precondition('If-None-Match') : notModified();
  } else {
    const ims = httpDate(cond.ifModifiedSince);
    if (ims !== null && lm <= ims) throw forCopy ? precondition('If-Modified-Since') : notModified();
  }
}

export function precondition(condition: string): StorageError {
  return new StorageError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: condition,
    },
  );
}

export function notModified(): StorageError {
  return new StorageError('NotModified', 'Not Modified');
}

/**
 * `bytes=a-b`, `bytes=a-`, `bytes=-n`. Syntactically invalid or multi-range headers are ignored
 * (whole object, as S3 does); a range that starts past the end is InvalidRange (416).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (start >= size || size === 0) throw invalidRange(size);
  return { start, end };
}

export function invalidRange(size: number): StorageError {
  return new StorageError('InvalidRange', 'The requested range is not satisfiable', {
    ActualObjectSize: String(size),
  });
}

/** Opaque listing cursor (S3 continuation token, REST cursor): the last key or prefix returned. */
export function encodeCursor(last: string): string {
  return Buffer.from(`v1:${last}`, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): string {
  const raw = Buffer.from(token, 'base64url').toString('utf8');
  if (!raw.startsWith('v1:') || encodeCursor(raw.slice(3)) !== token)
    throw new StorageError('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  return raw.slice(3);
}

export function parseContentMd5(value: string): Buffer {
  const v = value.trim();
  const buf = /^[A-Za-z0-9+/]{22}==$/.test(v) ? Buffer.from(v, 'base64') : null;
  if (buf?.length !== 16)
    throw new StorageError('InvalidDigest', 'The Content-MD5 you specified was invalid.', {
      'Content-MD5': v,
    });
  return buf;
}
