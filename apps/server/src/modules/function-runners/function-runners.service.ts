/**
 * Managed function runners (admin only): the list and views, the operations that create, upgrade,
 * re-create and delete them (function-runners.operations.ts), the registry that hands the ready
 * ones to the invoker's RunnerSet, and the health pass that reports a runner whose container was
 * lost or whose service stopped answering.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId, type SecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { EventBus } from '../events/index.ts';
import { RunnerClient, type RunnerSet, type RunnerStatus } from '../functions/index.ts';
import { authorize } from '../iam/index.ts';
import type { LockRegistry, OperationEngine, OperationView, StepDef } from '../operations/index.ts';
import { runnerBundle } from './function-runners.bundle.ts';
import type { RunnerHost } from './function-runners.host.ts';
import {
  type FunctionRunnerRow,
  FunctionRunnersRepository,
  type RunnerHealth,
} from './function-runners.repository.ts';

export interface FunctionRunnerView {
  id: string;
  name: string;
  node: string | null;
  vmid: number | null;
  address: string | null;
  status: FunctionRunnerRow['status'];
  statusReason: string | null;
  health: RunnerHealth;
  healthReason: string | null;
  healthCheckedAt: string | null;
  version: string | null;
  /** the version this server would install: an upgrade is available when it differs */
  latestVersion: string;
  upgradeAvailable: boolean;
  sandbox: { bwrap: boolean; limits: string; seccomp: boolean } | null;
  runtimes: Record<string, { available: boolean; version: string | null }> | null;
  activeInvocations: number;
  memoryMib: number;
  cores: number;
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateRunnerInput {
  name: string;
  node?: string;
  memoryMib?: number;
  cores?: number;
}

export interface FunctionRunnersDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  engine: OperationEngine;
  locks: LockRegistry;
  logger: Logger;
  box: SecretBox;
  runners: RunnerSet;
  host: RunnerHost;
  pve: () => ProxmoxConnection;
}

/** What the view shows of a runner's /v1/status (stored as JSON). */
export function sandboxJson(st: RunnerStatus): string {
  return JSON.stringify({ bwrap: st.bwrap, limits: st.limits, seccomp: st.seccomp, runtimes: st.runtimes });
}

export const CREATE_STEPS: StepDef[] = [
  { name: 'container', title: 'Create and start an unprivileged Debian container (nesting on)' },
  { name: 'address', title: 'Wait for its address' },
  {
    name: 'install',
    title: 'Push the runner, its secret and unit; install nodejs, bubblewrap, python3, golang-go',
  },
  { name: 'health', title: 'Check GET /v1/status and register the runner' },
];

export class FunctionRunnersService {
  readonly repo: FunctionRunnersRepository;
  constructor(readonly deps: FunctionRunnersDeps) {
    this.repo = new FunctionRunnersRepository(deps.db.kysely);
  }

  now(): string {
    return iso(this.deps.clock.now());
  }

  secretOf(row: FunctionRunnerRow): string {
    return this.deps.box.open(row.secret_enc, `function-runner:${row.id}`);
  }

  sealSecret(id: string, secret: string): string {
    return this.deps.box.seal(secret, `function-runner:${id}`);
  }

  /** The runner's base URL: its address, or (simulator) the local endpoint standing in for it. */
  baseOf(row: Pick<FunctionRunnerRow, 'ip' | 'port' | 'vmid'>): () => Promise<string> {
    return async () => {
      if (!row.ip) throw new Error(`runner container ${row.vmid ?? ''} has no address`);
      const sim = this.deps.pve().simulator;
      if (!sim) return `http://${row.ip}:${row.port}`;
      const ep = await sim.guestEndpoint(row.ip, Number(row.port));
      if (!ep) throw new Error(`connect ECONNREFUSED ${row.ip}:${row.port}`);
      return `http://${ep.host}:${ep.port}`;
    };
  }

  /** A one-off client of the runner (health checks, the create/upgrade wait). */
  clientOf(row: FunctionRunnerRow): RunnerClient {
    return new RunnerClient(this.baseOf(row), this.secretOf(row), row.name);
  }

