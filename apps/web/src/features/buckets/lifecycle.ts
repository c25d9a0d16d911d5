/** Bucket lifecycle rules in the console: list, replace, clear and apply now. */
import type { components } from '@proxicloud/sdk';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { bucketsKey } from './api.ts';

export type LifecycleRule = components['schemas']['LifecycleRule'];

export const lifecycleQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'lifecycle', bucket] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } } })),
  });

export function useSetLifecycle(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (rules: LifecycleRule[]) =>
      rules.length
        ? call(() =>
            api.PUT('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } }, body: { rules } }),
          )
        : call(() => api.DELETE('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

export function useApplyLifecycle(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(() => api.POST('/api/v1/buckets/{bucket}/lifecycle/apply', { params: { path: { bucket } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

/** "logs/ · tag class=tmp" */
export function describeFilter(r: LifecycleRule): string {
  const f = r.filter;
  const parts = [
    f.prefix ? `${f.prefix}…` : '',
    ...(f.tags ?? []).map((t) => `tag ${t.key}=${t.value}`),
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Every object';
}

/** "Expire after 30 days; old versions after 7 days (keep 3)" */
export function describeActions(r: LifecycleRule): string {
  const out: string[] = [];
  const e = r.expiration;
  if (e?.days !== undefined) out.push(`Expire ${e.days} day${e.days === 1 ? '' : 's'} after upload`);
  if (e?.date !== undefined) out.push(`Expire on ${e.date.slice(0, 10)}`);
  if (e?.expiredObjectDeleteMarker) out.push('Remove lone delete markers');
  const n = r.noncurrentVersionExpiration;
  if (n)
    out.push(
      `Old versions after ${n.noncurrentDays} day${n.noncurrentDays === 1 ? '' : 's'}${n.newerNoncurrentVersions ? ` (keep newest ${n.newerNoncurrentVersions})` : ''}`,
    );
  const a = r.abortIncompleteMultipartUpload;
  if (a) out.push(`Abort unfinished uploads after ${a.daysAfterInitiation} days`);
  return out.join('; ');
}
