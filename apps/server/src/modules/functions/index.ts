/**
 * Functions: Lambda-like code functions run in bubblewrap sandboxes by function runners, with
 * versions and aliases, sync/async invocation, function URLs, cron triggers, per-invocation logs
 * and metrics. See docs/functions.md.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { iso } from '../../platform/clock.ts';
import type { MetricsExports } from '../metrics/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { SecretsPort } from '../secrets/index.ts';
import { functionUrlHandler } from './functions.http.ts';
import { FunctionsInvoker } from './functions.invoker.ts';
import { functionsMigrations as migrations } from './functions.migrations.ts';
import { FunctionsRepository } from './functions.repository.ts';
import { functionsRoutes } from './functions.routes.ts';
import { RunnerSet } from './functions.runners.ts';
import { FunctionsService, SCHEDULE_KIND } from './functions.service.ts';
import { type FunctionsSettings, loadFunctionsSettings } from './functions.settings.ts';
import { functionSeries } from './functions.stats.ts';

export { RunnerClient, type RunnerSet, type RunnerStatus, runnerEntry } from './functions.runners.ts';
export type { FunctionView } from './functions.service.ts';

export interface FunctionsExports {
  service: FunctionsService;
  invoker: FunctionsInvoker;
  runners: RunnerSet;
  settings: FunctionsSettings;
}

type FunctionsDeps = Pick<
  ModuleDeps,
  'db' | 'clock' | 'logger' | 'bus' | 'ownership' | 'jobs' | 'scheduler' | 'rawMounts' | 'authenticator'
> & { secrets: SecretsPort; metrics?: Pick<MetricsExports, 'exporter'>; quotas?: QuotasService };

export const functionsModule: ServerModule<FunctionsDeps, FunctionsExports> = {
  name: 'functions',
  tags: [
    {
      name: 'functions',
      description: 'Code functions in sandboxes: invoke, URLs, cron triggers, logs, metrics',
    },
  ],
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('function');
    const settings = loadFunctionsSettings();
    const repo = new FunctionsRepository(deps.db.kysely);
    const runners = new RunnerSet(deps.logger);
    const service = new FunctionsService({
      db: deps.db,
      repo,
      clock: deps.clock,
      bus: deps.bus,
      scheduler: deps.scheduler,
      secrets: deps.secrets,
      runners,
      settings,
      ...(deps.quotas ? { quotas: deps.quotas } : {}),
    });
    const invoker = new FunctionsInvoker({
      repo,
      service,
      runners,
      secrets: deps.secrets,
      clock: deps.clock,
      logger: deps.logger,
      settings,
      ...(deps.quotas ? { quotas: deps.quotas } : {}),
    });
    invoker.observe = functionSeries(deps.metrics?.exporter.registry ?? null);
    await functionsRoutes(app, { service, invoker, repo, runners, clock: deps.clock });
    deps.rawMounts.mount(
      '/fn',
      functionUrlHandler({
        repo,
        invoker,
        authenticator: deps.authenticator,
        maxBodyBytes: settings.maxHttpBodyBytes,
      }),
    );

    // Cron triggers: the scheduler fires once per occurrence (leader + CAS); the handler only
    // queues an async invocation, so a restart loses nothing.
    // The invocation id is derived from the occurrence, so one occurrence queues one invocation.
    deps.scheduler.register(SCHEDULE_KIND, async ({ schedule, scheduledFor }) => {
      const p = schedule.payload as { functionId: string; payload: unknown };
      const row = await repo.find(p.functionId);
      if (row)
        await invoker.enqueue(
          row,
          p.payload ?? {},
          'cron',
          undefined,
          FunctionsInvoker.cronInvocationId(schedule.id, scheduledFor),
        );
    });
    deps.jobs.register({
      name: 'functions.queue',
      intervalMs: 1000,
      run: async () => void (await invoker.tick()),
    });
    deps.jobs.register({
      name: 'functions.retention',
      intervalMs: 60 * 60 * 1000,
      async run() {
        const before = new Date(deps.clock.now().getTime() - settings.retentionDays * 86400_000);
        await repo.purgeBefore(iso(before));
      },
    });
    app.addHook('onReady', async () => {
      const n = await invoker.recover();
      if (n)
        deps.logger.info({ requeued: n }, 'functions: async invocations of a stopped server queued again');
    });
    app.addHook('onClose', async () => {
      await invoker.close();
      await runners.stop();
    });
    deps.quotas?.registerUsage({
      name: 'functions',
      usage: async (userId, k) => ({
        functions: await new FunctionsRepository(k).countOwned(userId),
        ...invoker.running(userId),
      }),
    });
    deps.ownership.register({
      resourceType: 'functions',
      count: (userId, k) => new FunctionsRepository(k).countOwned(userId),
      reassign: (from, to, k) => new FunctionsRepository(k).reassign(from, to),
    });
    return { service, invoker, runners, settings };
  },
};
