import type { components } from '@proxicloud/sdk';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { operationsKey } from '../instances/api.ts';

export type App = components['schemas']['App'];
export type AppTemplateSummary = components['schemas']['AppTemplateSummary'];
export type AppTemplateDetail = components['schemas']['AppTemplateDetail'];
export type AppParameter = AppTemplateDetail['template']['parameters'][number];
export type ParamValue = string | number | boolean;

export const appsKey = ['apps'] as const;
export const appTemplatesKey = ['app-templates'] as const;

/** While an operation runs, poll (the event stream also pushes app changes). */
const busy = (a: App | undefined) => !!a?.activeOperationId;

export const appTemplatesQuery = () =>
  queryOptions({
    queryKey: [...appTemplatesKey, 'list'] as const,
    queryFn: () => call(() => api.GET('/api/v1/app-templates')),
    staleTime: 60_000,
  });

export const appTemplateQuery = (id: string) =>
  queryOptions({
    queryKey: [...appTemplatesKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/app-templates/{id}', { params: { path: { id } } })),
    staleTime: 60_000,
  });

export const appsQuery = () =>
  queryOptions({
    queryKey: [...appsKey, 'list'] as const,
    queryFn: () => call(() => api.GET('/api/v1/apps', { params: { query: { limit: 1000 } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some(busy) ? 2000 : 30_000),
  });

export const appQuery = (id: string) =>
  queryOptions({
    queryKey: [...appsKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/apps/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (busy(q.state.data) ? 1000 : 15_000),
  });

export const appLogsQuery = (id: string, live: boolean) =>
  queryOptions({
    queryKey: [...appsKey, 'logs', id] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/apps/{id}/logs', { params: { path: { id }, query: { limit: 5000 } } })),
    refetchInterval: live ? 1000 : false,
  });

export const operationQuery = (id: string | null) =>
  queryOptions({
    queryKey: [...operationsKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/operations/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
    refetchInterval: (q) =>
      q.state.data && ['succeeded', 'failed'].includes(q.state.data.status) ? false : 1000,
  });

export function useDeployApp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      templateId: string;
      name: string;
      params?: Record<string, ParamValue>;
      instanceType?: { vcpu?: number; memoryMib?: number; diskGib?: number };
      networkIds?: string[];
      securityGroupIds?: string[];
    }) => call(() => api.POST('/api/v1/apps', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: appsKey }),
  });
}

export function useUpdateApp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.POST('/api/v1/apps/{id}/update', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: appsKey }),
  });
}

export function useRemoveApp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { app: App; deleteVolumes: boolean }) =>
      call(() =>
        api.DELETE('/api/v1/apps/{id}', {
          params: { path: { id: v.app.id }, query: { confirm: v.app.id, deleteVolumes: v.deleteVolumes } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: appsKey }),
  });
}

export const CATEGORY_LABELS: Record<string, string> = {
  media: 'Media',
  storage: 'Storage',
  security: 'Security',
  monitoring: 'Monitoring',
  development: 'Development',
  'home-automation': 'Home automation',
  other: 'Other',
};

export const STATUS_TONE: Record<string, 'green' | 'red' | 'amber' | 'blue' | 'neutral'> = {
  ready: 'green',
  failed: 'red',
  creating: 'blue',
  installing: 'blue',
  configuring: 'blue',
  'health-check': 'blue',
  updating: 'amber',
  deleting: 'amber',
};
export const HEALTH_TONE = { healthy: 'green', unhealthy: 'red', unknown: 'neutral' } as const;

/** Memory as the catalogue shows it: GiB from 1 GiB up, else MiB. */
export function memoryLabel(mib: number): string {
  return mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/**
 * The health badge: while the health-check step still runs, failed probes are the app starting
 * up, not an outage, so it reads "checking" (neutral) until the step ends or the app answers.
 */
export function healthBadge(app: { status: string; health: { status: keyof typeof HEALTH_TONE } }): {
  tone: (typeof HEALTH_TONE)[keyof typeof HEALTH_TONE];
  label: string;
} {
  if (app.status === 'health-check' && app.health.status !== 'healthy')
    return { tone: 'neutral', label: 'checking' };
  return { tone: HEALTH_TONE[app.health.status], label: app.health.status };
}

export const APP_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
