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
import type { InstancesPort } from '../instances/index.ts';
import type { OperationEngine } from '../operations/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { BackupNotifier } from './backups.notify.ts';
import type { BackupPoliciesTable, BackupsRepository, PointRow, PolicyRow } from './backups.repository.ts';
import { cronOf, describeSchedule } from './backups.schedule.ts';
import { type Policy, type RecoveryPoint, toPoint, toPolicy } from './backups.views.ts';

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
  /** volumes: also copy each snapshot to the backup dataset (`zfs send`) */
  zfsSend?: boolean;
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
  zfsSendDataset: () => string | null;
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

  async scopedPolicy(actor: Actor, id: string): Promise<PolicyRow> {
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
    if (input.zfsSend && !this.deps.zfsSendDataset())
      throw new UnprocessableError(
        'zfs send needs a backup dataset; ask an admin to set PROXICLOUD_BACKUP_ZFS_DATASET',
        { field: 'zfsSend' },
        'zfs_send_unavailable',
      );
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
      zfs_send: input.zfsSend ? 1 : 0,
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
      // the scheduler always reports a missed occurrence; the policy's own missedRunPolicy then
      // decides (run once or record it as skipped) and both can notify
      missedRunPolicy: 'run_once',
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
