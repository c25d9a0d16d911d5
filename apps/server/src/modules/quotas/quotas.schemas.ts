import { Type } from '@sinclair/typebox';
import { NullableTimestamp, PageQuery } from '../../platform/http/schemas.ts';

const Limit = (max: number, description: string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: max }), Type.Null()], {
    description: `${description}; null = unlimited`,
  });

const LimitsSchema = Type.Object(
  {
    vcpu: Limit(100_000, 'vCPUs of active instances'),
    memory: Limit(1_000_000_000, 'MiB of memory of active instances'),
    diskGib: Limit(100_000_000, 'GiB of root disks plus volumes'),
    instances: Limit(1_000_000, 'active instances'),
    volumes: Limit(1_000_000, 'volumes'),
    backupGib: Limit(100_000_000, 'GiB of backups kept (recovery points)'),
    networks: Limit(100_000, 'networks (VPC-style, incl. the default network)'),
    securityGroups: Limit(100_000, 'security groups'),
    functions: Limit(100_000, 'functions'),
    functionConcurrency: Limit(100_000, 'function invocations running at once'),
    functionMemory: Limit(
      100_000_000,
      "MiB (the functions' memoryMb) of function invocations running at once",
    ),
  },
  { additionalProperties: false },
);

const UsageSchema = Type.Object(
  {
    vcpu: Type.Integer(),
    memory: Type.Integer(),
    diskGib: Type.Integer(),
    instances: Type.Integer(),
    volumes: Type.Integer(),
    backupGib: Type.Number({ description: 'GiB of backups kept' }),
    networks: Type.Integer(),
    securityGroups: Type.Integer(),
    functions: Type.Integer(),
    functionConcurrency: Type.Integer({ description: 'invocations running now (on this server)' }),
    functionMemory: Type.Integer({ description: 'MiB of the invocations running now (on this server)' }),
  },
  { additionalProperties: false },
);

export const QuotaSchema = Type.Object(
  {
    userId: Type.String({ description: 'usr-… or "default"' }),
    username: Type.Union([Type.String(), Type.Null()]),
    source: Type.Union([Type.Literal('user'), Type.Literal('default'), Type.Literal('none')], {
      description: 'user: own limits; default: the default limits apply; none: unlimited',
    }),
    limits: LimitsSchema,
    usage: UsageSchema,
    updatedAt: NullableTimestamp,
  },
  { $id: 'Quota', additionalProperties: false },
);

export const SetQuotaBody = Type.Partial(LimitsSchema, {
  additionalProperties: false,
  description: 'Omitted or null = unlimited',
});

export const QuotaParams = Type.Object(
  {
    userId: Type.String({
      pattern: '^(usr-[0-9a-f]{17}|default|me)$',
      description: 'a user id, "me" or "default"',
    }),
  },
  { additionalProperties: false },
);

export const QuotaListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
