/**
 * Compute (EC2/EBS): catalog and instance types, key pairs, quotas, instances with their
 * operations and reconciler, volumes and snapshots, and the event stream. One ServerModule wires
 * the sub-modules explicitly (each keeps its own folder) because they share the operation
 * engine, the event bus and the Proxmox resource cache.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { iso } from '../../platform/clock.ts';
import { catalogMigrations } from '../catalog/catalog.migrations.ts';
import { CatalogRepository } from '../catalog/catalog.repository.ts';
import { catalogRoutes } from '../catalog/catalog.routes.ts';
import { CatalogService } from '../catalog/catalog.service.ts';
import { EventBus } from '../events/events.bus.ts';
import { eventsRoutes } from '../events/events.routes.ts';
import { instancesMigrations } from '../instances/instances.migrations.ts';
import { type ComputeSettings, InstanceOperations } from '../instances/instances.operations.ts';
import { InstanceReconciler } from '../instances/instances.reconciler.ts';
import { InstancesRepository } from '../instances/instances.repository.ts';
import { instancesRoutes } from '../instances/instances.routes.ts';
import { InstancesService } from '../instances/instances.service.ts';
import { keyPairsMigrations } from '../key-pairs/key-pairs.migrations.ts';
import { KeyPairsRepository } from '../key-pairs/key-pairs.repository.ts';
import { keyPairsRoutes } from '../key-pairs/key-pairs.routes.ts';
import { KeyPairsService } from '../key-pairs/key-pairs.service.ts';
import { OperationEngine } from '../operations/operations.engine.ts';
import { operationsMigrations } from '../operations/operations.migrations.ts';
import { OperationsRepository } from '../operations/operations.repository.ts';
import { operationsRoutes } from '../operations/operations.routes.ts';
import { quotasMigrations } from '../quotas/quotas.migrations.ts';
import { QuotasRepository } from '../quotas/quotas.repository.ts';
import { quotasRoutes } from '../quotas/quotas.routes.ts';
import { QuotasService } from '../quotas/quotas.service.ts';
import { volumesMigrations } from '../volumes/volumes.migrations.ts';
import { VolumeOperations } from '../volumes/volumes.operations.ts';
import { VolumesRepository } from '../volumes/volumes.repository.ts';
import { volumesRoutes } from '../volumes/volumes.routes.ts';
import { VolumesService } from '../volumes/volumes.service.ts';
import { NodeInventory } from './compute.inventory.ts';
import { operationErrorOf, ResourceCache, requireProxmox } from './compute.pve.ts';
import { computeRoutes } from './compute.routes.ts';

export interface ComputeServices {
  bus: EventBus;
  engine: OperationEngine;
  cache: ResourceCache;
  inventory: NodeInventory;
  catalog: CatalogService;
  keyPairs: KeyPairsService;
  quotas: QuotasService;
  instances: InstancesService;
  instanceOps: InstanceOperations;
  reconciler: InstanceReconciler;
  volumes: VolumesService;
  volumeOps: VolumeOperations;
  operations: OperationsRepository;
  /** Tunables, shared by reference with the handlers (tests shorten them). */
  settings: ComputeSettings;
}

export interface ComputeOptions {
  /** Operations run in parallel (default 8). */
  concurrency?: number;
  /** Reconciler period (default 15 s). */
  reconcileIntervalMs?: number;
  /** How long a launch waits for a booted guest to report an IP (default 60 s). */
  ipWaitMs?: number;
  /** Give up on a Proxmox task whose node stays unreachable this long (default 120 s). */
  unreachableMs?: number;
}

const registry = new WeakMap<ModuleDeps, ComputeServices>();

/** The compute services of an app (tests, benchmarks, the CLI's local commands). */
export function computeOf(app: FastifyInstance): ComputeServices {
  const services = registry.get(app.services);
  if (!services) throw new Error('the compute module is not registered on this app');
  return services;
}

