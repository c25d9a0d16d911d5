import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { type ChecksumAlgorithm, headerFor } from './storage.checksums.ts';
import type { CorsRule } from './storage.cors.ts';
import { notImplemented, StorageError } from './storage.errors.ts';
import { decodeCursor, encodeCursor, quoteEtag } from './storage.http-conditions.ts';
import { MAX_PARTS } from './storage.names.ts';
import {
  bodyInput,
  checksumAlgorithmHeader,
  errorXml,
  readSmallBody,
  requestHeader,
  type S3Request,
} from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, texts, xmlDocument } from './storage.s3.xml.ts';
import type { Conditions, ObjectAttributes, ObjectInfo, StoredHeaders, Tag } from './storage.types.ts';

/** The S3 operations: request parsing and XML answers; all rules live in the storage service. */

const XML = 'application/xml';

function send(
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

function h(r: S3Request, name: string): string | undefined {
  return requestHeader(r.req, name);
}

function requireBucket(r: S3Request): string {
  if (!r.bucket)
    throw new StorageError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
  return r.bucket;
}

function httpDate(isoTime: string): string {
  return new Date(isoTime).toUTCString();
}

function intParam(r: S3Request, name: string, def: number, max = Number.MAX_SAFE_INTEGER): number {
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
function encoder(r: S3Request): (s: string) => string {
  const type = r.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url')
    throw new StorageError('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: type,
    });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function ownerXml(id: string, name: string | null): string {
  return node('Owner', [tag('ID', id), tag('DisplayName', name ?? id)]);
}

/** Standard object attributes from request headers. */
function objectAttributes(r: S3Request): ObjectAttributes {
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
function rejectUnsupportedWriteHeaders(r: S3Request): void {
  const acl = h(r, 'x-amz-acl');
  if (acl && acl !== 'private' && acl !== 'bucket-owner-full-control')
    throw notImplemented(`Canned ACL "${acl}" (objects and buckets are always private to their owner)`);
  for (const g of [
    'x-amz-grant-read',
    'x-amz-grant-write',
    'x-amz-grant-full-control',
    'x-amz-grant-read-acp',
    'x-amz-grant-write-acp',
  ])
    if (h(r, g)) throw notImplemented('ACL grants');
  if (h(r, 'x-amz-server-side-encryption') || h(r, 'x-amz-server-side-encryption-customer-algorithm'))
    throw notImplemented('Server-side encryption');
  if (h(r, 'x-amz-object-lock-mode') || h(r, 'x-amz-object-lock-legal-hold'))
    throw notImplemented('Object lock');
  const sc = h(r, 'x-amz-storage-class');
  if (sc && sc !== 'STANDARD')
    throw new StorageError('InvalidArgument', `Storage class ${sc} is not supported; only STANDARD`, {
      ArgumentName: 'x-amz-storage-class',
    });
}

function objectHeaders(
  r: S3Request,
  info: ObjectInfo,
  withChecksum: boolean,
): Record<string, string | number> {
  const out: Record<string, string | number> = {
    etag: quoteEtag(info.etag),
    'last-modified': httpDate(info.lastModified),
    'accept-ranges': 'bytes',
    'content-type': info.contentType,
  };
  if (info.headers.contentEncoding) out['content-encoding'] = info.headers.contentEncoding;
  if (info.headers.contentDisposition) out['content-disposition'] = info.headers.contentDisposition;
  if (info.headers.cacheControl) out['cache-control'] = info.headers.cacheControl;
  if (info.headers.contentLanguage) out['content-language'] = info.headers.contentLanguage;
  if (info.headers.expires) out.expires = info.headers.expires;
  for (const [k, v] of Object.entries(info.metadata)) out[`x-amz-meta-${k}`] = v;
  if (withChecksum && info.checksum) {
    out[headerFor(info.checksum.algorithm)] = info.checksum.value;
    out['x-amz-checksum-type'] = info.checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  // presigned share links may override response headers (S3's response-* parameters)
  const overrides: [string, string][] = [
    ['response-content-type', 'content-type'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
    ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
  ];
  for (const [param, name] of overrides) {
    const v = r.query.get(param);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function conditions(r: S3Request, prefix = ''): Conditions {
  return {
    ifMatch: h(r, `${prefix}if-match`) ?? null,
    ifNoneMatch: h(r, `${prefix}if-none-match`) ?? null,
    ifModifiedSince: h(r, `${prefix}if-modified-since`) ?? null,
    ifUnmodifiedSince: h(r, `${prefix}if-unmodified-since`) ?? null,
  };
}

/** `x-amz-copy-source: /bucket/key` (URL-encoded, optional ?versionId=null). */
function copySource(r: S3Request): { bucket: string; key: string } | null {
  const raw = h(r, 'x-amz-copy-source');
  if (raw === undefined) return null;
  let value = raw;
  const q = value.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(value.slice(q + 1));
    const version = params.get('versionId');
    if (version && version !== 'null') throw notImplemented('Object versioning');
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
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

const BUCKET_GET_NOT_CONFIGURED: Record<string, [string, string]> = {
  policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
  lifecycle: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  website: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  encryption: [
    'ServerSideEncryptionConfigurationNotFoundError',
    'The server side encryption configuration was not found',
  ],
  'object-lock': [
    'ObjectLockConfigurationNotFoundError',
    'Object Lock configuration does not exist for this bucket',
  ],
  replication: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  ownershipControls: ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'],
  publicAccessBlock: [
    'NoSuchPublicAccessBlockConfiguration',
    'The public access block configuration was not found',
  ],
};

const UNSUPPORTED_SUBRESOURCES = [
  'versions',
  'versionId',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'select',
  'restore',
  'torrent',
  'retention',
  'legal-hold',
  'attributes',
  'notification',
  'logging',
  'accelerate',
  'requestPayment',
  'policyStatus',
  'partNumber',
];

// ------------------------------------------------------------------ dispatch

export async function dispatch(r: S3Request): Promise<void> {
  if (r.derivedCredential) {
    // server-derived presign credentials only sign object reads and uploads
    const isObjectRead =
      (r.method === 'GET' || r.method === 'HEAD') && r.key && !r.query.has('uploadId') && r.query.size <= 20;
    const isUpload = r.method === 'PUT' && r.key && !h(r, 'x-amz-copy-source');
    if (!isObjectRead && !isUpload)
      throw new StorageError(
        'AccessDenied',
        'Access Denied (this presigned credential only allows object GET, HEAD and PUT)',
      );
  }
  if (!r.bucket) {
    if (r.method === 'GET') return listBuckets(r);
    throw new StorageError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  if (r.key === null) return bucketOperation(r);
  return objectOperation(r);
}

async function bucketOperation(r: S3Request): Promise<void> {
  const q = r.query;
  const bucket = requireBucket(r);
  const svc = r.deps.service;
  switch (r.method) {
    case 'HEAD': {
      const { region } = await svc.headBucket(r.ctx, bucket);
      return send(r, 200, undefined, { 'x-amz-bucket-region': region });
    }
    case 'GET': {
      if (q.has('location')) {
        const { region } = await svc.headBucket(r.ctx, bucket);
        return send(
          r,
          200,
          xmlDocument('LocationConstraint', region === 'us-east-1' ? '' : region.replace(/[<&>]/g, '')),
        );
      }
      if (q.has('tagging')) return getBucketTagging(r, bucket);
      if (q.has('cors')) return getBucketCors(r, bucket);
      if (q.has('uploads')) return listUploads(r, bucket);
      if (q.has('acl')) return getAcl(r, bucket);
      if (q.has('versioning')) {
        await svc.headBucket(r.ctx, bucket);
        return send(r, 200, xmlDocument('VersioningConfiguration', ''));
      }
      for (const [name, [code, message]] of Object.entries(BUCKET_GET_NOT_CONFIGURED)) {
        if (q.has(name)) {
          await svc.headBucket(r.ctx, bucket);
          throw new StorageError(code as never, message, { BucketName: bucket });
        }
      }
      for (const name of UNSUPPORTED_SUBRESOURCES) if (q.has(name)) throw notImplemented(`GET ?${name}`);
      if (q.get('list-type') === '2') return listObjectsV2(r, bucket);
      return listObjectsV1(r, bucket);
    }
    case 'PUT': {
      if (q.has('tagging')) return putBucketTagging(r, bucket);
      if (q.has('cors')) return putBucketCors(r, bucket);
      if (q.has('acl')) {
        rejectUnsupportedWriteHeaders(r);
        await readSmallBody(r);
        await svc.headBucket(r.ctx, bucket);
        return send(r, 200);
      }
      for (const name of [
        'versioning',
        'policy',
        'lifecycle',
        'website',
        'encryption',
        'object-lock',
        'replication',
        'notification',
        'logging',
        'accelerate',
        'requestPayment',
        'ownershipControls',
        'publicAccessBlock',
        ...UNSUPPORTED_SUBRESOURCES,
      ])
        if (q.has(name)) throw notImplemented(`PUT ?${name}`);
      return createBucket(r, bucket);
    }
    case 'DELETE': {
      if (q.has('tagging')) {
        await svc.putBucketTags(r.ctx, bucket, null);
        return send(r, 204);
      }
      if (q.has('cors')) {
        await svc.putBucketCors(r.ctx, bucket, null);
        return send(r, 204);
      }
      for (const name of [
        'policy',
        'lifecycle',
        'website',
        'encryption',
        'replication',
        'ownershipControls',
        'publicAccessBlock',
      ]) {
        if (q.has(name)) {
          // nothing configured, so nothing to delete
          await svc.headBucket(r.ctx, bucket);
          return send(r, 204);
        }
      }
      for (const name of UNSUPPORTED_SUBRESOURCES) if (q.has(name)) throw notImplemented(`DELETE ?${name}`);
      await svc.deleteBucket(r.ctx, bucket);
      return send(r, 204);
    }
    case 'POST': {
      if (q.has('delete')) return deleteObjects(r, bucket);
      throw notImplemented('POST object (browser form uploads)');
    }
    default:
      throw new StorageError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
  }
}

async function objectOperation(r: S3Request): Promise<void> {
  const q = r.query;
  const bucket = requireBucket(r);
  const key = r.key!;
  const svc = r.deps.service;
  switch (r.method) {
    case 'GET':
      if (q.has('uploadId')) return listParts(r, bucket, key);
      if (q.has('acl')) {
        await svc.headObject(r.ctx, bucket, key);
        return getAcl(r, bucket);
      }
      if (q.has('tagging')) {
        await svc.headObject(r.ctx, bucket, key);
        return send(r, 200, xmlDocument('Tagging', node('TagSet', '')));
      }
      for (const name of UNSUPPORTED_SUBRESOURCES)
        if (q.has(name)) throw notImplemented(`GET object ?${name}`);
      return getObject(r, bucket, key);
    case 'HEAD':
      if (q.has('partNumber')) throw notImplemented('HEAD object ?partNumber');
      return headObject(r, bucket, key);
    case 'PUT':
      if (q.has('uploadId') || q.has('partNumber')) return uploadPart(r, bucket, key);
      if (q.has('tagging')) throw notImplemented('Object tagging');
      if (q.has('acl')) {
        rejectUnsupportedWriteHeaders(r);
        await readSmallBody(r);
        await svc.headObject(r.ctx, bucket, key);
        return send(r, 200);
      }
      for (const name of UNSUPPORTED_SUBRESOURCES)
        if (q.has(name)) throw notImplemented(`PUT object ?${name}`);
      if (h(r, 'x-amz-copy-source') !== undefined) return copyObject(r, bucket, key);
      return putObject(r, bucket, key);
    case 'DELETE':
      if (q.has('uploadId')) {
        await svc.abortUpload(r.ctx, bucket, key, q.get('uploadId')!);
        return send(r, 204);
      }
      if (q.has('tagging')) {
        await svc.headObject(r.ctx, bucket, key);
        return send(r, 204);
      }
      if (q.has('versionId') && q.get('versionId') !== 'null') throw notImplemented('Object versioning');
      await svc.deleteObject(r.ctx, bucket, key);
      return send(r, 204);
    case 'POST':
      if (q.has('uploads')) return createUpload(r, bucket, key);
      if (q.has('uploadId')) return completeUpload(r, bucket, key);
      throw notImplemented('This POST object operation');
    default:
      throw new StorageError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
  }
}

// ------------------------------------------------------------------ service level

async function listBuckets(r: S3Request): Promise<void> {
  const { items } = await r.deps.service.listBuckets(r.ctx, null, false);
  const prefix = r.query.get('prefix') ?? '';
  const buckets = items
    .filter((b) => b.name.startsWith(prefix))
    .map((b) =>
      node('Bucket', [tag('Name', b.name), tag('CreationDate', b.createdAt), tag('BucketRegion', b.region)]),
    );
  send(
    r,
    200,
    xmlDocument('ListAllMyBucketsResult', [
      ownerXml(r.ctx.actor.id, r.ctx.actor.username),
      node('Buckets', buckets),
      prefix ? tag('Prefix', prefix) : '',
    ]),
  );
}

// ------------------------------------------------------------------ buckets

async function createBucket(r: S3Request, bucket: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  if ((h(r, 'x-amz-bucket-object-lock-enabled') ?? '').toLowerCase() === 'true')
    throw notImplemented('Object lock');
  const body = await readSmallBody(r, 64 * 1024);
  if (body.length > 0 && body.toString('utf8').trim() !== '') {
    const doc = parseXml(body, 'CreateBucketConfiguration');
    text(doc, 'LocationConstraint'); // validated for shape; every bucket lives in this server's region
  }
  try {
    await r.deps.service.createBucket(r.ctx, bucket);
  } catch (err) {
    // us-east-1 (S3's legacy region) answers 200 to a CreateBucket of a bucket you already own
    if (
      !(
        err instanceof StorageError &&
        err.s3Code === 'BucketAlreadyOwnedByYou' &&
        r.deps.region === 'us-east-1'
      )
    )
      throw err;
  }
  send(r, 200, undefined, { location: `/${bucket}` });
}

async function getBucketTagging(r: S3Request, bucket: string): Promise<void> {
  const tags = await r.deps.service.getBucketTags(r.ctx, bucket);
  send(
    r,
    200,
    xmlDocument(
      'Tagging',
      node(
        'TagSet',
        tags.map((t) => node('Tag', [tag('Key', t.key), tag('Value', t.value)])),
      ),
    ),
  );
}

async function putBucketTagging(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'Tagging');
  const set = children(doc, 'TagSet');
  const tags: Tag[] = (set[0] ? children(set[0], 'Tag') : []).map((t) => ({
    key: text(t, 'Key') ?? '',
    value: text(t, 'Value') ?? '',
  }));
  await r.deps.service.putBucketTags(r.ctx, bucket, tags);
  send(r, 204);
}

async function getBucketCors(r: S3Request, bucket: string): Promise<void> {
  const rules = await r.deps.service.getBucketCors(r.ctx, bucket);
  send(
    r,
    200,
    xmlDocument(
      'CORSConfiguration',
      rules.map((rule) =>
        node('CORSRule', [
          tag('ID', rule.id),
          ...rule.allowedHeaders.map((x) => tag('AllowedHeader', x)),
          ...rule.allowedMethods.map((x) => tag('AllowedMethod', x)),
          ...rule.allowedOrigins.map((x) => tag('AllowedOrigin', x)),
          ...rule.exposeHeaders.map((x) => tag('ExposeHeader', x)),
          tag('MaxAgeSeconds', rule.maxAgeSeconds),
        ]),
      ),
    ),
  );
}

async function putBucketCors(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'CORSConfiguration');
  const rules: CorsRule[] = children(doc, 'CORSRule').map((c) => {
    const maxAge = text(c, 'MaxAgeSeconds');
    if (maxAge !== undefined && !/^\d+$/.test(maxAge.trim()))
      throw new StorageError('MalformedXML', 'MaxAgeSeconds must be a non-negative integer.');
    const id = text(c, 'ID');
    return {
      ...(id !== undefined ? { id } : {}),
      allowedOrigins: texts(c, 'AllowedOrigin').map((s) => s.trim()),
      allowedMethods: texts(c, 'AllowedMethod').map((s) => s.trim()),
      allowedHeaders: texts(c, 'AllowedHeader').map((s) => s.trim()),
      exposeHeaders: texts(c, 'ExposeHeader').map((s) => s.trim()),
      ...(maxAge !== undefined ? { maxAgeSeconds: Number(maxAge.trim()) } : {}),
    };
  });
  await r.deps.service.putBucketCors(r.ctx, bucket, rules);
  send(r, 200);
}

async function getAcl(r: S3Request, bucket: string): Promise<void> {
  const info = await r.deps.service.getBucket(r.ctx, bucket);
  const owner = [tag('ID', info.ownerId), tag('DisplayName', info.ownerUsername ?? info.ownerId)];
  send(
    r,
    200,
    xmlDocument('AccessControlPolicy', [
      node('Owner', owner),
      node(
        'AccessControlList',
        `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${owner.join('')}</Grantee>${tag('Permission', 'FULL_CONTROL')}</Grant>`,
      ),
    ]),
  );
}

// ------------------------------------------------------------------ listing

function maxKeysParam(r: S3Request): number {
  return intParam(r, 'max-keys', 1000, 1000);
}

function contentsXml(
  o: ObjectInfo,
  enc: (s: string) => string,
  owner: boolean,
  ownerName: string | null,
): string {
  return node('Contents', [
    tag('Key', enc(o.key)),
    tag('LastModified', o.lastModified),
    tag('ETag', quoteEtag(o.etag)),
    ...(o.checksum
      ? [
          tag('ChecksumAlgorithm', o.checksum.algorithm),
          tag('ChecksumType', o.checksum.value.includes('-') ? 'COMPOSITE' : 'FULL_OBJECT'),
        ]
      : []),
    tag('Size', o.size),
    owner ? ownerXml(o.ownerId, ownerName) : '',
    tag('StorageClass', 'STANDARD'),
  ]);
}

async function ownerName(r: S3Request, bucket: string): Promise<string | null> {
  const info = await r.deps.service.getBucket(r.ctx, bucket);
  return info.ownerUsername;
}

async function listObjectsV1(r: S3Request, bucket: string): Promise<void> {
  const enc = encoder(r);
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const marker = r.query.get('marker') ?? '';
  const maxKeys = maxKeysParam(r);
  const result = await r.deps.service.listObjects(r.ctx, bucket, {
    prefix,
    delimiter,
    after: marker || null,
    maxKeys,
  });
  const name = result.objects.length > 0 ? await ownerName(r, bucket) : null;
  send(
    r,
    200,
    xmlDocument('ListBucketResult', [
      tag('Name', bucket),
      tag('Prefix', prefix),
      tag('Marker', enc(marker)),
      tag('MaxKeys', maxKeys),
      delimiter ? tag('Delimiter', enc(delimiter)) : '',
      r.query.has('encoding-type') ? tag('EncodingType', 'url') : '',
      tag('IsTruncated', result.isTruncated),
      result.isTruncated && delimiter && result.last ? tag('NextMarker', enc(result.last)) : '',
      ...result.objects.map((o) => contentsXml(o, enc, true, name)),
      ...result.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]),
  );
}

async function listObjectsV2(r: S3Request, bucket: string): Promise<void> {
  const enc = encoder(r);
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const token = r.query.get('continuation-token');
  const startAfter = r.query.get('start-after') ?? '';
  const maxKeys = maxKeysParam(r);
  const fetchOwner = r.query.get('fetch-owner') === 'true';
  let after: string | null = startAfter || null;
  // an empty token is no token (as on S3)
  if (token) after = decodeCursor(token);
  const result = await r.deps.service.listObjects(r.ctx, bucket, { prefix, delimiter, after, maxKeys });
  const name = fetchOwner && result.objects.length > 0 ? await ownerName(r, bucket) : null;
  send(
    r,
    200,
    xmlDocument('ListBucketResult', [
      tag('Name', bucket),
      tag('Prefix', prefix),
      tag('KeyCount', result.objects.length + result.commonPrefixes.length),
      tag('MaxKeys', maxKeys),
      delimiter ? tag('Delimiter', enc(delimiter)) : '',
      r.query.has('encoding-type') ? tag('EncodingType', 'url') : '',
      tag('IsTruncated', result.isTruncated),
      token ? tag('ContinuationToken', token) : '',
      result.isTruncated && result.last ? tag('NextContinuationToken', encodeCursor(result.last)) : '',
      startAfter ? tag('StartAfter', enc(startAfter)) : '',
      ...result.objects.map((o) => contentsXml(o, enc, fetchOwner, name)),
      ...result.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]),
  );
}

async function deleteObjects(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 2 * 1024 * 1024), 'Delete');
  const quiet = (text(doc, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  const objects = children(doc, 'Object');
  if (objects.length === 0 || objects.length > 1000)
    throw new StorageError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema (1 to 1000 objects).',
    );
  const keys = objects.map((o) => {
    const k = text(o, 'Key');
    if (k === undefined) throw new StorageError('MalformedXML', 'Each Object needs a Key.');
    const v = text(o, 'VersionId');
    if (v && v !== 'null') throw notImplemented('Object versioning');
    return k;
  });
  const result = await r.deps.service.deleteObjects(r.ctx, bucket, keys);
  send(
    r,
    200,
    xmlDocument('DeleteResult', [
      ...(quiet ? [] : result.deleted.map((d) => node('Deleted', tag('Key', d.key)))),
      ...result.errors.map((e) =>
        node('Error', [tag('Key', e.key), tag('Code', e.code), tag('Message', e.message)]),
      ),
    ]),
  );
}

// ------------------------------------------------------------------ objects

async function putObject(r: S3Request, bucket: string, key: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  const attrs = objectAttributes(r);
  const result = await r.deps.service.putObject(r.ctx, bucket, key, bodyInput(r), attrs, {
    ifMatch: h(r, 'if-match') ?? null,
    ifNoneMatch: h(r, 'if-none-match') ?? null,
  });
  const headers: Record<string, string> = { etag: quoteEtag(result.etag) };
  if (result.checksum) {
    headers[headerFor(result.checksum.algorithm)] = result.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  send(r, 200, undefined, headers);
}

function checksumModeEnabled(r: S3Request): boolean {
  return (h(r, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED';
}

async function headObject(r: S3Request, bucket: string, key: string): Promise<void> {
  const info = await r.deps.service.headObject(r.ctx, bucket, key, conditions(r));
  const headers = objectHeaders(r, info, checksumModeEnabled(r));
  headers['content-length'] = info.size;
  send(r, 200, undefined, headers);
}

async function getObject(r: S3Request, bucket: string, key: string): Promise<void> {
  const { info, range, stream } = await r.deps.service.getObject(r.ctx, bucket, key, {
    range: h(r, 'range') ?? null,
    conditions: conditions(r),
  });
  const headers = objectHeaders(r, info, checksumModeEnabled(r) && !range);
  const { res } = r;
  for (const [k, v] of Object.entries(r.extraHeaders)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (range) {
    res.statusCode = 206;
    res.setHeader('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
    res.setHeader('content-length', range.end - range.start + 1);
  } else {
    res.statusCode = 200;
    res.setHeader('content-length', info.size);
  }
  await streamOut(stream, res, r);
}

/** Stream a file to the client; a client that goes away just ends the read. */
async function streamOut(stream: NodeJS.ReadableStream, res: ServerResponse, r: S3Request): Promise<void> {
  try {
    await pipeline(stream, res);
  } catch (err) {
    if (res.destroyed || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    r.deps.logger.error({ err, requestId: r.requestId }, 'object read failed mid-stream');
    res.destroy();
  }
}

async function copyObject(r: S3Request, bucket: string, key: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  const src = copySource(r)!;
  const directive = (h(r, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw new StorageError('InvalidArgument', 'Unknown metadata directive.', {
      ArgumentName: 'x-amz-metadata-directive',
      ArgumentValue: directive,
    });
  const algorithm = checksumAlgorithmHeader(r);
  await readSmallBody(r, 0);
  const result = await r.deps.service.copyObject(
    r.ctx,
    src,
    { bucket, key },
    {
      directive,
      attrs: objectAttributes(r),
      conditions: conditions(r, 'x-amz-copy-source-'),
      checksumAlgorithm: algorithm,
    },
  );
  send(
    r,
    200,
    xmlDocument('CopyObjectResult', [
      tag('LastModified', result.lastModified),
      tag('ETag', quoteEtag(result.etag)),
      ...(result.checksum ? [tag(`Checksum${result.checksum.algorithm}`, result.checksum.value)] : []),
    ]),
  );
}

// ------------------------------------------------------------------ multipart

async function createUpload(r: S3Request, bucket: string, key: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  const algorithm = checksumAlgorithmHeader(r);
  const type = (h(r, 'x-amz-checksum-type') ?? '').toUpperCase();
  if (type === 'FULL_OBJECT')
    throw notImplemented('Full-object checksums for multipart uploads (use COMPOSITE)');
  await readSmallBody(r, 64 * 1024);
  const upload = await r.deps.service.createUpload(r.ctx, bucket, key, objectAttributes(r), algorithm);
  const headers: Record<string, string> = {};
  if (algorithm) {
    headers['x-amz-checksum-algorithm'] = algorithm;
    headers['x-amz-checksum-type'] = 'COMPOSITE';
  }
  send(
    r,
    200,
    xmlDocument('InitiateMultipartUploadResult', [
      tag('Bucket', bucket),
      tag('Key', key),
      tag('UploadId', upload.uploadId),
    ]),
    headers,
  );
}

function partNumberParam(r: S3Request): number {
  const v = r.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS)
    throw new StorageError(
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: v,
      },
    );
  return n;
}

function uploadIdParam(r: S3Request): string {
  const id = r.query.get('uploadId');
  if (!id)
    throw new StorageError('InvalidArgument', 'This operation needs an uploadId', {
      ArgumentName: 'uploadId',
    });
  return id;
}

async function uploadPart(r: S3Request, bucket: string, key: string): Promise<void> {
  const uploadId = uploadIdParam(r);
  const partNumber = partNumberParam(r);
  const src = copySource(r);
  if (src) {
    await readSmallBody(r, 0);
    const result = await r.deps.service.uploadPartCopy(r.ctx, { bucket, key, uploadId, partNumber }, src, {
      range: h(r, 'x-amz-copy-source-range') ?? null,
      conditions: conditions(r, 'x-amz-copy-source-'),
    });
    return send(
      r,
      200,
      xmlDocument('CopyPartResult', [
        tag('LastModified', result.lastModified),
        tag('ETag', quoteEtag(result.etag)),
      ]),
    );
  }
  const result = await r.deps.service.uploadPart(r.ctx, bucket, key, uploadId, partNumber, bodyInput(r));
  const headers: Record<string, string> = { etag: quoteEtag(result.etag) };
  if (result.checksum) headers[headerFor(result.checksum.algorithm)] = result.checksum.value;
  send(r, 200, undefined, headers);
}

async function listParts(r: S3Request, bucket: string, key: string): Promise<void> {
  const uploadId = uploadIdParam(r);
  const marker = intParam(r, 'part-number-marker', 0);
  const maxParts = intParam(r, 'max-parts', 1000, 1000);
  const result = await r.deps.service.listParts(r.ctx, bucket, key, uploadId, { marker, maxParts });
  const alg = result.upload.checksumAlgorithm;
  const owner = ownerXml(result.upload.ownerId, null);
  send(
    r,
    200,
    xmlDocument('ListPartsResult', [
      tag('Bucket', bucket),
      tag('Key', key),
      tag('UploadId', uploadId),
      node('Initiator', [tag('ID', r.ctx.actor.id), tag('DisplayName', r.ctx.actor.username)]),
      owner,
      tag('StorageClass', 'STANDARD'),
      tag('PartNumberMarker', marker),
      tag('NextPartNumberMarker', result.nextMarker ?? marker),
      tag('MaxParts', maxParts),
      tag('IsTruncated', result.isTruncated),
      alg ? tag('ChecksumAlgorithm', alg) : '',
      alg ? tag('ChecksumType', 'COMPOSITE') : '',
      ...result.parts.map((p) =>
        node('Part', [
          tag('PartNumber', p.partNumber),
          tag('LastModified', p.lastModified),
          tag('ETag', quoteEtag(p.etag)),
          tag('Size', p.size),
          alg && p.checksum ? tag(`Checksum${alg}`, p.checksum) : '',
        ]),
      ),
    ]),
  );
}

async function listUploads(r: S3Request, bucket: string): Promise<void> {
  const enc = encoder(r);
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const keyMarker = r.query.get('key-marker') ?? '';
  const uploadIdMarker = r.query.get('upload-id-marker') ?? '';
  const maxUploads = intParam(r, 'max-uploads', 1000, 1000);
  const result = await r.deps.service.listUploads(r.ctx, bucket, {
    prefix,
    delimiter,
    keyMarker: keyMarker || undefined,
    uploadIdMarker: uploadIdMarker || undefined,
    maxUploads,
  });
  send(
    r,
    200,
    xmlDocument('ListMultipartUploadsResult', [
      tag('Bucket', bucket),
      tag('KeyMarker', enc(keyMarker)),
      tag('UploadIdMarker', uploadIdMarker),
      tag('NextKeyMarker', result.isTruncated && result.nextKeyMarker ? enc(result.nextKeyMarker) : ''),
      tag(
        'NextUploadIdMarker',
        result.isTruncated && result.nextUploadIdMarker ? result.nextUploadIdMarker : '',
      ),
      delimiter ? tag('Delimiter', enc(delimiter)) : '',
      tag('Prefix', prefix),
      tag('MaxUploads', maxUploads),
      r.query.has('encoding-type') ? tag('EncodingType', 'url') : '',
      tag('IsTruncated', result.isTruncated),
      ...result.uploads.map((u) =>
        node('Upload', [
          tag('Key', enc(u.key)),
          tag('UploadId', u.uploadId),
          node('Initiator', [tag('ID', u.ownerId), tag('DisplayName', u.ownerId)]),
          ownerXml(u.ownerId, null),
          tag('StorageClass', 'STANDARD'),
          tag('Initiated', u.initiated),
          u.checksumAlgorithm ? tag('ChecksumAlgorithm', u.checksumAlgorithm) : '',
        ]),
      ),
      ...result.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]),
  );
}

/**
 * CompleteMultipartUpload can take a while for big objects (the parts are concatenated). After
 * two seconds we commit to 200, send the XML declaration, and keep the connection alive with
 * whitespace; a late failure is then reported as an <Error> document inside the 200 (as S3 does,
 * and as the SDKs expect).
 */
async function completeUpload(r: S3Request, bucket: string, key: string): Promise<void> {
  const uploadId = uploadIdParam(r);
  const doc = parseXml(await readSmallBody(r, 4 * 1024 * 1024), 'CompleteMultipartUpload');
  const parts = children(doc, 'Part').map((p) => {
    const n = text(p, 'PartNumber');
    const etag = text(p, 'ETag');
    if (!n || !/^\d+$/.test(n.trim()) || etag === undefined)
      throw new StorageError('MalformedXML', 'Each Part needs a PartNumber and an ETag.');
    let checksum: string | null = null;
    for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as ChecksumAlgorithm[]) {
      const v = text(p, `Checksum${alg}`);
      if (v) checksum = v.trim();
    }
    return { partNumber: Number(n.trim()), etag: etag.trim(), checksum };
  });
  const { res } = r;
  let started = false;
  let keepAlive: NodeJS.Timeout | null = null;
  const start = () => {
    if (started || res.headersSent) return;
    started = true;
    for (const [k, v] of Object.entries(r.extraHeaders)) res.setHeader(k, v);
    res.writeHead(200, { 'content-type': XML });
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n');
    keepAlive = setInterval(() => res.write(' '), 10_000);
  };
  const timer = setTimeout(start, 2000);
  try {
    const result = await r.deps.service.completeUpload(r.ctx, bucket, key, uploadId, parts);
    const body = [
      tag(
        'Location',
        `${r.origin}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`,
      ),
      tag('Bucket', bucket),
      tag('Key', key),
      tag('ETag', quoteEtag(result.etag)),
      ...(result.checksum
        ? [
            tag(`Checksum${result.checksum.algorithm}`, result.checksum.value),
            tag('ChecksumType', 'COMPOSITE'),
          ]
        : []),
    ];
    if (started) {
      res.end(xmlDocument('CompleteMultipartUploadResult', body).replace(/^<\?xml[^>]*>\n/, ''));
    } else send(r, 200, xmlDocument('CompleteMultipartUploadResult', body), { etag: quoteEtag(result.etag) });
  } catch (err) {
    if (!started) throw err;
    const e =
      err instanceof StorageError
        ? err
        : new StorageError('InternalError', 'We encountered an internal error. Please try again.');
    if (!(err instanceof StorageError))
      r.deps.logger.error({ err, requestId: r.requestId }, 'multipart complete failed');
    res.end(
      errorXml(e.s3Code, e.message, r.resource, r.requestId, e.s3Fields).replace(/^<\?xml[^>]*>\n/, ''),
    );
  } finally {
    clearTimeout(timer);
    if (keepAlive) clearInterval(keepAlive);
  }
}
