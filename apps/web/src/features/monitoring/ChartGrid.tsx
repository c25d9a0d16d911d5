// Shared by the instance Metrics tab and /monitoring/metrics: the charts every guest and node has
// (CPU, memory, network), the grid of chart cards with its loading, error and empty states, and the
// "Updated …" line.
import type { ReactNode } from 'react';
import { ChartIcon } from '../../components/icons.tsx';
import { Alert, EmptyState, Skeleton } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatBinary } from '../instances/metrics.ts';
import type { ChartSpec } from './MetricChart.tsx';

type CpuRow = { t: number; cpu: number | null };
type MemoryRow = { t: number; mem: number | null; memBytes: number | null; memMaxBytes: number | null };
type NetworkRow = { t: number; netIn: number | null; netOut: number | null };

export function cpuChart<R extends CpuRow>(): ChartSpec<R> {
  return { title: 'CPU', kind: 'percent', series: [{ key: 'cpu', name: 'CPU', color: '#3b82f6' }] };
}

/** Memory in use as a percentage, with "460 MiB of 1 GiB" in the tooltip. */
export function memoryChart<R extends MemoryRow>(): ChartSpec<R> {
  return {
    title: 'Memory',
    kind: 'percent',
    series: [{ key: 'mem', name: 'Memory', color: '#8b5cf6' }],
    detail: (r) =>
      r.memBytes !== null && r.memMaxBytes
        ? `${formatBinary(r.memBytes)} of ${formatBinary(r.memMaxBytes)}`
        : null,
  };
}

export function networkChart<R extends NetworkRow>(): ChartSpec<R> {
  return {
    title: 'Network',
    kind: 'rate',
    series: [
      { key: 'netIn', name: 'In', color: '#10b981' },
      { key: 'netOut', name: 'Out', color: '#f97316' },
    ],
  };
}

/** "Updated 14:05:09 · refreshes every 30 s" (or "Loading…" before the first answer). */
export function updatedLabel(dataUpdatedAt: number): string {
  return `${
    dataUpdatedAt
      ? `Updated ${new Date(dataUpdatedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`
      : 'Loading…'
  } · refreshes every 30 s`;
}

/** Chart cards two to a row from lg up; a placeholder per chart while loading, or the error, or why empty. */
export function ChartGrid({
  children,
  loading,
  error,
  empty,
  placeholders = 4,
}: {
  children: ReactNode;
  loading: boolean;
  error: unknown;
  /** Shown instead of the charts when there is nothing to draw (null: draw them). */
  empty: { title: ReactNode; body: ReactNode } | null;
  placeholders?: number;
}) {
  if (error) return <Alert title="Could not load metrics">{describeError(error)}</Alert>;
  if (loading)
    return (
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {Array.from({ length: placeholders }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
          <Skeleton key={i} className="h-64 w-full" />
        ))}
      </div>
    );
  if (empty)
    return (
      <div className="rounded-lg border border-line bg-panel">
        <EmptyState icon={<ChartIcon />} title={empty.title}>
          {empty.body}
        </EmptyState>
      </div>
    );
  return <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">{children}</div>;
}
