// /monitoring/metrics: node charts (CPU, memory, load, network), for a picked instance the same
// charts as its Metrics tab, and volume / bucket charts; periods 5 min … 1 month, refreshed every 30 s.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, PageHeader, Select } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { INSTANCE_CHARTS } from '../instances/MetricsTab.tsx';
import { hasSamples, toChartRows } from '../instances/metrics.ts';
import {
  instanceMetricsByPeriodQuery,
  instanceOptionsQuery,
  type NodeMetrics,
  nodeMetricsQuery,
  nodesQuery,
  PERIODS,
  type Period,
  periodLabels,
  periodTimeframe,
} from './api.ts';
import { ChartGrid, cpuChart, memoryChart, networkChart, updatedLabel } from './ChartGrid.tsx';
import { type ChartSpec, MetricChart, SegmentedPicker } from './MetricChart.tsx';
import { StorageMetrics } from './StorageMetrics.tsx';

interface NodeRow {
  t: number;
  cpu: number | null;
  mem: number | null;
  memBytes: number | null;
  memMaxBytes: number | null;
  load: number | null;
  netIn: number | null;
  netOut: number | null;
  rootUsed: number | null;
  rootSize: number | null;
}

const NODE_CHARTS: ChartSpec<NodeRow>[] = [
  cpuChart(),
  memoryChart(),
  {
    title: 'Load average (1 min)',
    kind: 'number',
    series: [{ key: 'load', name: 'Load', color: '#f59e0b' }],
  },
  networkChart(),
  {
    title: 'Root disk',
    kind: 'bytes',
    series: [
      { key: 'rootUsed', name: 'Used', color: '#3b82f6' },
      { key: 'rootSize', name: 'Size', color: '#a1a1aa' },
    ],
    detail: (r) =>
      r.rootUsed !== null && r.rootSize ? `${((100 * r.rootUsed) / r.rootSize).toFixed(1)} % used` : null,
  },
];

const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function toNodeRows(points: NodeMetrics['points']): NodeRow[] {
  return points.map((p) => {
    const memBytes = num(p.memoryBytes);
    const memMaxBytes = num(p.memoryMaxBytes);
    return {
      t: new Date(p.time).getTime(),
      cpu: num(p.cpuPercent),
      mem: memBytes !== null && memMaxBytes ? (memBytes / memMaxBytes) * 100 : null,
      memBytes,
      memMaxBytes,
      load: num(p.loadAverage),
      netIn: num(p.netInBytesPerSecond),
      netOut: num(p.netOutBytesPerSecond),
      rootUsed: num(p.rootUsedBytes),
      rootSize: num(p.rootSizeBytes),
    };
  });
}

function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <SegmentedPicker
      legend="Period"
      name="monitoring-period"
      values={PERIODS}
      labels={periodLabels}
      value={value}
      onChange={onChange}
    />
  );
}

const NO_SAMPLES = {
  title: 'No samples in this period',
  body: "Pick a longer period, or wait for the collector's next pass (every 10–30 s).",
};

export default function MetricsPage() {
  const [params, setParams] = useSearchParams();
  const period = (PERIODS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as Period)
    : '1h';
  const nodes = useQuery(nodesQuery());
  const node = params.get('node') ?? nodes.data?.items[0]?.node ?? '';
  const instanceId = params.get('instance') ?? '';
  const instances = useQuery(instanceOptionsQuery());
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const nodeQ = useQuery({ ...nodeMetricsQuery(node, period), enabled: node !== '' });
  const nodeRows = useMemo(() => toNodeRows(nodeQ.data?.points ?? []), [nodeQ.data]);
  const instQ = useQuery({ ...instanceMetricsByPeriodQuery(instanceId, period), enabled: instanceId !== '' });
  const instRows = useMemo(() => toChartRows(instQ.data?.points ?? []), [instQ.data]);
  const timeframe = periodTimeframe[period];
  const picked = instances.data?.items.find((i) => i.id === instanceId);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Monitoring"
        title="Metrics"
        description="Nodes, instances, volumes and buckets over time. 5 min uses the collector's 10–30 s samples; longer periods come from Proxmox's RRD."
      />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PeriodPicker value={period} onChange={(p) => set('period', p)} />
        <p className="text-xs text-muted" aria-live="polite">
          {updatedLabel(nodeQ.dataUpdatedAt)}
        </p>
      </div>

      <section className="flex flex-col gap-3" aria-labelledby="node-metrics">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="node-metrics" className="text-lg font-semibold">
            Node {node}
          </h2>
          <Select
            label="Node"
            value={node}
            onChange={(e) => set('node', e.target.value)}
            options={(nodes.data?.items ?? []).map((n) => ({
              value: n.node,
              label: `${n.node} (${n.status})`,
            }))}
          />
        </div>
        {nodes.error ? <Alert title="Could not load nodes">{describeError(nodes.error)}</Alert> : null}
        <ChartGrid
          loading={!nodeQ.data && !nodeQ.error}
          error={nodeQ.error && !nodeQ.data ? nodeQ.error : null}
          empty={nodeRows.some((r) => r.cpu !== null || r.mem !== null) ? null : NO_SAMPLES}
        >
          {NODE_CHARTS.map((c) => (
            <MetricChart key={c.title} spec={c} rows={nodeRows} timeframe={timeframe} />
          ))}
        </ChartGrid>
      </section>

      <section className="flex flex-col gap-3" aria-labelledby="instance-metrics">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="instance-metrics" className="text-lg font-semibold">
            {picked ? `Instance ${picked.name}` : 'Instance'}
          </h2>
          <Select
            label="Instance"
            value={instanceId}
            onChange={(e) => set('instance', e.target.value)}
            options={[
              { value: '', label: 'Choose an instance…' },
              ...(instances.data?.items ?? [])
                .filter((i) => i.status !== 'terminated')
                .map((i) => ({ value: i.id, label: `${i.name} (${i.id})` })),
            ]}
          />
        </div>
        {instanceId ? (
          <ChartGrid
            loading={!instQ.data && !instQ.error}
            error={instQ.error && !instQ.data ? instQ.error : null}
            empty={hasSamples(instRows) ? null : NO_SAMPLES}
          >
            {INSTANCE_CHARTS.map((c) => (
              <MetricChart key={c.title} spec={c} rows={instRows} timeframe={timeframe} />
            ))}
          </ChartGrid>
        ) : (
          <p className="text-sm text-muted">
            Pick an instance to see its CPU, memory, network and disk charts.
          </p>
        )}
      </section>

      <StorageMetrics
        period={period}
        volumeId={params.get('volume') ?? ''}
        bucket={params.get('bucket') ?? ''}
        set={set}
      />
    </div>
  );
}
