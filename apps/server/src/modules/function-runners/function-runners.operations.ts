/**
 * The operations of managed function runners:
 *
 *  - `function-runner.create`: container → address → install (lib.sh, app.env with the secret,
 *    setup.sh through the host agent) → health (`GET /v1/status` reports the version) → ready and
 *    registered. A failure destroys the container (nothing half-made is left) and the row goes.
 *  - `function-runner.upgrade`: drain (out of scheduling, wait for its invocations), push the
 *    server's runner version (`setup.sh update` restarts it), health, registered again. A failed
 *    upgrade leaves the runner registered only if it answers.
 *  - `function-runner.recreate`: remove what is left, then the create steps (with a new secret).
 *  - `function-runner.delete`: drain, stop and destroy the container.
 *
 * Operation params are always empty: the secret is read from the sealed column when needed.
 */
import { randomBytes } from 'node:crypto';
import type { OperationContext, OperationEngine, OperationHandler } from '../operations/index.ts';
import { runnerBundle } from './function-runners.bundle.ts';
import type { FunctionRunnerRow } from './function-runners.repository.ts';
import { type FunctionRunnersService, sandboxJson } from './function-runners.service.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FunctionRunnerOperations {
  constructor(private readonly svc: FunctionRunnersService) {}

  register(engine: OperationEngine): void {
    engine.register(this.create);
    engine.register(this.upgrade);
    engine.register(this.recreate);
    engine.register(this.remove);
  }

  private get host() {
    return this.svc.deps.host;
  }

  private async row(id: string): Promise<FunctionRunnerRow> {
    const r = await this.svc.repo.find(id);
    if (!r) throw new Error(`function runner ${id} vanished from the database`);
    return r;
  }

  /** Progress lines of a script, at most one write per 250 ms (the last line wins). */
  private liveDetail(ctx: OperationContext) {
    let pending: string | null = null;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      if (pending !== null) void ctx.detail(pending).catch(() => undefined);
      pending = null;
    };
    return {
      line: (t: string) => {
        pending = t;
        timer ??= setTimeout(flush, 250);
      },
      done: () => {
        if (timer) clearTimeout(timer);
        flush();
      },
    };
  }

  /** Out of scheduling (the row's status says why), then wait for its in-flight invocations. */
  private async drain(ctx: OperationContext, row: FunctionRunnerRow, status: 'draining' | 'deleting') {
    await this.svc.repo.patch(row.id, { status, updated_at: this.svc.now() });
    this.svc.publish(row.id);
    await this.svc.sync();
    const client = this.svc.deps.runners.managedClient(row.id);
    const until = Date.now() + this.host.settings.drainMs;
    let waited = false;
    while (client && client.active > 0 && Date.now() < until && !ctx.signal.aborted) {
      if (!waited) await ctx.detail(`waiting for ${client.active} invocation(s) to finish`);
      waited = true;
      await sleep(200);
    }
    if (client && client.active > 0)
      await ctx.detail(`drain timed out with ${client.active} invocation(s) still running`);
    else await ctx.detail('drained');
  }

  /** create / re-create: container, address, install, health; the row is ready at the end. */
  private async build(ctx: OperationContext, id: string): Promise<void> {
    const row = await this.row(id);
    const made = await ctx.step('container', async () => {
      // an attempt interrupted by a restart may have left its container: it goes first
      const before = await this.row(id);
      if (before.node && before.vmid !== null)
        await this.host.destroy(before.node, Number(before.vmid), ctx.signal);
      return this.host.create(
        {
          id,
          name: row.name,
          node: row.requested_node,
          memoryMib: Number(row.memory_mib),
          cores: Number(row.cores),
        },
        ctx.signal,
        async (node, vmid) => this.svc.repo.patch(id, { node, vmid, ip: null, updated_at: this.svc.now() }),
        ctx.detail,
      );
    });
    const ip = await ctx.step('address', async () => {
      const ip = await this.host.address(made.node, made.vmid, ctx.signal);
      await this.svc.repo.patch(id, { ip, updated_at: this.svc.now() });
      await ctx.detail(`container ${made.vmid} has address ${ip}`);
      return ip;
    });
    await this.installAndCheck(
      ctx,
      { ...(await this.row(id)), node: made.node, vmid: made.vmid, ip },
      'install',
    );
  }

  /** install/update the runner, wait for its status to report the version, register it. */
  private async installAndCheck(ctx: OperationContext, row: FunctionRunnerRow, phase: 'install' | 'update') {
    const bundle = runnerBundle();
    await ctx.step('install', async () => {
      await ctx.detail(`pct push ${row.vmid} lib.sh, app.env, setup.sh (runner ${bundle.version})`);
      const live = this.liveDetail(ctx);
      try {
        await this.host.install(
          row.id,
          row.node!,
          Number(row.vmid),
          this.svc.secretOf(row),
          bundle,
          phase,
          live.line,
        );
      } finally {
        live.done();
      }
    });
    await ctx.step('health', async () => {
      const client = this.svc.clientOf(row);
      try {
        const st = await this.host.waitHealthy(() => client.status(), bundle.version, ctx.signal);
        await this.svc.repo.patch(row.id, {
          status: 'ready',
          status_reason: null,
          health: 'healthy',
          health_reason: null,
          health_checked_at: this.svc.now(),
          version: bundle.version,
          sandbox: sandboxJson(st),
          updated_at: this.svc.now(),
        });
        await ctx.detail(
          `runner ${bundle.version} answers (sandbox ${st.bwrap ? 'bwrap' : 'none'}, limits ${st.limits})`,
        );
      } finally {
        client.close();
      }
      await this.svc.sync();
    });
  }

  private finish = async (ctx: OperationContext) => {
    await this.svc.deps.locks.unlock(this.svc.repo.db, 'function_runners', ctx.resourceId, ctx.id);
    await this.svc.sync();
    this.svc.publish(ctx.resourceId);
  };

  /** Destroy the container of a failed create/re-create (nothing half-made is left). */
  private async cleanup(ctx: OperationContext, id: string): Promise<string> {
    const row = await this.svc.repo.find(id);
    if (!row?.node || row.vmid === null) return '';
    try {
      await this.host.destroy(row.node, Number(row.vmid), ctx.signal);
      return '';
    } catch (e) {
      return `; container ${row.vmid} on ${row.node} could not be removed: ${(e as Error).message}`;
    }
  }

  private readonly create: OperationHandler = {
    action: 'function-runner.create',
    run: (ctx) => this.build(ctx, ctx.resourceId),
    onFailure: async (ctx, error) => {
      const leftover = await this.cleanup(ctx, ctx.resourceId);
      await this.svc.repo.patch(ctx.resourceId, {
        status: 'deleted',
        status_reason: `create failed: ${error.message}${leftover}`,
        deleted_at: this.svc.now(),
        updated_at: this.svc.now(),
      });
    },
    onFinish: this.finish,
  };

  private readonly upgrade: OperationHandler = {
    action: 'function-runner.upgrade',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      await ctx.step('drain', () => this.drain(ctx, row, 'draining'));
      await this.svc.repo.patch(row.id, { status: 'upgrading', updated_at: this.svc.now() });
      this.svc.publish(row.id);
      await this.installAndCheck(ctx, await this.row(row.id), 'update');
    },
    onFailure: async (ctx, error) => {
      // back in scheduling only if it still answers (the health pass reports it otherwise)
      const row = await this.row(ctx.resourceId);
      const client = this.svc.clientOf(row);
      const answers = await client.status().then(
        (st) => st,
        () => null,
      );
      client.close();
      await this.svc.repo.patch(row.id, {
        status: 'ready',
        status_reason: `upgrade failed: ${error.message}`,
        health: answers ? 'healthy' : 'unhealthy',
        health_reason: answers ? null : 'the runner does not answer after a failed upgrade',
        health_checked_at: this.svc.now(),
        ...(answers?.version ? { version: answers.version } : {}),
        updated_at: this.svc.now(),
      });
    },
    onFinish: this.finish,
  };

  private readonly recreate: OperationHandler = {
    action: 'function-runner.recreate',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      await ctx.step('remove', async () => {
        await this.drain(ctx, row, 'draining');
        if (row.node && row.vmid !== null) await this.host.destroy(row.node, Number(row.vmid), ctx.signal);
        // a new container gets a new secret
        await this.svc.repo.patch(row.id, {
          status: 'creating',
          node: null,
          vmid: null,
          ip: null,
          version: null,
          sandbox: null,
          health: 'unknown',
          secret_enc: this.svc.sealSecret(row.id, randomBytes(32).toString('base64url')),
          updated_at: this.svc.now(),
        });
      });
      await this.build(ctx, row.id);
    },
    onFailure: async (ctx, error) => {
      const leftover = await this.cleanup(ctx, ctx.resourceId);
      await this.svc.repo.patch(ctx.resourceId, {
        status: 'error',
        status_reason: `re-create failed: ${error.message}${leftover}`,
        node: null,
        vmid: null,
        ip: null,
        health: 'lost',
        updated_at: this.svc.now(),
      });
    },
    onFinish: this.finish,
  };

  private readonly remove: OperationHandler = {
    action: 'function-runner.delete',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      await ctx.step('drain', () => this.drain(ctx, row, 'deleting'));
      await ctx.step('container', async () => {
        if (row.node && row.vmid !== null) await this.host.destroy(row.node, Number(row.vmid), ctx.signal);
      });
      await this.svc.repo.patch(row.id, {
        status: 'deleted',
        deleted_at: this.svc.now(),
        updated_at: this.svc.now(),
      });
    },
    onFailure: async (ctx, error) => {
      await this.svc.repo.patch(ctx.resourceId, {
        status: 'error',
        status_reason: `delete failed: ${error.message}`,
        updated_at: this.svc.now(),
      });
    },
    onFinish: this.finish,
  };
}
