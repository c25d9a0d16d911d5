/** The S3 operations: request parsing and XML answers; all rules live in the storage service. */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { headerFor } from './storage.checksums.ts';
import type { CorsRule } from './storage.cors.ts';
import { notImplemented, StorageError } from './storage.errors.ts';
import { quoteEtag } from './storage.http-conditions.ts';
import { assertObjectOwnershipHeader } from './storage.s3.acl.ts';
import {
  conditions,
  copySource,
  h,
  httpDate,
  objectAttributes,
  ownerXml,
  rejectUnsupportedWriteHeaders,
  requireBucket,
  send,
  versionHeaders,
  versionIdParam,
} from './storage.s3.common.ts';
import { getBucketLifecycle, putBucketLifecycle } from './storage.s3.lifecycle.ts';
import { listObjectsV1, listObjectsV2, listUploads } from './storage.s3.listing.ts';
import { completeUpload, createUpload, listParts, uploadPart } from './storage.s3.multipart.ts';
import {
  bypassGovernanceHeader,
  getObjectLegalHold,
  getObjectLockConfiguration,
  getObjectRetention,
  objectLockHeaders,
  putObjectLegalHold,
  putObjectLockConfiguration,
  putObjectRetention,
  writeLock,
} from './storage.s3.objectlock.ts';
import * as access from './storage.s3.policy.ts';
import { bodyInput, checksumAlgorithmHeader, readSmallBody, type S3Request } from './storage.s3.request.ts';
import {
  COPY_SOURCE_CUSTOMER,
  CUSTOMER,
  customerKey,
  deleteBucketEncryption,
  getBucketEncryption,
  putBucketEncryption,
  sseHeaders,
  sseRequest,
} from './storage.s3.sse.ts';
import {
  copyTags,
  deleteObjectTagging,
  getObjectTagging,
  putObjectTagging,
  taggingHeader,
} from './storage.s3.tagging.ts';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './storage.s3.versioning.ts';
import { children, node, parseXml, tag, text, texts, xmlDocument } from './storage.s3.xml.ts';
import type { ObjectInfo, Tag } from './storage.types.ts';

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
  if (info.tags.length > 0) out['x-amz-tagging-count'] = info.tags.length;
  Object.assign(out, sseHeaders(info.encryption));
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

const BUCKET_GET_NOT_CONFIGURED: Record<string, [string, string]> = {
  policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
  website: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  replication: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  publicAccessBlock: [
    'NoSuchPublicAccessBlockConfiguration',
    'The public access block configuration was not found',
  ],
};

