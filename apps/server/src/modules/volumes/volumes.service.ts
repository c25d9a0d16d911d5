import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import { isUniqueViolation } from '../../platform/db/values.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import { type InstancesPort, waitTask } from '../instances/index.ts';
import type { LockRegistry, OperationEngine } from '../operations/index.ts';
import type { NodeInventory } from '../proxmox/index.ts';
import { apiErrorOf, isGone, onlineNodes, type ResourceCache, requireOnlineNode } from '../proxmox/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { VolumeOperations } from './volumes.operations.ts';
import {
  newVolumeRow,
  type VolumeRow,
  type VolumeStatus,
  type VolumesRepository,
  type VolumeTypeRow,
} from './volumes.repository.ts';
import { toType, toVolume, type Volume, type VolumeType } from './volumes.views.ts';
import {
  dependentsOf,
  HOLDER_VMID,
  leafOf,
  leafPrefix,
  listPool,
  nextLeaf,
  type VolumeFormat,
} from './volumes.zfs.ts';

export interface VolumesServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  bus: EventBus;
  engine: OperationEngine;
  repo: VolumesRepository;
  instances: InstancesPort;
  locks: LockRegistry;
  quotas: QuotasService;
  inventory: NodeInventory;
  cache: ResourceCache;
  ops: VolumeOperations;
  proxmox: () => ProxmoxConnection;
  publishVolume(id: string, type?: 'created' | 'updated' | 'deleted'): Promise<void>;
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
  readonly allocLock = new Mutex();

  constructor(private readonly deps: VolumesServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  publish(id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): Promise<void> {
    return this.deps.publishVolume(id, type);
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

  /** For the module's attachment and snapshot services too. */
  async scoped(actor: Actor, id: string): Promise<VolumeRow> {
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
    const candidates = node ? [node] : onlineNodes(snap);
    if (node) requireOnlineNode(snap, node);
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
    const row = newVolumeRow(
      {
        owner_id: ctx.actor.id,
        name: input.name,
        size_gb: input.sizeGib,
        volume_type: type.name,
        storage: type.storage,
        zfs_pool: type.zfs_pool,
        node,
        format,
        source_snapshot_id: null,
      },
      this.now(),
    );
    await this.insertAndAllocate(
      ctx,
      row,
      'volumes.create',
      { sizeGib: input.sizeGib, volumeType: type.name, node, format },
      'creation failed',
      async () => {
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
          });
      },
    );
    this.deps.inventory.invalidate();
    await this.publish(row.id, 'created');
    return toVolume((await this.deps.repo.find(row.id))!);
  }

  /**
   * A new volume (create, clone): the row inserted within quota (status `creating`), then its
   * storage made by `allocate` under the allocation lock; the row becomes `available` with the
   * volume id `allocate` returns, or `deleted` with `failedReason` when it throws.
   */
  async insertAndAllocate(
    ctx: AuthenticatedContext,
    row: VolumeRow,
    action: string,
    details: Record<string, unknown>,
    failedReason: string,
    allocate: () => Promise<string>,
  ): Promise<void> {
    await this.insertWithQuota(ctx, row, action, details);
    ctx.resourceId = row.id;
    try {
      const volid = await this.allocLock.run(allocate);
      await this.deps.repo.update(row.id, { pve_volid: volid, status: 'available', updated_at: this.now() });
    } catch (e) {
      await this.deps.repo.update(row.id, {
        status: 'deleted',
        status_reason: failedReason,
        deleted_at: this.now(),
      });
      throw apiErrorOf(e);
    }
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
  async withLocks<T>(
    vol: VolumeRow,
    instanceId: string | null,
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    // tokens carry the worker id: a restarted server releases only locks of processes that are gone
    const token = this.deps.locks.syncToken(what);
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

  countLive(userId: string): Promise<number> {
    return this.deps.repo.countLive(userId);
  }
}
