/**
 * How an alarm's state follows its samples (pure, unit-testable). Over the window
 * [now − duration, now]:
 * - no value in the latest pass (guest stopped or gone, node offline, collector not running) →
 *   INSUFFICIENT_DATA;
 * - every value in the window breaches and the samples cover the whole duration → ALARM;
 * - the latest value does not breach → OK;
 * - breaching, but not yet for the whole duration → the state stays as it is.
 */
import type { Sample } from '../metrics/index.ts';
import type { AlarmState } from './alarms.repository.ts';

export const METRICS = [
  'cpu',
  'memory',
  'diskRead',
  'diskWrite',
  'netIn',
  'netOut',
  'diskUsed',
  'objectCount',
  'storedBytes',
] as const;
export type AlarmMetric = (typeof METRICS)[number];
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Metrics measured in % (thresholds 0–100). */
export const PERCENT_METRICS: ReadonlySet<AlarmMetric> = new Set(['cpu', 'memory', 'diskUsed']);

export const UNITS: Record<AlarmMetric, string> = {
  cpu: '%',
  memory: '%',
  diskUsed: '%',
  diskRead: 'B/s',
  diskWrite: 'B/s',
  netIn: 'B/s',
  netOut: 'B/s',
  objectCount: 'objects',
  storedBytes: 'B',
};

/** A sample an alarm reads: the collector's (instances, nodes) or the resource sampler's (volumes, buckets). */
export type AlarmSample = Partial<Omit<Sample, 'time'>> & {
  time: number;
  objectCount?: number | null;
  storedBytes?: number | null;
};

export function metricValue(metric: AlarmMetric, s: AlarmSample): number | null {
  switch (metric) {
    case 'cpu':
      return s.cpuPercent ?? null;
    case 'memory':
      return s.memoryBytes != null && s.memoryMaxBytes ? (100 * s.memoryBytes) / s.memoryMaxBytes : null;
    case 'diskUsed':
      return s.diskUsedBytes != null && s.diskSizeBytes ? (100 * s.diskUsedBytes) / s.diskSizeBytes : null;
    case 'diskRead':
      return s.diskReadBytesPerSecond ?? null;
    case 'diskWrite':
      return s.diskWriteBytesPerSecond ?? null;
    case 'netIn':
      return s.netInBytesPerSecond ?? null;
    case 'netOut':
      return s.netOutBytesPerSecond ?? null;
    case 'objectCount':
      return s.objectCount ?? null;
    case 'storedBytes':
      return s.storedBytes ?? null;
  }
}

export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

export interface Verdict {
  state: AlarmState;
  reason: string;
  value: number | null;
}

const fmt = (v: number, metric: AlarmMetric) =>
  UNITS[metric] === '%' ? `${v.toFixed(1)} %` : `${Math.round(v).toLocaleString('en')} ${UNITS[metric]}`;

export function evaluate(
  alarm: { metric: AlarmMetric; comparison: Comparison; threshold: number; durationSeconds: number },
  samples: readonly AlarmSample[],
  now: number,
  intervalSeconds: number,
  current: AlarmState,
): Verdict {
  const start = now - alarm.durationSeconds * 1000;
  const window = samples.filter((s) => s.time >= start - intervalSeconds * 500 && s.time <= now);
  const latest = samples.at(-1);
  const latestValue = latest ? metricValue(alarm.metric, latest) : null;
  const stale = !latest || now - latest.time > 2 * intervalSeconds * 1000;
  if (latestValue === null || stale) {
    return {
      state: 'INSUFFICIENT_DATA',
      reason: 'No recent sample (stopped, gone or not collected yet)',
      value: null,
    };
  }
  const limit = `${alarm.comparison} ${fmt(alarm.threshold, alarm.metric)}`;
  const values = window.map((s) => metricValue(alarm.metric, s));
  const covered = window.length > 0 && window[0]!.time <= start + intervalSeconds * 1000;
  const allBreach = values.every((v) => v !== null && breaches(v, alarm.comparison, alarm.threshold));
  if (allBreach && covered) {
    return {
      state: 'ALARM',
      reason: `${alarm.metric} ${fmt(latestValue, alarm.metric)} ${limit} for ${alarm.durationSeconds} s (${values.length} samples)`,
      value: latestValue,
    };
  }
  if (!breaches(latestValue, alarm.comparison, alarm.threshold)) {
    return {
      state: 'OK',
      reason: `${alarm.metric} ${fmt(latestValue, alarm.metric)}, not ${limit}`,
      value: latestValue,
    };
  }
  return {
    state: current,
    reason: `${alarm.metric} ${fmt(latestValue, alarm.metric)} ${limit}, not yet for ${alarm.durationSeconds} s`,
    value: latestValue,
  };
}
