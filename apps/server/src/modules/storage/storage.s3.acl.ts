/**
 * ACL header checks the S3 operations call. The ACL operations themselves (grants, ownership
 * controls, the checks against ownership and the Public Access Block) are in
 * storage.s3.policy.ts on top of storage.access.service.ts.
 */
import { isCannedAcl } from './storage.access.ts';
import { StorageError } from './storage.errors.ts';
import { h } from './storage.s3.common.ts';
import type { S3Request } from './storage.s3.request.ts';

/**
 * x-amz-acl / x-amz-grant-* on writes: the S3 gate (storage.s3.policy.ts) checked them against
 * the bucket's ownership and Public Access Block and applies them after the write; here only
 * the canned ACL's name is checked.
 */
export function assertOwnerOnlyAclHeaders(r: S3Request): void {
  const acl = h(r, 'x-amz-acl');
  if (acl !== undefined && !isCannedAcl(acl))
    throw new StorageError('InvalidArgument', `Invalid canned ACL: ${acl}`, { ArgumentName: 'x-amz-acl' });
}

/** CreateBucket's x-amz-object-ownership: checked (and applied) by the S3 gate. */
export function assertObjectOwnershipHeader(_r: S3Request): void {}
