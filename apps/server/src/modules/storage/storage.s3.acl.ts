/**
 * ACLs under Object Ownership "BucketOwnerEnforced" (S3's default since 2023, and the only
 * setting ProxiCloud has): ACLs are disabled, the bucket owner owns every object. Reading ACLs
 * works; setting one is accepted only when it grants nothing beyond the owner's FULL_CONTROL
 * (`private`, `bucket-owner-full-control`, or that ACL in XML). Anything else answers
 * AccessControlListNotSupported, as S3 does, never a silent 200.
 */
import { notImplemented, StorageError } from './storage.errors.ts';
import { h, send } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';

export const OWNER_ONLY_ACLS = new Set(['private', 'bucket-owner-full-control']);

const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-full-control',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
];

export function aclNotSupported(): StorageError {
  return new StorageError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
}

/** x-amz-acl / x-amz-grant-* on writes: only ACLs that grant nothing beyond the owner. */
export function assertOwnerOnlyAclHeaders(r: S3Request): void {
  const acl = h(r, 'x-amz-acl');
  if (acl !== undefined && !OWNER_ONLY_ACLS.has(acl)) throw aclNotSupported();
  for (const g of GRANT_HEADERS) if (h(r, g) !== undefined) throw aclNotSupported();
}

/** CreateBucket's x-amz-object-ownership: BucketOwnerEnforced only (ACLs are not implemented). */
export function assertObjectOwnershipHeader(r: S3Request): void {
  const ownership = h(r, 'x-amz-object-ownership');
  if (ownership === undefined || ownership === 'BucketOwnerEnforced') return;
  if (ownership !== 'ObjectWriter' && ownership !== 'BucketOwnerPreferred')
    throw new StorageError('InvalidArgument', 'Invalid x-amz-object-ownership header', {
      ArgumentName: 'x-amz-object-ownership',
      ArgumentValue: ownership,
    });
  throw notImplemented(`Object ownership ${ownership} (ACLs; buckets are BucketOwnerEnforced)`);
}

/** Put{Bucket,Object}Acl: headers or an AccessControlPolicy document granting only the owner. */
export async function putAcl(r: S3Request, ownerId: () => Promise<string>): Promise<void> {
  assertOwnerOnlyAclHeaders(r);
  const body = await readSmallBody(r, 64 * 1024);
  const owner = await ownerId();
  if (body.length === 0 || body.toString('utf8').trim() === '') {
    if (h(r, 'x-amz-acl') === undefined)
      throw new StorageError('MissingSecurityHeader', 'Your request was missing a required header', {
        MissingHeaderName: 'x-amz-acl',
      });
    return send(r, 200);
  }
  const doc = parseXml(body, 'AccessControlPolicy');
  const list = children(doc, 'AccessControlList')[0];
  const grants = list ? children(list, 'Grant') : [];
  for (const g of grants) {
    const grantee = children(g, 'Grantee')[0] ?? {};
    const id = text(grantee, 'ID');
    const permission = text(g, 'Permission');
    if (id?.trim() !== owner || permission?.trim() !== 'FULL_CONTROL') throw aclNotSupported();
  }
  send(r, 200);
}

/** Get{Bucket,Object}Acl: the owner with FULL_CONTROL. */
export function aclXml(ownerId: string, ownerName: string | null): string {
  const owner = [tag('ID', ownerId), tag('DisplayName', ownerName ?? ownerId)];
  return xmlDocument('AccessControlPolicy', [
    node('Owner', owner),
    node(
      'AccessControlList',
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${owner.join('')}</Grantee>${tag('Permission', 'FULL_CONTROL')}</Grant>`,
    ),
  ]);
}

/** GetBucketOwnershipControls: always BucketOwnerEnforced. */
export function ownershipControlsXml(): string {
  return xmlDocument('OwnershipControls', node('Rule', tag('ObjectOwnership', 'BucketOwnerEnforced')));
}

/** PutBucketOwnershipControls: BucketOwnerEnforced is what every bucket has; others are not implemented. */
export async function putOwnershipControls(r: S3Request): Promise<void> {
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'OwnershipControls');
  const rules = children(doc, 'Rule');
  if (rules.length !== 1) throw new StorageError('MalformedXML', 'OwnershipControls needs exactly one Rule.');
  const value = text(rules[0]!, 'ObjectOwnership')?.trim();
  if (value === 'BucketOwnerEnforced') return send(r, 200);
  if (value === 'ObjectWriter' || value === 'BucketOwnerPreferred')
    throw notImplemented(`Object ownership ${value} (ACLs; buckets are BucketOwnerEnforced)`);
  throw new StorageError(
    'MalformedXML',
    'ObjectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.',
  );
}
