/**
 * S3 access control on the wire: the gate every S3 request passes after authentication (bucket
 * policy, Public Access Block, ACLs; anonymous requests), and the operations that manage them:
 * Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus, Put/Get/DeletePublicAccessBlock,
 * Get/PutBucketAcl, Get/PutObjectAcl, Get/PutBucketOwnershipControls.
 */
import type { Actor } from '../../platform/db/repository.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import type { AccessState, AclView, ObjectOwnership } from './storage.access.service.ts';
import {
  aclAllows,
  aclPermissionFor,
  type ConditionContext,
  cannedGrants,
  evaluatePolicy,
  GRANT_HEADER_PERMISSIONS,
  type Grant,
  grantsOnlyOwner,
  isCannedAcl,
  isPublicAcl,
  type Permission,
  POLICY_MANAGEMENT_ACTIONS,
  type Principal,
  type PublicAccessBlock,
  parseGrantHeader,
} from './storage.access.ts';
import { notImplemented, StorageError } from './storage.errors.ts';
import { currentExpiry } from './storage.lifecycle.ts';
import { copySource, h, send } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';

/** The identity of unsigned requests (audit entries name it). */
export const ANONYMOUS_ACTOR: Actor = {
  id: 'anonymous',
  username: 'anonymous',
  role: 'operator',
  via: 'access_key',
};

function isAnonymous(r: S3Request): boolean {
  return (
    r.ctx.actor.id === ANONYMOUS_ACTOR.id && r.ctx.actor.via === 'access_key' && !r.ctx.actor.accessKeyId
  );
}

/** No Authorization header and no presigned parameters: an anonymous request. */
export function isUnsigned(authorization: string | undefined, params: Map<string, string>): boolean {
  if (authorization) return false;
  for (const p of ['X-Amz-Algorithm', 'X-Amz-Signature', 'X-Amz-Credential', 'AWSAccessKeyId', 'Signature'])
    if (params.has(p)) return false;
  return true;
}

function accessDenied(): StorageError {
  return new StorageError('AccessDenied', 'Access Denied');
}

// ------------------------------------------------------------------ request → action

const BUCKET_SUBRESOURCES: Record<string, [get: string, put: string, del: string]> = {
  location: ['GetBucketLocation', 'GetBucketLocation', 'GetBucketLocation'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'PutBucketTagging'],
  cors: ['GetBucketCORS', 'PutBucketCORS', 'PutBucketCORS'],
  uploads: ['ListBucketMultipartUploads', 'ListBucketMultipartUploads', 'ListBucketMultipartUploads'],
  acl: ['GetBucketAcl', 'PutBucketAcl', 'PutBucketAcl'],
  ownershipControls: [
    'GetBucketOwnershipControls',
    'PutBucketOwnershipControls',
    'PutBucketOwnershipControls',
  ],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning', 'PutBucketVersioning'],
  versions: ['ListBucketVersions', 'ListBucketVersions', 'ListBucketVersions'],
  lifecycle: ['GetLifecycleConfiguration', 'PutLifecycleConfiguration', 'PutLifecycleConfiguration'],
  policyStatus: ['GetBucketPolicyStatus', 'GetBucketPolicyStatus', 'GetBucketPolicyStatus'],
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  publicAccessBlock: [
    'GetBucketPublicAccessBlock',
    'PutBucketPublicAccessBlock',
    'PutBucketPublicAccessBlock',
  ],
  encryption: ['GetEncryptionConfiguration', 'PutEncryptionConfiguration', 'PutEncryptionConfiguration'],
  'object-lock': [
    'GetBucketObjectLockConfiguration',
    'PutBucketObjectLockConfiguration',
    'PutBucketObjectLockConfiguration',
  ],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  replication: ['GetReplicationConfiguration', 'PutReplicationConfiguration', 'PutReplicationConfiguration'],
  notification: ['GetBucketNotification', 'PutBucketNotification', 'PutBucketNotification'],
  logging: ['GetBucketLogging', 'PutBucketLogging', 'PutBucketLogging'],
  accelerate: ['GetAccelerateConfiguration', 'PutAccelerateConfiguration', 'PutAccelerateConfiguration'],
  requestPayment: ['GetBucketRequestPayment', 'PutBucketRequestPayment', 'PutBucketRequestPayment'],
};

