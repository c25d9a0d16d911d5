import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

const fetchSecrets = (prefix: string, includeDeleted: boolean) =>
  call(() =>
    api.GET('/api/v1/secrets', {
      params: {
        query: { limit: 1000, ...(prefix ? { prefix } : {}), ...(includeDeleted ? { includeDeleted } : {}) },
      },
    }),
  );
export type Secret = Awaited<ReturnType<typeof fetchSecrets>>['items'][number];
export type Grant = { principal: string; access: 'read' | 'manage' };

export const secretsKey = ['secrets'] as const;
export const secretsQuery = (prefix: string, includeDeleted = false) =>
  queryOptions({
    queryKey: [...secretsKey, 'list', { prefix, includeDeleted }] as const,
    queryFn: () => fetchSecrets(prefix, includeDeleted),
    placeholderData: keepPreviousData,
  });

/** Every secret the user can see (the launch wizard's picker). */
export const allSecretsQuery = () => secretsQuery('');

const byId = (id: string) => ({ params: { path: { name: id } } });

export const versionsQuery = (id: string) =>
  queryOptions({
    queryKey: [...secretsKey, 'versions', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/secrets/{name}/versions', byId(id))),
  });

export const policyQuery = (id: string) =>
  queryOptions({
    queryKey: [...secretsKey, 'policy', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/secrets/{name}/policy', byId(id))),
  });

/** Reading a value is an explicit, audited action: a mutation, never a cached query. */
export function useRevealSecret() {
  return useMutation({
    mutationFn: (v: { id: string; version?: number }) =>
      call(() =>
        api.GET('/api/v1/secrets/{name}', {
          params: { path: { name: v.id }, query: v.version ? { version: v.version } : {} },
        }),
      ),
  });
}

function useSecretsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: secretsKey }) });
}

export const useCreateSecret = () =>
  useSecretsMutation(
    (body: { name: string; value: unknown; encoding?: 'text' | 'json'; description?: string }) =>
      call(() => api.POST('/api/v1/secrets', { body })),
  );

export const usePutSecret = () =>
  useSecretsMutation(
    (v: { id: string; value: unknown; encoding?: 'text' | 'json'; expectedVersion?: number }) =>
      call(() =>
        api.PUT('/api/v1/secrets/{name}', {
          ...byId(v.id),
          body: {
            value: v.value,
            ...(v.encoding ? { encoding: v.encoding } : {}),
            ...(v.expectedVersion ? { expectedVersion: v.expectedVersion } : {}),
          },
        }),
      ),
  );

export const usePutPolicy = () =>
  useSecretsMutation((v: { id: string; grants: Grant[] }) =>
    call(() => api.PUT('/api/v1/secrets/{name}/policy', { ...byId(v.id), body: { grants: v.grants } })),
  );

export const useDeleteSecret = () =>
  useSecretsMutation((v: { id: string; force?: boolean }) =>
    call(() =>
      api.DELETE('/api/v1/secrets/{name}', {
        params: { path: { name: v.id }, query: v.force ? { force: true } : {} },
      }),
    ),
  );

export const useRestoreSecret = () =>
  useSecretsMutation((id: string) => call(() => api.POST('/api/v1/secrets/{name}/restore', byId(id))));

export const SECRET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

/** The folders and secrets directly under `prefix` ('' = top level). */
export function folderView(items: Secret[], prefix: string): { folders: string[]; secrets: Secret[] } {
  const folders = new Set<string>();
  const secrets: Secret[] = [];
  for (const s of items) {
    if (!s.name.startsWith(prefix)) continue;
    const rest = s.name.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) folders.add(rest.slice(0, slash + 1));
    else secrets.push(s);
  }
  return { folders: [...folders].sort(), secrets };
}

/** How a value is shown: text as is, JSON pretty-printed, binary as base64. */
export function showValue(v: { value: unknown; encoding: string }): string {
  return v.encoding === 'json' ? JSON.stringify(v.value, null, 2) : String(v.value);
}
