/**
 * The composition of the server's modules: which modules exist (for migrations and OpenAPI
 * tags) and, in `registerModules`, the order they register in and which ports each one gets.
 * Adding a service = one entry in `modules` and one `mount` line below (see docs/architecture.md).
 */
import type { ModuleDeps } from '../deps.ts';
import { clusterMigrations } from '../platform/cluster/cluster.migrations.ts';
import type { ModuleMigration } from '../platform/db/migrations.ts';
import type { Mount, ServerModule } from '../platform/module.ts';
import { schedulesMigrations } from '../platform/schedules/schedules.migrations.ts';
import { alarmsModule } from './alarms/index.ts';
import { type AppsExports, appsModule } from './apps/index.ts';
import { auditModule } from './audit/index.ts';
import { backupsModule } from './backups/index.ts';
import { type CatalogService, catalogModule } from './catalog/index.ts';
import { type ConsolesExports, consolesModule } from './consoles/index.ts';
import { type EventRelay, eventsModule } from './events/index.ts';
import { type FunctionRunnersService, functionRunnersModule } from './function-runners/index.ts';
import { type FunctionsExports, functionsModule } from './functions/index.ts';
import { iamModule } from './iam/index.ts';
import { type InstancesExports, instancesModule } from './instances/index.ts';
import { keyPairsModule } from './key-pairs/index.ts';
import { type MetricsExports, metricsModule } from './metrics/index.ts';
import { type NetworksExports, networksModule } from './networks/index.ts';
import { type NotificationsExports, notificationsModule } from './notifications/index.ts';
import { operationsModule } from './operations/index.ts';
import { proxmoxModule } from './proxmox/index.ts';
import { quotasModule } from './quotas/index.ts';
import { KeyWrapPortImpl, type SecretsExports, secretsModule } from './secrets/index.ts';
import { stacksModule } from './stacks/index.ts';
import { storageModule } from './storage/index.ts';
import { systemModule } from './system/index.ts';
import { type VolumesExports, volumesModule } from './volumes/index.ts';

/** Every module, in registration order. */
// biome-ignore lint/suspicious/noExplicitAny: a list of modules with different deps and exports
export const modules: readonly ServerModule<any, any>[] = [
  systemModule,
  iamModule,
  auditModule,
  storageModule,
  catalogModule,
  keyPairsModule,
  secretsModule,
  quotasModule,
  operationsModule,
  instancesModule,
  volumesModule,
  networksModule,
  proxmoxModule,
  metricsModule,
  consolesModule,
  stacksModule,
  notificationsModule,
  backupsModule,
  alarmsModule,
  appsModule,
  functionsModule,
  functionRunnersModule,
  eventsModule,
];

export const allMigrations: readonly ModuleMigration[] = [
  ...schedulesMigrations,
  ...modules.flatMap((m) => m.migrations ?? []),
  ...clusterMigrations,
];

/** What modules export to each other, reachable from the app (tests, benchmarks, the CLI). */
export interface ModuleExports {
  catalog: CatalogService;
  instances: InstancesExports;
  volumes: VolumesExports;
  secrets: SecretsExports;
  consoles: ConsolesExports;
  networks: NetworksExports;
  notifications: NotificationsExports;
  metrics: MetricsExports;
  apps: AppsExports;
  functions: FunctionsExports;
  functionRunners: { service: FunctionRunnersService };
  /** The cross-server event relay (PostgreSQL), or null. */
  events: { relay: EventRelay | null };
}

/** Register every module with exactly the ports it declares. */
export async function registerModules(mount: Mount, deps: ModuleDeps): Promise<ModuleExports> {
  await mount(systemModule, deps);
  await mount(iamModule, deps);
  await mount(auditModule, deps);
  // storage's SSE-S3 data keys are wrapped by the vault's master key: the port is bound by the
  // secrets module (mounted later; no request is served before every module is mounted), and
  // storage's re-wrapper is registered before secrets finishes an interrupted rotation
  const keyWrap = new KeyWrapPortImpl();
  const storage = await mount(storageModule, { ...deps, keyWrap });
  const catalog = await mount(catalogModule, deps);
  const keyPairs = await mount(keyPairsModule, deps);
  const secrets = await mount(secretsModule, { ...deps, keyWrap });
  const quotas = await mount(quotasModule, deps);
  await mount(operationsModule, deps);
  const instances = await mount(instancesModule, {
    ...deps,
    catalog,
    keyPairs,
    quotas,
    secrets: secrets.port,
  });
  const volumes = await mount(volumesModule, { ...deps, instances: instances.port, quotas });
  const networks = await mount(networksModule, { ...deps, instances: instances.port, quotas });
  await mount(proxmoxModule, deps);
  const metrics = await mount(metricsModule, {
    ...deps,
    instances: instances.port,
    reconciler: () => instances.reconciler.lastReport,
    volumes,
    storage,
  });
  const consoles = await mount(consolesModule, { ...deps, instances: instances.port });
  await mount(stacksModule, deps);
  const notifications = await mount(notificationsModule, deps);
  await mount(backupsModule, {
    ...deps,
    instances: instances.port,
    volumes,
    quotas,
    notifications: notifications.port,
  });
  await mount(alarmsModule, {
    ...deps,
    instances: instances.port,
    metrics: metrics.port,
    notifications: notifications.port,
    volumes,
    storage,
  });
  const apps = await mount(appsModule, { ...deps, catalog, instances, volumes });
  const functions = await mount(functionsModule, { ...deps, secrets: secrets.port, metrics, quotas });
  const functionRunners = await mount(functionRunnersModule, { ...deps, functions });
  // last: the event stream lists every resource the modules above registered
  const events = await mount(eventsModule, deps);
  return {
    catalog,
    instances,
    volumes,
    secrets,
    consoles,
    networks,
    notifications,
    metrics,
    apps,
    functions,
    functionRunners,
    events,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The modules' exports (ports and services), for tests, benchmarks and the CLI. */
    modules: ModuleExports;
  }
}
