import type { FastifyInstance } from 'fastify';
import type { AuditService } from './modules/audit/index.ts';
import type { Authenticator, Iam, OwnershipRegistry } from './modules/iam/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import type { ModuleMigration } from './platform/db/migrations.ts';
import type { RawMounts } from './platform/http/raw-mounts.ts';
import type { JobScheduler } from './platform/jobs.ts';
import type { Logger } from './platform/logger.ts';
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

/** What every module's register() receives. Narrow it with Pick<> in services. */
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
}

/** Services reachable from the app instance (CLI, tests, main). */
export type AppServices = ModuleDeps;

export interface ServerModule {
  name: string;
  /** OpenAPI tags this module's routes use. */
  tags?: { name: string; description: string }[];
  migrations?: ModuleMigration[];
  /** URL prefix for the module's routes (default /api/v1). */
  prefix?: string;
  register(app: FastifyInstance, deps: ModuleDeps): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}
