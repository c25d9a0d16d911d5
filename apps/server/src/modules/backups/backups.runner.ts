/**
 * What a backup run does, as an operation (`backups.run`): one checkpointed step per target
 * (instances: a PVE `vzdump` task, zstd, to the policy's storage; volumes: a ZFS snapshot through
 * the volumes module, i.e. the host agent), then retention for every target that succeeded in
 * this run (never before, never the newest good copy), then notifications. A target that fails
 * does not stop the others; the run ends succeeded / partial / failed. At most `perNode` vzdump
 * tasks run at once on a node (across runs in this process), and a policy never overlaps itself
 * (the service refuses to queue a second run while one is queued or running).
 */
import { ProxmoxTaskError } from '@proxicloud/proxmox-client';
import { type PruneOptions, pruneMark } from '@proxicloud/pve-schema';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { type AuthenticatedContext, systemContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { type InstancesPort, waitTask } from '../instances/index.ts';
import type { OperationContext, OperationEngine } from '../operations/index.ts';
import { ComputeError } from '../proxmox/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { NodeLimiter } from './backups.limiter.ts';
import type { BackupEvent, BackupNotifier } from './backups.notify.ts';
import type { BackupsRepository, PointRow, RunRow, RunStatus } from './backups.repository.ts';
import { copyVolumeSnapshot, destroyCopy, type VolumeSpec } from './backups.zfs.ts';

export interface ResolvedTarget {
  type: 'instance' | 'volume';
  id: string;
  name: string;
}

export interface TargetOutcome {
  resourceType: 'instance' | 'volume';
  resourceId: string;
  resourceName: string;
  node: string | null;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  sizeBytes: number | null;
  recoveryPointId: string | null;
  upid: string | null;
  log: string[];
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunParams {
  runId: string;
}

const LOG_EXCERPT = 15;

export interface RunnerDeps {
  repo: BackupsRepository;
  clock: Clock;
  logger: Logger;
  proxmox: () => ProxmoxConnection;
  instances: InstancesPort;
  volumes: VolumesExports;
  notifier: BackupNotifier;
  limiter: NodeLimiter;
  defaultStorage: () => string;
  /** Admin's dataset for `zfs send` copies of volume snapshots (PROXICLOUD_BACKUP_ZFS_DATASET). */
  zfsSendDataset: () => string | null;
  /** The owner as the actor the run works for (audit entries of snapshots name them). */
  ownerActor: (ownerId: string) => Promise<Actor>;
}

/** The archive vzdump wrote, from its log: `creating vzdump archive '/var/lib/vz/dump/<file>'`. */
export function archiveFromLog(log: readonly string[], storage: string): string | undefined {
  for (const line of log) {
    const m = /creating (?:vzdump )?archive '([^']+)'/.exec(line);
    if (m) return `${storage}:backup/${m[1]!.split('/').pop()}`;
  }
  return undefined;
}

function parseConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) break; // snapshot sections
    const m = /^([a-z0-9_-]+):\s?(.*)$/i.exec(line);
    if (m && !line.startsWith('#')) out[m[1]!] = m[2]!;
  }
  return out;
}

