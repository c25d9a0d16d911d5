/**
 * Backup schedules with a controlled clock: the presets and a cron expression fire at the right
 * instants (in their time zone), missed occurrences after a downtime run once (run_once) or are
 * skipped (skip), and a run never overlaps itself. The scheduler is driven with tick(); policies
 * here select an unused tag, so each firing is a run record without Proxmox work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';

let ctx: TestContext;
let alice: TestClient;
const clock = new ManualClock('2026-12-05T12:00:00.000Z'); // a Saturday
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  alice = await ctx.newUser();
  const make = async (name: string, schedule: string, timezone: string, missedRunPolicy = 'run_once') => {
    const res = await alice.post<{ id: string }>('/api/v1/backup-policies', {
      name,
      schedule,
      timezone,
      targets: [{ tag: 'sched-test-nothing' }],
      retention: { keepLast: 1 },
      missedRunPolicy,
    });
    expect(res.status, res.text).toBe(201);
    ids[name] = res.body.id;
  };
  await make('daily-berlin', 'daily', 'Europe/Berlin');
  await make('weekly', 'weekly', 'UTC');
  await make('monthly', 'monthly', 'UTC');
  await make('monday-0230', '30 2 * * 1', 'UTC');
  await make('daily-skip', 'daily', 'UTC', 'skip');
});
afterAll(() => ctx?.close());

async function tickAt(at: string): Promise<void> {
  clock.set(at);
  const s = ctx.app.services.scheduler;
  await s.tick();
  await s.idle();
}

/** Runs recorded per policy name: [trigger, scheduledFor]. */
async function fired(): Promise<Record<string, [string, string | null][]>> {
  const rows = await ctx.db.kysely
    .selectFrom('backup_runs')
    .select(['policy_name', 'trigger', 'scheduled_for'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out: Record<string, [string, string | null][]> = {};
  for (const r of rows) {
    const list = out[r.policy_name!] ?? [];
    list.push([r.trigger, r.scheduled_for]);
    out[r.policy_name!] = list;
  }
  return out;
}

describe('backup schedules (controlled clock)', () => {
  it('fires each schedule at its instant, in its time zone', async () => {
    await tickAt('2026-12-05T12:00:30.000Z');
    expect(await fired()).toEqual({});
    // 03:00 Europe/Berlin = 02:00Z in winter; 03:00 UTC for the others
    await tickAt('2026-12-06T01:59:59.000Z');
    expect(await fired()).toEqual({});
    await tickAt('2026-12-06T02:00:00.000Z');
    expect((await fired())['daily-berlin']).toEqual([['schedule', '2026-12-06T02:00:00.000Z']]);
    await tickAt('2026-12-06T03:00:01.000Z');
    const f = await fired();
    expect(f.weekly).toEqual([['schedule', '2026-12-06T03:00:00.000Z']]); // Sunday
    expect(f['daily-skip']).toEqual([['schedule', '2026-12-06T03:00:00.000Z']]);
    expect(f.monthly).toBeUndefined();
    await tickAt('2026-12-07T02:00:00.000Z');
    await tickAt('2026-12-07T02:30:00.000Z'); // Monday
    expect((await fired())['monday-0230']).toEqual([['schedule', '2026-12-07T02:30:00.000Z']]);
    // the same occurrence never fires twice
    await tickAt('2026-12-07T02:30:04.000Z');
    expect((await fired())['monday-0230']).toHaveLength(1);
  });

  it('after a downtime: run_once catches up once (trigger missed), skip does not', async () => {
    // down from Dec 7 02:30 to Dec 10 12:00: daily occurrences of Dec 7..10 were missed
    await tickAt('2026-12-10T12:00:00.000Z');
    const f = await fired();
    const berlin = f['daily-berlin']!;
    expect(berlin.filter(([t]) => t === 'schedule')).toHaveLength(2);
    expect(berlin.filter(([t]) => t === 'missed')).toHaveLength(1);
    expect(berlin.at(-1)![0]).toBe('missed');
    expect(f['daily-skip'], JSON.stringify(f)).toHaveLength(1); // only the one before the downtime
    const sched = await ctx.app.services.scheduler.find('backups.run', ids['daily-skip']!);
    expect(sched?.lastStatus).toBe('skipped');
    // and the next occurrences are in the future again
    expect(Date.parse(sched!.nextRunAt!)).toBeGreaterThan(clock.now().getTime());
  });

  it('monthly fires on the 1st', async () => {
    await tickAt('2026-12-31T03:00:00.000Z');
    expect((await fired()).monthly).toBeUndefined();
    await tickAt('2027-01-01T03:00:00.000Z');
    expect((await fired()).monthly).toEqual([['schedule', '2027-01-01T03:00:00.000Z']]);
  });

  it('a run never overlaps itself: an occurrence during a run is recorded as skipped', async () => {
    const now = clock.now().toISOString();
    await ctx.db.kysely
      .insertInto('backup_runs')
      .values({
        id: 'brun-00000000000000001',
        owner_id: 'x',
        policy_id: ids.weekly!,
        policy_name: 'weekly',
        trigger: 'manual',
        status: 'running',
        scheduled_for: null,
        operation_id: null,
        targets: '[]',
        outcomes: '[]',
        pruned: '[]',
        size_bytes: 0,
        error: null,
        created_at: now,
        started_at: now,
        finished_at: null,
      })
      .execute();
    await tickAt('2027-01-03T03:00:00.000Z'); // Sunday
    const row = await ctx.db.kysely
      .selectFrom('backup_runs')
      .selectAll()
      .where('policy_id', '=', ids.weekly!)
      .where('scheduled_for', '=', '2027-01-03T03:00:00.000Z')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('skipped');
    expect(row.error).toContain('still in progress');
  });
});
