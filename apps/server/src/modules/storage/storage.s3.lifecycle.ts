/** S3 Get/PutBucketLifecycleConfiguration (DeleteBucketLifecycle is one line in the dispatcher). */
import { lifecycleXml, parseLifecycleXml } from './storage.lifecycle.ts';
import { send } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { parseXml } from './storage.s3.xml.ts';

export async function getBucketLifecycle(r: S3Request, bucket: string): Promise<void> {
  const rules = await r.deps.service.getBucketLifecycle(r.ctx, bucket);
  send(r, 200, lifecycleXml(rules));
}

export async function putBucketLifecycle(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 1024 * 1024), 'LifecycleConfiguration');
  await r.deps.service.putBucketLifecycle(r.ctx, bucket, parseLifecycleXml(doc));
  send(r, 200);
}
