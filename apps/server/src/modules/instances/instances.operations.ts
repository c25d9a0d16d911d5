/**
 * Operation handlers for instances: launch, start, stop, reboot, terminate. Each step is
 * resumable (its result is checkpointed by the engine) and a failed launch rolls back: the
 * half-created guest is destroyed (only if it carries our instance tag), or, when Proxmox cannot
 * be reached, the instance is flagged so the reconciler finishes the cleanup later.
 */
import { ProxmoxApiError, type ProxmoxClient, ProxmoxTaskError } from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { jsonParse } from '../../platform/db/values.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { OperationContext, OperationEngine, OperationHandler } from '../operations/index.ts';
import {
  ComputeError,
  isGone,
  isUnreachable,
  isVmidTaken,
  type ResourceCache,
  taggedInstanceId,
} from '../proxmox/index.ts';
import {
  createGuest,
  destroyGuest,
  type GuestRef,
  type GuestSpec,
  growRootDisk,
  guestIps,
  guestStatus,
  type NetworkConfig,
  type Progress,
  rebootGuest,
  refOf,
  rootDiskAllocated,
  shutdownGuest,
  startGuest,
  stopGuest,
  waitTask,
} from './instances.driver.ts';
import type { LaunchParams, PlacedParams } from './instances.launch-plan.ts';
import type { InstanceDependents } from './instances.ports.ts';
import type { InstanceRow, InstancesRepository } from './instances.repository.ts';
import type { InstanceSecretEnv } from './instances.secret-env.ts';
import type { InstancesService } from './instances.service.ts';
import { ownSnippetVolid, snippetDir, snippetFileName } from './instances.userdata.ts';

export interface InstanceOpsDeps {
  repo: InstancesRepository;
  service: InstancesService;
  cache: ResourceCache;
  clock: Clock;
  logger: Logger;
  proxmox: () => ProxmoxConnection;
  /** Modules whose resources attach to instances (volumes): terminate detaches them first. */
  dependents: InstanceDependents;
  settings: ComputeSettings;
  /** secretEnv injection (instances.secret-env.ts); absent without a secrets module. */
  secretEnv?: InstanceSecretEnv;
}

/** Tunables shared by reference (tests shorten them). */
export interface ComputeSettings {
  /** How long a start waits for the guest to report an IP (default 60 s). */
  ipWaitMs: number;
  /** Give up on a task whose node stays unreachable this long (default 120 s). */
  unreachableMs: number;
  /**
   * How long a request waits for Proxmox (default PVE_REQUEST_DEADLINE_MS): a launch whose
   * validation and placement take longer is accepted and placed by its operation instead.
   */
  requestDeadlineMs?: number;
}

/** The reason a failed start/stop/reboot/terminate leaves (cleared once the guest is seen healthy). */
export function isFailedActionReason(reason: string | null): boolean {
  return reason !== null && /^(start|stop|reboot|terminate) failed: /.test(reason);
}

interface LaunchState {
  allocate?: { vmid: number; upid: string | null };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

function noSuchTask(e: unknown): boolean {
  return e instanceof ProxmoxApiError && /no such task|unable to parse worker upid/i.test(e.pveMessage);
}

export class InstanceOperations {
  /** nextid → record the VMID → POST create must not interleave between our own launches. */
  private readonly vmidLock = new Mutex();

  constructor(private readonly deps: InstanceOpsDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.launch);
    engine.register(this.start);
    engine.register(this.stop);
    engine.register(this.reboot);
    engine.register(this.terminate);
  }

  private client(): ProxmoxClient {
    return this.deps.proxmox().client;
  }

