/**
 * Metrics (CloudWatch-like): time series of instances read from Proxmox's RRD. Alarms and
 * dashboards of a later release build on this module.
 */
import type { ServerModule } from '../../deps.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { MetricsService } from './metrics.service.ts';

export { MetricsService } from './metrics.service.ts';

export const metricsModule: ServerModule = {
  name: 'metrics',
  tags: [{ name: 'metrics', description: 'Instance metrics over time (CPU, memory, network, disk I/O)' }],
  async register(app, deps) {
    const service = new MetricsService({ db: deps.db, proxmox: () => deps.proxmox });
    await metricsRoutes(app, service);
  },
};
