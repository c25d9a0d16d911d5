import { describe, expect, it } from 'vitest';
import { CliError } from './errors.ts';
import { parseDateArg } from './time.ts';

const now = new Date('2024-05-10T12:00:00.000Z');

describe('parseDateArg', () => {
  it('parses relative ages back from now', () => {
    expect(parseDateArg('24h', '--since', now)).toBe('2024-05-09T12:00:00.000Z');
    expect(parseDateArg('7d', '--since', now)).toBe('2024-05-03T12:00:00.000Z');
    expect(parseDateArg('30m', '--since', now)).toBe('2024-05-10T11:30:00.000Z');
    expect(parseDateArg('90s', '--since', now)).toBe('2024-05-10T11:58:30.000Z');
    expect(parseDateArg('2w', '--since', now)).toBe('2024-04-26T12:00:00.000Z');
    expect(parseDateArg('1.5h', '--since', now)).toBe('2024-05-10T10:30:00.000Z');
    expect(parseDateArg('now', '--until', now)).toBe(now.toISOString());
  });

  it('parses ISO dates (UTC when no zone is given)', () => {
    expect(parseDateArg('2024-05-01', '--since', now)).toBe('2024-05-01T00:00:00.000Z');
    expect(parseDateArg('2024-05-01T10:00', '--since', now)).toBe('2024-05-01T10:00:00.000Z');
    expect(parseDateArg('2024-05-01 10:00:05', '--since', now)).toBe('2024-05-01T10:00:05.000Z');
    expect(parseDateArg('2024-05-01T10:00:00+02:00', '--since', now)).toBe('2024-05-01T08:00:00.000Z');
    expect(parseDateArg('2024-05-01T10:00:00.123Z', '--since', now)).toBe('2024-05-01T10:00:00.123Z');
  });

  it('rejects anything else with a usage error naming the flag', () => {
    for (const bad of ['yesterday', '24', '3y', '2024-13-45', '2024/05/01', '']) {
      expect(() => parseDateArg(bad, '--since', now)).toThrowError(CliError);
    }
    expect(() => parseDateArg('soon', '--until', now)).toThrowError(/Invalid date for --until: "soon"/);
  });
});
