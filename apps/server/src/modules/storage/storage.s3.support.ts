/**
 * What the S3 endpoint supports, as one table: docs/object-storage.md embeds `renderSupportTable()`
 * and storage.s3-support.test.ts checks both the docs and the behaviour (every row with a probe
 * is sent to the server: "not implemented" rows must answer 501 NotImplemented, the others must
 * not). Change behaviour → change this table → the test tells you to regenerate the docs.
 */

export type SupportStatus = 'yes' | 'partial' | 'no';

export interface SupportProbe {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** On the probe bucket (`bucket`) or its object (`object`). */
  target: 'bucket' | 'object' | 'service';
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** Sent without a signature (browser form uploads). */
  anonymous?: boolean;
}

export interface SupportRow {
  operations: string;
  status: SupportStatus;
  notes: string;
  probe?: SupportProbe;
}

export const S3_SUPPORT: readonly SupportRow[] = [
  {
    operations: 'ListBuckets',
    status: 'yes',
    notes: 'own buckets (admins: all); `prefix` filter',
    probe: { method: 'GET', target: 'service' },
  },
  {
    operations: 'CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation',
    status: 'yes',
    notes:
      '`LocationConstraint` accepted (every bucket is in the server region); creating a bucket you own answers 200 in us-east-1',
    probe: { method: 'HEAD', target: 'bucket' },
  },
  {
    operations: 'PutObject, GetObject, HeadObject, DeleteObject, CopyObject',
    status: 'yes',
    notes:
      'metadata, standard headers, `response-*` overrides, Range, conditional GET/HEAD/PUT/copy, `x-amz-metadata-directive`',
    probe: { method: 'GET', target: 'object' },
  },
  { operations: 'DeleteObjects', status: 'yes', notes: 'quiet mode, `VersionId` per object' },
  {
    operations: 'ListObjects (v1), ListObjectsV2',
    status: 'yes',
    notes:
      'prefix, delimiter, marker / continuation-token / start-after, max-keys, fetch-owner, `encoding-type=url` (keys and common prefixes %-encoded, top-level Prefix as sent)',
    probe: { method: 'GET', target: 'bucket', query: { 'list-type': '2' } },
  },
  {
    operations:
      'Multipart: Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts, ListMultipartUploads',
    status: 'yes',
    notes:
      'a repeated Complete answers the first result; a part listed twice: the last one counts; COMPOSITE checksums',
    probe: { method: 'GET', target: 'bucket', query: { uploads: '' } },
  },
  {
    operations: 'Content-MD5, x-amz-content-sha256, x-amz-checksum-*, aws-chunked',
    status: 'yes',
    notes: 'verified before commit; `Expect: 100-continue` answered only after authentication',
  },
  {
    operations:
      'Versioning: Put/GetBucketVersioning, ListObjectVersions, `versionId` on GET/HEAD/DELETE/copy',
    status: 'yes',
    notes: 'Enabled/Suspended, delete markers, null version, key/version-id markers',
    probe: { method: 'GET', target: 'bucket', query: { versions: '' } },
  },
  {
    operations: 'Bucket tagging, bucket CORS + preflight',
    status: 'yes',
    notes: '',
    probe: { method: 'GET', target: 'bucket', query: { tagging: '' } },
  },
  {
    operations: 'Presigned URLs (SigV4 query)',
    status: 'yes',
    notes: 'up to 7 days; expired: 403 `Request has expired`',
  },
  {
    operations:
      'Get/PutBucketAcl, Get/PutObjectAcl, Get/PutBucketOwnershipControls, `x-amz-acl` / `x-amz-grant-*` on CreateBucket, PUT and copy',
    status: 'yes',
    notes:
      'canned ACLs and grants (canonical user id, AllUsers/AuthenticatedUsers groups) enforced on access; `BucketOwnerEnforced` (the default) refuses ACLs beyond the owner with `AccessControlListNotSupported`, `BucketOwnerPreferred` enables them; `ObjectWriter` and ACLs on CreateMultipartUpload answer 501; object ACLs follow the current object (a new PUT resets them); e-mail grantees answer `UnresolvableGrantByEmailAddress` (users have no e-mail address)',
    probe: { method: 'GET', target: 'bucket', query: { acl: '' } },
  },
  {
    operations:
      'Bucket policies: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus; Put/Get/DeletePublicAccessBlock',
    status: 'yes',
    notes:
      'IAM policy language (Principal `*` / user ids and names, Action and Resource wildcards, NotPrincipal/NotAction/NotResource, String/Numeric/Date/Bool/IpAddress/Null/Arn conditions with IfExists and ForAnyValue/ForAllValues), explicit Deny > Allow > default deny on every S3 request, `MalformedPolicy` as S3 words it; the Public Access Block at bucket level (no account-level block)',
    probe: { method: 'GET', target: 'bucket', query: { policyStatus: '' } },
  },
  {
    operations: 'Get bucket website / replication',
    status: 'partial',
    notes: 'answer their "not configured" error; Delete* of them is a 204 no-op',
    probe: { method: 'GET', target: 'bucket', query: { website: '' } },
  },
  {
    operations: 'Object tagging: Put/Get/DeleteObjectTagging, `x-amz-tagging` on PUT and copy',
    status: 'yes',
    notes:
      'up to 10 tags per object, per version; `x-amz-tagging-count` on GET/HEAD; not on CreateMultipartUpload (501)',
    probe: { method: 'GET', target: 'object', query: { tagging: '' } },
  },
  {
    operations: 'Put/Get/DeleteBucketLifecycleConfiguration',
    status: 'partial',
    notes:
      'Expiration (Days, Date, ExpiredObjectDeleteMarker), NoncurrentVersionExpiration (with NewerNoncurrentVersions), AbortIncompleteMultipartUpload; filters by prefix, tags and object size; applied hourly (due at midnight UTC, as S3 rounds); Transition rules answer 501 (one storage class)',
    probe: { method: 'GET', target: 'bucket', query: { lifecycle: '' } },
  },
  {
    operations:
      'Object lock: `x-amz-bucket-object-lock-enabled`, Put/GetObjectLockConfiguration, Put/GetObjectRetention, Put/GetObjectLegalHold',
    status: 'yes',
    notes:
      'default retention (GOVERNANCE/COMPLIANCE, Days or Years); `x-amz-object-lock-*` on PUT, copy and multipart; deletes of locked versions 403; `x-amz-bypass-governance-retention` for admins only (`objects:bypass_governance`); lifecycle skips locked versions',
    probe: { method: 'GET', target: 'object', query: { retention: '' } },
  },
  {
    operations:
      'Server-side encryption: SSE-S3 (`x-amz-server-side-encryption: AES256`), SSE-C (`x-amz-server-side-encryption-customer-*`, `x-amz-copy-source-server-side-encryption-customer-*`)',
    status: 'yes',
    notes:
      'AES-256-GCM at rest, a key per blob (SSE-S3 data keys wrapped by the secrets master key and re-wrapped on its rotation; SSE-C keys never stored); PUT, GET (ranges), HEAD, copy, multipart and UploadPartCopy; SSE-C ETags are not the MD5; SSE-C over plain HTTP is accepted (see below); `x-amz-server-side-encryption` in POST forms',
    probe: {
      method: 'PUT',
      target: 'object',
      headers: { 'x-amz-server-side-encryption': 'AES256' },
      body: 'x',
    },
  },
  {
    operations: 'Put/Get/DeleteBucketEncryption',
    status: 'yes',
    notes:
      '`AES256` with `BucketKeyEnabled` (accepted, echoed); applied to new objects and uploads; a bucket without one answers `ServerSideEncryptionConfigurationNotFoundError` and stores plaintext',
    probe: { method: 'GET', target: 'bucket', query: { encryption: '' } },
  },
  {
    operations: 'SSE-KMS (`aws:kms`, `aws:kms:dsse`) on objects and as bucket default',
    status: 'no',
    notes: 'no key management service to pretend with',
    probe: {
      method: 'PUT',
      target: 'object',
      headers: { 'x-amz-server-side-encryption': 'aws:kms' },
      body: 'x',
    },
  },
  {
    operations: 'POST object (browser form uploads)',
    status: 'yes',
    notes:
      'POST policies signed with SigV4 (`x-amz-signature`) or SigV2 (`signature`); conditions exact/`eq`/`starts-with`/`content-length-range`, every field covered; `success_action_status` 200/201/204, `success_action_redirect`; the filename variable in `key`; `file` last',
    probe: {
      method: 'POST',
      target: 'bucket',
      anonymous: true,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--\r\n',
    },
  },
  {
    operations: 'AWS Signature Version 2 (header and presigned)',
    status: 'yes',
    notes:
      'legacy clients (aws-cli v1 `s3 presign`, s3cmd `signature_v2`, boto2); path and virtual-host style; `SignatureDoesNotMatch` shows the `StringToSign`, expired URLs 403 `Request has expired`, `Date` more than 15 min off 403 `RequestTimeTooSkewed`',
  },
  {
    operations: 'Website hosting',
    status: 'no',
    notes: '',
    probe: { method: 'PUT', target: 'bucket', query: { website: '' } },
  },
  {
    operations: 'Replication',
    status: 'no',
    notes: '',
    probe: { method: 'PUT', target: 'bucket', query: { replication: '' } },
  },
  {
    operations: 'Notifications',
    status: 'no',
    notes: '',
    probe: { method: 'GET', target: 'bucket', query: { notification: '' } },
  },
  {
    operations: 'Logging',
    status: 'no',
    notes: '',
    probe: { method: 'GET', target: 'bucket', query: { logging: '' } },
  },
  {
    operations: 'Inventory / analytics / metrics / intelligent-tiering',
    status: 'no',
    notes: '',
    probe: { method: 'GET', target: 'bucket', query: { inventory: '' } },
  },
  {
    operations: 'S3 Select',
    status: 'no',
    notes: '',
    probe: { method: 'POST', target: 'object', query: { select: '', 'select-type': '2' } },
  },
  {
    operations: 'RestoreObject',
    status: 'no',
    notes: '',
    probe: { method: 'POST', target: 'object', query: { restore: '' } },
  },
  {
    operations: 'GetObjectAttributes',
    status: 'no',
    notes: '',
    probe: { method: 'GET', target: 'object', query: { attributes: '' } },
  },
  {
    operations: 'GetObjectTorrent',
    status: 'no',
    notes: '',
    probe: { method: 'GET', target: 'object', query: { torrent: '' } },
  },
  {
    operations: 'HEAD/GET object `?partNumber`',
    status: 'no',
    notes: '',
    probe: { method: 'HEAD', target: 'object', query: { partNumber: '1' } },
  },
  {
    operations: 'Storage classes other than STANDARD',
    status: 'no',
    notes: '`400 InvalidArgument`',
  },
  { operations: 'SigV4A (ECDSA)', status: 'no', notes: '' },
  { operations: 'Full-object multipart checksums', status: 'no', notes: '' },
];

const LABEL: Record<SupportStatus, string> = {
  yes: '✅',
  partial: '◐ partial',
  no: '`501 NotImplemented`',
};

/** The Markdown table docs/object-storage.md embeds between the s3-support markers. */
export function renderSupportTable(): string {
  const lines = ['| Operation | Status | Notes |', '| --- | --- | --- |'];
  for (const row of S3_SUPPORT) lines.push(`| ${row.operations} | ${LABEL[row.status]} | ${row.notes} |`);
  return lines.join('\n');
}

export const SUPPORT_START = '<!-- s3-support:start (generated from storage.s3.support.ts) -->';
export const SUPPORT_END = '<!-- s3-support:end -->';
