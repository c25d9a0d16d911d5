/**
 * Volume attach/detach: operations (they may re-home a dataset over SSH and hot-plug a disk) and
 * the InstanceDependent the instances module calls when it terminates an instance (detach everything
 * first: volumes outlive their instance).
 */
import {
  formatPropertyString,
  formatQemuDisk,
  type ProxmoxClient,
  type ZfsAgent,
} from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { UnprocessableError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  type GuestRef,
  type InstanceDependent,
  type InstanceRow,
  type InstancesPort,
  refOf,
  scsiDeviceName,
} from '../instances/index.ts';
import type { OperationContext, OperationEngine, OperationHandler } from '../operations/index.ts';
import type { ResourceCache } from '../proxmox/index.ts';
import type { VolumeRow, VolumesRepository } from './volumes.repository.ts';
import {
  finishMove,
  HOLDER_VMID,
  leafOf,
  leafPrefix,
  leavesOf,
  listPool,
  type MovePlan,
  moveDataset,
  nextLeaf,
} from './volumes.zfs.ts';

export interface VolumeOpsDeps {
  repo: VolumesRepository;
  instances: InstancesPort;
  cache: ResourceCache;
  clock: Clock;
  logger: Logger;
  proxmox: () => ProxmoxConnection;
  publishVolume(id: string): Promise<void>;
}

export interface AttachParams {
  instanceId: string;
  mountPath: string | null;
}

export interface DetachParams {
  instanceId: string;
  force: boolean;
}

function moveSnap(volumeId: string): string {
  return `pcmove-${volumeId.slice(4)}`;
}

