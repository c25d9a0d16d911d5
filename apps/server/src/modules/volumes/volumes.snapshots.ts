import { HostAgentCommandError } from '@proxicloud/proxmox-client';
import { iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { isUniqueViolation } from '../../platform/db/values.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import { authorize } from '../iam/index.ts';
import { apiErrorOf } from '../proxmox/index.ts';
import type { VolumeOperations } from './volumes.operations.ts';
import { newVolumeRow, type SnapshotRow, type VolumeRow } from './volumes.repository.ts';
import type { VolumesService, VolumesServiceDeps } from './volumes.service.ts';
import { publishSnapshot, type Snapshot, toSnapshot, toVolume, type Volume } from './volumes.views.ts';
import { HOLDER_VMID, leafOf, leafPrefix, leavesOf, listPool, nextLeaf, snapshotsOf } from './volumes.zfs.ts';

/** Snapshots of a volume (ZFS): list, create, delete, restore in place, clone into a new volume. */
export class VolumeSnapshotsService {
  constructor(private readonly deps: VolumesServiceDeps & { volumes: VolumesService }) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private publish(id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): Promise<void> {
    return this.deps.publishVolume(id, type);
  }

  private publishSnapshot(row: SnapshotRow, type: 'created' | 'updated' | 'deleted'): void {
    publishSnapshot(this.deps.bus, row, type);
  }

  private scoped(actor: Actor, id: string): Promise<VolumeRow> {
    return this.deps.volumes.scoped(actor, id);
  }

  private withLocks: VolumesService['withLocks'] = (vol, instanceId, what, fn) =>
    this.deps.volumes.withLocks(vol, instanceId, what, fn);

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
    const row = newVolumeRow(
      {
        owner_id: snap.owner_id,
        name: input.name,
        size_gb: src.size_gb,
        volume_type: src.volume_type,
        storage: src.storage,
        zfs_pool: src.zfs_pool,
        node: src.node,
        format: src.format,
        source_snapshot_id: snap.id,
      },
      this.now(),
    );
    await this.deps.volumes.insertAndAllocate(
      ctx,
      row,
      'snapshots.clone',
      { snapshotId: snap.id, sourceVolumeId: src.id, size_gb: src.size_gb },
      'clone failed',
      async () => {
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
      },
    );
    await this.publish(row.id, 'created');
    return toVolume((await this.deps.repo.find(row.id))!);
  }

  /** Where a snapshot lives on ZFS (for backups: `zfs send` copies of it). */
  async zfsRef(snapshotId: string): Promise<{
    zfs: Awaited<ReturnType<VolumeOperations['zfs']>>;
    snapshot: string;
    storage: string;
    zfsPool: string;
    node: string;
  }> {
    const snap = await this.deps.repo.findSnapshot(snapshotId);
    if (!snap) throw new NotFoundError('Snapshot', snapshotId);
    const vol = (await this.deps.repo.find(snap.volume_id))!;
    const { zfs, ds } = await this.snapshotTarget(vol);
    return {
      zfs,
      snapshot: `${ds}@${snap.zfs_name}`,
      storage: vol.storage,
      zfsPool: vol.zfs_pool,
      node: vol.node,
    };
  }

  /**
   * A new volume whose dataset `fill` creates (backups: `zfs receive` from a backup copy), with
   * the same quota, audit and naming as any other new volume.
   */
  async importVolume(
    ctx: AuthenticatedContext,
    input: {
      name: string;
      sizeGib: number;
      volumeType: string;
      storage: string;
      zfsPool: string;
      node: string;
      format: VolumeRow['format'];
      details: Record<string, unknown>;
    },
    fill: (zfs: Awaited<ReturnType<VolumeOperations['zfs']>>, dataset: string) => Promise<void>,
  ): Promise<Volume> {
    authorize(ctx.actor, 'volumes', 'create');
    const row = newVolumeRow(
      {
        owner_id: ctx.actor.id,
        name: input.name,
        size_gb: input.sizeGib,
        volume_type: input.volumeType,
        storage: input.storage,
        zfs_pool: input.zfsPool,
        node: input.node,
        format: input.format,
        source_snapshot_id: null,
      },
      this.now(),
    );
    await this.deps.volumes.insertAndAllocate(
      ctx,
      row,
      'volumes.import',
      input.details,
      'import failed',
      async () => {
        const zfs = await this.deps.ops.zfs(input.node);
        const leaf = nextLeaf(
          leavesOf(await listPool(zfs, input.zfsPool), input.zfsPool),
          leafPrefix(input.format, HOLDER_VMID),
        );
        await fill(zfs, `${input.zfsPool}/${leaf}`);
        if (input.format === 'filesystem')
          await zfs.set(`${input.zfsPool}/${leaf}`, { refquota: String(input.sizeGib * 1024 ** 3) });
        return `${input.storage}:${leaf}`;
      },
    );
    await this.publish(row.id, 'created');
    return toVolume((await this.deps.repo.find(row.id))!);
  }

  /** For the ownership hook. */
}
