import { type Static, Type } from '@sinclair/typebox';
import { StringEnum, Timestamp } from '../../platform/http/schemas.ts';

export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];
export const CONSOLIDATIONS = ['AVERAGE', 'MAX'] as const;
export const PERIODS = ['5m', '1h', '1d', '1w', '1mo'] as const;
export type Period = (typeof PERIODS)[number];
/** The RRD timeframe a period reads (5m: the last 5 minutes of `hour`, merged with the collector's ring). */
export const PERIOD_TIMEFRAME: Record<Period, Timeframe> = {
  '5m': 'hour',
  '1h': 'hour',
  '1d': 'day',
  '1w': 'week',
  '1mo': 'month',
};
export type Consolidation = (typeof CONSOLIDATIONS)[number];

const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const MetricsQuery = Type.Object(
  {
    timeframe: Type.Optional(
      Type.Union(
        TIMEFRAMES.map((t) => Type.Literal(t)),
        {
          description:
            'hour: 1-minute points; day: 30 min; week: 3 h; month: 12 h; year: 1 week (default hour)',
        },
      ),
    ),
    period: Type.Optional(
      Type.Union(
        PERIODS.map((p) => Type.Literal(p)),
        {
          description:
            '5m: the collector’s samples (every 10–30 s) merged with 1-minute RRD points; 1h, 1d, 1w, 1mo: RRD. Wins over timeframe.',
        },
      ),
    ),
    cf: Type.Optional(
      Type.Union(
        CONSOLIDATIONS.map((c) => Type.Literal(c)),
        { description: 'Consolidation of each point: AVERAGE (default) or MAX' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MetricsQuery = Static<typeof MetricsQuery>;

export const MetricPointSchema = Type.Object(
  {
    time: Timestamp,
    cpuPercent: Nullable('CPU use in % of the instance’s vCPUs (null: no sample, e.g. stopped)'),
    memoryBytes: Nullable('Memory in use'),
    memoryMaxBytes: Nullable('Memory allocated'),
    netInBytesPerSecond: Nullable('Network received'),
    netOutBytesPerSecond: Nullable('Network sent'),
    diskReadBytesPerSecond: Nullable('Block device reads'),
    diskWriteBytesPerSecond: Nullable('Block device writes'),
  },
  { $id: 'MetricPoint', additionalProperties: false },
);
export type MetricPoint = Static<typeof MetricPointSchema>;

export const InstanceMetricsSchema = Type.Object(
  {
    instanceId: Type.String(),
    timeframe: StringEnum(TIMEFRAMES),
    period: Type.Union([StringEnum(PERIODS), Type.Null()], { description: 'The period asked for, if any' }),
    cf: StringEnum(CONSOLIDATIONS),
    stepSeconds: Type.Integer({ description: 'Seconds between points' }),
    points: Type.Array(Type.Ref(MetricPointSchema), {
      description: 'Oldest first. Empty while the instance has no guest in Proxmox yet (or any more).',
    }),
  },
  { $id: 'InstanceMetrics', additionalProperties: false },
);
export type InstanceMetrics = Static<typeof InstanceMetricsSchema>;

export const NodeMetricPointSchema = Type.Object(
  {
    time: Timestamp,
    cpuPercent: Nullable('CPU use of the node in %'),
    loadAverage: Nullable('1-minute load average (RRD only)'),
    memoryBytes: Nullable('Memory in use'),
    memoryMaxBytes: Nullable('Memory of the node'),
    rootUsedBytes: Nullable('Root file system used (RRD only)'),
    rootSizeBytes: Nullable('Root file system size (RRD only)'),
    netInBytesPerSecond: Nullable('Network received (RRD only)'),
    netOutBytesPerSecond: Nullable('Network sent (RRD only)'),
  },
  { $id: 'NodeMetricPoint', additionalProperties: false },
);
export type NodeMetricPoint = Static<typeof NodeMetricPointSchema>;

export const NodeMetricsSchema = Type.Object(
  {
    node: Type.String(),
    timeframe: StringEnum(TIMEFRAMES),
    period: Type.Union([StringEnum(PERIODS), Type.Null()]),
    cf: StringEnum(CONSOLIDATIONS),
    stepSeconds: Type.Integer(),
    points: Type.Array(Type.Ref(NodeMetricPointSchema), { description: 'Oldest first' }),
  },
  { $id: 'NodeMetrics', additionalProperties: false },
);
export type NodeMetrics = Static<typeof NodeMetricsSchema>;

export const NodeSummarySchema = Type.Object(
  {
    node: Type.String(),
    status: StringEnum(['online', 'offline', 'unknown'] as const),
    cpuPercent: Nullable('CPU use now, in %'),
    cpus: Type.Integer(),
    memoryBytes: Type.Number(),
    memoryMaxBytes: Type.Number(),
    uptimeSeconds: Type.Number(),
    guests: Type.Integer({ description: 'VMs and containers on the node (all, not only yours)' }),
    storages: Type.Array(
      Type.Object(
        { storage: Type.String(), usedBytes: Type.Number(), sizeBytes: Type.Number() },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'NodeSummary', additionalProperties: false },
);
export type NodeSummary = Static<typeof NodeSummarySchema>;

export const NodeParams = Type.Object(
  { node: Type.String({ pattern: '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$' }) },
  { additionalProperties: false },
);
