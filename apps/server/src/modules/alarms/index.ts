/**
 * Alarms inside ProxiCloud (CloudWatch-like, no Prometheus needed): a condition on a metric of an
 * instance, node, volume or bucket, evaluated after every collector pass over the collected samples, with states
 * OK / ALARM / INSUFFICIENT_DATA, a history of transitions and notifications on each transition.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { MetricsPort } from '../metrics/index.ts';
import type { NotificationsPort } from '../notifications/index.ts';
import type { Storage } from '../storage/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import { alarmsMigrations as migrations } from './alarms.migrations.ts';
import { AlarmsRepository } from './alarms.repository.ts';
import { alarmsRoutes } from './alarms.routes.ts';
import { AlarmsService } from './alarms.service.ts';

export { type Alarm, AlarmsService } from './alarms.service.ts';

export const alarmsModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'bus' | 'ownership' | 'logger' | 'jobs' | 'proxmox'> & {
    instances: InstancesPort;
    metrics: MetricsPort;
    notifications: NotificationsPort;
    volumes: VolumesExports;
    storage: Storage;
  },
  AlarmsService
> = {
  name: 'alarms',
  tags: [
    {
      name: 'alarms',
      description: 'Alarms on instance, node, volume and bucket metrics, with notifications',
    },
  ],
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('alarm');
    const service = new AlarmsService({
      db: deps.db,
      repo: new AlarmsRepository(deps.db.kysely),
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      bus: deps.bus,
      instances: deps.instances,
      metrics: deps.metrics,
      notifications: deps.notifications,
      volumes: deps.volumes,
      storage: deps.storage,
    });
    await alarmsRoutes(app, service);
    deps.ownership.register({
      resourceType: 'alarms',
      count: (userId, k) => new AlarmsRepository(k).countOwned(userId),
      reassign: (from, to, k) => new AlarmsRepository(k).reassign(from, to),
    });
    if (deps.proxmox) {
      deps.jobs.register({
        name: 'alarms.evaluate',
        leaderOnly: true,
        intervalMs: deps.metrics.intervalSeconds * 1000,
        runAtStart: false,
        run: async () => {
          await service.evaluateAll();
        },
      });
    }
    return service;
  },
};