  view(row: FunctionRunnerRow): FunctionRunnerView {
    const latest = runnerBundle().version;
    const sb = row.sandbox
      ? (JSON.parse(row.sandbox) as {
          bwrap: boolean;
          limits: string;
          seccomp: boolean;
          runtimes?: Record<string, { available: boolean; version: string | null }>;
        })
      : null;
    return {
      id: row.id,
      name: row.name,
      node: row.node,
      vmid: row.vmid === null ? null : Number(row.vmid),
      address: row.ip ? `${row.ip}:${row.port}` : null,
      status: row.status,
      statusReason: row.status_reason,
      health: row.health,
      healthReason: row.health_reason,
      healthCheckedAt: row.health_checked_at,
      version: row.version,
      latestVersion: latest,
      upgradeAvailable: row.version !== null && row.version !== latest,
      sandbox: sb ? { bwrap: sb.bwrap, limits: sb.limits, seccomp: sb.seccomp } : null,
      runtimes: sb?.runtimes
        ? Object.fromEntries(
            Object.entries(sb.runtimes).map(([k, v]) => [k, { available: v.available, version: v.version }]),
          )
        : null,
      activeInvocations: this.deps.runners.managedClient(row.id)?.active ?? 0,
      memoryMib: Number(row.memory_mib),
      cores: Number(row.cores),
      activeOperationId: row.active_operation_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(ctx: AuthenticatedContext): Promise<FunctionRunnerView[]> {
    authorize(ctx.actor, 'function_runners', 'read');
    return (await this.repo.live()).map((r) => this.view(r));
  }

  private async live(id: string): Promise<FunctionRunnerRow> {
    const row = await this.repo.find(id);
    if (!row || row.status === 'deleted') throw new NotFoundError('Function runner', id);
    return row;
  }

  async get(ctx: AuthenticatedContext, id: string): Promise<FunctionRunnerView> {
    authorize(ctx.actor, 'function_runners', 'read');
    return this.view(await this.live(id));
  }

  async create(ctx: AuthenticatedContext, input: CreateRunnerInput): Promise<FunctionRunnerView> {
    authorize(ctx.actor, 'function_runners', 'create');
    this.deps.pve();
    const id = newId('fnr');
    const now = this.now();
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      if (await this.repo.byName(input.name, trx))
        throw new ConflictError(
          `A function runner named '${input.name}' exists`,
          { field: 'name' },
          'name_taken',
        );
      await trx
        .insertInto('function_runners')
        .values({
          id,
          name: input.name,
          requested_node: input.node ?? null,
          node: null,
          vmid: null,
          ip: null,
          port: 8790,
          status: 'creating',
          status_reason: null,
          health: 'unknown',
          health_checked_at: null,
          health_reason: null,
          version: null,
          sandbox: null,
          secret_enc: this.sealSecret(id, randomBytes(32).toString('base64url')),
          memory_mib: input.memoryMib ?? 1024,
          cores: input.cores ?? 2,
          created_by: ctx.actor.id,
          active_operation_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const op = await this.deps.engine.enqueue(trx, {
        action: 'function-runner.create',
        ownerId: ctx.actor.id,
        resourceType: 'function_runner',
        resourceId: id,
        params: {},
        steps: CREATE_STEPS,
        requestId: ctx.requestId,
      });
      await this.deps.locks.lock(trx, 'function_runners', id, op.id);
    });
    this.deps.engine.wake();
    this.publish(id, 'created');
    return this.view((await this.repo.find(id))!);
  }

  /** One operation on one runner (locks the row; 409 while another runs). */
  private async enqueue(
    ctx: AuthenticatedContext,
    row: FunctionRunnerRow,
    action: string,
    steps: StepDef[],
    patch: { status?: FunctionRunnerRow['status'] } = {},
  ): Promise<OperationView> {
    const op = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const op = await this.deps.engine.enqueue(trx, {
        action,
        ownerId: ctx.actor.id,
        resourceType: 'function_runner',
        resourceId: row.id,
        params: {},
        steps,
        requestId: ctx.requestId,
      });
      if (
        !(await this.deps.locks.lock(trx, 'function_runners', row.id, op.id, {
          ...patch,
          updated_at: this.now(),
        }))
      )
        throw new ConflictError(
          `Function runner '${row.name}' is busy with another operation`,
          { activeOperationId: row.active_operation_id },
          'runner_busy',
        );
      return op;
    });
    this.deps.engine.wake();
    this.publish(row.id);
    await this.sync();
    return op;
  }

  async upgrade(ctx: AuthenticatedContext, id: string): Promise<OperationView> {
    authorize(ctx.actor, 'function_runners', 'update');
    const row = await this.live(id);
    if (row.status !== 'ready')
      throw new ConflictError(
        `Function runner '${row.name}' is ${row.status}; only a ready runner can be upgraded (re-create a lost one)`,
        undefined,
        'runner_not_ready',
      );
    // rolling: one runner at a time leaves scheduling
    const busy = (await this.repo.live()).find(
      (r) => r.id !== row.id && (r.status === 'upgrading' || r.status === 'draining'),
    );
    if (busy)
      throw new ConflictError(
        `Function runner '${busy.name}' is being upgraded; upgrades go one runner at a time`,
        { runnerId: busy.id, activeOperationId: busy.active_operation_id },
        'upgrade_in_progress',
      );
    return this.enqueue(
      ctx,
      row,
      'function-runner.upgrade',
      [
        { name: 'drain', title: 'Take it out of scheduling; wait for its invocations' },
        { name: 'install', title: `Push runner ${runnerBundle().version} and restart it` },
        { name: 'health', title: 'Check GET /v1/status reports the new version; register it again' },
      ],
      { status: 'draining' },
    );
  }

