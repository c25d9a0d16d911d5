/**
 * PVE's prune-backups semantics as a table: the documented rules (pve-admin-guide "Backup
 * Retention", PBS "Pruning" and its prune simulator), the guide's `keep-last=3,keep-daily=13,
 * keep-yearly=9` example, ISO weeks across a year end, and local-time periods across DST changes.
 */
import { describe, expect, it } from 'vitest';
import {
  formatPruneBackups,
  isoWeek,
  type PruneEntry,
  type PruneOptions,
  parsePruneBackups,
  pruneMark,
} from './prune.ts';

const t = (isoText: string) => Date.parse(isoText) / 1000;
const entries = (times: string[]): PruneEntry[] => times.map((x) => ({ id: x, ctime: t(x) }));
const kept = (times: string[], o: PruneOptions, tz = 'UTC') =>
  pruneMark(entries(times), o, tz)
    .filter((r) => r.mark !== 'remove')
    .map((r) => r.entry.id);

/** One backup a day at `hh:mm` UTC for `days` days ending on `end` (newest first). */
function daily(end: string, days: number, time = '01:00'): string[] {
  const out: string[] = [];
  const base = Date.parse(`${end}T${time}:00Z`);
  for (let i = 0; i < days; i++) out.push(new Date(base - i * 86_400_000).toISOString());
  return out;
}

