/**
 * Volumes (EBS-style): persistent ZFS-backed disks, their attachment to instances, and snapshots.
 * Uses the instances port (lock, find, publish an instance) and registers itself as an instance
 * dependent (terminate detaches every volume first; volumes outlive their instance).
 */
import type { ResourceModuleDeps, ServerModule } from '../../deps.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import { VolumeAttachmentsService } from './volumes.attachments.ts';
import { volumesMigrations as migrations } from './volumes.migrations.ts';
import { VolumeOperations } from './volumes.operations.ts';
import { VolumesRepository } from './volumes.repository.ts';
import { volumesRoutes } from './volumes.routes.ts';
import { VolumesService } from './volumes.service.ts';
import { VolumeSnapshotsService } from './volumes.snapshots.ts';
import { volumePublisher } from './volumes.views.ts';

export type { VolumesService } from './volumes.service.ts';

export type VolumesDeps = ResourceModuleDeps & { instances: InstancesPort; quotas: QuotasService };

export interface VolumesExports {
  service: VolumesService;
  attachments: VolumeAttachmentsService;
  snapshots: VolumeSnapshotsService;
  ops: VolumeOperations;
}

export const volumesModule: ServerModule<VolumesDeps, VolumesExports> = {
  name: 'volumes',
  tags: [
    { name: 'volumes', description: 'Persistent volumes (EBS-style) and volume types' },
    { name: 'snapshots', description: 'Volume snapshots (ZFS)' },
  ],
  migrations,
  async register(app, deps) {
    const { db, clock, logger, cache, instances } = deps;
    deps.locks.register('volumes');
    deps.bus.registerResource('volume');
    deps.bus.registerResource('snapshot');
    const repo = new VolumesRepository(db.kysely);
    const publishVolume = volumePublisher(repo, deps.bus);
    const ops = new VolumeOperations({
      repo,
      instances,
      cache,
      clock,
      logger,
      proxmox: deps.pve,
      publishVolume,
    });
    ops.register(deps.engine);
    instances.registerDependent(ops.port);
    const serviceDeps = {
      db,
      clock,
      logger,
      audit: deps.audit,
      bus: deps.bus,
      engine: deps.engine,
      locks: deps.locks,
      repo,
      instances,
      quotas: deps.quotas,
      inventory: deps.inventory,
      cache,
      ops,
      proxmox: deps.pve,
      publishVolume,
    };
    const service = new VolumesService(serviceDeps);
    const attachments = new VolumeAttachmentsService({ ...serviceDeps, volumes: service });
    const snapshots = new VolumeSnapshotsService({ ...serviceDeps, volumes: service });
    deps.quotas.registerUsage({
      name: 'volumes',
      usage: (userId, k) => new VolumesRepository(k).usage(userId),
    });
    await volumesRoutes(app, { volumes: service, attachments, snapshots });
    deps.ownership.register({
      resourceType: 'volumes',
      count: (userId, k) => new VolumesRepository(k).countLive(userId),
      reassign: (from, to, k) => new VolumesRepository(k).reassign(from, to),
    });
    return { service, attachments, snapshots, ops };
  },
};
