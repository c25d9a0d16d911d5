import type { AuditService } from './modules/audit/index.ts';
import type { EventBus } from './modules/events/index.ts';
import type { Authenticator, Iam, OwnershipRegistry } from './modules/iam/index.ts';
import type { LockRegistry, OperationEngine, OperationsService } from './modules/operations/index.ts';
import type { NodeInventory, ResourceCache } from './modules/proxmox/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { Database, Executor } from './platform/db/database.ts';
import type { RawMounts } from './platform/http/raw-mounts.ts';
import type { JobScheduler } from './platform/jobs.ts';
import type { Logger } from './platform/logger.ts';
import type { ServerModule as PlatformServerModule } from './platform/module.ts';
import type { ProxmoxConnection } from './platform/proxmox.ts';
import type { Scheduler } from './platform/schedules/scheduler.ts';

/**
 * The Proxmox connection (platform/proxmox.ts): a real PVE client when PROXMOX_URL is set, in
 * demo mode the simulator started in-process. Services use its client and SSH host agent.
 */
export type { ProxmoxConnection };

/** What main.ts (or a test, or the CLI) hands to buildApp. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger?: Logger;
  clock?: Clock;
  proxmox?: ProxmoxConnection;
}

/** Who a user id is, for modules that record names (the completion audit entry). */
export interface UserDirectory {
  username(id: string, db?: Executor): Promise<string | null>;
}

/**
 * The shared dependencies, built once in app.ts. A module declares the slice it needs
 * (`ServerModule<Pick<ModuleDeps, 'db' | 'bus'> & { instances: InstancesPort }>`); services narrow
 * further with Pick<>.
 */
export interface ModuleDeps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  jobs: JobScheduler;
  /** Persisted cron schedules: register(kind, handler) at start-up, upsert/remove per resource. */
  scheduler: Scheduler;
  audit: AuditService;
  /** Authentication (resolveAccessKey for S3), ownership hooks for user deletion. */
  authenticator: Authenticator;
  ownership: OwnershipRegistry;
  proxmox: ProxmoxConnection | undefined;
  /** The IAM services (the iam module's routes use them; other modules should not need to). */
  iam: Iam;
  /** Path prefixes served by a raw node:http handler ahead of Fastify (S3 under /s3). */
  rawMounts: RawMounts;
  users: UserDirectory;
  /** Resource change events (modules register the resource names they publish). */
  bus: EventBus;
  /** The operation engine (modules register their handlers) and the resource-lock registry. */
  engine: OperationEngine;
  locks: LockRegistry;
  operations: OperationsService;
  /** The Proxmox connection, or 503 (UnavailableError) when none is configured. */
  pve: () => ProxmoxConnection;
  /** One `GET /cluster/resources` per poll for every module; per-node storages and bridges. */
  cache: ResourceCache;
  inventory: NodeInventory;
}

/**
 * The slice a module with Proxmox-backed resources changed by operations needs (instances,
 * volumes; networks and backups next): database, time, logs, audit, ownership, events, operations
 * and locks, and the Proxmox access.
 */
export type ResourceModuleDeps = Pick<
  ModuleDeps,
  | 'db'
  | 'clock'
  | 'logger'
  | 'audit'
  | 'ownership'
  | 'bus'
  | 'engine'
  | 'locks'
  | 'pve'
  | 'cache'
  | 'inventory'
>;

/** Services reachable from the app instance (CLI, tests, main). */
export type AppServices = ModuleDeps;

/** A module (platform/module.ts); by default it takes every shared dependency and exports nothing. */
export type ServerModule<D = ModuleDeps, E = void> = PlatformServerModule<D, E>;

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}