export class BackupRunner {
  constructor(private readonly deps: RunnerDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  register(engine: OperationEngine): void {
    engine.register({
      action: 'backups.run',
      run: (ctx: OperationContext<RunParams>) => this.execute(ctx),
      onFinish: async (ctx, outcome) => {
        // an operation that died outside the run's own bookkeeping still ends its run
        const run = await this.deps.repo.findRun(ctx.params.runId);
        if (run && (run.status === 'queued' || run.status === 'running') && outcome === 'failed')
          await this.deps.repo.updateRun(run.id, {
            status: 'failed',
            error: run.error ?? 'the run was interrupted',
            finished_at: this.now(),
          });
      },
    });
  }

  private async execute(ctx: OperationContext<RunParams>): Promise<void> {
    const { repo } = this.deps;
    const run = await repo.findRun(ctx.params.runId);
    if (!run) throw new ComputeError('run_missing', `Backup run ${ctx.params.runId} does not exist`);
    const policy = run.policy_id ? await repo.findPolicy(run.policy_id) : undefined;
    const targets = JSON.parse(run.targets) as ResolvedTarget[];
    const storage = policy?.storage ?? this.storageOf(run) ?? this.deps.defaultStorage();
    const mode = policy?.mode ?? this.modeOf(run) ?? 'snapshot';
    const retention = policy ? (JSON.parse(policy.retention) as PruneOptions) : {};
    const outcomes: TargetOutcome[] = run.outcomes !== '[]' ? JSON.parse(run.outcomes) : targets.map(pending);
    await repo.updateRun(run.id, { status: 'running', started_at: run.started_at ?? this.now() });
    const save = () =>
      repo.updateRun(run.id, {
        outcomes: JSON.stringify(outcomes),
        size_bytes: outcomes.reduce((n, o) => n + (o.status === 'succeeded' ? (o.sizeBytes ?? 0) : 0), 0),
      });
    const actor = await this.deps.ownerActor(run.owner_id);
    const call = systemContext(actor, `backup-run:${run.id}`);

    // one target after the other (the engine's steps are sequential); the limiter also bounds
    // how many vzdump tasks this server runs on one node across concurrent runs
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      await ctx.step(`backup-${t.id}`, async () => {
        if (outcomes[i]!.status !== 'pending' && outcomes[i]!.status !== 'running') return outcomes[i];
        outcomes[i]!.status = 'running';
        outcomes[i]!.startedAt = this.now();
        await save();
        const done =
          t.type === 'instance'
            ? await this.backupInstance(ctx, run, t, storage, mode, outcomes[i]!)
            : await this.backupVolume(call, run, t, outcomes[i]!, policy?.zfs_send === 1);
        outcomes[i] = { ...done, finishedAt: this.now() };
        await save();
        await ctx.detail(`${t.name}: ${outcomes[i]!.status}`);
        return outcomes[i];
      });
    }

    const pruned = await ctx.step('prune', async () => {
      const removed: string[] = [];
      for (const o of outcomes) {
        if (o.status !== 'succeeded' || !o.recoveryPointId) continue;
        removed.push(...(await this.prune(call, o, run.policy_id, retention, policy?.timezone ?? 'UTC')));
      }
      await repo.updateRun(run.id, { pruned: JSON.stringify(removed) });
      return removed;
    });

    const ok = outcomes.filter((o) => o.status === 'succeeded').length;
    const failed = outcomes.filter((o) => o.status === 'failed');
    const status: RunStatus = failed.length === 0 ? 'succeeded' : ok > 0 ? 'partial' : 'failed';
    const error = failed.length
      ? failed.map((o) => `${o.resourceName}: ${o.error ?? 'failed'}`).join('; ')
      : null;
    await repo.updateRun(run.id, { status, error, finished_at: this.now() });
    await ctx.step('notify', async () => {
      await this.notify(run, policy?.name ?? null, status, outcomes, pruned ?? [], policy);
      return true;
    });
    if (status !== 'succeeded')
      throw new ComputeError(
        'backup_failed',
        `Backup ${status === 'partial' ? 'partly ' : ''}failed: ${error}`,
      );
  }

  private storageOf(run: RunRow): string | undefined {
    return (JSON.parse(run.targets) as { storage?: string }[])[0]?.storage;
  }
  private modeOf(run: RunRow): 'snapshot' | 'suspend' | 'stop' | undefined {
    return (JSON.parse(run.targets) as { mode?: 'snapshot' | 'suspend' | 'stop' }[])[0]?.mode;
  }

  private async backupInstance(
    ctx: OperationContext<RunParams>,
    run: RunRow,
    t: ResolvedTarget,
    storage: string,
    mode: 'snapshot' | 'suspend' | 'stop',
    out: TargetOutcome,
  ): Promise<TargetOutcome> {
    const inst = await this.deps.instances.find(t.id);
    if (!inst || inst.status === 'terminated' || inst.status === 'terminating')
      return { ...out, status: 'skipped', error: 'the instance no longer exists' };
    if (!inst.node || !inst.vmid)
      return { ...out, status: 'failed', error: `the instance is ${inst.status}` };
    const node = inst.node;
    out.node = node;
    const { client } = this.deps.proxmox();
    if (!(await this.deps.instances.lock(inst.id, ctx.id)))
      return {
        ...out,
        status: 'failed',
        error: `the instance is busy with operation ${inst.active_operation_id ?? 'another operation'}`,
      };
    try {
      return await this.deps.limiter.run(
        node,
        async () => {
          let upid: string;
          try {
            upid = await client.node(node).vzdump({
              vmid: String(inst.vmid),
              mode,
              compress: 'zstd',
              storage,
              remove: false,
              'notes-template': `ProxiCloud ${inst.name} (${inst.id})`,
            });
          } catch (e) {
            return { ...out, status: 'failed', error: (e as Error).message };
          }
          out.upid = upid;
          await ctx.detail(`vzdump ${inst.name} on ${node} (${upid})`);
          try {
            await waitTask(client, node, upid, ctx.signal, (line) => ctx.detail(line));
          } catch (e) {
            if (e instanceof ProxmoxTaskError)
              return { ...out, status: 'failed', error: e.exitstatus, log: e.logTail.slice(-LOG_EXCERPT) };
            return { ...out, status: 'failed', error: (e as Error).message };
          }
          const log = await client.tasks.logTail(node, upid, 500);
          const volid = archiveFromLog(log, storage);
          if (!volid)
            return {
              ...out,
              status: 'failed',
              error: 'vzdump reported no archive',
              log: log.slice(-LOG_EXCERPT),
            };
          const content = await client
            .node(node)
            .storageOf(storage)
            .content({ content: 'backup', vmid: inst.vmid! });
          const entry = content.find((c) => c.volid === volid);
          const config = await client.api
            .getNodesVzdumpExtractconfig({ node, volume: volid })
            .then((text) => JSON.stringify(parseConfig(String(text))))
            .catch(() => null);
          const point = {
            id: newId('rp'),
            owner_id: run.owner_id,
            policy_id: run.policy_id,
            run_id: run.id,
            resource_type: 'instance' as const,
            resource_id: inst.id,
            resource_name: inst.name,
            node,
            storage,
            volid,
            snapshot_id: null,
            guest_type: inst.type,
            vmid: inst.vmid,
            mode,
            size_bytes: Number(entry?.size ?? 0),
            config,
            status: 'available' as const,
            active_operation_id: null,
            created_at: entry?.ctime ? iso(new Date(Number(entry.ctime) * 1000)) : this.now(),
            deleted_at: null,
          };
          await this.deps.repo.insertPoint(point);
          return {
            ...out,
            status: 'succeeded',
            sizeBytes: point.size_bytes,
            recoveryPointId: point.id,
            log: log.slice(-LOG_EXCERPT),
          };
        },
        {
          holder: ctx.id,
          signal: ctx.signal,
          onWait: () =>
            void ctx.detail(`waiting: ${this.deps.limiter.limit} backup(s) already running on ${node}`),
        },
      );
    } finally {
      await this.deps.instances.unlock(inst.id, ctx.id);
      await this.deps.instances.publish(inst.id).catch(() => undefined);
    }
  }

