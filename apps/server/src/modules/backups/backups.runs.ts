/**
 * Backup runs: queueing a run of a policy (scheduled, missed or manual) or of one resource ("Back
 * up now") as a `backups.run` operation, the scheduler's handler (missed occurrences after
 * downtime: run once or record as skipped per policy, notified either way when asked), and the
 * run history. What a run does is in backups.runner.ts.
 */
import { iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { isUniqueViolation } from '../../platform/db/values.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext, CallContext } from '../../platform/http/context.ts';
import type { ScheduleRun } from '../../platform/schedules/scheduler.ts';
import { authorize } from '../iam/index.ts';
import type { InstanceRow } from '../instances/index.ts';
import type { OperationView } from '../operations/index.ts';
import type { PolicyRow, RunRow } from './backups.repository.ts';
import type { ResolvedTarget, RunParams } from './backups.runner.ts';
import type { BackupsService, BackupsServiceDeps, PolicyTarget } from './backups.service.ts';
import { type Run, toRun } from './backups.views.ts';

export type BackupRunsDeps = BackupsServiceDeps & {
  policies: BackupsService;
  ownerActor: (ownerId: string) => Promise<Actor>;
};

export class BackupRunsService {
  constructor(private readonly deps: BackupRunsDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  /**
   * The scheduler's handler. An occurrence missed while no server ran is, per the policy, run
   * once now (trigger `missed`) or recorded as a skipped run; a `missed` notification says how
   * many occurrences were missed either way.
   */
  async onSchedule({ schedule, scheduledFor, missed }: ScheduleRun): Promise<void> {
    const policy = await this.deps.repo.findPolicy(schedule.resourceId);
    if (policy?.enabled !== 1) return;
    const ctx = {
      actor: await this.deps.ownerActor(policy.owner_id),
      ip: '127.0.0.1',
      requestId: `schedule:${schedule.id}`,
      userAgent: null,
      audited: false,
    };
    if (!missed) {
      await this.queueRun(ctx, policy, 'schedule', scheduledFor);
      return;
    }
    const now = this.deps.clock.now();
    const later = this.deps.scheduler
      .preview({ cron: policy.cron, timezone: policy.timezone }, 50, scheduledFor)
      .filter((t) => Date.parse(t) <= now.getTime());
    const count = 1 + later.length;
    let run: Run;
    if (policy.missed_run_policy === 'skip') {
      const row: RunRow = {
        ...this.baseRow(policy, 'missed', scheduledFor, []),
        status: 'skipped',
        operation_id: null,
        error: `missed while ProxiCloud was down (${count} occurrence${count > 1 ? 's' : ''}); the policy skips missed runs`,
        finished_at: this.now(),
      };
      await this.deps.repo.insertRun(row);
      run = toRun(row);
    } else {
      run = (await this.queueRun(ctx, policy, 'missed', scheduledFor)).run;
    }
    if (!(JSON.parse(policy.notify_on) as string[]).includes('missed')) return;
    const what =
      policy.missed_run_policy === 'skip'
        ? 'it is skipped (the policy skips missed runs); the next run is as scheduled'
        : `it runs once now (run ${run.id})`;
    await this.deps.notifier
      .notify({
        ownerId: policy.owner_id,
        channelIds: JSON.parse(policy.notify_channel_ids),
        event: 'backup.missed',
        subject: `Backup missed: policy '${policy.name}'`,
        body: `${count} scheduled backup${count > 1 ? 's' : ''} of policy '${policy.name}' (the first due at ${scheduledFor.toISOString()}) ${count > 1 ? 'were' : 'was'} missed while ProxiCloud was down; ${what}.`,
        data: {
          policyId: policy.id,
          runId: run.id,
          scheduledFor: scheduledFor.toISOString(),
          missedCount: count,
          missedRunPolicy: policy.missed_run_policy,
        },
      })
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'missed-backup notification not delivered'));
  }

  private baseRow(
    policy: PolicyRow,
    trigger: RunRow['trigger'],
    scheduledFor: Date | null,
    targets: ResolvedTarget[],
  ) {
    return {
      id: newId('brun'),
      owner_id: policy.owner_id,
      policy_id: policy.id,
      policy_name: policy.name,
      trigger,
      scheduled_for: scheduledFor ? iso(scheduledFor) : null,
      targets: JSON.stringify(targets),
      outcomes: '[]',
      pruned: '[]',
      size_bytes: 0,
      created_at: this.now(),
      started_at: null,
      finished_at: null,
    };
  }

  /** The policy's targets as they are now (tags resolved to the owner's instances). */
  async resolveTargets(policy: PolicyRow): Promise<ResolvedTarget[]> {
    const out = new Map<string, ResolvedTarget>();
    let owned: InstanceRow[] | undefined;
    for (const t of JSON.parse(policy.targets) as PolicyTarget[]) {
      if ('instanceId' in t) {
        const inst = await this.deps.instances.find(t.instanceId);
        if (inst && inst.status !== 'terminated')
          out.set(inst.id, { type: 'instance', id: inst.id, name: inst.name });
      } else if ('volumeId' in t) {
        const vol = await this.deps.volumes.service
          .get({ id: 'system', username: 'system', role: 'admin', via: 'system' }, t.volumeId)
          .catch(() => undefined);
        if (vol) out.set(vol.id, { type: 'volume', id: vol.id, name: vol.name });
      } else {
        owned ??= await this.deps.instances.listLive(policy.owner_id);
        const [key, value] = t.tag.split('=', 2) as [string, string | undefined];
        for (const inst of owned) {
          const tags = JSON.parse(inst.tags || '{}') as Record<string, string>;
          if (key in tags && (value === undefined || tags[key] === value))
            out.set(inst.id, { type: 'instance', id: inst.id, name: inst.name });
        }
      }
    }
    return [...out.values()];
  }

  /**
   * Queue a run of `policy` (scheduled, missed or manual) as an operation. A run never overlaps
   * itself: while one is queued or running, a scheduled occurrence is recorded as skipped and a
   * manual trigger answers 409.
   */
  async queueRun(
    ctx: CallContext,
    policy: PolicyRow,
    trigger: 'schedule' | 'missed' | 'manual',
    scheduledFor: Date | null,
  ): Promise<{ run: Run; operation: OperationView | null }> {
    const targets = await this.resolveTargets(policy);
    const now = this.now();
    const base = this.baseRow(policy, trigger, scheduledFor, targets);
    const active = await this.deps.repo.activeRunOf(policy.id);
    if (active) {
      if (trigger === 'manual')
        throw new ConflictError(
          `Policy '${policy.name}' is already running (run ${active.id})`,
          { runId: active.id },
          'run_in_progress',
        );
      const row: RunRow = {
        ...base,
        status: 'skipped',
        operation_id: null,
        error: `the previous run ${active.id} is still in progress`,
        finished_at: now,
      };
      await this.deps.repo.insertRun(row);
      return { run: toRun(row), operation: null };
    }
    if (targets.length === 0) {
      const row: RunRow = {
        ...base,
        status: 'failed',
        operation_id: null,
        error: 'the policy selects no instance or volume',
        finished_at: now,
      };
      await this.deps.repo.insertRun(row);
      await this.deps.policies.audit(ctx, 'backups.run', 'backup_run', row.id, {
        policyId: policy.id,
        trigger,
        status: 'failed',
      });
      return { run: toRun(row), operation: null };
    }
    return this.enqueue(ctx, { ...base, status: 'queued', operation_id: null, error: null }, targets);
  }

  private async enqueue(
    ctx: CallContext,
    row: RunRow,
    targets: ResolvedTarget[],
  ): Promise<{ run: Run; operation: OperationView }> {
    // backup storage quota: what the targets' last backups took (at least 1 MiB each) must fit
    let estimate = 0;
    for (const t of targets)
      estimate += Math.max(2 ** 20, Number((await this.deps.repo.latestPointOf(t.id))?.size_bytes ?? 0));
    let operation!: OperationView;
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        await this.deps.quotas.assertWithin(trx, row.owner_id, {
          backupGib: Math.round((estimate / 2 ** 30) * 1000) / 1000 || 0.001,
        });
        operation = await this.deps.engine.enqueue<RunParams>(trx, {
          action: 'backups.run',
          ownerId: row.owner_id,
          resourceType: 'backup_run',
          resourceId: row.id,
          params: { runId: row.id },
          steps: [
            ...targets.map((t) => ({ name: `backup-${t.id}`, title: `Back up ${t.type} ${t.name}` })),
            { name: 'prune', title: 'Apply retention' },
            { name: 'notify', title: 'Notify' },
          ],
          requestId: ctx.requestId,
        });
        row.operation_id = operation.id;
        await this.deps.repo.with(trx).insertRun(row);
        await this.deps.policies.audit(
          ctx,
          'backups.run',
          'backup_run',
          row.id,
          { policyId: row.policy_id, trigger: row.trigger, targets: targets.map((t) => t.id) },
          trx,
        );
      });
    } catch (e) {
      // the partial unique index: another server queued a run of this policy at the same moment
      if (isUniqueViolation(e) && row.policy_id)
        throw new ConflictError(
          `Policy '${row.policy_name}' is already running`,
          undefined,
          'run_in_progress',
        );
      throw e;
    }
    this.deps.repo.changed('backup_run', row.id, 'created');
    this.deps.engine.wake();
    return { run: toRun(row), operation };
  }

  async runPolicy(
    ctx: AuthenticatedContext,
    id: string,
  ): Promise<{ run: Run; operation: OperationView | null }> {
    authorize(ctx.actor, 'backups', 'create');
    const policy = await this.deps.policies.scopedPolicy(ctx.actor, id);
    const out = await this.queueRun(ctx, policy, 'manual', null);
    ctx.resourceId = out.run.id;
    return out;
  }

  /** "Back up now" for one instance or volume (no policy: kept until deleted). */
  async backupResource(
    ctx: AuthenticatedContext,
    type: 'instance' | 'volume',
    id: string,
    opts: { storage?: string; mode?: 'snapshot' | 'suspend' | 'stop' },
  ): Promise<{ run: Run; operation: OperationView }> {
    authorize(ctx.actor, 'backups', 'create');
    let name: string;
    let ownerId: string;
    if (type === 'instance') {
      const inst = await this.deps.instances.findScoped(ctx.actor, id);
      if (!inst || inst.status === 'terminated') throw new NotFoundError('Instance', id);
      if (!inst.vmid || !inst.node)
        throw new ConflictError(
          `Instance ${id} is ${inst.status}; it has no guest to back up yet`,
          undefined,
          'invalid_state',
        );
      name = inst.name;
      ownerId = inst.owner_id;
    } else {
      const vol = await this.deps.volumes.service.get(ctx.actor, id);
      name = vol.name;
      ownerId = vol.ownerId;
    }
    if (opts.storage) {
      const allowed = await this.deps.backupStorages();
      if (!allowed.includes(opts.storage))
        throw new UnprocessableError(
          `Storage '${opts.storage}' does not hold backups`,
          { field: 'storage', allowed },
          'invalid_storage',
        );
    }
    const active = await this.deps.repo.activeRunFor(id);
    if (active)
      throw new ConflictError(
        `A backup of ${name} is already running (run ${active.id})`,
        { runId: active.id },
        'run_in_progress',
      );
    const now = this.now();
    const targets = [
      { type, id, name, storage: opts.storage ?? this.deps.defaultStorage(), mode: opts.mode ?? 'snapshot' },
    ];
    const row: RunRow = {
      id: newId('brun'),
      owner_id: ownerId,
      policy_id: null,
      policy_name: null,
      trigger: 'manual',
      status: 'queued',
      scheduled_for: null,
      operation_id: null,
      targets: JSON.stringify(targets),
      outcomes: '[]',
      pruned: '[]',
      size_bytes: 0,
      error: null,
      created_at: now,
      started_at: null,
      finished_at: null,
    };
    const out = await this.enqueue(ctx, row, targets);
    ctx.resourceId = row.id;
    return out;
  }

  async listRuns(
    actor: Actor,
    filter: { policyId?: string; status?: RunRow['status'] },
    page: Page,
  ): Promise<ListResult<Run>> {
    authorize(actor, 'backups', 'read');
    if (filter.policyId) await this.deps.policies.scopedPolicy(actor, filter.policyId);
    const { rows, total } = await this.deps.repo.listRuns(actor, filter, page);
    return { items: rows.map(toRun), total, ...page };
  }

  async getRun(actor: Actor, id: string): Promise<Run> {
    authorize(actor, 'backups', 'read');
    const row = await this.deps.repo.findRunScoped(actor, id);
    if (!row) throw new NotFoundError('Backup run', id);
    return toRun(row);
  }
}