/** The IAM action an S3 request needs (`s3:GetObject`, …), as AWS's authorization reference maps them. */
export function s3ActionOf(
  method: string,
  hasBucket: boolean,
  hasKey: boolean,
  q: Map<string, string>,
): string {
  if (!hasBucket) return 's3:ListAllMyBuckets';
  const versioned = q.has('versionId');
  if (!hasKey) {
    for (const [name, [get, put, del]] of Object.entries(BUCKET_SUBRESOURCES))
      if (q.has(name)) return `s3:${method === 'PUT' ? put : method === 'DELETE' ? del : get}`;
    if (method === 'PUT') return 's3:CreateBucket';
    if (method === 'DELETE') return 's3:DeleteBucket';
    if (method === 'POST') return q.has('delete') ? 's3:DeleteObject' : 's3:PutObject'; // DeleteObjects / POST object
    return 's3:ListBucket';
  }
  const v = (plain: string, version: string) => `s3:${versioned ? version : plain}`;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (q.has('uploadId')) return 's3:ListMultipartUploadParts';
      if (q.has('acl')) return v('GetObjectAcl', 'GetObjectVersionAcl');
      if (q.has('tagging')) return v('GetObjectTagging', 'GetObjectVersionTagging');
      if (q.has('retention')) return 's3:GetObjectRetention';
      if (q.has('legal-hold')) return 's3:GetObjectLegalHold';
      if (q.has('attributes')) return v('GetObjectAttributes', 'GetObjectVersionAttributes');
      return v('GetObject', 'GetObjectVersion');
    case 'PUT':
      if (q.has('tagging')) return v('PutObjectTagging', 'PutObjectVersionTagging');
      if (q.has('acl')) return v('PutObjectAcl', 'PutObjectVersionAcl');
      if (q.has('retention')) return 's3:PutObjectRetention';
      if (q.has('legal-hold')) return 's3:PutObjectLegalHold';
      return 's3:PutObject';
    case 'DELETE':
      if (q.has('uploadId')) return 's3:AbortMultipartUpload';
      if (q.has('tagging')) return v('DeleteObjectTagging', 'DeleteObjectVersionTagging');
      return v('DeleteObject', 'DeleteObjectVersion');
    case 'POST':
      if (q.has('restore')) return 's3:RestoreObject';
      if (q.has('select')) return 's3:GetObject';
      return 's3:PutObject';
    default:
      return 's3:GetObject';
  }
}

// ------------------------------------------------------------------ condition context

function headerValues(r: S3Request, name: string): string[] | undefined {
  const v = h(r, name);
  return v === undefined ? undefined : [v];
}