describe('pruneMark (PVE prune-backups)', () => {
  const cases: { name: string; times: string[]; options: PruneOptions; tz?: string; keep: string[] }[] = [
    {
      name: 'keep-last=3 keeps the three newest',
      times: daily('2026-12-06', 5),
      options: { keepLast: 3 },
      keep: daily('2026-12-06', 3),
    },
    {
      name: 'keep-daily keeps only the latest backup of a day; days without backups do not count',
      times: [
        '2026-12-06T22:00:00.000Z',
        '2026-12-06T01:00:00.000Z',
        '2026-12-04T01:00:00.000Z',
        '2026-12-01T01:00:00.000Z',
      ],
      options: { keepDaily: 2 },
      keep: ['2026-12-06T22:00:00.000Z', '2026-12-04T01:00:00.000Z'],
    },
    {
      name: 'keep-daily=7,keep-weekly=4 on nightly backups: 7 days, then the newest of each of 4 older weeks',
      // 2026-12-06 is a Sunday; the 7 dailies cover Mon 11-30 … Sun 12-06 (ISO week 49)
      times: daily('2026-12-06', 60),
      options: { keepDaily: 7, keepWeekly: 4 },
      keep: [
        ...daily('2026-12-06', 7),
        '2026-11-29T01:00:00.000Z', // Sun of W48
        '2026-11-22T01:00:00.000Z', // W47
        '2026-11-15T01:00:00.000Z', // W46
        '2026-11-08T01:00:00.000Z', // W45
      ],
    },
    {
      name: 'the admin guide example keep-last=3,keep-daily=13,keep-yearly=9 (one backup a day for 3 years)',
      times: daily('2026-12-06', 3 * 365),
      options: { keepLast: 3, keepDaily: 13, keepYearly: 9 },
      // 3 newest + 13 older days + the newest of each older year (2025-12-31, 2024-12-31, and the
      // oldest year present, 2023); 2026 is already covered by the kept ones
      keep: [
        ...daily('2026-12-06', 16),
        '2025-12-31T01:00:00.000Z',
        '2024-12-31T01:00:00.000Z',
        '2023-12-31T01:00:00.000Z',
      ],
    },
    {
      name: 'an option only considers periods not covered by an earlier option (weekly after daily)',
      times: daily('2026-12-06', 10),
      options: { keepDaily: 3, keepWeekly: 1 },
      // dailies 12-06, 12-05, 12-04 cover W49; the weekly one is the newest of W48 (Sun 11-29)
      keep: [...daily('2026-12-06', 3), '2026-11-29T01:00:00.000Z'],
    },
    {
      name: 'keep-monthly and keep-yearly',
      times: daily('2026-12-06', 400),
      options: { keepMonthly: 3, keepYearly: 2 },
      keep: [
        '2026-12-06T01:00:00.000Z',
        '2026-11-30T01:00:00.000Z',
        '2026-10-31T01:00:00.000Z',
        '2025-12-31T01:00:00.000Z',
      ],
    },
    {
      name: 'keep-hourly keeps the newest of each hour',
      times: [
        '2026-12-06T10:50:00.000Z',
        '2026-12-06T10:10:00.000Z',
        '2026-12-06T09:30:00.000Z',
        '2026-12-06T08:00:00.000Z',
      ],
      options: { keepHourly: 2 },
      keep: ['2026-12-06T10:50:00.000Z', '2026-12-06T09:30:00.000Z'],
    },
    {
      name: 'ISO weeks straddle the year end: Thu 2020-12-31 and Sun 2021-01-03 are both 2020-W53',
      times: [
        '2021-01-04T01:00:00.000Z',
        '2021-01-03T01:00:00.000Z',
        '2020-12-31T01:00:00.000Z',
        '2020-12-27T01:00:00.000Z',
      ],
      options: { keepWeekly: 3 },
      keep: ['2021-01-04T01:00:00.000Z', '2021-01-03T01:00:00.000Z', '2020-12-27T01:00:00.000Z'],
    },
    {
      name: 'an older backup of a week already kept is removed, even if it is the newest of its month',
      // week 2026-W09 runs Mon 02-23 … Sun 03-01: weekly keeps 03-01, marks 02-28 for removal
      times: ['2026-03-01T01:00:00.000Z', '2026-02-28T01:00:00.000Z', '2026-02-20T01:00:00.000Z'],
      options: { keepWeekly: 1, keepMonthly: 2 },
      keep: ['2026-03-01T01:00:00.000Z', '2026-02-20T01:00:00.000Z'],
    },
    {
      name: 'days are local days: 23:30 and 00:30 Berlin time are two days (one in UTC)',
      times: ['2026-03-28T23:30:00.000Z', '2026-03-28T22:30:00.000Z'],
      options: { keepDaily: 2 },
      tz: 'Europe/Berlin',
      keep: ['2026-03-28T23:30:00.000Z', '2026-03-28T22:30:00.000Z'],
    },
    {
      name: '… and the same backups in UTC fall on one day',
      times: ['2026-03-28T23:30:00.000Z', '2026-03-28T22:30:00.000Z'],
      options: { keepDaily: 2 },
      keep: ['2026-03-28T23:30:00.000Z'],
    },
    {
      name: 'DST fall-back: 02:30 CEST and 02:30 CET (an hour apart) are one local hour',
      times: ['2026-10-25T01:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-24T23:30:00.000Z'],
      options: { keepHourly: 2 },
      tz: 'Europe/Berlin',
      keep: ['2026-10-25T01:30:00.000Z', '2026-10-24T23:30:00.000Z'],
    },
    {
      name: 'DST spring-forward: 01:30 CET and 03:30 CEST are the same local day',
      times: ['2026-03-29T01:30:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-27T23:30:00.000Z'],
      options: { keepDaily: 2 },
      tz: 'Europe/Berlin',
      keep: ['2026-03-29T01:30:00.000Z', '2026-03-27T23:30:00.000Z'],
    },
    {
      name: 'US time zone: 2026-12-06T03:00Z is still Dec 5 in New York',
      times: ['2026-12-06T05:00:00.000Z', '2026-12-06T03:00:00.000Z'],
      options: { keepDaily: 2 },
      tz: 'America/New_York',
      keep: ['2026-12-06T05:00:00.000Z', '2026-12-06T03:00:00.000Z'],
    },
    {
      name: 'no option keeps everything',
      times: daily('2026-12-06', 4),
      options: {},
      keep: daily('2026-12-06', 4),
    },
    {
      name: 'keep-all keeps everything',
      times: daily('2026-12-06', 4),
      options: { keepAll: true, keepLast: 1 },
      keep: daily('2026-12-06', 4),
    },
  ];
  for (const c of cases) it(c.name, () => expect(kept(c.times, c.options, c.tz)).toEqual(c.keep));

  it('protected backups are kept and do not count towards an option', () => {
    const list = entries(daily('2026-12-06', 4));
    list[0]!.protected = true;
    const res = pruneMark(list, { keepLast: 1 });
    expect(res.map((r) => r.mark)).toEqual(['protected', 'keep', 'remove', 'remove']);
    expect(res[1]!.keptBy).toBe('keep-last');
  });

  it('isoWeek follows ISO-8601', () => {
    expect(isoWeek(2020, 12, 31)).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(2021, 1, 3)).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(2021, 1, 4)).toEqual({ year: 2021, week: 1 });
    expect(isoWeek(2026, 12, 6)).toEqual({ year: 2026, week: 49 });
    expect(isoWeek(2024, 12, 30)).toEqual({ year: 2025, week: 1 });
  });

  it('parses and formats the prune-backups property string', () => {
    expect(parsePruneBackups('keep-last=3,keep-daily=13,keep-yearly=9')).toEqual({
      keepLast: 3,
      keepDaily: 13,
      keepYearly: 9,
    });
    expect(formatPruneBackups({ keepDaily: 7, keepWeekly: 4 })).toBe('keep-daily=7,keep-weekly=4');
    expect(formatPruneBackups({ keepAll: true })).toBe('keep-all=1');
    expect(() => parsePruneBackups('keep-often=2')).toThrow(/invalid/);
  });
});