export function createComputeModule(options: ComputeOptions = {}): ServerModule {
  return {
    name: 'compute',
    tags: [
      {
        name: 'catalog',
        description: 'Launch sources (cloud images, LXC templates, ISOs) and instance types',
      },
      { name: 'instances', description: 'Virtual machines and containers (EC2-style)' },
      { name: 'operations', description: 'Asynchronous actions and their progress' },
      { name: 'key-pairs', description: 'SSH key pairs injected into instances' },
      { name: 'volumes', description: 'Persistent volumes (EBS-style) and volume types' },
      { name: 'snapshots', description: 'Volume snapshots (ZFS)' },
      { name: 'quotas', description: 'Per-user resource limits and usage' },
      { name: 'events', description: 'Server-sent events for live consoles' },
    ],
    migrations: [
      ...catalogMigrations,
      ...keyPairsMigrations,
      ...quotasMigrations,
      ...operationsMigrations,
      ...instancesMigrations,
      ...volumesMigrations,
    ],
    async register(app, deps) {
      const { db, clock, logger, audit } = deps;
      const settings: ComputeSettings = {
        ipWaitMs: options.ipWaitMs ?? 60_000,
        unreachableMs: options.unreachableMs ?? 120_000,
      };
      const proxmox = () => requireProxmox(deps.proxmox);
      const bus = new EventBus(2000, () => clock.now());
      const engine = new OperationEngine({
        db,
        clock,
        logger,
        bus,
        mapError: (e) => operationErrorOf(e, logger),
        concurrency: options.concurrency ?? 8,
        // `instance.launch` → `instances.launch.completed` (result success/failure), in the transaction
        // that records the operation's final state; actor = the owner, request id of the request that asked
        onCompleted: async (trx, op) => {
          const owner = await trx
            .selectFrom('users')
            .select(['id', 'username'])
            .where('id', '=', op.ownerId)
            .executeTakeFirst();
          const [kind, verb] = op.action.split('.', 2) as [string, string | undefined];
          await audit.record(
            {
              actor: null,
              ip: '127.0.0.1',
              requestId: op.requestId ?? op.id,
              userAgent: null,
              audited: false,
            },
            {
              action: `${kind}s.${verb ?? 'run'}.completed`,
              resourceType: op.resourceType,
              resourceId: op.resourceId,
              result: op.status === 'succeeded' ? 'success' : 'failure',
              user: { id: op.ownerId, username: owner?.username ?? null },
              details: {
                operationId: op.id,
                status: op.status,
                ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
              },
            },
            trx,
          );
        },
        recover: async () => {
          // locks held by no pending/running operation belong to a process that is gone
          const live = db.kysely
            .selectFrom('operations')
            .select('id')
            .where('status', 'in', ['pending', 'running']);
          for (const table of ['instances', 'volumes'] as const) {
            const res = await db.kysely
              .updateTable(table)
              .set({ active_operation_id: null })
              .where('active_operation_id', 'is not', null)
              .where('active_operation_id', 'not in', live)
              .where('active_operation_id', 'not like', `sync-${engine.workerId}-%`)
              .executeTakeFirst();
            if (Number(res.numUpdatedRows) > 0)
              logger.warn({ table, released: Number(res.numUpdatedRows) }, 'released stale locks');
          }
        },
      });
      const cache = new ResourceCache(() => proxmox().client, 2000);
      const inventory = new NodeInventory(() => proxmox().client);
      const catalog = new CatalogService({
        db,
        repo: new CatalogRepository(db.kysely),
        audit,
        clock,
        proxmox,
      });
      const keyPairsRepo = new KeyPairsRepository(db.kysely);
      const keyPairs = new KeyPairsService({ db, repo: keyPairsRepo, audit, clock, bus });
      const quotas = new QuotasService({
        db,
        repo: new QuotasRepository(db.kysely, db.dialect),
        audit,
        clock,
      });
      const instancesRepo = new InstancesRepository(db.kysely);
      const instances = new InstancesService({
        db,
        clock,
        logger,
        audit,
        bus,
        engine,
        repo: instancesRepo,
        keyPairs,
        catalog,
        quotas,
        inventory,
        cache,
        proxmox,
      });
      const volumesRepo = new VolumesRepository(db.kysely);
      let volumes: VolumesService | undefined;
      const volumeOps = new VolumeOperations({
        repo: volumesRepo,
        instances: instancesRepo,
        cache,
        clock,
        logger,
        proxmox,
        publishVolume: (id) => volumes?.publish(id) ?? Promise.resolve(),
        publishInstance: (id) => instances.publish(id),
      });
      volumes = new VolumesService({
        db,
        clock,
        logger,
        audit,
        bus,
        engine,
        repo: volumesRepo,
        instances: instancesRepo,
        quotas,
        inventory,
        cache,
        ops: volumeOps,
        proxmox,
        publishInstance: (id) => instances.publish(id),
      });
      const instanceOps = new InstanceOperations({
        repo: instancesRepo,
        service: instances,
        cache,
        clock,
        logger,
        proxmox,
        volumes: () => volumeOps.port,
        settings,
      });
      instanceOps.register(engine);
      volumeOps.register(engine);
      const reconciler = new InstanceReconciler({
        repo: instancesRepo,
        service: instances,
        ops: instanceOps,
        cache,
        engine,
        clock,
        logger,
        proxmox,
        volumes: () => volumeOps.port,
      });
      const operations = new OperationsRepository(db.kysely);

      await catalogRoutes(app, catalog);
      await keyPairsRoutes(app, keyPairs);
      await quotasRoutes(app, quotas);
      await operationsRoutes(app, operations);
      await instancesRoutes(app, instances);
      await volumesRoutes(app, volumes);
      await eventsRoutes(app, bus);
      await computeRoutes(app, { proxmox: () => deps.proxmox, inventory, cache });

      deps.ownership.register({
        resourceType: 'instances',
        count: (userId, k) => new InstancesRepository(k).countLive(userId),
        reassign: (from, to, k) =>
          new InstancesRepository(k)
            .reassign(from, to)
            .then(() => new OperationsRepository(k).reassign(from, to)),
      });
      deps.ownership.register({
        resourceType: 'volumes',
        count: (userId, k) => new VolumesRepository(k).countLive(userId),
        reassign: (from, to, k) => new VolumesRepository(k).reassign(from, to),
      });
      deps.ownership.register({
        resourceType: 'key_pairs',
        count: (userId, k) => new KeyPairsRepository(k).countOwned(userId),
        reassign: (from, to, k) => new KeyPairsRepository(k).reassign(from, to),
      });

      deps.jobs.register({ name: 'operations.worker', intervalMs: 2000, run: () => engine.tick() });
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'instances.reconcile',
          intervalMs: options.reconcileIntervalMs ?? 15_000,
          run: async (signal) => {
            await reconciler.pass(signal);
          },
        });
      }
      deps.jobs.register({
        name: 'idempotency.purge',
        intervalMs: 3600_000,
        run: () => instancesRepo.purgeIdempotency(iso(new Date(clock.now().getTime() - 24 * 3600_000))),
      });
      app.addHook('onClose', async () => {
        await engine.stop();
      });

      registry.set(deps, {
        bus,
        engine,
        cache,
        inventory,
        catalog,
        keyPairs,
        quotas,
        instances,
        instanceOps,
        reconciler,
        volumes,
        volumeOps,
        operations,
        settings,
      });
    },
  };
}

export const computeModule = createComputeModule();
