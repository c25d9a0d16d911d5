/**
 * Stacks: the named, server-side state of one infrastructure file. Plans and applies run here (so
 * the console and the CLI see the same plan), applies of one stack are serialised by a lock row,
 * the state is saved after every step (a failed apply leaves it true to what exists) and every
 * apply, destroy and import leaves a history entry (who, when, what).
 */
import {
  computePlan,
  IacError,
  type Json,
  type LoadedFile,
  loadFile,
  type Plan,
  type ProviderContext,
  type ProviderRegistry,
  readCurrent,
  resolveSpec,
  type StackState,
  stateHash,
  stepNames,
} from '@proxicloud/iac';
import type { ApiClient } from '@proxicloud/sdk';
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { OperationEngine, OperationsService, OperationView } from '../operations/index.ts';
import type { StackHistoryRow, StackRow, StacksRepository } from './stacks.repository.ts';
import { type RunAction, type RunParams, StackRunner } from './stacks.runner.ts';

export interface StackInput {
  /** the file's YAML (or JSON) text */
  document: string;
  /** variable values (`--var`, `--var-file` and PROXICLOUD_VAR_* are resolved by the client) */
  variables?: Record<string, unknown>;
}

export interface StackView {
  id: string;
  name: string;
  ownerId: string;
  status: StackRow['status'];
  resourceCount: number;
  specHash: string | null;
  stateHash: string;
  locked: boolean;
  /** the running apply/destroy operation (follow it at /operations/{id}) */
  operationId: string | null;
  lastAppliedAt: string | null;
  lastAppliedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StackDetail extends StackView {
  document: string | null;
  resources: { address: string; kind: string; name: string; id: string; outputs: Record<string, Json> }[];
  history: StackHistoryEntry[];
}

export interface StackHistoryEntry {
  id: string;
  action: StackHistoryRow['action'];
  status: StackHistoryRow['status'];
  userId: string;
  username: string;
  specHash: string | null;
  summary: Record<string, number>;
  changes: { address: string; action: string; fields: string[] }[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  operationId: string | null;
}

/** `started`: the operation runs (202); `no-changes`: nothing to do, nothing was written (200). */
export interface RunResult {
  result: 'started' | 'no-changes';
  plan: Plan;
  operation: OperationView | null;
  stack: StackView;
}

export interface StacksServiceDeps {
  repo: StacksRepository;
  db: Kysely<Tables>;
  engine: OperationEngine;
  /** look-up of the operation holding a stack's lock */
  operations: Pick<OperationsService, 'find'>;
  clock: Clock;
  audit: AuditService;
  bus: EventBus;
  providers: ProviderRegistry;
  /** how long an apply's lock lasts without a step (renewed on every saved step) */
  lockTtlMs?: number;
  /** wait between operation polls (tests: 10) */
  pollMs?: number;
}

const EMPTY: StackState = { resources: {} };

function parseState(row: StackRow | undefined): StackState {
  if (!row) return EMPTY;
  return JSON.parse(row.state) as StackState;
}

function toView(row: StackRow, now: string): StackView {
  const locked = row.lock_id !== null && (row.lock_until ?? '') > now;
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    status: row.status,
    resourceCount: Number(row.resource_count),
    specHash: row.spec_hash,
    stateHash: stateHash(parseState(row)),
    locked,
    operationId: locked ? row.operation_id : null,
    lastAppliedAt: row.last_applied_at,
    lastAppliedBy: row.last_applied_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toHistory(row: StackHistoryRow): StackHistoryEntry {
  return {
    id: row.id,
    action: row.action,
    status: row.status,
    userId: row.user_id,
    username: row.username,
    specHash: row.spec_hash,
    summary: JSON.parse(row.summary) as Record<string, number>,
    changes: JSON.parse(row.changes) as StackHistoryEntry['changes'],
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    operationId: row.operation_id,
  };
}

export class StacksService {
  private readonly lockTtlMs: number;
  readonly runner: StackRunner;
  constructor(private readonly deps: StacksServiceDeps) {
    this.lockTtlMs = deps.lockTtlMs ?? 120_000;
    this.runner = new StackRunner({
      repo: deps.repo,
      clock: deps.clock,
      bus: deps.bus,
      providers: deps.providers,
      lockUntil: () => this.lockUntil(),
    });
    for (const h of this.runner.handlers()) deps.engine.register(h);
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  async list(actor: Actor, page: Page): Promise<ListResult<StackView>> {
    authorize(actor, 'stacks', 'read');
    const { rows, total } = await this.deps.repo.list(actor, page);
    const now = this.now();
    return { items: rows.map((r) => toView(r, now)), total, ...page };
  }

  async get(actor: Actor, name: string): Promise<StackDetail> {
    authorize(actor, 'stacks', 'read');
    const row = await this.deps.repo.findOwn(actor.id, name);
    if (!row) throw new NotFoundError('stack', name);
    const state = parseState(row);
    return {
      ...toView(row, this.now()),
      document: row.document,
      resources: Object.values(state.resources).map((r) => ({
        address: r.address,
        kind: r.kind,
        name: r.name,
        id: r.id,
        outputs: r.outputs,
      })),
      history: (await this.deps.repo.history(row.id, 50)).map(toHistory),
    };
  }

  private load(name: string, input: StackInput): LoadedFile {
    try {
      const file = loadFile(input.document, {
        defaultStack: name,
        vars: (input.variables ?? {}) as Record<string, Json>,
      });
      if (file.stack !== name) {
        throw new ValidationError(
          `the file describes stack "${file.stack}", not "${name}"`,
          { stack: file.stack },
          'stack_mismatch',
        );
      }
      return file;
    } catch (err) {
      if (err instanceof IacError) {
        throw new ValidationError(
          `the file is not valid: ${err.issues[0]?.message ?? 'invalid'}`,
          { issues: err.issues },
          'invalid_document',
        );
      }
      throw err;
    }
  }

  private ctx(api: ApiClient, stack: string): ProviderContext {
    return { api, stack, pollMs: this.deps.pollMs ?? 250 };
  }

  private computeOrThrow(
    file: LoadedFile,
    state: StackState,
    observed: Awaited<ReturnType<typeof readCurrent>>,
  ): Plan {
    try {
      return computePlan(file, state, observed, this.deps.providers);
    } catch (err) {
      if (err instanceof IacError) {
        throw new ValidationError(
          err.issues[0]?.message ?? 'cannot plan',
          { issues: err.issues },
          'unsupported_resource',
        );
      }
      throw err;
    }
  }

  async plan(
    ctx: AuthenticatedContext,
    name: string,
    input: StackInput,
    api: ApiClient,
  ): Promise<{ plan: Plan; stack: StackView | null }> {
    authorize(ctx.actor, 'stacks', 'read');
    const file = this.load(name, input);
    const row = await this.deps.repo.findOwn(ctx.actor.id, name);
    const state = parseState(row);
    const observed = await readCurrent(state, this.deps.providers, this.ctx(api, name));
    return { plan: this.computeOrThrow(file, state, observed), stack: row ? toView(row, this.now()) : null };
  }

  async apply(
    ctx: AuthenticatedContext,
    name: string,
    input: StackInput & { expectedStateHash?: string },
    api: ApiClient,
  ): Promise<RunResult> {
    authorize(ctx.actor, 'stacks', 'update');
    const file = this.load(name, input);
    return this.run(ctx, name, 'apply', api, input.expectedStateHash, file, input.document);
  }

  async destroy(
    ctx: AuthenticatedContext,
    name: string,
    api: ApiClient,
    expectedStateHash?: string,
  ): Promise<RunResult> {
    authorize(ctx.actor, 'stacks', 'delete');
    const row = await this.deps.repo.findOwn(ctx.actor.id, name);
    if (!row) throw new NotFoundError('stack', name);
    const empty: LoadedFile = { stack: name, resources: [], specHash: '', variables: {} };
    return this.run(ctx, name, 'destroy', api, expectedStateHash, empty, null);
  }

  /** Adopt existing objects named like the file's resources into the stack's state (no writes to them). */
  async import(
    ctx: AuthenticatedContext,
    name: string,
    input: StackInput,
    api: ApiClient,
  ): Promise<{ imported: { address: string; id: string }[]; notFound: string[]; stack: StackView }> {
    authorize(ctx.actor, 'stacks', 'update');
    const file = this.load(name, input);
    const row = await this.ensureRow(ctx.actor, name);
    const lockId = await this.lock(row);
    const imported: { address: string; id: string }[] = [];
    const notFound: string[] = [];
    const historyId = newId('sth');
    try {
      const state = parseState(await this.deps.repo.findOwn(ctx.actor.id, name));
      const pctx = this.ctx(api, name);
      for (const r of file.resources) {
        if (state.resources[r.address]) continue;
        const provider = this.deps.providers.get(r.kind);
        const lookup = (kind: string, n: string, attr: string): Json | undefined => {
          const dep = state.resources[`${kind}.${n}`];
          return dep ? (attr === 'id' ? dep.id : (dep.outputs[attr] ?? dep.spec[attr])) : undefined;
        };
        const found = provider?.lookup ? await provider.lookup(pctx, r.name, r.spec) : null;
        if (!provider || !found) {
          notFound.push(r.address);
          continue;
        }
        const { spec } = resolveSpec(r.spec, lookup, null);
        state.resources[r.address] = {
          kind: r.kind,
          name: r.name,
          address: r.address,
          id: found.id,
          spec: provider.normalize ? provider.normalize(spec) : spec,
          outputs: found.outputs,
          dependsOn: r.dependsOn,
        };
        imported.push({ address: r.address, id: found.id });
      }
      const now = this.now();
      await this.deps.repo.saveLocked(row.id, lockId, {
        state: JSON.stringify(state),
        resource_count: Object.keys(state.resources).length,
        status: Object.keys(state.resources).length ? 'applied' : row.status,
        updated_at: now,
      });
      await this.deps.repo.insertHistory({
        id: historyId,
        stack_id: row.id,
        action: 'import',
        status: 'succeeded',
        user_id: ctx.actor.id,
        username: ctx.actor.username,
        spec_hash: file.specHash,
        summary: JSON.stringify({ imported: imported.length, notFound: notFound.length }),
        changes: JSON.stringify(imported.map((i) => ({ address: i.address, action: 'import', fields: [] }))),
        error: null,
        started_at: now,
        finished_at: now,
        operation_id: null,
      });
      await this.deps.audit.record(ctx, {
        action: 'stacks.import',
        resourceType: 'stack',
        resourceId: row.id,
        details: { name, imported: imported.map((i) => i.address) },
      });
      ctx.audited = true;
    } finally {
      await this.deps.repo.unlock(row.id, lockId);
    }
    const after = await this.deps.repo.findOwn(ctx.actor.id, name);
    return { imported, notFound, stack: toView(after as StackRow, this.now()) };
  }

  private async ensureRow(actor: Actor, name: string): Promise<StackRow> {
    const existing = await this.deps.repo.findOwn(actor.id, name);
    if (existing) return existing;
    const now = this.now();
    await this.deps.repo.insert({
      id: newId('stk'),
      owner_id: actor.id,
      name,
      state: JSON.stringify(EMPTY),
      resource_count: 0,
      spec_hash: null,
      document: null,
      status: 'empty',
      lock_id: null,
      lock_until: null,
      operation_id: null,
      last_applied_at: null,
      last_applied_by: null,
      created_at: now,
      updated_at: now,
    });
    return (await this.deps.repo.findOwn(actor.id, name)) as StackRow;
  }

  private lockUntil(): string {
    return iso(new Date(this.deps.clock.now().getTime() + this.lockTtlMs));
  }

  private async lock(row: StackRow): Promise<string> {
    const lockId = newId('lck');
    // an expired lock whose operation still runs (one slow step outlasted the TTL) is still held
    const running =
      row.operation_id !== null &&
      ['pending', 'running'].includes((await this.deps.operations.find(row.operation_id))?.status ?? '');
    if (running || !(await this.deps.repo.tryLock(row.id, lockId, this.now(), this.lockUntil()))) {
      throw new ConflictError(
        `stack "${row.name}" is being applied by someone else; try again when it finishes`,
        { lockedUntil: row.lock_until, operationId: row.operation_id },
        'stack_locked',
      );
    }
    return lockId;
  }

  private async run(
    ctx: AuthenticatedContext,
    name: string,
    action: RunAction,
    api: ApiClient,
    expectedStateHash: string | undefined,
    file: LoadedFile,
    document: string | null,
  ): Promise<RunResult> {
    const row = await this.ensureRow(ctx.actor, name);
    const lockId = await this.lock(row);
    let handedOver = false;
    try {
      const fresh = (await this.deps.repo.findOwn(ctx.actor.id, name)) as StackRow;
      const state = parseState(fresh);
      if (expectedStateHash && stateHash(state) !== expectedStateHash) {
        throw new ConflictError(
          'the stack changed since this plan was made; plan again',
          { expectedStateHash, stateHash: stateHash(state) },
          'state_moved',
        );
      }
      const pctx = this.ctx(api, name);
      const plan = this.computeOrThrow(file, state, await readCurrent(state, this.deps.providers, pctx));
      const changed = plan.changes.filter((c) => c.action !== 'no-op');
      if (changed.length === 0) {
        if (action === 'apply' && document !== null && fresh.spec_hash !== file.specHash) {
          await this.deps.repo.saveLocked(row.id, lockId, {
            spec_hash: file.specHash,
            document,
            updated_at: this.now(),
          });
        }
        handedOver = true;
        await this.deps.repo.unlock(row.id, lockId);
        const after = (await this.deps.repo.findOwn(ctx.actor.id, name)) as StackRow;
        return { result: 'no-changes', plan, operation: null, stack: toView(after, this.now()) };
      }
      const historyId = newId('sth');
      const startedAt = this.now();
      const params: RunParams = { name, stackId: row.id, lockId, historyId, specHash: file.specHash || null };
      this.runner.live.set(lockId, { action, plan, state, pctx, username: ctx.actor.username, document });
      const operation = await this.deps.db.transaction().execute(async (trx) => {
        const op = await this.deps.engine.enqueue(trx, {
          action: `stack.${action}`,
          ownerId: row.owner_id,
          resourceType: 'stack',
          resourceId: row.id,
          params,
          steps: stepNames(plan),
          requestId: ctx.requestId,
        });
        const repo = this.deps.repo.with(trx);
        await repo.insertHistory({
          id: historyId,
          stack_id: row.id,
          action,
          status: 'running',
          user_id: ctx.actor.id,
          username: ctx.actor.username,
          spec_hash: file.specHash || null,
          summary: JSON.stringify(plan.summary),
          changes: JSON.stringify(
            changed.map((c) => ({
              address: c.address,
              action: c.action,
              fields: c.changes.map((f) => f.field),
            })),
          ),
          error: null,
          started_at: startedAt,
          finished_at: null,
          operation_id: op.id,
        });
        await repo.saveLocked(row.id, lockId, {
          status: 'applying',
          operation_id: op.id,
          lock_until: this.lockUntil(),
          updated_at: startedAt,
        });
        return op;
      });
      handedOver = true;
      this.deps.engine.wake();
      await this.deps.audit.record(ctx, {
        action: `stacks.${action}`,
        resourceType: 'stack',
        resourceId: row.id,
        details: { name, summary: plan.summary, operationId: operation.id },
      });
      ctx.audited = true;
      const after = (await this.deps.repo.findOwn(ctx.actor.id, name)) as StackRow;
      return { result: 'started', plan, operation, stack: toView(after, this.now()) };
    } finally {
      if (!handedOver) {
        this.runner.live.delete(lockId);
        await this.deps.repo.unlock(row.id, lockId);
      }
    }
  }
}