  private async row(id: string): Promise<InstanceRow> {
    const row = await this.deps.repo.find(id);
    if (!row) throw new Error(`instance ${id} vanished from the database`);
    return row;
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private async set(id: string, patch: Partial<InstanceRow>): Promise<void> {
    await this.deps.service.patch(id, patch);
  }

  private finish = async (ctx: OperationContext<unknown, object>) => {
    await this.deps.repo.unlock(ctx.resourceId, ctx.id);
    this.deps.cache.invalidate();
    await this.deps.service.publish(ctx.resourceId);
  };

  private wait(node: string, upid: string, signal: AbortSignal, progress?: Progress, timeoutMs?: number) {
    return waitTask(this.client(), node, upid, signal, progress, timeoutMs, this.deps.settings.unreachableMs);
  }

  /**
   * After a failed action the instance shows the guest's state as PVE reports it (a stop that
   * failed leaves a running guest `running`, not `error`), with the failure as its reason. When PVE
   * cannot say (node offline), the state before the action stays; `error` only when the guest is
   * gone. The reconciler clears the reason once it sees the guest healthy (failedActionReason).
   */
  private async settleAfterFailure(
    id: string,
    action: 'start' | 'stop' | 'reboot' | 'terminate',
    before: InstanceRow['status'],
    message: string,
  ): Promise<void> {
    const row = await this.row(id);
    let status: InstanceRow['status'] = before;
    if (row.vmid === null || !row.node) status = 'error';
    else {
      try {
        const s = await guestStatus(this.client(), refOf(row));
        if (!s) status = 'error';
        else if (s.status === 'running') status = 'running';
        else if (s.status === 'stopped') status = 'stopped';
      } catch (err) {
        // unreachable: PVE cannot tell, keep the last known state
        this.deps.logger.debug({ err, instance: id }, 'guest state unknown after a failed action');
      }
    }
    await this.set(id, { status, status_reason: `${action} failed: ${message}` });
  }

  private async waitIps(ref: GuestRef, ctx: OperationContext<unknown, object>): Promise<string[]> {
    if (ref.type === 'vm') {
      const cfg = (await this.client().node(ref.node).vm(ref.vmid).config()) as { agent?: string | number };
      if (!/^(enabled=)?1/.test(String(cfg.agent ?? ''))) {
        await ctx.detail('no QEMU guest agent configured: the address is not known');
        return [];
      }
    }
    const deadline = Date.now() + this.deps.settings.ipWaitMs;
    for (let attempt = 0; ; attempt++) {
      const ips = await guestIps(this.client(), ref);
      if (ips.length || Date.now() >= deadline) return ips;
      if (attempt === 0) await ctx.detail('waiting for the guest to report its address');
      await sleep(Math.min(2000, Math.max(50, deadline - Date.now())), ctx.signal);
    }
  }

  /** Wait until a guest has no lock (its create task finished) — used when its UPID was lost. */
  private async waitUnlocked(ref: GuestRef, signal: AbortSignal, timeoutMs = 10 * 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await guestStatus(this.client(), ref);
      if (!s) return false;
      if (!s.lock) return true;
      if (Date.now() > deadline)
        throw new ComputeError('guest_locked', `guest ${ref.vmid} stayed locked (${s.lock})`);
      await sleep(500, signal);
    }
  }

  /**
   * Destroy the guest of an instance if it exists and carries our tag (never someone else's):
   * wait for a running create task, power off, delete with its disks.
   */
  async destroyOurs(
    row: InstanceRow,
    signal: AbortSignal,
    progress?: (t: string) => Promise<void>,
  ): Promise<void> {
    if (row.vmid === null || !row.node) return;
    const ref = refOf(row);
    const client = this.client();
    let s = await guestStatus(client, ref);
    if (!s) return;
    if (s.lock === 'create' || s.lock === 'clone') {
      await progress?.('waiting for the Proxmox create task to end');
      if (!(await this.waitUnlocked(ref, signal))) return;
      s = await guestStatus(client, ref);
      if (!s) return;
    }
    const tagged = taggedInstanceId(s.tags);
    if (tagged !== row.id && !(tagged === null && row.managed === 'adopted')) {
      this.deps.logger.warn(
        { instance: row.id, vmid: row.vmid },
        'guest no longer carries our tag; not deleting it',
      );
      return;
    }
    if (s.status === 'running') {
      await progress?.('powering off');
      try {
        await this.wait(ref.node, await stopGuest(client, ref), signal);
      } catch (e) {
        if (!(e instanceof ProxmoxApiError && /not running/.test(e.pveMessage))) throw e;
      }
    }
    let snippet: string | null = null;
    if (ref.type === 'vm') {
      try {
        const cfg = (await client.node(ref.node).vm(ref.vmid).config()) as { cicustom?: string };
        snippet = ownSnippetVolid(cfg.cicustom, row.id);
      } catch (e) {
        if (!isGone(e)) throw e;
      }
    }
    await progress?.(`deleting ${ref.type === 'vm' ? 'VM' : 'CT'} ${ref.vmid}`);
    try {
      await this.wait(ref.node, await destroyGuest(client, ref), signal, progress);
    } catch (e) {
      if (!isGone(e)) throw e;
    }
    if (snippet) await this.removeSnippet(row, ref.node, snippet, progress);
  }