async function conditionContext(
  r: S3Request,
  principal: Principal,
  state: AccessState,
  key: string | null,
): Promise<ConditionContext> {
  const now = r.deps.clock.now();
  const authorization = h(r, 'authorization');
  const signed = !principal.anonymous;
  const query = r.query.has('X-Amz-Signature') || r.query.has('Signature');
  const ctx: ConditionContext = {
    'aws:sourceip': [r.ctx.ip],
    'aws:securetransport': [String(r.origin.startsWith('https:'))],
    'aws:currenttime': [now.toISOString()],
    'aws:epochtime': [String(Math.floor(now.getTime() / 1000))],
    'aws:useragent': headerValues(r, 'user-agent'),
    'aws:referer': headerValues(r, 'referer'),
    'aws:principaltype': [principal.anonymous ? 'Anonymous' : 'User'],
    'aws:userid': principal.anonymous ? undefined : [principal.id],
    'aws:username': principal.anonymous ? undefined : [principal.username],
    'aws:principalarn': principal.anonymous
      ? undefined
      : [`arn:aws:iam::${principal.id}:user/${principal.username}`],
    's3:prefix':
      r.key === null && r.query.has('prefix') ? [r.query.get('prefix')!] : r.key === null ? [''] : undefined,
    's3:delimiter': r.key === null ? headerOrQuery(r, 'delimiter') : undefined,
    's3:max-keys': r.key === null ? headerOrQuery(r, 'max-keys') : undefined,
    's3:versionid': r.query.has('versionId') ? [r.query.get('versionId')!] : undefined,
    's3:signatureversion': signed
      ? [authorization?.startsWith('AWS ') || r.query.has('AWSAccessKeyId') ? 'AWS' : 'AWS4-HMAC-SHA256']
      : undefined,
    's3:authtype': signed ? [query ? 'REST-QUERY-STRING' : 'REST-HEADER'] : undefined,
  };
  for (const name of [
    'x-amz-acl',
    'x-amz-content-sha256',
    'x-amz-copy-source',
    'x-amz-metadata-directive',
    'x-amz-server-side-encryption',
    'x-amz-server-side-encryption-customer-algorithm',
    'x-amz-storage-class',
    'x-amz-grant-read',
    'x-amz-grant-write',
    'x-amz-grant-read-acp',
    'x-amz-grant-write-acp',
    'x-amz-grant-full-control',
  ])
    ctx[`s3:${name}`] = headerValues(r, name);
  const tagging = h(r, 'x-amz-tagging');
  if (tagging !== undefined) {
    const keys: string[] = [];
    for (const [k, v] of new URLSearchParams(tagging)) {
      keys.push(k);
      ctx[`s3:requestobjecttag/${k.toLowerCase()}`] = [v];
    }
    ctx['s3:requestobjecttagkeys'] = keys;
  }
  if (state.policy?.usesExistingObjectTags && key !== null) {
    const row = await r.deps.service.access.objectAcl(state.bucketId, key);
    const tags = row?.row.tags ? (JSON.parse(row.row.tags) as { key: string; value: string }[]) : [];
    for (const t of tags) ctx[`s3:existingobjecttag/${t.key.toLowerCase()}`] = [t.value];
  }
  return ctx;
}

function headerOrQuery(r: S3Request, name: string): string[] | undefined {
  const v = r.query.get(name);
  return v === undefined ? undefined : [v];
}

// ------------------------------------------------------------------ the gate

type Outcome = 'owner' | 'granted' | 'none';

/**
 * Decide one (bucket, key, action) for the caller: an explicit Deny in the policy refuses
 * (the owner keeps the policy actions, so a policy cannot lock them out); the owner and admins
 * need nothing else; others need an Allow from the policy (ignored for public policies under
 * RestrictPublicBuckets) or an ACL grant (when ACLs are enabled; public grants ignored under
 * IgnorePublicAcls).
 */
