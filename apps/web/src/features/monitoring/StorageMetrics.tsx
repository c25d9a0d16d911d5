// /monitoring/metrics, lower half: a volume's used space vs its size and a bucket's objects and
// bytes over the chosen period (sampled every minute by the server; PVE keeps no history of these).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Alert, Select } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatBinary } from '../instances/metrics.ts';
import {
  bucketMetricsQuery,
  bucketOptionsQuery,
  type Period,
  periodTimeframe,
  volumeMetricsQuery,
  volumeOptionsQuery,
} from './api.ts';
import { type ChartSpec, MetricChart } from './MetricChart.tsx';

interface VolumeRow {
  t: number;
  used: number | null;
  size: number | null;
}
interface BucketRow {
  t: number;
  objects: number | null;
  bytes: number | null;
}

const VOLUME_CHART: ChartSpec<VolumeRow> = {
  title: 'Used vs size',
  kind: 'bytes',
  series: [
    { key: 'used', name: 'Used', color: '#3b82f6' },
    { key: 'size', name: 'Size', color: '#a1a1aa' },
  ],
  detail: (r) =>
    r.used !== null && r.size ? `${((100 * r.used) / r.size).toFixed(1)} % of ${formatBinary(r.size)}` : null,
};
const BUCKET_CHARTS: ChartSpec<BucketRow>[] = [
  { title: 'Objects', kind: 'number', series: [{ key: 'objects', name: 'Objects', color: '#8b5cf6' }] },
  { title: 'Bytes stored', kind: 'bytes', series: [{ key: 'bytes', name: 'Bytes', color: '#10b981' }] },
];

export function StorageMetrics({
  period,
  volumeId,
  bucket,
  set,
}: {
  period: Period;
  volumeId: string;
  bucket: string;
  set: (key: 'volume' | 'bucket', value: string) => void;
}) {
  const volumes = useQuery(volumeOptionsQuery());
  const buckets = useQuery(bucketOptionsQuery());
  const volQ = useQuery({ ...volumeMetricsQuery(volumeId, period), enabled: volumeId !== '' });
  const bucketQ = useQuery({ ...bucketMetricsQuery(bucket, period), enabled: bucket !== '' });
  const volRows = useMemo(
    () =>
      (volQ.data?.points ?? []).map((p) => ({ t: Date.parse(p.time), used: p.usedBytes, size: p.sizeBytes })),
    [volQ.data],
  );
  const bucketRows = useMemo(
    () =>
      (bucketQ.data?.points ?? []).map((p) => ({
        t: Date.parse(p.time),
        objects: p.objectCount,
        bytes: p.sizeBytes,
      })),
    [bucketQ.data],
  );
  const timeframe = periodTimeframe[period];
  const volume = volumes.data?.items.find((v) => v.id === volumeId);
  const noSamples = (rows: { t: number }[], keys: string[]) =>
    !rows.some((r) => keys.some((k) => (r as unknown as Record<string, number | null>)[k] !== null));

  return (
    <section className="flex flex-col gap-3" aria-labelledby="storage-metrics">
      <h2 id="storage-metrics" className="text-lg font-semibold">
        Volumes and buckets
      </h2>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <div className="flex flex-col gap-3">
          <Select
            label="Volume"
            value={volumeId}
            onChange={(e) => set('volume', e.target.value)}
            options={[
              { value: '', label: 'Choose a volume…' },
              ...(volumes.data?.items ?? [])
                .filter((v) => v.status !== 'deleted')
                .map((v) => ({ value: v.id, label: `${v.name} (${v.id})` })),
            ]}
          />
          {volQ.error ? (
            <Alert title="Could not load volume metrics">{describeError(volQ.error)}</Alert>
          ) : null}
          {volumeId && volQ.data ? (
            noSamples(volRows, ['used', 'size']) ? (
              <p className="text-sm text-muted">No samples in this period yet (taken every minute).</p>
            ) : (
              <MetricChart
                spec={{ ...VOLUME_CHART, title: `${volume?.name ?? 'Volume'}: used vs size` }}
                rows={volRows}
                timeframe={timeframe}
              />
            )
          ) : null}
        </div>
        <div className="flex flex-col gap-3">
          <Select
            label="Bucket"
            value={bucket}
            onChange={(e) => set('bucket', e.target.value)}
            options={[
              { value: '', label: 'Choose a bucket…' },
              ...(buckets.data?.items ?? []).map((b) => ({ value: b.name, label: b.name })),
            ]}
          />
          {bucketQ.error ? (
            <Alert title="Could not load bucket metrics">{describeError(bucketQ.error)}</Alert>
          ) : null}
          {bucket && bucketQ.data ? (
            noSamples(bucketRows, ['objects', 'bytes']) ? (
              <p className="text-sm text-muted">No samples in this period yet (taken every minute).</p>
            ) : (
              BUCKET_CHARTS.map((c) => (
                <MetricChart key={c.title} spec={c} rows={bucketRows} timeframe={timeframe} />
              ))
            )
          ) : null}
        </div>
      </div>
    </section>
  );
}