  /**
   * The guest is gone (deleted outside ProxiCloud): remove a snippet of this instance left on any
   * snippets storage of its node. Best effort, like removeSnippet.
   */
  async removeLeftoverSnippet(row: InstanceRow): Promise<void> {
    if (row.type !== 'vm' || !row.node || !this.deps.proxmox().hostAgent) return;
    const file = snippetFileName(row.id);
    try {
      const node = this.client().node(row.node);
      for (const s of await node.storage.list({ content: 'snippets', enabled: true })) {
        const items = await node.storageOf(String(s.storage)).content({ content: 'snippets' });
        const hit = items.find((i) => i.volid === `${s.storage}:snippets/${file}`);
        if (hit) await this.removeSnippet(row, row.node, hit.volid);
      }
    } catch (e) {
      this.deps.logger.warn({ err: e, instance: row.id }, 'could not look for a leftover user-data snippet');
    }
  }

  /**
   * Remove the instance's cloud-init snippet (`volid` = `local:snippets/proxicloud-<id>-user.yaml`,
   * or an absolute `path`). Best effort: a snippet left behind is logged, never fails the action.
   */
  async removeSnippet(
    row: InstanceRow,
    node: string,
    where: { path: string } | string,
    progress?: (t: string) => Promise<void>,
  ): Promise<void> {
    const agent = this.deps.proxmox().hostAgent;
    try {
      let path: string;
      if (typeof where === 'string') {
        const [storage, rest] = [where.slice(0, where.indexOf(':')), where.slice(where.indexOf(':') + 1)];
        const dir = await snippetDir(this.client(), storage);
        if (!dir) return;
        path = `${dir}/${rest.slice('snippets/'.length)}`;
      } else path = where.path;
      if (!agent) throw new Error('no SSH host agent is configured');
      await progress?.('removing the cloud-init user-data snippet');
      await (await agent.snippets(node)).remove(path);
    } catch (e) {
      this.deps.logger.warn(
        { err: e, instance: row.id, node },
        'could not remove the cloud-init user-data snippet; delete it on the node by hand',
      );
    }
  }

  /* ------------------------------------------------------------------ launch */

  /**
   * A resumed launch continues past `create` only if its guest is still there, still ours, with
   * its root disk (the server was down: someone may have deleted it, or PVE lost it). Otherwise
   * the launch fails with a clear reason and rolls back (onFailure), instead of a raw PVE error
   * from the next step.
   */
  private async assertGuestStillThere(row: InstanceRow): Promise<void> {
    const ref = refOf(row);
    const s = await guestStatus(this.client(), ref);
    const what = `${ref.type === 'vm' ? 'VM' : 'CT'} ${ref.vmid} on ${ref.node}`;
    if (!s || taggedInstanceId(s.tags) !== row.id) {
      throw new ComputeError(
        'guest_gone',
        `${what} no longer exists in Proxmox (it went away while the launch was interrupted); the launch was rolled back`,
      );
    }
    if (!(await rootDiskAllocated(this.client(), ref))) {
      throw new ComputeError(
        'guest_incomplete',
        `${what} lost its root disk while the launch was interrupted; the launch was rolled back`,
      );
    }
  }

  private spec(row: InstanceRow, vmid: number, params: LaunchParams): GuestSpec {
    return {
      instanceId: row.id,
      ownerId: row.owner_id,
      type: row.type,
      node: row.node!,
      vmid,
      name: row.name,
      template: row.template,
      vcpu: Number(row.vcpu),
      memoryMib: Number(row.memory_mib),
      diskGb: Number(row.disk_gb),
      storage: row.storage,
      bridge: row.bridge,
      network: jsonParse<NetworkConfig>(row.network, { mode: 'dhcp' }),
      user: row.username,
      sshKeys: params.sshKeys,
      ...(params.userData ? { cicustom: `user=${params.userData.volid}` } : {}),
      ...(params.source === 'iso' ? { source: 'iso' as const } : {}),
      ...(params.importLink ? { template: params.importLink.volid } : {}),
      ...(params.features !== undefined ? { features: params.features } : {}),
    };
  }

