/**
 * Invocations: sync (the caller waits), async (queued in function_invocations, run by the queue
 * job on any server, retried with exponential backoff, a failure webhook after the last attempt)
 * and the triggers that use them (function URL, cron schedules). Concurrency: per function
 * (`concurrency`) and per user (count and memory) on this server; over the limit an invocation is
 * recorded as `throttled` (HTTP 429). Invocations are counted (metrics), not audited one by one.
 */

import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId, randomString } from '../../platform/crypto.ts';
import type { Logger } from '../../platform/logger.ts';
import type { QuotaLimits, QuotasService } from '../quotas/index.ts';
import type { SecretsPort } from '../secrets/index.ts';
import type { FunctionRow, FunctionsRepository, InvocationRow } from './functions.repository.ts';
import type { FunctionError, RunnerOutcome, RunnerSet } from './functions.runners.ts';
import { configOf, FunctionsService } from './functions.service.ts';
import type { FunctionsSettings } from './functions.settings.ts';

export type Trigger = 'api' | 'http' | 'cron' | 'console';

export interface InvokeResult {
  invocationId: string;
  status: 'queued' | 'success' | 'error' | 'timeout' | 'out-of-memory' | 'throttled';
  version: number;
  result?: unknown;
  error?: FunctionError;
  durationMs?: number;
  billedDurationMs?: number;
  memoryUsedMb?: number | null;
  coldStart?: boolean;
  logTail?: string;
}

export type InvocationObserver = (fn: FunctionRow, status: string, durationMs: number | null) => void;

const LOG_TAIL = 4096;
const RESULT_STORE_CAP = 64 * 1024;
/** Async invocations one server runs at once (the rest wait in the queue). */
const MAX_ASYNC_RUNNING = 50;

export class FunctionsInvoker {
  private readonly inflightFn = new Map<string, number>();
  private readonly inflightUser = new Map<string, { count: number; memoryMb: number }>();
  private readonly lastTouched = new Map<string, number>();
  /** Claims of async invocations: host:pid:random (a dead server on this host is recognised). */
  readonly holder = `${hostname()}:${process.pid}:${randomString(6)}`;
  private lastRecover = 0;
  private pumping: Promise<number> | null = null;
  private closed = false;
  private readonly runningAsync = new Set<Promise<void>>();
  /** Users' quota limits, kept while the quotas service's generation is unchanged (≤ 10 s). */
  private readonly limitsCache = new Map<string, { limits: QuotaLimits; generation: number; at: number }>();
  observe: InvocationObserver = () => {};

  constructor(
    private readonly deps: {
      repo: FunctionsRepository;
      service: FunctionsService;
      runners: RunnerSet;
      secrets: SecretsPort;
      clock: Clock;
      logger: Logger;
      settings: FunctionsSettings;
      quotas?: QuotasService;
    },
  ) {}

  /** The user's invocations running on this server now (quota usage). */
  running(userId: string): { functionConcurrency: number; functionMemory: number } {
    const u = this.inflightUser.get(userId);
    return { functionConcurrency: u?.count ?? 0, functionMemory: u?.memoryMb ?? 0 };
  }

  private async quotaLimits(userId: string): Promise<QuotaLimits | null> {
    const quotas = this.deps.quotas;
    if (!quotas) return null;
    const hit = this.limitsCache.get(userId);
    const now = Date.now();
    if (hit && hit.generation === quotas.limitsGeneration && now - hit.at < 10_000) return hit.limits;
    const generation = quotas.limitsGeneration;
    const limits = await quotas.limitsFor(userId);
    if (this.limitsCache.size > 10_000) this.limitsCache.clear();
    this.limitsCache.set(userId, { limits, generation, at: now });
    return limits;
  }

  /** Why this invocation may not start now (a limit is reached), or null. */
  private refusal(row: FunctionRow, memoryMb: number, q: QuotaLimits | null): string | null {
    const s = this.deps.settings;
    const fnCount = this.inflightFn.get(row.id) ?? 0;
    const user = this.inflightUser.get(row.owner_id) ?? { count: 0, memoryMb: 0 };
    if (fnCount >= Number(row.concurrency))
      return `Rate exceeded: the function's concurrency limit (${row.concurrency}) is reached`;
    if (q?.functionConcurrency != null && user.count + 1 > q.functionConcurrency)
      return `Quota exceeded: your limit of ${q.functionConcurrency} running function invocations is reached (functionConcurrency in /api/v1/quotas)`;
    if (q?.functionMemory != null && user.memoryMb + memoryMb > q.functionMemory)
      return `Quota exceeded: your limit of ${q.functionMemory} MiB for running function invocations is reached; ${user.memoryMb} MiB run now and this needs ${memoryMb} MiB (functionMemory in /api/v1/quotas)`;
    if (user.count >= s.maxConcurrencyPerUser)
      return `Rate exceeded: this server runs at most ${s.maxConcurrencyPerUser} invocations per user at once`;
    if (user.memoryMb + memoryMb > s.maxConcurrentMemoryMbPerUser)
      return `Rate exceeded: this server runs at most ${s.maxConcurrentMemoryMbPerUser} MiB of invocations per user at once`;
    return null;
  }