export class VolumeOperations {
  constructor(private readonly deps: VolumeOpsDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.attach);
    engine.register(this.detach);
  }

  private client(): ProxmoxClient {
    return this.deps.proxmox().client;
  }

  async zfs(node: string): Promise<ZfsAgent> {
    const agent = this.deps.proxmox().hostAgent;
    if (!agent) {
      throw new UnprocessableError(
        'Volume operations need the SSH host agent (PROXMOX_SSH_HOST …); it is not configured',
        undefined,
        'host_agent_unavailable',
      );
    }
    return agent.zfs(node);
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private async volume(id: string): Promise<VolumeRow> {
    const v = await this.deps.repo.find(id);
    if (!v) throw new Error(`volume ${id} vanished from the database`);
    return v;
  }

  /**
   * The move of `vol` to the naming of `targetVmid`, reconstructed from ZFS so an interrupted
   * move resumes with the same names.
   */
  async planMove(zfs: ZfsAgent, vol: VolumeRow, targetVmid: number): Promise<MovePlan | null> {
    const from = leafOf(vol.pve_volid!);
    const prefix = leafPrefix(vol.format, targetVmid);
    if (from.startsWith(prefix)) return null;
    const pool = vol.zfs_pool;
    const snap = moveSnap(vol.id);
    const src = `${pool}/${from}`;
    const all = await listPool(zfs, pool);
    // before promote: the clone's origin is src@snap; after: the target owns @snap and src is its clone
    const pending =
      all.find((d) => d.origin === `${src}@${snap}`) ??
      all.find(
        (d) => d.name !== src && d.name.endsWith(`@${snap}`) && d.name.startsWith(`${pool}/${prefix}`),
      );
    const to = pending
      ? pending.name.split('@')[0]!.slice(pool.length + 1)
      : nextLeaf(leavesOf(all, pool), prefix);
    return { pool, from, to, snap, format: vol.format, sizeBytes: Number(vol.size_gb) * 1024 ** 3 };
  }

  /* ------------------------------------------------------------------ attach */

  private async guestConfig(ref: GuestRef): Promise<Record<string, unknown>> {
    return (await this.client().node(ref.node).guest(ref.type, ref.vmid).config()) as Record<string, unknown>;
  }

  private async putConfig(ref: GuestRef, params: Record<string, string>): Promise<void> {
    await this.client().node(ref.node).guest(ref.type, ref.vmid).updateConfig(params);
  }

  private static keyHolding(
    cfg: Record<string, unknown>,
    volid: string,
    pattern: RegExp,
  ): string | undefined {
    return Object.keys(cfg).find((k) => pattern.test(k) && String(cfg[k]).split(',')[0] === volid);
  }

  private readonly attach: OperationHandler<AttachParams> = {
    action: 'volume.attach',
    run: async (ctx) => {
      const inst = await this.deps.instances.find(ctx.params.instanceId);
      if (!inst || inst.vmid === null || !inst.node)
        throw new UnprocessableError('The instance has no guest to attach to');
      const ref = refOf(inst);
      let vol = await this.volume(ctx.resourceId);
      await ctx.step('rehome', async () => {
        const zfs = await this.zfs(vol.node);
        const plan = await this.planMove(zfs, vol, ref.vmid);
        if (!plan) return { volid: vol.pve_volid };
        await ctx.detail(`renaming ${plan.from} to ${plan.to} (ZFS clone + promote, no copy)`);
        await moveDataset(zfs, plan);
        const volid = `${vol.storage}:${plan.to}`;
        await this.deps.repo.update(vol.id, { pve_volid: volid, updated_at: this.now() });
        await finishMove(zfs, plan, true);
        return { volid };
      });
      vol = await this.volume(ctx.resourceId);
      const volid = vol.pve_volid!;
      await ctx.step('attach', async () => {
        const cfg = await this.guestConfig(ref);
        const pattern = ref.type === 'vm' ? /^scsi\d+$/ : /^mp\d+$/;
        let key = VolumeOperations.keyHolding(cfg, volid, pattern);
        if (!key) {
          if (ref.type === 'vm') {
            let n = 1;
            while (cfg[`scsi${n}`] !== undefined && n <= 30) n++;
            if (n > 30) throw new UnprocessableError('The instance has no free SCSI slot (scsi1–scsi30)');
            key = `scsi${n}`;
            await this.putConfig(ref, {
              [key]: formatQemuDisk({ file: volid, iothread: true, discard: 'on' }),
            });
          } else {
            let n = 0;
            while (cfg[`mp${n}`] !== undefined && n <= 255) n++;
            if (n > 255) throw new UnprocessableError('The container has no free mount point slot');
            key = `mp${n}`;
            await this.putConfig(ref, {
              [key]: formatPropertyString(
                { volume: volid, mp: ctx.params.mountPath ?? `/mnt/${vol.name}`, backup: false },
                'volume',
              ),
            });
          }
        }
        const index = Number(/\d+$/.exec(key)![0]);
        const deviceName =
          ref.type === 'vm' ? scsiDeviceName(index) : (ctx.params.mountPath ?? `/mnt/${vol.name}`);
        await this.deps.repo.update(vol.id, {
          status: 'in-use',
          status_reason: null,
          instance_id: inst.id,
          device: key,
          device_name: deviceName,
          mount_path: ref.type === 'lxc' ? deviceName : null,
          updated_at: this.now(),
        });
        await ctx.detail(`${key} → ${deviceName}`);
      });
    },
    onFailure: async (ctx, error) => {
      // A volume renamed for the instance but not attached would die with it: move it back.
      const vol = await this.volume(ctx.resourceId);
      let reason = `attach failed: ${error.message}`;
      let status: VolumeRow['status'] = 'available';
      try {
        const zfs = await this.zfs(vol.node);
        const plan = vol.pve_volid ? await this.planMove(zfs, vol, HOLDER_VMID) : null;
        if (plan) {
          await moveDataset(zfs, plan);
          await this.deps.repo.update(vol.id, { pve_volid: `${vol.storage}:${plan.to}` });
          await finishMove(zfs, plan, true);
        }
      } catch (e) {
        status = 'error';
        reason = `${reason}; moving it back failed: ${(e as Error).message}`;
      }
      await this.deps.repo.update(vol.id, {
        status,
        status_reason: reason,
        instance_id: null,
        device: null,
        device_name: null,
        mount_path: null,
        updated_at: this.now(),
      });
    },
    onFinish: async (ctx) => this.release(ctx, ctx.params.instanceId),
  };

  private async release(
    ctx: OperationContext<{ instanceId: string }, object>,
    instanceId: string,
  ): Promise<void> {
    await this.deps.repo.unlock(ctx.resourceId, ctx.id);
    await this.deps.instances.unlock(instanceId, ctx.id);
    await this.deps.publishVolume(ctx.resourceId);
    await this.deps.instances.publish(instanceId);
  }

  /* ------------------------------------------------------------------ detach */

  /**
   * Unplug the volume from the guest config (PVE keeps it as unusedN), move its dataset back to
   * the holder name, let PVE drop the unused entry, and mark it available. Idempotent.
   */
  async detachOne(
    vol: VolumeRow,
    inst: InstanceRow | undefined,
    progress: (t: string) => Promise<void>,
  ): Promise<void> {
    const volid = vol.pve_volid!;
    const ref = inst && inst.vmid !== null && inst.node ? refOf(inst) : null;
    let unusedKey: string | undefined;
    if (ref) {
      let cfg = await this.guestConfig(ref);
      const key = VolumeOperations.keyHolding(cfg, volid, ref.type === 'vm' ? /^scsi\d+$/ : /^mp\d+$/);
      if (key) {
        await progress(`unplugging ${key}`);
        await this.putConfig(ref, { delete: key });
        cfg = await this.guestConfig(ref);
      }
      unusedKey = VolumeOperations.keyHolding(cfg, volid, /^unused\d+$/);
    }
    const zfs = await this.zfs(vol.node);
    const plan = await this.planMove(zfs, vol, HOLDER_VMID);
    if (plan) {
      await progress(`renaming ${plan.from} to ${plan.to}`);
      await moveDataset(zfs, plan);
      await this.deps.repo.update(vol.id, { pve_volid: `${vol.storage}:${plan.to}`, updated_at: this.now() });
    }
    // PVE removes the unusedN entry and destroys what is left of the old dataset (an empty clone).
    if (ref && unusedKey) await this.putConfig(ref, { delete: unusedKey });
    if (plan) await finishMove(zfs, plan, true);
    await this.deps.repo.update(vol.id, {
      status: 'available',
      status_reason: null,
      instance_id: null,
      device: null,
      device_name: null,
      mount_path: null,
      updated_at: this.now(),
    });
  }

  private readonly detach: OperationHandler<DetachParams> = {
    action: 'volume.detach',
    run: async (ctx) => {
      const vol = await this.volume(ctx.resourceId);
      const inst = await this.deps.instances.find(ctx.params.instanceId);
      await ctx.step('detach', () => this.detachOne(vol, inst, ctx.detail));
    },
    onFailure: async (ctx, error) => {
      const vol = await this.volume(ctx.resourceId);
      await this.deps.repo.update(vol.id, {
        status: vol.instance_id ? 'in-use' : 'error',
        status_reason: `detach failed: ${error.message}`,
        updated_at: this.now(),
      });
    },
    onFinish: async (ctx) => this.release(ctx, ctx.params.instanceId),
  };

  /* ------------------------------------------------------------------ port for instances */

  readonly port: InstanceDependent = {
    detachAll: async (instance, _signal, progress) => {
      const attached = await this.deps.repo.attachedTo(instance.id);
      const done: string[] = [];
      for (const vol of attached) {
        if (!vol.pve_volid) continue;
        await progress(`detaching ${vol.id}`);
        await this.detachOne(vol, instance, progress);
        done.push(vol.id);
        await this.deps.publishVolume(vol.id);
      }
      return done;
    },
    instanceGone: async (instanceId, reason) => {
      for (const vol of await this.deps.repo.attachedTo(instanceId)) {
        await this.deps.repo.update(vol.id, {
          status: 'error',
          status_reason: `its instance ${instanceId} was ${reason}; the volume was probably deleted with it`,
          instance_id: null,
          device: null,
          device_name: null,
          mount_path: null,
          updated_at: this.now(),
        });
        await this.deps.publishVolume(vol.id);
      }
    },
  };
}
