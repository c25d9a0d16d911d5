import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, type ListResult, type Page, systemActor } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { MetricsPort } from '../metrics/index.ts';
import type { NotificationsPort } from '../notifications/index.ts';
import { type Storage, storageContext } from '../storage/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import {
  type AlarmMetric,
  type AlarmSample,
  type Comparison,
  evaluate,
  PERCENT_METRICS,
  UNITS,
} from './alarms.evaluate.ts';
import type {
  AlarmHistoryRow,
  AlarmRow,
  AlarmState,
  AlarmsRepository,
  AlarmsTable,
} from './alarms.repository.ts';

export interface Alarm {
  id: string;
  name: string;
  ownerId: string;
  resourceType: AlarmsTable['resource_type'];
  resourceId: string;
  resourceName: string | null;
  metric: AlarmMetric;
  comparison: Comparison;
  threshold: number;
  unit: string;
  durationSeconds: number;
  channelIds: string[];
  state: AlarmState;
  stateReason: string;
  stateChangedAt: string;
  lastValue: number | null;
  silencedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlarmInput {
  name: string;
  resourceType: AlarmsTable['resource_type'];
  resourceId: string;
  metric: AlarmMetric;
  comparison: Comparison;
  threshold: number;
  durationSeconds: number;
  channelIds?: string[];
  silencedUntil?: string | null;
}

export const MAX_ALARMS_PER_USER = 200;
/** Metrics a node reports in /cluster/resources (no per-node I/O rates there). */
const NODE_METRICS: ReadonlySet<AlarmMetric> = new Set(['cpu', 'memory', 'diskUsed']);
/** What each resource type supports besides instances (which support all but the bucket metrics). */
const RESOURCE_METRICS: Record<'node' | 'volume' | 'bucket', ReadonlySet<AlarmMetric>> = {
  node: NODE_METRICS,
  volume: new Set(['diskUsed']),
  bucket: new Set(['objectCount', 'storedBytes']),
};
const INSTANCE_METRICS: ReadonlySet<AlarmMetric> = new Set([
  'cpu',
  'memory',
  'diskRead',
  'diskWrite',
  'netIn',
  'netOut',
  'diskUsed',
]);

export interface AlarmsServiceDeps {
  db: Database;
  repo: AlarmsRepository;
  audit: AuditService;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  instances: Pick<InstancesPort, 'findScoped' | 'find'>;
  metrics: MetricsPort;
  notifications: NotificationsPort;
  volumes: Pick<VolumesExports, 'service'>;
  storage: Pick<Storage, 'service' | 'bucketUsage'>;
}

export class AlarmsService {
  constructor(private readonly deps: AlarmsServiceDeps) {}

  private async view(row: AlarmRow): Promise<Alarm> {
    let resourceName: string | null = null;
    if (row.resource_type === 'instance')
      resourceName = (await this.deps.instances.find(row.resource_id))?.name ?? null;
    else if (row.resource_type === 'node' || row.resource_type === 'bucket') resourceName = row.resource_id;
    else if (row.resource_type === 'volume')
      resourceName =
        (await this.deps.volumes.service.get(systemActor, row.resource_id).catch(() => null))?.name ?? null;
    return {
      id: row.id,
      name: row.name,
      ownerId: row.owner_id,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      resourceName,
      metric: row.metric as AlarmMetric,
      comparison: row.comparison,
      threshold: Number(row.threshold),
      unit: UNITS[row.metric as AlarmMetric],
      durationSeconds: Number(row.duration_seconds),
      channelIds: JSON.parse(row.channel_ids_json) as string[],
      state: row.state,
      stateReason: row.state_reason,
      stateChangedAt: row.state_changed_at,
      lastValue: row.last_value === null ? null : Number(row.last_value),
      silencedUntil: row.silenced_until,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(
    actor: Actor,
    filter: { state?: AlarmState; resourceId?: string },
    page: Page,
  ): Promise<ListResult<Alarm>> {
    authorize(actor, 'alarms', 'read');
    const { rows, total } = await this.deps.repo.list(actor, filter, page);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total, ...page };
  }

  async get(actor: Actor, id: string): Promise<Alarm> {
    authorize(actor, 'alarms', 'read');
    return this.view(await this.row(actor, id));
  }

  private async row(actor: Actor, id: string): Promise<AlarmRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Alarm', id);
    return row;
  }