  /** Synchronous invocation; `row` is already authorized. */
  async invoke(
    row: FunctionRow,
    payload: unknown,
    trigger: Trigger,
    qualifier?: string,
  ): Promise<InvokeResult> {
    const version = await this.deps.service.resolveQualifier(row, qualifier);
    const id = newId('inv');
    const createdAt = iso(this.deps.clock.now());
    const outcome = await this.run(row, version, id, payload);
    await this.deps.repo.insertInvocation({
      id,
      function_id: row.id,
      owner_id: row.owner_id,
      version,
      trigger,
      async: 0,
      status: outcome.status,
      payload: null,
      attempts: 1,
      next_attempt_at: null,
      claimed_by: null,
      ...this.fields(outcome, createdAt),
      created_at: createdAt,
    });
    return this.result(id, version, outcome);
  }

  /**
   * Queue an async invocation (202); the queue job runs it. `id`: a deterministic id (a cron
   * occurrence) — a second enqueue with the same id is a no-op, so an occurrence that is fired
   * again (a server died after firing it) is not run twice.
   */
  async enqueue(
    row: FunctionRow,
    payload: unknown,
    trigger: Trigger,
    qualifier?: string,
    id: string = newId('inv'),
  ): Promise<InvokeResult> {
    const version = await this.deps.service.resolveQualifier(row, qualifier);
    const now = iso(this.deps.clock.now());
    await this.deps.repo.insertInvocationOnce({
      id,
      function_id: row.id,
      owner_id: row.owner_id,
      version,
      trigger,
      async: 1,
      status: 'queued',
      payload: JSON.stringify(payload ?? null),
      attempts: 0,
      next_attempt_at: now,
      claimed_by: null,
      cold: 0,
      logs_truncated: 0,
      created_at: now,
    });
    setImmediate(() => void this.pump().catch((e) => this.deps.logger.error({ err: e }, 'functions: queue')));
    return { invocationId: id, status: 'queued', version };
  }

  /**
   * Start the due async invocations (the queue job, and right after an enqueue; safe on several
   * servers: rows are claimed by compare-and-set) without waiting for them to finish, so a slow
   * invocation never holds up the queue; at most `MAX_ASYNC_RUNNING` run at once on this server.
   * Returns how many were started. A call while a pass is claiming waits for it, then makes its own.
   */
  async pump(): Promise<number> {
    if (this.closed) return 0;
    while (this.pumping) await this.pumping.catch(() => 0);
    const pass = this.pass();
    this.pumping = pass;
    try {
      return await pass;
    } finally {
      if (this.pumping === pass) this.pumping = null;
    }
  }

