/**
 * storage.http-conditions.ts, the pure HTTP semantics of object storage (no I/O, no database):
 * ETags, HTTP dates at second precision, conditional requests, ranges, cursors, Content-MD5,
 * S3's key order. (The S3-precedence table of conditions and the range forms are also covered in
 * storage.unit.test.ts.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StorageError } from './storage.errors.ts';
import {
  byteCompare,
  decodeCursor,
  encodeCursor,
  etagMatches,
  evaluateConditions,
  httpDate,
  parseContentMd5,
  parseRange,
  quoteEtag,
  seconds,
  unquote,
} from './storage.http-conditions.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StorageError ? err.s3Code : `not a StorageError: ${String(err)}`;
  }
  return undefined;
}

describe('ETags', () => {
  it('quotes, unquotes (weak or not, with spaces), and matches lists and *', () => {
    expect(quoteEtag('abc-2')).toBe('"abc-2"');
    expect(unquote(' "abc" ')).toBe('abc');
    expect(unquote('W/"abc"')).toBe('abc');
    expect(unquote('abc')).toBe('abc');
    expect(unquote('"')).toBe('"');
    expect(etagMatches('"x" , "abc-2"', 'abc-2')).toBe(true);
    expect(etagMatches('*', 'anything')).toBe(true);
    expect(etagMatches('"abc"', 'abcd')).toBe(false);
  });
});

describe('dates and conditions', () => {
  const lm = '2024-01-01T12:00:00.999Z';
  it('HTTP dates compare at whole seconds; garbage is no date', () => {
    expect(httpDate('Mon, 01 Jan 2024 12:00:00 GMT')).toBe(seconds(lm));
    expect(httpDate('yesterday')).toBeNull();
    expect(httpDate(null)).toBeNull();
  });

  it('a Last-Modified in the same second is not modified since, and not unmodified-since-violated', () => {
    const same = 'Mon, 01 Jan 2024 12:00:00 GMT';
    expect(code(() => evaluateConditions({ ifModifiedSince: same }, 'e', lm))).toBe('NotModified');
    expect(code(() => evaluateConditions({ ifUnmodifiedSince: same }, 'e', lm))).toBeUndefined();
    expect(code(() => evaluateConditions({}, 'e', lm))).toBeUndefined();
    expect(code(() => evaluateConditions({ ifMatch: null, ifNoneMatch: null }, 'e', lm))).toBeUndefined();
  });
});

describe('ranges', () => {
  it('suffix, open and clamped ranges on a 1-byte object; whitespace tolerated', () => {
    expect(parseRange(' bytes=0-0 ', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=-5', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=0-', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=-', 1)).toBeNull();
    expect(parseRange(undefined, 1)).toBeNull();
    expect(code(() => parseRange('bytes=1-', 1))).toBe('InvalidRange');
  });
});

describe('cursors, Content-MD5, key order', () => {
  it('cursors round-trip any key and refuse other tokens', () => {
    for (const k of ['', 'a', 'dir/ü/\u{1F600}', 'x'.repeat(1024)])
      expect(decodeCursor(encodeCursor(k))).toBe(k);
    expect(code(() => decodeCursor('not a cursor!'))).toBe('InvalidArgument');
    expect(code(() => decodeCursor(Buffer.from('v2:photos').toString('base64url')))).toBe('InvalidArgument');
  });

  it('Content-MD5 is base64 of exactly 16 bytes', () => {
    const md5 = createHash('md5').update('hello').digest();
    expect(parseContentMd5(` ${md5.toString('base64')} `).equals(md5)).toBe(true);
    expect(code(() => parseContentMd5(md5.toString('hex')))).toBe('InvalidDigest');
    expect(code(() => parseContentMd5(Buffer.alloc(15).toString('base64')))).toBe('InvalidDigest');
  });

  it('keys sort by UTF-8 bytes', () => {
    const keys = ['b', 'a/', '\u{10000}', 'a0', '\uffff', 'A'];
    expect([...keys].sort(byteCompare)).toEqual(['A', 'a/', 'a0', 'b', '\uffff', '\u{10000}']);
  });
});
