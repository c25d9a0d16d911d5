import { describe, expect, it } from 'vitest';
import { baseName, bucketNameProblem, encodeKey, folderPath, formatBytes } from './api.ts';

describe('bucket browser helpers', () => {
  it('checks bucket names with the server rules', () => {
    expect(bucketNameProblem('family-photos')).toBeNull();
    expect(bucketNameProblem('a.b.c')).toBeNull();
    expect(bucketNameProblem('ab')).toMatch(/At least 3/);
    expect(bucketNameProblem('x'.repeat(64))).toMatch(/At most 63/);
    expect(bucketNameProblem('Photos')).toMatch(/lowercase/);
    expect(bucketNameProblem('my_bucket')).toMatch(/Only lowercase letters/);
    expect(bucketNameProblem('-abc')).toMatch(/begin and end/);
    expect(bucketNameProblem('abc-')).toMatch(/begin and end/);
    expect(bucketNameProblem('a..b')).toMatch(/two dots/);
    expect(bucketNameProblem('a.-b')).toMatch(/dot next to a hyphen/);
    expect(bucketNameProblem('192.168.1.10')).toMatch(/IP address/);
    expect(bucketNameProblem('xn--abc')).toMatch(/xn--/);
    expect(bucketNameProblem('data-s3alias')).toMatch(/-s3alias/);
  });

  it('encodes keys per segment and builds folder URLs', () => {
    expect(encodeKey('a b/ü?#/')).toBe('a%20b/%C3%BC%3F%23/');
    expect(folderPath('b', 'x y/')).toBe('/storage/buckets/b/x%20y/');
    expect(folderPath('b')).toBe('/storage/buckets/b/');
    expect(baseName('docs/a/', 'docs/')).toBe('a/');
  });

  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(17 * 1024 * 1024)).toBe('17.0 MiB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GiB');
  });
});