  /** Shutdown: start nothing more; give the running async invocations up to `waitMs` to finish. */
  async close(waitMs = 5000): Promise<void> {
    this.closed = true;
    if (!this.runningAsync.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.runningAsync]),
      new Promise((r) => {
        timer = setTimeout(r, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Start what is due and wait until every async invocation running here has finished (tests). */
  async drain(): Promise<number> {
    let started = 0;
    for (;;) {
      started += await this.pump();
      if (!this.runningAsync.size) return started;
      await Promise.all([...this.runningAsync]);
    }
  }

  private async pass(): Promise<number> {
    let started = 0;
    for (;;) {
      const room = MAX_ASYNC_RUNNING - this.runningAsync.size;
      if (room <= 0) break;
      const now = iso(this.deps.clock.now());
      const due = await this.deps.repo.due(now, Math.min(20, room));
      if (!due.length) break;
      for (const inv of due) {
        if (!(await this.deps.repo.claim(inv.id, this.holder, now))) continue;
        started++;
        const run: Promise<void> = this.runQueued(inv)
          .catch((e) =>
            this.deps.logger.error({ err: e, invocationId: inv.id }, 'functions: async invocation'),
          )
          .finally(() => {
            this.runningAsync.delete(run);
            // room for the next due ones
            setImmediate(() => void this.pump().catch(() => undefined));
          });
        this.runningAsync.add(run);
      }
    }
    return started;
  }

  private async runQueued(inv: InvocationRow): Promise<void> {
    const row = await this.deps.repo.find(inv.function_id);
    if (!row) return;
    const startedAt = iso(this.deps.clock.now());
    const outcome = await this.run(row, Number(inv.version), inv.id, JSON.parse(inv.payload ?? 'null'));
    const attempts = Number(inv.attempts) + 1;
    const failed = outcome.status !== 'success';
    const retry = failed && attempts <= this.deps.settings.asyncRetries;
    const fields = this.fields(outcome, startedAt);
    if (retry) {
      const delay = this.deps.settings.retryBaseMs * 2 ** (attempts - 1);
      await this.deps.repo.updateInvocation(inv.id, {
        ...fields,
        status: 'queued',
        attempts,
        claimed_by: null,
        next_attempt_at: iso(new Date(this.deps.clock.now().getTime() + delay)),
      });
      return;
    }
    await this.deps.repo.updateInvocation(inv.id, {
      ...fields,
      status: outcome.status,
      attempts,
      next_attempt_at: null,
    });
    if (failed && row.failure_webhook) void this.notifyFailure(row, inv, outcome, attempts);
  }

  private async notifyFailure(
    row: FunctionRow,
    inv: InvocationRow,
    outcome: RunnerOutcome,
    attempts: number,
  ): Promise<void> {
    try {
      const res = await fetch(row.failure_webhook!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ProxiCloud-Functions' },
        body: JSON.stringify({
          invocationId: inv.id,
          functionId: row.id,
          functionName: row.name,
          version: Number(inv.version),
          trigger: inv.trigger,
          status: outcome.status,
          attempts,
          error: outcome.error ?? null,
          payload: JSON.parse(inv.payload ?? 'null'),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
    } catch (e) {
      this.deps.logger.warn(
        { functionId: row.id, invocationId: inv.id, err: (e as Error).message },
        'functions: failure webhook failed',
      );
    }
  }

  /** The id of the async invocation of a cron occurrence (the same on every server). */
  static cronInvocationId(scheduleId: string, scheduledFor: Date): string {
    const h = createHash('sha256').update(`${scheduleId}|${scheduledFor.toISOString()}`).digest('hex');
    return `inv-${h.slice(0, 17)}`;
  }

  /**
   * Async invocations left running by a server that died are queued again: at once when that
   * server ran on this host and its process is gone (a restart), else when they started more than
   * 16 minutes ago (longer than any timeout: their server is surely gone). Runs at start-up and
   * every minute from the queue job.
   */
  async recover(): Promise<number> {
    const now = this.deps.clock.now();
    this.lastRecover = Date.now();
    let n = await this.deps.repo.requeueStale(iso(new Date(now.getTime() - 16 * 60_000)), iso(now));
    for (const holder of await this.deps.repo.runningHolders())
      if (this.deadLocalHolder(holder)) n += await this.deps.repo.requeueHolder(holder, iso(now));
    return n;
  }

  private deadLocalHolder(holder: string): boolean {
    if (holder === this.holder) return false;
    const [host, pidText] = holder.split(':');
    const pid = Number(pidText);
    if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return true; // an earlier process with our pid
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  /** The queue job: run due invocations; recover stale ones every minute. */
  async tick(): Promise<void> {
    if (Date.now() - this.lastRecover >= 60_000) await this.recover();
    await this.pump();
  }

  private fields(o: RunnerOutcome, startedAt: string) {
    const result = o.status === 'success' ? JSON.stringify(o.result ?? null) : null;
    return {
      cold: o.cold ? 1 : 0,
      started_at: startedAt,
      finished_at: iso(this.deps.clock.now()),
      duration_ms: o.durationMs ?? null,
      billed_ms: o.durationMs !== undefined ? Math.max(1, Math.ceil(o.durationMs)) : null,
      memory_used_mb: o.memoryUsedMb ?? null,
      result: result && result.length <= RESULT_STORE_CAP ? result : null,
      error: o.error ? JSON.stringify(o.error) : null,
      logs: o.logs,
      logs_truncated: o.logsTruncated ? 1 : 0,
    };
  }

  private result(id: string, version: number, o: RunnerOutcome): InvokeResult {
    return {
      invocationId: id,
      status: o.status,
      version,
      ...(o.status === 'success' ? { result: o.result ?? null } : {}),
      ...(o.error ? { error: o.error } : {}),
      ...(o.durationMs !== undefined
        ? { durationMs: o.durationMs, billedDurationMs: Math.max(1, Math.ceil(o.durationMs)) }
        : {}),
      memoryUsedMb: o.memoryUsedMb ?? null,
      coldStart: !!o.cold,
      logTail: o.logs.slice(-LOG_TAIL),
    };
  }

  /** Concurrency gates, secrets, the runner call. Never throws: failures are outcomes. */
  private async run(row: FunctionRow, version: number, id: string, payload: unknown): Promise<RunnerOutcome> {
    const s = this.deps.settings;
    const v = await this.deps.service.version(row.id, version);
    const cfg = { ...configOf(row), ...(JSON.parse(v.row.config) as ReturnType<typeof configOf>) };
    const limits = await this.quotaLimits(row.owner_id);
    // from here to the counters' increment nothing awaits: the check and the count are atomic
    const refused = this.refusal(row, cfg.memoryMb, limits);
    if (refused) {
      const outcome: RunnerOutcome = {
        status: 'throttled',
        error: {
          type: refused.startsWith('Quota') ? 'QuotaExceeded' : 'TooManyRequestsException',
          message: refused,
          stack: [],
        },
        logs: '',
        logsTruncated: false,
      };
      this.observe(row, 'throttled', null);
      return outcome;
    }
    const fnCount = this.inflightFn.get(row.id) ?? 0;
    const user = this.inflightUser.get(row.owner_id) ?? { count: 0, memoryMb: 0 };
    this.inflightFn.set(row.id, fnCount + 1);
    this.inflightUser.set(row.owner_id, { count: user.count + 1, memoryMb: user.memoryMb + cfg.memoryMb });
    try {
      const env = { ...cfg.env };
      if (Object.keys(cfg.secrets).length) {
        try {
          const resolved = await this.deps.secrets.resolveEnv(
            { kind: 'function', id: row.id, ownerId: row.owner_id },
            cfg.secrets,
          );
          Object.assign(env, resolved.env);
        } catch (e) {
          return {
            status: 'error',
            error: { type: 'Secrets.Unresolved', message: (e as Error).message, stack: [] },
            logs: '',
            logsTruncated: false,
          };
        }
      }
      const key = FunctionsService.sandboxKey(row.id, version, cfg, env);
      const runner = this.deps.runners.pick(key);
      let outcome: RunnerOutcome;
      try {
        outcome = await runner.invoke(
          {
            invocationId: id,
            key,
            codeSha: v.row.code_sha256,
            runtime: cfg.runtime,
            handler: cfg.handler,
            memoryMb: cfg.memoryMb,
            timeoutMs: cfg.timeoutSeconds * 1000,
            network: cfg.network,
            env,
            payload,
            context: {
              functionName: row.name,
              functionVersion: String(version),
              memoryLimitInMB: cfg.memoryMb,
            },
            idleMs: s.idleSeconds * 1000,
          },
          () => this.deps.service.codeOf(row.id, version),
        );
      } catch (e) {
        runner.markDown(1000);
        outcome = {
          status: 'error',
          error: {
            type: 'Runner.Failed',
            message: `The function runner failed: ${(e as Error).message}`,
            stack: [],
          },
          logs: '',
          logsTruncated: false,
        };
      }
      this.observe(row, outcome.status, outcome.durationMs ?? null);
      this.touch(row.id);
      return outcome;
    } finally {
      const f = (this.inflightFn.get(row.id) ?? 1) - 1;
      if (f > 0) this.inflightFn.set(row.id, f);
      else this.inflightFn.delete(row.id);
      const u = this.inflightUser.get(row.owner_id);
      if (u) {
        u.count--;
        u.memoryMb -= cfg.memoryMb;
        if (u.count <= 0) this.inflightUser.delete(row.owner_id);
      }
    }
  }

  /** last_invoked_at, written at most every 5 s per function. */
  private touch(functionId: string): void {
    const now = this.deps.clock.now();
    if (now.getTime() - (this.lastTouched.get(functionId) ?? 0) < 5000) return;
    this.lastTouched.set(functionId, now.getTime());
    void this.deps.repo.update(functionId, { last_invoked_at: iso(now) }).catch(() => undefined);
  }
}
