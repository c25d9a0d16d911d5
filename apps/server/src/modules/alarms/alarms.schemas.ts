import { Type } from '@sinclair/typebox';
import {
  NullableString,
  NullableTimestamp,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';
import { COMPARISONS, METRICS } from './alarms.evaluate.ts';

export const RESOURCE_TYPES = ['instance', 'node', 'volume', 'bucket'] as const;
export const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const ALARM_NAME = '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$';
/** Durations: at least one collector interval, at most the collector's retention (30 min). */
export const MIN_DURATION_SECONDS = 10;
export const MAX_DURATION_SECONDS = 1800;

const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const AlarmSchema = Type.Object(
  {
    id: Type.String({ description: 'alm-…' }),
    name: Type.String(),
    ownerId: Type.String(),
    resourceType: StringEnum(RESOURCE_TYPES),
    resourceId: Type.String({ description: 'instance id, node name, volume id or bucket name' }),
    resourceName: NullableString({ description: 'The instance, node, volume or bucket name' }),
    metric: StringEnum(METRICS),
    comparison: StringEnum(COMPARISONS),
    threshold: Type.Number(),
    unit: Type.String({ description: '% or B/s' }),
    durationSeconds: Type.Integer(),
    channelIds: Type.Array(Type.String()),
    state: StringEnum(STATES),
    stateReason: Type.String(),
    stateChangedAt: Timestamp,
    lastValue: Nullable('The metric at the last evaluation'),
    silencedUntil: NullableTimestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Alarm', additionalProperties: false },
);

export const AlarmTransitionSchema = Type.Object(
  {
    id: Type.String(),
    alarmId: Type.String(),
    fromState: StringEnum(STATES),
    toState: StringEnum(STATES),
    reason: Type.String(),
    value: Nullable('The metric when the state changed'),
    notified: Type.Boolean({ description: 'Notifications were sent (not silenced, channels set)' }),
    at: Timestamp,
  },
  { $id: 'AlarmTransition', additionalProperties: false },
);

const alarmFields = {
  name: Type.String({ pattern: ALARM_NAME }),
  resourceType: Type.Union(RESOURCE_TYPES.map((t) => Type.Literal(t))),
  resourceId: Type.String({ minLength: 1, maxLength: 64 }),
  metric: Type.Union(METRICS.map((m) => Type.Literal(m))),
  comparison: Type.Union(COMPARISONS.map((c) => Type.Literal(c))),
  threshold: Type.Number({
    description:
      '% for cpu, memory, diskUsed; bytes per second for the rates; objects for objectCount; bytes for storedBytes',
  }),
  durationSeconds: Type.Integer({
    minimum: MIN_DURATION_SECONDS,
    maximum: MAX_DURATION_SECONDS,
    description: `How long the metric must breach (${MIN_DURATION_SECONDS}–${MAX_DURATION_SECONDS} s)`,
  }),
  channelIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, default: [] })),
  silencedUntil: Type.Optional(
    Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()], {
      description:
        'ISO-8601 time: no notifications until then (the state is still tracked); null ends the silence',
    }),
  ),
};

export const CreateAlarmBody = Type.Object(alarmFields, { additionalProperties: false });
export const UpdateAlarmBody = Type.Object(
  {
    name: Type.Optional(alarmFields.name),
    comparison: Type.Optional(alarmFields.comparison),
    threshold: Type.Optional(alarmFields.threshold),
    durationSeconds: Type.Optional(alarmFields.durationSeconds),
    channelIds: alarmFields.channelIds,
    silencedUntil: alarmFields.silencedUntil,
  },
  { additionalProperties: false },
);
export const AlarmIdParams = Type.Object({ id: Type.String({ pattern: '^alm-[0-9a-f]{17}$' }) });
export const AlarmListQuery = Type.Object(
  {
    ...PageQuery,
    state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)))),
    resourceId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const HistoryQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
