/**
 * Backup schedules with a controlled clock: the presets and a cron expression fire at the right
 * instants (in their time zone), missed occurrences after a downtime run once (run_once) or are
 * recorded as skipped (skip) — both notify `missed` (a webhook at a real HTTP receiver) with how
 * many occurrences were missed — and a run never overlaps itself. The scheduler is driven with tick(); policies
 * here select an unused tag, so each firing is a run record without Proxmox work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { startReceiver } from '../../testing/notify-kit.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';

let ctx: TestContext;
let alice: TestClient;
const clock = new ManualClock('2026-12-05T12:00:00.000Z'); // a Saturday
const ids: Record<string, string> = {};
let hook: Awaited<ReturnType<typeof startReceiver>>;
let channelId: string;

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  hook = await startReceiver();
  const s = await ctx.admin.put('/api/v1/notification-settings', { allowPrivateTargets: true });
  expect(s.status, s.text).toBe(200);
  alice = await ctx.newUser();
  const ch = await alice.post<{ id: string }>('/api/v1/notification-channels', {
    name: 'missed-hook',
    type: 'webhook',
    config: { url: hook.url('/missed') },
  });
  expect(ch.status, ch.text).toBe(201);
  channelId = ch.body.id;
  const make = async (name: string, schedule: string, timezone: string, missedRunPolicy = 'run_once') => {
    const res = await alice.post<{ id: string }>('/api/v1/backup-policies', {
      name,
      schedule,
      timezone,
      targets: [{ tag: 'sched-test-nothing' }],
      retention: { keepLast: 1 },
      missedRunPolicy,
      notifyChannelIds: [channelId],
      notifyOn: ['missed'],
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
afterAll(async () => {
  await ctx?.close();
  await hook?.close();
});

async function tickAt(at: string): Promise<void> {
  clock.set(at);
  const s = ctx.app.services.scheduler;
  await s.tick();
  await s.idle();
}

/** The `backup.missed` webhooks received, per policy id. */
async function missedNotices(): Promise<Record<string, { missedCount: number; missedRunPolicy: string }>> {
  const out: Record<string, { missedCount: number; missedRunPolicy: string }> = {};
  for (const r of hook.requests) {
    const body = JSON.stringify(JSON.parse(r.body));
    if (!body.includes('backup.missed')) continue;
    const m = JSON.parse(r.body) as { data?: Record<string, unknown> } & Record<string, unknown>;
    const data = (m.data ?? m) as { policyId: string; missedCount: number; missedRunPolicy: string };
    out[data.policyId] = { missedCount: data.missedCount, missedRunPolicy: data.missedRunPolicy };
  }
  return out;
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

  it('after a downtime: run_once catches up once, skip records a skipped run; both notify', async () => {
    expect(await missedNotices()).toEqual({});
    // down from Dec 7 02:30 to Dec 10 12:00: daily occurrences of Dec 7..10 were missed
    await tickAt('2026-12-10T12:00:00.000Z');
    const f = await fired();
    const berlin = f['daily-berlin']!;
    expect(berlin.filter(([t]) => t === 'schedule')).toHaveLength(2);
    expect(berlin.filter(([t]) => t === 'missed')).toHaveLength(1);
    expect(berlin.at(-1)![0]).toBe('missed');
    // skip: the one before the downtime, then the missed occurrence recorded as skipped (not run)
    expect(f['daily-skip'], JSON.stringify(f)).toEqual([
      ['schedule', '2026-12-06T03:00:00.000Z'],
      ['missed', '2026-12-07T03:00:00.000Z'],
    ]);
    const skipped = await ctx.db.kysely
      .selectFrom('backup_runs')
      .selectAll()
      .where('policy_id', '=', ids['daily-skip']!)
      .where('trigger', '=', 'missed')
      .executeTakeFirstOrThrow();
    expect(skipped.status).toBe('skipped');
    expect(skipped.operation_id).toBeNull();
    expect(skipped.error).toContain('4 occurrences'); // Dec 7, 8, 9 and 10 at 03:00
    const sched = await ctx.app.services.scheduler.find('backups.run', ids['daily-skip']!);
    // and the next occurrences are in the future again
    expect(Date.parse(sched!.nextRunAt!)).toBeGreaterThan(clock.now().getTime());
    // both policies told their owner, with the number of missed occurrences
    const notices = await waitFor(async () => {
      const n = await missedNotices();
      return n[ids['daily-skip']!] && n[ids['daily-berlin']!] ? n : undefined;
    });
    expect(notices[ids['daily-skip']!]).toEqual({ missedCount: 4, missedRunPolicy: 'skip' });
    // Berlin's Dec 7 run (02:00Z) happened before the downtime: Dec 8, 9 and 10 were missed
    expect(notices[ids['daily-berlin']!]).toEqual({ missedCount: 3, missedRunPolicy: 'run_once' });
    // policies that were not due during the downtime have nothing to report
    expect(notices[ids.monthly!]).toBeUndefined();
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

  it('the database allows one queued or running run per policy (two servers racing)', async () => {
    const at = clock.now().toISOString();
    const run = (id: string, status: string) => ({
      id,
      owner_id: 'x',
      policy_id: ids.monthly!,
      policy_name: 'monthly',
      trigger: 'manual' as const,
      status: status as 'queued',
      scheduled_for: null,
      operation_id: null,
      targets: '[]',
      outcomes: '[]',
      pruned: '[]',
      size_bytes: 0,
      error: null,
      created_at: at,
      started_at: null,
      finished_at: null,
    });
    await ctx.db.kysely.insertInto('backup_runs').values(run('brun-00000000000000011', 'queued')).execute();
    await expect(
      ctx.db.kysely.insertInto('backup_runs').values(run('brun-00000000000000012', 'running')).execute(),
    ).rejects.toThrow(/unique|duplicate/i);
    // finished and skipped runs are not limited
    for (const [id, status] of [
      ['brun-00000000000000013', 'skipped'],
      ['brun-00000000000000014', 'succeeded'],
      ['brun-00000000000000015', 'skipped'],
    ] as const)
      await ctx.db.kysely.insertInto('backup_runs').values(run(id, status)).execute();
  });
});

async function waitFor<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for the missed-run notifications');
}
