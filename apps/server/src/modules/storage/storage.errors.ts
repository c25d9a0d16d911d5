import { AppError, type ErrorDetails } from '../../platform/errors.ts';

/**
 * Storage errors carry both faces: the S3 error code + HTTP status the S3 endpoint answers with
 * (`<Error><Code>NoSuchKey</Code>…`), and the JSON code the REST API answers with through the
 * platform's one error handler (`{error: {code: "not_found", …}}`).
 */
export type S3ErrorCode =
  | 'AccessDenied'
  | 'AccessControlListNotSupported'
  // bucket policies and ACLs (storage.access.ts)
  | 'MalformedPolicy'
  | 'UnresolvableGrantByEmailAddress'
  | 'InvalidBucketAclWithObjectOwnership'
  | 'MalformedACLError'
  | 'MissingSecurityHeader'
  | 'AuthorizationHeaderMalformed'
  | 'AuthorizationQueryParametersError'
  | 'BadDigest'
  | 'BucketAlreadyExists'
  | 'BucketAlreadyOwnedByYou'
  | 'BucketNotEmpty'
  | 'EntityTooLarge'
  | 'EntityTooSmall'
  | 'IncompleteBody'
  | 'InternalError'
  | 'InvalidAccessKeyId'
  | 'InvalidArgument'
  | 'InvalidBucketName'
  | 'InvalidDigest'
  | 'InvalidEncryptionAlgorithmError'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'InvalidRange'
  | 'InvalidRequest'
  | 'InvalidTag'
  | 'InvalidURI'
  | 'KeyTooLongError'
  | 'MalformedXML'
  | 'MetadataTooLarge'
  | 'MethodNotAllowed'
  | 'MissingContentLength'
  | 'NoSuchBucket'
  | 'NoSuchCORSConfiguration'
  | 'NoSuchKey'
  | 'NoSuchTagSet'
  | 'NoSuchUpload'
  | 'NoSuchVersion'
  | 'IllegalVersioningConfigurationException'
  | 'NotImplemented'
  | 'NotModified'
  | 'PreconditionFailed'
  | 'RequestTimeTooSkewed'
  | 'SignatureDoesNotMatch'
  | 'ServiceUnavailable'
  | 'XAmzContentSHA256Mismatch'
  // "not configured" answers for sub-resources we do not support but tools probe for
  | 'NoSuchBucketPolicy'
  | 'NoSuchLifecycleConfiguration'
  | 'NoSuchWebsiteConfiguration'
  | 'ServerSideEncryptionConfigurationNotFoundError'
  | 'ObjectLockConfigurationNotFoundError'
  | 'NoSuchObjectLockConfiguration'
  | 'InvalidBucketState'
  | 'InvalidPolicyDocument'
  | 'MalformedPOSTRequest'
  | 'ReplicationConfigurationNotFoundError'
  | 'OwnershipControlsNotFoundError'
  | 'NoSuchPublicAccessBlockConfiguration';

