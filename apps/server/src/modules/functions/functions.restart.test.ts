/**
 * Server restarts with functions: a real server process (and its local runner, real bubblewrap
 * sandboxes) is killed with SIGKILL while async invocations run and a cron schedule fires. After
 * a restart on the same data dir and database:
 * - finished invocations are not run again;
 * - the interrupted ones are queued again and finish exactly once (their old run died with the
 *   server: the runner exits when its server does, so no orphan finishes it a second time);
 * - the cron schedule keeps firing, one invocation per occurrence.
 * The function reports each start and finish to a listener of the test (network on).
 */
import { createServer, type Server } from 'node:http';
import { type Simulator, startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChildServer,
  childApi,
  childLogin,
  spawnServer,
  until as waitUntil,
} from '../../testing/child-server.ts';
import { ADMIN_PASSWORD, createTestDatabase } from '../../testing/test-kit.ts';

let server: ChildServer | null = null;
let sim: Simulator | null = null;
let listener: Server | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server?.kill();
  await sim?.close();
  listener?.close();
  for (const c of cleanups) await c();
});

interface Call {
  kind: 'start' | 'done';
  id: string;
  tag: string;
  at: number;
}

const api = childApi;
const login = (url: string) => childLogin(url, ADMIN_PASSWORD);
const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 180_000) =>
  waitUntil(what, fn, ms, 100);

describe('functions: server restart', () => {
  it('kill -9 mid-queue: nothing lost, nothing finished twice, cron keeps firing once per occurrence', async () => {
    const calls: Call[] = [];
    listener = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const kind = u.pathname.slice(1);
      if (kind === 'start' || kind === 'done')
        calls.push({
          kind,
          id: u.searchParams.get('id') ?? '',
          tag: u.searchParams.get('tag') ?? '',
          at: Date.now(),
        });
      res.end('ok');
    });
    await new Promise<void>((r) => listener!.listen(0, '127.0.0.1', r));
    const port = (listener.address() as { port: number }).port;
    const count = (kind: Call['kind'], id: string) =>
      calls.filter((c) => c.kind === kind && c.id === id).length;

    const tdb = await createTestDatabase();
    cleanups.push(() => tdb.drop());
    sim = await startSimulator({ port: 0 });
    const env: Record<string, string> = {
      PROXICLOUD_DATA_DIR: tdb.dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXMOX_URL: sim.url,
      PROXMOX_TOKEN: sim.token,
      PROXMOX_FINGERPRINT: sim.fingerprint,
      // a killed server's scheduler lease is taken over after 5 s
      PROXICLOUD_CLUSTER_LEASE_SECONDS: '5',
      ...(tdb.database.kind === 'postgres' ? { DATABASE_URL: tdb.database.url! } : {}),
    };
    server = await spawnServer(env, { s3: false });
    let url = server.url;
    let token = await login(url);

    const created = await api<{ id: string }>(url, token, 'POST', '/functions', {
      name: 'recorder',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 60,
      network: true,
      code: {
        files: {
          'index.mjs': `export const handler = async (event, context) => {
  const call = (kind) => fetch('http://127.0.0.1:${port}/' + kind + '?id=' + context.invocationId + '&tag=' + event.tag);
  await call('start');
  await new Promise((r) => setTimeout(r, event.sleepMs ?? 0));
  await call('done');
  return event.tag;
};`,
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const fnId = created.body.id;
    const enqueue = async (payload: Record<string, unknown>) => {
      const r = await api<{ invocationId: string; status: string }>(
        url,
        token,
        'POST',
        `/functions/${fnId}/invoke`,
        {
          payload,
          async: true,
        },
      );
      expect(r.status, r.text).toBe(202);
      return r.body.invocationId;
    };
    const status = async (id: string) =>
      (await api<{ status: string; attempts: number }>(url, token, 'GET', `/invocations/${id}`)).body;

    // finished before the crash
    const quick = [await enqueue({ tag: 'quick' }), await enqueue({ tag: 'quick' })];
    for (const id of quick)
      await until(`${id} to succeed`, async () => (await status(id)).status === 'success');
    // a cron schedule every 2 s, seen firing before the crash
    const sched = await api(url, token, 'POST', `/functions/${fnId}/schedules`, {
      cron: '*/2 * * * * *',
      payload: { tag: 'cron' },
    });
    expect(sched.status, sched.text).toBe(201);
    await until(
      'a cron invocation',
      async () => calls.some((c) => c.kind === 'done' && c.tag === 'cron'),
      120_000,
    );
    // running at the crash: they sleep 8 s, so an orphaned old run would report "done" while the
    // restarted server is still starting
    const slow = [
      await enqueue({ tag: 'slow', sleepMs: 8000 }),
      await enqueue({ tag: 'slow', sleepMs: 8000 }),
    ];
    await until('the slow invocations to start', async () => slow.every((id) => count('start', id) === 1));
    await server.kill();
    const killedAt = Date.now();

    server = await spawnServer(env, { s3: false });
    url = server.url;
    token = await login(url);
    for (const id of slow)
      await until(`${id} to succeed after the restart`, async () => (await status(id)).status === 'success');
    await until('a cron invocation after the restart', async () =>
      calls.some((c) => c.kind === 'done' && c.tag === 'cron' && c.at > killedAt),
    );
    await server.stop();
    server = null;

    for (const id of quick) expect([id, count('start', id), count('done', id)]).toEqual([id, 1, 1]);
    // the interrupted run started once before the crash, once after; it finished once
    for (const id of slow) expect([id, count('start', id), count('done', id)]).toEqual([id, 2, 1]);
    const cronIds = [...new Set(calls.filter((c) => c.tag === 'cron').map((c) => c.id))];
    expect(cronIds.length).toBeGreaterThanOrEqual(2);
    for (const id of cronIds) expect(count('done', id), id).toBeLessThanOrEqual(1);
  }, 600_000);
});
