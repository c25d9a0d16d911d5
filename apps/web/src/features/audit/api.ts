import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

export interface AuditFilter {
  username?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  result?: 'success' | 'failure' | 'denied';
  from?: string;
  to?: string;
}

export const auditKey = ['audit'] as const;

const fetchAudit = (f: AuditFilter & { limit: number; offset: number }) =>
  call(() => api.GET('/api/v1/logs/audit', { params: { query: f } }));
export type AuditEntry = Awaited<ReturnType<typeof fetchAudit>>['items'][number];

export const auditQuery = (f: AuditFilter & { limit: number; offset: number }) =>
  queryOptions({
    queryKey: [...auditKey, 'list', f] as const,
    queryFn: () => fetchAudit(f),
    placeholderData: keepPreviousData,
  });

export const auditVerifyQuery = queryOptions({
  queryKey: [...auditKey, 'verify'] as const,
  queryFn: () => call(() => api.GET('/api/v1/logs/audit/verify')),
  staleTime: 60_000,
});

/** Same-origin URL of the CSV export for the current filters (a download link; the cookie authenticates it). */
export function auditCsvUrl(f: AuditFilter): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  const s = qs.toString();
  return `/api/v1/logs/audit.csv${s ? `?${s}` : ''}`;
}
