/**
 * DB-backed operation worker. Every long action (launch, start, stop, reboot, terminate, volume
 * attach/detach) is an `operations` row written in the same transaction as the change that asked
 * for it; this engine claims pending rows, runs their handler step by step and records progress,
 * step results (checkpoints) and errors in the row. A server stopped mid-operation leaves the row
 * `running` with its checkpoints; the next process puts it back to `pending` and the handler
 * resumes (or rolls back) from the checkpoints.
 *
 * Several servers may share one PostgreSQL database: each claims pending rows with
 * `FOR UPDATE SKIP LOCKED` (SQLite: a compare-and-set per row), so an operation runs on exactly
 * one server. `membership` tells which servers are alive: running operations of a dead server
 * (heartbeat older than the TTL) are requeued by a live one, never those of a live server, and
 * every write of a running operation is fenced by its worker id, so a server that stalled past
 * the TTL and lost its operations stops touching them.
 */
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Membership } from '../../platform/cluster/membership.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../events/index.ts';
import { type OperationRow, type OperationStatus, OperationsRepository } from './operations.repository.ts';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface StepView {
  name: string;
  title: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  detail: string | null;
}

export interface OperationError {
  /** e.g. pve_task_failed, pve_api_error, pve_unreachable, host_agent_error, interrupted */
  code: string;
  message: string;
  /** PVE node, UPID, exit status and task log tail when a Proxmox task failed. */
  details?: Record<string, unknown>;
}

