import { HostAgentCommandError, ProxmoxApiError, type ProxmoxClient } from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { AuditService } from '../audit/index.ts';
import { isUniqueViolation } from '../compute/compute.db.ts';
import type { NodeInventory } from '../compute/compute.inventory.ts';
import { apiErrorOf, isGone, type ResourceCache } from '../compute/compute.pve.ts';
import type { EventBus } from '../events/events.bus.ts';
import { authorize } from '../iam/index.ts';
import { waitTask } from '../instances/instances.driver.ts';
import type { InstancesRepository } from '../instances/instances.repository.ts';
import type { OperationEngine, OperationView } from '../operations/operations.engine.ts';
import type { QuotasService } from '../quotas/quotas.service.ts';
import type { AttachParams, DetachParams, VolumeOperations } from './volumes.operations.ts';
import type {
  SnapshotRow,
  VolumeRow,
  VolumeStatus,
  VolumesRepository,
  VolumeTypeRow,
} from './volumes.repository.ts';
import {
  dependentsOf,
  HOLDER_VMID,
  leafOf,
  leafPrefix,
  leavesOf,
  listPool,
  nextLeaf,
  snapshotsOf,
  type VolumeFormat,
} from './volumes.zfs.ts';

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

function toType(row: VolumeTypeRow): VolumeType {
  return {
    name: row.name,
    storage: row.storage,
    zfsPool: row.zfs_pool,
    description: row.description,
    updatedAt: row.updated_at,
  };
}

export type GuestMountCheck =
  | { state: 'mounted'; mountpoints: string[] }
  | { state: 'unmounted' }
  | { state: 'unknown'; reason: string };

/**
 * Is `disk` (e.g. `scsi1`) of a running VM mounted? Asks the QEMU guest agent (`get-fsinfo`) and
 * matches the disk by its serial (QEMU SCSI disks: `0QEMU_QEMU_HARDDISK_drive-scsiN`, virtio:
 * `drive-virtioN`). `unknown` when the agent is not configured, not running or answers nothing usable.
 */
export async function guestMountCheck(
  client: ProxmoxClient,
  node: string,
  vmid: number,
  disk: string,
): Promise<GuestMountCheck> {
  let res: { result?: unknown };
  try {
    res = (await client.node(node).vm(vmid).agent.getFsinfo({ retries: 0, timeoutMs: 10_000 })) as {
      result?: unknown;
    };
  } catch (e) {
    const msg = e instanceof ProxmoxApiError ? e.pveMessage.trim() : (e as Error).message;
    return { state: 'unknown', reason: `guest agent: ${msg}` };
  }
  if (!Array.isArray(res.result)) return { state: 'unknown', reason: 'guest agent: no filesystem list' };
  const mountpoints = new Set<string>();
  const filesystems = res.result as { mountpoint?: string; disk?: { serial?: string }[] }[];
  // without disk serials nothing can be matched: do not claim "unmounted"
  if (!filesystems.some((fs) => (fs.disk ?? []).some((d) => typeof d.serial === 'string' && d.serial)))
    return { state: 'unknown', reason: 'the guest agent reports no disk serial numbers' };
  for (const fs of filesystems) {
    const hit = (fs.disk ?? []).some(
      (d) => typeof d.serial === 'string' && d.serial.endsWith(`drive-${disk}`),
    );
    if (hit && fs.mountpoint) mountpoints.add(fs.mountpoint);
  }
  return mountpoints.size
    ? { state: 'mounted', mountpoints: [...mountpoints].sort() }
    : { state: 'unmounted' };
}

export interface VolumesServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  bus: EventBus;
  engine: OperationEngine;
  repo: VolumesRepository;
  instances: InstancesRepository;
  quotas: QuotasService;
  inventory: NodeInventory;
  cache: ResourceCache;
  ops: VolumeOperations;
  proxmox: () => ProxmoxConnection;
  publishInstance(id: string): Promise<void>;
}

export interface CreateVolumeInput {
  name: string;
  sizeGib: number;
  volumeType?: string;
  node?: string;
  format?: VolumeFormat;
}

export class VolumesService {
  /** Picking the next free disk name and allocating it must not interleave (per process). */
  private readonly allocLock = new Mutex();

