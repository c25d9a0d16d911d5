import { describe, expect, test } from 'vitest';
import {
  formatBinary,
  formatPercent,
  formatRate,
  hasSamples,
  latest,
  type MetricPoint,
  rateTicks,
  timeTickFormatter,
  toChartRows,
} from './metrics.ts';

const point = (time: string, v: Partial<MetricPoint> = {}): MetricPoint => ({
  time,
  cpuPercent: null,
  memoryBytes: null,
  memoryMaxBytes: null,
  netInBytesPerSecond: null,
  netOutBytesPerSecond: null,
  diskReadBytesPerSecond: null,
  diskWriteBytesPerSecond: null,
  ...v,
});

describe('instance metrics for the charts', () => {
  test('points become rows; a missing sample stays null (a gap), memory becomes a share', () => {
    const rows = toChartRows([
      point('2026-11-29T19:40:00.000Z', {
        cpuPercent: 12.5,
        memoryBytes: 256 * 1024 ** 2,
        memoryMaxBytes: 1024 ** 3,
        netInBytesPerSecond: 5210.4,
        netOutBytesPerSecond: 2080.9,
        diskReadBytesPerSecond: 0,
        diskWriteBytesPerSecond: 4096,
      }),
      point('2026-11-29T19:41:00.000Z'),
    ]);
    expect(rows[0]).toEqual({
      t: Date.UTC(2026, 10, 29, 19, 40),
      cpu: 12.5,
      mem: 25,
      memBytes: 256 * 1024 ** 2,
      memMaxBytes: 1024 ** 3,
      netIn: 5210.4,
      netOut: 2080.9,
      diskRead: 0,
      diskWrite: 4096,
    });
    // Not 0: a stopped guest has no sample, and the chart must show a gap, not a drop to zero.
    expect(rows[1]).toMatchObject({ cpu: null, mem: null, netIn: null, diskWrite: null });
    expect(hasSamples(rows)).toBe(true);
    expect(hasSamples(rows.slice(1))).toBe(false);
    expect(hasSamples([])).toBe(false);
    expect(latest(rows, 'cpu')).toBe(12.5);
    expect(latest(rows.slice(1), 'cpu')).toBeNull();
  });

  test('memory without a known maximum has no share', () => {
    const [row] = toChartRows([point('2026-11-29T19:40:00Z', { memoryBytes: 100, memoryMaxBytes: 0 })]);
    expect(row?.mem).toBeNull();
    expect(row?.memBytes).toBe(100);
  });

  test('binary units', () => {
    expect(formatBinary(0)).toBe('0 B');
    expect(formatBinary(512)).toBe('512 B');
    expect(formatBinary(1024)).toBe('1 KiB');
    expect(formatBinary(1536)).toBe('1.5 KiB');
    expect(formatBinary(5210.4)).toBe('5.09 KiB');
    expect(formatBinary(12.5 * 1024 ** 2)).toBe('12.5 MiB');
    expect(formatBinary(3 * 1024 ** 3)).toBe('3 GiB');
    expect(formatRate(2048)).toBe('2 KiB/s');
    expect(formatPercent(12.49)).toBe('12 %');
    expect(formatPercent(0.25)).toBe('0.3 %');
    expect(formatPercent(100)).toBe('100 %');
  });

  test('rate axes step in binary units and cover the largest value', () => {
    expect(rateTicks(0)).toEqual([0, 1024]);
    const t = rateTicks(5000);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(5000);
    expect(t[1]).toBe(2048);
    for (const max of [1, 900, 70_000, 3.5 * 1024 ** 2, 9e9]) {
      const ticks = rateTicks(max);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
    }
  });

  test('time axis labels fit the window', () => {
    const t = Date.UTC(2026, 10, 29, 19, 40);
    const opts = { locale: 'en-GB', timeZone: 'UTC' };
    expect(timeTickFormatter('hour', opts)(t)).toBe('19:40');
    expect(timeTickFormatter('day', opts)(t)).toBe('19:40');
    expect(timeTickFormatter('month', opts)(t)).toBe('29 Nov');
    expect(timeTickFormatter('year', opts)(t)).toBe('Nov 26');
    expect(timeTickFormatter('week', opts)(t)).toMatch(/Sun/);
  });
});
