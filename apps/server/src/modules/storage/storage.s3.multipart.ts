/** S3 multipart operations: create, upload part (or copy a range), list parts, complete. */
import { type ChecksumAlgorithm, headerFor } from './storage.checksums.ts';
import { notImplemented, StorageError } from './storage.errors.ts';
import { quoteEtag } from './storage.http-conditions.ts';
import { MAX_PARTS } from './storage.names.ts';
import {
  conditions,
  copySource,
  h,
  intParam,
  objectAttributes,
  ownerXml,
  rejectUnsupportedWriteHeaders,
  send,
  versionHeaders,
  XML,
} from './storage.s3.common.ts';
import { writeLock } from './storage.s3.objectlock.ts';
import {
  bodyInput,
  checksumAlgorithmHeader,
  errorXml,
  readSmallBody,
  type S3Request,
} from './storage.s3.request.ts';
import { COPY_SOURCE_CUSTOMER, CUSTOMER, customerKey, sseHeaders, sseRequest } from './storage.s3.sse.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';

// ------------------------------------------------------------------ multipart

export async function createUpload(r: S3Request, bucket: string, key: string): Promise<void> {
  rejectUnsupportedWriteHeaders(r);
  const algorithm = checksumAlgorithmHeader(r);
  if (h(r, 'x-amz-tagging') !== undefined)
    throw notImplemented('x-amz-tagging on multipart uploads (tag the object after completing it)');
  const type = (h(r, 'x-amz-checksum-type') ?? '').toUpperCase();
  if (type === 'FULL_OBJECT')
    throw notImplemented('Full-object checksums for multipart uploads (use COMPOSITE)');
  const lock = await writeLock(r, bucket, 'multipart');
  await readSmallBody(r, 64 * 1024);
  const upload = await r.deps.service.createUpload(
    r.ctx,
    bucket,
    key,
    objectAttributes(r),
    algorithm,
    sseRequest(r),
  );
  if (lock) await r.deps.service.objectLock.setUploadLock(upload.uploadId, lock);
  const headers: Record<string, string> = sseHeaders(upload.encryption);
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

export function partNumberParam(r: S3Request): number {
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

export function uploadIdParam(r: S3Request): string {
  const id = r.query.get('uploadId');
  if (!id)
    throw new StorageError('InvalidArgument', 'This operation needs an uploadId', {
      ArgumentName: 'uploadId',
    });
  return id;
}

export async function uploadPart(r: S3Request, bucket: string, key: string): Promise<void> {
  const uploadId = uploadIdParam(r);
  const partNumber = partNumberParam(r);
  const src = copySource(r);
  if (src?.versionId !== undefined && src.versionId !== 'null')
    throw notImplemented('UploadPartCopy from a specific version (copy the version with CopyObject first)');
  if (src) {
    await readSmallBody(r, 0);
    const result = await r.deps.service.uploadPartCopy(r.ctx, { bucket, key, uploadId, partNumber }, src, {
      range: h(r, 'x-amz-copy-source-range') ?? null,
      conditions: conditions(r, 'x-amz-copy-source-'),
      customer: customerKey(r, CUSTOMER),
      sourceCustomer: customerKey(r, COPY_SOURCE_CUSTOMER),
    });
    return send(
      r,
      200,
      xmlDocument('CopyPartResult', [
        tag('LastModified', result.lastModified),
        tag('ETag', quoteEtag(result.etag)),
      ]),
      sseHeaders(result.encryption),
    );
  }
  const customer = customerKey(r, CUSTOMER);
  const result = await r.deps.service.uploadPart(r.ctx, bucket, key, uploadId, partNumber, {
    ...bodyInput(r),
    sse: customer ? { customer } : null,
  });
  const headers: Record<string, string> = { etag: quoteEtag(result.etag), ...sseHeaders(result.encryption) };
  if (result.checksum) headers[headerFor(result.checksum.algorithm)] = result.checksum.value;
  send(r, 200, undefined, headers);
}

export async function listParts(r: S3Request, bucket: string, key: string): Promise<void> {
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

export async function completeUpload(r: S3Request, bucket: string, key: string): Promise<void> {
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
  const customer = customerKey(r, CUSTOMER);
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
    } else
      send(r, 200, xmlDocument('CompleteMultipartUploadResult', body), {
        etag: quoteEtag(result.etag),
        ...sseHeaders(
          result.encryption?.mode === 'SSE-C'
            ? { mode: 'SSE-C', ...(customer ? { customerKeyMd5: customer.keyMd5 } : {}) }
            : result.encryption,
        ),
        ...versionHeaders(result.versioned, result.versionId),
      });
  } catch (err) {
    if (!started) throw err;
    const e =
      err instanceof StorageError
        ? err
        : new StorageError('InternalError', 'We encountered an internal error. Please try again.');
    if (!(err instanceof StorageError))
      r.deps.logger.error({ err, requestId: r.requestId }, 'multipart complete failed');
    res.end(
      errorXml(e.s3Code, e.s3Message ?? e.message, r.resource, r.requestId, e.s3Fields).replace(
        /^<\?xml[^>]*>\n/,
        '',
      ),
    );
  } finally {
    clearTimeout(timer);
    if (keepAlive) clearInterval(keepAlive);
  }
}
