/** S3 versioning operations: Get/PutBucketVersioning and ListObjectVersions. */
import { notImplemented, StorageError } from './storage.errors.ts';
import { quoteEtag } from './storage.http-conditions.ts';
import { encoder, intParam, ownerXml, send } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';

export async function getBucketVersioning(r: S3Request, bucket: string): Promise<void> {
  const state = await r.deps.service.getBucketVersioning(r.ctx, bucket);
  send(r, 200, xmlDocument('VersioningConfiguration', state ? tag('Status', state) : ''));
}

export async function putBucketVersioning(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'VersioningConfiguration');
  const status = text(doc, 'Status')?.trim();
  const mfa = text(doc, 'MfaDelete')?.trim();
  if (mfa !== undefined && mfa !== 'Disabled') {
    if (mfa !== 'Enabled') throw new StorageError('MalformedXML', 'MfaDelete must be Enabled or Disabled.');
    throw notImplemented('MFA delete');
  }
  if (status !== 'Enabled' && status !== 'Suspended')
    throw new StorageError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema (Status must be Enabled or Suspended).',
    );
  await r.deps.service.putBucketVersioning(r.ctx, bucket, status);
  send(r, 200);
}

export async function listObjectVersions(r: S3Request, bucket: string): Promise<void> {
  const enc = encoder(r);
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const keyMarker = r.query.get('key-marker') ?? '';
  const versionIdMarker = r.query.get('version-id-marker') ?? '';
  const maxKeys = intParam(r, 'max-keys', 1000, 1000);
  const result = await r.deps.service.listObjectVersions(r.ctx, bucket, {
    prefix,
    delimiter,
    keyMarker,
    versionIdMarker,
    maxKeys,
  });
  const names = await r.deps.service.usernames(result.entries.map((e) => e.ownerId));
  send(
    r,
    200,
    xmlDocument('ListVersionsResult', [
      tag('Name', bucket),
      tag('Prefix', prefix),
      tag('KeyMarker', enc(keyMarker)),
      tag('VersionIdMarker', versionIdMarker),
      result.nextKeyMarker !== null ? tag('NextKeyMarker', enc(result.nextKeyMarker)) : '',
      result.nextVersionIdMarker !== null ? tag('NextVersionIdMarker', result.nextVersionIdMarker) : '',
      tag('MaxKeys', maxKeys),
      delimiter ? tag('Delimiter', enc(delimiter)) : '',
      r.query.has('encoding-type') ? tag('EncodingType', 'url') : '',
      tag('IsTruncated', result.isTruncated),
      ...result.entries.map((e) =>
        e.isDeleteMarker
          ? node('DeleteMarker', [
              tag('Key', enc(e.key)),
              tag('VersionId', e.versionId ?? 'null'),
              tag('IsLatest', e.isLatest),
              tag('LastModified', e.lastModified),
              ownerXml(e.ownerId, names.get(e.ownerId) ?? null),
            ])
          : node('Version', [
              tag('Key', enc(e.key)),
              tag('VersionId', e.versionId ?? 'null'),
              tag('IsLatest', e.isLatest),
              tag('LastModified', e.lastModified),
              tag('ETag', quoteEtag(e.etag)),
              tag('Size', e.size),
              ownerXml(e.ownerId, names.get(e.ownerId) ?? null),
              tag('StorageClass', 'STANDARD'),
            ]),
      ),
      ...result.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]),
  );
}
