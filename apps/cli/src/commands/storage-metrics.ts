/**
 * `metrics volume <volume> --period …` (used vs size) and `metrics bucket <bucket> --period …`
 * (objects and bytes), from `GET /volumes/{id}/metrics` and `GET /buckets/{bucket}/metrics`: the
 * server samples both once a minute and keeps 35 days.
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { unwrap } from '../lib/api.ts';
import { contextOf } from '../lib/context.ts';
import { formatBytes, formatTimestamp } from '../lib/output.ts';
import { downsample, sparkline, summaryTable } from './metrics.ts';
import { PERIODS } from './node-metrics.ts';
import { resolveVolume } from './volumes.ts';

type VolumeMetrics = components['schemas']['VolumeMetrics'];
type BucketMetrics = components['schemas']['BucketMetrics'];

const bytes = (v: number) => formatBytes(Math.round(v));

function header(what: string, m: { period: string; stepSeconds: number; points: { time: string }[] }) {
  const pts = m.points;
  const lines = [`${what}, last ${m.period}: ${m.stepSeconds}-second points`];
  if (pts.length)
    lines.push(
      `${formatTimestamp(pts[0]!.time)} … ${formatTimestamp(pts.at(-1)!.time)} (${pts.length} points)`,
    );
  return lines;
}

export function renderVolumeMetrics(m: VolumeMetrics, name: string, width = 60): string[] {
  const lines = header(`Volume ${name} (${m.volumeId})`, m);
  if (!m.points.some((p) => p.sizeBytes !== null))
    return [...lines, 'No samples in this period yet (taken every minute).'];
  lines.push(
    ...summaryTable(m.points, [
      { label: 'Used', field: 'usedBytes', format: bytes },
      { label: 'Size', field: 'sizeBytes', format: bytes },
    ]),
  );
  if (m.points.every((p) => p.usedBytes === null))
    lines.push('The storage does not report the space used (PVE reports it for ZFS, not for every plugin).');
  lines.push(
    '',
    `${'Used'.padEnd(8)}│${sparkline(
      downsample(
        m.points.map((p) => p.usedBytes),
        width,
      ),
    )}│`,
  );
  return lines;
}

export function renderBucketMetrics(m: BucketMetrics, width = 60): string[] {
  const lines = header(`Bucket ${m.bucket}`, m);
  if (!m.points.some((p) => p.objectCount !== null))
    return [...lines, 'No samples in this period yet (taken every minute).'];
  lines.push(
    ...summaryTable(m.points, [
      { label: 'Objects', field: 'objectCount', format: (v) => String(Math.round(v)) },
      { label: 'Bytes', field: 'sizeBytes', format: bytes },
    ]),
  );
  lines.push(
    '',
    `${'Bytes'.padEnd(8)}│${sparkline(
      downsample(
        m.points.map((p) => p.sizeBytes),
        width,
      ),
    )}│`,
  );
  return lines;
}

const periodOption = () =>
  new Option('--period <period>', '5m, 1h (1-minute points), 1d (5 min), 1w (1 h), 1mo (6 h)')
    .choices(PERIODS)
    .default('1h');
const widthNow = () => Math.max(20, Math.min(120, (process.stdout.columns ?? 80) - 30));

export function registerStorageMetricsCommands(program: Command): void {
  const metrics = program.commands.find((c) => c.name() === 'metrics');
  if (!metrics) throw new Error('register the metrics command first');
  metrics
    .command('volume <volume>')
    .description('A volume over time: space used vs its size (name or id)')
    .addOption(periodOption())
    .action(async (ref: string, opts: { period: (typeof PERIODS)[number] }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const vol = await resolveVolume(ctx, ref);
      const m = await unwrap(
        ctx.api().GET('/api/v1/volumes/{id}/metrics', {
          params: { path: { id: vol.id }, query: { period: opts.period } },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(m);
      for (const line of renderVolumeMetrics(m, vol.name, widthNow())) ctx.out.line(line);
    });
  metrics
    .command('bucket <bucket>')
    .description('A bucket over time: object count and bytes stored')
    .addOption(periodOption())
    .action(async (bucket: string, opts: { period: (typeof PERIODS)[number] }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const m = await unwrap(
        ctx.api().GET('/api/v1/buckets/{bucket}/metrics', {
          params: { path: { bucket }, query: { period: opts.period } },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(m);
      for (const line of renderBucketMetrics(m, widthNow())) ctx.out.line(line);
    });
}