  private async freeVmid(row: InstanceRow): Promise<number> {
    const client = this.client();
    let vmid = await client.cluster.nextId();
    for (let i = 0; i < 1000 && (await this.deps.repo.vmidTaken(vmid, row.id)); i++) {
      let candidate = vmid + 1;
      for (;;) {
        try {
          vmid = await client.cluster.nextId({ vmid: candidate });
          break;
        } catch (e) {
          if (!(e instanceof ProxmoxApiError && e.status === 400)) throw e;
          candidate++;
        }
      }
    }
    return vmid;
  }

  private readonly launch: OperationHandler<LaunchParams, LaunchState> = {
    action: 'instance.launch',
    run: async (ctx) => {
      let row = await this.row(ctx.resourceId);
      await this.set(row.id, { status: 'creating', status_reason: null });
      const client = this.client();
      // accepted while Proxmox was slow: resolve the template and place the instance first
      let params = ctx.params;
      if (params.deferred) {
        const placed = await ctx.step('place', () => this.deps.service.placeDeferred(row, ctx.params));
        params = { ...params, ...placed };
        row = await this.row(ctx.resourceId);
      }
      const link = params.importLink;
      if (!link && params.deferred && row.type === 'vm') await ctx.skip('import-link', 'not needed');
      if (link) {
        await ctx.step('import-link', async () => {
          const agent = this.deps.proxmox().hostAgent;
          if (!agent) throw new ComputeError('host_agent_error', 'no SSH host agent is configured');
          const created = await (await agent.images(row.node!)).link(link.src, link.dst, {
            signal: ctx.signal,
          });
          await ctx.detail(created ? `linked as ${link.volid}` : `${link.volid} already exists`);
        });
      }
      const userData = params.userData;
      if (userData) {
        await ctx.step('user-data', async () => {
          const agent = this.deps.proxmox().hostAgent;
          if (!agent) throw new ComputeError('host_agent_error', 'no SSH host agent is configured');
          await (await agent.snippets(row.node!)).write(userData.path, userData.content, {
            signal: ctx.signal,
          });
          await ctx.detail(`${userData.volid} (${Buffer.byteLength(userData.content)} bytes)`);
        });
      }
      const alloc = await ctx.step('allocate', () =>
        this.vmidLock.run(async () => {
          row = await this.row(ctx.resourceId);
          if (ctx.resumed && row.vmid !== null) {
            // interrupted after the VMID was recorded: was the create call sent?
            const existing = await guestStatus(client, refOf(row));
            if (existing && taggedInstanceId(existing.tags) === row.id)
              return { vmid: Number(row.vmid), upid: null };
          }
          for (let attempt = 0; attempt < 8; attempt++) {
            const vmid = await this.freeVmid(row);
            await this.deps.repo.update(row.id, { vmid, updated_at: this.now() });
            try {
              const upid = await createGuest(client, this.spec(row, vmid, params));
              await ctx.detail(`VMID ${vmid} on ${row.node}`);
              return { vmid, upid };
            } catch (e) {
              // Unreachable: the request may have arrived, keep the VMID so the rollback can check.
              if (isUnreachable(e)) throw e;
              await this.deps.repo.update(row.id, { vmid: null });
              if (isVmidTaken(e)) continue;
              throw e;
            }
          }
          throw new ConflictError(
            'Could not reserve a free VMID after 8 attempts (another tool keeps taking them)',
          );
        }),
      );
      row = await this.row(ctx.resourceId);
      const ref = refOf(row);
      await ctx.step('create', async () => {
        if (alloc.upid) {
          let known = true;
          if (ctx.resumed) {
            // after a restart the task may be unknown to PVE; the client would keep polling a 500
            try {
              await client.tasks.status(ref.node, alloc.upid, { retries: 0 });
            } catch (e) {
              if (!noSuchTask(e)) throw e;
              known = false;
            }
          }
          if (known) {
            await this.wait(ref.node, alloc.upid, ctx.signal, ctx.detail);
            return;
          }
        }
        // The task is unknown (node or API restarted): look at the guest itself. An interrupted
        // create leaves a config whose root disk was never allocated (no size=).
        if (!(await this.waitUnlocked(ref, ctx.signal)))
          throw new ComputeError('interrupted', `guest ${ref.vmid} was not created`);
        if (!(await rootDiskAllocated(client, ref))) {
          throw new ComputeError(
            'interrupted',
            `the create task of guest ${ref.vmid} was interrupted before its disks were allocated`,
          );
        }
      });
      if (ctx.resumed) await this.assertGuestStillThere(row);
      if (row.type === 'vm') {
        await ctx.step('resize', async () => {
          const upid = await growRootDisk(client, ref, Number(row.disk_gb));
          if (upid) await this.wait(ref.node, upid, ctx.signal);
          else await ctx.detail('the image is already at least this size');
        });
      }
      const networking = this.deps.dependents.networking;
      if (networking && (params.networkIds?.length || params.securityGroupIds?.length)) {
        await ctx.step('networks', () =>
          networking.attachLaunch(row, params.networkIds ?? [], params.securityGroupIds ?? [], ctx.detail),
        );
      }
      if (params.start) {
        await this.deps.secretEnv?.beforeStart(row, ctx);
        await ctx.step('start', async () => {
          try {
            await this.wait(ref.node, await startGuest(client, ref), ctx.signal, ctx.detail);
          } catch (e) {
            if (!(e instanceof ProxmoxApiError && /already running/.test(e.pveMessage))) throw e;
          }
        });
        await this.deps.secretEnv?.afterStart(row, ctx);
        let ips: string[] = [];
        if (params.source === 'iso')
          await ctx.skip(
            'network',
            'installer ISO: the address shows once the installed system runs the guest agent',
          );
        else ips = await ctx.step('network', () => this.waitIps(ref, ctx));
        await this.set(row.id, {
          status: 'running',
          ips: JSON.stringify(ips ?? []),
          launched_at: this.now(),
        });
      } else {
        await ctx.skip('start', 'not requested');
        await ctx.skip('network');
        await this.set(row.id, { status: 'stopped', launched_at: this.now() });
      }
    },
    onFailure: async (ctx, error) => {
      const row = await this.row(ctx.resourceId);
      const placed = (ctx.state as { _done?: { place?: PlacedParams } })._done?.place;
      const userData = ctx.params.userData ?? placed?.userData;
      if (userData && row.node) await this.removeSnippet(row, row.node, { path: userData.path });
      await this.deps.secretEnv?.cleanup(row);
      let cleanup = 0;
      let vmid = row.vmid;
      let reason = error.message;
      try {
        await this.destroyOurs(row, ctx.signal);
        vmid = null;
        if (ctx.params.networkIds?.length || ctx.params.securityGroupIds?.length)
          await this.deps.dependents.networking?.launchFailed(row.id);
      } catch (e) {
        cleanup = 1;
        reason = `${error.message} (the partly created guest is removed by the reconciler once Proxmox answers)`;
        this.deps.logger.warn({ err: e, instance: row.id }, 'launch rollback deferred');
        if (!isUnreachable(e)) throw e;
      } finally {
        await this.set(row.id, {
          status: 'error',
          status_reason: reason,
          vmid,
          needs_cleanup: cleanup,
          ips: '[]',
        });
      }
    },
    onFinish: this.finish,
  };

