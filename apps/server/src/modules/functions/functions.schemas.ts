import { type Static, Type } from '@sinclair/typebox';
import {
  NullableString,
  NullableTimestamp,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const RUNTIMES = ['nodejs', 'python3', 'go'] as const;
export const INVOCATION_STATUSES = [
  'queued',
  'running',
  'success',
  'error',
  'timeout',
  'out-of-memory',
  'throttled',
] as const;
export const TRIGGERS = ['api', 'http', 'cron', 'console'] as const;

const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]*$' });
const Handler = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_./-]+\\.[A-Za-z_$][A-Za-z0-9_$]*$',
  description:
    "file.export: 'index.handler' (index.mjs/js/cjs), 'app.handler' (app.py) or 'main.Handler' (Go: the function Handler of package main)",
});
const EnvMap = Type.Record(
  Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 }),
  Type.String({ maxLength: 4096 }),
  {
    description: 'Environment variables (plain values; use `secrets` for anything sensitive)',
  },
);
const SecretsMap = Type.Record(Type.String(), Type.String(), {
  description: "ENV_NAME → secret name or 'sec-…' id, resolved from the secrets vault at invocation",
});
const Cors = Type.Object(
  {
    allowOrigins: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 20 }),
    allowMethods: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 10 })),
    allowHeaders: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 30 })),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  },
  { additionalProperties: false },
);
export type Cors = Static<typeof Cors>;

const Code = Type.Union([
  Type.Object({ files: Type.Record(Type.String(), Type.String()) }, { additionalProperties: false }),
  Type.Object({ zipBase64: Type.String({ maxLength: 14 * 1024 * 1024 }) }, { additionalProperties: false }),
]);

const ConfigFields = {
  description: Type.Optional(Type.String({ maxLength: 256 })),
  runtime: Type.Union(RUNTIMES.map((r) => Type.Literal(r))),
  handler: Handler,
  memoryMb: Type.Integer({ minimum: 64, maximum: 10240, description: 'MiB' }),
  timeoutSeconds: Type.Integer({ minimum: 1, maximum: 900 }),
  env: Type.Optional(EnvMap),
  secrets: Type.Optional(SecretsMap),
  secretEnv: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description:
        "The secrets vault's name for `secrets` (same map, same meaning; give one of the two): ENV_NAME → secret name or 'sec-…' id",
    }),
  ),
  network: Type.Optional(
    Type.Boolean({ description: 'Outbound network (default off: no network namespace access)' }),
  ),
  concurrency: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Invocations running at once (default 10)' }),
  ),
  failureWebhook: Type.Optional(
    Type.Union([
      Type.String({
        pattern: '^https?://',
        maxLength: 1024,
        description: 'POSTed a JSON report when an async invocation fails its last attempt',
      }),
      Type.Null(),
    ]),
  ),
};

export const CreateFunctionBody = Type.Object(
  { name: Name, ...ConfigFields, code: Code },
  { additionalProperties: false },
);
export type CreateFunctionBody = Static<typeof CreateFunctionBody>;

export const UpdateFunctionBody = Type.Partial(
  Type.Object(
    {
      ...ConfigFields,
      code: Code,
      publish: Type.Boolean({ description: "Point the 'live' alias at the new version (default true)" }),
    },
    { additionalProperties: false },
  ),
);
export type UpdateFunctionBody = Static<typeof UpdateFunctionBody>;

export const FunctionIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const FunctionListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 64 })),
  ...PageQuery,
});

const FunctionUrl = Type.Object(
  {
    url: Type.String(),
    urlId: Type.String(),
    auth: StringEnum(['none', 'iam']),
    cors: Type.Union([Type.Ref('FunctionCors'), Type.Null()]),
  },
  { additionalProperties: false },
);

export const FunctionCorsSchema = Type.Object(Cors.properties, {
  $id: 'FunctionCors',
  additionalProperties: false,
});

export const FunctionSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    ownerId: Type.String(),
    runtime: StringEnum(RUNTIMES),
    handler: Type.String(),
    memoryMb: Type.Integer(),
    timeoutSeconds: Type.Integer(),
    env: Type.Record(Type.String(), Type.String()),
    secrets: Type.Record(Type.String(), Type.String()),
    secretEnv: Type.Record(Type.String(), Type.String(), { description: 'The same map as `secrets`' }),
    network: Type.Boolean(),
    concurrency: Type.Integer(),
    failureWebhook: NullableString(),
    version: Type.Integer({ description: 'Latest version' }),
    liveVersion: Type.Integer({
      description: "Version the 'live' alias points at (invocations, URL, schedules)",
    }),
    codeSha256: Type.String(),
    codeSize: Type.Integer(),
    url: Type.Union([FunctionUrl, Type.Null()]),
    lastInvokedAt: NullableTimestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Function', additionalProperties: false },
);

