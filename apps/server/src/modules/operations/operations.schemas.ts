import { Type } from '@sinclair/typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../../platform/http/schemas.ts';

export const StepSchema = Type.Object(
  {
    name: Type.String(),
    title: Type.String(),
    status: Type.Union(['pending', 'running', 'succeeded', 'failed', 'skipped'].map((s) => Type.Literal(s))),
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
    detail: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const OperationErrorSchema = Type.Object(
  {
    code: Type.String({
      description: 'pve_task_failed, pve_api_error, pve_unreachable, host_agent_error, interrupted, …',
    }),
    message: Type.String(),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'For Proxmox failures: node, upid, exitstatus and log (the task log tail)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const OperationSchema = Type.Object(
  {
    id: Type.String({ description: 'op-…' }),
    action: Type.String({
      description:
        'instance.launch, instance.start, instance.stop, instance.reboot, instance.terminate, volume.attach, volume.detach',
    }),
    resourceType: Type.String(),
    resourceId: Type.String(),
    ownerId: Type.String(),
    status: Type.Union(['pending', 'running', 'succeeded', 'failed'].map((s) => Type.Literal(s))),
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    message: Type.Union([Type.String(), Type.Null()]),
    steps: Type.Array(StepSchema),
    error: Type.Union([OperationErrorSchema, Type.Null()]),
    attempts: Type.Integer({ description: 'How many times a worker picked it up (>1 after a restart)' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
  },
  { $id: 'Operation', additionalProperties: false, description: 'An asynchronous action and its progress' },
);

export const OperationListQuery = Type.Object(
  {
    ...PageQuery,
    resourceId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(
      Type.Union(['pending', 'running', 'succeeded', 'failed'].map((s) => Type.Literal(s))),
    ),
    action: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const OperationIdParams = Type.Object(
  { id: Type.String({ pattern: '^op-[0-9a-f]{17}$' }) },
  { additionalProperties: false },
);
