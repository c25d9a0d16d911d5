/**
 * Restore a recovery point, as an operation (`backups.restore`) with progress:
 *  - instance, new (default): a new VMID from PVE, `POST /nodes/{node}/qemu` with `archive`
 *    (or `lxc` with `ostemplate` + `restore=1`), unique MACs, our tag for the new instance id,
 *    then the guest becomes an instance of the owner (instances port). A failure after the guest
 *    was made deletes it again.
 *  - instance, replace: typed confirmation (the instance's name), the instance must be stopped
 *    and have no volumes attached (a forced restore recreates every disk); restore over the same
 *    VMID with `force=1`, the instance locked meanwhile.
 *  - volume, new: a ZFS clone of the snapshot as a new volume; replace: roll the volume back
 *    (newer snapshots, and their recovery points, are destroyed — the confirmation says so).
 */
import { ProxmoxTaskError } from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import { type AuthenticatedContext, systemContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { authorize } from '../iam/index.ts';
import { type InstancesPort, waitTask } from '../instances/index.ts';
import type { OperationContext, OperationEngine, OperationView } from '../operations/index.ts';
import { ComputeError, guestDescription, guestTags, PC_TAG, parseTags } from '../proxmox/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { BackupsRepository, PointRow } from './backups.repository.ts';
import type { BackupsService } from './backups.service.ts';
import { type RecoveryPoint, toPoint } from './backups.views.ts';
import { receiveCopy, type VolumeSpec } from './backups.zfs.ts';

interface RestoreParams {
  pointId: string;
  mode: 'new' | 'replace';
  name: string;
  /** the new instance's id (instance, new) */
  targetId: string | null;
  /** volumes: the local snapshot or the zfs send copy */
  from?: 'snapshot' | 'copy';
}

interface RestoreState {
  vmid: number;
  registered: boolean;
}

export interface RestoreDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  engine: OperationEngine;
  repo: BackupsRepository;
  service: BackupsService;
  instances: InstancesPort;
  volumes: VolumesExports;
  proxmox: () => ProxmoxConnection;
  ownerActor: (ownerId: string) => Promise<Actor>;
}

const INSTANCE_ID = /^i-[0-9a-f]{17}$/;

