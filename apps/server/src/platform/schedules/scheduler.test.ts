import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../migrate.ts';
import { createTestContext, createTestDatabase } from '../../testing/test-kit.ts';
import { ManualClock } from '../clock.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { type ScheduleRun, Scheduler, type SchedulerOptions } from './scheduler.ts';

const logger = createLogger('silent');
let drop: () => Promise<void>;
let config: Awaited<ReturnType<typeof createTestDatabase>>['database'];
/** Two connections (pools) to one database: two servers sharing it. */
let dbA: Database;
let dbB: Database;
let clock: ManualClock;
const runners: Scheduler[] = [];

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  config = t.database;
  dbA = openDatabase(config);
  await migrate(dbA);
  dbB = openDatabase(config);
});
afterAll(async () => {
  await dbA?.close();
  await dbB?.close();
  await drop?.();
});
beforeEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await dbA.kysely.deleteFrom('schedules').execute();
  await dbA.kysely.deleteFrom('scheduler_leases').execute();
  clock = new ManualClock('2026-03-28T00:00:30.000Z');
});

function runner(db: Database, options: Partial<SchedulerOptions> = {}): Scheduler {
  const s = new Scheduler({ db, clock, logger, leaseTtlMs: 30_000, ...options });
  runners.push(s);
  return s;
}

/** A scheduler with a recording handler for kind test.run. */
function recording(db: Database, options: Partial<SchedulerOptions> = {}) {
  const s = runner(db, options);
  const runs: ScheduleRun[] = [];
  s.register('test.run', async (run) => {
    runs.push(run);
  });
  return { s, runs };
}

describe('cron expressions and preview', () => {
  it('previews the next runs in an IANA time zone across a DST change', () => {
    const s = runner(dbA);
    // Europe/Berlin moves to CEST on 2026-03-29: 03:00 local is 02:00Z before and 01:00Z after.
    expect(s.preview({ cron: '0 3 * * *', timezone: 'Europe/Berlin' }, 3)).toEqual([
      '2026-03-28T02:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T01:00:00.000Z',
    ]);
    expect(s.preview({ cron: '*/15 * * * *' }, 2)).toEqual([
      '2026-03-28T00:15:00.000Z',
      '2026-03-28T00:30:00.000Z',
    ]);
  });

  it('rejects bad expressions, unknown zones and counts with a field', () => {
    const s = runner(dbA);
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).details?.field;
      }
      throw new Error('did not throw');
    };
    expect(fieldOf(() => s.preview({ cron: 'every day' }))).toBe('cron');
    expect(fieldOf(() => s.preview({ cron: '0 0 30 2 *' }))).toBe('cron'); // 30 February never comes
    expect(fieldOf(() => s.preview({ cron: '0 3 * * *', timezone: 'Mars/Olympus' }))).toBe('timezone');
    expect(fieldOf(() => s.preview({ cron: '0 3 * * *' }, 0))).toBe('count');
    expect(fieldOf(() => s.preview({ cron: '0 3 * * *' }, 101))).toBe('count');
  });
});

