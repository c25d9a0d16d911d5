/**
 * S3 Object Lock (WORM): the bucket's lock configuration with its default retention, and the
 * retention / legal hold of each object version. Rules as AWS documents them:
 *
 * - A bucket gets object lock when it is created with it (or, as AWS allows since 2023, through
 *   PutObjectLockConfiguration on a bucket whose versioning is Enabled). It cannot be turned off,
 *   and versioning cannot be suspended afterwards.
 * - A version under retention (until its retain-until date) or with a legal hold ON cannot be
 *   deleted for good (403 AccessDenied); a DELETE without a version id still adds a delete marker.
 * - GOVERNANCE retention may be shortened, removed or bypassed on delete with
 *   `x-amz-bypass-governance-retention: true` by callers with `objects:bypass_governance` (admins);
 *   COMPLIANCE retention can only be extended, by anyone, never shortened or removed.
 *
 * Storage: `bucket_object_locks` (one row per bucket with object lock), `object_locks` (one row
 * per version that has a retention or a legal hold, keyed by bucket and version id — lock
 * buckets are versioned, so every version has an id) and `upload_object_locks` (what
 * CreateMultipartUpload asked for, applied on Complete).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { can } from '../iam/index.ts';
import { StorageError } from './storage.errors.ts';
import type { StorageContext } from './storage.types.ts';

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface DefaultRetention {
  mode: LockMode;
  /** Exactly one of days and years. */
  days?: number;
  years?: number;
}

export interface ObjectLockConfiguration {
  enabled: boolean;
  defaultRetention: DefaultRetention | null;
}

export interface Retention {
  mode: LockMode;
  /** ISO 8601. */
  retainUntil: string;
}

export interface ObjectLockState {
  retention: Retention | null;
  /** null: never set on this version. */
  legalHold: boolean | null;
}

/** What a write asks for (x-amz-object-lock-* headers). */
export interface LockRequest {
  retention?: Retention;
  legalHold?: boolean;
}

// ---------------------------------------------------------------- tables

export interface BucketObjectLocksTable {
  bucket_id: string;
  default_mode: string | null;
  default_days: number | null;
  default_years: number | null;
  updated_at: string;
}

export interface ObjectLocksTable {
  bucket_id: string;
  version_id: string;
  key: string;
  mode: string | null;
  retain_until: string | null;
  legal_hold: number | null;
}

export interface UploadObjectLocksTable {
  upload_id: string;
  mode: string | null;
  retain_until: string | null;
  legal_hold: number | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    bucket_object_locks: BucketObjectLocksTable;
    object_locks: ObjectLocksTable;
    upload_object_locks: UploadObjectLocksTable;
  }
}

