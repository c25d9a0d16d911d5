/** Object lock in the console: the bucket's configuration, and an object version's retention and legal hold. */
import type { components } from '@proxicloud/sdk';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { bucketsKey } from './api.ts';

export type ObjectLockConfig = components['schemas']['ObjectLockConfig'];
export type ObjectLockState = components['schemas']['ObjectLockState'];
export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

export const bucketObjectLockQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'object-lock', bucket] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/buckets/{bucket}/object-lock', { params: { path: { bucket } } })),
  });

export const objectLockQuery = (bucket: string, key: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'object-lock', bucket, 'objects', key] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/buckets/{bucket}/object-lock/objects/{key}', { params: { path: { bucket, key } } }),
      ),
  });

/** The lock of one version (for its Delete button); share the cache prefix so lock edits refresh it. */
export const versionLockQuery = (bucket: string, key: string, versionId: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'object-lock', bucket, 'objects', key, versionId] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/buckets/{bucket}/object-lock/objects/{key}', {
          params: { path: { bucket, key }, query: { versionId } },
        }),
      ),
  });

export interface DeleteGate {
  /** The Delete button is disabled. */
  disabled: boolean;
  /** Deleting needs `bypassGovernance: true` (admins, GOVERNANCE retention only). */
  bypass: boolean;
  /** Why it is locked, for a hint next to / a title on the button; null when not locked. */
  reason: string | null;
}

/**
 * Whether a version in this lock state may be deleted now, mirroring the server's rule: a legal hold
 * or COMPLIANCE retention blocks everyone; GOVERNANCE retention blocks all but users who may bypass it.
 */
export function deleteGate(
  state: Pick<ObjectLockState, 'retention' | 'legalHold'> | undefined,
  nowMs: number,
  mayBypass: boolean,
  fmt: (iso: string) => string = (iso) => iso,
): DeleteGate {
  if (!state) return { disabled: false, bypass: false, reason: null };
  if (state.legalHold) return { disabled: true, bypass: false, reason: 'Legal hold' };
  const r = state.retention;
  if (!r || Date.parse(r.retainUntil) <= nowMs) return { disabled: false, bypass: false, reason: null };
  const reason = `Locked until ${fmt(r.retainUntil)} (${r.mode})`;
  if (r.mode === 'GOVERNANCE' && mayBypass) return { disabled: false, bypass: true, reason };
  return { disabled: true, bypass: false, reason };
}

export function useSetDefaultRetention(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (defaultRetention: { mode: LockMode; days?: number; years?: number } | null) =>
      call(() =>
        api.PUT('/api/v1/buckets/{bucket}/object-lock', {
          params: { path: { bucket } },
          body: { defaultRetention },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...bucketsKey, 'object-lock', bucket] }),
  });
}

export function useSetLegalHold(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { key: string; legalHold: boolean }) =>
      call(() =>
        api.PUT('/api/v1/buckets/{bucket}/object-lock/legal-hold', { params: { path: { bucket } }, body: v }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...bucketsKey, 'object-lock', bucket] }),
  });
}

export function useSetRetention(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { key: string; retention: { mode: LockMode; retainUntil: string } | null }) =>
      call(() =>
        api.PUT('/api/v1/buckets/{bucket}/object-lock/retention', { params: { path: { bucket } }, body: v }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...bucketsKey, 'object-lock', bucket] }),
  });
}

/** "GOVERNANCE, 30 days" — the bucket's default retention in words. */
export function defaultRetentionText(c: ObjectLockConfig | undefined): string | null {
  if (!c?.enabled) return null;
  const d = c.defaultRetention;
  if (!d) return 'no default retention';
  const n = d.days ?? d.years ?? 0;
  const unit = d.days !== undefined ? 'day' : 'year';
  return `${d.mode.toLowerCase()}, ${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** An <input type="date"> value (YYYY-MM-DD, local) → the end of that day in UTC, ISO. */
export function retainUntilFromDate(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T23:59:59.000Z`).toISOString();
}
