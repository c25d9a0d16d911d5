import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';
import { instancesKey } from '../instances/api.ts';

const fetchNetworks = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/networks', { params: { query: { limit, offset } } }));
export type Network = Awaited<ReturnType<typeof fetchNetworks>>['items'][number];
const fetchGroups = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/security-groups', { params: { query: { limit, offset } } }));
export type SecurityGroup = Awaited<ReturnType<typeof fetchGroups>>['items'][number];
export type RuleInput = Omit<SecurityGroup['rules'][number], 'id'>;

export const networksKey = ['networks'] as const;
export const securityGroupsKey = ['security-groups'] as const;

export const networksQuery = (limit = 1000, offset = 0) =>
  queryOptions({
    queryKey: [...networksKey, 'list', { limit, offset }] as const,
    queryFn: () => fetchNetworks(limit, offset),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.items.some((n) => n.status === 'creating' || n.status === 'deleting') ? 1500 : false,
  });

/** Default network on/off and whether you may launch on a plain Proxmox bridge (PROXICLOUD_BRIDGE_LAUNCH). */
export const networkSettingsQuery = queryOptions({
  queryKey: [...networksKey, 'settings'] as const,
  queryFn: () => call(() => api.GET('/api/v1/networks/settings')),
  staleTime: 60_000,
});

export const networkQuery = (id: string) =>
  queryOptions({
    queryKey: [...networksKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });

export const securityGroupsQuery = (limit = 1000, offset = 0) =>
  queryOptions({
    queryKey: [...securityGroupsKey, 'list', { limit, offset }] as const,
    queryFn: () => fetchGroups(limit, offset),
    placeholderData: keepPreviousData,
  });

export interface NetworkForm {
  name: string;
  cidr: string;
  ipv6Cidr?: string;
  ipv6Mode?: 'static' | 'slaac';
  gateway?: string;
  dhcp?: boolean;
  snat?: boolean;
}

export function useCreateNetwork() {
  return useInvalidatingMutation(
    (body: NetworkForm) => call(() => api.POST('/api/v1/networks', { body })),
    [networksKey],
  );
}

export function useDeleteNetwork() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/networks/{id}', { params: { path: { id } } })),
    [networksKey],
  );
}

export function useSaveSecurityGroup() {
  return useInvalidatingMutation(
    (v: { id?: string; name: string; description: string; rules: RuleInput[] }) =>
      v.id
        ? call(() =>
            api.PUT('/api/v1/security-groups/{id}', {
              params: { path: { id: v.id! } },
              body: { name: v.name, description: v.description, rules: v.rules },
            }),
          )
        : call(() =>
            api.POST('/api/v1/security-groups', {
              body: { name: v.name, description: v.description, rules: v.rules },
            }),
          ),
    [securityGroupsKey],
  );
}

export function useDeleteSecurityGroup() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/security-groups/{id}', { params: { path: { id } } })),
    [securityGroupsKey],
  );
}

// ---- route tables

const fetchRouteTables = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/route-tables', { params: { query: { limit, offset } } }));
export type RouteTable = Awaited<ReturnType<typeof fetchRouteTables>>['items'][number];
export interface RouteInput {
  destinationCidr: string;
  targetType: 'instance' | 'natGateway';
  targetId: string;
}
export const routeTablesKey = ['route-tables'] as const;

export const routeTablesQuery = (limit = 1000, offset = 0) =>
  queryOptions({
    queryKey: [...routeTablesKey, 'list', { limit, offset }] as const,
    queryFn: () => fetchRouteTables(limit, offset),
    placeholderData: keepPreviousData,
    // while a change reaches the guests
    refetchInterval: (q) => (q.state.data?.items.some((t) => t.activeOperationId) ? 1500 : false),
  });

/** Instances that may act as routers (name, NICs per network). */
export const routerCandidatesQuery = queryOptions({
  queryKey: [...instancesKey, 'router-candidates'] as const,
  queryFn: () => call(() => api.GET('/api/v1/instances', { params: { query: { limit: 1000 } } })),
  staleTime: 10_000,
});

export function useSaveRouteTable() {
  return useInvalidatingMutation(
    (v: { id?: string; name: string; routes: RouteInput[]; networkIds: string[] }) =>
      v.id
        ? call(() =>
            api.PUT('/api/v1/route-tables/{id}', {
              params: { path: { id: v.id! } },
              body: { name: v.name, routes: v.routes, networkIds: v.networkIds },
            }),
          )
        : call(() =>
            api.POST('/api/v1/route-tables', {
              body: { name: v.name, routes: v.routes, networkIds: v.networkIds },
            }),
          ),
    [routeTablesKey],
  );
}

export function useDeleteRouteTable() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/route-tables/{id}', { params: { path: { id } } })),
    [routeTablesKey],
  );
}

// ---- NAT gateways

const fetchNatGateways = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/nat-gateways', { params: { query: { limit, offset } } }));
export type NatGateway = Awaited<ReturnType<typeof fetchNatGateways>>['items'][number];
export const natGatewaysKey = ['nat-gateways'] as const;

export const natGatewaysQuery = (limit = 1000, offset = 0) =>
  queryOptions({
    queryKey: [...natGatewaysKey, 'list', { limit, offset }] as const,
    queryFn: () => fetchNatGateways(limit, offset),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.items.some(
        (g) => g.status === 'creating' || g.status === 'deleting' || g.activeOperationId !== null,
      )
        ? 1500
        : false,
  });

export function useCreateNatGateway() {
  return useInvalidatingMutation(
    (body: {
      name: string;
      networkId: string;
      kind?: 'sdnSnat' | 'natVm';
      publicAddress?: string;
      privateAddress?: string;
    }) => call(() => api.POST('/api/v1/nat-gateways', { body })),
    [natGatewaysKey, networksKey],
  );
}

export function useDeleteNatGateway() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/nat-gateways/{id}', { params: { path: { id } } })),
    [natGatewaysKey, networksKey],
  );
}

// ---- peerings

const fetchPeerings = (limit: number, offset: number) =>
  call(() => api.GET('/api/v1/peerings', { params: { query: { limit, offset } } }));
export type Peering = Awaited<ReturnType<typeof fetchPeerings>>['items'][number];
export const peeringsKey = ['peerings'] as const;

export const peeringsQuery = (limit = 1000, offset = 0) =>
  queryOptions({
    queryKey: [...peeringsKey, 'list', { limit, offset }] as const,
    queryFn: () => fetchPeerings(limit, offset),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.items.some((p) => p.status === 'provisioning' || p.status === 'deleting') ? 1500 : false,
  });

export function useCreatePeering() {
  return useInvalidatingMutation(
    (body: { name: string; networkId: string; peerNetworkId: string; allowedCidrs?: string[] }) =>
      call(() => api.POST('/api/v1/peerings', { body })),
    [peeringsKey, routeTablesKey],
  );
}

export function useAcceptPeering() {
  return useInvalidatingMutation(
    (v: { id: string; allowedCidrs?: string[] }) =>
      call(() =>
        api.POST('/api/v1/peerings/{id}/accept', {
          params: { path: { id: v.id } },
          body: v.allowedCidrs?.length ? { allowedCidrs: v.allowedCidrs } : {},
        }),
      ),
    [peeringsKey, routeTablesKey],
  );
}

export function useRejectPeering() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.POST('/api/v1/peerings/{id}/reject', { params: { path: { id } } })),
    [peeringsKey],
  );
}

export function useDeletePeering() {
  return useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/peerings/{id}', { params: { path: { id } } })),
    [peeringsKey, routeTablesKey],
  );
}