export interface OperationView {
  id: string;
  action: string;
  resourceType: string;
  resourceId: string;
  ownerId: string;
  status: OperationStatus;
  progress: number;
  message: string | null;
  steps: StepView[];
  error: OperationError | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface StepDef {
  name: string;
  title: string;
}

export interface EnqueueSpec<P> {
  action: string;
  ownerId: string;
  resourceType: string;
  resourceId: string;
  params: P;
  steps: StepDef[];
  requestId?: string;
}

/** What a handler sees while it runs. */
export interface OperationContext<P = unknown, S extends object = Record<string, unknown>> {
  readonly id: string;
  readonly action: string;
  readonly ownerId: string;
  readonly resourceId: string;
  readonly params: P;
  /** Checkpoints saved by earlier attempts (and this one). */
  readonly state: Partial<S>;
  readonly attempt: number;
  /** True when an earlier attempt was interrupted (server restart). */
  readonly resumed: boolean;
  readonly signal: AbortSignal;
  /**
   * Run a named step once: its result is checkpointed, and a resumed operation skips steps that
   * already succeeded (returning their saved result). Throwing marks the step failed.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Mark a step as not needed. */
  skip(name: string, detail?: string): Promise<void>;
  /** Progress text for the running step (e.g. a PVE task log line). */
  detail(text: string): Promise<void>;
  /** Persist checkpoint values. */
  save(patch: Partial<S>): Promise<void>;
}

export interface OperationHandler<P = unknown, S extends object = Record<string, unknown>> {
  action: string;
  run(ctx: OperationContext<P, S>): Promise<void>;
  /** After run() failed (not on shutdown): undo what was done. Errors here are recorded too. */
  onFailure?(ctx: OperationContext<P, S>, error: OperationError, cause: unknown): Promise<void>;
  /**
   * After run() and onFailure, before the final state is written (success or failure): release
   * locks, publish the resource. Whoever sees the operation end finds the resource free.
   */
  onFinish?(ctx: OperationContext<P, S>, outcome: 'succeeded' | 'failed'): Promise<void>;
}

export interface OperationEngineDeps {
  /** This process's worker id (default: a new one); synchronous lock tokens carry it. */
  workerId?: string;
  db: Database;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  /** Turns any error into what the operation row shows (no internals). */
  mapError(e: unknown): OperationError;
  /** Operations run at the same time (default 8). */
  concurrency?: number;
  /** Live servers sharing the database (default: this process alone). */
  membership?: Membership;
  /** How often the engine looks for dead servers' operations (default 5 s). */
  sweepMs?: number;
  /**
   * Runs before the first claim of this process, and again when a dead server was found: release
   * resource locks held by finished operations or by synchronous actions of processes that are
   * gone (`live`: the worker ids still alive).
   */
  recover?: (live: string[]) => Promise<void>;
  /**
   * Called inside the transaction that records an operation's final state (succeeded/failed), so
   * what it writes (the completion's audit entry) commits together with that state.
   */
  onCompleted?: (
    trx: Kysely<Tables>,
    operation: OperationView & { requestId: string | null },
  ) => Promise<void>;
}

function parse<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toOperationView(row: OperationRow): OperationView {
  return {
    id: row.id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    ownerId: row.owner_id,
    status: row.status,
    progress: Number(row.progress),
    message: row.message,
    steps: parse<StepView[]>(row.steps, []),
    error: parse<OperationError | null>(row.error, null),
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

interface SavedState {
  /** results of succeeded steps */
  _done?: Record<string, unknown>;
  [k: string]: unknown;
}

class Interrupted extends Error {}

export class OperationEngine {
  readonly workerId: string;
  private readonly repo: OperationsRepository;
  // biome-ignore lint/suspicious/noExplicitAny: handlers are typed at registration
  private readonly handlers = new Map<string, OperationHandler<any, any>>();
  private readonly running = new Map<string, Promise<void>>();
  private controller = new AbortController();
  private stopped = false;
  private recovered = false;
  private ticking: Promise<void> | null = null;
  private again = false;
  private readonly idleWaiters = new Set<() => void>();
  private lastSweep = 0;

  constructor(private readonly deps: OperationEngineDeps) {
    this.workerId = deps.workerId ?? newId('wrk');
    this.repo = new OperationsRepository(deps.db.kysely);
  }

  // biome-ignore lint/suspicious/noExplicitAny: see handlers
  register(handler: OperationHandler<any, any>): void {
    if (this.handlers.has(handler.action))
      throw new Error(`operation handler ${handler.action} registered twice`);
    this.handlers.set(handler.action, handler);
  }

  /** Insert a pending operation inside the caller's transaction. Call wake() after commit. */
  async enqueue<P>(db: Kysely<Tables>, spec: EnqueueSpec<P>): Promise<OperationView> {
    if (!this.handlers.has(spec.action)) throw new Error(`no handler for operation ${spec.action}`);
    const now = iso(this.deps.clock.now());
    const steps: StepView[] = spec.steps.map((s) => ({
      name: s.name,
      title: s.title,
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      detail: null,
    }));
    const row: OperationRow = {
      id: newId('op'),
      owner_id: spec.ownerId,
      action: spec.action,
      resource_type: spec.resourceType,
      resource_id: spec.resourceId,
      status: 'pending',
      progress: 0,
      message: 'queued',
      steps: JSON.stringify(steps),
      params: JSON.stringify(spec.params ?? {}),
      state: '{}',
      error: null,
      attempts: 0,
      worker_id: null,
      request_id: spec.requestId ?? null,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
    };
    await this.repo.with(db).insert(row);
    return toOperationView(row);
  }

  /** Look for work now (after an enqueue committed). */
  wake(): void {
    if (this.stopped) return;
    void this.tick().catch((err: unknown) => this.deps.logger.error({ err }, 'operation worker tick failed'));
  }

  /** Claim pending operations up to the concurrency limit. Single-flight. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      try {
        do {
          this.again = false;
          await this.claimSome();
        } while (this.again && !this.stopped);
      } finally {
        this.ticking = null;
        this.notifyIdle();
      }
    })();
    return this.ticking;
  }

  private async claimSome(): Promise<void> {
    const now = () => iso(this.deps.clock.now());
    const membership = this.deps.membership;
    if (!this.recovered) {
      this.recovered = true;
      this.lastSweep = Date.now();
      await membership?.beat(true);
      const live = (await membership?.live()) ?? [this.workerId];
      await this.deps.recover?.(live);
      const n = await this.repo.requeueOrphans(this.workerId, now(), live);
      if (n > 0)
        this.deps.logger.warn({ operations: n }, 'resuming operations interrupted by a previous shutdown');
    } else if (membership?.shared && Date.now() - this.lastSweep >= (this.deps.sweepMs ?? 5_000)) {
      this.lastSweep = Date.now();
      await this.sweep(membership, now());
    }
    const capacity = (this.deps.concurrency ?? 8) - this.running.size;
    if (capacity <= 0 || this.stopped) return;
    const claimed =
      this.deps.db.dialect === 'postgres'
        ? await this.repo.claimBatch(capacity, this.workerId, now())
        : await this.claimEach(capacity, now());
    for (const id of claimed) {
      const p = this.execute(id)
        .catch((err: unknown) => this.deps.logger.error({ err, operation: id }, 'operation crashed'))
        .finally(() => {
          this.running.delete(id);
          this.notifyIdle();
          this.wake();
        });
      this.running.set(id, p);
    }
  }

  /** SQLite: compare-and-set each pending row (one process per database file). */
  private async claimEach(capacity: number, now: string): Promise<string[]> {
    const out: string[] = [];
    for (const { id } of await this.repo.pendingIds(capacity + this.running.size)) {
      if (out.length >= capacity || this.stopped) break;
      if (this.running.has(id)) continue;
      if (await this.repo.claim(id, this.workerId, now)) out.push(id);
    }
    return out;
  }

  /** Heartbeat; take over the running operations (and sync locks) of servers that died. */
  private async sweep(membership: Membership, now: string): Promise<void> {
    await membership.beat();
    const dead = await membership.reap();
    const live = await membership.live();
    const n = await this.repo.requeueOrphans(this.workerId, now, live);
    if (dead.length > 0 || n > 0) {
      await this.deps.recover?.(live);
      this.deps.logger.warn(
        { deadServers: dead, operations: n },
        'taking over the operations of servers that stopped answering',
      );
    }
  }

  private notifyIdle(): void {
    if (this.running.size > 0 || this.ticking) return;
    for (const w of [...this.idleWaiters]) w();
  }

  /** Resolves when nothing runs and nothing is pending (tests, benchmarks). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.tick();
      if (this.running.size === 0 && (await this.repo.countActive()) === 0) return;
      if (Date.now() > deadline) throw new Error('operations did not finish in time');
      await Promise.race([
        Promise.allSettled([...this.running.values()]),
        new Promise((r) => setTimeout(r, 50)),
      ]);
    }
  }

  /** Abort running operations (they stay `running` with their checkpoints) and stop claiming. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.controller.abort(new Interrupted('server shutting down'));
    await Promise.allSettled([...this.running.values()]);
    await this.ticking?.catch(() => undefined);
    // Hand what was interrupted to the servers that stay (or to the next start), at once.
    const membership = this.deps.membership;
    if (membership?.shared) {
      try {
        const n = await this.repo.requeueOwn(this.workerId, iso(this.deps.clock.now()));
        await membership.leave();
        if (n > 0)
          this.deps.logger.info({ operations: n }, 'interrupted operations handed back to the queue');
      } catch (err) {
        this.deps.logger.warn(
          { err },
          'could not hand interrupted operations back (they resume after the TTL)',
        );
      }
    }
  }

  get activeCount(): number {
    return this.running.size;
  }

  private publish(row: OperationRow): void {
    this.deps.bus.publish({
      type: 'operation.updated',
      resource: 'operation',
      resourceId: row.id,
      ownerId: row.owner_id,
      data: toOperationView(row),
    });
  }

  private async execute(id: string): Promise<void> {
    const row = await this.repo.find(id);
    if (!row) return;
    const now = () => iso(this.deps.clock.now());
    const steps = parse<StepView[]>(row.steps, []);
    const state = parse<SavedState>(row.state, {});
    state._done ??= {};
    const signal = this.controller.signal;
    let current: StepView | undefined;
    const resumed = Number(row.attempts) > 1;
    /** Another server took the operation over (ours was declared dead): stop without writing. */
    let lost = false;

    const persist = async (extra: Partial<OperationRow> = {}, trx?: Kysely<Tables>) => {
      const done = steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
      const progress = steps.length ? Math.round((100 * done) / steps.length) : 0;
      Object.assign(row, {
        steps: JSON.stringify(steps),
        state: JSON.stringify(state),
        progress: extra.status === 'succeeded' ? 100 : progress,
        message: current ? current.title : row.message,
        updated_at: now(),
        ...extra,
      });
      const owned = await (trx ? this.repo.with(trx) : this.repo).updateOwned(id, this.workerId, {
        steps: row.steps,
        state: row.state,
        progress: row.progress,
        message: row.message,
        updated_at: row.updated_at,
        ...extra,
      });
      if (!owned) {
        lost = true;
        throw new Interrupted('operation taken over by another server');
      }
      if (!trx) this.publish(row);
    };

    /** The final state and the completion hook (audit) in one transaction. */
    const complete = async (extra: Partial<OperationRow>) => {
      const hook = this.deps.onCompleted;
      if (!hook) {
        await persist(extra);
        return;
      }
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        await persist(extra, trx);
        await hook(trx, { ...toOperationView(row), requestId: row.request_id });
      });
      this.publish(row);
    };

    const stepOf = (name: string): StepView => {
      let s = steps.find((x) => x.name === name);
      if (!s) {
        s = { name, title: name, status: 'pending', startedAt: null, finishedAt: null, detail: null };
        // an unplanned step runs now: list it before the steps still to come (execution order)
        const next = steps.findIndex((x) => x.status === 'pending');
        if (next < 0) steps.push(s);
        else steps.splice(next, 0, s);
      }
      return s;
    };

    const ctx: OperationContext<unknown, SavedState> = {
      id,
      action: row.action,
      ownerId: row.owner_id,
      resourceId: row.resource_id,
      params: parse<unknown>(row.params, {}),
      state,
      attempt: Number(row.attempts),
      resumed,
      signal,
      step: async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const s = stepOf(name);
        if (s.status === 'succeeded' && state._done && name in state._done) return state._done[name] as T;
        if (signal.aborted) throw new Interrupted('server shutting down');
        current = s;
        s.status = 'running';
        s.startedAt = now();
        s.finishedAt = null;
        await persist();
        try {
          const result = await fn();
          if (signal.aborted) throw new Interrupted('server shutting down');
          s.status = 'succeeded';
          s.finishedAt = now();
          state._done![name] = result === undefined ? null : result;
          await persist();
          return result;
        } catch (e) {
          if (!signal.aborted) {
            s.status = 'failed';
            s.finishedAt = now();
            await persist();
          }
          throw e;
        }
      },
      skip: async (name, detail) => {
        const s = stepOf(name);
        if (s.status === 'succeeded') return;
        s.status = 'skipped';
        s.detail = detail ?? s.detail;
        s.finishedAt = now();
        await persist();
      },
      detail: async (text) => {
        if (!current || lost) return;
        current.detail = text.slice(0, 500);
        // progress text only: handlers often send it from a poller they do not await, so losing
        // the operation (or a shutdown) must not surface here; the next step() reports it
        await persist().catch((err: unknown) => {
          if (!(err instanceof Interrupted)) throw err;
        });
      },
      save: async (patch) => {
        Object.assign(state, patch);
        await persist();
      },
    };

