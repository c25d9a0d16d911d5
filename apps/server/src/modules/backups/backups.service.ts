/**
 * Backup policies (schedule + targets + retention), runs (queued as operations, fired by the
 * persisted scheduler or by hand) and recovery points. Authorization against `backups:*`, owner
 * scoping in the repository, an audit entry in the same transaction as every change.
 */
import { keepsAll, type PruneOptions, pruneMark } from '@proxicloud/pve-schema';
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { isUniqueViolation } from '../../platform/db/values.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext, CallContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Scheduler } from '../../platform/schedules/scheduler.ts';
import type { AuditService } from '../audit/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstanceRow, InstancesPort } from '../instances/index.ts';
import type { OperationEngine, OperationView } from '../operations/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { BackupNotifier } from './backups.notify.ts';
import type {
  BackupPoliciesTable,
  BackupsRepository,
  PointRow,
  PolicyRow,
  RunRow,
} from './backups.repository.ts';
import type { ResolvedTarget, RunParams } from './backups.runner.ts';
import { cronOf, describeSchedule } from './backups.schedule.ts';
import { type Policy, type RecoveryPoint, type Run, toPoint, toPolicy, toRun } from './backups.views.ts';

export const SCHEDULE_KIND = 'backups.run';

export type PolicyTarget = { instanceId: string } | { volumeId: string } | { tag: string };

export interface PolicyInput {
  name: string;
  schedule: string;
  timezone?: string;
  targets: PolicyTarget[];
  mode?: 'snapshot' | 'suspend' | 'stop';
  storage?: string;
  retention: PruneOptions;
  enabled?: boolean;
  missedRunPolicy?: 'run_once' | 'skip';
  notifyChannelIds?: string[];
  notifyOn?: ('failure' | 'success' | 'missed')[];
}

export interface BackupsServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  engine: OperationEngine;
  scheduler: Scheduler;
  repo: BackupsRepository;
  instances: InstancesPort;
  volumes: VolumesExports;
  notifier: BackupNotifier;
  quotas: Pick<QuotasService, 'assertWithin'>;
  /** 422 unknown_notification_channel for channel ids the owner does not have. */
  assertChannels: (ownerId: string, channelIds: readonly string[]) => Promise<void>;
  /** The backup storages an admin allows (PVE storages with `backup` content). */
  backupStorages: (node?: string) => Promise<string[]>;
  defaultStorage: () => string;
}

export class BackupsService {
  constructor(private readonly deps: BackupsServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  /* ------------------------------------------------------------------ policies */

  private async view(row: PolicyRow): Promise<Policy> {
    const last = await this.deps.repo.lastRunOf(row.id);
    let nextRuns: string[] = [];
    if (row.enabled)
      nextRuns = this.deps.scheduler.preview(
        { cron: row.cron, timezone: row.timezone },
        5,
        this.deps.clock.now(),
      );
    return toPolicy(row, {
      description: describeSchedule(row.cron, row.timezone),
      nextRuns,
      lastRun: last ?? null,
      defaultStorage: this.deps.defaultStorage(),
    });
  }

  async listPolicies(actor: Actor, page: Page): Promise<ListResult<Policy>> {
    authorize(actor, 'backups', 'read');
    const { rows, total } = await this.deps.repo.listPolicies(actor, page);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total, ...page };
  }

  private async scopedPolicy(actor: Actor, id: string): Promise<PolicyRow> {
    const row = await this.deps.repo.findPolicyScoped(actor, id);
    if (!row) throw new NotFoundError('Backup policy', id);
    return row;
  }

  async getPolicy(actor: Actor, id: string): Promise<Policy> {
    authorize(actor, 'backups', 'read');
    return this.view(await this.scopedPolicy(actor, id));
  }

  /** Checks input; every target must be visible to the actor (hidden ones answer 404-style 422). */
  private async validate(
    actor: Actor,
    input: PolicyInput,
    ownerId: string,
  ): Promise<{ cron: string; timezone: string }> {
    const cron = cronOf(input.schedule);
    const timezone = input.timezone ?? 'UTC';
    try {
      this.deps.scheduler.preview({ cron, timezone }, 1);
    } catch (e) {
      if (e instanceof ValidationError && (e.details as { field?: string } | undefined)?.field === 'cron')
        throw new ValidationError(e.message, { field: 'schedule' });
      throw e;
    }
    for (const t of input.targets) {
      if ('instanceId' in t) {
        const inst = await this.deps.instances.findScoped(actor, t.instanceId);
        if (!inst || inst.status === 'terminated')
          throw new UnprocessableError(
            `Instance ${t.instanceId} not found`,
            { field: 'targets' },
            'unknown_target',
          );
      } else if ('volumeId' in t) {
        try {
          await this.deps.volumes.service.get(actor, t.volumeId);
        } catch {
          throw new UnprocessableError(
            `Volume ${t.volumeId} not found`,
            { field: 'targets' },
            'unknown_target',
          );
        }
      }
    }
    if (input.storage) {
      const allowed = await this.deps.backupStorages();
      if (!allowed.includes(input.storage))
        throw new UnprocessableError(
          `Storage '${input.storage}' does not hold backups (choose one of: ${allowed.join(', ') || 'none'})`,
          { field: 'storage', allowed },
          'invalid_storage',
        );
    }
    if (input.notifyChannelIds?.length) {
      await this.deps.assertChannels(ownerId, input.notifyChannelIds).catch((e: unknown) => {
        if (!(e instanceof ValidationError)) throw e;
        throw new ValidationError(e.message, { ...(e.details ?? {}), field: 'notifyChannelIds' }, e.code);
      });
    }
    if (new Set(input.notifyOn ?? []).size !== (input.notifyOn ?? []).length)
      throw new ValidationError('notifyOn lists an event twice', { field: 'notifyOn' });
    return { cron, timezone };
  }

