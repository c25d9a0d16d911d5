/**
 * `instances metrics <instance>`: the instance's time series from Proxmox's RRD
 * (`GET /instances/{id}/metrics`) as a per-metric summary (latest, min, avg, max over the window)
 * with sparklines of CPU and memory, or the API's JSON with `-o json`.
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { formatBytes, formatTimestamp } from '../lib/output.ts';
import { resolveInstance } from './instances.ts';

export type InstanceMetrics = components['schemas']['InstanceMetrics'];
export type MetricPoint = components['schemas']['MetricPoint'];

export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export const CONSOLIDATIONS = ['AVERAGE', 'MAX'] as const;

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A unicode sparkline, one character per value: ▁ (the scale's min) to █ (its max), a space for null.
 * `scale` fixes the range (CPU: 0-100 %); without it the values' own min/max are used.
 */
export function sparkline(values: readonly (number | null)[], scale?: { min: number; max: number }): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return ' '.repeat(values.length);
  const min = scale?.min ?? Math.min(...known);
  const max = scale?.max ?? Math.max(...known);
  const span = max - min;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (span <= 0) return BARS[0];
      const i = Math.round(((Math.min(Math.max(v, min), max) - min) / span) * (BARS.length - 1));
      return BARS[i];
    })
    .join('');
}

/** At most `width` values: consecutive points are averaged into buckets (nulls only when all are). */
export function downsample(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    const known = values.slice(from, to).filter((v): v is number => v !== null);
    out.push(known.length ? known.reduce((s, v) => s + v, 0) / known.length : null);
  }
  return out;
}

export interface Summary {
  latest: number | null;
  min: number | null;
  avg: number | null;
  max: number | null;
  /** How many points had a value. */
  samples: number;
}

/** latest (the newest non-null value), min, avg, max over the non-null values. */
export function summarize(values: readonly (number | null)[]): Summary {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return { latest: null, min: null, avg: null, max: null, samples: 0 };
  return {
    latest: known[known.length - 1]!,
    min: Math.min(...known),
    avg: known.reduce((s, v) => s + v, 0) / known.length,
    max: Math.max(...known),
    samples: known.length,
  };
}

const percent = (v: number) => `${v.toFixed(1)} %`;
const bytes = (v: number) => formatBytes(Math.round(v));
const rate = (v: number) => `${formatBytes(Math.round(v))}/s`;

interface MetricRow {
  label: string;
  field: keyof Omit<MetricPoint, 'time'>;
  format: (v: number) => string;
}

const ROWS: MetricRow[] = [
  { label: 'CPU', field: 'cpuPercent', format: percent },
  { label: 'Memory used', field: 'memoryBytes', format: bytes },
  { label: 'Memory max', field: 'memoryMaxBytes', format: bytes },
  { label: 'Net in', field: 'netInBytesPerSecond', format: rate },
  { label: 'Net out', field: 'netOutBytesPerSecond', format: rate },
  { label: 'Disk read', field: 'diskReadBytesPerSecond', format: rate },
  { label: 'Disk write', field: 'diskWriteBytesPerSecond', format: rate },
];

const STEP_TEXT: Record<string, string> = {
  hour: '1-minute points',
  day: '30-minute points',
  week: '3-hour points',
  month: '12-hour points',
  year: '1-week points',
};

/** The METRIC / LATEST / MIN / AVG / MAX table of some series (instances and nodes). */
export function summaryTable<P>(
  pts: readonly P[],
  rows: readonly { label: string; field: keyof P; format: (v: number) => string }[],
): string[] {
  const table: string[][] = [['METRIC', 'LATEST', 'MIN', 'AVG', 'MAX']];
  for (const row of rows) {
    const s = summarize(pts.map((p) => p[row.field] as number | null));
    const cell = (v: number | null) => (v === null ? '-' : row.format(v));
    table.push([row.label, cell(s.latest), cell(s.min), cell(s.avg), cell(s.max)]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('   ')
      .trimEnd(),
  );
}

/** The human rendering (lines without a trailing newline); `width` caps the sparklines. */
export function renderMetrics(m: InstanceMetrics, name: string, width = 60): string[] {
  const lines: string[] = [];
  const pts = m.points;
  const first = pts[0]?.time;
  const last = pts.at(-1)?.time;
  lines.push(
    `Instance ${name} (${m.instanceId}), last ${m.timeframe}: ${STEP_TEXT[m.timeframe] ?? `${m.stepSeconds}-second points`}, ${m.cf === 'MAX' ? 'maximum' : 'average'} per point`,
  );
  if (pts.length === 0) {
    lines.push('No samples: the instance has no guest in Proxmox (pending or terminated).');
    return lines;
  }
  lines.push(`${formatTimestamp(first)} … ${formatTimestamp(last)} (${pts.length} points)`);
  lines.push(...summaryTable(pts, ROWS));
  if (pts.every((p) => p.cpuPercent === null))
    lines.push('No samples in this window yet (Proxmox writes a point at the end of each minute).');
  lines.push('');
  const cpu = downsample(
    pts.map((p) => p.cpuPercent),
    width,
  );
  const mem = downsample(
    pts.map((p) => p.memoryBytes),
    width,
  );
  const memMax = summarize(pts.map((p) => p.memoryMaxBytes)).max;
  const label = (s: string) => s.padEnd(8);
  lines.push(`${label('CPU')}│${sparkline(cpu, { min: 0, max: 100 })}│ 0-100 %`);
  lines.push(
    `${label('Memory')}│${sparkline(mem, memMax ? { min: 0, max: memMax } : undefined)}│ ${memMax ? `0-${bytes(memMax)}` : 'relative'}`,
  );
  return lines;
}

export function registerInstanceMetricsCommand(instances: Command): void {
  instances
    .command('metrics <instance>')
    .description('CPU, memory, network and disk I/O over the last hour (or day, week, …) from Proxmox')
    .addOption(
      new Option(
        '--timeframe <timeframe>',
        'window and point spacing: hour (1 min), day (30 min), week (3 h), month (12 h), year (1 week)',
      )
        .choices(TIMEFRAMES)
        .default('hour'),
    )
    .addOption(
      new Option('--cf <cf>', 'how Proxmox consolidated each point')
        .choices(CONSOLIDATIONS)
        .default('AVERAGE'),
    )
    .addHelpText(
      'after',
      `
Prints latest, min, avg and max of each metric over the window and sparklines of CPU (0-100 % of
the instance's vCPUs) and memory (0 to its maximum); blanks are points without a sample (stopped,
or the minute the guest started). Proxmox samples every guest once a minute and keeps a year.
${examples(
  'proxicloud instances metrics web-1',
  'proxicloud instances metrics web-1 --timeframe day --cf MAX',
  'proxicloud instances metrics i-0f3a… -o json | jq ".points[-1]"',
)}`,
    )
    .action(
      async (
        ref: string,
        opts: { timeframe: (typeof TIMEFRAMES)[number]; cf: 'AVERAGE' | 'MAX' },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const inst = await resolveInstance(ctx, ref, { includeTerminated: true });
        const metrics = await unwrap(
          ctx.api().GET('/api/v1/instances/{id}/metrics', {
            params: { path: { id: inst.id }, query: { timeframe: opts.timeframe, cf: opts.cf } },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(metrics);
        const width = Math.max(20, Math.min(120, (process.stdout.columns ?? 80) - 30));
        for (const line of renderMetrics(metrics, inst.name, width)) ctx.out.line(line);
      },
    );
}
