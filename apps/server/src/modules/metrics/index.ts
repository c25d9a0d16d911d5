/**
 * Metrics (CloudWatch-like): time series of instances read from Proxmox's RRD. Alarms and
 * dashboards of a later release build on this module.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import type { InstancesPort } from '../instances/index.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { MetricsService } from './metrics.service.ts';

export { MetricsService } from './metrics.service.ts';

export const metricsModule: ServerModule<Pick<ModuleDeps, 'pve'> & { instances: InstancesPort }> = {
  name: 'metrics',
  tags: [{ name: 'metrics', description: 'Instance metrics over time (CPU, memory, network, disk I/O)' }],
  async register(app, deps) {
    const service = new MetricsService({ instances: deps.instances, proxmox: deps.pve });
    await metricsRoutes(app, service);
  },
};
