import { Type } from '@sinclair/typebox';
import {
  NullableInteger,
  NullableString,
  NullableTimestamp,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';

const ID = (prefix: string) => Type.String({ pattern: `^${prefix}-[0-9a-f]{17}$` });
export const POLICY_NAME = '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$';

const retentionFields = {
  keepLast: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  keepHourly: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  keepDaily: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  keepWeekly: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  keepMonthly: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  keepYearly: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
};
const RETENTION_TEXT = "PVE's prune-backups options; none set keeps every backup";
export const RetentionSchema = Type.Object(retentionFields, {
  $id: 'BackupRetention',
  additionalProperties: false,
  description: RETENTION_TEXT,
});
const RetentionInput = Type.Object(retentionFields, {
  additionalProperties: false,
  description: RETENTION_TEXT,
});

const targetVariants = () => [
  Type.Object({ instanceId: ID('i') }, { additionalProperties: false }),
  Type.Object({ volumeId: ID('vol') }, { additionalProperties: false }),
  Type.Object(
    {
      tag: Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'every instance with this tag key (`backup`) or key=value (`backup=nightly`)',
      }),
    },
    { additionalProperties: false },
  ),
];
export const TargetSchema = Type.Union(targetVariants(), { $id: 'BackupTarget' });
const TargetInput = Type.Union(targetVariants());

/** Request enums must be real unions (the request validator does not check Unsafe kinds). */
const MODES = ['snapshot', 'suspend', 'stop'] as const;
const MODE_TEXT = 'vzdump mode for instances: snapshot (no downtime, default), suspend or stop';
const MODE_IN = Type.Union([Type.Literal('snapshot'), Type.Literal('suspend'), Type.Literal('stop')], {
  description: MODE_TEXT,
});
const MODE = StringEnum(MODES, { description: MODE_TEXT });
const NOTIFY = ['failure', 'success', 'missed'] as const;
const NOTIFY_ON = Type.Array(StringEnum(NOTIFY), { maxItems: 3 });
const NOTIFY_ON_IN = Type.Array(
  Type.Union([Type.Literal('failure'), Type.Literal('success'), Type.Literal('missed')]),
  {
    maxItems: 3,
  },
);
const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'skipped'] as const;

const policyFields = {
  name: Type.String({ pattern: POLICY_NAME, description: 'unique per owner' }),
  schedule: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'daily, weekly, monthly (03:00 local) or a 5-field cron expression',
  }),
  timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone (default UTC)' })),
  targets: Type.Array(TargetInput, { minItems: 1, maxItems: 100 }),
  mode: Type.Optional(MODE_IN),
  storage: Type.Optional(
    Type.String({
      pattern: '^[a-zA-Z][a-zA-Z0-9._-]{0,63}$',
      description: 'PVE backup storage (admins choose)',
    }),
  ),
  retention: RetentionInput,
  enabled: Type.Optional(Type.Boolean({ default: true })),
  missedRunPolicy: Type.Optional(
    Type.Union([Type.Literal('run_once'), Type.Literal('skip')], {
      description: 'after downtime: run once at start (default) or skip missed runs',
    }),
  ),
  notifyChannelIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
  notifyOn: Type.Optional(NOTIFY_ON_IN),
  zfsSend: Type.Optional(
    Type.Boolean({
      description:
        'volumes: also copy each snapshot to the backup dataset with zfs send (needs PROXICLOUD_BACKUP_ZFS_DATASET)',
    }),
  ),
};

export const CreatePolicyBody = Type.Object(policyFields, { additionalProperties: false });
export const UpdatePolicyBody = Type.Object(policyFields, { additionalProperties: false });

export const RunSummarySchema = Type.Object(
  {
    id: Type.String(),
    status: Type.String(),
    createdAt: Timestamp,
    finishedAt: NullableTimestamp,
  },
  { $id: 'BackupRunSummary', additionalProperties: false },
);

