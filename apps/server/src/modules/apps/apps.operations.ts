/**
 * The apps' operations: `app.deploy` (creating → installing → configuring → health-check → ready,
 * rolled back on failure with the failing step's log kept), `app.update` (volume snapshots first,
 * then the template's update phase) and `app.delete`. Setup runs inside containers through the SSH
 * host agent (`pct push` of lib.sh/app.env/setup.sh, `pct exec … setup.sh <phase>`).
 */
import { type Clock, iso } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { AppError } from '../../platform/errors.ts';
import { systemContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { InstancesPort, InstancesService } from '../instances/index.ts';
import type { OperationContext, OperationEngine, OperationsService } from '../operations/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { AppCatalog } from './apps.catalog.ts';
import { probe } from './apps.health.ts';
import { appEnv } from './apps.params.ts';
import type { AppRow, AppStatus, AppsRepository } from './apps.repository.ts';
import type { AppsService, DeleteParams, DeployParams, UpdateParams } from './apps.service.ts';
import type { AppTemplate } from './apps.template.ts';

export interface AppSettings {
  /** Poll period while waiting for instance/volume operations and between health probes (ms). */
  pollMs: number;
  /** Upper bound of the health-check wait (ms); the template's timeout applies when lower. */
  maxHealthWaitMs: number;
}

/** A failed step: an AppError so the operation shows its code and message (not "Internal error"). */
export class AppStepError extends AppError {
  readonly status = 422;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export interface AppOperationsDeps {
  repo: AppsRepository;
  service: AppsService;
  catalog: AppCatalog;
  instances: InstancesService;
  instancesPort: InstancesPort;
  volumes: VolumesExports;
  operations: OperationsService;
  proxmox: () => ProxmoxConnection;
  clock: Clock;
  logger: Logger;
  lib: string;
  settings: AppSettings;
  ownerActor: (ownerId: string) => Promise<Actor>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export class AppOperations {
  constructor(private readonly deps: AppOperationsDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private async row(id: string): Promise<AppRow> {
    const row = await this.deps.repo.find(id);
    if (!row) throw new AppStepError('app_gone', `App ${id} no longer exists`);
    return row;
  }

  private async status(id: string, status: AppStatus, patch: Partial<AppRow> = {}): Promise<void> {
    await this.deps.repo.patch(id, { status, ...patch, updated_at: this.now() });
    await this.deps.service.publish(id);
  }

  private async log(id: string, step: string, stream: string, text: string): Promise<void> {
    const lines = text
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.length > 0)
      .map((line) => ({ stream, line }));
    await this.deps.repo.appendLogs(id, step, lines, this.now());
  }

  /**
   * A log sink for a running script: each line is stored as soon as it arrives (the console and
   * the CLI poll `GET /apps/{id}/logs?after=N`), in order; lines that arrive while a write is in
   * flight go out together in the next one.
   */
  private liveLog(id: string, step: string) {
    let pending: { stream: string; line: string }[] = [];
    let writing: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const drain = async () => {
      while (pending.length) {
        const batch = pending;
        pending = [];
        await this.deps.repo.appendLogs(id, step, batch, this.now());
      }
    };
    return {
      line: (stream: 'stdout' | 'stderr', line: string) => {
        if (!line.length) return;
        const idle = pending.length === 0;
        pending.push({ stream, line });
        if (idle)
          writing = writing.then(drain).catch((e: unknown) => {
            failure ??= e;
          });
      },
      done: async () => {
        await writing;
        await drain();
        if (failure) this.deps.logger.warn({ appId: id, err: failure }, 'app log lines could not be stored');
      },
    };
  }

  /** Wait for another operation (instance launch, volume attach, terminate) to finish. */
  private async waitFor(opId: string, signal: AbortSignal, what: string): Promise<void> {
    for (;;) {
      const op = await this.deps.operations.find(opId);
      if (!op) throw new AppStepError('operation_gone', `${what}: operation ${opId} vanished`);
      if (op.status === 'succeeded') return;
      if (op.status === 'failed')
        throw new AppStepError(
          op.error?.code ?? 'dependency_failed',
          `${what} failed: ${op.error?.message ?? op.status}`,
        );
      if (signal.aborted) throw new Error('aborted');
      await sleep(this.deps.settings.pollMs, signal);
    }
  }

  private async agentFor(row: AppRow) {
    const inst = row.instance_id ? await this.deps.instancesPort.find(row.instance_id) : undefined;
    if (!inst?.node || inst.vmid === null)
      throw new AppStepError('instance_gone', 'The app instance is gone');
    const host = this.deps.proxmox().hostAgent;
    if (!host?.appSetup)
      throw new AppStepError('host_agent_required', 'The SSH host agent is not configured');
    return { agent: await host.appSetup(inst.node), vmid: inst.vmid };
  }

  /** Push lib.sh, app.env (with secrets) and setup.sh, then run one phase; log its output. */
  private async runPhase(
    row: AppRow,
    t: AppTemplate,
    step: string,
    phase: 'install' | 'configure' | 'update',
    push: boolean,
  ) {
    const { agent, vmid } = await this.agentFor(row);
    if (push) {
      await this.log(
        row.id,
        step,
        'system',
        `pct push ${vmid} lib.sh, app.env, setup.sh → /root/.proxicloud/app/`,
      );
      await agent.push(vmid, 'lib.sh', this.deps.lib);
      const params = { plain: JSON.parse(row.params), secrets: this.deps.service.secretsOf(row) };
      await agent.push(vmid, 'app.env', appEnv(t, params, { ip: row.ip, name: row.name }));
      await agent.push(vmid, 'setup.sh', t.setup.script ?? '');
    }
    await this.log(row.id, step, 'system', `pct exec ${vmid} -- /bin/bash setup.sh ${phase}`);
    const sink = this.liveLog(row.id, step);
    let res: Awaited<ReturnType<typeof agent.runPhase>>;
    try {
      res = await agent.runPhase(vmid, phase, {}, sink.line);
    } finally {
      await sink.done();
    }
    if (res.exitCode !== 0)
      throw new AppStepError('setup_failed', `setup.sh ${phase} exited with status ${res.exitCode}`);
  }

  private async healthCheck(id: string, t: AppTemplate, signal: AbortSignal): Promise<void> {
    const row = await this.row(id);
    if (!row.ip) throw new AppStepError('no_address', 'The instance reported no IP address');
    const limit = Math.min(t.healthCheck.timeoutSeconds * 1000, this.deps.settings.maxHealthWaitMs);
    const started = Date.now();
    const check = t.healthCheck;
    const target = `${check.type === 'http' ? `GET http://${row.ip}:${check.port}${check.path ?? '/'}` : `TCP ${row.ip}:${check.port}`}`;
    await this.log(id, 'health-check', 'system', `probing ${target}`);
    let last = '';
    for (;;) {
      const r = await probe(this.deps.proxmox(), check, row.ip);
      if (r.detail !== last)
        await this.log(id, 'health-check', 'system', `${r.healthy ? 'healthy' : 'not yet'}: ${r.detail}`);
      last = r.detail;
      await this.deps.repo.patch(id, {
        health: r.healthy ? 'healthy' : 'unhealthy',
        health_detail: r.detail,
        health_checked_at: this.now(),
      });
      if (r.healthy) return;
      if (Date.now() - started >= limit || signal.aborted)
        throw new AppStepError('health_check_failed', `${target} did not become healthy: ${r.detail}`);
      await sleep(this.deps.settings.pollMs, signal);
    }
  }

  register(engine: OperationEngine): void {
    engine.register({
      action: 'app.deploy',
      run: (ctx: OperationContext<DeployParams>) => this.deploy(ctx),
      onFailure: async (ctx: OperationContext<DeployParams>, error) => {
        const step = (await this.failedStep(ctx.id)) ?? null;
        await this.log(
          ctx.params.appId,
          step ?? 'rollback',
          'system',
          `failed: ${error.message}; rolling back`,
        );
        await this.deps.repo.patch(ctx.params.appId, {
          error: JSON.stringify({ code: error.code, message: error.message, step }),
        });
        await this.rollback(ctx.params.appId, ctx.signal).catch(async (e: unknown) => {
          await this.log(
            ctx.params.appId,
            'rollback',
            'system',
            `rollback incomplete: ${(e as Error).message}`,
          );
        });
        await this.status(ctx.params.appId, 'failed', { health: 'unknown' });
      },
      onFinish: (ctx) => this.release(ctx.params.appId),
    });
    engine.register({
      action: 'app.update',
      run: (ctx: OperationContext<UpdateParams>) => this.updateApp(ctx),
      onFailure: async (ctx: OperationContext<UpdateParams>, error) => {
        const step = (await this.failedStep(ctx.id)) ?? null;
        await this.log(ctx.params.appId, step ?? 'updating', 'system', `update failed: ${error.message}`);
        await this.status(ctx.params.appId, 'failed', {
          error: JSON.stringify({ code: error.code, message: error.message, step }),
        });
      },
      onFinish: (ctx) => this.release(ctx.params.appId),
    });
    engine.register({
      action: 'app.delete',
      run: (ctx: OperationContext<DeleteParams>) => this.deleteApp(ctx),
      onFailure: async (ctx: OperationContext<DeleteParams>, error) => {
        await this.status(ctx.params.appId, 'failed', {
          error: JSON.stringify({ code: error.code, message: error.message, step: 'delete' }),
        });
      },
      onFinish: (ctx) => this.release(ctx.params.appId),
    });
  }

  private async failedStep(opId: string): Promise<string | undefined> {
    const op = await this.deps.operations.find(opId);
    return op?.steps.find((s) => s.status === 'failed' || s.status === 'running')?.name;
  }

  private async release(appId: string): Promise<void> {
    const row = await this.deps.repo.find(appId);
    if (!row) return;
    await this.deps.repo.patch(appId, { active_operation_id: null, updated_at: this.now() });
    await this.deps.service.publish(appId);
  }

  private async call(row: AppRow, opId: string) {
    return systemContext(await this.deps.ownerActor(row.owner_id), `app-op:${opId}`);
  }

  private async deploy(ctx: OperationContext<DeployParams>): Promise<void> {
    const id = ctx.params.appId;
    let row = await this.row(id);
    const t = JSON.parse(row.template) as AppTemplate;
    await ctx.step('creating', async () => {
      await this.status(id, 'creating');
      await this.log(id, 'creating', 'system', `launching ${t.base.type} ${row.name} from ${t.base.image}`);
      await this.waitFor(ctx.params.launchOperationId, ctx.signal, 'Instance launch');
      const inst = await this.deps.instancesPort.find(row.instance_id!);
      const ips = JSON.parse(inst?.ips ?? '[]') as string[];
      const ip = ips[0] ?? null;
      await this.log(id, 'creating', 'system', `instance ${row.instance_id} running (${ip ?? 'no address'})`);
      await this.deps.repo.patch(id, { ip, updated_at: this.now() });
      const call = await this.call(row, ctx.id);
      const volumeIds: string[] = JSON.parse(row.volume_ids);
      for (const v of t.volumes.slice(volumeIds.length)) {
        const vol = await this.deps.volumes.service.create(call, {
          name: `${row.name}-${v.name}`,
          sizeGib: v.sizeGib,
          format: t.base.type === 'lxc' ? 'filesystem' : 'block',
          ...(inst?.node ? { node: inst.node } : {}),
        });
        volumeIds.push(vol.id);
        await this.deps.repo.patch(id, { volume_ids: JSON.stringify(volumeIds) });
        const att = await this.deps.volumes.attachments.attach(call, vol.id, {
          instanceId: row.instance_id!,
          mountPath: v.mountPath,
        });
        await this.waitFor(att.operation.id, ctx.signal, `Attaching volume ${vol.name}`);
        await this.log(
          id,
          'creating',
          'system',
          `volume ${vol.id} (${v.sizeGib} GiB) mounted at ${v.mountPath}`,
        );
      }
      return { ip };
    });
    row = await this.row(id);
    if (t.base.type === 'lxc') {
      await ctx.step('installing', async () => {
        await this.status(id, 'installing');
        await this.runPhase(row, t, 'installing', 'install', true);
      });
      await ctx.step('configuring', async () => {
        await this.status(id, 'configuring');
        await this.runPhase(row, t, 'configuring', 'configure', false);
      });
    } else {
      await ctx.skip('installing', 'cloud-init runs the setup at first boot');
      await ctx.skip('configuring', 'cloud-init runs the setup at first boot');
    }
    await ctx.step('health-check', async () => {
      await this.status(id, 'health-check');
      await this.healthCheck(id, t, ctx.signal);
    });
    await ctx.step('ready', async () => {
      await this.status(id, 'ready', { error: null });
      await this.log(id, 'ready', 'system', `${t.name} ${t.version} is ready`);
    });
  }

  /** Undo a failed deploy: terminate the instance (volumes detach), then delete the volumes. */
  private async rollback(id: string, signal: AbortSignal): Promise<void> {
    const row = await this.row(id);
    const call = await this.call(row, `rollback-${id}`);
    await this.terminate(row, call, signal, 'rollback');
    for (const vid of JSON.parse(row.volume_ids) as string[]) {
      await this.deleteVolume(call, vid, signal);
      await this.log(id, 'rollback', 'system', `deleted volume ${vid}`);
    }
    await this.deps.repo.patch(id, { volume_ids: '[]', ip: null });
  }

  private async terminate(
    row: AppRow,
    call: Awaited<ReturnType<AppOperations['call']>>,
    signal: AbortSignal,
    step: string,
  ) {
    if (!row.instance_id) return;
    const inst = await this.deps.instancesPort.find(row.instance_id);
    if (!inst || inst.status === 'terminated') return;
    if (inst.active_operation_id)
      await this.waitFor(inst.active_operation_id, signal, 'Instance operation').catch(() => {});
    const op = await this.deps.instances.terminate(call, row.instance_id, row.instance_id);
    await this.waitFor(op.operation.id, signal, 'Terminating the instance');
    await this.log(row.id, step, 'system', `terminated instance ${row.instance_id}`);
  }

  private async deleteVolume(
    call: Awaited<ReturnType<AppOperations['call']>>,
    vid: string,
    signal: AbortSignal,
  ) {
    for (let i = 0; i < 50; i++) {
      try {
        await this.deps.volumes.service.delete(call, vid);
        return;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'not_found') return;
        if (code !== 'volume_busy' && code !== 'invalid_state') throw e;
        await sleep(this.deps.settings.pollMs, signal);
      }
    }
  }

  private async updateApp(ctx: OperationContext<UpdateParams>): Promise<void> {
    const id = ctx.params.appId;
    const row = await this.row(id);
    const t = await this.deps.catalog.current(row.template_id);
    if (!t) throw new AppStepError('template_gone', `Template ${row.template_id} no longer exists`);
    await ctx.step('snapshot', async () => {
      const call = await this.call(row, ctx.id);
      const ids = JSON.parse(row.volume_ids) as string[];
      for (const vid of ids) {
        const snap = await this.deps.volumes.snapshots.createSnapshot(call, vid, {
          name: `pre-update-${row.template_version}-${ctx.id.slice(-6)}`.replace(/[^A-Za-z0-9_.-]/g, '-'),
          description: `before updating ${row.name} to ${t.version}`,
        });
        await this.log(id, 'snapshot', 'system', `snapshot ${snap.id} of volume ${vid}`);
      }
      if (!ids.length) await this.log(id, 'snapshot', 'system', 'no volumes to snapshot');
    });
    await ctx.step('updating', async () => {
      const fresh = { ...row, template: JSON.stringify(t) };
      if (t.base.type === 'lxc') await this.runPhase(fresh, t, 'updating', 'update', true);
      await this.deps.repo.patch(id, { template: JSON.stringify(t), template_version: t.version });
    });
    await ctx.step('health-check', async () => {
      await this.healthCheck(id, t, ctx.signal);
    });
    await ctx.step('ready', async () => {
      await this.status(id, 'ready', { error: null });
      await this.log(id, 'ready', 'system', `updated to ${t.name} ${t.version}`);
    });
  }

  private async deleteApp(ctx: OperationContext<DeleteParams>): Promise<void> {
    const id = ctx.params.appId;
    const row = await this.row(id);
    const call = await this.call(row, ctx.id);
    await ctx.step('terminate', () => this.terminate(row, call, ctx.signal, 'delete'));
    if (ctx.params.deleteVolumes) {
      await ctx.step('volumes', async () => {
        for (const vid of JSON.parse(row.volume_ids) as string[])
          await this.deleteVolume(call, vid, ctx.signal);
      });
    } else await ctx.skip('volumes', 'kept (deleteVolumes was not set)');
    await ctx.step('forget', async () => {
      await this.deps.repo.delete(id);
      await this.deps.service.publish(id, 'deleted', row.owner_id);
    });
  }

  /** Periodic health of ready apps (job apps.health). */
  async refreshHealth(signal: AbortSignal): Promise<void> {
    for (const row of await this.deps.repo.readyApps()) {
      if (signal.aborted) return;
      if (!row.ip) continue;
      const t = JSON.parse(row.template) as AppTemplate;
      const r = await probe(this.deps.proxmox(), t.healthCheck, row.ip);
      const health = r.healthy ? 'healthy' : 'unhealthy';
      await this.deps.repo.patch(row.id, { health, health_detail: r.detail, health_checked_at: this.now() });
      if (health !== row.health) await this.deps.service.publish(row.id);
    }
  }
}
