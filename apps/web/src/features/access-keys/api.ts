import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';

const fetchKeys = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/access-keys', { params: { query: { limit, offset } } }));
export type AccessKey = Awaited<ReturnType<typeof fetchKeys>>['items'][number];

export const accessKeysKey = ['access-keys'] as const;
export const accessKeysQuery = (limit: number, offset: number) =>
  queryOptions({
    queryKey: [...accessKeysKey, { limit, offset }] as const,
    queryFn: () => fetchKeys(limit, offset),
    placeholderData: keepPreviousData,
  });

export function useCreateAccessKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (description: string) =>
      call(() => api.POST('/api/v1/access-keys', { body: description ? { description } : {} })),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeysKey }),
  });
}
export type NewAccessKey = NonNullable<ReturnType<typeof useCreateAccessKey>['data']>;

export function useDeleteAccessKey() {
  return useInvalidatingMutation(
    (accessKeyId: string) =>
      call(() => api.DELETE('/api/v1/access-keys/{accessKeyId}', { params: { path: { accessKeyId } } })),
    [accessKeysKey],
  );
}