    const handler = this.handlers.get(row.action);
    if (!handler) {
      await persist({
        status: 'failed',
        finished_at: now(),
        error: JSON.stringify({ code: 'unknown_action', message: `No handler for ${row.action}` }),
      });
      return;
    }
    if (resumed)
      this.deps.logger.info(
        { operation: id, action: row.action, attempt: ctx.attempt },
        'resuming operation',
      );
    const takenOver = () =>
      this.deps.logger.warn(
        { operation: id, action: row.action },
        'operation was taken over by another server (this one missed its heartbeat); stopped here',
      );
    let outcome: 'succeeded' | 'failed' = 'succeeded';
    let final: Partial<OperationRow>;
    try {
      await handler.run(ctx);
      current = undefined;
      for (const s of steps) {
        if (s.status === 'pending' || s.status === 'running') {
          s.status = 'skipped';
          s.finishedAt = now();
        }
      }
      final = { status: 'succeeded', finished_at: now(), message: 'done' };
    } catch (e) {
      if (lost) return takenOver();
      if (signal.aborted) {
        this.deps.logger.info(
          { operation: id, action: row.action },
          'operation interrupted by shutdown; it resumes at the next start',
        );
        return;
      }
      outcome = 'failed';
      const error = this.deps.mapError(e);
      this.deps.logger.warn({ operation: id, action: row.action, error }, 'operation failed');
      try {
        await handler.onFailure?.(ctx, error, e);
      } catch (rollbackErr) {
        const rb = this.deps.mapError(rollbackErr);
        error.details = { ...(error.details ?? {}), rollbackError: rb.message };
        this.deps.logger.error({ operation: id, err: rollbackErr }, 'operation rollback failed');
      }
      for (const s of steps) if (s.status === 'pending') s.status = 'skipped';
      final = {
        status: 'failed',
        finished_at: now(),
        error: JSON.stringify(error),
        message: error.message.slice(0, 500),
      };
    }
    // One last write while it still runs, whatever the outcome: a server that took the operation
    // over (this one missed its heartbeat) owns its locks now, so this one stops here.
    try {
      await persist();
    } catch (err) {
      if (lost) return takenOver();
      throw err;
    }
    // The locks go (onFinish) before the final state is written: a client that sees the operation
    // end may act on the resource at once (`--wait`, then the next command), and must not find it
    // still busy with the operation it waited for.
    try {
      await handler.onFinish?.(ctx, outcome);
    } catch (err) {
      this.deps.logger.error({ operation: id, err }, 'operation onFinish failed');
    }
    try {
      await complete(final);
    } catch (completeErr) {
      if (lost) return;
      throw completeErr;
    }
  }
}