  private rowOf(
    input: PolicyInput,
    spec: { cron: string; timezone: string },
  ): Omit<BackupPoliciesTable, 'id' | 'owner_id' | 'created_at'> {
    return {
      name: input.name,
      schedule: input.schedule.trim(),
      cron: spec.cron,
      timezone: spec.timezone,
      targets: JSON.stringify(input.targets),
      mode: input.mode ?? 'snapshot',
      storage: input.storage ?? null,
      retention: JSON.stringify(input.retention ?? {}),
      enabled: input.enabled === false ? 0 : 1,
      missed_run_policy: input.missedRunPolicy ?? 'run_once',
      notify_channel_ids: JSON.stringify(input.notifyChannelIds ?? []),
      notify_on: JSON.stringify(input.notifyOn ?? ['failure']),
      updated_at: this.now(),
    };
  }

  private async schedule(row: PolicyRow): Promise<void> {
    await this.deps.scheduler.upsert({
      kind: SCHEDULE_KIND,
      ownerId: row.owner_id,
      resourceId: row.id,
      cron: row.cron,
      timezone: row.timezone,
      enabled: row.enabled === 1,
      missedRunPolicy: row.missed_run_policy,
      payload: { policyId: row.id },
    });
  }

  private nameTaken(name: string): ConflictError {
    return new ConflictError(`You already have a backup policy named '${name}'`, { field: 'name' });
  }

  async createPolicy(ctx: AuthenticatedContext, input: PolicyInput): Promise<Policy> {
    authorize(ctx.actor, 'backups', 'create');
    const spec = await this.validate(ctx.actor, input, ctx.actor.id);
    const now = this.now();
    const row: PolicyRow = {
      id: newId('bkp'),
      owner_id: ctx.actor.id,
      created_at: now,
      ...this.rowOf(input, spec),
    };
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (await repo.findPolicyByName(row.owner_id, row.name)) throw this.nameTaken(row.name);
        await repo.insertPolicy(row);
        await this.audit(
          ctx,
          'backups.policy.create',
          'backup_policy',
          row.id,
          { name: row.name, schedule: row.schedule, targets: input.targets },
          trx,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw this.nameTaken(row.name);
      throw e;
    }
    await this.schedule(row);
    ctx.resourceId = row.id;
    return this.view(row);
  }

  async updatePolicy(ctx: AuthenticatedContext, id: string, input: PolicyInput): Promise<Policy> {
    authorize(ctx.actor, 'backups', 'create');
    const old = await this.scopedPolicy(ctx.actor, id);
    const spec = await this.validate(ctx.actor, input, old.owner_id);
    const patch = this.rowOf(input, spec);
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        const clash = await repo.findPolicyByName(old.owner_id, patch.name);
        if (clash && clash.id !== id) throw this.nameTaken(patch.name);
        await repo.updatePolicy(id, patch);
        await this.audit(
          ctx,
          'backups.policy.update',
          'backup_policy',
          id,
          { name: patch.name, schedule: patch.schedule, enabled: patch.enabled === 1 },
          trx,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw this.nameTaken(patch.name);
      throw e;
    }
    const row = (await this.deps.repo.findPolicy(id))!;
    await this.schedule(row);
    return this.view(row);
  }

