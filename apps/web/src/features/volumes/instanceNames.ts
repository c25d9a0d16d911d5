import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { instancesKey } from '../instances/api.ts';

/**
 * Names of the instances volumes are attached to, so the volume list reads "web-1", not
 * "i-0a1b…". One list read without live usage (cheap: no Proxmox calls), only while a volume on the
 * page is attached; under the `instances` key, so instance events refresh it.
 */
export function useInstanceNames(attachedIds: readonly (string | null)[]): ReadonlyMap<string, string> {
  const any = attachedIds.some(Boolean);
  const q = useQuery({
    queryKey: [...instancesKey, 'list', { names: true }] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/instances', { params: { query: { limit: 1000, usage: false, sort: 'name' } } }),
      ),
    enabled: any,
    staleTime: 30_000,
    select: (d) => new Map(d.items.map((i) => [i.id, i.name])),
  });
  return q.data ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, string> = new Map();