/** HTTP status per S3 code, and the REST API code it maps to. */
const TABLE: Record<S3ErrorCode, [status: number, rest: string, restStatus?: number]> = {
  AccessDenied: [403, 'forbidden'],
  AccessControlListNotSupported: [400, 'validation_error'],
  MalformedPolicy: [400, 'validation_error'],
  UnresolvableGrantByEmailAddress: [400, 'validation_error'],
  InvalidBucketAclWithObjectOwnership: [400, 'validation_error'],
  MalformedACLError: [400, 'validation_error'],
  MissingSecurityHeader: [400, 'validation_error'],
  AuthorizationHeaderMalformed: [400, 'validation_error'],
  AuthorizationQueryParametersError: [400, 'validation_error'],
  BadDigest: [400, 'bad_digest'],
  BucketAlreadyExists: [409, 'bucket_already_exists'],
  BucketAlreadyOwnedByYou: [409, 'bucket_already_owned_by_you'],
  BucketNotEmpty: [409, 'bucket_not_empty'],
  EntityTooLarge: [400, 'payload_too_large', 413],
  EntityTooSmall: [400, 'entity_too_small'],
  IncompleteBody: [400, 'incomplete_body'],
  InternalError: [500, 'internal_error'],
  InvalidAccessKeyId: [403, 'unauthorized', 401],
  InvalidArgument: [400, 'validation_error'],
  InvalidBucketName: [400, 'invalid_bucket_name'],
  InvalidDigest: [400, 'invalid_digest'],
  InvalidEncryptionAlgorithmError: [400, 'validation_error'],
  InvalidPart: [400, 'invalid_part'],
  InvalidPartOrder: [400, 'invalid_part_order'],
  InvalidRange: [416, 'invalid_range'],
  InvalidRequest: [400, 'validation_error'],
  InvalidTag: [400, 'validation_error'],
  InvalidURI: [400, 'validation_error'],
  KeyTooLongError: [400, 'key_too_long'],
  MalformedXML: [400, 'validation_error'],
  MetadataTooLarge: [400, 'metadata_too_large'],
  MethodNotAllowed: [405, 'method_not_allowed'],
  MissingContentLength: [411, 'length_required'],
  NoSuchBucket: [404, 'not_found'],
  NoSuchCORSConfiguration: [404, 'not_found'],
  NoSuchKey: [404, 'not_found'],
  NoSuchTagSet: [404, 'not_found'],
  NoSuchUpload: [404, 'not_found'],
  NoSuchVersion: [404, 'not_found'],
  IllegalVersioningConfigurationException: [400, 'validation_error'],
  NotImplemented: [501, 'not_implemented'],
  NotModified: [304, 'not_modified'],
  PreconditionFailed: [412, 'precondition_failed'],
  RequestTimeTooSkewed: [403, 'unauthorized'],
  SignatureDoesNotMatch: [403, 'unauthorized', 401],
  ServiceUnavailable: [503, 'unavailable'],
  XAmzContentSHA256Mismatch: [400, 'bad_digest'],
  NoSuchBucketPolicy: [404, 'not_found'],
  NoSuchLifecycleConfiguration: [404, 'not_found'],
  NoSuchWebsiteConfiguration: [404, 'not_found'],
  ServerSideEncryptionConfigurationNotFoundError: [404, 'not_found'],
  ObjectLockConfigurationNotFoundError: [404, 'not_found'],
  NoSuchObjectLockConfiguration: [404, 'not_found'],
  InvalidBucketState: [409, 'conflict'],
  InvalidPolicyDocument: [400, 'validation_error'],
  MalformedPOSTRequest: [400, 'validation_error'],
  ReplicationConfigurationNotFoundError: [404, 'not_found'],
  OwnershipControlsNotFoundError: [404, 'not_found'],
  NoSuchPublicAccessBlockConfiguration: [404, 'not_found'],
};

export class StorageError extends AppError {
  /** REST status (the platform error handler uses `status`). */
  readonly status: number;
  /** Status on the S3 endpoint. */
  readonly s3Status: number;
  readonly s3Code: S3ErrorCode;
  /** Extra XML elements for the S3 error document (e.g. BucketName, Key, ArgumentName). */
  readonly s3Fields: Record<string, string>;
  /** Response headers the S3 answer carries even as an error (e.g. x-amz-delete-marker). */
  s3Headers: Record<string, string> = {};
  /**
   * The message the S3 endpoint answers with when it differs from the REST one: S3 keeps AWS's exact
   * words while the REST message may name the offending value (see `malformedPolicy`).
   */
  s3Message: string | undefined;

  constructor(
    s3Code: S3ErrorCode,
    message: string,
    s3Fields: Record<string, string> = {},
    details?: ErrorDetails,
  ) {
    const [s3Status, rest, restStatus] = TABLE[s3Code];
    super(rest, message, details);
    this.s3Code = s3Code;
    this.s3Status = s3Status;
    this.status = restStatus ?? s3Status;
    this.s3Fields = s3Fields;
  }
}

export function s3Error(code: S3ErrorCode, message: string, fields?: Record<string, string>): StorageError {
  return new StorageError(code, message, fields);
}

/**
 * MalformedPolicy with AWS's message on the S3 endpoint, and for the REST API the same words followed
 * by the offending value (`Policy has invalid action: s3:Frobnicate`) plus `details: {field, value}`.
 */
export function malformedPolicy(message: string, offending?: { field: string; value: string }): StorageError {
  if (!offending) return new StorageError('MalformedPolicy', message);
  const err = new StorageError('MalformedPolicy', `${message}: ${offending.value}`, {}, offending);
  err.s3Message = message;
  return err;
}

export const noSuchBucket = (bucket: string) =>
  new StorageError('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new StorageError('NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string) =>
  new StorageError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const noSuchVersion = (key: string, versionId: string) =>
  new StorageError('NoSuchVersion', 'The specified version does not exist.', {
    Key: key,
    VersionId: versionId,
  });

/** An error that also sets S3 response headers. */
export function withHeaders(err: StorageError, headers: Record<string, string>): StorageError {
  err.s3Headers = { ...err.s3Headers, ...headers };
  return err;
}

export const notImplemented = (what: string) =>
  new StorageError('NotImplemented', `${what} is not implemented by ProxiCloud object storage`);
