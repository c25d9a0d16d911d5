import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

/** Query keys of the launch wizard's reads (catalog, instance types, a node's storages and bridges). */
export const catalogKey = ['catalog'] as const;
export const instanceTypesKey = ['instance-types'] as const;

export const catalogQuery = (type: 'lxc' | 'vm', q: string) =>
  queryOptions({
    queryKey: [...catalogKey, { type, q }] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/catalog', { params: { query: { type, limit: 200, ...(q ? { q } : {}) } } }),
      ),
    staleTime: 60_000,
  });

export const isoCatalogQuery = (q: string) =>
  queryOptions({
    queryKey: [...catalogKey, { kind: 'iso', q }] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/catalog', { params: { query: { kind: 'iso', limit: 50, ...(q ? { q } : {}) } } }),
      ),
    staleTime: 60_000,
  });

export const instanceTypesQuery = queryOptions({
  queryKey: instanceTypesKey,
  queryFn: () => call(() => api.GET('/api/v1/instance-types')),
  staleTime: 5 * 60_000,
});

const fetchNodeOptions = (node: string) =>
  call(() => api.GET('/api/v1/catalog/nodes/{node}', { params: { path: { node } } }));
export type NodeLaunchOptions = Awaited<ReturnType<typeof fetchNodeOptions>>;
export type NodeStorage = NodeLaunchOptions['storages'][number];

/** What a launch can pick on one node: its storages and bridges. */
export const nodeOptionsQuery = (node: string) =>
  queryOptions({
    queryKey: [...catalogKey, 'node', node] as const,
    queryFn: () => fetchNodeOptions(node),
    staleTime: 30_000,
  });
