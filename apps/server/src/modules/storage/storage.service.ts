/**
 * Object storage: one service in three parts — buckets, objects and multipart uploads
 * (storage.buckets.service.ts, storage.objects.service.ts, storage.multipart.service.ts) over a
 * shared core (storage.core.ts) and pure HTTP semantics (storage.http-conditions.ts). This facade
 * keeps the one entry point the S3 layer, the REST routes and the jobs use.
 */
import { AccessService } from './storage.access.service.ts';
import { BucketsService } from './storage.buckets.service.ts';
import type { StorageEngine } from './storage.engine.ts';
import { LifecycleService } from './storage.lifecycle.service.ts';
import { KeyedLock } from './storage.locks.ts';
import { MultipartService } from './storage.multipart.service.ts';
import { ObjectLockService } from './storage.objectlock.service.ts';
import { ObjectsService } from './storage.objects.service.ts';
import { EncryptionService } from './storage.sse.service.ts';
import { ObjectTagsService } from './storage.tagging.service.ts';
import type { StorageServiceDeps } from './storage.types.ts';
import { VersionsService } from './storage.versions.service.ts';

export { validateTags } from './storage.core.ts';
export * from './storage.http-conditions.ts';
export * from './storage.types.ts';

export class StorageService {
  readonly buckets: BucketsService;
  readonly objects: ObjectsService;
  readonly multipart: MultipartService;
  readonly versions: VersionsService;
  readonly tagging: ObjectTagsService;
  readonly lifecycle: LifecycleService;
  readonly objectLock: ObjectLockService;
  /** Bucket policies, Public Access Block, ownership and ACLs. */
  readonly access: AccessService;
  /** Bucket default encryption (server-side encryption itself runs in the object paths). */
  readonly encryption: EncryptionService;

  constructor(deps: StorageServiceDeps) {
    const locks = new KeyedLock();
    this.buckets = new BucketsService(deps, locks);
    this.objects = new ObjectsService(deps, locks);
    this.multipart = new MultipartService(deps, locks);
    this.versions = new VersionsService(deps, locks);
    this.tagging = new ObjectTagsService(deps, locks);
    this.lifecycle = new LifecycleService(deps, locks);
    this.objectLock = new ObjectLockService(deps, locks);
    this.lifecycle.attach(this);
    this.access = new AccessService(deps, locks);
    this.encryption = new EncryptionService(deps, locks);
  }

  get engine(): StorageEngine {
    return this.buckets.engine;
  }

  // buckets
  readonly listBuckets: BucketsService['listBuckets'] = (...args) => this.buckets.listBuckets(...args);
  readonly getBucket: BucketsService['getBucket'] = (...args) => this.buckets.getBucket(...args);
  readonly headBucket: BucketsService['headBucket'] = (...args) => this.buckets.headBucket(...args);
  readonly createBucket: BucketsService['createBucket'] = (...args) => this.buckets.createBucket(...args);
  readonly deleteBucket: BucketsService['deleteBucket'] = (...args) => this.buckets.deleteBucket(...args);
  readonly getBucketTags: BucketsService['getBucketTags'] = (...args) => this.buckets.getBucketTags(...args);
  readonly putBucketTags: BucketsService['putBucketTags'] = (...args) => this.buckets.putBucketTags(...args);
  readonly getBucketCors: BucketsService['getBucketCors'] = (...args) => this.buckets.getBucketCors(...args);
  readonly putBucketCors: BucketsService['putBucketCors'] = (...args) => this.buckets.putBucketCors(...args);
  readonly corsRulesForBucket: BucketsService['corsRulesForBucket'] = (...args) =>
    this.buckets.corsRulesForBucket(...args);
  readonly presign: BucketsService['presign'] = (...args) => this.buckets.presign(...args);
  readonly usernames: BucketsService['usernames'] = (...args) => this.buckets.usernames(...args);
  readonly cleanup: BucketsService['cleanup'] = (...args) => this.buckets.cleanup(...args);
  readonly verifyStore: BucketsService['verifyStore'] = (...args) => this.buckets.verifyStore(...args);

  // objects
  readonly putObject: ObjectsService['putObject'] = (...args) => this.objects.putObject(...args);
  readonly headObject: ObjectsService['headObject'] = (...args) => this.objects.headObject(...args);
  readonly getObject: ObjectsService['getObject'] = (...args) => this.objects.getObject(...args);
  readonly deleteObject: ObjectsService['deleteObject'] = (...args) => this.objects.deleteObject(...args);
  readonly deleteObjects: ObjectsService['deleteObjects'] = (...args) => this.objects.deleteObjects(...args);
  readonly copyObject: ObjectsService['copyObject'] = (...args) => this.objects.copyObject(...args);
  readonly listObjects: ObjectsService['listObjects'] = (...args) => this.objects.listObjects(...args);

  // versioning
  readonly getBucketVersioning: VersionsService['getBucketVersioning'] = (...args) =>
    this.versions.getBucketVersioning(...args);
  readonly putBucketVersioning: VersionsService['putBucketVersioning'] = (...args) =>
    this.versions.putBucketVersioning(...args);
  readonly listObjectVersions: VersionsService['listObjectVersions'] = (...args) =>
    this.versions.listObjectVersions(...args);

  // object tagging
  readonly getObjectTags: ObjectTagsService['getObjectTags'] = (...args) =>
    this.tagging.getObjectTags(...args);
  readonly putObjectTags: ObjectTagsService['putObjectTags'] = (...args) =>
    this.tagging.putObjectTags(...args);

  // multipart
  readonly createUpload: MultipartService['createUpload'] = (...args) => this.multipart.createUpload(...args);
  readonly uploadPart: MultipartService['uploadPart'] = (...args) => this.multipart.uploadPart(...args);
  readonly uploadPartCopy: MultipartService['uploadPartCopy'] = (...args) =>
    this.multipart.uploadPartCopy(...args);
  readonly listParts: MultipartService['listParts'] = (...args) => this.multipart.listParts(...args);
  readonly listUploads: MultipartService['listUploads'] = (...args) => this.multipart.listUploads(...args);
  readonly abortUpload: MultipartService['abortUpload'] = (...args) => this.multipart.abortUpload(...args);
  readonly completeUpload: MultipartService['completeUpload'] = (...args) =>
    this.multipart.completeUpload(...args);

  // lifecycle
  readonly getBucketLifecycle: LifecycleService['getBucketLifecycle'] = (...args) =>
    this.lifecycle.getBucketLifecycle(...args);
  readonly putBucketLifecycle: LifecycleService['putBucketLifecycle'] = async (...args) => {
    const stored = await this.lifecycle.putBucketLifecycle(...args);
    this.access.invalidate(args[1]); // x-amz-expiration reads the rules from the access cache
    return stored;
  };
  readonly applyLifecycle: LifecycleService['applyLifecycle'] = (...args) =>
    this.lifecycle.applyLifecycle(...args);
}
