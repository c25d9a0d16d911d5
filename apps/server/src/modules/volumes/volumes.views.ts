/** How the API shows volumes, snapshots and volume types, and how their changes are published. */
import type { EventBus } from '../events/index.ts';
import type {
  SnapshotRow,
  VolumeRow,
  VolumeStatus,
  VolumesRepository,
  VolumeTypeRow,
} from './volumes.repository.ts';
import type { VolumeFormat } from './volumes.zfs.ts';

export interface Volume {
  id: string;
  name: string;
  ownerId: string;
  sizeGib: number;
  volumeType: string;
  storage: string;
  node: string;
  format: VolumeFormat;
  status: VolumeStatus;
  statusReason: string | null;
  instanceId: string | null;
  /** scsiN (VM) or mpN (LXC) */
  device: string | null;
  /** /dev/sdX inside a VM, or the mount path inside a container */
  deviceName: string | null;
  /** stable path inside a VM (does not depend on probe order) */
  devicePath: string | null;
  sourceSnapshotId: string | null;
  pveVolid: string | null;
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Snapshot {
  id: string;
  volumeId: string;
  ownerId: string;
  name: string;
  description: string;
  sizeBytes: number;
  createdAt: string;
}

export interface VolumeType {
  name: string;
  storage: string;
  zfsPool: string;
  description: string;
  updatedAt: string;
}

export function toVolume(row: VolumeRow): Volume {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    sizeGib: Number(row.size_gb),
    volumeType: row.volume_type,
    storage: row.storage,
    node: row.node,
    format: row.format,
    status: row.status,
    statusReason: row.status_reason,
    instanceId: row.instance_id,
    device: row.device,
    deviceName: row.device_name,
    devicePath: row.device?.startsWith('scsi')
      ? `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-${row.device}`
      : null,
    sourceSnapshotId: row.source_snapshot_id,
    pveVolid: row.pve_volid,
    activeOperationId: row.active_operation_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    volumeId: row.volume_id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    sizeBytes: Number(row.size_bytes),
    createdAt: row.created_at,
  };
}

export function toType(row: VolumeTypeRow): VolumeType {
  return {
    name: row.name,
    storage: row.storage,
    zfsPool: row.zfs_pool,
    description: row.description,
    updatedAt: row.updated_at,
  };
}

/** Publishes a volume's current state (the service and the attach/detach handlers share it). */
export function volumePublisher(repo: VolumesRepository, bus: EventBus) {
  return async (id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): Promise<void> => {
    const row = await repo.find(id);
    if (!row) return;
    bus.publish({
      type: `volume.${type}`,
      resource: 'volume',
      resourceId: id,
      ownerId: row.owner_id,
      data: toVolume(row),
    });
  };
}

/** Publishes a snapshot's change (the snapshot services share it). */
export function publishSnapshot(
  bus: EventBus,
  row: SnapshotRow,
  type: 'created' | 'updated' | 'deleted',
): void {
  bus.publish({
    type: `snapshot.${type}`,
    resource: 'snapshot',
    resourceId: row.id,
    ownerId: row.owner_id,
    data: toSnapshot(row),
  });
}
