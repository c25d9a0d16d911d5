import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import { iso } from '../clock.ts';
import { newId, randomString } from '../crypto.ts';
import type { Database } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { JobScheduler } from '../jobs.ts';
import type { Logger } from '../logger.ts';
import { type CronSpec, nextRunAfter, nextRuns, parseCron } from './cron.ts';
import {
  type MissedRunPolicy,
  type ScheduleRow,
  type ScheduleRunStatus,
  SchedulesRepository,
} from './schedules.repository.ts';

export type { MissedRunPolicy, ScheduleRunStatus };

/** A persisted schedule as modules see it. */
export interface Schedule {
  id: string;
  kind: string;
  ownerId: string;
  resourceId: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  missedRunPolicy: MissedRunPolicy;
  payload: unknown;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastScheduledFor: string | null;
  lastStatus: ScheduleRunStatus | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleInput {
  kind: string;
  ownerId: string;
  /** The module's resource; (kind, resourceId) identifies the schedule for upsert. */
  resourceId: string;
  cron: string;
  /** IANA time zone (default UTC). */
  timezone?: string;
  enabled?: boolean;
  /** After downtime: 'skip' the missed occurrences (default) or 'run_once' to catch up once. */
  missedRunPolicy?: MissedRunPolicy;
  /** JSON-serialisable, handed to the handler. */
  payload?: unknown;
}

export interface ScheduleRun {
  schedule: Schedule;
  /** The occurrence being run (may be in the past when catching up after downtime). */
  scheduledFor: Date;
  /** True when the occurrence was missed (runner down) and the policy is run_once. */
  missed: boolean;
  signal: AbortSignal;
}

export type ScheduleHandler = (run: ScheduleRun) => Promise<void>;

export interface SchedulerOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Lease lifetime; a runner that stops renewing is replaced after this (default 30 s). */
  leaseTtlMs?: number;
  /** How often the attached job ticks; also how late a run may fire (default 5 s). */
  tickMs?: number;
  /** An occurrence older than this when seen is "missed" (default 2 × lease TTL). */
  missedAfterMs?: number;
  /** Runner identity in the lease row (default host:pid:random). */
  holder?: string;
}

export interface TickResult {
  leader: boolean;
  /** Schedule ids whose handler was started this tick. */
  fired: string[];
  /** Schedule ids whose missed occurrences were skipped (policy skip) this tick. */
  skipped: string[];
}

const LEASE = 'scheduler';
const BATCH = 100;
const KIND = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Persisted cron schedules (table `schedules`), run by one runner per database: every server
 * ticks, but only the holder of the `scheduler_leases` row fires. The lease has an expiry, is
 * renewed every tick and is taken over when it expires (a crashed server is replaced within the
 * TTL). Each occurrence is additionally claimed by compare-and-set on next_run_at, so it fires at
 * most once even under clock skew between servers. Handlers are registered per kind by modules;
 * the interval housekeeping jobs stay in platform/jobs.ts (they run on every server).
 */
