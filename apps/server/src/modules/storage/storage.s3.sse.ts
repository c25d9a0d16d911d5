/**
 * Server-side encryption on the S3 face: the request headers (checked as AWS checks them), the
 * answer's headers, and Put/Get/DeleteBucketEncryption. The rules live in storage.sse.ts.
 */
import { StorageError } from './storage.errors.ts';
import { h, send } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';
import { md5Base64 } from './storage.sse.crypto.ts';
import type { CustomerKey, ObjectEncryption, SseRequest } from './storage.sse.ts';

const SSE = 'x-amz-server-side-encryption';
/** SSE-C headers of the object written or read. */
export const CUSTOMER = 'x-amz-server-side-encryption-customer-';
/** SSE-C headers naming the copy source's key. */
export const COPY_SOURCE_CUSTOMER = 'x-amz-copy-source-server-side-encryption-customer-';

function invalid(message: string, name: string, value?: string): StorageError {
  return new StorageError('InvalidArgument', message, {
    ArgumentName: name,
    ...(value !== undefined ? { ArgumentValue: value } : {}),
  });
}

function kmsUnsupported(): StorageError {
  return new StorageError(
    'NotImplemented',
    'SSE-KMS (aws:kms) is not supported: this server has no key management service. Use AES256 (SSE-S3) or SSE-C.',
  );
}

/** An SSE-C key from the headers with `prefix` (null: none sent); 400 as AWS words it. */
export function customerKey(r: S3Request, prefix: string): CustomerKey | null {
  const algorithm = h(r, `${prefix}algorithm`);
  const key = h(r, `${prefix}key`);
  const md5 = h(r, `${prefix}key-md5`);
  if (algorithm === undefined && key === undefined && md5 === undefined) return null;
  if (algorithm === undefined)
    throw invalid(
      'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
      `${prefix}algorithm`,
    );
  if (algorithm !== 'AES256')
    throw new StorageError(
      'InvalidEncryptionAlgorithmError',
      'The encryption request you specified is not valid. The valid value is AES256.',
      { ArgumentName: `${prefix}algorithm`, ArgumentValue: algorithm },
    );
  if (!key)
    throw invalid(
      'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
      `${prefix}key`,
    );
  if (!md5)
    throw invalid(
      'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.',
      `${prefix}key-MD5`,
    );
  const raw = /^[A-Za-z0-9+/]+={0,2}$/.test(key.trim()) ? Buffer.from(key.trim(), 'base64') : Buffer.alloc(0);
  if (raw.length !== 32)
    throw invalid('The secret key was invalid for the specified algorithm.', `${prefix}key`);
  if (md5Base64(raw) !== md5.trim())
    throw invalid(
      'The calculated MD5 hash of the key did not match the hash that was provided.',
      `${prefix}key-MD5`,
    );
  return { key: raw, keyMd5: md5.trim() };
}

/**
 * What a write asks for: `x-amz-server-side-encryption: AES256` or SSE-C headers (null: neither,
 * so the bucket's default applies). SSE-KMS answers 501: there is no KMS to pretend with.
 */
export function sseRequest(r: S3Request): SseRequest | null {
  const algorithm = h(r, SSE);
  const customer = customerKey(r, CUSTOMER);
  const kms = h(r, `${SSE}-aws-kms-key-id`) ?? h(r, `${SSE}-context`);
  if (algorithm !== undefined) {
    if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') throw kmsUnsupported();
    if (algorithm !== 'AES256')
      throw invalid('The encryption method specified is not supported', SSE, algorithm);
    if (customer)
      throw invalid(
        'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
        SSE,
        algorithm,
      );
  }
  if (kms !== undefined)
    throw invalid(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      `${SSE}-aws-kms-key-id`,
    );
  if (algorithm === undefined && !customer) return null;
  return { algorithm: algorithm === 'AES256' ? 'AES256' : null, customer };
}

/** The answer's encryption headers (PUT, GET, HEAD, copy, multipart). */
export function sseHeaders(enc: ObjectEncryption | null | undefined): Record<string, string> {
  if (!enc) return {};
  if (enc.mode === 'SSE-C')
    return {
      [`${CUSTOMER}algorithm`]: 'AES256',
      ...(enc.customerKeyMd5 ? { [`${CUSTOMER}key-MD5`]: enc.customerKeyMd5 } : {}),
    };
  return { [SSE]: 'AES256', ...(enc.bucketKeyEnabled ? { [`${SSE}-bucket-key-enabled`]: 'true' } : {}) };
}

// ------------------------------------------------------------------ bucket default encryption

export async function getBucketEncryption(r: S3Request, bucket: string): Promise<void> {
  const cfg = await r.deps.service.encryption.getBucketEncryption(r.ctx, bucket);
  if (!cfg)
    throw new StorageError(
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
      { BucketName: bucket },
    );
  send(
    r,
    200,
    xmlDocument(
      'ServerSideEncryptionConfiguration',
      node('Rule', [
        node('ApplyServerSideEncryptionByDefault', tag('SSEAlgorithm', cfg.algorithm)),
        tag('BucketKeyEnabled', cfg.bucketKeyEnabled),
      ]),
    ),
  );
}

export async function putBucketEncryption(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'ServerSideEncryptionConfiguration');
  const rules = children(doc, 'Rule');
  const malformed = (why: string) =>
    new StorageError(
      'MalformedXML',
      `The XML you provided was not well-formed or did not validate against our published schema (${why}).`,
    );
  if (rules.length !== 1) throw malformed('exactly one Rule');
  const rule = rules[0]!;
  const apply = children(rule, 'ApplyServerSideEncryptionByDefault')[0];
  const algorithm = apply ? (text(apply, 'SSEAlgorithm') ?? '').trim() : '';
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') throw kmsUnsupported();
  if (algorithm !== 'AES256') throw malformed('SSEAlgorithm must be AES256');
  if (apply && text(apply, 'KMSMasterKeyID') !== undefined)
    throw invalid(
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      'ApplyServerSideEncryptionByDefault',
    );
  const bucketKey = (text(rule, 'BucketKeyEnabled') ?? 'false').trim().toLowerCase();
  if (bucketKey !== 'true' && bucketKey !== 'false')
    throw malformed('BucketKeyEnabled must be true or false');
  await r.deps.service.encryption.putBucketEncryption(r.ctx, bucket, {
    algorithm: 'AES256',
    bucketKeyEnabled: bucketKey === 'true',
  });
  send(r, 200);
}

export async function deleteBucketEncryption(r: S3Request, bucket: string): Promise<void> {
  await r.deps.service.encryption.putBucketEncryption(r.ctx, bucket, null);
  send(r, 204);
}
