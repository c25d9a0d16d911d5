/**
 * Managed function runners: the function runner (packages/function-runner) in ProxiCloud-managed
 * LXC containers on the PVE nodes, created, upgraded, re-created and deleted by operations, health
 * checked, and scheduled by the functions invoker next to the env-configured runners. Admin only.
 * See docs/functions.md ("Managed runners").
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { createSecretBox } from '../../platform/crypto.ts';
import type { FunctionsExports } from '../functions/index.ts';
import { RunnerHost, type RunnerHostSettings, runnerHostSettingsFromEnv } from './function-runners.host.ts';
import { FunctionRunnerOperations } from './function-runners.operations.ts';
import { functionRunnersMigrations as migrations } from './function-runners.repository.ts';
import { functionRunnersRoutes } from './function-runners.routes.ts';
import { FunctionRunnersService } from './function-runners.service.ts';

export type { FunctionRunnerView } from './function-runners.service.ts';
export { FunctionRunnersService };

type Deps = Pick<
  ModuleDeps,
  'config' | 'db' | 'clock' | 'logger' | 'bus' | 'jobs' | 'engine' | 'locks' | 'pve' | 'proxmox'
> & { functions: FunctionsExports; runnerHost?: Partial<RunnerHostSettings> };

export const functionRunnersModule: ServerModule<Deps, { service: FunctionRunnersService }> = {
  name: 'function-runners',
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('function_runner');
    deps.locks.register('function_runners');
    const host = new RunnerHost(deps.pve, { ...runnerHostSettingsFromEnv(), ...deps.runnerHost });
    const service = new FunctionRunnersService({
      db: deps.db,
      clock: deps.clock,
      bus: deps.bus,
      engine: deps.engine,
      locks: deps.locks,
      logger: deps.logger,
      box: createSecretBox(deps.config.masterKey),
      runners: deps.functions.runners,
      host,
      pve: deps.pve,
    });
    new FunctionRunnerOperations(service).register(deps.engine);
    await functionRunnersRoutes(app, service);
    // every server schedules on the registered runners (rows change on any server)
    deps.jobs.register({
      name: 'function-runners.sync',
      intervalMs: 5000,
      run: () => service.sync(),
    });
    if (deps.proxmox)
      deps.jobs.register({
        name: 'function-runners.health',
        leaderOnly: true,
        intervalMs: Number(process.env.PROXICLOUD_FUNCTION_RUNNER_HEALTH_MS) || 15_000,
        run: (signal) => service.checkHealth(signal),
      });
    app.addHook('onReady', () => service.sync());
    return { service };
  },
};
