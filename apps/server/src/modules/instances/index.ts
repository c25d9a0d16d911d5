/**
 * Instances (EC2-style VMs and containers): launch, start/stop/reboot/terminate operations, the
 * reconciler that keeps the database in line with Proxmox, and the instance-access port other
 * modules use (volumes lock and publish instances through it, metrics reads them).
 */
import type { ModuleDeps, ResourceModuleDeps, ServerModule } from '../../deps.ts';
import { iso } from '../../platform/clock.ts';
import { PVE_REQUEST_DEADLINE_MS } from '../../platform/proxmox.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { KeyPairsService } from '../key-pairs/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { SecretsPort } from '../secrets/index.ts';
import { instancesMigrations as migrations } from './instances.migrations.ts';
import { type ComputeSettings, InstanceOperations } from './instances.operations.ts';
import { InstanceDependents, type InstancesPort, instancesPort } from './instances.ports.ts';
import { InstanceReconciler } from './instances.reconciler.ts';
import { InstancesRepository } from './instances.repository.ts';
import { instancesRoutes } from './instances.routes.ts';
import { InstanceSecretEnvApi, instanceSecretEnvRoutes } from './instances.secret-env.api.ts';
import { InstanceSecretEnv } from './instances.secret-env.ts';
import { InstancesService } from './instances.service.ts';

export { type GuestRef, guestIps, refOf, waitTask } from './instances.driver.ts';
export type { ComputeSettings } from './instances.operations.ts';
export type {
  InstanceDependent,
  InstanceNetworking,
  InstanceNetworkView,
  InstancesPort,
} from './instances.ports.ts';
export type { InstanceReconciler, ReconcileReport } from './instances.reconciler.ts';
export type { InstanceRow, InstanceStatus } from './instances.repository.ts';
export { InstanceIdParams, InstanceSchema } from './instances.schemas.ts';
export type { InstancesService } from './instances.service.ts';
export { scsiDeviceName } from './instances.validation.ts';

export interface InstancesExports {
  port: InstancesPort;
  service: InstancesService;
  reconciler: InstanceReconciler;
  /** Tunables, shared by reference with the handlers (tests shorten them). */
  settings: ComputeSettings;
}

export type InstancesDeps = ResourceModuleDeps &
  Pick<ModuleDeps, 'operations' | 'proxmox' | 'jobs'> & {
    catalog: CatalogService;
    keyPairs: KeyPairsService;
    quotas: QuotasService;
    /** secretEnv of launches (optional: wirings without the secrets module reject secretEnv). */
    secrets?: SecretsPort;
  };

export interface InstancesOptions {
  /** Reconciler period (default 15 s). */
  reconcileIntervalMs?: number;
  /** How long a launch waits for a booted guest to report an IP (default 60 s). */
  ipWaitMs?: number;
  /** Give up on a Proxmox task whose node stays unreachable this long (default 120 s). */
  unreachableMs?: number;
  /** How long a request waits for Proxmox before a launch is placed by its operation (default 3 s). */
  requestDeadlineMs?: number;
}

export function createInstancesModule(
  options: InstancesOptions = {},
): ServerModule<InstancesDeps, InstancesExports> {
  return {
    name: 'instances',
    tags: [{ name: 'instances', description: 'Virtual machines and containers (EC2-style)' }],
    migrations,
    async register(app, deps) {
      const { db, clock, logger, engine, cache } = deps;
      deps.locks.register('instances');
      deps.bus.registerResource('instance');
      const settings: ComputeSettings = {
        ipWaitMs: options.ipWaitMs ?? 60_000,
        unreachableMs: options.unreachableMs ?? 120_000,
        requestDeadlineMs: options.requestDeadlineMs ?? PVE_REQUEST_DEADLINE_MS,
      };
      const repo = new InstancesRepository(db.kysely);
      const dependents = new InstanceDependents();
      const service = new InstancesService({
        db,
        clock,
        logger,
        audit: deps.audit,
        bus: deps.bus,
        engine,
        operations: deps.operations,
        repo,
        keyPairs: deps.keyPairs,
        catalog: deps.catalog,
        quotas: deps.quotas,
        inventory: deps.inventory,
        settings,
        cache,
        proxmox: deps.pve,
        ...(deps.secrets ? { secrets: deps.secrets } : {}),
        dependents,
      });
      const secretEnv = deps.secrets
        ? new InstanceSecretEnv({ secrets: deps.secrets, proxmox: deps.pve, logger })
        : undefined;
      const ops = new InstanceOperations({
        repo,
        service,
        cache,
        clock,
        logger,
        proxmox: deps.pve,
        dependents,
        settings,
        ...(secretEnv ? { secretEnv } : {}),
      });
      ops.register(engine);
      const reconciler = new InstanceReconciler({
        repo,
        service,
        ops,
        cache,
        engine,
        clock,
        logger,
        proxmox: deps.pve,
        dependents,
      });
      deps.quotas.registerUsage({
        name: 'instances',
        usage: (userId, k) => new InstancesRepository(k).usage(userId),
      });
      await instancesRoutes(app, service);
      if (secretEnv) await instanceSecretEnvRoutes(app, new InstanceSecretEnvApi({ repo, secretEnv, clock }));

      deps.ownership.register({
        resourceType: 'instances',
        count: (userId, k) => new InstancesRepository(k).countLive(userId),
        reassign: (from, to, k) => new InstancesRepository(k).reassign(from, to),
      });
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'instances.reconcile',
          leaderOnly: true,
          intervalMs: options.reconcileIntervalMs ?? 15_000,
          run: async (signal) => {
            await reconciler.pass(signal);
          },
        });
      }
      deps.jobs.register({
        name: 'idempotency.purge',
        intervalMs: 3600_000,
        run: () => repo.purgeIdempotency(iso(new Date(clock.now().getTime() - 24 * 3600_000))),
      });
      const port = instancesPort({
        db: db.kysely,
        locks: deps.locks,
        publish: (id) => service.publish(id),
        dependents,
        adopt: async (ctx, input) => {
          await service.adopt(ctx, input, { trusted: true });
        },
      });
      return { port, service, reconciler, settings };
    },
  };
}

export const instancesModule = createInstancesModule();