export const objectLockMigrations: ModuleMigration[] = [
  {
    name: '0150_storage_object_lock',
    async up(db: Kysely<unknown>, _dialect: Dialect) {
      await db.schema
        .createTable('bucket_object_locks')
        .addColumn('bucket_id', 'text', (c) => c.primaryKey().references('buckets.id').onDelete('cascade'))
        .addColumn('default_mode', 'text')
        .addColumn('default_days', 'integer')
        .addColumn('default_years', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('object_locks')
        .addColumn('bucket_id', 'text', (c) => c.notNull().references('buckets.id').onDelete('cascade'))
        .addColumn('version_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('mode', 'text')
        .addColumn('retain_until', 'text')
        .addColumn('legal_hold', 'integer')
        .addPrimaryKeyConstraint('object_locks_pk', ['bucket_id', 'version_id'])
        .execute();
      await db.schema
        .createTable('upload_object_locks')
        .addColumn('upload_id', 'text', (c) =>
          c.primaryKey().references('multipart_uploads.id').onDelete('cascade'),
        )
        .addColumn('mode', 'text')
        .addColumn('retain_until', 'text')
        .addColumn('legal_hold', 'integer')
        .execute();
    },
  },
];

// ---------------------------------------------------------------- pure rules

const MAX_DAYS = 36_500;
const MAX_YEARS = 100;

export function parseMode(value: string | undefined, what = 'Mode'): LockMode {
  const v = (value ?? '').trim();
  if (v === 'GOVERNANCE' || v === 'COMPLIANCE') return v;
  throw new StorageError(
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against our published schema (${what} must be GOVERNANCE or COMPLIANCE).`,
  );
}

/** Default retention as AWS validates it: a mode and exactly one positive period. */
export function validateDefaultRetention(d: DefaultRetention): DefaultRetention {
  const hasDays = d.days !== undefined;
  const hasYears = d.years !== undefined;
  if (hasDays === hasYears)
    throw new StorageError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema (DefaultRetention needs either Days or Years).',
    );
  const n = (hasDays ? d.days : d.years) as number;
  if (!Number.isInteger(n) || n <= 0)
    throw new StorageError('InvalidArgument', 'Default retention period must be a positive integer value.', {
      ArgumentName: hasDays ? 'Days' : 'Years',
      ArgumentValue: String(n),
    });
  if (n > (hasDays ? MAX_DAYS : MAX_YEARS))
    throw new StorageError('InvalidArgument', 'Default retention period is too large.', {
      ArgumentName: hasDays ? 'Days' : 'Years',
      ArgumentValue: String(n),
    });
  return hasDays ? { mode: d.mode, days: n } : { mode: d.mode, years: n };
}

/** The retain-until date a default retention gives a version written at `fromMs`. */
export function defaultRetainUntil(d: DefaultRetention, fromMs: number): string {
  const t = new Date(fromMs);
  if (d.years !== undefined) t.setUTCFullYear(t.getUTCFullYear() + d.years);
  else t.setTime(t.getTime() + (d.days ?? 0) * 86_400_000);
  return t.toISOString();
}

/** An ISO 8601 timestamp (x-amz-object-lock-retain-until-date, RetainUntilDate). */
export function parseRetainUntil(value: string | undefined, nowMs: number): string {
  const v = (value ?? '').trim();
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms))
    throw new StorageError('InvalidArgument', 'The retain until date must be provided in ISO 8601 format', {
      ArgumentName: 'RetainUntilDate',
      ArgumentValue: v,
    });
  if (ms <= nowMs)
    throw new StorageError('InvalidArgument', 'The retain until date must be in the future!', {
      ArgumentName: 'RetainUntilDate',
      ArgumentValue: v,
    });
  return new Date(ms).toISOString();
}

export function objectLockedError(): StorageError {
  const err = new StorageError('AccessDenied', 'Access Denied because object protected by object lock.');
  (err as { objectLocked?: boolean }).objectLocked = true;
  return err;
}

export function isObjectLockedError(err: unknown): boolean {
  return err instanceof StorageError && (err as { objectLocked?: boolean }).objectLocked === true;
}

export function mayBypassGovernance(ctx: StorageContext): boolean {
  return can(ctx.actor, 'objects', 'bypass_governance');
}

/** Whether a version in this state may be deleted for good now. */
export function assertDeletable(state: ObjectLockState, nowMs: number, ctx: StorageContext): void {
  if (state.legalHold) throw objectLockedError();
  const r = state.retention;
  if (!r || Date.parse(r.retainUntil) <= nowMs) return;
  if (r.mode === 'COMPLIANCE') throw objectLockedError();
  if (!ctx.bypassGovernance) throw objectLockedError();
  if (!mayBypassGovernance(ctx))
    throw new StorageError(
      'AccessDenied',
      `Access Denied: your role (${ctx.actor.role}) does not allow objects:bypass_governance`,
    );
}

/**
 * Whether `next` may replace `current` (PutObjectRetention). Extending is always allowed;
 * shortening, removing or switching mode needs GOVERNANCE + bypass; COMPLIANCE never.
 */
export function assertRetentionChange(
  current: Retention | null,
  next: Retention | null,
  nowMs: number,
  ctx: StorageContext,
): void {
  if (!current || Date.parse(current.retainUntil) <= nowMs) return;
  const extends_ =
    next !== null &&
    next.mode === current.mode &&
    Date.parse(next.retainUntil) >= Date.parse(current.retainUntil);
  if (extends_) return;
  // COMPLIANCE → GOVERNANCE, shorter, or removed
  if (current.mode === 'COMPLIANCE') throw objectLockedError();
  if (!ctx.bypassGovernance) throw objectLockedError();
  if (!mayBypassGovernance(ctx))
    throw new StorageError(
      'AccessDenied',
      `Access Denied: your role (${ctx.actor.role}) does not allow objects:bypass_governance`,
    );
}

// ---------------------------------------------------------------- SQL

export function toState(row: Pick<ObjectLocksTable, 'mode' | 'retain_until' | 'legal_hold'> | undefined) {
  const state: ObjectLockState = { retention: null, legalHold: null };
  if (!row) return state;
  if (row.mode && row.retain_until)
    state.retention = { mode: row.mode as LockMode, retainUntil: row.retain_until };
  if (row.legal_hold !== null) state.legalHold = row.legal_hold === 1;
  return state;
}

export async function bucketLockConfig(
  db: Kysely<Tables>,
  bucketId: string,
): Promise<ObjectLockConfiguration | null> {
  const row = await db
    .selectFrom('bucket_object_locks')
    .selectAll()
    .where('bucket_id', '=', bucketId)
    .executeTakeFirst();
  if (!row) return null;
  const mode = row.default_mode as LockMode | null;
  let defaultRetention: DefaultRetention | null = null;
  if (mode && row.default_days !== null) defaultRetention = { mode, days: row.default_days };
  else if (mode && row.default_years !== null) defaultRetention = { mode, years: row.default_years };
  return { enabled: true, defaultRetention };
}

export async function versionLockState(
  db: Kysely<Tables>,
  bucketId: string,
  versionId: string,
): Promise<ObjectLockState> {
  const row = await db
    .selectFrom('object_locks')
    .select(['mode', 'retain_until', 'legal_hold'])
    .where('bucket_id', '=', bucketId)
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  return toState(row);
}

export async function writeVersionLock(
  db: Kysely<Tables>,
  bucketId: string,
  key: string,
  versionId: string,
  state: ObjectLockState,
): Promise<void> {
  await db
    .deleteFrom('object_locks')
    .where('bucket_id', '=', bucketId)
    .where('version_id', '=', versionId)
    .execute();
  if (!state.retention && state.legalHold === null) return;
  await db
    .insertInto('object_locks')
    .values({
      bucket_id: bucketId,
      version_id: versionId,
      key,
      mode: state.retention?.mode ?? null,
      retain_until: state.retention?.retainUntil ?? null,
      legal_hold: state.legalHold === null ? null : state.legalHold ? 1 : 0,
    })
    .execute();
}

/**
 * Inside a write's transaction: the lock a new version gets — what the request asked for, else
 * the bucket's default retention. A request with lock settings on a bucket without object lock
 * is 400 InvalidRequest.
 */
export async function applyLockOnWrite(
  db: Kysely<Tables>,
  bucketId: string,
  key: string,
  versionId: string | null,
  request: LockRequest | null | undefined,
  nowMs: number,
): Promise<void> {
  const asked = request && (request.retention || request.legalHold !== undefined);
  // Lock buckets are always versioning-Enabled (every write gets a version id): an unversioned or
  // suspended bucket has no object lock, and the hot path of those buckets costs no query.
  const config = versionId === null ? null : await bucketLockConfig(db, bucketId);
  if (!config || versionId === null) {
    if (asked) throw missingLockConfiguration();
    return;
  }
  const retention =
    request?.retention ??
    (config.defaultRetention
      ? {
          mode: config.defaultRetention.mode,
          retainUntil: defaultRetainUntil(config.defaultRetention, nowMs),
        }
      : null);
  await writeVersionLock(db, bucketId, key, versionId, {
    retention,
    legalHold: request?.legalHold === undefined ? null : request.legalHold,
  });
}

export function missingLockConfiguration(): StorageError {
  return new StorageError('InvalidRequest', 'Bucket is missing Object Lock Configuration');
}

/** Turn object lock on for a bucket (no default retention yet); inside the caller's transaction. */
export async function enableObjectLock(db: Kysely<Tables>, bucketId: string, now: string): Promise<void> {
  await db
    .insertInto('bucket_object_locks')
    .values({
      bucket_id: bucketId,
      default_mode: null,
      default_days: null,
      default_years: null,
      updated_at: now,
    })
    .execute();
}

export function lockedVersioning(): StorageError {
  return new StorageError(
    'InvalidBucketState',
    'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
  );
}

/**
 * Inside a permanent version delete's transaction: refuse while the version is locked (unless a
 * permitted GOVERNANCE bypass), else drop its lock row.
 */
export async function guardVersionDelete(
  db: Kysely<Tables>,
  bucketId: string,
  versionId: string | null,
  ctx: StorageContext,
  nowMs: number,
): Promise<void> {
  if (versionId === null) return;
  const state = await versionLockState(db, bucketId, versionId);
  if (!state.retention && state.legalHold === null) return;
  assertDeletable(state, nowMs, ctx);
  await writeVersionLock(db, bucketId, '', versionId, { retention: null, legalHold: null });
}

/** What CreateMultipartUpload asked for (null: nothing), read before Complete drops the upload. */
export async function uploadLockRequest(db: Kysely<Tables>, uploadId: string): Promise<LockRequest | null> {
  const row = await db
    .selectFrom('upload_object_locks')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .executeTakeFirst();
  if (!row) return null;
  const s = toState(row);
  return {
    ...(s.retention ? { retention: s.retention } : {}),
    ...(s.legalHold !== null ? { legalHold: s.legalHold } : {}),
  };
}