async function decide(
  r: S3Request,
  principal: Principal,
  state: AccessState,
  bucket: string,
  key: string | null,
  action: string,
): Promise<Outcome> {
  const actor = r.ctx.actor;
  const isOwner = !principal.anonymous && (actor.id === state.ownerId || isAdmin(actor));
  if (!state.policy && isOwner) return 'owner'; // the hot path: no policy, own bucket
  const block: PublicAccessBlock | null = state.publicAccessBlock;
  if (state.policy) {
    const resource = key !== null ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`;
    const context = await conditionContext(r, principal, state, key);
    const decision = evaluatePolicy(state.policy, { principal, action, resource, context });
    if (decision === 'Deny' && !(isOwner && POLICY_MANAGEMENT_ACTIONS.has(action))) throw accessDenied();
    if (isOwner) return 'owner';
    if (decision === 'Allow' && !(state.policyIsPublic && block?.restrictPublicBuckets)) return 'granted';
  }
  if (state.ownership === 'BucketOwnerEnforced') return 'none';
  const need = aclPermissionFor(action);
  if (!need) return 'none';
  const ignorePublic = block?.ignorePublicAcls ?? false;
  if (need.on === 'bucket')
    return aclAllows(state.acl, principal, need.permission, { ignorePublic }) ? 'granted' : 'none';
  if (key === null || r.query.has('versionId')) return 'none';
  const obj = await r.deps.service.access.objectAcl(state.bucketId, key);
  return obj && aclAllows(obj.grants, principal, need.permission, { ignorePublic }) ? 'granted' : 'none';
}

function grant(r: S3Request, bucketId: string): void {
  if (!r.ctx.s3Grants) r.ctx.s3Grants = new Set();
  r.ctx.s3Grants.add(bucketId);
}

/** ACLs requested with a write (x-amz-acl / x-amz-grant-*), checked before the write, applied after it. */
const pendingAcls = new WeakMap<S3Request, Grant[]>();

async function requestedGrants(
  r: S3Request,
  ownerId: string,
  bucketOwnerId: string,
): Promise<Grant[] | null> {
  const canned = h(r, 'x-amz-acl');
  const headerGrants = Object.keys(GRANT_HEADER_PERMISSIONS).filter((n) => h(r, n) !== undefined);
  if (canned === undefined && headerGrants.length === 0) return null;
  if (canned !== undefined && headerGrants.length > 0)
    throw new StorageError('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (canned !== undefined) {
    if (!isCannedAcl(canned))
      throw new StorageError('InvalidArgument', `Invalid canned ACL: ${canned}`, {
        ArgumentName: 'x-amz-acl',
        ArgumentValue: canned,
      });
    return cannedGrants(canned, ownerId, bucketOwnerId);
  }
  const raw: Array<{ kind: 'id' | 'uri' | 'emailAddress'; value: string; permission: Permission }> = [];
  for (const name of headerGrants)
    for (const g of parseGrantHeader(h(r, name)!))
      raw.push({ ...g, permission: GRANT_HEADER_PERMISSIONS[name]! });
  return r.deps.service.access.resolveGrants(raw);
}

/**
 * Every S3 request passes here after authentication: anonymous callers need a policy or ACL
 * grant; other users' grants open the bucket to this one request (ctx.s3Grants).
 */
export async function authorizeS3Request(r: S3Request): Promise<void> {
  const anonymous = isAnonymous(r);
  const actor = r.ctx.actor;
  const principal: Principal = anonymous
    ? { anonymous: true }
    : { anonymous: false, id: actor.id, username: actor.username };
  if (!r.bucket) {
    if (anonymous) throw accessDenied();
    return;
  }
  const action = s3ActionOf(r.method, true, r.key !== null, r.query);
  const access = r.deps.service.access;
  if (
    action === 's3:CreateBucket' ||
    action === 's3:DeleteBucket' ||
    action === 's3:PutLifecycleConfiguration'
  )
    access.invalidate(r.bucket);
  const state = await access.state(r.bucket);
  if (!state) {
    // no such bucket: the operation answers NoSuchBucket; nobody anonymous creates buckets
    if (anonymous && action === 's3:CreateBucket') throw accessDenied();
    if (action === 's3:CreateBucket') await checkCreateBucketAcl(r, actor.id);
    return;
  }
  // DeleteObjects is decided per key once its body is read (authorizeDeleteKeys)
  if (r.method === 'POST' && r.key === null && r.query.has('delete')) return;
  const outcome = await decide(r, principal, state, r.bucket, r.key, action);
  if (outcome === 'granted') grant(r, state.bucketId);
  else if (outcome === 'none' && anonymous) throw accessDenied();
  // CopyObject / UploadPartCopy read the source: s3:GetObject on it
  const src = r.key !== null && r.method === 'PUT' ? copySource(r) : null;
  if (src) {
    const srcState = await access.state(src.bucket);
    if (srcState) {
      const srcAction = src.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject';
      const o = await decide(r, principal, srcState, src.bucket, src.key, srcAction);
      if (o === 'granted') grant(r, srcState.bucketId);
      else if (o === 'none' && anonymous) throw accessDenied();
    }
  }
  // ACLs sent with writes
  if (action === 's3:PutObject' && r.key !== null && !r.query.has('uploadId') && !r.query.has('partNumber')) {
    const grants = await requestedGrants(r, state.ownerId, state.ownerId);
    if (grants && !grantsOnlyOwner(grants, state.ownerId)) {
      if (r.method === 'POST')
        throw notImplemented(
          'ACLs on CreateMultipartUpload (set the ACL with PutObjectAcl after completing)',
        );
      await access.assertAclAllowed(r.bucket, grants, state.ownerId);
      pendingAcls.set(r, grants);
    }
  }
}

/**
 * DeleteObjects: s3:DeleteObject (or s3:DeleteObjectVersion) per key, as S3 decides it; keys the
 * caller may not delete come back as AccessDenied entries of the result, the rest are deleted.
 */
export async function authorizeDeleteKeys<K extends { key: string; versionId?: string }>(
  r: S3Request,
  bucket: string,
  keys: K[],
): Promise<{ allowed: K[]; denied: K[] }> {
  const state = await r.deps.service.access.state(bucket);
  if (!state) return { allowed: keys, denied: [] }; // the operation answers NoSuchBucket
  const anonymous = isAnonymous(r);
  const principal: Principal = anonymous
    ? { anonymous: true }
    : { anonymous: false, id: r.ctx.actor.id, username: r.ctx.actor.username };
  const allowed: K[] = [];
  const denied: K[] = [];
  let decided = false; // some key was opened by a grant or closed by an explicit Deny
  for (const k of keys) {
    const action = k.versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
    let outcome: Outcome | 'denied';
    try {
      outcome = await decide(r, principal, state, bucket, k.key, action);
    } catch (err) {
      if (!(err instanceof StorageError && err.s3Code === 'AccessDenied')) throw err;
      outcome = 'denied';
    }
    if (outcome === 'owner' || outcome === 'granted') allowed.push(k);
    else denied.push(k);
    if (outcome === 'granted') grant(r, state.bucketId);
    if (outcome !== 'none') decided = true;
  }
  // nothing in the policy or ACLs speaks to this caller: refused as a whole, as before
  if (!decided) throw accessDenied();
  return { allowed, denied };
}

/** CreateBucket: x-amz-object-ownership and the ACL headers must agree (S3's rules). */
async function checkCreateBucketAcl(r: S3Request, ownerId: string): Promise<void> {
  const ownership = (h(r, 'x-amz-object-ownership') ?? 'BucketOwnerEnforced') as ObjectOwnership;
  if (!['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership))
    throw new StorageError('InvalidArgument', 'Invalid x-amz-object-ownership header', {
      ArgumentName: 'x-amz-object-ownership',
      ArgumentValue: ownership,
    });
  if (ownership === 'ObjectWriter')
    throw notImplemented('Object ownership ObjectWriter (objects are always owned by the bucket owner)');
  const grants = await requestedGrants(r, ownerId, ownerId);
  if (grants && !grantsOnlyOwner(grants, ownerId)) {
    if (ownership === 'BucketOwnerEnforced')
      throw new StorageError(
        'InvalidBucketAclWithObjectOwnership',
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
      );
    pendingAcls.set(r, grants);
  }
}

/** After CreateBucket: store the ownership and ACL the request asked for. */
export async function applyCreateBucketAccess(r: S3Request, bucket: string): Promise<void> {
  const ownership = h(r, 'x-amz-object-ownership') as ObjectOwnership | undefined;
  const access = r.deps.service.access;
  if (ownership === 'BucketOwnerPreferred') await access.putOwnership(r.ctx, bucket, ownership);
  const grants = pendingAcls.get(r);
  if (grants) await access.putBucketAcl(r.ctx, bucket, grants);
}

/** After PutObject / CopyObject: store the object ACL the request asked for. */
export async function applyObjectAcl(r: S3Request, bucket: string, key: string): Promise<void> {
  const grants = pendingAcls.get(r);
  if (grants) await r.deps.service.access.putObjectAcl(r.ctx, bucket, key, grants);
}

// ------------------------------------------------------------------ x-amz-expiration

/**
 * `x-amz-expiration: expiry-date="…", rule-id="…"` for the current version of an object that a
 * lifecycle expiration rule applies to (PUT, HEAD, GET), as S3 sends it.
 */
export async function expirationHeaders(
  r: S3Request,
  bucket: string,
  o: { key: string; size: number; lastModified: string; tags: { key: string; value: string }[] },
  opts: { current?: boolean } = {},
): Promise<Record<string, string>> {
  if (opts.current === false) return {};
  const state = await r.deps.service.access.state(bucket);
  if (!state || state.expirationRules.length === 0) return {};
  const due = currentExpiry(
    state.expirationRules,
    { key: o.key, size: o.size, tags: o.tags },
    o.lastModified,
  );
  if (!due) return {};
  return {
    'x-amz-expiration': `expiry-date="${new Date(due.at).toUTCString()}", rule-id="${due.ruleId.replace(/"/g, '')}"`,
  };
}

