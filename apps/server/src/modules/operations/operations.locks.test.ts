/**
 * The operations core that modules share: the lock registry (one lock/unlock for every
 * registered table, stale-lock release on start), the completion audit action, and the event
 * resources modules register (published in the OpenAPI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedInstanceRow } from '../../../scripts/seed-instances.ts';
import { newId } from '../../platform/crypto.ts';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';
import { EventBus } from '../events/index.ts';
import { completionAuditAction, LockRegistry } from './index.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

async function instanceRow(lockedBy: string | null): Promise<string> {
  const row = adoptedInstanceRow({ owner_id: ctx.admin.user.id, active_operation_id: lockedBy });
  row.name = `lock-${row.id}`;
  await ctx.db.kysely.insertInto('instances').values(row).execute();
  return row.id;
}

const holderOf = async (id: string) =>
  (
    await ctx.db.kysely
      .selectFrom('instances')
      .select('active_operation_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).active_operation_id;

describe('lock registry', () => {
  it('the modules registered their lockable tables', () => {
    expect([...ctx.app.services.locks.registered].sort()).toEqual([
      'apps',
      'function_runners',
      'instances',
      'nat_gateways',
      'networks',
      'peerings',
      'recovery_points',
      'route_tables',
      'volumes',
    ]);
  });

  it('locks once, refuses a second holder, unlocks only for the holder, applies the patch', async () => {
    const locks = new LockRegistry('wrk-test');
    const id = await instanceRow(null);
    const k = ctx.db.kysely;
    expect(await locks.lock(k, 'instances', id, 'op-1', { status_reason: 'busy' })).toBe(true);
    expect(await locks.lock(k, 'instances', id, 'op-2')).toBe(false);
    await locks.unlock(k, 'instances', id, 'op-2');
    expect(await holderOf(id)).toBe('op-1');
    await locks.unlock(k, 'instances', id, 'op-1');
    expect(await holderOf(id)).toBeNull();
    const row = await k
      .selectFrom('instances')
      .select('status_reason')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.status_reason).toBe('busy');
  });

  it('releases locks of finished operations and of gone processes, keeps live ones and its own sync tokens', async () => {
    const locks = new LockRegistry('wrk-mine');
    locks.register('instances');
    const own = locks.syncToken('attach');
    expect(own).toMatch(/^sync-wrk-mine-attach-/);
    const finished = await instanceRow('op-finished');
    const foreign = await instanceRow('sync-wrk-gone-delete-abc');
    const mine = await instanceRow(own);
    const liveOp = `op-${newId('x')}`;
    const now = new Date().toISOString();
    await ctx.db.kysely
      .insertInto('operations')
      .values({
        id: liveOp,
        owner_id: ctx.admin.user.id,
        action: 'instance.start',
        resource_type: 'instance',
        resource_id: 'i-x',
        status: 'running',
        progress: 0,
        message: null,
        steps: '[]',
        params: '{}',
        state: '{}',
        error: null,
        attempts: 1,
        worker_id: 'wrk-mine',
        request_id: null,
        created_at: now,
        updated_at: now,
        started_at: now,
        finished_at: null,
      })
      .execute();
    const live = await instanceRow(liveOp);
    const released = await locks.releaseStale(ctx.db.kysely);
    expect(released).toEqual([{ table: 'instances', released: expect.any(Number) }]);
    expect(released[0]!.released).toBeGreaterThanOrEqual(2);
    expect(await holderOf(finished)).toBeNull();
    expect(await holderOf(foreign)).toBeNull();
    expect(await holderOf(mine)).toBe(own);
    expect(await holderOf(live)).toBe(liveOp);
  });
});

describe('the end of an operation', () => {
  it('releases its locks before anyone can see it ended (success and failure)', async () => {
    const { engine, locks } = ctx.app.services;
    const k = ctx.db.kysely;
    const seen: Record<string, { status: string; holder: string | null }> = {};
    for (const outcome of ['ok', 'fail'] as const) {
      engine.register({
        action: `test.finish-order-${outcome}`,
        run: async () => {
          if (outcome === 'fail') throw new Error('it failed');
        },
        onFinish: async (c) => {
          await locks.unlock(k, 'instances', c.resourceId, c.id);
          const op = await k
            .selectFrom('operations')
            .select('status')
            .where('id', '=', c.id)
            .executeTakeFirstOrThrow();
          seen[outcome] = { status: op.status, holder: await holderOf(c.resourceId) };
        },
      });
      const id = await instanceRow(null);
      const op = await k.transaction().execute(async (trx) => {
        const op = await engine.enqueue(trx, {
          action: `test.finish-order-${outcome}`,
          ownerId: ctx.admin.user.id,
          resourceType: 'instance',
          resourceId: id,
          params: {},
          steps: [],
        });
        expect(await locks.lock(trx, 'instances', id, op.id)).toBe(true);
        return op;
      });
      engine.wake();
      await engine.idle();
      const done = await k
        .selectFrom('operations')
        .select('status')
        .where('id', '=', op.id)
        .executeTakeFirstOrThrow();
      expect(done.status).toBe(outcome === 'ok' ? 'succeeded' : 'failed');
      // onFinish ran while the operation still ran: a client polling it never sees it ended with
      // the resource still locked (`--wait`, then the next command on the resource)
      expect(seen[outcome]).toEqual({ status: 'running', holder: null });
    }
  });
});

describe('completion audit action', () => {
  it('names the resource in the plural, like the permission catalogue', () => {
    expect(completionAuditAction('instance.launch')).toBe('instances.launch.completed');
    expect(completionAuditAction('volume.attach')).toBe('volumes.attach.completed');
    expect(completionAuditAction('backup')).toBe('backups.run.completed');
  });
});

describe('event resources', () => {
  it('a module registers what it publishes; publishing an unregistered resource is a bug', () => {
    const bus = new EventBus();
    expect(() =>
      bus.publish({ type: 'thing.created', resource: 'thing', resourceId: 'x', ownerId: 'u', data: {} }),
    ).toThrow(/not registered/);
    bus.registerResource('thing');
    expect(() => bus.registerResource('Bad-Name')).toThrow(/snake case/);
    expect(
      bus.publish({ type: 'thing.created', resource: 'thing', resourceId: 'x', ownerId: 'u', data: {} }).id,
    ).toBe(1);
    expect(bus.resourceNames).toEqual(['thing']);
  });

  it('the OpenAPI lists every registered resource and the permission catalogue', async () => {
    const res = await ctx.request<{ components: { schemas: Record<string, { enum?: string[] }> } }>(
      'GET',
      '/api/openapi.json',
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.components.schemas.EventResource?.enum?.slice().sort()).toEqual([
      'alarm',
      'app',
      'backup_run',
      'function',
      'function_runner',
      'instance',
      'key_pair',
      'nat_gateway',
      'network',
      'notification_channel',
      'operation',
      'peering',
      'recovery_point',
      'route_table',
      'secret',
      'security_group',
      'snapshot',
      'stack',
      'volume',
    ]);
    expect(res.body.components.schemas.Permission?.enum).toContain('volumes:attach');
  });
});