export const PolicySchema = Type.Object(
  {
    id: Type.String({ description: 'bkp-…' }),
    ownerId: Type.String(),
    name: Type.String(),
    schedule: Type.String(),
    cron: Type.String({ description: 'the cron expression that runs (presets resolved)' }),
    timezone: Type.String(),
    scheduleDescription: Type.String({ description: 'the schedule in words' }),
    nextRuns: Type.Array(Timestamp, { description: 'the next 5 runs (empty when disabled)' }),
    targets: Type.Array(Type.Ref(TargetSchema)),
    mode: MODE,
    storage: Type.String(),
    retention: Type.Ref(RetentionSchema),
    enabled: Type.Boolean(),
    missedRunPolicy: StringEnum(['run_once', 'skip'] as const),
    notifyChannelIds: Type.Array(Type.String()),
    notifyOn: NOTIFY_ON,
    zfsSend: Type.Boolean(),
    lastRun: Type.Union([Type.Ref(RunSummarySchema), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'BackupPolicy', additionalProperties: false },
);

export const TargetOutcomeSchema = Type.Object(
  {
    resourceType: StringEnum(['instance', 'volume'] as const),
    resourceId: Type.String(),
    resourceName: Type.String(),
    node: NullableString(),
    status: StringEnum(['pending', 'running', 'succeeded', 'failed', 'skipped'] as const),
    sizeBytes: NullableInteger(),
    recoveryPointId: NullableString(),
    upid: NullableString({ description: 'the PVE task (vzdump)' }),
    log: Type.Array(Type.String(), { description: 'task log excerpt (last lines)' }),
    error: NullableString(),
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
  },
  { $id: 'BackupTargetOutcome', additionalProperties: false },
);

export const RunSchema = Type.Object(
  {
    id: Type.String({ description: 'brun-…' }),
    ownerId: Type.String(),
    policyId: NullableString(),
    policyName: NullableString(),
    trigger: StringEnum(['schedule', 'missed', 'manual'] as const),
    status: StringEnum(RUN_STATUSES),
    scheduledFor: NullableTimestamp,
    operationId: NullableString(),
    targets: Type.Array(Type.Ref(TargetOutcomeSchema)),
    prunedRecoveryPointIds: Type.Array(Type.String()),
    sizeBytes: Type.Integer(),
    error: NullableString(),
    createdAt: Timestamp,
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
    durationMs: NullableInteger(),
  },
  { $id: 'BackupRun', additionalProperties: false },
);

export const RunAcceptedSchema = Type.Object(
  { run: Type.Ref(RunSchema), operation: Type.Union([Type.Ref(OperationSchema), Type.Null()]) },
  { $id: 'BackupRunAccepted', additionalProperties: false },
);

export const RecoveryPointSchema = Type.Object(
  {
    id: Type.String({ description: 'rp-…' }),
    ownerId: Type.String(),
    policyId: NullableString(),
    runId: NullableString(),
    resourceType: StringEnum(['instance', 'volume'] as const),
    resourceId: Type.String(),
    resourceName: Type.String(),
    node: Type.String(),
    storage: Type.String(),
    volid: NullableString({ description: 'vzdump archive (instances)' }),
    snapshotId: NullableString({ description: 'ZFS snapshot (volumes)' }),
    copyRef: NullableString({
      description: 'volumes: the zfs send copy in the backup dataset (restorable after the volume is gone)',
    }),
    guestType: NullableString(),
    vmid: NullableInteger(),
    mode: NullableString(),
    sizeBytes: Type.Integer(),
    config: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
      description: 'the backed-up guest configuration',
    }),
    restoring: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'RecoveryPoint', additionalProperties: false },
);

export const RestoreBody = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('new'), Type.Literal('replace')], { description: 'default new' }),
    ),
    name: Type.Optional(
      Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'name of the new instance/volume' }),
    ),
    confirm: Type.Optional(
      Type.String({ maxLength: 128, description: 'replace: the name of the resource being overwritten' }),
    ),
    from: Type.Optional(
      Type.Union([Type.Literal('snapshot'), Type.Literal('copy')], {
        description:
          'volumes, new: restore from the local snapshot (default while it exists) or from the zfs send copy',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RestoreAcceptedSchema = Type.Object(
  {
    recoveryPoint: Type.Ref(RecoveryPointSchema),
    operation: Type.Ref(OperationSchema),
    mode: StringEnum(['new', 'replace'] as const),
    targetResourceId: NullableString({ description: 'the instance that will hold the restore' }),
  },
  { $id: 'RestoreAccepted', additionalProperties: false },
);

export const BackupNowBody = Type.Object(
  {
    storage: Type.Optional(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9._-]{0,63}$' })),
    mode: Type.Optional(MODE_IN),
  },
  { additionalProperties: false },
);

export const RetentionPreviewBody = Type.Object(
  {
    retention: RetentionInput,
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
    policyId: Type.Optional(ID('bkp')),
    resourceId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const RetentionPreviewSchema = Type.Object(
  {
    total: Type.Integer(),
    kept: Type.Integer(),
    items: Type.Array(
      Type.Object(
        {
          recoveryPointId: Type.String(),
          resourceName: Type.String(),
          createdAt: Timestamp,
          mark: StringEnum(['keep', 'remove', 'protected'] as const),
          keptBy: NullableString(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'RetentionPreview', additionalProperties: false },
);

export const SchedulePreviewQuery = Type.Object(
  {
    schedule: Type.String({ minLength: 1, maxLength: 100 }),
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const SchedulePreviewSchema = Type.Object(
  {
    cron: Type.String(),
    timezone: Type.String(),
    description: Type.String(),
    nextRuns: Type.Array(Timestamp),
  },
  { $id: 'SchedulePreview', additionalProperties: false },
);

export const PolicyIdParams = Type.Object({ id: ID('bkp') }, { additionalProperties: false });
export const RunIdParams = Type.Object({ id: ID('brun') }, { additionalProperties: false });
export const PointIdParams = Type.Object({ id: ID('rp') }, { additionalProperties: false });
export const ResourceIdParams = Type.Object(
  { id: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);

export const RunListQuery = Type.Object(
  {
    ...PageQuery,
    policyId: Type.Optional(ID('bkp')),
    status: Type.Optional(Type.Union(RUN_STATUSES.map((v) => Type.Literal(v)))),
  },
  { additionalProperties: false },
);

export const PointListQuery = Type.Object(
  {
    ...PageQuery,
    instanceId: Type.Optional(ID('i')),
    volumeId: Type.Optional(ID('vol')),
    policyId: Type.Optional(ID('bkp')),
  },
  { additionalProperties: false },
);

export const PolicyListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