  /** Deleting a policy keeps its recovery points (they are deleted one by one, like AWS). */
  async deletePolicy(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'backups', 'delete');
    const row = await this.scopedPolicy(ctx.actor, id);
    if (await this.deps.repo.activeRunOf(id))
      throw new ConflictError(
        `Policy '${row.name}' is running; delete it when the run has finished`,
        undefined,
        'run_in_progress',
      );
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).deletePolicy(id);
      await this.audit(ctx, 'backups.policy.delete', 'backup_policy', id, { name: row.name }, trx);
    });
    await this.deps.scheduler.removeFor(SCHEDULE_KIND, id);
  }

  previewSchedule(
    schedule: string,
    timezone = 'UTC',
  ): { cron: string; timezone: string; description: string; nextRuns: string[] } {
    const cron = cronOf(schedule);
    let nextRuns: string[];
    try {
      nextRuns = this.deps.scheduler.preview({ cron, timezone }, 5, this.deps.clock.now());
    } catch (e) {
      if (e instanceof ValidationError && (e.details as { field?: string } | undefined)?.field === 'cron')
        throw new ValidationError(e.message, { field: 'schedule' });
      throw e;
    }
    return { cron, timezone, description: describeSchedule(cron, timezone), nextRuns };
  }

  /* ------------------------------------------------------------------ runs */

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
    const base = {
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
      created_at: now,
      started_at: null,
      finished_at: null,
    };
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
      await this.audit(ctx, 'backups.run', 'backup_run', row.id, {
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
      await this.audit(
        ctx,
        'backups.run',
        'backup_run',
        row.id,
        { policyId: row.policy_id, trigger: row.trigger, targets: targets.map((t) => t.id) },
        trx,
      );
    });
    this.deps.engine.wake();
    return { run: toRun(row), operation };
  }

  async runPolicy(
    ctx: AuthenticatedContext,
    id: string,
  ): Promise<{ run: Run; operation: OperationView | null }> {
    authorize(ctx.actor, 'backups', 'create');
    const policy = await this.scopedPolicy(ctx.actor, id);
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
    if (filter.policyId) await this.scopedPolicy(actor, filter.policyId);
    const { rows, total } = await this.deps.repo.listRuns(actor, filter, page);
    return { items: rows.map(toRun), total, ...page };
  }

  async getRun(actor: Actor, id: string): Promise<Run> {
    authorize(actor, 'backups', 'read');
    const row = await this.deps.repo.findRunScoped(actor, id);
    if (!row) throw new NotFoundError('Backup run', id);
    return toRun(row);
  }

  /* ------------------------------------------------------------------ recovery points */

  async listPoints(
    actor: Actor,
    filter: { instanceId?: string; volumeId?: string; policyId?: string },
    page: Page,
  ): Promise<ListResult<RecoveryPoint>> {
    authorize(actor, 'backups', 'read');
    const resourceId = filter.instanceId ?? filter.volumeId;
    const { rows, total } = await this.deps.repo.listPoints(
      actor,
      { resourceId, policyId: filter.policyId },
      page,
    );
    return { items: rows.map(toPoint), total, ...page };
  }

  async getPoint(actor: Actor, id: string): Promise<RecoveryPoint> {
    authorize(actor, 'backups', 'read');
    return toPoint(await this.scopedPoint(actor, id));
  }

  async scopedPoint(actor: Actor, id: string): Promise<PointRow> {
    const row = await this.deps.repo.findPointScoped(actor, id);
    if (!row) throw new NotFoundError('Recovery point', id);
    return row;
  }

  /**
   * Which of the current recovery points `retention` keeps ("these 11 of the current 18"), per
   * resource group, for the policy editor.
   */
  async previewRetention(
    actor: Actor,
    input: { retention: PruneOptions; timezone?: string; policyId?: string; resourceId?: string },
  ) {
    authorize(actor, 'backups', 'read');
    if (input.policyId) await this.scopedPolicy(actor, input.policyId);
    const { rows } = await this.deps.repo.listPoints(
      actor,
      { policyId: input.policyId, resourceId: input.resourceId },
      { limit: 1000, offset: 0 },
    );
    const groups = new Map<string, PointRow[]>();
    for (const r of rows)
      groups.set(`${r.resource_id}/${r.policy_id}`, [
        ...(groups.get(`${r.resource_id}/${r.policy_id}`) ?? []),
        r,
      ]);
    const items = [];
    for (const g of groups.values()) {
      const marks = pruneMark(
        g.map((p) => ({ id: p.id, ctime: Date.parse(p.created_at) / 1000, p })),
        input.retention,
        input.timezone ?? 'UTC',
      );
      for (const m of marks)
        items.push({
          recoveryPointId: m.entry.id,
          resourceName: m.entry.p.resource_name,
          createdAt: m.entry.p.created_at,
          mark: m.mark,
          keptBy: m.keptBy ?? (keepsAll(input.retention) ? 'keep-all' : null),
        });
    }
    items.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return { total: items.length, kept: items.filter((i) => i.mark !== 'remove').length, items };
  }

  async audit(
    ctx: CallContext,
    action: string,
    resourceType: string,
    resourceId: string,
    details: Record<string, unknown>,
    trx?: Kysely<Tables>,
  ): Promise<void> {
    await this.deps.audit.record(ctx, { action, resourceType, resourceId, details }, trx);
  }

  isAdmin(actor: Actor): boolean {
    return isAdmin(actor);
  }
}