describe('schedules', () => {
  it('upsert is keyed by kind + resource; a changed expression recomputes the next run', async () => {
    const { s } = recording(dbA);
    await expect(
      s.upsert({ kind: 'nobody.home', ownerId: 'usr-1', resourceId: 'r', cron: '* * * * *' }),
    ).rejects.toThrow(/No schedule handler/);
    const a = await s.upsert({
      kind: 'test.run',
      ownerId: 'usr-1',
      resourceId: 'bk-1',
      cron: '0 * * * *',
      payload: { x: 1 },
    });
    expect(a).toMatchObject({ enabled: true, timezone: 'UTC', missedRunPolicy: 'skip', payload: { x: 1 } });
    expect(a.nextRunAt).toBe('2026-03-28T01:00:00.000Z');
    clock.advance(60_000);
    const same = await s.upsert({
      kind: 'test.run',
      ownerId: 'usr-1',
      resourceId: 'bk-1',
      cron: '0 * * * *',
      payload: { x: 2 },
    });
    expect(same.id).toBe(a.id);
    expect(same.nextRunAt).toBe(a.nextRunAt);
    expect(same.payload).toEqual({ x: 2 });
    const changed = await s.upsert({
      kind: 'test.run',
      ownerId: 'usr-1',
      resourceId: 'bk-1',
      cron: '30 4 * * *',
      timezone: 'America/New_York',
    });
    expect(changed.id).toBe(a.id);
    expect(changed.nextRunAt).toBe('2026-03-28T08:30:00.000Z'); // 04:30 EDT
    expect(await s.list({ ownerId: 'usr-1' })).toHaveLength(1);
    expect(await s.removeFor('test.run', 'bk-1')).toBe(true);
    expect(await s.list()).toEqual([]);
  });

  it('fires a due schedule once, records the outcome and moves to the next occurrence', async () => {
    const { s, runs } = recording(dbA);
    const sch = await s.upsert({ kind: 'test.run', ownerId: 'usr-1', resourceId: 'r1', cron: '*/5 * * * *' });
    expect((await s.tick()).fired).toEqual([]);
    clock.set('2026-03-28T00:05:01.000Z');
    const t = await s.tick();
    expect(t).toMatchObject({ leader: true, fired: [sch.id] });
    await s.idle();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ missed: false, schedule: { id: sch.id, resourceId: 'r1' } });
    expect(runs[0]?.scheduledFor.toISOString()).toBe('2026-03-28T00:05:00.000Z');
    expect((await s.tick()).fired).toEqual([]); // same occurrence never twice
    expect(await s.get(sch.id)).toMatchObject({
      lastStatus: 'succeeded',
      lastScheduledFor: '2026-03-28T00:05:00.000Z',
      lastRunAt: '2026-03-28T00:05:01.000Z',
      nextRunAt: '2026-03-28T00:10:00.000Z',
    });
  });

  it('records a failing handler and keeps the schedule going', async () => {
    const s = runner(dbA);
    s.register('test.fail', async () => {
      throw new Error('vzdump exploded');
    });
    const sch = await s.upsert({ kind: 'test.fail', ownerId: 'usr-1', resourceId: 'r', cron: '* * * * *' });
    clock.advance(60_000);
    await s.tick();
    await s.idle();
    expect(await s.get(sch.id)).toMatchObject({
      lastStatus: 'failed',
      lastError: 'vzdump exploded',
      nextRunAt: '2026-03-28T00:02:00.000Z',
    });
  });

  it('after downtime: skip drops the missed runs, run_once catches up exactly once', async () => {
    const { s, runs } = recording(dbA);
    const skip = await s.upsert({ kind: 'test.run', ownerId: 'u', resourceId: 'skip', cron: '0 * * * *' });
    const once = await s.upsert({
      kind: 'test.run',
      ownerId: 'u',
      resourceId: 'once',
      cron: '0 * * * *',
      missedRunPolicy: 'run_once',
    });
    clock.set('2026-03-28T05:20:00.000Z'); // down from before 01:00 until 05:20: five runs missed
    const t = await s.tick();
    await s.idle();
    expect(t.fired).toEqual([once.id]);
    expect(t.skipped).toEqual([skip.id]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ missed: true });
    expect(runs[0]?.scheduledFor.toISOString()).toBe('2026-03-28T01:00:00.000Z');
    expect(await s.get(skip.id)).toMatchObject({
      lastStatus: 'skipped',
      nextRunAt: '2026-03-28T06:00:00.000Z',
    });
    expect(await s.get(once.id)).toMatchObject({
      lastStatus: 'succeeded',
      nextRunAt: '2026-03-28T06:00:00.000Z',
    });
    expect((await s.tick()).fired).toEqual([]);
  });

  it('a slightly late tick is not a missed run', async () => {
    const { s, runs } = recording(dbA);
    await s.upsert({ kind: 'test.run', ownerId: 'u', resourceId: 'r', cron: '0 * * * *' });
    clock.set('2026-03-28T01:00:20.000Z');
    await s.tick();
    await s.idle();
    expect(runs.map((r) => r.missed)).toEqual([false]);
  });

  it('disabled schedules never fire; enabling counts from now, not from when it was disabled', async () => {
    const { s, runs } = recording(dbA);
    const sch = await s.upsert({
      kind: 'test.run',
      ownerId: 'u',
      resourceId: 'r',
      cron: '0 * * * *',
      missedRunPolicy: 'run_once',
    });
    expect((await s.setEnabled(sch.id, false)).nextRunAt).toBeNull();
    clock.set('2026-03-28T03:30:00.000Z');
    expect((await s.tick()).fired).toEqual([]);
    const enabled = await s.setEnabled(sch.id, true);
    expect(enabled).toMatchObject({ enabled: true, nextRunAt: '2026-03-28T04:00:00.000Z' });
    expect((await s.tick()).fired).toEqual([]);
    clock.set('2026-03-28T04:00:01.000Z');
    expect((await s.tick()).fired).toEqual([sch.id]);
    await s.idle();
    expect(runs).toHaveLength(1);
  });

  it('skips an occurrence while the previous run of the same schedule is still running', async () => {
    const s = runner(dbA);
    let release!: () => void;
    let calls = 0;
    s.register('test.slow', async () => {
      calls++;
      await new Promise<void>((r) => {
        release = r;
      });
    });
    const sch = await s.upsert({ kind: 'test.slow', ownerId: 'u', resourceId: 'r', cron: '* * * * *' });
    clock.advance(60_000);
    expect((await s.tick()).fired).toEqual([sch.id]);
    clock.advance(60_000);
    expect((await s.tick()).skipped).toEqual([sch.id]);
    expect(await s.get(sch.id)).toMatchObject({
      lastStatus: 'skipped',
      lastError: 'previous run still running',
    });
    release();
    await s.idle();
    expect(calls).toBe(1);
  });
});

