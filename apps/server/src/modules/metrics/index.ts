/**
 * Metrics (CloudWatch-like): instance and node time series read from Proxmox's RRD, a collector
 * that samples `/cluster/resources` every 10–30 s into a bounded ring (5-minute charts, alarms),
 * and the Prometheus exporter at `GET /metrics`.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { systemActor } from '../../platform/db/repository.ts';
import type { InstancesPort, ReconcileReport } from '../instances/index.ts';
import type { Storage } from '../storage/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import { MetricsCollector, type Sample } from './metrics.collector.ts';
import { PrometheusExporter } from './metrics.exporter.ts';
import { metricsMigrations as migrations } from './metrics.migrations.ts';
import { NodeMetricsService } from './metrics.nodes.ts';
import { resourceMetricsRoutes } from './metrics.resources.routes.ts';
import {
  type ResourceSample,
  ResourceSampler,
  SAMPLE_INTERVAL_SECONDS,
  type VolumeRef,
} from './metrics.resources.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { exporterRoute } from './metrics.scrape.ts';
import { MetricsService } from './metrics.service.ts';

export { FIELDS as METRIC_FIELDS, MetricsCollector, type Sample } from './metrics.collector.ts';
export { PrometheusExporter } from './metrics.exporter.ts';
export type { ResourceSample } from './metrics.resources.ts';
export { MetricsService } from './metrics.service.ts';

/** Retention of the collector's ring (documented in docs/monitoring.md). */
export const COLLECTOR_RETENTION_SECONDS = 1800;

/** What other modules (alarms, the health map) read: the collector's samples and passes. */
export interface MetricsPort {
  readonly intervalSeconds: number;
  readonly retentionSeconds: number;
  series(kind: 'guest' | 'node', key: number | string, sinceMs?: number): Sample[];
  /** Called after every collector pass (alarms evaluate there). */
  onPass(listener: () => void | Promise<void>): void;
  latest: MetricsCollector['latest'];
  /** Volume and bucket samples (every minute, last 30 minutes in memory). */
  resources: {
    readonly intervalSeconds: number;
    series(kind: 'volume' | 'bucket', id: string, sinceMs?: number): ResourceSample[];
    /** The bucket's id and owner as last sampled (buckets are named in alarms). */
    bucket(name: string): { id: string; ownerId: string } | null;
  };
}

export interface MetricsExports {
  port: MetricsPort;
  collector: MetricsCollector;
  exporter: PrometheusExporter;
  sampler: ResourceSampler;
}

type MetricsDeps = Pick<
  ModuleDeps,
  'pve' | 'proxmox' | 'cache' | 'clock' | 'config' | 'jobs' | 'bus' | 'authenticator' | 'db' | 'logger'
> & {
  instances: InstancesPort;
  volumes: VolumesExports;
  storage: Storage;
  reconciler: () => ReconcileReport | null;
};

export const metricsModule: ServerModule<MetricsDeps, MetricsExports> = {
  name: 'metrics',
  prefix: '',
  migrations,
  tags: [
    { name: 'metrics', description: 'Instance and node metrics over time (CPU, memory, network, disk I/O)' },
  ],
  async register(app, deps) {
    const collector = new MetricsCollector(
      { cache: deps.cache, clock: deps.clock },
      deps.config.metricsIntervalSeconds,
      COLLECTOR_RETENTION_SECONDS,
    );
    const service = new MetricsService({
      instances: deps.instances,
      proxmox: deps.pve,
      collector,
      clock: deps.clock,
    });
    const nodes = new NodeMetricsService({
      cache: deps.cache,
      proxmox: deps.pve,
      collector,
      clock: deps.clock,
    });
    await app.register(async (scope) => metricsRoutes(scope, service, nodes), { prefix: '/api/v1' });
    const sampler = new ResourceSampler({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      proxmox: deps.proxmox ? deps.pve : null,
      volumes: async () => {
        const out: VolumeRef[] = [];
        for (let offset = 0; ; offset += 500) {
          const page = await deps.volumes.service.list(
            systemActor,
            { status: ['available', 'in-use', 'attaching', 'detaching'] },
            { limit: 500, offset },
          );
          out.push(...page.items);
          if (page.items.length < 500) return out;
        }
      },
      buckets: () => deps.storage.bucketUsage(),
    });
    await app.register(
      async (scope) =>
        resourceMetricsRoutes(scope, { db: deps.db, sampler, volumes: deps.volumes, storage: deps.storage }),
      { prefix: '/api/v1' },
    );
    deps.jobs.register({
      name: 'metrics.resources',
      intervalMs: SAMPLE_INTERVAL_SECONDS * 1000,
      run: async () => {
        await sampler.sample();
      },
    });

    // reconciler passes are noticed when its report object changes (checked each collector pass)
    let seenReport: ReconcileReport | null = null;
    let lastPassAt: number | null = null;
    const reconciler = () => {
      const report = deps.reconciler();
      if (report && report !== seenReport) {
        seenReport = report;
        lastPassAt = deps.clock.now().getTime();
      }
      return { lastReport: report, lastPassAt };
    };
    collector.onPass(() => void reconciler());
    const exporter = new PrometheusExporter({
      collector,
      instances: async () =>
        (await deps.instances.liveRows()).map((r) => ({
          id: r.id,
          name: r.name,
          ownerId: r.owner_id,
          vmid: r.vmid,
        })),
      bus: deps.bus,
      resources: sampler,
      reconciler,
      now: () => deps.clock.now().getTime(),
    });
    await exporterRoute(app, exporter, { config: deps.config, authenticator: deps.authenticator });
    app.addHook('onClose', async () => exporter.close());

    if (deps.proxmox) {
      deps.jobs.register({
        name: 'metrics.collect',
        intervalMs: deps.config.metricsIntervalSeconds * 1000,
        run: async () => {
          await collector.collect();
        },
      });
    }
    const port: MetricsPort = {
      intervalSeconds: collector.intervalSeconds,
      retentionSeconds: collector.retentionSeconds,
      series: (kind, key, since) => collector.series(kind, key, since),
      onPass: (l) => collector.onPass(l),
      get latest() {
        return collector.latest;
      },
      resources: {
        intervalSeconds: SAMPLE_INTERVAL_SECONDS,
        series: (kind, id, since) => sampler.series(kind, id, since),
        bucket: (name) => {
          const b = sampler.latestBuckets.find((x) => x.usage.name === name);
          return b ? { id: b.usage.id, ownerId: b.usage.ownerId } : null;
        },
      },
    };
    return { port, collector, exporter, sampler };
  },
};
