import type { components } from '@proxicloud/sdk';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';

export type FunctionRunner = components['schemas']['FunctionRunner'];
export const runnersKey = ['function-runners'] as const;

/** The managed runners (admins); polled while one of them has an operation running. */
export const runnersQuery = queryOptions({
  queryKey: [...runnersKey, 'list'] as const,
  queryFn: async () => {
    const { items } = await call(() => api.GET('/api/v1/functions/runners', {}));
    return { items, total: items.length };
  },
  refetchInterval: (q) => (q.state.data?.items.some((r) => r.activeOperationId !== null) ? 1500 : 10_000),
});

export function useCreateRunner() {
  return useInvalidatingMutation(
    (body: { name: string; node?: string; memoryMib?: number; cores?: number }) =>
      call(() => api.POST('/api/v1/functions/runners', { body })),
    [runnersKey],
  );
}

type RunnerAction = '/api/v1/functions/runners/{id}/upgrade' | '/api/v1/functions/runners/{id}/recreate';
const runnerAction = (path: RunnerAction) => (id: string) =>
  call(() => api.POST(path, { params: { path: { id } } }));

export function useUpgradeRunner() {
  return useInvalidatingMutation(runnerAction('/api/v1/functions/runners/{id}/upgrade'), [runnersKey]);
}

export function useRecreateRunner() {
  return useInvalidatingMutation(runnerAction('/api/v1/functions/runners/{id}/recreate'), [runnersKey]);
}

export function useDeleteRunner() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/functions/runners/{id}', { params: { path: { id } } })),
    [runnersKey],
  );
}
