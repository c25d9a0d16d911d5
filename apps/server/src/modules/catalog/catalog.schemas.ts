import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CatalogImageSchema = Type.Object(
  {
    id: Type.String({ description: 'PVE volume id; pass it (or name) as `template` when launching' }),
    name: Type.String({ description: 'file name' }),
    kind: Type.Union([Type.Literal('lxc-template'), Type.Literal('cloud-image'), Type.Literal('iso')]),
    instanceType: Type.Union([Type.Literal('vm'), Type.Literal('lxc'), Type.Null()], {
      description:
        'What it launches: vm (cloud image: imported, cloud-init; installer ISO: empty disk + CD-ROM) or lxc',
    }),
    launchable: Type.Boolean(),
    note: Nullable(
      Type.String({
        description: 'Why it cannot be launched and how to fix it (e.g. a cloud image in ISO storage)',
      }),
    ),
    os: Type.String({ description: 'debian, ubuntu, alpine, … or unknown' }),
    version: Nullable(Type.String()),
    source: Type.String({ description: 'proxmox, turnkey, debian-cloud, ubuntu-cloud, … or custom' }),
    arch: Nullable(Type.String()),
    variant: Nullable(Type.String()),
    defaultUser: Type.String({ description: 'cloud-init login user used when none is given' }),
    format: Nullable(Type.String()),
    sizeBytes: Type.Integer(),
    storage: Type.String(),
    nodes: Type.Array(Type.String()),
  },
  { $id: 'CatalogImage', additionalProperties: false },
);

export const CatalogQuery = Type.Object(
  {
    ...PageQuery,
    kind: Type.Optional(
      Type.Union([Type.Literal('lxc-template'), Type.Literal('cloud-image'), Type.Literal('iso')]),
    ),
    type: Type.Optional(Type.Union([Type.Literal('vm'), Type.Literal('lxc')])),
    os: Type.Optional(Type.String({ maxLength: 32 })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const InstanceTypeSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    vcpu: Type.Integer(),
    memory: Type.Integer({ description: 'MiB' }),
    sizeGib: Type.Integer({ description: 'default root disk size (GiB)' }),
    builtin: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'InstanceType', additionalProperties: false },
);

export const INSTANCE_TYPE_NAME = '^[a-z][a-z0-9]{0,15}\\.[a-z0-9][a-z0-9-]{0,30}$';

export const CreateInstanceTypeBody = Type.Object(
  {
    name: Type.String({ pattern: INSTANCE_TYPE_NAME, description: 'family.size, e.g. m.large' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    vcpu: Type.Integer({ minimum: 1, maximum: 128 }),
    memory: Type.Integer({ minimum: 128, maximum: 1_048_576, description: 'MiB' }),
    sizeGib: Type.Integer({ minimum: 1, maximum: 16_384, description: 'root disk size (GiB)' }),
  },
  { additionalProperties: false },
);

export const InstanceTypeParams = Type.Object(
  { name: Type.String({ pattern: INSTANCE_TYPE_NAME }) },
  { additionalProperties: false },
);
