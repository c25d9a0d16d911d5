import type { ProxmoxConnection } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { authorize } from '../iam/index.ts';
import { apiErrorOf, type ResourceCache } from '../proxmox/index.ts';
import type { MetricsCollector } from './metrics.collector.ts';
import {
  type Consolidation,
  type NodeMetricPoint,
  type NodeMetrics,
  type NodeSummary,
  PERIOD_TIMEFRAME,
  type Period,
  type Timeframe,
} from './metrics.schemas.ts';
import { mergeRing, num, STEP } from './metrics.service.ts';

const r2 = (v: number | null, d = 2) => (v === null ? null : Number(v.toFixed(d)));

/** Host level: the cluster's nodes now (from the shared cache) and each node's RRD history. */
export class NodeMetricsService {
  constructor(
    private readonly deps: {
      cache: Pick<ResourceCache, 'get'>;
      proxmox: () => ProxmoxConnection;
      collector: MetricsCollector;
      clock: Clock;
    },
  ) {}

  async list(actor: Actor): Promise<NodeSummary[]> {
    authorize(actor, 'metrics', 'read');
    this.deps.proxmox();
    const snap = await this.deps.cache.get(5000);
    const guests = new Map<string, number>();
    for (const g of snap.guests.values()) guests.set(g.node ?? '', (guests.get(g.node ?? '') ?? 0) + 1);
    return [...snap.nodes.values()]
      .map((n) => {
        const name = n.node ?? '';
        const online = n.status === 'online';
        return {
          node: name,
          status: (online
            ? 'online'
            : n.status === 'offline'
              ? 'offline'
              : 'unknown') as NodeSummary['status'],
          cpuPercent: online ? r2((num(n.cpu) ?? 0) * 100) : null,
          cpus: Number(n.maxcpu ?? 0),
          memoryBytes: online ? Number(n.mem ?? 0) : 0,
          memoryMaxBytes: Number(n.maxmem ?? 0),
          uptimeSeconds: online ? Number(n.uptime ?? 0) : 0,
          guests: guests.get(name) ?? 0,
          storages: [...snap.storages.values()]
            .filter((s) => s.node === name)
            .map((s) => ({
              storage: s.storage ?? '',
              usedBytes: Number(s.disk ?? 0),
              sizeBytes: Number(s.maxdisk ?? 0),
            }))
            .sort((a, b) => a.storage.localeCompare(b.storage)),
        };
      })
      .sort((a, b) => a.node.localeCompare(b.node));
  }

  async metrics(
    actor: Actor,
    node: string,
    timeframeAsked: Timeframe = 'hour',
    cf: Consolidation = 'AVERAGE',
    period: Period | null = null,
  ): Promise<NodeMetrics> {
    authorize(actor, 'metrics', 'read');
    const pve = this.deps.proxmox();
    const snap = await this.deps.cache.get(5000);
    if (!snap.nodes.has(node)) throw new NotFoundError('Node', node);
    const timeframe = period ? PERIOD_TIMEFRAME[period] : timeframeAsked;
    let rows: Record<string, unknown>[];
    try {
      rows = (await pve.client.node(node).rrddata({ timeframe, cf })) as Record<string, unknown>[];
    } catch (e) {
      throw apiErrorOf(e);
    }
    let points = rows
      .map(toNodePoint)
      .filter((p): p is NodeMetricPoint => p !== null)
      .sort((a, b) => a.time.localeCompare(b.time));
    const base = { node, timeframe, period, cf };
    if (period === '5m') {
      const since = this.deps.clock.now().getTime() - 5 * 60_000;
      const ring = this.deps.collector.series('node', node, since).map(
        (s): NodeMetricPoint => ({
          time: new Date(s.time).toISOString(),
          cpuPercent: r2(s.cpuPercent),
          loadAverage: null,
          memoryBytes: r2(s.memoryBytes, 0),
          memoryMaxBytes: r2(s.memoryMaxBytes, 0),
          rootUsedBytes: null,
          rootSizeBytes: null,
          netInBytesPerSecond: null,
          netOutBytesPerSecond: null,
        }),
      );
      points = mergeRing(points, ring, since);
      if (ring.length) return { ...base, stepSeconds: this.deps.collector.intervalSeconds, points };
    }
    const step =
      points.length >= 2
        ? Math.round((Date.parse(points[1]!.time) - Date.parse(points[0]!.time)) / 1000)
        : STEP[timeframe];
    return { ...base, stepSeconds: step, points };
  }
}

export function toNodePoint(row: Record<string, unknown>): NodeMetricPoint | null {
  const time = num(row.time);
  if (time === null) return null;
  const cpu = num(row.cpu);
  return {
    time: new Date(time * 1000).toISOString(),
    cpuPercent: cpu === null ? null : r2(Math.min(100, Math.max(0, cpu * 100))),
    loadAverage: r2(num(row.loadavg)),
    memoryBytes: r2(num(row.memused), 0),
    memoryMaxBytes: r2(num(row.memtotal), 0),
    rootUsedBytes: r2(num(row.rootused), 0),
    rootSizeBytes: r2(num(row.roottotal), 0),
    netInBytesPerSecond: r2(num(row.netin)),
    netOutBytesPerSecond: r2(num(row.netout)),
  };
}