export class Scheduler {
  readonly holder: string;
  private readonly repo: SchedulesRepository;
  private readonly handlers = new Map<string, ScheduleHandler>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly leaseTtlMs: number;
  /** How often the attached job ticks. */
  readonly tickMs: number;
  private readonly missedAfterMs: number;
  private readonly controller = new AbortController();
  private stopped = false;
  private ticking: Promise<TickResult> | undefined;
  private leader = false;
  /** Date.now() of the last lease acquisition attempt. */
  private leaseCheckedAt = 0;
  private leasing: Promise<boolean> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.repo = new SchedulesRepository(options.db.kysely);
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.tickMs = options.tickMs ?? 5_000;
    this.missedAfterMs = options.missedAfterMs ?? 2 * this.leaseTtlMs;
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomString(6)}`;
  }

  /** Register the handler for a kind ('backup.run', 'function.invoke'); once per kind. */
  register(kind: string, handler: ScheduleHandler): void {
    if (!KIND.test(kind)) throw new Error(`schedule kind "${kind}" must look like module.action`);
    if (this.handlers.has(kind)) throw new Error(`schedule kind ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  kinds(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Create or replace the schedule for (kind, resourceId). A changed cron or zone recomputes the next run. */
  async upsert(input: ScheduleInput): Promise<Schedule> {
    if (!this.handlers.has(input.kind))
      throw new ValidationError(`No schedule handler for kind '${input.kind}'`, { field: 'kind' });
    const spec: CronSpec = { cron: input.cron.trim(), timezone: input.timezone ?? 'UTC' };
    parseCron(spec);
    const policy = input.missedRunPolicy ?? 'skip';
    if (policy !== 'skip' && policy !== 'run_once')
      throw new ValidationError("missedRunPolicy must be 'skip' or 'run_once'", { field: 'missedRunPolicy' });
    const payload = JSON.stringify(input.payload ?? null);
    const enabled = input.enabled ?? true;
    const now = this.options.clock.now();
    const existing = await this.repo.find(input.kind, input.resourceId);
    if (!existing) {
      const row: ScheduleRow = {
        id: newId('sch'),
        kind: input.kind,
        owner_id: input.ownerId,
        resource_id: input.resourceId,
        cron: spec.cron,
        timezone: spec.timezone,
        enabled: enabled ? 1 : 0,
        missed_run_policy: policy,
        payload,
        next_run_at: enabled ? isoOrNull(nextRunAfter(spec, now)) : null,
        last_run_at: null,
        last_scheduled_for: null,
        last_status: null,
        last_error: null,
        last_duration_ms: null,
        created_at: iso(now),
        updated_at: iso(now),
      };
      await this.repo.insert(row);
      return toSchedule(row);
    }
    const timingChanged =
      existing.cron !== spec.cron ||
      existing.timezone !== spec.timezone ||
      existing.enabled !== (enabled ? 1 : 0);
    const patch: Partial<ScheduleRow> = {
      owner_id: input.ownerId,
      cron: spec.cron,
      timezone: spec.timezone,
      enabled: enabled ? 1 : 0,
      missed_run_policy: policy,
      payload,
      updated_at: iso(now),
    };
    if (timingChanged) patch.next_run_at = enabled ? isoOrNull(nextRunAfter(spec, now)) : null;
    await this.repo.update(existing.id, patch);
    return toSchedule({ ...existing, ...patch });
  }

  async get(id: string): Promise<Schedule> {
    const row = await this.repo.findById(id);
    if (!row) throw new NotFoundError('Schedule', id);
    return toSchedule(row);
  }

  async find(kind: string, resourceId: string): Promise<Schedule | undefined> {
    const row = await this.repo.find(kind, resourceId);
    return row && toSchedule(row);
  }

  async list(filter: { kind?: string; ownerId?: string; resourceId?: string } = {}): Promise<Schedule[]> {
    return (await this.repo.list(filter)).map(toSchedule);
  }

  /** Enable (next run counted from now: occurrences while disabled are not missed runs) or disable. */
  async setEnabled(id: string, enabled: boolean): Promise<Schedule> {
    const row = await this.repo.findById(id);
    if (!row) throw new NotFoundError('Schedule', id);
    if ((row.enabled === 1) === enabled) return toSchedule(row);
    const now = this.options.clock.now();
    const patch: Partial<ScheduleRow> = {
      enabled: enabled ? 1 : 0,
      next_run_at: enabled ? isoOrNull(nextRunAfter(row, now)) : null,
      updated_at: iso(now),
    };
    await this.repo.update(id, patch);
    return toSchedule({ ...row, ...patch });
  }

  async remove(id: string): Promise<boolean> {
    return this.repo.delete(id);
  }

  async removeFor(kind: string, resourceId: string): Promise<boolean> {
    const row = await this.repo.find(kind, resourceId);
    return row ? this.repo.delete(row.id) : false;
  }

  /** Delete a user's schedules (for an ownership hook when a user is deleted). */
  removeByOwner(ownerId: string): Promise<number> {
    return this.repo.deleteByOwner(ownerId);
  }

  /** The next `count` runs of an expression as ISO strings (a preview for the API and console). */
  preview(spec: { cron: string; timezone?: string }, count = 5, after?: Date): string[] {
    return nextRuns(
      { cron: spec.cron.trim(), timezone: spec.timezone ?? 'UTC' },
      after ?? this.options.clock.now(),
      count,
    ).map(iso);
  }

  /** Whether this runner held the lease at its last tick. */
  isLeader(): boolean {
    return this.leader;
  }

  /**
   * Whether this server is the leader now: the lease is renewed if the last attempt is older than
   * a tick. Leader-only interval jobs (the reconcilers) ask this before each run (platform/jobs.ts).
   */
  async holdsLease(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.ticking) await this.ticking.catch(() => undefined);
    else if (Date.now() - this.leaseCheckedAt >= this.tickMs) await this.renewLease();
    return this.leader && !this.stopped;
  }

  private renewLease(): Promise<boolean> {
    this.leasing ??= (async () => {
      const now = this.options.clock.now();
      const wasLeader = this.leader;
      this.leaseCheckedAt = Date.now();
      try {
        this.leader = await this.repo.acquireLease(
          LEASE,
          this.holder,
          iso(now),
          iso(new Date(now.getTime() + this.leaseTtlMs)),
        );
      } catch (err) {
        // A lease we cannot renew is a lease we must not act on.
        this.leader = false;
        throw err;
      }
      if (this.leader !== wasLeader)
        this.options.logger.info({ holder: this.holder, leader: this.leader }, 'scheduler lease changed');
      return this.leader;
    })().finally(() => {
      this.leasing = undefined;
    });
    return this.leasing;
  }

  /**
   * One pass: take or renew the lease; if held, fire every due schedule (handlers run in the
   * background, see idle()). Ticks never overlap. Tests call this directly with a ManualClock.
   */
  tick(): Promise<TickResult> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Wait for every handler started so far. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /**
   * Tick from the interval job runner (platform/jobs.ts): started with the other jobs by
   * startServer, stopped with them; never started in tests that do not start jobs.
   */
  attach(jobs: JobScheduler): void {
    jobs.register({
      name: 'scheduler.tick',
      intervalMs: this.tickMs,
      run: async () => {
        await this.tick();
      },
    });
  }

  /** Stop firing, abort and wait for running handlers, release the lease for a fast takeover. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.ticking?.catch(() => undefined);
    await this.idle();
    if (this.leader) {
      this.leader = false;
      await this.repo
        .releaseLease(LEASE, this.holder, iso(this.options.clock.now()))
        .catch((err: unknown) => {
          this.options.logger.warn({ err }, 'scheduler lease release failed');
        });
    }
  }

  private async runTick(): Promise<TickResult> {
    const now = this.options.clock.now();
    const result: TickResult = { leader: false, fired: [], skipped: [] };
    if (this.stopped) return result;
    if (!(await this.renewLease())) return result;
    result.leader = true;
    for (const row of await this.repo.due(iso(now), BATCH)) {
      const outcome = await this.fire(row, now);
      if (outcome === 'fired') result.fired.push(row.id);
      else if (outcome === 'skipped') result.skipped.push(row.id);
    }
    return result;
  }

  private async fire(row: ScheduleRow, now: Date): Promise<'fired' | 'skipped' | 'lost'> {
    const due = row.next_run_at as string;
    const scheduledFor = new Date(due);
    let next: string | null;
    try {
      next = isoOrNull(nextRunAfter(row, now));
    } catch (err) {
      // A row edited by hand into an invalid expression: stop it rather than fail every tick.
      const message = err instanceof Error ? err.message : String(err);
      await this.repo.claim(row.id, due, { next_run_at: null, last_status: 'failed', last_error: message });
      return 'lost';
    }
    const missed = now.getTime() - scheduledFor.getTime() > this.missedAfterMs;
    const handler = this.handlers.get(row.kind);
    const busy = this.inFlight.has(row.id);
    if ((missed && row.missed_run_policy === 'skip') || busy) {
      const claimed = await this.repo.claim(row.id, due, {
        next_run_at: next,
        last_scheduled_for: due,
        last_status: 'skipped',
        last_error: busy ? 'previous run still running' : 'missed while no scheduler was running',
      });
      if (claimed)
        this.options.logger.info(
          { schedule: row.id, kind: row.kind, scheduledFor: due, busy },
          'schedule run skipped',
        );
      return claimed ? 'skipped' : 'lost';
    }
    if (!handler) {
      const claimed = await this.repo.claim(row.id, due, {
        next_run_at: next,
        last_scheduled_for: due,
        last_run_at: iso(now),
        last_status: 'failed',
        last_error: `no handler registered for kind '${row.kind}'`,
      });
      if (claimed)
        this.options.logger.warn({ schedule: row.id, kind: row.kind }, 'no handler for schedule kind');
      return 'lost';
    }
    const claimed = await this.repo.claim(row.id, due, {
      next_run_at: next,
      last_scheduled_for: due,
      last_run_at: iso(now),
      last_status: 'running',
      last_error: null,
      last_duration_ms: null,
    });
    if (!claimed) return 'lost';
    const schedule = toSchedule({
      ...row,
      next_run_at: next,
      last_run_at: iso(now),
      last_scheduled_for: due,
    });
    const started = Date.now();
    const run = (async () => {
      let status: ScheduleRunStatus = 'succeeded';
      let error: string | null = null;
      try {
        await handler({ schedule, scheduledFor, missed, signal: this.controller.signal });
      } catch (err) {
        status = 'failed';
        error = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
        this.options.logger.error({ err, schedule: row.id, kind: row.kind }, 'schedule run failed');
      }
      const ms = Date.now() - started;
      await this.repo
        .update(row.id, { last_status: status, last_error: error, last_duration_ms: ms })
        .catch((err: unknown) =>
          this.options.logger.error({ err, schedule: row.id }, 'schedule result not saved'),
        );
      this.options.logger.debug(
        { schedule: row.id, kind: row.kind, scheduledFor: due, holder: this.holder, status, ms },
        'schedule run finished',
      );
    })().finally(() => this.inFlight.delete(row.id));
    this.inFlight.set(row.id, run);
    return 'fired';
  }
}

function isoOrNull(date: Date | null): string | null {
  return date ? iso(date) : null;
}

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    kind: row.kind,
    ownerId: row.owner_id,
    resourceId: row.resource_id,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    missedRunPolicy: row.missed_run_policy,
    payload: JSON.parse(row.payload) as unknown,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    lastScheduledFor: row.last_scheduled_for,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
