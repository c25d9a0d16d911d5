/**
 * Versioning mechanics shared by writes and deletes: version ids, the ordering sequence, and
 * moving a key's current object into the noncurrent versions (and back). Every function here
 * runs inside the caller's transaction, so a crash leaves either the old or the new state.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../../platform/crypto.ts';
import { StorageError } from './storage.errors.ts';
import type { ObjectRow, StorageRepository } from './storage.repository.ts';
import type { VersionRow, VersionsRepository } from './storage.versions.repository.ts';

export type VersioningState = 'Enabled' | 'Suspended' | null;

export function versioningOf(bucket: { versioning: string | null }): VersioningState {
  return bucket.versioning === 'Enabled' || bucket.versioning === 'Suspended' ? bucket.versioning : null;
}

/**
 * An opaque, URL-safe version id (32 characters, as long as S3's). Never starting with '-':
 * command lines would take such an id for options (`--version-id -oRc…` is `-o Rc…` to the CLI's
 * parser, which failed a CLI test once in 64 runs).
 */
export function newVersionId(): string {
  for (;;) {
    const id = randomBytes(24).toString('base64url');
    if (id[0] !== '-') return id;
  }
}

const VERSION_ID = /^[A-Za-z0-9_-]{32}$/;

/** `null` → the null version; anything else must look like one of our ids (S3: 400 otherwise). */
export function parseVersionId(value: string): string | null {
  if (value === 'null') return null;
  if (!VERSION_ID.test(value))
    throw new StorageError('InvalidArgument', 'Invalid version id specified', {
      ArgumentName: 'versionId',
      ArgumentValue: value,
    });
  return value;
}

let lastSeq = 0n;

/** Increasing across the process and across restarts (microseconds since the epoch, bumped). */
export function nextSeq(): string {
  let now = BigInt(Date.now()) * 1000n;
  if (now <= lastSeq) now = lastSeq + 1n;
  lastSeq = now;
  return now.toString().padStart(20, '0');
}

/** The blobs of a versions row, in order. */
export async function versionBlobs(
  vrepo: VersionsRepository,
  row: VersionRow,
): Promise<{ blob: string; size: number }[]> {
  if (row.is_delete_marker) return [];
  return row.blob ? [{ blob: row.blob, size: row.size }] : vrepo.segments(row.id);
}

/** Move the current object of a key into the noncurrent versions (same blobs, no copy). */
export async function demote(
  repo: StorageRepository,
  vrepo: VersionsRepository,
  row: ObjectRow,
): Promise<void> {
  const segments = row.blob ? [] : await repo.segments(row.id);
  const id = newId('ver');
  await vrepo.insert({ ...row, id, seq: nextSeq(), is_delete_marker: 0 });
  if (segments.length > 0) await vrepo.setSegments(id, row.bucket_id, segments);
  await repo.deleteObjectById(row.id);
}

/** Make a noncurrent version the current object again (after the newer ones were deleted). */
export async function promote(
  repo: StorageRepository,
  vrepo: VersionsRepository,
  row: VersionRow,
): Promise<void> {
  const segments = row.blob ? [] : await vrepo.segments(row.id);
  const id = newId('obj');
  const { seq: _seq, is_delete_marker: _marker, ...fields } = row;
  await repo.insertObject({ ...fields, id });
  if (segments.length > 0) await repo.setSegments(id, row.bucket_id, segments);
  await vrepo.delete(row.id);
}

/** After a version was removed: if no current object remains, the newest version (not a marker) becomes current. */
export async function restoreLatest(
  repo: StorageRepository,
  vrepo: VersionsRepository,
  bucketId: string,
  key: string,
): Promise<void> {
  if (await repo.findObject(bucketId, key)) return;
  const latest = await vrepo.latest(bucketId, key);
  if (latest && !latest.is_delete_marker) await promote(repo, vrepo, latest);
}

/** Remove the noncurrent null version of a key (suspended buckets overwrite it); its blobs to delete. */
export async function dropNullVersion(
  vrepo: VersionsRepository,
  bucketId: string,
  key: string,
): Promise<string[]> {
  const row = await vrepo.find(bucketId, key, null);
  if (!row) return [];
  const blobs = (await versionBlobs(vrepo, row)).map((s) => s.blob);
  await vrepo.delete(row.id);
  return blobs;
}

/** A delete marker row. */
export function deleteMarker(
  bucketId: string,
  key: string,
  ownerId: string,
  versionId: string | null,
  lastModified: string,
): VersionRow {
  return {
    id: newId('ver'),
    bucket_id: bucketId,
    key,
    version_id: versionId,
    seq: nextSeq(),
    is_delete_marker: 1,
    owner_id: ownerId,
    size: 0,
    etag: '',
    blob: '',
    parts_count: null,
    content_type: '',
    headers: null,
    metadata: null,
    checksum_algorithm: null,
    checksum_value: null,
    tags: null,
    last_modified: lastModified,
  };
}