  async history(actor: Actor, id: string, page: Page) {
    authorize(actor, 'alarms', 'read');
    await this.row(actor, id);
    const { rows, total } = await this.deps.repo.history(id, page);
    return { items: rows.map(toTransition), total, ...page };
  }

  async create(ctx: AuthenticatedContext, input: AlarmInput): Promise<Alarm> {
    authorize(ctx.actor, 'alarms', 'create');
    const resourceRef = await this.checkResource(ctx, input.resourceType, input.resourceId, input.metric);
    checkThreshold(input.metric, input.threshold);
    const channelIds = [...new Set(input.channelIds ?? [])];
    await this.deps.notifications.assertChannels(ctx.actor.id, channelIds);
    const now = iso(this.deps.clock.now());
    const row: AlarmRow = {
      id: newId('alm'),
      owner_id: ctx.actor.id,
      name: input.name,
      resource_type: input.resourceType,
      resource_id: input.resourceId,
      resource_ref: resourceRef,
      metric: input.metric,
      comparison: input.comparison,
      threshold: input.threshold,
      duration_seconds: input.durationSeconds,
      channel_ids_json: JSON.stringify(channelIds),
      state: 'INSUFFICIENT_DATA',
      state_reason: 'Not evaluated yet',
      state_changed_at: now,
      last_value: null,
      silenced_until: checkSilence(input.silencedUntil) ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.findByName(ctx.actor.id, input.name))
        throw new ConflictError(`You already have an alarm named '${input.name}'`);
      if ((await repo.countOwned(ctx.actor.id)) >= MAX_ALARMS_PER_USER)
        throw new ConflictError(`You already have ${MAX_ALARMS_PER_USER} alarms; delete one first`);
      await repo.insert(row);
      await this.deps.audit.record(
        ctx,
        {
          action: 'alarms.create',
          resourceType: 'alarm',
          resourceId: row.id,
          details: {
            name: row.name,
            resourceType: row.resource_type,
            resourceId: row.resource_id,
            metric: row.metric,
          },
        },
        trx,
      );
    });
    ctx.resourceId = row.id;
    const alarm = await this.view(row);
    this.publish('created', alarm);
    return alarm;
  }

  async update(
    ctx: AuthenticatedContext,
    id: string,
    patch: Partial<
      Pick<
        AlarmInput,
        'name' | 'comparison' | 'threshold' | 'durationSeconds' | 'channelIds' | 'silencedUntil'
      >
    >,
  ): Promise<Alarm> {
    authorize(ctx.actor, 'alarms', 'update');
    const current = await this.row(ctx.actor, id);
    if (patch.threshold !== undefined) checkThreshold(current.metric as AlarmMetric, patch.threshold);
    if (patch.channelIds) await this.deps.notifications.assertChannels(current.owner_id, patch.channelIds);
    const set: Partial<AlarmRow> = { updated_at: iso(this.deps.clock.now()) };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.comparison !== undefined) set.comparison = patch.comparison;
    if (patch.threshold !== undefined) set.threshold = patch.threshold;
    if (patch.durationSeconds !== undefined) set.duration_seconds = patch.durationSeconds;
    if (patch.channelIds !== undefined) set.channel_ids_json = JSON.stringify([...new Set(patch.channelIds)]);
    if (patch.silencedUntil !== undefined) set.silenced_until = checkSilence(patch.silencedUntil) ?? null;
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (
        patch.name !== undefined &&
        patch.name !== current.name &&
        (await repo.findByName(current.owner_id, patch.name))
      )
        throw new ConflictError(`An alarm named '${patch.name}' already exists`);
      await repo.update(id, set);
      await this.deps.audit.record(
        ctx,
        {
          action: 'alarms.update',
          resourceType: 'alarm',
          resourceId: id,
          details: { fields: Object.keys(patch) },
        },
        trx,
      );
    });
    const alarm = await this.view({ ...current, ...set });
    this.publish('updated', alarm);
    return alarm;
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'alarms', 'delete');
    const row = await this.row(ctx.actor, id);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).delete(id);
      await this.deps.audit.record(
        ctx,
        { action: 'alarms.delete', resourceType: 'alarm', resourceId: id, details: { name: row.name } },
        trx,
      );
    });
    this.deps.bus.publish({
      type: 'alarm.deleted',
      resource: 'alarm',
      resourceId: id,
      ownerId: row.owner_id,
      data: { id },
    });
  }

  /** The evaluation job: every alarm against the collector's samples; transitions notify. */
  async evaluateAll(): Promise<{ evaluated: number; transitions: number }> {
    const rows = await this.deps.repo.all();
    const now = this.deps.clock.now().getTime();
    let transitions = 0;
    for (const row of rows) {
      try {
        if (await this.evaluateOne(row, now)) transitions++;
      } catch (err) {
        this.deps.logger.warn({ err, alarmId: row.id }, 'alarm evaluation failed');
      }
    }
    return { evaluated: rows.length, transitions };
  }

  private async samples(row: AlarmRow, since: number): Promise<AlarmSample[]> {
    if (row.resource_type === 'node') return this.deps.metrics.series('node', row.resource_id, since);
    if (row.resource_type === 'volume')
      return this.deps.metrics.resources
        .series('volume', row.resource_id, since)
        .map((s) => ({ time: s.time, diskUsedBytes: s.usedBytes, diskSizeBytes: s.sizeBytes }));
    if (row.resource_type === 'bucket') {
      const id = row.resource_ref ?? this.deps.metrics.resources.bucket(row.resource_id)?.id;
      if (!id) return [];
      return this.deps.metrics.resources
        .series('bucket', id, since)
        .map((s) => ({ time: s.time, objectCount: s.objectCount, storedBytes: s.sizeBytes }));
    }
    if (row.resource_type !== 'instance') return [];
    const inst = await this.deps.instances.find(row.resource_id);
    if (!inst || inst.vmid === null || inst.status === 'terminated') return [];
    return this.deps.metrics.series('guest', inst.vmid, since);
  }

  private async evaluateOne(row: AlarmRow, now: number): Promise<boolean> {
    const duration = Number(row.duration_seconds);
    const interval =
      row.resource_type === 'volume' || row.resource_type === 'bucket'
        ? this.deps.metrics.resources.intervalSeconds
        : this.deps.metrics.intervalSeconds;
    const samples = await this.samples(row, now - (duration + 2 * interval) * 1000);
    const verdict = evaluate(
      {
        metric: row.metric as AlarmMetric,
        comparison: row.comparison,
        threshold: Number(row.threshold),
        durationSeconds: duration,
      },
      samples,
      now,
      interval,
      row.state,
    );
    const at = iso(new Date(now));
    if (verdict.state === row.state) {
      await this.deps.repo.update(row.id, { last_value: verdict.value, state_reason: verdict.reason });
      return false;
    }
    const won = await this.deps.repo.transition(row.id, row.state, {
      state: verdict.state,
      state_reason: verdict.reason,
      state_changed_at: at,
      last_value: verdict.value,
    });
    if (!won) return false;
    const channelIds = JSON.parse(row.channel_ids_json) as string[];
    const silenced = row.silenced_until !== null && Date.parse(row.silenced_until) > now;
    const notify = channelIds.length > 0 && !silenced;
    await this.deps.repo.insertHistory({
      id: newId('alh'),
      alarm_id: row.id,
      from_state: row.state,
      to_state: verdict.state,
      reason: verdict.reason,
      value: verdict.value,
      notified: notify ? 1 : 0,
      at,
    });
    const alarm = await this.view({
      ...row,
      state: verdict.state,
      state_reason: verdict.reason,
      state_changed_at: at,
      last_value: verdict.value,
    });
    this.publish('updated', alarm);
    if (notify) {
      const on = alarm.resourceName
        ? `${alarm.resourceType} ${alarm.resourceName}`
        : `${alarm.resourceType} ${alarm.resourceId}`;
      await this.deps.notifications.notify({
        ownerId: row.owner_id,
        channelIds,
        event: 'alarm.state_changed',
        subject: `[${verdict.state}] ${row.name} (${on})`,
        body: `Alarm "${row.name}" on ${on} changed from ${row.state} to ${verdict.state}.\n\n${verdict.reason}\n\nCondition: ${row.metric} ${row.comparison} ${Number(row.threshold)} ${alarm.unit} for ${duration} s.`,
        data: {
          alarmId: row.id,
          alarmName: row.name,
          resourceType: row.resource_type,
          resourceId: row.resource_id,
          metric: row.metric,
          fromState: row.state,
          toState: verdict.state,
          value: verdict.value,
          threshold: Number(row.threshold),
          at,
        },
      });
    }
    return true;
  }

  /** 404 for resources the caller cannot see, 400 for a metric the type does not have; the bucket's id. */
  private async checkResource(
    ctx: AuthenticatedContext,
    type: AlarmsTable['resource_type'],
    id: string,
    metric: AlarmMetric,
  ): Promise<string | null> {
    const actor = ctx.actor;
    const supported = type === 'instance' ? INSTANCE_METRICS : RESOURCE_METRICS[type];
    if (!supported.has(metric))
      throw new ValidationError(`${type}s support the metrics ${[...supported].join(', ')}`, {
        field: 'metric',
      });
    if (type === 'instance') {
      const inst = await this.deps.instances.findScoped(actor, id);
      if (!inst || inst.status === 'terminated') throw new NotFoundError('Instance', id);
      if (metric === 'diskUsed' && inst.type !== 'lxc')
        throw new ValidationError(
          'diskUsed is reported for containers only (PVE does not see inside VM disks)',
          {
            field: 'metric',
          },
        );
      return null;
    }
    if (type === 'node') {
      const snap = this.deps.metrics.latest;
      if (snap && !snap.nodes.has(id)) throw new NotFoundError('Node', id);
      return null;
    }
    if (type === 'volume') {
      await this.deps.volumes.service.get(actor, id); // 404 when not the caller's
      return null;
    }
    await this.deps.storage.service.getBucket(storageContext(ctx, 'api'), id); // 404 when hidden
    return (await this.deps.storage.bucketUsage()).find((b) => b.name === id)?.id ?? null;
  }

  private publish(verb: 'created' | 'updated', alarm: Alarm): void {
    this.deps.bus.publish({
      type: `alarm.${verb}`,
      resource: 'alarm',
      resourceId: alarm.id,
      ownerId: alarm.ownerId,
      data: alarm,
    });
  }
}

function checkSilence(until: string | null | undefined): string | null | undefined {
  if (until === undefined || until === null) return until;
  const ms = Date.parse(until);
  if (Number.isNaN(ms))
    throw new ValidationError('silencedUntil must be an ISO-8601 time', { field: 'silencedUntil' });
  return new Date(ms).toISOString();
}

function checkThreshold(metric: AlarmMetric, threshold: number): void {
  if (!Number.isFinite(threshold))
    throw new ValidationError('threshold must be a number', { field: 'threshold' });
  if (PERCENT_METRICS.has(metric) && (threshold < 0 || threshold > 100))
    throw new ValidationError(`${metric} is in %: the threshold must be 0–100`, { field: 'threshold' });
  if (!PERCENT_METRICS.has(metric) && threshold < 0)
    throw new ValidationError(`${metric} is in bytes per second: the threshold must be ≥ 0`, {
      field: 'threshold',
    });
}

export function toTransition(row: AlarmHistoryRow) {
  return {
    id: row.id,
    alarmId: row.alarm_id,
    fromState: row.from_state,
    toState: row.to_state,
    reason: row.reason,
    value: row.value === null ? null : Number(row.value),
    notified: Number(row.notified) === 1,
    at: row.at,
  };
}
