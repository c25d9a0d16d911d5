/**
 * S3 object lock operations: Get/PutObjectLockConfiguration, Get/PutObjectRetention,
 * Get/PutObjectLegalHold, and the x-amz-object-lock-* headers of PUT, copy and
 * CreateMultipartUpload (rules in storage.objectlock.ts).
 */
import { algorithmFromHeader } from './storage.checksums.ts';
import { StorageError } from './storage.errors.ts';
import { lockHeaders } from './storage.objectlock.service.ts';
import {
  type DefaultRetention,
  type LockRequest,
  parseMode,
  parseRetainUntil,
  type Retention,
} from './storage.objectlock.ts';
import { h, send, versionIdParam } from './storage.s3.common.ts';
import { readSmallBody, type S3Request } from './storage.s3.request.ts';
import { children, node, parseXml, tag, text, xmlDocument } from './storage.s3.xml.ts';

/** x-amz-bypass-governance-retention: true (checked against objects:bypass_governance where it matters). */
export function bypassGovernanceHeader(r: S3Request): boolean {
  return (h(r, 'x-amz-bypass-governance-retention') ?? '').trim().toLowerCase() === 'true';
}

function hasIntegrityHeader(r: S3Request): boolean {
  if (h(r, 'content-md5') !== undefined) return true;
  if (Object.keys(r.req.headers).some((name) => algorithmFromHeader(name) !== null)) return true;
  return algorithmFromHeader((h(r, 'x-amz-trailer') ?? '').trim().toLowerCase()) !== null;
}

/** AWS requires Content-MD5 (or an x-amz-checksum-*) on these requests. */
export function requireIntegrityHeader(r: S3Request, forPut = false): void {
  if (hasIntegrityHeader(r)) return;
  throw new StorageError(
    'InvalidRequest',
    forPut
      ? 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters'
      : 'Missing required header for this request: Content-MD5',
  );
}

/** The x-amz-object-lock-* headers of a write (null when none is sent). */
export function lockRequestHeaders(r: S3Request): LockRequest | null {
  return parseLockValues((name) => h(r, name), r.deps.clock.now().getTime());
}

/** x-amz-object-lock-* values (headers, or POST form fields), validated as AWS does. */
export function parseLockValues(
  get: (name: string) => string | undefined,
  nowMs: number,
): LockRequest | null {
  const mode = get('x-amz-object-lock-mode');
  const until = get('x-amz-object-lock-retain-until-date');
  const hold = get('x-amz-object-lock-legal-hold');
  if (mode === undefined && until === undefined && hold === undefined) return null;
  const out: LockRequest = {};
  if ((mode === undefined) !== (until === undefined))
    throw new StorageError(
      'InvalidArgument',
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  if (mode !== undefined && until !== undefined) {
    if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
      throw new StorageError('InvalidArgument', 'Unknown wormMode directive.', {
        ArgumentName: 'x-amz-object-lock-mode',
        ArgumentValue: mode,
      });
    out.retention = { mode, retainUntil: parseRetainUntil(until, nowMs) };
  }
  if (hold !== undefined) {
    if (hold !== 'ON' && hold !== 'OFF')
      throw new StorageError('InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'", {
        ArgumentName: 'x-amz-object-lock-legal-hold',
        ArgumentValue: hold,
      });
    out.legalHold = hold === 'ON';
  }
  return out;
}

/**
 * Before a write reads its body: the lock headers, checked (400 on a bucket without object lock,
 * 400 without Content-MD5 or a checksum for a single PUT).
 */
export async function writeLock(
  r: S3Request,
  bucket: string,
  kind: 'put' | 'copy' | 'multipart',
): Promise<LockRequest | null> {
  const lock = lockRequestHeaders(r);
  if (!lock) return null;
  await r.deps.service.objectLock.assertLockable(r.ctx, bucket);
  if (kind === 'put') requireIntegrityHeader(r, true);
  return lock;
}

/** The lock headers GET/HEAD answer for a version. */
export async function objectLockHeaders(
  r: S3Request,
  bucket: string,
  versionId: string | null,
): Promise<Record<string, string>> {
  return r.deps.service.objectLock.headersFor(bucket, versionId);
}

// ---------------------------------------------------------------- bucket configuration