const UNSUPPORTED_SUBRESOURCES = [
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'select',
  'restore',
  'torrent',
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
  r.ctx.bypassGovernance = bypassGovernanceHeader(r);
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
      if (q.has('acl')) return access.getBucketAcl(r, bucket);
      if (q.has('ownershipControls')) return access.getOwnershipControls(r, bucket);
      if (q.has('policy')) return access.getBucketPolicy(r, bucket);
      if (q.has('policyStatus')) return access.getBucketPolicyStatus(r, bucket);
      if (q.has('publicAccessBlock')) return access.getPublicAccessBlock(r, bucket);
      if (q.has('versioning')) return getBucketVersioning(r, bucket);
      if (q.has('versions')) return listObjectVersions(r, bucket);
      if (q.has('lifecycle')) return getBucketLifecycle(r, bucket);
      if (q.has('object-lock')) return getObjectLockConfiguration(r, bucket);
      if (q.has('encryption')) return getBucketEncryption(r, bucket);
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
      if (q.has('versioning')) return putBucketVersioning(r, bucket);
      if (q.has('lifecycle')) return putBucketLifecycle(r, bucket);
      if (q.has('object-lock')) return putObjectLockConfiguration(r, bucket);
      if (q.has('acl')) return access.putBucketAcl(r, bucket);
      if (q.has('ownershipControls')) return access.putOwnershipControls(r, bucket);
      if (q.has('policy')) return access.putBucketPolicy(r, bucket);
      if (q.has('publicAccessBlock')) return access.putPublicAccessBlock(r, bucket);
      if (q.has('encryption')) return putBucketEncryption(r, bucket);
      for (const name of [
        'policy',
        'website',
        'replication',
        'notification',
        'logging',
        'accelerate',
        'requestPayment',
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
      if (q.has('lifecycle')) {
        await svc.putBucketLifecycle(r.ctx, bucket, null);
        return send(r, 204);
      }
      if (q.has('policy')) return access.deleteBucketPolicy(r, bucket);
      if (q.has('publicAccessBlock')) return access.deletePublicAccessBlock(r, bucket);
      if (q.has('encryption')) return deleteBucketEncryption(r, bucket);
      for (const name of ['website', 'replication']) {
        if (q.has(name)) {
          // nothing configured, so nothing to delete
          await svc.headBucket(r.ctx, bucket);
          return send(r, 204);
        }
      }
      if (q.has('ownershipControls'))
        throw notImplemented('DeleteBucketOwnershipControls (buckets stay BucketOwnerEnforced)');
      for (const name of UNSUPPORTED_SUBRESOURCES) if (q.has(name)) throw notImplemented(`DELETE ?${name}`);
      await svc.deleteBucket(r.ctx, bucket);
      return send(r, 204);
    }
    case 'POST': {
      if (q.has('delete')) return deleteObjects(r, bucket);
      // form uploads (multipart/form-data) are handled before authentication: storage.s3.post.ts
      throw new StorageError(
        'InvalidArgument',
        'Bucket POST must be of the enclosure-type multipart/form-data',
      );
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
      if (q.has('acl')) return access.getObjectAcl(r, bucket, key);
      if (q.has('tagging')) return getObjectTagging(r, bucket, key);
      if (q.has('retention')) return getObjectRetention(r, bucket, key);
      if (q.has('legal-hold')) return getObjectLegalHold(r, bucket, key);
      for (const name of UNSUPPORTED_SUBRESOURCES)
        if (q.has(name)) throw notImplemented(`GET object ?${name}`);
      return getObject(r, bucket, key);
    case 'HEAD':
      if (q.has('partNumber')) throw notImplemented('HEAD object ?partNumber');
      return headObject(r, bucket, key);
    case 'PUT':
      if (q.has('uploadId') || q.has('partNumber')) return uploadPart(r, bucket, key);
      if (q.has('tagging')) return putObjectTagging(r, bucket, key);
      if (q.has('retention')) return putObjectRetention(r, bucket, key);
      if (q.has('legal-hold')) return putObjectLegalHold(r, bucket, key);
      if (q.has('acl')) return access.putObjectAcl(r, bucket, key);
      for (const name of UNSUPPORTED_SUBRESOURCES)
        if (q.has(name)) throw notImplemented(`PUT object ?${name}`);
      if (h(r, 'x-amz-copy-source') !== undefined) return copyObject(r, bucket, key);
      return putObject(r, bucket, key);
    case 'DELETE':
      if (q.has('uploadId')) {
        await svc.abortUpload(r.ctx, bucket, key, q.get('uploadId')!);
        return send(r, 204);
      }
      if (q.has('tagging')) return deleteObjectTagging(r, bucket, key);
      return deleteObject(r, bucket, key);
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
  assertObjectOwnershipHeader(r);
  const objectLock = (h(r, 'x-amz-bucket-object-lock-enabled') ?? '').trim().toLowerCase() === 'true';
  const body = await readSmallBody(r, 64 * 1024);
  if (body.length > 0 && body.toString('utf8').trim() !== '') {
    const doc = parseXml(body, 'CreateBucketConfiguration');
    text(doc, 'LocationConstraint'); // validated for shape; every bucket lives in this server's region
  }
  try {
    await r.deps.service.createBucket(r.ctx, bucket, { objectLock });
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
  await access.applyCreateBucketAccess(r, bucket);
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
    return v !== undefined ? { key: k, versionId: v.trim() } : { key: k };
  });
  const { allowed, denied } = await access.authorizeDeleteKeys(r, bucket, keys);
  const result =
    allowed.length > 0 || denied.length === 0
      ? await r.deps.service.deleteObjects(r.ctx, bucket, allowed)
      : { deleted: [], errors: [] };
  for (const d of denied)
    result.errors.push({
      key: d.key,
      code: 'AccessDenied',
      message: 'Access Denied',
      ...(d.versionId !== undefined ? { versionId: d.versionId } : {}),
    });
  send(
    r,
    200,
    xmlDocument('DeleteResult', [
      ...(quiet
        ? []
        : result.deleted.map((d) =>
            node('Deleted', [
              tag('Key', d.key),
              d.requestedVersionId !== undefined ? tag('VersionId', d.requestedVersionId) : '',
              d.deleteMarker ? tag('DeleteMarker', true) : '',
              d.deleteMarker && d.requestedVersionId === undefined
                ? tag('DeleteMarkerVersionId', d.versionId ?? 'null')
                : '',
            ]),
          )),
      ...result.errors.map((e) =>
        node('Error', [
          tag('Key', e.key),
          e.versionId ? tag('VersionId', e.versionId) : '',
          tag('Code', e.code),
          tag('Message', e.message),
        ]),
      ),
    ]),
  );
}

// ------------------------------------------------------------------ objects

async function putObject(r: S3Request, bucket: string, key: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  const attrs = objectAttributes(r);
  const tags = taggingHeader(r);
  const lock = await writeLock(r, bucket, 'put');
  const result = await r.deps.service.putObject(
    r.ctx,
    bucket,
    key,
    { ...bodyInput(r), sse: sseRequest(r) },
    attrs,
    { ifMatch: h(r, 'if-match') ?? null, ifNoneMatch: h(r, 'if-none-match') ?? null },
    tags,
    lock,
  );
  await access.applyObjectAcl(r, bucket, key);
  const headers: Record<string, string> = {
    etag: quoteEtag(result.etag),
    ...sseHeaders(result.encryption),
    ...versionHeaders(!!result.versioned, result.versionId),
    ...(await access.expirationHeaders(r, bucket, {
      key,
      size: result.size,
      lastModified: result.lastModified,
      tags: tags ?? [],
    })),
  };
  if (result.checksum) {
    headers[headerFor(result.checksum.algorithm)] = result.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  send(r, 200, undefined, headers);
}

async function deleteObject(r: S3Request, bucket: string, key: string): Promise<void> {
  const versionId = versionIdParam(r);
  const result = await r.deps.service.deleteObject(r.ctx, bucket, key, versionId);
  const headers: Record<string, string> = {};
  if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (versionId !== undefined) headers['x-amz-version-id'] = versionId;
  else if (result.deleteMarker) headers['x-amz-version-id'] = result.versionId ?? 'null';
  send(r, 204, undefined, headers);
}

function checksumModeEnabled(r: S3Request): boolean {
  return (h(r, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED';
}

async function headObject(r: S3Request, bucket: string, key: string): Promise<void> {
  const info = await r.deps.service.headObject(
    r.ctx,
    bucket,
    key,
    conditions(r),
    versionIdParam(r),
    customerKey(r, CUSTOMER),
  );
  const headers = objectHeaders(r, info, checksumModeEnabled(r));
  Object.assign(headers, versionHeaders(info.versioned, info.versionId));
  Object.assign(headers, await objectLockHeaders(r, bucket, info.versionId));
  Object.assign(
    headers,
    await access.expirationHeaders(r, bucket, info, { current: versionIdParam(r) === undefined }),
  );
  headers['content-length'] = info.size;
  send(r, 200, undefined, headers);
}

async function getObject(r: S3Request, bucket: string, key: string): Promise<void> {
  const versionId = versionIdParam(r);
  const { info, range, stream, versioned } = await r.deps.service.getObject(r.ctx, bucket, key, {
    range: h(r, 'range') ?? null,
    conditions: conditions(r),
    customer: customerKey(r, CUSTOMER),
    ...(versionId !== undefined ? { versionId } : {}),
  });
  const headers = objectHeaders(r, info, checksumModeEnabled(r) && !range);
  Object.assign(headers, versionHeaders(versioned, info.versionId));
  try {
    Object.assign(headers, await objectLockHeaders(r, bucket, info.versionId));
    Object.assign(
      headers,
      await access.expirationHeaders(r, bucket, info, { current: versionId === undefined }),
    );
  } catch (err) {
    stream.destroy(); // releases the blobs' lease
    throw err;
  }
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
  const lock = await writeLock(r, bucket, 'copy');
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
      tags: copyTags(r),
      lock,
      sse: sseRequest(r),
      sourceCustomer: customerKey(r, COPY_SOURCE_CUSTOMER),
    },
  );
  await access.applyObjectAcl(r, bucket, key);
  send(
    r,
    200,
    xmlDocument('CopyObjectResult', [
      tag('LastModified', result.lastModified),
      tag('ETag', quoteEtag(result.etag)),
      ...(result.checksum ? [tag(`Checksum${result.checksum.algorithm}`, result.checksum.value)] : []),
    ]),
    {
      ...sseHeaders(result.encryption),
      ...versionHeaders(result.versioned, result.versionId),
      ...(result.sourceVersioned ? { 'x-amz-copy-source-version-id': result.sourceVersionId ?? 'null' } : {}),
    },
  );
}
