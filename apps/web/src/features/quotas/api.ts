import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

const fetchQuota = (userId: string) =>
  call(() => api.GET('/api/v1/quotas/{userId}', { params: { path: { userId } } }));
export type Quota = Awaited<ReturnType<typeof fetchQuota>>;
export type QuotaLimits = Quota['limits'];

export const quotasKey = ['quotas'] as const;

export const myQuotaQuery = queryOptions({
  queryKey: [...quotasKey, 'me'] as const,
  queryFn: () => fetchQuota('me'),
  staleTime: 10_000,
});

export const defaultQuotaQuery = queryOptions({
  queryKey: [...quotasKey, 'default'] as const,
  queryFn: () => fetchQuota('default'),
});

export const quotasListQuery = (limit: number, offset: number) =>
  queryOptions({
    queryKey: [...quotasKey, 'list', { limit, offset }] as const,
    queryFn: () => call(() => api.GET('/api/v1/quotas', { params: { query: { limit, offset } } })),
  });

export function useSetQuota() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, limits }: { userId: string; limits: Partial<QuotaLimits> }) =>
      call(() => api.PUT('/api/v1/quotas/{userId}', { params: { path: { userId } }, body: limits })),
    onSuccess: () => qc.invalidateQueries({ queryKey: quotasKey }),
  });
}

export function useResetQuota() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      call(() => api.DELETE('/api/v1/quotas/{userId}', { params: { path: { userId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: quotasKey }),
  });
}
