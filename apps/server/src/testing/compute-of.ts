/**
 * The compute core of an app, for tests and benchmarks (no test-runner imports, so scripts can
 * use it): the shared engine, bus and caches from `app.services`, the reconciler and tunables from
 * the instances module's exports.
 */
import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../modules/catalog/index.ts';
import type { EventBus } from '../modules/events/index.ts';
import type { ComputeSettings, InstanceReconciler, InstancesService } from '../modules/instances/index.ts';
import type { OperationEngine } from '../modules/operations/index.ts';
import type { NodeInventory, ResourceCache } from '../modules/proxmox/index.ts';

export interface ComputeServices {
  bus: EventBus;
  engine: OperationEngine;
  cache: ResourceCache;
  inventory: NodeInventory;
  reconciler: InstanceReconciler;
  catalog: CatalogService;
  instances: InstancesService;
  /** Tunables, shared by reference with the handlers (tests shorten them). */
  settings: ComputeSettings;
}

export function computeOf(app: FastifyInstance): ComputeServices {
  const { bus, engine, cache, inventory } = app.services;
  const { reconciler, settings, service: instances } = app.modules.instances;
  return { bus, engine, cache, inventory, reconciler, settings, catalog: app.modules.catalog, instances };
}
