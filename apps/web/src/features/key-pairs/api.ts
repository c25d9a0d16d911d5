import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';

const fetchKeyPairs = (limit: number, offset: number, q?: string) =>
  call(() => api.GET('/api/v1/key-pairs', { params: { query: { limit, offset, ...(q ? { q } : {}) } } }));
export type KeyPair = Awaited<ReturnType<typeof fetchKeyPairs>>['items'][number];

export const keyPairsKey = ['key-pairs'] as const;
export const keyPairsQuery = (limit: number, offset: number, q?: string) =>
  queryOptions({
    queryKey: [...keyPairsKey, 'list', { limit, offset, q }] as const,
    queryFn: () => fetchKeyPairs(limit, offset, q),
    placeholderData: keepPreviousData,
  });

export function useCreateKeyPair() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; algorithm: 'ed25519' | 'rsa' }) =>
      call(() => api.POST('/api/v1/key-pairs', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keyPairsKey }),
  });
}
export type CreatedKeyPair = NonNullable<ReturnType<typeof useCreateKeyPair>['data']>;

export function useImportKeyPair() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; publicKey: string }) =>
      call(() => api.POST('/api/v1/key-pairs/import', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keyPairsKey }),
  });
}

export function useDeleteKeyPair() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/key-pairs/{id}', { params: { path: { id } } })),
    [keyPairsKey],
  );
}

export const KEY_PAIR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Saves the private key as a file (the only copy: the server never stores it). */
export function downloadPrivateKey(created: CreatedKeyPair) {
  const name = `${created.keyPair.name}${created.privateKeyFormat === 'pem' ? '.pem' : ''}`;
  const url = URL.createObjectURL(new Blob([created.privateKey], { type: 'application/x-pem-file' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