  private async backupVolume(
    call: AuthenticatedContext,
    run: RunRow,
    t: ResolvedTarget,
    out: TargetOutcome,
    send: boolean,
  ): Promise<TargetOutcome> {
    let vol: Awaited<ReturnType<VolumesExports['service']['get']>>;
    try {
      vol = await this.deps.volumes.service.get(call.actor, t.id);
    } catch {
      return { ...out, status: 'skipped', error: 'the volume no longer exists' };
    }
    out.node = vol.node;
    const stamp = this.now().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    try {
      const snap = await this.deps.volumes.snapshots.createSnapshot(call, vol.id, {
        name: `backup-${stamp}-${run.id.slice(5, 11)}`,
        description: `ProxiCloud backup${run.policy_name ? ` (policy ${run.policy_name})` : ''}`,
      });
      const log = [`zfs snapshot ${vol.storage}:${snap.name}`];
      let copyRef: string | null = null;
      const src = await this.deps.volumes.snapshots.zfsRef(snap.id);
      if (send) {
        const parent = this.deps.zfsSendDataset();
        try {
          if (!parent) throw new Error('no backup dataset is configured (PROXICLOUD_BACKUP_ZFS_DATASET)');
          const copy = await copyVolumeSnapshot(src.zfs, src.snapshot, parent, vol.id);
          copyRef = copy.ref;
          log.push(
            `zfs send ${copy.incrementalFrom ? `-i @${copy.incrementalFrom} ` : ''}${src.snapshot} | zfs receive ${copyRef}`,
          );
        } catch (e) {
          // no half backup: the snapshot goes again and the run reports the failed copy
          await this.deps.volumes.snapshots.deleteSnapshot(call, snap.id).catch(() => undefined);
          return { ...out, status: 'failed', error: `zfs send failed: ${(e as Error).message}`, log };
        }
      }
      const spec: VolumeSpec = {
        sizeGib: vol.sizeGib,
        volumeType: vol.volumeType,
        format: vol.format,
        storage: src.storage,
        zfsPool: src.zfsPool,
        node: src.node,
      };
      const point = {
        id: newId('rp'),
        owner_id: run.owner_id,
        policy_id: run.policy_id,
        run_id: run.id,
        resource_type: 'volume' as const,
        resource_id: vol.id,
        resource_name: vol.name,
        node: vol.node,
        storage: vol.storage,
        volid: null,
        snapshot_id: snap.id,
        guest_type: null,
        vmid: null,
        mode: 'zfs-snapshot',
        size_bytes: snap.sizeBytes,
        config: null,
        copy_ref: copyRef,
        volume_spec: JSON.stringify(spec),
        status: 'available' as const,
        active_operation_id: null,
        created_at: snap.createdAt,
        deleted_at: null,
      };
      await this.deps.repo.insertPoint(point);
      return {
        ...out,
        status: 'succeeded',
        sizeBytes: snap.sizeBytes,
        recoveryPointId: point.id,
        log,
      };
    } catch (e) {
      return { ...out, status: 'failed', error: (e as Error).message };
    }
  }

