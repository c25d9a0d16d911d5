/**
 * Per-function metrics from the invocation history (count, errors, throttles, p50/p95 duration
 * over a window, in buckets for the graph) and the Prometheus series on `/metrics`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { FunctionRow } from './functions.repository.ts';

export interface StatRow {
  status: string;
  duration_ms: number | null;
  created_at: string;
  cold: number;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}

const ERROR_STATUSES = new Set(['error', 'timeout', 'out-of-memory']);

export function summarize(rows: StatRow[], hours: number, now: Date) {
  const bucketMs = hours <= 6 ? 5 * 60_000 : hours <= 48 ? 60 * 60_000 : 6 * 60 * 60_000;
  const start = now.getTime() - hours * 3600_000;
  const first = Math.floor(start / bucketMs) * bucketMs;
  const buckets = new Map<
    number,
    { invocations: number; errors: number; throttles: number; durations: number[] }
  >();
  for (let t = first; t <= now.getTime(); t += bucketMs)
    buckets.set(t, { invocations: 0, errors: 0, throttles: 0, durations: [] });
  const durations: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let oom = 0;
  let throttles = 0;
  let cold = 0;
  for (const r of rows) {
    const b = buckets.get(Math.floor(Date.parse(r.created_at) / bucketMs) * bucketMs);
    if (r.status === 'throttled') {
      throttles++;
      if (b) b.throttles++;
      continue;
    }
    if (b) b.invocations++;
    if (ERROR_STATUSES.has(r.status)) {
      errors++;
      if (b) b.errors++;
    }
    if (r.status === 'timeout') timeouts++;
    if (r.status === 'out-of-memory') oom++;
    if (Number(r.cold) === 1) cold++;
    if (r.duration_ms !== null) {
      durations.push(Number(r.duration_ms));
      b?.durations.push(Number(r.duration_ms));
    }
  }
  durations.sort((a, b) => a - b);
  const invocations = rows.length - throttles;
  return {
    hours,
    invocations,
    errors,
    timeouts,
    outOfMemory: oom,
    throttles,
    coldStarts: cold,
    errorRate: invocations ? Math.round((errors / invocations) * 10000) / 10000 : 0,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    series: [...buckets].map(([t, b]) => {
      const d = b.durations.sort((x, y) => x - y);
      return {
        t: new Date(t).toISOString(),
        invocations: b.invocations,
        errors: b.errors,
        throttles: b.throttles,
        p50Ms: percentile(d, 50),
        p95Ms: percentile(d, 95),
      };
    }),
  };
}

/** Prometheus: proxicloud_function_invocations_total{function,status}, duration histogram. */
export function functionSeries(registry: Registry | null) {
  if (!registry) return () => {};
  const total = new Counter({
    name: 'proxicloud_function_invocations_total',
    help: 'Function invocations by outcome (success, error, timeout, out-of-memory, throttled)',
    labelNames: ['function_id', 'function', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'proxicloud_function_duration_seconds',
    help: 'Function invocation duration (cold starts included)',
    labelNames: ['function_id', 'function'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [registry],
  });
  return (fn: FunctionRow, status: string, durationMs: number | null) => {
    total.inc({ function_id: fn.id, function: fn.name, status });
    if (durationMs !== null) duration.observe({ function_id: fn.id, function: fn.name }, durationMs / 1000);
  };
}
