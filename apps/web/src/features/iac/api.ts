import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

const fetchStacks = () => call(() => api.GET('/api/v1/stacks', { params: { query: { limit: 1000 } } }));
export type Stack = Awaited<ReturnType<typeof fetchStacks>>['items'][number];
const fetchStack = (name: string) =>
  call(() => api.GET('/api/v1/stacks/{name}', { params: { path: { name } } }));
export type StackDetail = Awaited<ReturnType<typeof fetchStack>>;

export const stacksKey = ['stacks'] as const;
export const stacksQuery = () =>
  queryOptions({ queryKey: [...stacksKey, 'list'] as const, queryFn: fetchStacks });
export const stackQuery = (name: string) =>
  queryOptions({ queryKey: [...stacksKey, 'detail', name] as const, queryFn: () => fetchStack(name) });

export interface StackInput {
  name: string;
  document: string;
}

const plan = ({ name, document }: StackInput) =>
  call(() => api.POST('/api/v1/stacks/{name}/plan', { params: { path: { name } }, body: { document } }));
export type PlanResult = Awaited<ReturnType<typeof plan>>;
export type StackPlan = PlanResult['plan'];

export function usePlanStack() {
  return useMutation({ mutationFn: plan });
}

export function useApplyStack() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ name, document, expectedStateHash }: StackInput & { expectedStateHash: string }) =>
      call(() =>
        api.POST('/api/v1/stacks/{name}/apply', {
          params: { path: { name } },
          body: { document, expectedStateHash },
        }),
      ),
    onSettled: () => qc.invalidateQueries(),
  });
}

export function useDestroyStack() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ name, expectedStateHash }: { name: string; expectedStateHash: string }) =>
      call(() =>
        api.POST('/api/v1/stacks/{name}/destroy', {
          params: { path: { name } },
          body: { expectedStateHash },
        }),
      ),
    onSettled: () => qc.invalidateQueries(),
  });
}

/** Where a resource of a stack lives in the console (null: no page for that kind). */
export function resourceLink(kind: string, id: string): string | null {
  switch (kind) {
    case 'instances':
      return `/compute/instances/${id}`;
    case 'volumes':
    case 'attachments':
      return '/compute/volumes';
    case 'snapshots':
      return '/compute/snapshots';
    case 'keyPairs':
      return '/compute/key-pairs';
    case 'buckets':
      return `/storage/buckets/${id}`;
    case 'quotas':
      return '/iam/quotas';
    case 'networks':
      return '/networking/networks';
    case 'securityGroups':
      return '/networking/security-groups';
    case 'routeTables':
      return '/networking/route-tables';
    case 'natGateways':
      return '/networking/nat-gateways';
    case 'peerings':
      return '/networking/peerings';
    default:
      return null;
  }
}

/** The stack a file names (`stack:`), or null when it does not say. */
export function stackNameOf(document: string): string | null {
  const m = /^stack:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(document);
  return m ? (m[1] as string) : null;
}