export const FunctionVersionSchema = Type.Object(
  {
    version: Type.Integer(),
    codeSha256: Type.String(),
    codeSize: Type.Integer(),
    runtime: Type.String(),
    handler: Type.String(),
    memoryMb: Type.Integer(),
    timeoutSeconds: Type.Integer(),
    description: Type.String(),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

export const VersionsResponse = Type.Object(
  {
    versions: Type.Array(FunctionVersionSchema),
    aliases: Type.Array(
      Type.Object(
        { name: Type.String(), version: Type.Integer(), updatedAt: Timestamp },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AliasParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  name: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
});
export const AliasBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const CodeResponse = Type.Object(
  {
    version: Type.Integer(),
    codeSha256: Type.String(),
    files: Type.Array(
      Type.Object(
        { path: Type.String(), size: Type.Integer(), text: NullableString() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const CodeQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) });

export const InvokeBody = Type.Object(
  {
    payload: Type.Optional(Type.Unknown()),
    async: Type.Optional(Type.Boolean()),
    qualifier: Type.Optional(
      Type.String({ maxLength: 32, description: "Version number or alias (default 'live')" }),
    ),
  },
  { additionalProperties: false },
);

const ErrorInfo = Type.Object(
  { type: Type.String(), message: Type.String(), stack: Type.Optional(Type.Array(Type.String())) },
  { additionalProperties: false },
);

export const InvokeResponse = Type.Object(
  {
    invocationId: Type.String(),
    status: StringEnum(INVOCATION_STATUSES),
    version: Type.Integer(),
    result: Type.Optional(Type.Unknown()),
    error: Type.Optional(ErrorInfo),
    durationMs: Type.Optional(Type.Number()),
    billedDurationMs: Type.Optional(Type.Integer()),
    memoryUsedMb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    coldStart: Type.Optional(Type.Boolean()),
    logTail: Type.Optional(Type.String()),
  },
  { $id: 'FunctionInvokeResult', additionalProperties: false },
);

export const InvocationSchema = Type.Object(
  {
    id: Type.String(),
    functionId: Type.String(),
    version: Type.Integer(),
    trigger: Type.String(),
    async: Type.Boolean(),
    status: StringEnum(INVOCATION_STATUSES),
    attempts: Type.Integer(),
    coldStart: Type.Boolean(),
    startedAt: NullableTimestamp,
    finishedAt: NullableTimestamp,
    durationMs: Type.Union([Type.Number(), Type.Null()]),
    billedDurationMs: Type.Union([Type.Integer(), Type.Null()]),
    memoryUsedMb: Type.Union([Type.Number(), Type.Null()]),
    error: Type.Union([ErrorInfo, Type.Null()]),
    result: Type.Optional(Type.Unknown()),
    logs: Type.Optional(Type.String()),
    logsTruncated: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'FunctionInvocation', additionalProperties: false },
);

export const InvocationsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  status: Type.Optional(Type.String({ maxLength: 16 })),
  since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Finished after this time, oldest first, with logs (logs --follow)',
    }),
  ),
});
export const InvocationIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const UrlBody = Type.Object(
  {
    auth: Type.Union([Type.Literal('none'), Type.Literal('iam')]),
    cors: Type.Optional(Type.Union([Cors, Type.Null()])),
  },
  { additionalProperties: false },
);
export const UrlResponse = FunctionUrl;

export const ScheduleBody = Type.Object(
  {
    cron: Type.String({ minLength: 1, maxLength: 128 }),
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
    payload: Type.Optional(Type.Unknown()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const FunctionScheduleSchema = Type.Object(
  {
    id: Type.String(),
    cron: Type.String(),
    timezone: Type.String(),
    payload: Type.Unknown(),
    enabled: Type.Boolean(),
    nextRunAt: NullableTimestamp,
    lastRunAt: NullableTimestamp,
    lastStatus: NullableString(),
    lastError: NullableString(),
    nextRuns: Type.Array(Type.String()),
  },
  { $id: 'FunctionSchedule', additionalProperties: false },
);
export const ScheduleParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  scheduleId: Type.String({ maxLength: 64 }),
});

export const MetricsQuery = Type.Object({
  hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 })),
});
export const FunctionMetricsSchema = Type.Object(
  {
    hours: Type.Integer(),
    invocations: Type.Integer(),
    errors: Type.Integer(),
    timeouts: Type.Integer(),
    outOfMemory: Type.Integer(),
    throttles: Type.Integer(),
    coldStarts: Type.Integer(),
    errorRate: Type.Number(),
    p50Ms: Type.Union([Type.Number(), Type.Null()]),
    p95Ms: Type.Union([Type.Number(), Type.Null()]),
    series: Type.Array(
      Type.Object(
        {
          t: Type.String(),
          invocations: Type.Integer(),
          errors: Type.Integer(),
          throttles: Type.Integer(),
          p50Ms: Type.Union([Type.Number(), Type.Null()]),
          p95Ms: Type.Union([Type.Number(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RuntimesResponse = Type.Object(
  {
    runtimes: Type.Array(
      Type.Object(
        {
          name: StringEnum(RUNTIMES),
          available: Type.Boolean(),
          version: NullableString(),
          reason: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    sandbox: Type.Object(
      {
        bwrap: Type.Boolean(),
        limits: Type.String({ description: 'cgroup-v2, cgroup-v1 or prlimit' }),
        seccomp: Type.Boolean(),
        runners: Type.Integer(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
