/** Bucket default encryption (Put/Get/DeleteBucketEncryption, and the REST API's equivalent). */
import { StorageCore } from './storage.core.ts';
import { StorageError } from './storage.errors.ts';
import type { BucketEncryption } from './storage.sse.ts';
import type { StorageContext } from './storage.types.ts';

export class EncryptionService extends StorageCore {
  /**
   * The bucket's default encryption. A bucket without one stores plaintext, and S3 answers
   * ServerSideEncryptionConfigurationNotFoundError, as AWS did before 2023
   * (docs/object-storage.md explains why new buckets are not encrypted by default here).
   */
  async getBucketEncryption(ctx: StorageContext, name: string): Promise<BucketEncryption | null> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    return this.deps.sse.bucketDefault(bucket.id);
  }

  async putBucketEncryption(
    ctx: StorageContext,
    name: string,
    cfg: BucketEncryption | null,
  ): Promise<BucketEncryption | null> {
    this.authorize(ctx, 'buckets', 'update');
    if (cfg && cfg.algorithm !== 'AES256')
      throw new StorageError('InvalidArgument', 'The only default encryption this server offers is AES256.');
    const bucket = await this.bucketFor(ctx, name);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.sse.setBucketDefault(trx, bucket.id, cfg);
      await this.record(
        ctx,
        trx,
        cfg ? 'buckets.put_encryption' : 'buckets.delete_encryption',
        'bucket',
        name,
        {
          bucket: name,
          ...(cfg ? { algorithm: cfg.algorithm, bucketKeyEnabled: cfg.bucketKeyEnabled } : {}),
        },
      );
    });
    return cfg;
  }
}