  /* ------------------------------------------------------------------ start / stop / reboot */

  private readonly start: OperationHandler = {
    action: 'instance.start',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      const ref = refOf(row);
      const client = this.client();
      await this.deps.secretEnv?.beforeStart(row, ctx);
      await ctx.step('start', async () => {
        try {
          await this.wait(ref.node, await startGuest(client, ref), ctx.signal, ctx.detail);
        } catch (e) {
          if (!(e instanceof ProxmoxApiError && /already running/.test(e.pveMessage))) throw e;
        }
      });
      await this.deps.secretEnv?.afterStart(row, ctx);
      const ips = await ctx.step('network', () => this.waitIps(ref, ctx));
      await this.set(row.id, { status: 'running', status_reason: null, ips: JSON.stringify(ips ?? []) });
    },
    onFailure: async (ctx, error) => {
      await this.deps.secretEnv?.cleanup(await this.row(ctx.resourceId));
      return this.settleAfterFailure(ctx.resourceId, 'start', 'stopped', error.message);
    },
    onFinish: this.finish,
  };

  private readonly stop: OperationHandler<{ force: boolean; timeoutSeconds: number }> = {
    action: 'instance.stop',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      const ref = refOf(row);
      const client = this.client();
      await ctx.step('stop', async () => {
        const notRunning = (e: unknown) => e instanceof ProxmoxApiError && /not running/.test(e.pveMessage);
        try {
          if (ctx.params.force) {
            await this.wait(ref.node, await stopGuest(client, ref), ctx.signal, ctx.detail);
            return;
          }
          const timeout = ctx.params.timeoutSeconds;
          try {
            await this.wait(
              ref.node,
              await shutdownGuest(client, ref, timeout),
              ctx.signal,
              ctx.detail,
              (timeout + 120) * 1000,
            );
          } catch (e) {
            if (!(e instanceof ProxmoxTaskError)) throw e;
            await ctx.detail('graceful shutdown failed; forcing the stop');
            await this.wait(ref.node, await stopGuest(client, ref), ctx.signal, ctx.detail);
          }
        } catch (e) {
          if (!notRunning(e)) throw e;
        }
      });
      await this.set(row.id, { status: 'stopped', status_reason: null, ips: '[]' });
    },
    onFailure: async (ctx, error) =>
      this.settleAfterFailure(ctx.resourceId, 'stop', 'running', error.message),
    onFinish: this.finish,
  };

  private readonly reboot: OperationHandler = {
    action: 'instance.reboot',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      const ref = refOf(row);
      const client = this.client();
      await ctx.step('reboot', async () => {
        await this.wait(ref.node, await rebootGuest(client, ref), ctx.signal, ctx.detail);
      });
      await this.set(row.id, { status: 'running', status_reason: null });
    },
    onFailure: async (ctx, error) =>
      this.settleAfterFailure(ctx.resourceId, 'reboot', 'running', error.message),
    onFinish: this.finish,
  };

  /* ------------------------------------------------------------------ terminate */

  private readonly terminate: OperationHandler = {
    action: 'instance.terminate',
    run: async (ctx) => {
      let row = await this.row(ctx.resourceId);
      const client = this.client();
      const hasGuest = row.vmid !== null && row.node !== null;
      // Power off first, so volumes are never pulled from a running guest.
      if (hasGuest) {
        const ref = refOf(row);
        await ctx.step('stop', async () => {
          const s = await guestStatus(client, ref);
          if (s?.status !== 'running') return;
          try {
            await this.wait(ref.node, await stopGuest(client, ref), ctx.signal, ctx.detail);
          } catch (e) {
            if (!(e instanceof ProxmoxApiError && /not running/.test(e.pveMessage))) throw e;
          }
        });
      } else await ctx.skip('stop', 'no guest');
      const port = this.deps.dependents;
      await ctx.step('detach-volumes', async () => {
        const detached = port ? await port.detachAll(row, ctx.signal, ctx.detail) : [];
        if (detached.length) await ctx.detail(`detached ${detached.join(', ')}`);
        return detached;
      });
      row = await this.row(ctx.resourceId);
      if (hasGuest) await ctx.step('destroy', () => this.destroyOurs(row, ctx.signal, ctx.detail));
      else await ctx.skip('destroy', 'no guest');
      await this.deps.secretEnv?.forget(row);
      await this.set(row.id, {
        status: 'terminated',
        status_reason: null,
        ips: '[]',
        needs_cleanup: 0,
        terminated_at: this.now(),
      });
    },
    // the guest as PVE reports it (a terminate that failed before deleting leaves it running or
    // stopped); `error` when PVE cannot tell or the guest is gone
    onFailure: async (ctx, error) =>
      this.settleAfterFailure(ctx.resourceId, 'terminate', 'error', error.message),
    onFinish: this.finish,
  };
}
