/**
 * Applies and destroys as operations of the operations engine (`stack.apply`, `stack.destroy`):
 * one operation step per resource (`remove:<address>`, `apply:<address>`), the stack's state saved
 * after every step under the stack's lock, progress on the operation and on the event stream.
 *
 * The calls a stack makes carry the caller's own credentials, which live only in this process's
 * memory for the duration of the operation (never in the operation's params or the database). An
 * operation resumed after a restart therefore has no credentials: it records the apply as
 * interrupted (the state is true to what exists, saved step by step) and releases the lock; the
 * next apply continues from there. Shutdown (SIGTERM) interrupts an apply between two steps.
 */
import {
  type ApplyEvent,
  applyPlan,
  type Plan,
  type ProviderContext,
  type ProviderRegistry,
  type StackState,
} from '@proxicloud/iac';
import { type Clock, iso } from '../../platform/clock.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { EventBus } from '../events/index.ts';
import type { OperationContext, OperationHandler } from '../operations/index.ts';
import type { StackRow, StacksRepository } from './stacks.repository.ts';

const UNLOCKED = { lock_id: null, lock_until: null, operation_id: null } as const;

export type RunAction = 'apply' | 'destroy';

/** What the operation row holds: names and ids only, never the file or credentials. */
export interface RunParams {
  name: string;
  stackId: string;
  lockId: string;
  historyId: string;
  specHash: string | null;
}

/** What only this process knows while the operation runs. */
export interface LiveRun {
  action: RunAction;
  plan: Plan;
  state: StackState;
  pctx: ProviderContext;
  username: string;
  document: string | null;
}

export interface StackRunnerDeps {
  repo: StacksRepository;
  clock: Clock;
  bus: EventBus;
  providers: ProviderRegistry;
  lockUntil(): string;
}

export class StackRunner {
  /** by lock id (known before the operation is enqueued) */
  readonly live = new Map<string, LiveRun>();

  constructor(private readonly deps: StackRunnerDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  handlers(): OperationHandler<RunParams>[] {
    return (['apply', 'destroy'] as const).map((action) => ({
      action: `stack.${action}`,
      run: (ctx) => this.run(ctx),
      // normally released with the final state already; this covers unexpected errors
      onFinish: async (ctx) => {
        this.live.delete(ctx.params.lockId);
        await this.deps.repo.unlock(ctx.params.stackId, ctx.params.lockId);
      },
    }));
  }

  private async run(ctx: OperationContext<RunParams>): Promise<void> {
    const p = ctx.params;
    const live = this.live.get(p.lockId);
    if (!live) return this.interrupted(ctx);
    const { repo } = this.deps;
    const row = (await repo.findOwn(ctx.ownerId, p.name)) as StackRow;
    const result = await applyPlan(live.plan, live.state, this.deps.providers, live.pctx, {
      runStep: (name, fn) =>
        ctx.step(name, async () => {
          if (ctx.signal.aborted) throw new Error('server shutting down');
          await fn();
        }),
      save: async (s) => {
        const ok = await repo.saveLocked(p.stackId, p.lockId, {
          state: JSON.stringify(s),
          resource_count: Object.keys(s.resources).length,
          lock_until: this.deps.lockUntil(),
          updated_at: this.now(),
        });
        if (!ok) throw new ConflictError('lost the stack lock while applying', undefined, 'stack_locked');
      },
      onEvent: (e: ApplyEvent) => {
        this.deps.bus.publish({
          type: 'stack.updated',
          resource: 'stack',
          resourceId: p.stackId,
          ownerId: ctx.ownerId,
          data: { name: p.name, action: live.action, operationId: ctx.id, step: e },
        });
      },
    });
    // stopped between two steps: the operation stays running and is finished at the next start
    if (ctx.signal.aborted) throw new Error('server shutting down');
    const finishedAt = this.now();
    const succeeded = !result.failed;
    const empty = Object.keys(result.state.resources).length === 0;
    await repo.updateHistory(p.historyId, {
      status: succeeded ? 'succeeded' : 'failed',
      error: result.failed ? `${result.failed.address}: ${result.failed.message}` : null,
      finished_at: finishedAt,
    });
    // the final state and the release of the lock in one write, before the operation reports its
    // end: whoever sees the operation finished can apply again at once
    await repo.saveLocked(p.stackId, p.lockId, {
      state: JSON.stringify(result.state),
      resource_count: Object.keys(result.state.resources).length,
      status: !succeeded ? 'failed' : live.action === 'destroy' || empty ? 'destroyed' : 'applied',
      ...(succeeded && live.action === 'apply' ? { spec_hash: p.specHash, document: live.document } : {}),
      ...(succeeded && live.action === 'destroy' ? { spec_hash: null } : {}),
      last_applied_at: finishedAt,
      last_applied_by: live.username,
      updated_at: finishedAt,
      ...UNLOCKED,
    });
    this.publish(ctx, row);
    if (result.failed) {
      throw new ConflictError(
        `${result.failed.address}: ${result.failed.message}`,
        { address: result.failed.address, done: result.done },
        'stack_step_failed',
      );
    }
  }

  /** Resumed after a restart (or claimed by another process): no credentials to continue with. */
  private async interrupted(ctx: OperationContext<RunParams>): Promise<void> {
    const p = ctx.params;
    const message =
      'the server stopped during this run; the stack records every step that finished; apply again to continue';
    const now = this.now();
    await this.deps.repo.updateHistory(p.historyId, {
      status: 'failed',
      error: `interrupted: ${message}`,
      finished_at: now,
    });
    await this.deps.repo.saveLocked(p.stackId, p.lockId, { status: 'failed', updated_at: now, ...UNLOCKED });
    const row = await this.deps.repo.findOwn(ctx.ownerId, p.name);
    if (row) this.publish(ctx, row);
    throw new ConflictError(message, undefined, 'interrupted');
  }

  private publish(ctx: OperationContext<RunParams>, row: StackRow): void {
    this.deps.bus.publish({
      type: 'stack.updated',
      resource: 'stack',
      resourceId: row.id,
      ownerId: row.owner_id,
      data: { name: row.name, operationId: ctx.id, finished: true },
    });
  }
}