// ------------------------------------------------------------------ policy operations

export async function getBucketPolicy(r: S3Request, bucket: string): Promise<void> {
  const text = await r.deps.service.access.getPolicy(r.ctx, bucket);
  const { res } = r;
  for (const [k, v] of Object.entries(r.extraHeaders)) res.setHeader(k, v);
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

export async function putBucketPolicy(r: S3Request, bucket: string): Promise<void> {
  const body = await readSmallBody(r, 64 * 1024);
  await r.deps.service.access.putPolicy(r.ctx, bucket, body.toString('utf8'));
  send(r, 204);
}

export async function deleteBucketPolicy(r: S3Request, bucket: string): Promise<void> {
  await r.deps.service.access.deletePolicy(r.ctx, bucket);
  send(r, 204);
}

export async function getBucketPolicyStatus(r: S3Request, bucket: string): Promise<void> {
  const { isPublic } = await r.deps.service.access.policyStatus(r.ctx, bucket);
  send(r, 200, xmlDocument('PolicyStatus', tag('IsPublic', isPublic)));
}

const PAB_FIELDS: [xml: string, key: keyof PublicAccessBlock][] = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
];

export async function getPublicAccessBlock(r: S3Request, bucket: string): Promise<void> {
  const block = await r.deps.service.access.getPublicAccessBlock(r.ctx, bucket);
  send(
    r,
    200,
    xmlDocument(
      'PublicAccessBlockConfiguration',
      PAB_FIELDS.map(([x, k]) => tag(x, block[k])),
    ),
  );
}

