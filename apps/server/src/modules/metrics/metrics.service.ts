import type { ProxmoxConnection } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesPort } from '../instances/index.ts';
import { apiErrorOf } from '../proxmox/index.ts';
import type { MetricsCollector, Sample } from './metrics.collector.ts';
import {
  type Consolidation,
  type InstanceMetrics,
  type MetricPoint,
  PERIOD_TIMEFRAME,
  type Period,
  type Timeframe,
} from './metrics.schemas.ts';

/** PVE's resolution per timeframe (seconds per point), used when a series has fewer than two points. */
export const STEP: Record<Timeframe, number> = {
  hour: 60,
  day: 1800,
  week: 10800,
  month: 43200,
  year: 604800,
};

export interface MetricsDeps {
  instances: Pick<InstancesPort, 'findScoped'>;
  proxmox: () => ProxmoxConnection;
  collector: MetricsCollector;
  clock: Clock;
}

/**
 * Instance metrics, CloudWatch-style, read from Proxmox's own round-robin database
 * (`…/qemu|lxc/{vmid}/rrddata`): PVE already samples every guest each minute and keeps a year of
 * history, so ProxiCloud stores nothing of its own.
 */
export class MetricsService {
  constructor(private readonly deps: MetricsDeps) {}

  async instance(
    actor: Actor,
    id: string,
    timeframeAsked: Timeframe = 'hour',
    cf: Consolidation = 'AVERAGE',
    period: Period | null = null,
  ): Promise<InstanceMetrics> {
    const timeframe = period ? PERIOD_TIMEFRAME[period] : timeframeAsked;
    authorize(actor, 'instances', 'read');
    const row = await this.deps.instances.findScoped(actor, id);
    if (!row) throw new NotFoundError('Instance', id);
    const empty: InstanceMetrics = {
      instanceId: id,
      timeframe,
      period,
      cf,
      stepSeconds: STEP[timeframe],
      points: [],
    };
    if (row.vmid === null || row.node === null || row.status === 'terminated') return empty;
    const guest = this.deps.proxmox().client.node(row.node).guest(row.type, row.vmid);
    let series: Record<string, unknown>[];
    try {
      series = await guest.rrddata({ timeframe, cf });
    } catch (e) {
      throw apiErrorOf(e);
    }
    let points = series
      .map(toPoint)
      .filter((p): p is MetricPoint => p !== null)
      .sort((a, b) => a.time.localeCompare(b.time));
    if (period === '5m') {
      const since = this.deps.clock.now().getTime() - 5 * 60_000;
      const ring = this.deps.collector.series('guest', row.vmid, since).map(samplePoint);
      points = mergeRing(points, ring, since);
      if (ring.length) return { ...empty, stepSeconds: this.deps.collector.intervalSeconds, points };
    }
    const step =
      points.length >= 2
        ? Math.round((Date.parse(points[1]!.time) - Date.parse(points[0]!.time)) / 1000)
        : STEP[timeframe];
    return { ...empty, stepSeconds: step, points };
  }
}

export const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const round = (v: number | null, digits: number): number | null =>
  v === null ? null : Number(v.toFixed(digits));

/** One rrddata row (numbers may be absent where the guest was not running) as our point. */
export function toPoint(row: Record<string, unknown>): MetricPoint | null {
  const time = num(row.time);
  if (time === null) return null;
  const cpu = num(row.cpu);
  return {
    time: new Date(time * 1000).toISOString(),
    cpuPercent: cpu === null ? null : round(Math.min(100, Math.max(0, cpu * 100)), 2),
    memoryBytes: round(num(row.mem), 0),
    memoryMaxBytes: round(num(row.maxmem), 0),
    netInBytesPerSecond: round(num(row.netin), 2),
    netOutBytesPerSecond: round(num(row.netout), 2),
    diskReadBytesPerSecond: round(num(row.diskread), 2),
    diskWriteBytesPerSecond: round(num(row.diskwrite), 2),
  };
}

/** A collector sample as an API point (rates are null for the first sample after a start). */
export function samplePoint(s: Sample): MetricPoint {
  return {
    time: new Date(s.time).toISOString(),
    cpuPercent: round(s.cpuPercent, 2),
    memoryBytes: round(s.memoryBytes, 0),
    memoryMaxBytes: round(s.memoryMaxBytes, 0),
    netInBytesPerSecond: round(s.netInBytesPerSecond, 2),
    netOutBytesPerSecond: round(s.netOutBytesPerSecond, 2),
    diskReadBytesPerSecond: round(s.diskReadBytesPerSecond, 2),
    diskWriteBytesPerSecond: round(s.diskWriteBytesPerSecond, 2),
  };
}

/**
 * The last 5 minutes: RRD points (1 a minute) from `since` up to where the collector's ring starts,
 * then the ring's finer samples. Both sorted oldest first; the result is too.
 */
export function mergeRing<P extends { time: string }>(rrd: P[], ring: P[], since: number): P[] {
  const ringStart = ring.length ? Date.parse(ring[0]!.time) : Number.POSITIVE_INFINITY;
  const older = rrd.filter((p) => {
    const t = Date.parse(p.time);
    return t >= since && t < ringStart;
  });
  return [...older, ...ring];
}