  constructor(private readonly deps: VolumesServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  async publish(id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): Promise<void> {
    const row = await this.deps.repo.find(id);
    if (!row) return;
    this.deps.bus.publish({
      type: `volume.${type}`,
      resource: 'volume',
      resourceId: id,
      ownerId: row.owner_id,
      data: toVolume(row),
    });
  }

  private publishSnapshot(row: SnapshotRow, type: 'created' | 'updated' | 'deleted'): void {
    this.deps.bus.publish({
      type: `snapshot.${type}`,
      resource: 'snapshot',
      resourceId: row.id,
      ownerId: row.owner_id,
      data: toSnapshot(row),
    });
  }

  /* ------------------------------------------------------------------ volume types */

  async listTypes(actor: Actor): Promise<VolumeType[]> {
    authorize(actor, 'volumes', 'read');
    return (await this.deps.repo.listTypes()).map(toType);
  }

  async setType(
    ctx: AuthenticatedContext,
    name: string,
    input: { storage: string; zfsPool: string; description?: string },
  ): Promise<VolumeType> {
    authorize(ctx.actor, 'volume_types', 'update');
    if (!isAdmin(ctx.actor)) throw new ForbiddenError('Only admins map volume types to storages');
    const existing = await this.deps.repo.findType(name);
    const now = this.now();
    const row: VolumeTypeRow = {
      name,
      storage: input.storage,
      zfs_pool: input.zfsPool,
      description: input.description ?? existing?.description ?? '',
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).upsertType(row);
      await this.deps.audit.record(
        ctx,
        { action: 'volume_types.update', resourceType: 'volume_type', resourceId: name, details: input },
        trx,
      );
    });
    return toType(row);
  }

  async deleteType(ctx: AuthenticatedContext, name: string): Promise<void> {
    authorize(ctx.actor, 'volume_types', 'delete');
    if (!isAdmin(ctx.actor)) throw new ForbiddenError('Only admins map volume types to storages');
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (!(await repo.findType(name))) throw new NotFoundError('Volume type', name);
      const used = await repo.countByType(name);
      if (used > 0)
        throw new ConflictError(`${used} volume(s) use type '${name}'; delete them first`, { volumes: used });
      await repo.deleteType(name);
      await this.deps.audit.record(
        ctx,
        { action: 'volume_types.delete', resourceType: 'volume_type', resourceId: name },
        trx,
      );
    });
  }

  /* ------------------------------------------------------------------ volumes */

  async list(
    actor: Actor,
    filter: { status?: VolumeStatus[]; q?: string; instanceId?: string },
    page: Page,
  ): Promise<ListResult<Volume>> {
    authorize(actor, 'volumes', 'read');
    const { rows, total } = await this.deps.repo.list(actor, filter, page);
    return { items: rows.map(toVolume), total, ...page };
  }

  private async scoped(actor: Actor, id: string): Promise<VolumeRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row || row.status === 'deleted') throw new NotFoundError('Volume', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<Volume> {
    authorize(actor, 'volumes', 'read');
    return toVolume(await this.scoped(actor, id));
  }

  /** Node with the most free space on `storage` (or the given one, checked). */
  private async pickNode(storage: string, sizeGb: number, node: string | undefined): Promise<string> {
    const snap = await this.deps.cache.get(1000);
    const need = sizeGb * 1024 ** 3;
    const candidates = node
      ? [node]
      : [...snap.nodes.values()].filter((n) => n.status === 'online').map((n) => n.node!);
    if (node) {
      const n = snap.nodes.get(node);
      if (!n)
        throw new UnprocessableError(
          `Node '${node}' is not part of the cluster`,
          { field: 'node' },
          'unknown_node',
        );
      if (n.status !== 'online')
        throw new UnprocessableError(`Node '${node}' is offline`, { field: 'node' }, 'node_offline');
    }
    let best: { node: string; avail: number } | null = null;
    const reasons: string[] = [];
    for (const n of candidates) {
      const s = (await this.deps.inventory.storagesOf(n)).find((x) => x.storage === storage);
      if (!s) {
        reasons.push(`${n}: storage '${storage}' does not exist`);
        continue;
      }
      const avail = Number(s.avail ?? 0);
      if (avail < need) {
        reasons.push(
          `${n}: storage '${storage}' has ${Math.floor(avail / 1024 ** 3)} GiB free, ${sizeGb} GiB needed`,
        );
        continue;
      }
      if (!best || avail > best.avail) best = { node: n, avail };
    }
    if (!best)
      throw new UnprocessableError(
        `Cannot place the volume: ${reasons.join('; ') || 'no online node'}`,
        { reasons },
        'no_capacity',
      );
    return best.node;
  }

  /** Next free holder disk name on a storage, from PVE's content list. */
  private async holderLeaf(node: string, storage: string, format: VolumeFormat): Promise<string> {
    const items = await this.deps
      .proxmox()
      .client.node(node)
      .storageOf(storage)
      .content({ vmid: HOLDER_VMID });
    return nextLeaf(
      items.map((i) => leafOf(i.volid)),
      leafPrefix(format, HOLDER_VMID),
    );
  }

  async create(ctx: AuthenticatedContext, input: CreateVolumeInput): Promise<Volume> {
    authorize(ctx.actor, 'volumes', 'create');
    const typeName = input.volumeType ?? 'ssd';
    const type = await this.deps.repo.findType(typeName);
    if (!type)
      throw new UnprocessableError(
        `Unknown volume type '${typeName}' (GET /api/v1/volume-types)`,
        { field: 'volumeType' },
        'unknown_volume_type',
      );
    const format = input.format ?? 'block';
    this.deps.proxmox();
    let node: string;
    try {
      node = await this.pickNode(type.storage, input.sizeGib, input.node);
    } catch (e) {
      throw apiErrorOf(e);
    }
    const now = this.now();
    const row: VolumeRow = {
      id: newId('vol'),
      owner_id: ctx.actor.id,
      name: input.name,
      size_gb: input.sizeGib,
      volume_type: type.name,
      storage: type.storage,
      zfs_pool: type.zfs_pool,
      node,
      format,
      pve_volid: null,
      status: 'creating',
      status_reason: null,
      instance_id: null,
      device: null,
      device_name: null,
      mount_path: null,
      source_snapshot_id: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.insertWithQuota(ctx, row, 'volumes.create', {
      sizeGib: input.sizeGib,
      volumeType: type.name,
      node,
      format,
    });
    ctx.resourceId = row.id;
    try {
      const volid = await this.allocLock.run(async () => {
        const leaf = await this.holderLeaf(node, type.storage, format);
        return this.deps
          .proxmox()
          .client.node(node)
          .storageOf(type.storage)
          .allocate({
            vmid: HOLDER_VMID,
            filename: leaf,
            size: `${input.sizeGib}G`,
            format: format === 'block' ? 'raw' : 'subvol',
          } as never);
      });
      await this.deps.repo.update(row.id, { pve_volid: volid, status: 'available', updated_at: this.now() });
    } catch (e) {
      await this.deps.repo.update(row.id, {
        status: 'deleted',
        status_reason: 'creation failed',
        deleted_at: this.now(),
      });
      throw apiErrorOf(e);
    }
    this.deps.inventory.invalidate();
    await this.publish(row.id, 'created');
    return toVolume((await this.deps.repo.find(row.id))!);
  }

  private async insertWithQuota(
    ctx: AuthenticatedContext,
    row: VolumeRow,
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (await repo.findLiveByName(row.owner_id, row.name))
          throw new ConflictError(`You already have a volume named '${row.name}'`, { field: 'name' });
        await this.deps.quotas.assertWithin(trx, row.owner_id, { diskGib: Number(row.size_gb), volumes: 1 });
        await repo.insert(row);
        await this.deps.audit.record(
          ctx,
          { action, resourceType: 'volume', resourceId: row.id, details: { name: row.name, ...details } },
          trx,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(`You already have a volume named '${row.name}'`, { field: 'name' });
      throw e;
    }
  }

  /** Hold a volume (and optionally its instance) for a synchronous change; 409 when busy. */
  private async withLocks<T>(
    vol: VolumeRow,
    instanceId: string | null,
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    // tokens carry the worker id: a restarted server releases only locks of processes that are gone
    const token = `sync-${this.deps.engine.workerId}-${what}-${newId('x').slice(2)}`;
    if (!(await this.deps.repo.lock(vol.id, token))) {
      throw new ConflictError(
        `Volume ${vol.id} is busy (operation ${vol.active_operation_id})`,
        undefined,
        'volume_busy',
      );
    }
    try {
      if (instanceId && !(await this.deps.instances.lock(instanceId, token))) {
        throw new ConflictError(
          `Instance ${instanceId} is busy; try again when its operation finishes`,
          undefined,
          'instance_busy',
        );
      }
      try {
        return await fn();
      } finally {
        if (instanceId) await this.deps.instances.unlock(instanceId, token);
      }
    } finally {
      await this.deps.repo.unlock(vol.id, token);
    }
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'volumes', 'delete');
    const vol = await this.scoped(ctx.actor, id);
    if (vol.status === 'in-use' || vol.instance_id) {
      throw new ConflictError(
        `Volume ${id} is attached to ${vol.instance_id}; detach it first`,
        undefined,
        'volume_in_use',
      );
    }
    if (!['available', 'error'].includes(vol.status))
      throw new ConflictError(`Volume ${id} is ${vol.status}`, undefined, 'invalid_state');
    await this.withLocks(vol, null, 'delete', async () => {
      if (vol.pve_volid) {
        try {
          await this.destroyVolume(vol);
        } catch (e) {
          throw apiErrorOf(e);
        }
      }
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const now = this.now();
        await repo.update(id, { status: 'deleted', deleted_at: now, updated_at: now });
        await repo.markSnapshotsDeleted(
          (await repo.snapshotsOf(id)).map((s) => s.id),
          now,
        );
        await this.deps.audit.record(
          ctx,
          {
            action: 'volumes.delete',
            resourceType: 'volume',
            resourceId: id,
            details: { name: vol.name, sizeGib: Number(vol.size_gb) },
          },
          trx,
        );
      });
    });
    this.deps.inventory.invalidate();
    this.deps.bus.publish({
      type: 'volume.deleted',
      resource: 'volume',
      resourceId: id,
      ownerId: vol.owner_id,
      data: { id },
    });
  }

  /**
   * Delete the dataset through PVE. Volumes cloned from its snapshots keep living: they are
   * promoted first (ZFS then moves the snapshots they need to them).
   */
  private async destroyVolume(vol: VolumeRow): Promise<void> {
    const { client, hostAgent } = this.deps.proxmox();
    if (hostAgent) {
      const zfs = await hostAgent.zfs(vol.node);
      const ds = `${vol.zfs_pool}/${leafOf(vol.pve_volid!)}`;
      const all = await listPool(zfs, vol.zfs_pool);
      if (!all.some((d) => d.name === ds)) return; // already gone (e.g. deleted with its instance)
      for (const dep of dependentsOf(all, ds)) await zfs.promote(dep.name);
    }
    try {
      const upid = await client.node(vol.node).storageOf(vol.storage).deleteVolume(vol.pve_volid!);
      if (upid) await waitTask(client, vol.node, upid, new AbortController().signal);
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }

  /* ------------------------------------------------------------------ attach / detach */

  async attach(
    ctx: AuthenticatedContext,
    id: string,
    input: { instanceId: string; mountPath?: string },
  ): Promise<{ volume: Volume; operation: OperationView }> {
    authorize(ctx.actor, 'volumes', 'attach');
    const operation = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const instances = this.deps.instances.with(trx);
      const vol = await repo.findScoped(ctx.actor, id);
      if (!vol || vol.status === 'deleted') throw new NotFoundError('Volume', id);
      const inst = await instances.find(input.instanceId);
      // another owner's instance is hidden (404), even from an admin acting on someone's volume
      if (
        !inst ||
        inst.status === 'terminated' ||
        inst.owner_id !== vol.owner_id ||
        (!isAdmin(ctx.actor) && inst.owner_id !== ctx.actor.id)
      ) {
        throw new NotFoundError('Instance', input.instanceId);
      }
      if (vol.active_operation_id) throw new ConflictError(`Volume ${id} is busy`, undefined, 'volume_busy');
      if (vol.status !== 'available')
        throw new ConflictError(
          `Volume ${id} is ${vol.status}; only available volumes can be attached`,
          { status: vol.status },
          'invalid_state',
        );
      if (!['running', 'stopped'].includes(inst.status))
        throw new ConflictError(`Instance ${inst.id} is ${inst.status}`, undefined, 'invalid_state');
      if (inst.node !== vol.node) {
        throw new UnprocessableError(
          `Volume ${id} is on node ${vol.node} but instance ${inst.id} runs on ${inst.node}; they must be on the same node`,
          undefined,
          'node_mismatch',
        );
      }
      const wants = inst.type === 'vm' ? 'block' : 'filesystem';
      if (vol.format !== wants) {
        throw new UnprocessableError(
          `A ${vol.format} volume cannot be attached to ${inst.type === 'vm' ? 'a VM (needs format block)' : 'a container (needs format filesystem)'}`,
          undefined,
          'format_mismatch',
        );
      }
      if (input.mountPath && inst.type !== 'lxc')
        throw new UnprocessableError('mountPath applies to containers only', { field: 'mountPath' });
      if (
        input.mountPath &&
        (input.mountPath.split('/').some((c) => c === '.' || c === '..') || input.mountPath === '/')
      ) {
        throw new ValidationError(
          'mountPath must be an absolute path without . or .. components (and not /)',
          { field: 'mountPath' },
        );
      }
      const params: AttachParams = { instanceId: inst.id, mountPath: input.mountPath ?? null };
      const op = await this.deps.engine.enqueue(trx, {
        action: 'volume.attach',
        ownerId: vol.owner_id,
        resourceType: 'volume',
        resourceId: id,
        params,
        steps: [
          { name: 'rehome', title: 'Move the dataset to the instance (ZFS rename)' },
          {
            name: 'attach',
            title: inst.type === 'vm' ? 'Attach as the next free SCSI disk' : 'Add a mount point',
          },
        ],
        requestId: ctx.requestId,
      });
      if (!(await instances.lock(inst.id, op.id)))
        throw new ConflictError(`Instance ${inst.id} is busy`, undefined, 'instance_busy');
      if (
        !(await repo.lock(id, op.id, { status: 'attaching', status_reason: null, updated_at: this.now() }))
      ) {
        throw new ConflictError(`Volume ${id} is busy`, undefined, 'volume_busy');
      }
      await this.deps.audit.record(
        ctx,
        {
          action: 'volumes.attach',
          resourceType: 'volume',
          resourceId: id,
          details: { instanceId: inst.id, operationId: op.id },
        },
        trx,
      );
      return op;
    });
    this.deps.engine.wake();
    await this.publish(id);
    return { volume: toVolume((await this.deps.repo.find(id))!), operation };
  }

  async detach(
    ctx: AuthenticatedContext,
    id: string,
    input: { force?: boolean },
  ): Promise<{ volume: Volume; operation: OperationView }> {
    authorize(ctx.actor, 'volumes', 'detach');
    // Ask the guest agent (outside the transaction: a PVE round trip) whether the disk is mounted.
    let mount: GuestMountCheck | null = null;
    if (!input.force) {
      const pre = await this.deps.repo.findScoped(ctx.actor, id);
      const owner = pre?.instance_id ? await this.deps.instances.find(pre.instance_id) : undefined;
      if (
        pre?.device &&
        owner?.type === 'vm' &&
        owner.status === 'running' &&
        owner.node &&
        owner.vmid !== null
      )
        mount = await guestMountCheck(this.deps.proxmox().client, owner.node, Number(owner.vmid), pre.device);
    }
    const operation = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const instances = this.deps.instances.with(trx);
      const vol = await repo.findScoped(ctx.actor, id);
      if (!vol || vol.status === 'deleted') throw new NotFoundError('Volume', id);
      if (vol.active_operation_id) throw new ConflictError(`Volume ${id} is busy`, undefined, 'volume_busy');
      if (vol.status !== 'in-use' || !vol.instance_id)
        throw new ConflictError(`Volume ${id} is not attached`, { status: vol.status }, 'not_attached');
      const inst = await instances.find(vol.instance_id);
      if (inst?.status === 'running') {
        if (inst.type === 'lxc') {
          throw new ConflictError(
            `Stop container ${inst.id} first: Proxmox cannot unplug a mount point from a running container`,
            undefined,
            'instance_running',
          );
        }
        if (!input.force && mount?.state === 'mounted') {
          throw new ConflictError(
            `${vol.device_name} is mounted at ${mount.mountpoints.join(', ')} inside instance ${inst.id} ` +
              `(reported by the QEMU guest agent). Unmount it in the guest (umount ${mount.mountpoints[0]}) and ` +
              'detach again, or detach with force=true (data written but not flushed may be lost)',
            {
              device: vol.device_name,
              disk: vol.device,
              mountpoint: mount.mountpoints[0],
              mountpoints: mount.mountpoints,
            },
            'volume_mounted',
          );
        }
        if (!input.force && mount?.state !== 'unmounted') {
          const reason = mount && 'reason' in mount ? mount.reason : null;
          throw new ConflictError(
            `Instance ${inst.id} is running and ProxiCloud cannot check that ${vol.device_name} is unmounted ` +
              `(${reason ?? 'the QEMU guest agent did not answer'}). Unmount it inside the guest and detach ` +
              'with force=true, or stop the instance first',
            { device: vol.device_name, disk: vol.device, reason },
            'volume_maybe_mounted',
          );
        }
      }
      const params: DetachParams = { instanceId: vol.instance_id, force: input.force ?? false };
      const op = await this.deps.engine.enqueue(trx, {
        action: 'volume.detach',
        ownerId: vol.owner_id,
        resourceType: 'volume',
        resourceId: id,
        params,
        steps: [{ name: 'detach', title: 'Unplug and move the dataset back (the data is kept)' }],
        requestId: ctx.requestId,
      });
      if (!(await instances.lock(vol.instance_id, op.id)))
        throw new ConflictError(`Instance ${vol.instance_id} is busy`, undefined, 'instance_busy');
      if (!(await repo.lock(id, op.id, { status: 'detaching', updated_at: this.now() })))
        throw new ConflictError(`Volume ${id} is busy`, undefined, 'volume_busy');
      await this.deps.audit.record(
        ctx,
        {
          action: 'volumes.detach',
          resourceType: 'volume',
          resourceId: id,
          details: {
            instanceId: vol.instance_id,
            force: input.force ?? false,
            ...(mount ? { guestAgent: mount.state } : {}),
            operationId: op.id,
          },
        },
        trx,
      );
      return op;
    });
    this.deps.engine.wake();
    await this.publish(id);
    return { volume: toVolume((await this.deps.repo.find(id))!), operation };
  }

  /* ------------------------------------------------------------------ snapshots */

  private async snapshotTarget(
    vol: VolumeRow,
  ): Promise<{ zfs: Awaited<ReturnType<VolumeOperations['zfs']>>; ds: string }> {
    if (!vol.pve_volid)
      throw new ConflictError(`Volume ${vol.id} has no storage yet`, undefined, 'invalid_state');
    return { zfs: await this.deps.ops.zfs(vol.node), ds: `${vol.zfs_pool}/${leafOf(vol.pve_volid)}` };
  }

  async listSnapshots(actor: Actor, volumeId: string | undefined, page: Page): Promise<ListResult<Snapshot>> {
    authorize(actor, 'snapshots', 'read');
    if (volumeId) {
      const vol = await this.scoped(actor, volumeId);
      await this.refreshSizes(vol).catch((err: unknown) =>
        this.deps.logger.debug({ err }, 'snapshot sizes not refreshed'),
      );
    }
    const { rows, total } = await this.deps.repo.listSnapshots(actor, volumeId, page);
    return { items: rows.map(toSnapshot), total, ...page };
  }

  /** Snapshot sizes change as the volume is written: read them from ZFS (one command). */
  private async refreshSizes(vol: VolumeRow): Promise<void> {
    const rows = await this.deps.repo.snapshotsOf(vol.id);
    if (rows.length === 0 || !vol.pve_volid || !this.deps.proxmox().hostAgent) return;
    const { zfs, ds } = await this.snapshotTarget(vol);
    const snaps = snapshotsOf(await listPool(zfs, vol.zfs_pool), ds);
    const used = new Map(snaps.map((s) => [s.name.slice(ds.length + 1), s.used]));
    for (const r of rows) {
      const u = used.get(r.zfs_name);
      if (u !== undefined && u !== Number(r.size_bytes))
        await this.deps.repo.updateSnapshot(r.id, { size_bytes: u });
    }
  }

  async getSnapshot(actor: Actor, id: string): Promise<Snapshot> {
    authorize(actor, 'snapshots', 'read');
    const row = await this.deps.repo.findSnapshotScoped(actor, id);
    if (!row) throw new NotFoundError('Snapshot', id);
    return toSnapshot(row);
  }

  async createSnapshot(
    ctx: AuthenticatedContext,
    volumeId: string,
    input: { name: string; description?: string },
  ): Promise<Snapshot> {
    authorize(ctx.actor, 'snapshots', 'create');
    const vol = await this.scoped(ctx.actor, volumeId);
    if (!['available', 'in-use'].includes(vol.status))
      throw new ConflictError(`Volume ${volumeId} is ${vol.status}`, undefined, 'invalid_state');
    if (await this.deps.repo.findSnapshotByName(vol.id, input.name)) {
      throw new ConflictError(`Volume ${volumeId} already has a snapshot named '${input.name}'`, {
        field: 'name',
      });
    }
    const id = newId('snap');
    const zfsName = `pc-${id.slice(5)}`;
    const row: SnapshotRow = {
      id,
      owner_id: vol.owner_id,
      volume_id: vol.id,
      name: input.name,
      description: input.description ?? '',
      zfs_name: zfsName,
      size_bytes: 0,
      status: 'available',
      created_at: this.now(),
      deleted_at: null,
    };
    await this.withLocks(vol, null, 'snapshot', async () => {
      let target: { zfs: Awaited<ReturnType<VolumeOperations['zfs']>>; ds: string };
      try {
        target = await this.snapshotTarget(vol);
        await target.zfs.snapshot(target.ds, zfsName);
      } catch (e) {
        throw apiErrorOf(e);
      }
      try {
        await this.deps.db.kysely.transaction().execute(async (trx) => {
          await this.deps.repo.with(trx).insertSnapshot(row);
          await this.deps.audit.record(
            ctx,
            {
              action: 'snapshots.create',
              resourceType: 'snapshot',
              resourceId: id,
              details: { volumeId: vol.id, name: input.name },
            },
            trx,
          );
        });
      } catch (e) {
        await target.zfs.destroy(`${target.ds}@${zfsName}`).catch(() => undefined);
        if (isUniqueViolation(e))
          throw new ConflictError(`Volume ${volumeId} already has a snapshot named '${input.name}'`, {
            field: 'name',
          });
        throw e;
      }
    });
    ctx.resourceId = id;
    this.publishSnapshot(row, 'created');
    return toSnapshot(row);
  }

  async deleteSnapshot(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'snapshots', 'delete');
    const snap = await this.deps.repo.findSnapshotScoped(ctx.actor, id);
    if (!snap) throw new NotFoundError('Snapshot', id);
    const vol = (await this.deps.repo.find(snap.volume_id))!;
    await this.withLocks(vol, null, 'snapshot-delete', async () => {
      try {
        const { zfs, ds } = await this.snapshotTarget(vol);
        const all = await listPool(zfs, vol.zfs_pool);
        const clones = all.filter((d) => d.origin === `${ds}@${snap.zfs_name}`);
        if (clones.length) {
          throw new ConflictError(
            `Snapshot ${id} has volumes created from it (${clones.map((c) => c.name.split('/').pop()).join(', ')}); delete those volumes first`,
            undefined,
            'snapshot_has_clones',
          );
        }
        if (all.some((d) => d.name === `${ds}@${snap.zfs_name}`)) await zfs.destroy(`${ds}@${snap.zfs_name}`);
      } catch (e) {
        throw apiErrorOf(e);
      }
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        await this.deps.repo.with(trx).markSnapshotsDeleted([id], this.now());
        await this.deps.audit.record(
          ctx,
          {
            action: 'snapshots.delete',
            resourceType: 'snapshot',
            resourceId: id,
            details: { volumeId: vol.id, name: snap.name },
          },
          trx,
        );
      });
    });
    this.publishSnapshot(snap, 'deleted');
  }

  /**
   * Roll the volume back to a snapshot. The volume must be detached or its instance stopped.
   * Newer snapshots are destroyed by the rollback, so they must be named in `destroyNewer`.
   */
  async restoreSnapshot(
    ctx: AuthenticatedContext,
    id: string,
    input: { destroyNewer?: boolean },
  ): Promise<{ volume: Volume; destroyedSnapshots: string[] }> {
    authorize(ctx.actor, 'snapshots', 'restore');
    const snap = await this.deps.repo.findSnapshotScoped(ctx.actor, id);
    if (!snap) throw new NotFoundError('Snapshot', id);
    const vol = (await this.deps.repo.find(snap.volume_id))!;
    if (vol.instance_id) {
      const inst = await this.deps.instances.find(vol.instance_id);
      if (inst && inst.status !== 'stopped') {
        throw new ConflictError(
          `Stop instance ${inst.id} (or detach the volume) before restoring`,
          { instanceStatus: inst.status },
          'instance_running',
        );
      }
    } else if (vol.status !== 'available') {
      throw new ConflictError(`Volume ${vol.id} is ${vol.status}`, undefined, 'invalid_state');
    }
    const newer = (await this.deps.repo.snapshotsOf(vol.id)).filter(
      (s) => s.created_at > snap.created_at || (s.created_at === snap.created_at && s.id > snap.id),
    );
    if (newer.length && !input.destroyNewer) {
      throw new ConflictError(
        `Restoring to '${snap.name}' destroys the newer snapshots ${newer.map((s) => `'${s.name}'`).join(', ')}; pass destroyNewer=true to go ahead`,
        { newer: newer.map((s) => s.id) },
        'newer_snapshots',
      );
    }
    await this.withLocks(vol, vol.instance_id, 'restore', async () => {
      try {
        const { zfs, ds } = await this.snapshotTarget(vol);
        const all = await listPool(zfs, vol.zfs_pool);
        const blocked = newer.filter((s) => all.some((d) => d.origin === `${ds}@${s.zfs_name}`));
        if (blocked.length) {
          throw new ConflictError(
            `Newer snapshot(s) ${blocked.map((s) => `'${s.name}'`).join(', ')} have volumes created from them; delete those volumes first`,
            undefined,
            'snapshot_has_clones',
          );
        }
        await zfs.rollback(`${ds}@${snap.zfs_name}`, { destroyNewer: true });
      } catch (e) {
        if (e instanceof HostAgentCommandError && /more recent snapshots/.test(e.stderr)) {
          throw new ConflictError(
            'ZFS refused the rollback: newer snapshots exist',
            undefined,
            'newer_snapshots',
          );
        }
        throw apiErrorOf(e);
      }
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        await this.deps.repo.with(trx).markSnapshotsDeleted(
          newer.map((s) => s.id),
          this.now(),
        );
        await this.deps.audit.record(
          ctx,
          {
            action: 'snapshots.restore',
            resourceType: 'snapshot',
            resourceId: id,
            details: { volumeId: vol.id, destroyed: newer.map((s) => s.id) },
          },
          trx,
        );
      });
    });
    for (const s of newer) this.publishSnapshot(s, 'deleted');
    await this.publish(vol.id);
    return {
      volume: toVolume((await this.deps.repo.find(vol.id))!),
      destroyedSnapshots: newer.map((s) => s.id),
    };
  }

  /** A new, independent-looking volume from a snapshot (zfs clone; promoted if its source goes). */
  async cloneSnapshot(ctx: AuthenticatedContext, id: string, input: { name: string }): Promise<Volume> {
    authorize(ctx.actor, 'snapshots', 'read');
    authorize(ctx.actor, 'volumes', 'create');
    const snap = await this.deps.repo.findSnapshotScoped(ctx.actor, id);
    if (!snap) throw new NotFoundError('Snapshot', id);
    const src = (await this.deps.repo.find(snap.volume_id))!;
    const now = this.now();
    const row: VolumeRow = {
      ...src,
      id: newId('vol'),
      owner_id: snap.owner_id,
      name: input.name,
      pve_volid: null,
      status: 'creating',
      status_reason: null,
      instance_id: null,
      device: null,
      device_name: null,
      mount_path: null,
      source_snapshot_id: snap.id,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.insertWithQuota(ctx, row, 'snapshots.clone', {
      snapshotId: snap.id,
      sourceVolumeId: src.id,
      sizeGib: Number(src.size_gb),
    });
    ctx.resourceId = row.id;
    try {
      const volid = await this.allocLock.run(async () => {
        const { zfs, ds } = await this.snapshotTarget(src);
        const leaf = nextLeaf(
          leavesOf(await listPool(zfs, src.zfs_pool), src.zfs_pool),
          leafPrefix(src.format, HOLDER_VMID),
        );
        await zfs.clone(`${ds}@${snap.zfs_name}`, `${src.zfs_pool}/${leaf}`, {
          properties:
            src.format === 'filesystem' ? { refquota: String(Number(src.size_gb) * 1024 ** 3) } : {},
        });
        return `${src.storage}:${leaf}`;
      });
      await this.deps.repo.update(row.id, { pve_volid: volid, status: 'available', updated_at: this.now() });
    } catch (e) {
      await this.deps.repo.update(row.id, {
        status: 'deleted',
        status_reason: 'clone failed',
        deleted_at: this.now(),
      });
      throw apiErrorOf(e);
    }
    await this.publish(row.id, 'created');
    return toVolume((await this.deps.repo.find(row.id))!);
  }

  /** For the ownership hook. */
  countLive(userId: string): Promise<number> {
    return this.deps.repo.countLive(userId);
  }
}