describe('one runner per database (lease)', () => {
  it('only the lease holder fires; concurrent ticks of two servers fire each occurrence once', async () => {
    const a = recording(dbA, { holder: 'server-a' });
    const b = recording(dbB, { holder: 'server-b' });
    for (let i = 0; i < 5; i++)
      await a.s.upsert({ kind: 'test.run', ownerId: 'u', resourceId: `r${i}`, cron: '* * * * *' });
    for (let step = 1; step <= 15; step++) {
      clock.advance(20_000); // every tick renews well within the 30 s TTL: the leader stays
      const [ta, tb] = await Promise.all([a.s.tick(), b.s.tick()]);
      expect([ta.leader, tb.leader].filter(Boolean)).toHaveLength(1);
    }
    await Promise.all([a.s.idle(), b.s.idle()]);
    expect(a.runs.length + b.runs.length).toBe(25);
    expect(a.runs.length === 0 || b.runs.length === 0).toBe(true);
  });

  it('a runner that stops renewing is replaced after the TTL, and the old one stands down', async () => {
    const a = recording(dbA, { holder: 'server-a' });
    const b = recording(dbB, { holder: 'server-b' });
    const sch = await a.s.upsert({ kind: 'test.run', ownerId: 'u', resourceId: 'r', cron: '* * * * *' });
    expect((await a.s.tick()).leader).toBe(true);
    expect((await b.s.tick()).leader).toBe(false);
    clock.advance(20_000); // a renews within the TTL
    expect((await a.s.tick()).leader).toBe(true);
    clock.advance(20_000); // 40 s: a's renewal (at 20 s) is still valid until 50 s
    expect((await b.s.tick()).leader).toBe(false);
    // a hangs (no more ticks); at 51 s + the lease has expired and b takes over.
    clock.advance(11_000);
    const tb = await b.s.tick();
    expect(tb).toMatchObject({ leader: true, fired: [sch.id] });
    expect(await dbA.kysely.selectFrom('scheduler_leases').select('holder').executeTakeFirst()).toEqual({
      holder: 'server-b',
    });
    const ta = await a.s.tick();
    expect(ta).toMatchObject({ leader: false, fired: [] });
    expect(a.s.isLeader()).toBe(false);
    await b.s.idle();
    expect(a.runs).toHaveLength(0);
    expect(b.runs).toHaveLength(1);
  });

  it('stop() releases the lease so the other server takes over at once', async () => {
    const a = recording(dbA, { holder: 'server-a' });
    const b = recording(dbB, { holder: 'server-b' });
    expect((await a.s.tick()).leader).toBe(true);
    await a.s.stop();
    expect((await a.s.tick()).leader).toBe(false); // stopped runners never fire again
    expect((await b.s.tick()).leader).toBe(true);
  });

  it('each occurrence is claimed once even if two runners both believe they hold the lease', async () => {
    // Same holder id on both: both pass the lease check (as under clock skew); the compare-and-set
    // on next_run_at still lets only one of them fire each occurrence.
    const a = recording(dbA, { holder: 'twin' });
    const b = recording(dbB, { holder: 'twin' });
    for (let i = 0; i < 10; i++)
      await a.s.upsert({ kind: 'test.run', ownerId: 'u', resourceId: `r${i}`, cron: '* * * * *' });
    for (let minute = 1; minute <= 3; minute++) {
      clock.advance(60_000);
      const [ta, tb] = await Promise.all([a.s.tick(), b.s.tick()]);
      expect(ta.leader && tb.leader).toBe(true);
    }
    await Promise.all([a.s.idle(), b.s.idle()]);
    const fired = [...a.runs, ...b.runs].map(
      (r) => `${r.schedule.resourceId}@${r.scheduledFor.toISOString()}`,
    );
    expect(fired).toHaveLength(30);
    expect(new Set(fired).size).toBe(30);
  });
});

describe('wiring', () => {
  it('the app exposes the scheduler and ticks it as an interval job beside the others', async () => {
    const ctx = await createTestContext({ clock: new ManualClock('2026-03-28T00:00:00.000Z') });
    try {
      const { scheduler, jobs } = ctx.app.services;
      expect(jobs.list().map((j) => j.name)).toContain('scheduler.tick');
      const runs: string[] = [];
      scheduler.register('wiring.test', async (run) => {
        runs.push(run.schedule.resourceId);
      });
      await scheduler.upsert({ kind: 'wiring.test', ownerId: 'u', resourceId: 'w', cron: '0 0 * * *' });
      (ctx.app.services.clock as ManualClock).set('2026-03-29T00:00:01.000Z');
      await jobs.runNow('scheduler.tick');
      await scheduler.idle();
      expect(runs).toEqual(['w']);
    } finally {
      await ctx.close();
    }
  });
});
