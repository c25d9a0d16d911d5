import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { instancesKey } from './api.ts';

/** The windows `GET /instances/{id}/metrics` serves (Proxmox's RRD resolutions). */
export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const timeframeLabels: Record<Timeframe, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: 'Month',
  year: 'Year',
};

/** How often the Metrics tab reads the series again (Proxmox adds a point every minute). */
export const METRICS_REFRESH_MS = 30_000;

const fetchMetrics = (id: string, timeframe: Timeframe) =>
  call(() => api.GET('/api/v1/instances/{id}/metrics', { params: { path: { id }, query: { timeframe } } }));
export type InstanceMetrics = Awaited<ReturnType<typeof fetchMetrics>>;
export type MetricPoint = InstanceMetrics['points'][number];

/** Same key as the dashboard's sparklines for the hour, so the two share one cache entry. */
export const instanceMetricsQuery = (id: string, timeframe: Timeframe) =>
  queryOptions({
    queryKey: [...instancesKey, 'metrics', id, timeframe] as const,
    queryFn: () => fetchMetrics(id, timeframe),
    refetchInterval: METRICS_REFRESH_MS,
    staleTime: 15_000,
  });

/** One point as the charts draw it: `null` leaves a gap (no sample: the guest was stopped). */
export interface ChartRow {
  /** Epoch milliseconds. */
  t: number;
  cpu: number | null;
  /** Memory in use, percent of the guest's memory. */
  mem: number | null;
  memBytes: number | null;
  memMaxBytes: number | null;
  netIn: number | null;
  netOut: number | null;
  diskRead: number | null;
  diskWrite: number | null;
}

const finite = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export function toChartRows(points: readonly MetricPoint[]): ChartRow[] {
  return points.map((p) => {
    const memBytes = finite(p.memoryBytes);
    const memMaxBytes = finite(p.memoryMaxBytes);
    return {
      t: new Date(p.time).getTime(),
      cpu: finite(p.cpuPercent),
      mem: memBytes !== null && memMaxBytes ? (memBytes / memMaxBytes) * 100 : null,
      memBytes,
      memMaxBytes,
      netIn: finite(p.netInBytesPerSecond),
      netOut: finite(p.netOutBytesPerSecond),
      diskRead: finite(p.diskReadBytesPerSecond),
      diskWrite: finite(p.diskWriteBytesPerSecond),
    };
  });
}

/** True when at least one point has a sample (otherwise the charts would be empty frames). */
export function hasSamples(rows: readonly ChartRow[]): boolean {
  return rows.some((r) => r.cpu !== null || r.mem !== null || r.netIn !== null || r.diskRead !== null);
}

/** The newest non-null value of a series, for the chart's heading. */
export function latest(rows: readonly ChartRow[], key: keyof Omit<ChartRow, 't'>): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i]?.[key];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units, as Proxmox uses: "0 B", "512 B", "1.5 KiB", "12 MiB". */
export function formatBinary(bytes: number): string {
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1024 && i < BINARY_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${Number(v.toFixed(digits))} ${BINARY_UNITS[i]}`;
}

/** "1.5 KiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBinary(bytesPerSecond)}/s`;
}

/** "12.5 %", "0.3 %", "100 %". */
export function formatPercent(v: number): string {
  return `${Number(v.toFixed(v >= 10 ? 0 : 1))} %`;
}

/**
 * Labels for the time axis, fitted to the window: clock times within a day, days beyond. The
 * time zone is the browser's (pass one for tests).
 */
export function timeTickFormatter(
  timeframe: Timeframe,
  opts: { locale?: string; timeZone?: string } = {},
): (t: number) => string {
  const base = { ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) };
  const fmt = new Intl.DateTimeFormat(
    opts.locale,
    timeframe === 'hour' || timeframe === 'day'
      ? { ...base, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : timeframe === 'week'
        ? { ...base, weekday: 'short', day: 'numeric' }
        : timeframe === 'month'
          ? { ...base, day: 'numeric', month: 'short' }
          : { ...base, month: 'short', year: '2-digit' },
  );
  return (t) => fmt.format(new Date(t));
}

/** The full time of a point, for the tooltip. */
export function formatPointTime(t: number, opts: { locale?: string; timeZone?: string } = {}): string {
  return new Intl.DateTimeFormat(opts.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  }).format(new Date(t));
}

/**
 * Y-axis ticks for a byte rate: multiples of a binary unit, so the axis reads "0, 512 B/s, 1 KiB/s"
 * instead of "0, 1000, 2000". Returns the ticks and the top of the domain.
 */
export function rateTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1024];
  const raw = max / count;
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(raw) / Math.log(1024)));
  const steps = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256, 500, 512, 1000, 1024];
  const step = (steps.find((s) => s * unit >= raw) ?? 1024) * unit;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}
