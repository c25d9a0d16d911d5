/**
 * `metrics nodes` (the cluster's nodes now) and `metrics node <node> --period …` (a node's CPU,
 * load, memory and network over time), from `GET /nodes` and `GET /nodes/{node}/metrics`.
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { formatBytes, formatTimestamp } from '../lib/output.ts';
import { downsample, sparkline, summaryTable } from './metrics.ts';

type NodeSummary = components['schemas']['NodeSummary'];
type NodeMetrics = components['schemas']['NodeMetrics'];
type NodePoint = components['schemas']['NodeMetricPoint'];

export const PERIODS = ['5m', '1h', '1d', '1w', '1mo'] as const;

const pct = (used: number, max: number) => (max > 0 ? `${((used / max) * 100).toFixed(1)} %` : '-');

const ROWS: { label: string; field: keyof Omit<NodePoint, 'time'>; format: (v: number) => string }[] = [
  { label: 'CPU', field: 'cpuPercent', format: (v) => `${v.toFixed(1)} %` },
  { label: 'Load (1 min)', field: 'loadAverage', format: (v) => v.toFixed(2) },
  { label: 'Memory used', field: 'memoryBytes', format: (v) => formatBytes(Math.round(v)) },
  { label: 'Net in', field: 'netInBytesPerSecond', format: (v) => `${formatBytes(Math.round(v))}/s` },
  { label: 'Net out', field: 'netOutBytesPerSecond', format: (v) => `${formatBytes(Math.round(v))}/s` },
  { label: 'Root used', field: 'rootUsedBytes', format: (v) => formatBytes(Math.round(v)) },
];

export function renderNodeMetrics(m: NodeMetrics, width = 60): string[] {
  const pts = m.points;
  const lines = [`Node ${m.node}, last ${m.period ?? m.timeframe}: ${m.stepSeconds}-second points`];
  if (pts.length === 0) return [...lines, 'No samples.'];
  lines.push(
    `${formatTimestamp(pts[0]!.time)} … ${formatTimestamp(pts.at(-1)!.time)} (${pts.length} points)`,
  );
  lines.push(...summaryTable(pts, ROWS));
  lines.push('');
  const cpu = downsample(
    pts.map((p) => p.cpuPercent),
    width,
  );
  lines.push(`${'CPU'.padEnd(8)}│${sparkline(cpu, { min: 0, max: 100 })}│ 0-100 %`);
  return lines;
}

export function registerNodeMetricsCommands(program: Command): void {
  const metrics = program
    .command('metrics')
    .description(
      'Metrics: nodes now and over time, volumes and buckets over time (instances: `proxicloud instances metrics`)',
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud metrics nodes',
        'proxicloud metrics node pve1 --period 1d',
        'proxicloud metrics node pve1 --period 5m -o json | jq ".points[-1]"',
        'proxicloud metrics volume data-1 --period 1d',
        'proxicloud metrics bucket photos --period 1w',
      ),
    );

  metrics
    .command('nodes')
    .description('Every node: status, CPU, memory, guests, uptime')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await unwrap(ctx.api().GET('/api/v1/nodes'));
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table<NodeSummary>(
        [
          { header: 'NODE', value: (n) => n.node },
          { header: 'STATUS', value: (n) => n.status },
          { header: 'CPU', value: (n) => (n.cpuPercent === null ? '-' : `${n.cpuPercent.toFixed(1)} %`) },
          { header: 'CPUS', value: (n) => String(n.cpus) },
          {
            header: 'MEMORY',
            value: (n) =>
              `${formatBytes(n.memoryBytes)} / ${formatBytes(n.memoryMaxBytes)} (${pct(n.memoryBytes, n.memoryMaxBytes)})`,
          },
          { header: 'GUESTS', value: (n) => String(n.guests) },
          { header: 'UPTIME', value: (n) => `${Math.floor(n.uptimeSeconds / 3600)} h` },
        ],
        page.items,
        'No nodes answered.',
      );
    });

  metrics
    .command('node <node>')
    .description('A node over time: CPU, load, memory, network, root disk')
    .addOption(
      new Option('--period <period>', '5m (collector samples, 10–30 s), 1h, 1d, 1w, 1mo')
        .choices(PERIODS)
        .default('1h'),
    )
    .addOption(
      new Option('--cf <cf>', 'consolidation per point').choices(['AVERAGE', 'MAX']).default('AVERAGE'),
    )
    .action(
      async (
        node: string,
        opts: { period: (typeof PERIODS)[number]; cf: 'AVERAGE' | 'MAX' },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const m = await unwrap(
          ctx.api().GET('/api/v1/nodes/{node}/metrics', {
            params: { path: { node }, query: { period: opts.period, cf: opts.cf } },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(m);
        const width = Math.max(20, Math.min(120, (process.stdout.columns ?? 80) - 30));
        for (const line of renderNodeMetrics(m, width)) ctx.out.line(line);
      },
    );
}