export async function getObjectLockConfiguration(r: S3Request, bucket: string): Promise<void> {
  const cfg = await r.deps.service.objectLock.getObjectLockConfiguration(r.ctx, bucket);
  if (!cfg.enabled)
    throw new StorageError(
      'ObjectLockConfigurationNotFoundError',
      'Object Lock configuration does not exist for this bucket',
      { BucketName: bucket },
    );
  const d = cfg.defaultRetention;
  send(
    r,
    200,
    xmlDocument('ObjectLockConfiguration', [
      tag('ObjectLockEnabled', 'Enabled'),
      d
        ? node(
            'Rule',
            node('DefaultRetention', [
              tag('Mode', d.mode),
              d.days !== undefined ? tag('Days', d.days) : tag('Years', d.years),
            ]),
          )
        : '',
    ]),
  );
}

function intElement(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^-?\d+$/.test(v))
    throw new StorageError(
      'MalformedXML',
      `The XML you provided was not well-formed or did not validate against our published schema (${name} must be an integer).`,
    );
  return Number(v);
}

export async function putObjectLockConfiguration(r: S3Request, bucket: string): Promise<void> {
  requireIntegrityHeader(r);
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'ObjectLockConfiguration');
  if (text(doc, 'ObjectLockEnabled')?.trim() !== 'Enabled')
    throw new StorageError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema (ObjectLockEnabled must be Enabled).',
    );
  let rule: DefaultRetention | null = null;
  const rules = children(doc, 'Rule');
  if (rules.length > 1) throw new StorageError('MalformedXML', 'Only one Rule is allowed.');
  if (rules[0]) {
    const dr = children(rules[0], 'DefaultRetention')[0];
    if (!dr)
      throw new StorageError(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema (Rule needs DefaultRetention).',
      );
    const days = intElement(text(dr, 'Days'), 'Days');
    const years = intElement(text(dr, 'Years'), 'Years');
    rule = {
      mode: parseMode(text(dr, 'Mode')),
      ...(days !== undefined ? { days } : {}),
      ...(years !== undefined ? { years } : {}),
    };
  }
  await r.deps.service.objectLock.putObjectLockConfiguration(r.ctx, bucket, rule);
  send(r, 200);
}

// ---------------------------------------------------------------- retention and legal hold

function versionHeader(versionId: string): Record<string, string> {
  return { 'x-amz-version-id': versionId };
}

export async function getObjectRetention(r: S3Request, bucket: string, key: string): Promise<void> {
  const lock = await r.deps.service.objectLock.getObjectLock(r.ctx, bucket, key, versionIdParam(r));
  if (!lock.retention)
    throw new StorageError(
      'NoSuchObjectLockConfiguration',
      'The specified object does not have a ObjectLock configuration',
    );
  send(
    r,
    200,
    xmlDocument('Retention', [
      tag('Mode', lock.retention.mode),
      tag('RetainUntilDate', lock.retention.retainUntil),
    ]),
  );
}

export async function putObjectRetention(r: S3Request, bucket: string, key: string): Promise<void> {
  requireIntegrityHeader(r);
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'Retention');
  const mode = text(doc, 'Mode');
  const until = text(doc, 'RetainUntilDate');
  let retention: Retention | null = null;
  if (mode !== undefined || until !== undefined) {
    if (mode === undefined || until === undefined)
      throw new StorageError(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema (Retention needs both Mode and RetainUntilDate).',
      );
    retention = { mode: parseMode(mode), retainUntil: parseRetainUntil(until, r.deps.clock.now().getTime()) };
  }
  const lock = await r.deps.service.objectLock.putRetention(r.ctx, bucket, key, retention, versionIdParam(r));
  send(r, 200, undefined, versionHeader(lock.versionId));
}

export async function getObjectLegalHold(r: S3Request, bucket: string, key: string): Promise<void> {
  const lock = await r.deps.service.objectLock.getObjectLock(r.ctx, bucket, key, versionIdParam(r));
  if (lock.legalHold === null)
    throw new StorageError(
      'NoSuchObjectLockConfiguration',
      'The specified object does not have a ObjectLock configuration',
    );
  send(r, 200, xmlDocument('LegalHold', tag('Status', lock.legalHold ? 'ON' : 'OFF')));
}

export async function putObjectLegalHold(r: S3Request, bucket: string, key: string): Promise<void> {
  requireIntegrityHeader(r);
  const doc = parseXml(await readSmallBody(r, 64 * 1024), 'LegalHold');
  const status = text(doc, 'Status')?.trim();
  if (status !== 'ON' && status !== 'OFF')
    throw new StorageError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema (Status must be ON or OFF).',
    );
  const lock = await r.deps.service.objectLock.putLegalHold(
    r.ctx,
    bucket,
    key,
    status === 'ON',
    versionIdParam(r),
  );
  send(r, 200, undefined, versionHeader(lock.versionId));
}

export { lockHeaders };
