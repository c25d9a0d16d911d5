/**
 * The per-node vzdump limit is held in the database, so it holds across servers: two limiters on
 * one database (two "servers") never run more than `limit` holders of a node at once, a waiter on
 * the other server gets the slot once it is released, a crashed server's expired slot is taken
 * over, and other nodes are not affected. Runs on SQLite and PostgreSQL (PROXICLOUD_TEST_DB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';
import { NodeLimiter } from './backups.limiter.ts';

let ctx: TestContext;
const clock = new ManualClock('2026-12-06T03:00:00.000Z');

beforeAll(async () => {
  ctx = await createTestContext({ clock });
});
afterAll(() => ctx?.close());

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

const server = (limit: number) =>
  new NodeLimiter({ db: ctx.db.kysely, clock, limit, pollMs: 10, ttlMs: 60_000 });

describe('per-node backup slots in the database', () => {
  it('a second server waits for the node while the first holds its only slot', async () => {
    const a = server(1);
    const b = server(1);
    const order: string[] = [];
    const holdA = gate();
    const startedA = gate();
    const runA = a.run(
      'pve1',
      async () => {
        order.push('a:start');
        startedA.open();
        await holdA.opened;
        order.push('a:end');
      },
      { holder: 'op-a' },
    );
    await startedA.opened;
    const waiting = gate();
    const runB = b.run(
      'pve1',
      async () => {
        order.push('b:start');
      },
      { holder: 'op-b', onWait: () => waiting.open() },
    );
    await waiting.opened; // b found every slot of pve1 taken
    expect(await b.heldEverywhere('pve1')).toBe(1);
    expect(order).toEqual(['a:start']);
    // another node is not limited by pve1's slot
    expect(await b.run('pve2', async () => 'other node', { holder: 'op-c' })).toBe('other node');
    holdA.open();
    await Promise.all([runA, runB]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start']);
    expect(await a.heldEverywhere('pve1')).toBe(0);
  });

  it('a limit of 2 lets two servers run at once and makes the third wait', async () => {
    const [a, b, c] = [server(2), server(2), server(2)];
    const hold = gate();
    const started = [gate(), gate()];
    const runs = [a, b].map((l, i) =>
      l.run(
        'pve3',
        async () => {
          started[i]!.open();
          await hold.opened;
        },
        { holder: `op-${i}` },
      ),
    );
    await Promise.all(started.map((g) => g.opened));
    expect(await c.tryAcquire('pve3', 'op-late')).toBeUndefined();
    hold.open();
    await Promise.all(runs);
    const slot = await c.tryAcquire('pve3', 'op-late');
    expect(slot).toBeDefined();
    await c.release('pve3', slot!, 'op-late');
  });

  it("a crashed server's slot expires and is taken over", async () => {
    await ctx.db.kysely
      .insertInto('backup_node_slots')
      .values({ node: 'pve4', slot: 0, holder: 'op-crashed', expires_at: '2026-12-06T03:05:00.000Z' })
      .execute();
    const l = server(1);
    expect(await l.tryAcquire('pve4', 'op-new')).toBeUndefined();
    clock.set('2026-12-06T03:05:01.000Z');
    expect(await l.tryAcquire('pve4', 'op-new')).toBe(0);
    const row = await ctx.db.kysely
      .selectFrom('backup_node_slots')
      .selectAll()
      .where('node', '=', 'pve4')
      .executeTakeFirstOrThrow();
    expect(row.holder).toBe('op-new');
    // a release by someone who does not hold the slot does nothing
    await l.release('pve4', 0, 'op-crashed');
    expect(await l.heldEverywhere('pve4')).toBe(1);
    await l.release('pve4', 0, 'op-new');
    expect(await l.heldEverywhere('pve4')).toBe(0);
  });
});
