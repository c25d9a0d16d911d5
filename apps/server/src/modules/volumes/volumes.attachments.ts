import { ProxmoxApiError, type ProxmoxClient } from '@proxicloud/proxmox-client';
import { iso } from '../../platform/clock.ts';
import { type Actor, isAdmin } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import { authorize } from '../iam/index.ts';
import type { OperationView } from '../operations/index.ts';
import type { AttachParams, DetachParams } from './volumes.operations.ts';
import type { VolumeRow } from './volumes.repository.ts';
import type { VolumesService, VolumesServiceDeps } from './volumes.service.ts';
import { toVolume, type Volume } from './volumes.views.ts';

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

/** Attach and detach: checks and locks here, the Proxmox side in the operations (volumes.operations.ts). */
export class VolumeAttachmentsService {
  constructor(private readonly deps: VolumesServiceDeps & { volumes: VolumesService }) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private publish(id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): Promise<void> {
    return this.deps.publishVolume(id, type);
  }

  private scoped(actor: Actor, id: string): Promise<VolumeRow> {
    return this.deps.volumes.scoped(actor, id);
  }

  async attach(
    ctx: AuthenticatedContext,
    id: string,
    input: { instanceId: string; mountPath?: string },
  ): Promise<{ volume: Volume; operation: OperationView }> {
    authorize(ctx.actor, 'volumes', 'attach');
    const operation = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const instances = this.deps.instances;
      const vol = await repo.findScoped(ctx.actor, id);
      if (!vol || vol.status === 'deleted') throw new NotFoundError('Volume', id);
      const inst = await instances.find(input.instanceId, trx);
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
      if (!(await instances.lock(inst.id, op.id, trx)))
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
      const instances = this.deps.instances;
      const vol = await repo.findScoped(ctx.actor, id);
      if (!vol || vol.status === 'deleted') throw new NotFoundError('Volume', id);
      if (vol.active_operation_id) throw new ConflictError(`Volume ${id} is busy`, undefined, 'volume_busy');
      if (vol.status !== 'in-use' || !vol.instance_id)
        throw new ConflictError(`Volume ${id} is not attached`, { status: vol.status }, 'not_attached');
      const inst = await instances.find(vol.instance_id, trx);
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
      if (!(await instances.lock(vol.instance_id, op.id, trx)))
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
}
