import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';

const NullStr = Type.Union([Type.String(), Type.Null()]);
export const VOLUME_NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$';
const STATUSES = [
  'creating',
  'available',
  'attaching',
  'in-use',
  'detaching',
  'deleting',
  'deleted',
  'error',
] as const;

export const VolumeSchema = Type.Object(
  {
    id: Type.String({ description: 'vol-…' }),
    name: Type.String(),
    ownerId: Type.String(),
    sizeGib: Type.Integer({ description: 'size in GiB (2^30 bytes)' }),
    volumeType: Type.String(),
    storage: Type.String(),
    node: Type.String(),
    format: Type.Union([Type.Literal('block'), Type.Literal('filesystem')], {
      description: 'block: a disk for VMs; filesystem: a mount point for containers',
    }),
    status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
    statusReason: NullStr,
    instanceId: NullStr,
    device: Type.Union([Type.String(), Type.Null()], { description: 'scsiN (VM) or mpN (container)' }),
    deviceName: Type.Union([Type.String(), Type.Null()], {
      description: '/dev/sdX in the VM, or the mount path in the container',
    }),
    devicePath: Type.Union([Type.String(), Type.Null()], {
      description: 'stable /dev/disk/by-id path in the VM',
    }),
    sourceSnapshotId: NullStr,
    pveVolid: NullStr,
    activeOperationId: NullStr,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Volume', additionalProperties: false },
);

export const SnapshotSchema = Type.Object(
  {
    id: Type.String({ description: 'snap-…' }),
    volumeId: Type.String(),
    ownerId: Type.String(),
    name: Type.String(),
    description: Type.String(),
    sizeBytes: Type.Integer({ description: 'space held by the snapshot (ZFS used)' }),
    createdAt: Timestamp,
  },
  { $id: 'Snapshot', additionalProperties: false },
);

export const VolumeTypeSchema = Type.Object(
  {
    name: Type.String(),
    storage: Type.String(),
    zfsPool: Type.String(),
    description: Type.String(),
    updatedAt: Timestamp,
  },
  { $id: 'VolumeType', additionalProperties: false },
);

export const VolumeOperationSchema = Type.Object(
  { volume: Type.Ref(VolumeSchema), operation: Type.Ref(OperationSchema) },
  { $id: 'VolumeOperation', additionalProperties: false },
);

export const RestoreResultSchema = Type.Object(
  { volume: Type.Ref(VolumeSchema), destroyedSnapshots: Type.Array(Type.String()) },
  { $id: 'RestoreResult', additionalProperties: false },
);

export const CreateVolumeBody = Type.Object(
  {
    name: Type.String({ pattern: VOLUME_NAME }),
    sizeGib: Type.Integer({ minimum: 1, maximum: 16_384, description: 'size in GiB: 1 GiB … 16 TiB' }),
    volumeType: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'default ssd' })),
    node: Type.Optional(
      Type.String({
        pattern: '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$',
        description: 'default: most free space',
      }),
    ),
    format: Type.Optional(
      Type.Union([Type.Literal('block'), Type.Literal('filesystem')], { description: 'default block (VMs)' }),
    ),
  },
  { additionalProperties: false },
);

export const AttachBody = Type.Object(
  {
    instanceId: Type.String({ pattern: '^i-[0-9a-f]{17}$' }),
    mountPath: Type.Optional(
      Type.String({
        pattern: '^/[A-Za-z0-9._/-]{1,200}$',
        description: 'containers: where to mount (default /mnt/<volume name>)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DetachBody = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({
        description:
          'detach from a running VM even when the QEMU guest agent reports the disk mounted (409 volume_mounted) ' +
          'or cannot tell (409 volume_maybe_mounted)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateSnapshotBody = Type.Object(
  {
    name: Type.String({ pattern: VOLUME_NAME }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RestoreBody = Type.Object(
  {
    destroyNewer: Type.Optional(
      Type.Boolean({ description: 'allow destroying snapshots newer than this one' }),
    ),
  },
  { additionalProperties: false },
);

export const CloneBody = Type.Object(
  { name: Type.String({ pattern: VOLUME_NAME }) },
  { additionalProperties: false },
);

export const SetVolumeTypeBody = Type.Object(
  {
    storage: Type.String({
      pattern: '^[a-z][a-z0-9._-]{0,62}[a-z0-9]$',
      description: 'PVE zfspool storage id',
    }),
    zfsPool: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*(/[A-Za-z0-9][A-Za-z0-9_.:-]*)*$',
      maxLength: 200,
      description: 'its pool (storage.cfg "pool"), e.g. rpool/data',
    }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const VolumeListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.String({ pattern: `^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$` })),
    q: Type.Optional(Type.String({ maxLength: 63 })),
    instanceId: Type.Optional(Type.String({ pattern: '^i-[0-9a-f]{17}$' })),
  },
  { additionalProperties: false },
);

export const SnapshotListQuery = Type.Object(
  { ...PageQuery, volumeId: Type.Optional(Type.String({ pattern: '^vol-[0-9a-f]{17}$' })) },
  { additionalProperties: false },
);

export const VolumeIdParams = Type.Object(
  { id: Type.String({ pattern: '^vol-[0-9a-f]{17}$' }) },
  { additionalProperties: false },
);
export const SnapshotIdParams = Type.Object(
  { id: Type.String({ pattern: '^snap-[0-9a-f]{17}$' }) },
  { additionalProperties: false },
);
export const VolumeTypeParams = Type.Object(
  { name: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }) },
  { additionalProperties: false },
);