  async recreate(ctx: AuthenticatedContext, id: string): Promise<OperationView> {
    authorize(ctx.actor, 'function_runners', 'update');
    const row = await this.live(id);
    if (row.status === 'creating' || row.status === 'deleting')
      throw new ConflictError(`Function runner '${row.name}' is ${row.status}`, undefined, 'runner_busy');
    return this.enqueue(ctx, row, 'function-runner.recreate', [
      { name: 'remove', title: 'Drain it; remove what is left of its container' },
      ...CREATE_STEPS,
    ]);
  }

  async remove(ctx: AuthenticatedContext, id: string): Promise<OperationView> {
    authorize(ctx.actor, 'function_runners', 'delete');
    const row = await this.live(id);
    return this.enqueue(
      ctx,
      row,
      'function-runner.delete',
      [
        { name: 'drain', title: 'Take it out of scheduling; wait for its invocations' },
        { name: 'container', title: `Stop and destroy container ${row.vmid ?? ''}`.trim() },
      ],
      { status: 'deleting' },
    );
  }

  /**
   * Hand the schedulable runners (ready, not lost or unhealthy, no operation draining them) to the
   * invoker. Every server runs it (job `function-runners.sync`) and after its own changes.
   */
  async sync(): Promise<void> {
    const rows = (await this.repo.live()).filter(
      (r) => r.status === 'ready' && (r.health === 'healthy' || r.health === 'unknown') && r.ip,
    );
    this.deps.runners.setManaged(
      rows.map((r) => ({
        id: r.id,
        label: r.name,
        secret: this.secretOf(r),
        base: this.baseOf(r),
        key: `${r.ip}:${r.port}:${r.secret_enc}`,
      })),
    );
  }

  /**
   * Health (leader job `function-runners.health`): a ready runner's container must run and its
   * runner answer /v1/status. A lost container (gone or stopped) is `lost`: it leaves scheduling
   * and `POST …/{id}/recreate` builds it again.
   */
  async checkHealth(signal?: AbortSignal): Promise<void> {
    const rows = (await this.repo.live()).filter((r) => r.status === 'ready' && !r.active_operation_id);
    for (const row of rows) {
      if (signal?.aborted) break;
      let health: RunnerHealth = 'healthy';
      let reason: string | null = null;
      let sandbox = row.sandbox;
      let version = row.version;
      try {
        const state =
          row.node && row.vmid !== null ? await this.deps.host.state(row.node, Number(row.vmid)) : 'missing';
        if (state !== 'running') {
          health = 'lost';
          reason = `container ${row.vmid ?? ''} ${state === 'missing' ? 'is gone' : 'is stopped'}`.replace(
            '  ',
            ' ',
          );
        } else {
          const client = this.clientOf(row);
          try {
            const st = await client.status();
            sandbox = sandboxJson(st);
            version = st.version ?? version;
          } catch (e) {
            health = 'unhealthy';
            reason = `the runner does not answer: ${(e as Error).message}`;
          } finally {
            client.close();
          }
        }
      } catch (e) {
        this.deps.logger.warn({ err: e, runnerId: row.id }, 'function runner health: Proxmox did not answer');
        continue;
      }
      await this.repo.patch(row.id, {
        health,
        health_reason: reason,
        health_checked_at: this.now(),
        sandbox,
        version,
      });
      if (health !== row.health) {
        if (health !== 'healthy')
          this.deps.logger.warn({ runnerId: row.id, reason }, `function runner ${row.name} is ${health}`);
        this.publish(row.id);
      }
    }
    await this.sync();
  }

  publish(id: string, type: 'created' | 'updated' = 'updated'): void {
    void this.repo
      .find(id)
      .then((row) => {
        if (!row) return;
        this.deps.bus.publish({
          type: `function_runner.${row.status === 'deleted' ? 'deleted' : type}`,
          resource: 'function_runner',
          resourceId: id,
          ownerId: row.created_by,
          data: this.view(row),
        });
      })
      .catch(() => undefined);
  }
}
