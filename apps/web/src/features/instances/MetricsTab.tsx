// The instance page's Metrics tab. Loaded on demand (React.lazy): the chart library stays out of the
// console's first download.
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { Alert, Button } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { ChartGrid, cpuChart, memoryChart, networkChart, updatedLabel } from '../monitoring/ChartGrid.tsx';
import { MetricChart, SegmentedPicker, type ChartSpec as SharedSpec } from '../monitoring/MetricChart.tsx';
import type { Instance } from './api.ts';
import {
  type ChartRow,
  hasSamples,
  instanceMetricsQuery,
  METRICS_REFRESH_MS,
  TIMEFRAMES,
  type Timeframe,
  timeframeLabels,
  toChartRows,
} from './metrics.ts';

type ChartSpec = SharedSpec<ChartRow>;

/** The instance charts; /monitoring/metrics draws the same ones. */
export const INSTANCE_CHARTS: ChartSpec[] = [
  cpuChart(),
  memoryChart(),
  networkChart(),
  {
    title: 'Disk',
    kind: 'rate',
    series: [
      { key: 'diskRead', name: 'Read', color: '#06b6d4' },
      { key: 'diskWrite', name: 'Write', color: '#e11d48' },
    ],
  },
];

function TimeframePicker({ value, onChange }: { value: Timeframe; onChange: (t: Timeframe) => void }) {
  return (
    <SegmentedPicker
      legend="Timeframe"
      name="metrics-timeframe"
      values={TIMEFRAMES}
      labels={timeframeLabels}
      value={value}
      onChange={onChange}
    />
  );
}

function emptyText(
  instance: Instance,
  timeframe: Timeframe,
  anyPoints: boolean,
  step: number,
): { title: string; body: ReactNode } {
  if (!anyPoints) {
    if (instance.status === 'terminated' || instance.status === 'terminating')
      return {
        title: 'No metrics for a terminated instance',
        body: 'Its guest is gone from Proxmox, and so is its history.',
      };
    return {
      title: 'No metrics yet',
      body: 'Proxmox starts recording once the guest exists; the first point appears about a minute later.',
    };
  }
  if (instance.status === 'running')
    return {
      title: 'Collecting the first samples',
      body: `In this window Proxmox writes one point at the end of every ${describeStep(step)}; the charts fill in as points arrive (checked every ${METRICS_REFRESH_MS / 1000} s).${timeframe === 'hour' ? '' : ' Hour shows the latest minutes.'}`,
    };
  return {
    title: `No samples in the last ${timeframe}`,
    body: 'The instance was not running in this window. Start it, or pick a longer timeframe to see its history.',
  };
}

export default function MetricsTab({ instance }: { instance: Instance }) {
  const [timeframe, setTimeframe] = useState<Timeframe>('hour');
  const q = useQuery(instanceMetricsQuery(instance.id, timeframe));
  const rows = useMemo(() => toChartRows(q.data?.points ?? []), [q.data]);

  const empty =
    q.data && !hasSamples(rows) ? emptyText(instance, timeframe, rows.length > 0, q.data.stepSeconds) : null;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <TimeframePicker value={timeframe} onChange={setTimeframe} />
        <p className="flex items-center gap-2 text-xs text-muted">
          <span aria-live="polite">{updatedLabel(q.dataUpdatedAt)}</span>
          <Button size="sm" onClick={() => void q.refetch()} loading={q.isFetching} disabled={q.isFetching}>
            Refresh
          </Button>
        </p>
      </div>
      {q.error && q.data ? (
        <Alert title="Could not refresh metrics">{describeError(q.error)} Showing the last answer.</Alert>
      ) : null}
      <ChartGrid
        loading={!q.data && !q.error}
        error={q.error && !q.data ? q.error : null}
        empty={empty}
        placeholders={INSTANCE_CHARTS.length}
      >
        {INSTANCE_CHARTS.map((c) => (
          <MetricChart key={c.title} spec={c} rows={rows} timeframe={timeframe} />
        ))}
      </ChartGrid>
      <p className="text-xs text-muted">
        From Proxmox's round-robin database (
        {q.data ? `one point every ${describeStep(q.data.stepSeconds)}` : '…'}, averaged). CPU is the share of
        all {instance.vcpu} vCPU{instance.vcpu === 1 ? '' : 's'}; gaps are times without a sample (the guest
        was stopped). Sizes in binary units (1 KiB = 1,024 bytes).
      </p>
    </div>
  );
}

function describeStep(s: number): string {
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round(s / 3600)} h`;
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)} d`;
  return `${Math.round(s / (7 * 86_400))} wk`;
}
