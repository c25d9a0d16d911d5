import { StorageError } from './storage.errors.ts';

/** Pure naming rules for buckets, keys and user metadata (S3's rules). */

export const MAX_KEY_BYTES = 1024;
export const MAX_METADATA_BYTES = 2048;
/** Largest single PUT (S3: 5 GiB); larger objects go through multipart upload. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** Largest part (5 GiB) and object (5 TiB). */
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PARTS = 10_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BUCKET_CHARS = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why a bucket name is invalid, or null when it is valid. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!BUCKET_CHARS.test(name))
    return 'may contain only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (name.includes('.-') || name.includes('-.')) return 'must not contain a dot next to a hyphen';
  if (IPV4_LIKE.test(name)) return 'must not be formatted as an IP address';
  for (const p of RESERVED_PREFIXES) if (name.startsWith(p)) return `must not start with "${p}"`;
  for (const s of RESERVED_SUFFIXES) if (name.endsWith(s)) return `must not end with "${s}"`;
  return null;
}

export function assertBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem)
    throw new StorageError('InvalidBucketName', `The specified bucket is not valid: the name ${problem}.`, {
      BucketName: name,
    });
}

export function assertKey(key: string): void {
  if (key.length === 0) throw new StorageError('InvalidArgument', 'Object key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
    throw new StorageError('KeyTooLongError', 'Your key is too long (the limit is 1024 bytes of UTF-8)', {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  // PostgreSQL text cannot hold NUL; lone surrogates cannot be UTF-8 encoded.
  if (key.includes('\u0000')) throw new StorageError('InvalidArgument', 'Object key must not contain NUL');
  if (LONE_SURROGATE.test(key)) throw new StorageError('InvalidArgument', 'Object key must be valid UTF-8');
}

/** Validate user metadata (lower-case names without the x-amz-meta- prefix). */
export function assertMetadata(meta: Record<string, string>): void {
  let size = 0;
  for (const [k, v] of Object.entries(meta)) {
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(k))
      throw new StorageError('InvalidArgument', `Invalid metadata name: ${k.slice(0, 64)}`);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > MAX_METADATA_BYTES)
    throw new StorageError(
      'MetadataTooLarge',
      `Your metadata headers exceed the maximum allowed metadata size (${size} > ${MAX_METADATA_BYTES} bytes)`,
      { Size: String(size), MaxSizeAllowed: String(MAX_METADATA_BYTES) },
    );
}