export async function putPublicAccessBlock(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'PublicAccessBlockConfiguration');
  const block = {} as PublicAccessBlock;
  for (const [x, k] of PAB_FIELDS) {
    const v = text(doc, x)?.trim().toLowerCase();
    if (v !== undefined && v !== 'true' && v !== 'false')
      throw new StorageError('MalformedXML', `${x} must be true or false.`);
    block[k] = v === 'true';
  }
  await r.deps.service.access.putPublicAccessBlock(r.ctx, bucket, block);
  send(r, 200);
}

export async function deletePublicAccessBlock(r: S3Request, bucket: string): Promise<void> {
  await r.deps.service.access.putPublicAccessBlock(r.ctx, bucket, null);
  send(r, 204);
}

// ------------------------------------------------------------------ ACL operations

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export function aclDocument(view: AclView, names: Map<string, string> = new Map()): string {
  const owner = [tag('ID', view.ownerId), tag('DisplayName', view.ownerName ?? view.ownerId)];
  const grants = view.grants.map((g) => {
    const grantee =
      g.grantee.type === 'CanonicalUser'
        ? `<Grantee ${XSI} xsi:type="CanonicalUser">${tag('ID', g.grantee.id)}${
            g.grantee.id === view.ownerId
              ? tag('DisplayName', view.ownerName ?? view.ownerId)
              : names.has(g.grantee.id)
                ? tag('DisplayName', names.get(g.grantee.id)!)
                : ''
          }</Grantee>`
        : `<Grantee ${XSI} xsi:type="Group">${tag('URI', g.grantee.uri)}</Grantee>`;
    return `<Grant>${grantee}${tag('Permission', g.permission)}</Grant>`;
  });
  return xmlDocument('AccessControlPolicy', [node('Owner', owner), node('AccessControlList', grants)]);
}

