import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { instancesKey } from '../instances/api.ts';
import { quotasKey } from '../quotas/api.ts';
import { volumesKey } from '../volumes/api.ts';

const fetchPolicies = () =>
  call(() => api.GET('/api/v1/backup-policies', { params: { query: { limit: 1000 } } }));
export type BackupPolicy = Awaited<ReturnType<typeof fetchPolicies>>['items'][number];
const fetchRuns = (f: { policyId?: string; limit: number; offset: number }) =>
  call(() => api.GET('/api/v1/backup-runs', { params: { query: f } }));
export type BackupRun = Awaited<ReturnType<typeof fetchRuns>>['items'][number];
const fetchPoints = (f: { instanceId?: string; volumeId?: string; limit: number; offset: number }) =>
  call(() => api.GET('/api/v1/recovery-points', { params: { query: f } }));
export type RecoveryPoint = Awaited<ReturnType<typeof fetchPoints>>['items'][number];
export type PolicyBody = Parameters<typeof createPolicy>[0];
export type Retention = BackupPolicy['retention'];

export const backupsKey = ['backups'] as const;

/**
 * Runs and recovery points change live through the event stream (`backup_run.*`,
 * `recovery_point.*` invalidate these queries, see instances/events.ts); pass `live` from
 * useLiveEvents() and they poll only while the stream is down.
 */
const poll = (live: boolean) => (live ? false : 5_000);

export const policiesQuery = (live = false) =>
  queryOptions({
    queryKey: [...backupsKey, 'policies'] as const,
    queryFn: fetchPolicies,
    refetchInterval: poll(live),
  });

export const runsQuery = (f: { policyId?: string; limit: number; offset: number }, live = false) =>
  queryOptions({
    queryKey: [...backupsKey, 'runs', f] as const,
    queryFn: () => fetchRuns(f),
    placeholderData: keepPreviousData,
    refetchInterval: poll(live),
  });

export const pointsQuery = (
  f: { instanceId?: string; volumeId?: string; limit: number; offset: number },
  live = false,
) =>
  queryOptions({
    queryKey: [...backupsKey, 'points', f] as const,
    queryFn: () => fetchPoints(f),
    placeholderData: keepPreviousData,
    refetchInterval: poll(live),
  });

export const schedulePreviewQuery = (schedule: string, timezone: string) =>
  queryOptions({
    queryKey: [...backupsKey, 'schedule-preview', schedule, timezone] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/backup-policies/schedule-preview', { params: { query: { schedule, timezone } } }),
      ),
    enabled: schedule.trim().length > 0 && timezone.trim().length > 0,
    retry: false,
  });

export const retentionPreviewQuery = (retention: Retention, timezone: string, policyId?: string) =>
  queryOptions({
    queryKey: [...backupsKey, 'retention-preview', retention, timezone, policyId] as const,
    queryFn: () =>
      call(() =>
        api.POST('/api/v1/backup-policies/retention-preview', {
          body: { retention, timezone, ...(policyId ? { policyId } : {}) },
        }),
      ),
    enabled: policyId !== undefined,
    retry: false,
  });

function createPolicy(body: {
  name: string;
  schedule: string;
  timezone?: string;
  targets: ({ instanceId: string } | { volumeId: string } | { tag: string })[];
  mode?: 'snapshot' | 'suspend' | 'stop';
  retention: Retention;
  enabled?: boolean;
  notifyChannelIds?: string[];
  notifyOn?: ('failure' | 'success' | 'missed')[];
}) {
  return call(() => api.POST('/api/v1/backup-policies', { body }));
}

function useInvalidate() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: backupsKey }),
      qc.invalidateQueries({ queryKey: quotasKey }),
      qc.invalidateQueries({ queryKey: instancesKey }),
      qc.invalidateQueries({ queryKey: volumesKey }),
    ]);
}

export function useSavePolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: PolicyBody }) =>
      id
        ? call(() => api.PUT('/api/v1/backup-policies/{id}', { params: { path: { id } }, body }))
        : createPolicy(body),
    onSuccess: invalidate,
  });
}

export function useDeletePolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.DELETE('/api/v1/backup-policies/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useRunPolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.POST('/api/v1/backup-policies/{id}/run', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useBackupNow() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ type, id }: { type: 'instance' | 'volume'; id: string }) =>
      type === 'instance'
        ? call(() => api.POST('/api/v1/instances/{id}/backup', { params: { path: { id } }, body: {} }))
        : call(() => api.POST('/api/v1/volumes/{id}/backup', { params: { path: { id } }, body: {} })),
    onSuccess: invalidate,
  });
}

export function useRestorePoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({
      id,
      mode,
      name,
      confirm,
      from,
    }: {
      id: string;
      mode: 'new' | 'replace';
      name?: string;
      confirm?: string;
      from?: 'snapshot' | 'copy';
    }) =>
      call(() =>
        api.POST('/api/v1/recovery-points/{id}/restore', {
          params: { path: { id } },
          body: {
            mode,
            ...(name ? { name } : {}),
            ...(confirm ? { confirm } : {}),
            ...(from ? { from } : {}),
          },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeletePoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.DELETE('/api/v1/recovery-points/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export const runTone = (s: string | undefined) =>
  s === 'succeeded'
    ? 'green'
    : s === 'failed'
      ? 'red'
      : s === 'partial' || s === 'skipped'
        ? 'amber'
        : 'blue';

export const retentionText = (r: Retention) =>
  (
    [
      ['keepLast', 'last'],
      ['keepHourly', 'hourly'],
      ['keepDaily', 'daily'],
      ['keepWeekly', 'weekly'],
      ['keepMonthly', 'monthly'],
      ['keepYearly', 'yearly'],
    ] as const
  )
    .filter(([k]) => r[k])
    .map(([k, w]) => `${r[k]} ${w}`)
    .join(', ') || 'keep all';
