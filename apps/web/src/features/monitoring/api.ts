import type { components } from '@proxicloud/sdk';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

export type Alarm = components['schemas']['Alarm'];
export type AlarmTransition = components['schemas']['AlarmTransition'];
export type Channel = components['schemas']['NotificationChannel'];
export type Delivery = components['schemas']['NotificationDelivery'];
export type NodeSummary = components['schemas']['NodeSummary'];
export type NodeMetrics = components['schemas']['NodeMetrics'];

export const PERIODS = ['5m', '1h', '1d', '1w', '1mo'] as const;
export type Period = (typeof PERIODS)[number];
export const periodLabels: Record<Period, string> = {
  '5m': '5 min',
  '1h': '1 hour',
  '1d': '1 day',
  '1w': '1 week',
  '1mo': '1 month',
};
/** The tick format of each period (the instance tab's timeframes). */
export const periodTimeframe = {
  '5m': 'hour',
  '1h': 'hour',
  '1d': 'day',
  '1w': 'week',
  '1mo': 'month',
} as const;

export const ALARM_METRICS = [
  'cpu',
  'memory',
  'diskRead',
  'diskWrite',
  'netIn',
  'netOut',
  'diskUsed',
  'objectCount',
  'storedBytes',
] as const;
export type AlarmMetric = (typeof ALARM_METRICS)[number];
export type ResourceType = 'instance' | 'node' | 'volume' | 'bucket';
/** What each resource type can alarm on (as the server checks it). */
export const RESOURCE_METRICS: Record<ResourceType, readonly AlarmMetric[]> = {
  instance: ['cpu', 'memory', 'diskRead', 'diskWrite', 'netIn', 'netOut', 'diskUsed'],
  node: ['cpu', 'memory', 'diskUsed'],
  volume: ['diskUsed'],
  bucket: ['objectCount', 'storedBytes'],
};
export const METRIC_UNITS: Record<AlarmMetric, string> = {
  cpu: '%',
  memory: '%',
  diskUsed: '%',
  diskRead: 'B/s',
  diskWrite: 'B/s',
  netIn: 'B/s',
  netOut: 'B/s',
  objectCount: 'objects',
  storedBytes: 'bytes',
};
export const COMPARISONS = ['>', '>=', '<', '<='] as const;

const monitoringKey = ['monitoring'] as const;
export const alarmsKey = [...monitoringKey, 'alarms'] as const;
export const channelsKey = [...monitoringKey, 'channels'] as const;

export const alarmsQuery = () =>
  queryOptions({
    queryKey: alarmsKey,
    queryFn: () => call(() => api.GET('/api/v1/alarms', { params: { query: { limit: 1000 } } })),
    refetchInterval: 15_000,
  });

export const alarmHistoryQuery = (id: string) =>
  queryOptions({
    queryKey: [...alarmsKey, id, 'history'] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/alarms/{id}/history', { params: { path: { id }, query: { limit: 100 } } })),
  });

export const channelsQuery = () =>
  queryOptions({
    queryKey: channelsKey,
    queryFn: () =>
      call(() => api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  });

export const deliveriesQuery = (id: string) =>
  queryOptions({
    queryKey: [...channelsKey, id, 'deliveries'] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/notification-channels/{id}/deliveries', {
          params: { path: { id }, query: { limit: 50 } },
        }),
      ),
  });

export const nodesQuery = () =>
  queryOptions({
    queryKey: [...monitoringKey, 'nodes'] as const,
    queryFn: () => call(() => api.GET('/api/v1/nodes')),
    refetchInterval: 30_000,
  });

export const nodeMetricsQuery = (node: string, period: Period) =>
  queryOptions({
    queryKey: [...monitoringKey, 'node-metrics', node, period] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/nodes/{node}/metrics', { params: { path: { node }, query: { period } } })),
    refetchInterval: 30_000,
    staleTime: 15_000,
  });

export const instanceMetricsByPeriodQuery = (id: string, period: Period) =>
  queryOptions({
    queryKey: [...monitoringKey, 'instance-metrics', id, period] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/instances/{id}/metrics', { params: { path: { id }, query: { period } } })),
    refetchInterval: 30_000,
    staleTime: 15_000,
  });

export const instanceOptionsQuery = () =>
  queryOptions({
    queryKey: [...monitoringKey, 'instance-options'] as const,
    queryFn: () => call(() => api.GET('/api/v1/instances', { params: { query: { limit: 1000 } } })),
  });

export const volumeOptionsQuery = () =>
  queryOptions({
    queryKey: [...monitoringKey, 'volume-options'] as const,
    queryFn: () => call(() => api.GET('/api/v1/volumes', { params: { query: { limit: 1000 } } })),
  });

export const bucketOptionsQuery = () =>
  queryOptions({
    queryKey: [...monitoringKey, 'bucket-options'] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets', { params: { query: { limit: 1000 } } })),
  });

export const volumeMetricsQuery = (id: string, period: Period) =>
  queryOptions({
    queryKey: [...monitoringKey, 'volume-metrics', id, period] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/volumes/{id}/metrics', { params: { path: { id }, query: { period } } })),
    refetchInterval: 30_000,
    staleTime: 15_000,
  });

export const bucketMetricsQuery = (bucket: string, period: Period) =>
  queryOptions({
    queryKey: [...monitoringKey, 'bucket-metrics', bucket, period] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/buckets/{bucket}/metrics', { params: { path: { bucket }, query: { period } } }),
      ),
    refetchInterval: 30_000,
    staleTime: 15_000,
  });

export type AlarmInput = Parameters<typeof createAlarm>[0];
type CreateAlarm = AlarmInput;
const createAlarm = (body: {
  name: string;
  resourceType: ResourceType;
  resourceId: string;
  metric: (typeof ALARM_METRICS)[number];
  comparison: (typeof COMPARISONS)[number];
  threshold: number;
  durationSeconds: number;
  channelIds: string[];
}) => call(() => api.POST('/api/v1/alarms', { body }));

export function useCreateAlarm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAlarm) => createAlarm(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: alarmsKey }),
  });
}

export function useUpdateAlarm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
    }: {
      id: string;
      body: Partial<
        Pick<AlarmInput, 'name' | 'comparison' | 'threshold' | 'durationSeconds' | 'channelIds'>
      > & { silencedUntil?: string | null };
    }) => call(() => api.PUT('/api/v1/alarms/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: alarmsKey }),
  });
}

export function useDeleteAlarm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(() => api.DELETE('/api/v1/alarms/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: alarmsKey }),
  });
}

export type ChannelInput = {
  name: string;
  type: 'email' | 'webhook' | 'push';
  config: { url?: string; to?: string[]; secret?: string; token?: string };
};

export function useCreateChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelInput) => call(() => api.POST('/api/v1/notification-channels', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useDeleteChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.DELETE('/api/v1/notification-channels/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useTestChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.POST('/api/v1/notification-channels/{id}/test', { params: { path: { id } } })),
    onSuccess: (_d, id) => qc.invalidateQueries({ queryKey: [...channelsKey, id, 'deliveries'] }),
  });
}
