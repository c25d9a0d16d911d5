/**
 * Backups (AWS Backup-style, on Proxmox's own tools): policies with a schedule (presets or cron +
 * time zone, fired by the persisted scheduler), targets (instances → vzdump; volumes → ZFS
 * snapshots through the volumes module), PVE prune-backups retention applied after a successful
 * backup, runs as operations, recovery points and restores (new or over the original), "Back up
 * now", quota usage and notifications through a small port.
 */
import type { ModuleDeps, ResourceModuleDeps, ServerModule } from '../../deps.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { NotificationsPort } from '../notifications/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import { NodeLimiter } from './backups.limiter.ts';
import { backupsMigrations as migrations } from './backups.migrations.ts';
import type { BackupNotifier } from './backups.notify.ts';
import { BackupsRepository } from './backups.repository.ts';
import { BackupRestores } from './backups.restore.ts';
import { backupsRoutes } from './backups.routes.ts';
import { BackupRunner } from './backups.runner.ts';
import { BackupRunsService } from './backups.runs.ts';
import { BackupsService, type BackupsServiceDeps, SCHEDULE_KIND } from './backups.service.ts';
import { toPoint, toRun } from './backups.views.ts';

export type { BackupEvent, BackupNotification, BackupNotifier } from './backups.notify.ts';
export type { BackupRunsService } from './backups.runs.ts';
export type { BackupsService } from './backups.service.ts';

export type BackupsDeps = ResourceModuleDeps &
  Pick<ModuleDeps, 'scheduler' | 'users' | 'config'> & {
    instances: InstancesPort;
    volumes: VolumesExports;
    quotas: QuotasService;
    /** Delivery of failure/success/missed notifications to the owner's channels. */
    notifications: NotificationsPort;
  };

export interface BackupsExports {
  service: BackupsService;
  runs: BackupRunsService;
  runner: BackupRunner;
  restores: BackupRestores;
  /** vzdump tasks at once per node across all servers (default 1, like PVE's own job runner). */
  limiter: NodeLimiter;
}

export interface BackupsOptions {
  /** PVE storage for backups when a policy names none (default `local`, PVE's dump storage). */
  defaultStorage?: string;
  perNodeConcurrency?: number;
  /** How often a run waiting for a node slot looks for one freed by another server (default 2 s). */
  slotPollMs?: number;
  /** Dataset for `zfs send` copies of volume snapshots (default: config PROXICLOUD_BACKUP_ZFS_DATASET). */
  zfsSendDataset?: string | null;
}

