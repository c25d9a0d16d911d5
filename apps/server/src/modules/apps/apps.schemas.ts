import { type Static, Type } from '@sinclair/typebox';
import { NullableString, NullableTimestamp, StringEnum, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import { AppTemplateSchema, SLUG } from './apps.template.ts';

const Minimums = Type.Object(
  { vcpu: Type.Integer(), memoryMib: Type.Integer(), diskGib: Type.Integer() },
  { additionalProperties: false },
);

export const AppTemplateSummarySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    category: Type.String(),
    version: Type.String(),
    logo: Type.String({ description: 'URL of the bundled logo (served by ProxiCloud)' }),
    minimums: Minimums,
    builtin: Type.Boolean(),
    shared: Type.Boolean({ description: 'custom template visible to every user' }),
    ownerId: NullableString(),
    baseType: StringEnum(['lxc', 'vm'] as const),
  },
  { $id: 'AppTemplateSummary', additionalProperties: false },
);

export const AppTemplateDetailSchema = Type.Object(
  {
    ...AppTemplateSummarySchema.properties,
    template: Type.Ref(AppTemplateSchema),
  },
  { $id: 'AppTemplateDetail', additionalProperties: false },
);

export const CreateAppTemplateQuery = Type.Object(
  {
    shared: Type.Optional(Type.Boolean({ description: 'admins: share with every user' })),
    replace: Type.Optional(Type.Boolean({ description: 'replace your template with the same id' })),
  },
  { additionalProperties: false },
);

export const ImportAppTemplateBody = Type.Object(
  {
    text: Type.Optional(
      Type.String({ maxLength: 262_144, description: 'the template as YAML or JSON text' }),
    ),
    gitUrl: Type.Optional(
      Type.String({
        pattern: '^https://',
        maxLength: 1000,
        description: 'https URL of a raw YAML/JSON file in a Git repository (pin it to a commit)',
      }),
    ),
    shared: Type.Optional(Type.Boolean()),
    replace: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const TemplateIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ParamValue = Type.Union([Type.String({ maxLength: 4096 }), Type.Integer(), Type.Boolean()]);

export const DeployAppBody = Type.Object(
  {
    templateId: Type.String({ pattern: SLUG }),
    name: Type.String({
      pattern: '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$',
      description: 'DNS label; also the instance name',
    }),
    params: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), ParamValue, { maxProperties: 40 })),
    instanceType: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 48, description: 'an instance type name (t.small …)' }),
        Type.Object(
          {
            vcpu: Type.Optional(Type.Integer({ minimum: 1, maximum: 128 })),
            memoryMib: Type.Optional(Type.Integer({ minimum: 128, maximum: 1_048_576 })),
            diskGib: Type.Optional(Type.Integer({ minimum: 1, maximum: 16_384 })),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    networkIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^net-[0-9a-f]{17}$' }), { maxItems: 8, uniqueItems: true }),
    ),
    securityGroupIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^sg-[0-9a-f]{17}$' }), { maxItems: 16, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);
export type DeployAppInput = Static<typeof DeployAppBody>;

export const APP_STATUSES = [
  'creating',
  'installing',
  'configuring',
  'health-check',
  'ready',
  'failed',
  'updating',
  'deleting',
] as const;

export const AppSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    templateId: Type.String(),
    templateName: Type.String(),
    version: Type.String({ description: 'installed app version' }),
    latestVersion: NullableString({ description: 'the catalog version now (null: template removed)' }),
    updateAvailable: Type.Boolean(),
    baseType: StringEnum(['lxc', 'vm'] as const, {
      description:
        'container (setup script, updatable) or VM (cloud-init at first boot; update inside the VM)',
    }),
    status: StringEnum(APP_STATUSES),
    health: Type.Object(
      {
        status: StringEnum(['healthy', 'unhealthy', 'unknown'] as const),
        detail: NullableString(),
        checkedAt: NullableTimestamp,
      },
      { additionalProperties: false },
    ),
    url: NullableString({ description: 'the app URL with the instance address' }),
    notes: NullableString({ description: 'post-install notes with the instance address filled in' }),
    instanceId: NullableString(),
    ip: NullableString(),
    params: Type.Record(Type.String(), Type.Unknown(), {
      description: 'parameter values; secrets as "********"',
    }),
    volumeIds: Type.Array(Type.String()),
    error: Type.Union([
      Type.Object(
        { code: Type.String(), message: Type.String(), step: NullableString() },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    activeOperationId: NullableString(),
    ownerId: Type.String(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'App', additionalProperties: false },
);
export type App = Static<typeof AppSchema>;

export const AppOperationSchema = Type.Object(
  { app: Type.Ref(AppSchema), operation: Type.Ref(OperationSchema) },
  { $id: 'AppOperation', additionalProperties: false },
);

export const AppIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const AppLogsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'only lines after this sequence number' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);

export const AppLogsSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          seq: Type.Integer(),
          step: Type.String(),
          stream: Type.String(),
          line: Type.String(),
          at: Timestamp,
        },
        { additionalProperties: false },
      ),
    ),
    next: Type.Integer({ description: 'pass as ?after= to get newer lines' }),
  },
  { $id: 'AppLogs', additionalProperties: false },
);

export const DeleteAppQuery = Type.Object(
  {
    confirm: Type.Optional(Type.String({ maxLength: 64, description: 'the app id or name (required)' })),
    deleteVolumes: Type.Optional(
      Type.Boolean({ description: "also delete the app's volumes (default false)" }),
    ),
  },
  { additionalProperties: false },
);
