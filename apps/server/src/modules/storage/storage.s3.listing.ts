/** S3 listings: ListObjects (v1), ListObjectsV2, ListMultipartUploads, ListObjectVersions. */
import { decodeCursor, encodeCursor, quoteEtag } from './storage.http-conditions.ts';
import { encoder, intParam, ownerXml, send } from './storage.s3.common.ts';
import type { S3Request } from './storage.s3.request.ts';
import { node, tag, xmlDocument } from './storage.s3.xml.ts';
import type { ObjectInfo } from './storage.types.ts';

// ------------------------------------------------------------------ listing

export function maxKeysParam(r: S3Request): number {
  return intParam(r, 'max-keys', 1000, 1000);
}

export function contentsXml(
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

export async function ownerName(r: S3Request, bucket: string): Promise<string | null> {
  const info = await r.deps.service.getBucket(r.ctx, bucket);
  return info.ownerUsername;
}

export async function listObjectsV1(r: S3Request, bucket: string): Promise<void> {
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

export async function listObjectsV2(r: S3Request, bucket: string): Promise<void> {
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

export async function listUploads(r: S3Request, bucket: string): Promise<void> {
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