export function createBackupsModule(options: BackupsOptions = {}): ServerModule<BackupsDeps, BackupsExports> {
  return {
    name: 'backups',
    tags: [{ name: 'backups', description: 'Backup policies, runs, recovery points and restores' }],
    migrations,
    async register(app, deps) {
      const { db, clock, logger } = deps;
      deps.locks.register('recovery_points');
      deps.bus.registerResource('backup_run');
      deps.bus.registerResource('recovery_point');
      // live progress: every run/point change goes to the owner's event stream (/api/v1/events)
      const reader = new BackupsRepository(db.kysely);
      const publish = async (
        resource: 'backup_run' | 'recovery_point',
        id: string,
        type: 'created' | 'updated',
      ) => {
        if (resource === 'backup_run') {
          const row = await reader.findRun(id);
          if (row)
            deps.bus.publish({
              type: `backup_run.${type}`,
              resource,
              resourceId: id,
              ownerId: row.owner_id,
              data: toRun(row),
            });
          return;
        }
        const row = await reader.findPoint(id);
        if (!row) return;
        deps.bus.publish(
          row.status === 'deleted'
            ? {
                type: 'recovery_point.deleted',
                resource,
                resourceId: id,
                ownerId: row.owner_id,
                data: { id },
              }
            : {
                type: `recovery_point.${type}`,
                resource,
                resourceId: id,
                ownerId: row.owner_id,
                data: toPoint(row),
              },
        );
      };
      const repo = new BackupsRepository(db.kysely, {
        changed: (resource, id, type) => {
          publish(resource, id, type).catch((err: unknown) =>
            logger.debug({ err, resource, id }, 'backup event not published'),
          );
        },
      });
      const notifier: BackupNotifier = {
        notify: async (n) => {
          await deps.notifications.notify(n);
        },
      };
      const limiter = new NodeLimiter({
        db: db.kysely,
        clock,
        limit: options.perNodeConcurrency ?? 1,
        pollMs: options.slotPollMs,
      });
      const defaultStorage = () => options.defaultStorage ?? 'local';
      const zfsSendDataset = () =>
        options.zfsSendDataset !== undefined
          ? options.zfsSendDataset
          : (deps.config.backupZfsDataset ?? null);
      const ownerActor = async (ownerId: string): Promise<Actor> => ({
        id: ownerId,
        username: (await deps.users.username(ownerId)) ?? ownerId,
        role: 'admin',
        via: 'system',
      });
      const backupStorages = async (): Promise<string[]> => {
        const { client } = deps.pve();
        const nodes = await client.nodes.list();
        const node = nodes.find((n) => n.status === 'online')?.node ?? nodes[0]?.node;
        if (!node) return [];
        const list = await deps.inventory.storagesOf(node);
        return list
          .filter((s) =>
            String(s.content ?? '')
              .split(',')
              .includes('backup'),
          )
          .map((s) => s.storage);
      };
      const serviceDeps: BackupsServiceDeps = {
        db,
        clock,
        logger,
        audit: deps.audit,
        engine: deps.engine,
        scheduler: deps.scheduler,
        repo,
        instances: deps.instances,
        volumes: deps.volumes,
        notifier,
        quotas: deps.quotas,
        assertChannels: (ownerId, ids) => deps.notifications.assertChannels(ownerId, ids),
        backupStorages,
        defaultStorage,
        zfsSendDataset,
      };
      const service = new BackupsService(serviceDeps);
      const runs = new BackupRunsService({ ...serviceDeps, policies: service, ownerActor });
      const runner = new BackupRunner({
        repo,
        clock,
        logger,
        proxmox: deps.pve,
        instances: deps.instances,
        volumes: deps.volumes,
        notifier,
        limiter,
        defaultStorage,
        zfsSendDataset,
        ownerActor,
      });
      runner.register(deps.engine);
      const restores = new BackupRestores({
        db,
        clock,
        logger,
        engine: deps.engine,
        repo,
        service,
        instances: deps.instances,
        volumes: deps.volumes,
        proxmox: deps.pve,
        ownerActor,
      });
      restores.register(deps.engine);

      deps.scheduler.register(SCHEDULE_KIND, (run) => runs.onSchedule(run));

      const deletePoint = async (ctx: Parameters<BackupRestores['restore']>[0], id: string) => {
        authorize(ctx.actor, 'backups', 'delete');
        const p = await service.scopedPoint(ctx.actor, id);
        if (!p) throw new NotFoundError('Recovery point', id);
        if (p.active_operation_id)
          throw new ConflictError(`Recovery point ${id} is being restored`, undefined, 'restore_in_progress');
        await runner.deletePoint({ ...ctx, actor: await ownerActor(p.owner_id) }, p);
        await service.audit(ctx, 'backups.recovery_point.delete', 'recovery_point', id, {
          resourceId: p.resource_id,
          volid: p.volid,
          snapshotId: p.snapshot_id,
        });
      };
      await backupsRoutes(app, { service, runs, restores, deletePoint });

      deps.quotas.registerUsage({
        name: 'backups',
        usage: async (userId, k) => ({
          backupGib:
            Math.round(((await new BackupsRepository(k).storedBytes(userId)) / 2 ** 30) * 1000) / 1000,
        }),
      });
      deps.ownership.register({
        resourceType: 'backup_policies',
        count: (userId, k) => new BackupsRepository(k).countPolicies(userId),
        reassign: (from, to, k) => new BackupsRepository(k).reassign(from, to),
      });
      return { service, runs, runner, restores, limiter };
    },
  };
}

export const backupsModule = createBackupsModule();
