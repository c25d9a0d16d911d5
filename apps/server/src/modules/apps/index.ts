/**
 * Apps: a catalog of app templates (built-in and custom) and deployed apps, which are ordinary
 * instances (tag `app`) set up inside the guest by a pinned, shellchecked script. See docs/apps.md.
 */
import type { ModuleDeps, ResourceModuleDeps, ServerModule } from '../../deps.ts';
import { createSecretBox } from '../../platform/crypto.ts';
import type { Actor } from '../../platform/db/repository.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { InstancesExports } from '../instances/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import { loadBuiltins } from './apps.builtin.ts';
import { AppCatalog } from './apps.catalog.ts';
import { appsMigrations as migrations } from './apps.migrations.ts';
import { AppOperations, type AppSettings } from './apps.operations.ts';
import { AppsRepository } from './apps.repository.ts';
import { appsRoutes } from './apps.routes.ts';
import { AppsService } from './apps.service.ts';

export { builtinDir } from './apps.builtin.ts';
export type { AppCatalog } from './apps.catalog.ts';
export type { AppSettings } from './apps.operations.ts';
export type { AppsService } from './apps.service.ts';

export type AppsDeps = ResourceModuleDeps &
  Pick<ModuleDeps, 'operations' | 'jobs' | 'config' | 'users' | 'proxmox'> & {
    catalog: CatalogService;
    instances: InstancesExports;
    volumes: VolumesExports;
  };

export interface AppsExports {
  service: AppsService;
  catalog: AppCatalog;
  /** Shared by reference with the handlers (tests shorten them). */
  settings: AppSettings;
  /** One pass of the periodic health check (job apps.health). */
  refreshHealth(): Promise<void>;
}

export interface AppsOptions {
  /** Fetch a template from a Git URL (default: HTTPS GET, 256 KiB at most, 10 s). */
  fetchText?: (url: string) => Promise<string>;
  healthIntervalMs?: number;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > 262_144) throw new Error('larger than 256 KiB');
  return text;
}

export function createAppsModule(options: AppsOptions = {}): ServerModule<AppsDeps, AppsExports> {
  return {
    name: 'apps',
    tags: [{ name: 'apps', description: 'App catalog and one-click apps (templates, deploys, updates)' }],
    migrations,
    async register(app, deps) {
      deps.locks.register('apps');
      deps.bus.registerResource('app');
      const builtins = loadBuiltins();
      const repo = new AppsRepository(deps.db.kysely);
      const catalog = new AppCatalog({
        builtins,
        repo,
        clock: deps.clock,
        fetchText: options.fetchText ?? fetchText,
      });
      const service = new AppsService({
        db: deps.db,
        clock: deps.clock,
        bus: deps.bus,
        engine: deps.engine,
        repo,
        catalog,
        instanceTypes: deps.catalog,
        instances: deps.instances.service,
        proxmox: deps.pve,
        box: createSecretBox(deps.config.masterKey),
      });
      const settings: AppSettings = { pollMs: 1000, maxHealthWaitMs: 30 * 60_000 };
      const ownerActor = async (ownerId: string): Promise<Actor> => ({
        id: ownerId,
        username: (await deps.users.username(ownerId)) ?? ownerId,
        role: 'admin',
        via: 'system',
      });
      const ops = new AppOperations({
        repo,
        service,
        catalog,
        instances: deps.instances.service,
        instancesPort: deps.instances.port,
        volumes: deps.volumes,
        operations: deps.operations,
        proxmox: deps.pve,
        clock: deps.clock,
        logger: deps.logger,
        lib: builtins.lib,
        settings,
        ownerActor,
      });
      ops.register(deps.engine);
      deps.ownership.register({
        resourceType: 'apps',
        count: (userId, k) => new AppsRepository(k).countLive(userId, k),
        reassign: async (from, to, k) => {
          await new AppsRepository(k).reassign(from, to, k);
        },
      });
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'apps.health',
          intervalMs: options.healthIntervalMs ?? 60_000,
          run: (signal) => ops.refreshHealth(signal),
        });
      }
      await appsRoutes(app, { apps: service, catalog });
      return {
        service,
        catalog,
        settings,
        refreshHealth: () => ops.refreshHealth(new AbortController().signal),
      };
    },
  };
}

export const appsModule = createAppsModule();
