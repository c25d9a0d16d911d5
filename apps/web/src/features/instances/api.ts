import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { quotasKey } from '../quotas/api.ts';

export const INSTANCE_STATUSES = [
  'pending',
  'creating',
  'running',
  'starting',
  'stopping',
  'stopped',
  'rebooting',
  'terminating',
  'terminated',
  'error',
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export type InstanceSort = 'name' | 'createdAt' | 'status' | 'vcpu' | 'memory' | 'node';

export interface InstancesFilter {
  q?: string;
  status?: string;
  sort?: InstanceSort;
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export const INSTANCES_PAGE_SIZE = 20;

/** The list filter in the instances page's URL (`q`, `status`, `sort`, `order`, `offset`). */
export function instancesFilterFromParams(params: URLSearchParams): InstancesFilter {
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const sort = (params.get('sort') as InstanceSort | null) ?? 'createdAt';
  const order = params.get('order');
  return {
    limit: INSTANCES_PAGE_SIZE,
    offset: Math.max(0, Number(params.get('offset')) || 0),
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    sort,
    order: order === 'asc' || order === 'desc' ? order : sort === 'createdAt' ? 'desc' : 'asc',
  };
}

const fetchInstances = (f: InstancesFilter) =>
  call(() => api.GET('/api/v1/instances', { params: { query: f } }));
export type InstanceList = Awaited<ReturnType<typeof fetchInstances>>;
export type Instance = InstanceList['items'][number];

const fetchOperation = (id: string) =>
  call(() => api.GET('/api/v1/operations/{id}', { params: { path: { id } } }));
export type Operation = Awaited<ReturnType<typeof fetchOperation>>;

export const instancesKey = ['instances'] as const;
export const operationsKey = ['operations'] as const;

/** Lists refresh every 5 s when the event stream is down (at most 5 s stale), else every 15 s (usage). */
export const instancesQuery = (f: InstancesFilter, live: boolean) =>
  queryOptions({
    queryKey: [...instancesKey, 'list', f] as const,
    queryFn: () => fetchInstances(f),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 15_000 : 5_000,
  });

export const instanceQuery = (id: string, live: boolean) =>
  queryOptions({
    queryKey: [...instancesKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/instances/{id}', { params: { path: { id } } })),
    refetchInterval: live ? 15_000 : 5_000,
  });

export const operationQuery = (id: string) =>
  queryOptions({
    queryKey: [...operationsKey, 'one', id] as const,
    queryFn: () => fetchOperation(id),
    // Finished operations never change; running ones are followed by events (or polled).
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed')
        ? false
        : 2_000,
  });

export const instanceOperationsQuery = (resourceId: string) =>
  queryOptions({
    queryKey: [...operationsKey, 'list', resourceId] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/operations', { params: { query: { resourceId, limit: 50, offset: 0 } } })),
  });

/**
 * Events and action answers carry the instance without live usage (`usage: null`; usage is sampled
 * from Proxmox by reads). Keep the sample we have while the instance stays running, so usage bars do
 * not blank out on every event.
 */
function withUsage(next: Instance, old: Instance | undefined): Instance {
  if (next.usage || !old?.usage || next.status !== 'running' || old.status !== 'running') return next;
  return { ...next, usage: old.usage };
}

/** Replaces an instance in every cached list and its own entry (from an event or an action answer). */
export function patchInstance(qc: QueryClient, inst: Instance) {
  const key = [...instancesKey, 'one', inst.id] as const;
  const before = qc.getQueryData<Instance>(key);
  qc.setQueryData(key, withUsage(inst, before));
  qc.setQueriesData<InstanceList>({ queryKey: [...instancesKey, 'list'] }, (old) =>
    old ? { ...old, items: old.items.map((i) => (i.id === inst.id ? withUsage(inst, i) : i)) } : old,
  );
  // It just started: read it once more for its first usage sample instead of waiting for the poll.
  if (inst.status === 'running' && !inst.usage && before && before.status !== 'running')
    void qc.invalidateQueries({ queryKey: key });
}

export type InstanceAction = 'start' | 'stop' | 'reboot' | 'terminate';

export const actionLabels: Record<InstanceAction, string> = {
  start: 'Start',
  stop: 'Stop',
  reboot: 'Reboot',
  terminate: 'Terminate',
};

/** Which actions make sense in a status (the server decides anyway). */
export function actionAllowed(action: InstanceAction, inst: Pick<Instance, 'status' | 'activeOperationId'>) {
  if (inst.activeOperationId) return false;
  switch (action) {
    case 'start':
      return inst.status === 'stopped';
    case 'stop':
    case 'reboot':
      return inst.status === 'running';
    case 'terminate':
      return inst.status !== 'terminated' && inst.status !== 'terminating';
  }
}

export const actionPermission: Record<InstanceAction, string> = {
  start: 'instances:start',
  stop: 'instances:stop',
  reboot: 'instances:reboot',
  terminate: 'instances:delete',
};

export function runInstanceAction(action: InstanceAction, inst: Pick<Instance, 'id'>) {
  const path = { id: inst.id };
  switch (action) {
    case 'start':
      return call(() => api.POST('/api/v1/instances/{id}/start', { params: { path } }));
    case 'stop':
      return call(() => api.POST('/api/v1/instances/{id}/stop', { params: { path }, body: {} }));
    case 'reboot':
      return call(() => api.POST('/api/v1/instances/{id}/reboot', { params: { path } }));
    case 'terminate':
      return call(() =>
        api.DELETE('/api/v1/instances/{id}', { params: { path, query: { confirm: inst.id } } }),
      );
  }
}

export function useInstanceAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, instances }: { action: InstanceAction; instances: Instance[] }) =>
      Promise.allSettled(instances.map((i) => runInstanceAction(action, i))),
    onSuccess: (results) => {
      for (const r of results) {
        if (r.status === 'fulfilled') {
          patchInstance(qc, r.value.instance);
          qc.setQueryData([...operationsKey, 'one', r.value.operation.id], r.value.operation);
        }
      }
      void qc.invalidateQueries({ queryKey: instancesKey });
      void qc.invalidateQueries({ queryKey: quotasKey });
    },
  });
}

export const statusTone = {
  pending: 'blue',
  creating: 'blue',
  starting: 'blue',
  running: 'green',
  stopping: 'amber',
  stopped: 'neutral',
  rebooting: 'amber',
  terminating: 'orange',
  terminated: 'neutral',
  error: 'red',
} as const satisfies Record<InstanceStatus, string>;

export function statusLabel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "2 GiB", "512 MiB". */
export function formatMiB(mib: number): string {
  if (mib >= 1024) {
    const g = mib / 1024;
    return `${Number.isInteger(g) ? g : g.toFixed(1)} GiB`;
  }
  return `${mib} MiB`;
}
