import { type Static, Type } from '@sinclair/typebox';
import { StringEnum, Timestamp } from '../../platform/http/schemas.ts';

export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];
export const CONSOLIDATIONS = ['AVERAGE', 'MAX'] as const;
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
    cf: StringEnum(CONSOLIDATIONS),
    stepSeconds: Type.Integer({ description: 'Seconds between points' }),
    points: Type.Array(Type.Ref(MetricPointSchema), {
      description: 'Oldest first. Empty while the instance has no guest in Proxmox yet (or any more).',
    }),
  },
  { $id: 'InstanceMetrics', additionalProperties: false },
);
export type InstanceMetrics = Static<typeof InstanceMetricsSchema>;