/** The grants of a Put*Acl request: x-amz-acl, x-amz-grant-*, or an AccessControlPolicy body. */
async function grantsOfAclRequest(r: S3Request, ownerId: string, bucketOwnerId: string): Promise<Grant[]> {
  const fromHeaders = await requestedGrants(r, ownerId, bucketOwnerId);
  const body = await readSmallBody(r, 64 * 1024);
  const hasBody = body.length > 0 && body.toString('utf8').trim() !== '';
  if (fromHeaders && hasBody)
    throw new StorageError('InvalidRequest', 'Send the ACL either in headers or in the body, not both');
  if (fromHeaders) return fromHeaders;
  if (!hasBody)
    throw new StorageError('MissingSecurityHeader', 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  const doc = parseXml(body, 'AccessControlPolicy');
  const owner = children(doc, 'Owner')[0];
  const ownerIdInDoc = owner ? text(owner, 'ID')?.trim() : undefined;
  if (ownerIdInDoc !== undefined && ownerIdInDoc !== ownerId)
    throw new StorageError('AccessDenied', 'Access Denied (the ACL cannot change the owner)');
  const list = children(doc, 'AccessControlList')[0];
  const raw: Array<{ kind: 'id' | 'uri' | 'emailAddress'; value: string; permission: Permission }> = [];
  for (const g of list ? children(list, 'Grant') : []) {
    const grantee = children(g, 'Grantee')[0];
    const permission = text(g, 'Permission')?.trim() as Permission | undefined;
    if (
      !grantee ||
      !permission ||
      !['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'].includes(permission)
    )
      throw new StorageError(
        'MalformedACLError',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    const id = text(grantee, 'ID');
    const uri = text(grantee, 'URI');
    const email = text(grantee, 'EmailAddress');
    if (id !== undefined) raw.push({ kind: 'id', value: id.trim(), permission });
    else if (uri !== undefined) raw.push({ kind: 'uri', value: uri.trim(), permission });
    else if (email !== undefined) raw.push({ kind: 'emailAddress', value: email.trim(), permission });
    else
      throw new StorageError(
        'MalformedACLError',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
  }
  return r.deps.service.access.resolveGrants(raw);
}

async function names(r: S3Request, grants: Grant[]): Promise<Map<string, string>> {
  const ids = grants.flatMap((g) => (g.grantee.type === 'CanonicalUser' ? [g.grantee.id] : []));
  return ids.length ? r.deps.service.usernames(ids) : new Map();
}

export async function getBucketAcl(r: S3Request, bucket: string): Promise<void> {
  const view = await r.deps.service.access.getBucketAcl(r.ctx, bucket);
  send(r, 200, aclDocument(view, await names(r, view.grants)));
}

export async function putBucketAcl(r: S3Request, bucket: string): Promise<void> {
  const info = await r.deps.service.getBucket(r.ctx, bucket);
  const grants = await grantsOfAclRequest(r, info.ownerId, info.ownerId);
  await r.deps.service.access.putBucketAcl(r.ctx, bucket, grants);
  send(r, 200);
}

export async function getObjectAcl(r: S3Request, bucket: string, key: string): Promise<void> {
  if (r.query.has('versionId'))
    await r.deps.service.headObject(r.ctx, bucket, key, {}, r.query.get('versionId'));
  const view = await r.deps.service.access.getObjectAcl(r.ctx, bucket, key);
  send(r, 200, aclDocument(view, await names(r, view.grants)));
}

export async function putObjectAcl(r: S3Request, bucket: string, key: string): Promise<void> {
  if (r.query.has('versionId'))
    throw notImplemented('PutObjectAcl on a noncurrent version (ACLs follow the current object)');
  const info = await r.deps.service.headObject(r.ctx, bucket, key, {});
  const grants = await grantsOfAclRequest(r, info.ownerId, info.ownerId);
  await r.deps.service.access.putObjectAcl(r.ctx, bucket, key, grants);
  send(r, 200);
}

export async function getOwnershipControls(r: S3Request, bucket: string): Promise<void> {
  const ownership = await r.deps.service.access.getOwnership(r.ctx, bucket);
  send(r, 200, xmlDocument('OwnershipControls', node('Rule', tag('ObjectOwnership', ownership))));
}

export async function putOwnershipControls(r: S3Request, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'OwnershipControls');
  const rules = children(doc, 'Rule');
  if (rules.length !== 1) throw new StorageError('MalformedXML', 'OwnershipControls needs exactly one Rule.');
  const value = text(rules[0]!, 'ObjectOwnership')?.trim();
  if (value !== 'BucketOwnerEnforced' && value !== 'BucketOwnerPreferred' && value !== 'ObjectWriter')
    throw new StorageError(
      'MalformedXML',
      'ObjectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.',
    );
  await r.deps.service.access.putOwnership(r.ctx, bucket, value);
  send(r, 200);
}

export { isPublicAcl };
