/**
 * Two (then three) real server processes on one PostgreSQL database, behind no load balancer:
 * the test drives each directly. A persisted schedule fires once per occurrence; an operation
 * asked through one server runs once; an SSE client on one server sees what another server
 * published; a server killed with SIGKILL in the middle of an operation is replaced (the other
 * server resumes the operation once its heartbeat expired), and so is a killed leader (the
 * scheduler lease moves). SQLite: one server per database; the single-server behaviour is checked.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { Membership } from './platform/cluster/membership.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { type ChildServer, spawnServer } from './testing/child-server.ts';
import { VM_IMAGE } from './testing/compute-kit.ts';
import { subscribeEvents } from './testing/event-stream.ts';
import { ADMIN_PASSWORD, createTestDatabase, TEST_DIALECT } from './testing/test-kit.ts';

const LEASE_SECONDS = 5;

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(TEST_DIALECT === 'postgres')('two servers on one PostgreSQL database', () => {
  const servers: ChildServer[] = [];
  const dirs: string[] = [];
  let sim: Simulator | undefined;
  let db: Database | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    for (const s of servers) await s.kill().catch(() => undefined);
    await db?.close();
    await sim?.close();
    await drop?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('fires a schedule once, runs an operation once, relays events, and survives killed servers', async () => {
    sim = await startSimulator({ port: 0, taskDurationMs: 800 });
    const tdb = await createTestDatabase();
    drop = tdb.drop;
    const url = tdb.database.url!;
    db = openDatabase(tdb.database, { poolSize: 2 });
    await migrate(db);
    const k = db.kysely;
    // What every server of one installation shares: database, keys, Proxmox access.
    const shared: Record<string, string> = {
      DATABASE_URL: url,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXICLOUD_JWT_SECRET: randomBytes(32).toString('hex'),
      PROXICLOUD_MASTER_KEY: randomBytes(32).toString('hex'),
      PROXICLOUD_SECRETS_MASTER_KEY: randomBytes(32).toString('hex'),
      PROXICLOUD_CLUSTER_LEASE_SECONDS: String(LEASE_SECONDS),
      PROXMOX_URL: sim.url,
      PROXMOX_TOKEN: sim.token,
      PROXMOX_FINGERPRINT: sim.fingerprint,
      PROXMOX_SSH_HOST: sim.ssh!.host,
      PROXMOX_SSH_PORT: String(sim.ssh!.port),
      PROXMOX_SSH_USER: sim.ssh!.username,
      PROXMOX_SSH_PASSWORD: sim.ssh!.password,
      PROXMOX_SSH_HOST_KEY_FINGERPRINT: sim.ssh!.hostKeyFingerprint,
    };
    const start = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-ha-'));
      dirs.push(dir);
      const s = await spawnServer(
        { ...shared, PROXICLOUD_DATA_DIR: dir, PROXICLOUD_WEB_DIR: join(dir, 'no-web') },
        { s3: false, startTimeoutMs: 180_000 },
      );
      servers.push(s);
      return s;
    };
    const a = await start();
    const b = await start();
    const alive = () => servers.filter((s) => !dead.has(s));
    const dead = new Set<ChildServer>();
    const byPid = (pid: number) => servers.find((s) => s.pid === pid);
    const leaderPid = async () => {
      const lease = await k
        .selectFrom('scheduler_leases')
        .selectAll()
        .where('name', '=', 'scheduler')
        .executeTakeFirst();
      if (!lease || lease.expires_at <= new Date().toISOString()) return null;
      return Number(lease.holder.split(':')[1]);
    };

    // ---- login on A; the token works on B (same JWT secret)
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const api = async <T>(s: ChildServer, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${s.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    expect((await api(b, 'GET', '/instances')).status).toBe(200);

    // ---- a persisted schedule (every 2 s) fires once per occurrence, on the leader only
    const now = new Date();
    await k
      .insertInto('schedules')
      .values({
        id: 'sch-ha-test',
        kind: 'backups.run',
        owner_id: 'usr-none',
        resource_id: 'bkp-none', // no such policy: the handler returns at once
        cron: '*/2 * * * * *',
        timezone: 'UTC',
        enabled: 1,
        missed_run_policy: 'skip',
        payload: 'null',
        next_run_at: new Date(now.getTime() + 2000).toISOString(),
        last_run_at: null,
        last_scheduled_for: null,
        last_status: null,
        last_error: null,
        last_duration_ms: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    const runs = () =>
      servers.flatMap((s) =>
        s.logs
          .filter((l) => l.msg === 'schedule run finished' && l.schedule === 'sch-ha-test')
          .map((l) => ({ pid: s.pid, scheduledFor: String(l.scheduledFor) })),
      );
    await until('three occurrences', async () => runs().length >= 3);
    const firstRuns = runs();
    expect(new Set(firstRuns.map((r) => r.scheduledFor)).size).toBe(firstRuns.length);
    expect(new Set(firstRuns.map((r) => r.pid)).size).toBe(1);

    // ---- an operation asked through A runs once; B's event stream sees A's events
    const stream = await subscribeEvents(`${b.url}/api/v1/events`, token, { timeoutMs: 60_000 });
    const launched = await api<{ instance: { id: string }; operation: { id: string } }>(
      a,
      'POST',
      '/instances',
      {
        name: 'ha-one',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
      },
    );
    expect(launched.status).toBe(202);
    const inst1 = launched.body.instance.id;
    const op1 = launched.body.operation.id;
    const done1 = await until('the first launch', async () => {
      const op = await api<{ status: string }>(b, 'GET', `/operations/${op1}`);
      return op.body.status === 'succeeded' || op.body.status === 'failed' ? op.body : null;
    });
    expect(done1.status).toBe('succeeded');
    // instance.created is published by A (the POST); B's stream relays it, then the end of the operation
    await stream.until((e) => e.some((x) => x.type === 'instance.created' && x.resourceId === inst1));
    await stream.until((e) =>
      e.some((x) => x.type === 'operation.updated' && x.resourceId === op1 && x.data.status === 'succeeded'),
    );
    await stream.close();
    const row1 = await k.selectFrom('operations').selectAll().where('id', '=', op1).executeTakeFirstOrThrow();
    expect(Number(row1.attempts)).toBe(1);
    const completions = async (opId: string) =>
      (
        await k
          .selectFrom('audit_log')
          .select('details')
          .where('action', '=', 'instances.launch.completed')
          .execute()
      ).filter((r) => String(r.details).includes(opId)).length;
    expect(await completions(op1)).toBe(1);
    expect(sim.inspect().guests.filter((g) => (g.config.tags ?? '').includes(inst1))).toHaveLength(1);

    // ---- kill -9 the server running an operation: the other one resumes it after the TTL
    const launched2 = await api<{ instance: { id: string }; operation: { id: string } }>(
      b,
      'POST',
      '/instances',
      {
        name: 'ha-two',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
      },
    );
    expect(launched2.status).toBe(202);
    const inst2 = launched2.body.instance.id;
    const op2 = launched2.body.operation.id;
    const runner = await until('the second launch to run', async () => {
      const row = await k.selectFrom('operations').selectAll().where('id', '=', op2).executeTakeFirst();
      if (row?.status !== 'running' || !row.worker_id) return null;
      const member = await k
        .selectFrom('cluster_servers')
        .selectAll()
        .where('id', '=', row.worker_id)
        .executeTakeFirst();
      return member ? byPid(Number(member.pid)) : null;
    });
    await runner.kill();
    dead.add(runner);
    const survivor = alive()[0]!;
    const done2 = await until('the second launch after the takeover', async () => {
      const op = await api<{ status: string }>(survivor, 'GET', `/operations/${op2}`);
      return op.body.status === 'succeeded' || op.body.status === 'failed' ? op.body : null;
    });
    expect(done2.status).toBe('succeeded');
    const row2 = await k.selectFrom('operations').selectAll().where('id', '=', op2).executeTakeFirstOrThrow();
    expect(Number(row2.attempts)).toBe(2);
    const survivorMember = await k
      .selectFrom('cluster_servers')
      .selectAll()
      .where('pid', '=', survivor.pid)
      .executeTakeFirstOrThrow();
    expect(row2.worker_id).toBe(survivorMember.id);
    expect(await completions(op2)).toBe(1);
    expect(sim.inspect().guests.filter((g) => (g.config.tags ?? '').includes(inst2))).toHaveLength(1);
    // the dead server's heartbeat row was reaped
    expect((await k.selectFrom('cluster_servers').select('pid').execute()).map((r) => Number(r.pid))).toEqual(
      [survivor.pid],
    );

    // ---- a third server joins; kill -9 the leader: another takes the lease and the schedule goes on
    await start();
    const leader = byPid(
      await until('a leader', async () => {
        const pid = await leaderPid();
        return pid && alive().some((s) => s.pid === pid) ? pid : null;
      }),
    )!;
    await leader.kill();
    dead.add(leader);
    const killedAt = new Date().toISOString();
    const next = await until('a new leader', async () => {
      const pid = await leaderPid();
      return pid && pid !== leader.pid ? pid : null;
    });
    expect(alive().map((s) => s.pid)).toContain(next);
    await until('a run by the new leader', async () =>
      runs().some((r) => r.pid === next && r.scheduledFor > killedAt),
    );
    const all = runs();
    expect(new Set(all.map((r) => r.scheduledFor)).size).toBe(all.length);
    // the old leader's occurrences are all before the new leader's
    const lastOld =
      all
        .filter((r) => r.pid === leader.pid)
        .map((r) => r.scheduledFor)
        .sort()
        .at(-1) ?? '';
    expect(all.filter((r) => r.pid === next).every((r) => r.scheduledFor > lastOld)).toBe(true);
  }, 600_000);
});

describe.runIf(TEST_DIALECT === 'sqlite')('one server per SQLite database', () => {
  it('the membership is this server alone and writes nothing', async () => {
    const tdb = await createTestDatabase();
    const db = openDatabase(tdb.database);
    try {
      await migrate(db);
      const m = new Membership({ db, clock: { now: () => new Date() }, id: 'wrk-me', version: 'test' });
      expect(m.shared).toBe(false);
      await m.beat(true);
      expect(await m.live()).toEqual(['wrk-me']);
      expect(await m.reap()).toEqual([]);
      expect(await db.kysely.selectFrom('cluster_servers').selectAll().execute()).toEqual([]);
    } finally {
      await db.close();
      await tdb.drop();
    }
  });
});