  /**
   * Retention for one target's group (same resource, same policy). Runs only after that target's
   * backup succeeded in this run; the point just made is never removed (the last good copy).
   */
  private async prune(
    call: AuthenticatedContext,
    o: TargetOutcome,
    policyId: string | null,
    retention: PruneOptions,
    timezone: string,
  ): Promise<string[]> {
    const points = await this.deps.repo.pointsOf(o.resourceId, policyId);
    const marks = pruneMark(
      points.map((p) => ({ id: p.id, ctime: Date.parse(p.created_at) / 1000, point: p })),
      retention,
      timezone,
    );
    const removed: string[] = [];
    for (const m of marks) {
      if (m.mark !== 'remove' || m.entry.id === o.recoveryPointId) continue;
      try {
        await this.deletePoint(call, m.entry.point);
        removed.push(m.entry.id);
      } catch (e) {
        this.deps.logger.warn({ err: e, recoveryPoint: m.entry.id }, 'backup not pruned');
      }
    }
    return removed;
  }

  /** Remove a recovery point's data (archive or ZFS snapshot) and mark it deleted. */
  async deletePoint(call: AuthenticatedContext, p: PointRow): Promise<void> {
    if (p.volid) {
      const { client } = this.deps.proxmox();
      const st = client.node(p.node).storageOf(p.storage);
      const exists = (await st.content({ content: 'backup', vmid: p.vmid ?? undefined })).some(
        (c) => c.volid === p.volid,
      );
      if (exists) {
        const upid = await st.deleteVolume(p.volid);
        if (typeof upid === 'string' && upid.startsWith('UPID:'))
          await waitTask(client, p.node, upid, new AbortController().signal);
      }
    } else if (p.snapshot_id) {
      await this.deps.volumes.snapshots.deleteSnapshot(call, p.snapshot_id).catch((e: unknown) => {
        if ((e as { statusCode?: number }).statusCode !== 404 && !/not found|does not exist/i.test(String(e)))
          throw e;
      });
    }
    if (p.copy_ref) {
      const agent = this.deps.proxmox().hostAgent;
      if (agent) await destroyCopy(await agent.zfs(p.node), p.copy_ref);
    }
    await this.deps.repo.updatePoint(p.id, { status: 'deleted', deleted_at: this.now() });
  }

  private async notify(
    run: RunRow,
    policyName: string | null,
    status: RunStatus,
    outcomes: TargetOutcome[],
    pruned: string[],
    policy: { notify_on: string; notify_channel_ids: string } | undefined,
  ): Promise<void> {
    const on = policy ? (JSON.parse(policy.notify_on) as string[]) : ['failure'];
    const event: BackupEvent = status === 'succeeded' ? 'backup.succeeded' : 'backup.failed';
    if (!on.includes(status === 'succeeded' ? 'success' : 'failure')) return;
    const what = policyName ? `policy '${policyName}'` : outcomes.map((o) => o.resourceName).join(', ');
    const lines = outcomes.map(
      (o) =>
        `- ${o.resourceName} (${o.resourceId}): ${o.status}${o.error ? ` — ${o.error}` : ''}${o.sizeBytes ? `, ${(o.sizeBytes / 1024 ** 2).toFixed(1)} MiB` : ''}`,
    );
    const failedLog = outcomes.find((o) => o.status === 'failed' && o.log.length)?.log ?? [];
    try {
      await this.deps.notifier.notify({
        ownerId: run.owner_id,
        channelIds: policy ? (JSON.parse(policy.notify_channel_ids) as string[]) : [],
        event,
        subject: `Backup ${status === 'succeeded' ? 'succeeded' : status === 'partial' ? 'partly failed' : 'failed'}: ${what}`,
        body: [
          `Backup run ${run.id} of ${what}: ${status}.`,
          ...lines,
          ...(pruned.length ? [`Retention removed ${pruned.length} older backup(s).`] : []),
          ...(failedLog.length ? ['', 'Task log (last lines):', ...failedLog] : []),
        ].join('\n'),
        data: {
          runId: run.id,
          policyId: run.policy_id,
          status,
          targets: outcomes.map(({ log: _l, ...o }) => o),
        },
      });
    } catch (e) {
      this.deps.logger.warn({ err: e, run: run.id }, 'backup notification not delivered');
    }
  }
}

function pending(t: ResolvedTarget): TargetOutcome {
  return {
    resourceType: t.type,
    resourceId: t.id,
    resourceName: t.name,
    node: null,
    status: 'pending',
    sizeBytes: null,
    recoveryPointId: null,
    upid: null,
    log: [],
    error: null,
    startedAt: null,
    finishedAt: null,
  };
}