function restoredName(p: PointRow): string {
  const day = p.created_at.slice(0, 10).replace(/-/g, '');
  return `${p.resource_name}-restore-${day}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
}

export class BackupRestores {
  constructor(private readonly deps: RestoreDeps) {}

  register(engine: OperationEngine): void {
    engine.register({
      action: 'backups.restore',
      run: (ctx: OperationContext<RestoreParams, RestoreState>) => this.execute(ctx),
      onFailure: async (ctx: OperationContext<RestoreParams, RestoreState>) => {
        // a new guest that did not become an instance is removed again
        const p = await this.deps.repo.findPoint(ctx.params.pointId);
        if (!p || ctx.params.mode !== 'new' || p.resource_type !== 'instance') return;
        if (!ctx.state.vmid || ctx.state.registered) return;
        const { client } = this.deps.proxmox();
        const api = client.node(p.node).guest(p.guest_type === 'lxc' ? 'lxc' : 'qemu', ctx.state.vmid);
        const upid = await api.delete({ purge: true } as never).catch(() => null);
        if (upid) await waitTask(client, p.node, upid, new AbortController().signal).catch(() => undefined);
      },
      onFinish: async (ctx) => {
        const p = await this.deps.repo.findPoint(ctx.params.pointId);
        if (p?.active_operation_id === ctx.id)
          await this.deps.repo.updatePoint(p.id, { active_operation_id: null });
        if (p && p.resource_type === 'instance' && ctx.params.mode === 'replace') {
          await this.deps.instances.unlock(p.resource_id, ctx.id);
          await this.deps.instances.publish(p.resource_id).catch(() => undefined);
        }
        if (ctx.params.targetId)
          await this.deps.instances.publish(ctx.params.targetId).catch(() => undefined);
      },
    });
  }

  async restore(
    ctx: AuthenticatedContext,
    pointId: string,
    input: { mode?: 'new' | 'replace'; name?: string; confirm?: string; from?: 'snapshot' | 'copy' },
  ): Promise<{
    recoveryPoint: RecoveryPoint;
    operation: OperationView;
    mode: 'new' | 'replace';
    targetResourceId: string | null;
  }> {
    authorize(ctx.actor, 'backups', 'restore');
    const p = await this.deps.service.scopedPoint(ctx.actor, pointId);
    const mode = input.mode ?? 'new';
    if (p.active_operation_id)
      throw new ConflictError(
        `Recovery point ${pointId} is being restored (operation ${p.active_operation_id})`,
        undefined,
        'restore_in_progress',
      );
    let from: 'snapshot' | 'copy' | undefined;
    if (p.resource_type === 'volume') {
      const volumeGone = await this.deps.volumes.service.get(ctx.actor, p.resource_id).then(
        () => false,
        () => true,
      );
      from = input.from ?? (volumeGone && p.copy_ref ? 'copy' : 'snapshot');
      if (from === 'copy' && (!p.copy_ref || mode !== 'new'))
        throw new UnprocessableError(
          p.copy_ref
            ? 'A copy in the backup dataset restores to a new volume only (mode new)'
            : `Recovery point ${p.id} has no copy in the backup dataset (its policy does not use zfs send)`,
          { field: 'from' },
          'no_backup_copy',
        );
      if (from === 'snapshot' && volumeGone)
        throw new ConflictError(
          `Volume ${p.resource_name} no longer exists, and its snapshots went with it`,
          undefined,
          'resource_gone',
        );
    } else if (input.from)
      throw new UnprocessableError('from applies to volume recovery points only', { field: 'from' });
    let lockInstance: string | null = null;
    if (mode === 'replace') {
      if (input.confirm !== p.resource_name)
        throw new UnprocessableError(
          `Restoring over ${p.resource_type} '${p.resource_name}' overwrites it: pass confirm='${p.resource_name}'`,
          { field: 'confirm' },
          'confirmation_required',
        );
      if (p.resource_type === 'instance') {
        const inst = await this.deps.instances.findScoped(ctx.actor, p.resource_id);
        if (!inst || inst.status === 'terminated')
          throw new ConflictError(
            `Instance ${p.resource_id} no longer exists; restore to a new instance`,
            undefined,
            'resource_gone',
          );
        if (inst.status !== 'stopped')
          throw new ConflictError(
            `Stop instance ${inst.name} before restoring over it`,
            { instanceStatus: inst.status },
            'instance_running',
          );
        if (inst.node !== p.node || inst.vmid !== p.vmid)
          throw new ConflictError(
            `Instance ${inst.name} moved since this backup; restore to a new instance`,
            undefined,
            'resource_moved',
          );
        const attached = await this.deps.volumes.service.list(
          ctx.actor,
          { instanceId: inst.id },
          { limit: 1, offset: 0 },
        );
        if (attached.total > 0)
          throw new ConflictError(
            `Detach the volumes of ${inst.name} before restoring over it`,
            undefined,
            'volumes_attached',
          );
        lockInstance = inst.id;
      }
    }
    const name = input.name ?? restoredName(p);
    const targetId = mode === 'new' && p.resource_type === 'instance' ? newId('i') : null;
    let operation!: OperationView;
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      operation = await this.deps.engine.enqueue<RestoreParams>(trx, {
        action: 'backups.restore',
        ownerId: p.owner_id,
        resourceType: 'recovery_point',
        resourceId: p.id,
        params: { pointId: p.id, mode, name, targetId, ...(from ? { from } : {}) },
        steps:
          p.resource_type === 'instance'
            ? [
                {
                  name: 'restore',
                  title:
                    mode === 'new'
                      ? `Restore as new ${p.guest_type === 'lxc' ? 'container' : 'VM'}`
                      : `Restore over ${p.resource_name}`,
                },
                ...(mode === 'new' ? [{ name: 'register', title: `Register instance ${name}` }] : []),
              ]
            : [
                {
                  name: 'restore',
                  title:
                    mode === 'new'
                      ? from === 'copy'
                        ? `Receive the backup copy into volume ${name}`
                        : `Clone snapshot into volume ${name}`
                      : `Roll ${p.resource_name} back`,
                },
              ],
        requestId: ctx.requestId,
      });
      if (lockInstance && !(await this.deps.instances.lock(lockInstance, operation.id, trx)))
        throw new ConflictError(
          `Instance ${p.resource_name} is busy with another operation`,
          undefined,
          'instance_busy',
        );
      await this.deps.repo.with(trx).updatePoint(p.id, { active_operation_id: operation.id });
      await this.deps.service.audit(
        ctx,
        'backups.restore',
        'recovery_point',
        p.id,
        { mode, name, resourceId: p.resource_id, targetId },
        trx,
      );
    });
    this.deps.repo.changed('recovery_point', p.id, 'updated');
    this.deps.engine.wake();
    ctx.resourceId = p.id;
    return {
      recoveryPoint: toPoint({ ...p, active_operation_id: operation.id }),
      operation,
      mode,
      targetResourceId: targetId,
    };
  }

  private async execute(ctx: OperationContext<RestoreParams, RestoreState>): Promise<void> {
    const p = await this.deps.repo.findPoint(ctx.params.pointId);
    if (!p || p.status !== 'available')
      throw new ComputeError('recovery_point_gone', `Recovery point ${ctx.params.pointId} no longer exists`);
    if (p.resource_type === 'volume') return this.restoreVolume(ctx, p);
    const { client } = this.deps.proxmox();
    const type = p.guest_type === 'lxc' ? 'lxc' : 'qemu';
    const node = client.node(p.node);
    await ctx.step('restore', async () => {
      const replace = ctx.params.mode === 'replace';
      const vmid = replace ? p.vmid! : (ctx.state.vmid ?? (await client.cluster.nextId()));
      await ctx.save({ vmid });
      const config = (p.config ? JSON.parse(p.config) : {}) as Record<string, string>;
      const extra: Record<string, unknown> = {};
      if (!replace) {
        const keep = parseTags(config.tags).filter((t) => t !== PC_TAG && !INSTANCE_ID.test(t));
        extra.tags = [...keep, ...parseTags(guestTags(ctx.params.targetId!))].join(';');
        extra.description = guestDescription(ctx.params.targetId!, p.owner_id);
      }
      const diskKey =
        type === 'lxc'
          ? 'rootfs'
          : Object.keys(config).find(
              (k) => /^(scsi|virtio|sata)\d+$/.test(k) && !/media=cdrom/.test(config[k]!),
            );
      const storage = diskKey ? config[diskKey]?.split(':')[0] : undefined;
      let upid: string;
      try {
        upid =
          type === 'qemu'
            ? await node.qemu.create({
                vmid,
                archive: p.volid!,
                ...(replace ? { force: true } : { unique: true, name: ctx.params.name }),
                ...(storage ? { storage } : {}),
                ...extra,
              } as never)
            : await node.lxc.create({
                vmid,
                ostemplate: p.volid!,
                restore: true,
                ...(replace ? { force: true } : { unique: true, hostname: ctx.params.name }),
                ...(storage ? { storage } : {}),
                ...extra,
              } as never);
      } catch (e) {
        throw new ComputeError('restore_failed', `Proxmox refused the restore: ${(e as Error).message}`);
      }
      await ctx.detail(`restoring ${p.volid} as ${type === 'qemu' ? 'VM' : 'CT'} ${vmid} (${upid})`);
      try {
        await waitTask(client, p.node, upid, ctx.signal, (line) => ctx.detail(line));
      } catch (e) {
        if (e instanceof ProxmoxTaskError) throw e;
        throw e;
      }
      return { vmid };
    });
    if (ctx.params.mode === 'new') {
      await ctx.step('register', async () => {
        const actor = await this.deps.ownerActor(p.owner_id);
        await this.deps.instances.adoptRestored(systemContext(actor, `restore:${ctx.id}`), {
          node: p.node,
          vmid: ctx.state.vmid!,
          ownerId: p.owner_id,
          name: ctx.params.name,
          id: ctx.params.targetId!,
          restoredFrom: p.id,
        });
        await ctx.save({ registered: true });
        await ctx.detail(`restored as instance ${ctx.params.targetId} (${ctx.params.name})`);
        return ctx.params.targetId;
      });
    }
  }

  private async restoreVolume(
    ctx: OperationContext<RestoreParams, RestoreState>,
    p: PointRow,
  ): Promise<void> {
    const actor = await this.deps.ownerActor(p.owner_id);
    const call = systemContext(actor, `restore:${ctx.id}`);
    await ctx.step('restore', async () => {
      if (ctx.params.from === 'copy' && p.copy_ref) {
        const copy = p.copy_ref;
        const spec = JSON.parse(p.volume_spec ?? '{}') as VolumeSpec;
        if (!spec.storage || !spec.zfsPool)
          throw new ComputeError(
            'volume_spec_missing',
            `Recovery point ${p.id} does not say where to restore`,
          );
        const vol = await this.deps.volumes.snapshots.importVolume(
          call,
          {
            name: ctx.params.name,
            sizeGib: spec.sizeGib,
            volumeType: spec.volumeType,
            format: spec.format,
            storage: spec.storage,
            zfsPool: spec.zfsPool,
            node: spec.node ?? p.node,
            details: { recoveryPointId: p.id, copy },
          },
          (zfs, dataset) => receiveCopy(zfs, copy, dataset),
        );
        await ctx.detail(`received ${copy} as volume ${vol.id} (${vol.name})`);
        return vol.id;
      }
      if (!p.snapshot_id) throw new NotFoundError('Snapshot of recovery point', p.id);
      if (ctx.params.mode === 'new') {
        const vol = await this.deps.volumes.snapshots.cloneSnapshot(call, p.snapshot_id, {
          name: ctx.params.name,
        });
        await ctx.detail(`restored as volume ${vol.id} (${vol.name})`);
        return vol.id;
      }
      const res = await this.deps.volumes.snapshots.restoreSnapshot(call, p.snapshot_id, {
        destroyNewer: true,
      });
      // newer snapshots went with the rollback: so did their recovery points
      const gone = new Set(res.destroyedSnapshots);
      for (const other of await this.deps.repo.pointsOf(p.resource_id, p.policy_id))
        if (other.snapshot_id && gone.has(other.snapshot_id))
          await this.deps.repo.updatePoint(other.id, {
            status: 'deleted',
            deleted_at: iso(this.deps.clock.now()),
          });
      await ctx.detail(`${p.resource_name} rolled back to ${p.created_at}`);
      return p.resource_id;
    });
  }
}
