/** S3 object tagging: Get/Put/DeleteObjectTagging, and the x-amz-tagging headers of writes. */
import { StorageError } from './storage.errors.ts';
import { h, send, versionHeaders, versionIdParam } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';
import { parseTaggingHeader } from './storage.tagging.service.ts';
import type { Tag } from './storage.types.ts';

/** Tags from `x-amz-tagging` (null: header absent). */
export function taggingHeader(r: S3Request): Tag[] | null {
  const v = h(r, 'x-amz-tagging');
  return v === undefined ? null : parseTaggingHeader(v);
}

/** CopyObject: the source's tags (COPY, default) or x-amz-tagging (REPLACE). */
export function copyTags(r: S3Request): Tag[] | null {
  const directive = (h(r, 'x-amz-tagging-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw new StorageError('InvalidArgument', 'Unknown tagging directive.', {
      ArgumentName: 'x-amz-tagging-directive',
      ArgumentValue: directive,
    });
  return directive === 'REPLACE' ? (taggingHeader(r) ?? []) : null;
}

export async function getObjectTagging(r: S3Request, bucket: string, key: string): Promise<void> {
  const result = await r.deps.service.getObjectTags(r.ctx, bucket, key, versionIdParam(r));
  send(
    r,
    200,
    xmlDocument(
      'Tagging',
      node(
        'TagSet',
        result.tags.map((t) => node('Tag', [tag('Key', t.key), tag('Value', t.value)])),
      ),
    ),
    versionHeaders(result.versioned, result.versionId),
  );
}

export async function putObjectTagging(r: S3Request, bucket: string, key: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'Tagging');
  const set = children(doc, 'TagSet');
  const tags: Tag[] = (set[0] ? children(set[0], 'Tag') : []).map((t) => ({
    key: text(t, 'Key') ?? '',
    value: text(t, 'Value') ?? '',
  }));
  const result = await r.deps.service.putObjectTags(r.ctx, bucket, key, tags, versionIdParam(r));
  send(r, 200, undefined, versionHeaders(result.versioned, result.versionId));
}

export async function deleteObjectTagging(r: S3Request, bucket: string, key: string): Promise<void> {
  const result = await r.deps.service.putObjectTags(r.ctx, bucket, key, null, versionIdParam(r));
  send(r, 204, undefined, versionHeaders(result.versioned, result.versionId));
}
