/**
 * The secrets API end to end over app.inject with a real database: create, read (current and
 * ?version), new versions with check-and-set, soft delete / restore / force, encodings, names
 * as encoded paths and as a trailing wildcard path, audit entries, master-key rotation.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createLogger } from '../../platform/logger.ts';
import {
  CaptureStream,
  createTestContext,
  type TestClient,
  type TestContext,
} from '../../testing/test-kit.ts';
import { kekIdOf } from './secrets.crypto.ts';
import { writeMasterKeyFile } from './secrets.keyfile.ts';
import type { Secret } from './secrets.service.ts';

type Value = {
  id: string;
  name: string;
  version: number;
  value: unknown;
  encoding: string;
  createdAt: string;
};
type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

const clock = new ManualClock('2026-06-01T12:00:00.000Z');
let ctx: TestContext;
let alice: TestClient;

const enc = (name: string) => `/api/v1/secrets/${encodeURIComponent(name)}`;

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  alice = await ctx.newUser({ role: 'operator' });
});
afterAll(async () => {
  await ctx?.close();
});

describe('create and read', () => {
  it('creates a secret and reads the value by encoded name and by trailing path', async () => {
    const res = await alice.post<Secret>('/api/v1/secrets', {
      name: 'app/db/password',
      value: 'pw-one-7f3a',
      description: 'the database password',
      tags: { env: 'prod' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name: 'app/db/password',
      ownerId: alice.user.id,
      currentVersion: 1,
      description: 'the database password',
      tags: { env: 'prod' },
      access: 'owner',
      canReadValue: true,
      canManage: true,
      deletedAt: null,
    });
    expect(res.body.id).toMatch(/^sec-[0-9a-f]{17}$/);
    expect(res.text).not.toContain('pw-one-7f3a');

    const byEncoded = await alice.get<Value>(enc('app/db/password'));
    expect(byEncoded.status, byEncoded.text).toBe(200);
    expect(byEncoded.body).toMatchObject({
      name: 'app/db/password',
      version: 1,
      value: 'pw-one-7f3a',
      encoding: 'text',
    });
    expect(byEncoded.headers['cache-control']).toBe('no-store');
    const byPath = await alice.get<Value>('/api/v1/secrets/app/db/password');
    expect(byPath.status, byPath.text).toBe(200);
    expect(byPath.body.value).toBe('pw-one-7f3a');
    const byId = await alice.get<Value>(`/api/v1/secrets/${res.body.id}`);
    expect(byId.body.value).toBe('pw-one-7f3a');
  });

  it('lists names and metadata, never values; filters by folder prefix', async () => {
    await alice.post('/api/v1/secrets', { name: 'app/api/token', value: 'tok-abc-123' });
    await alice.post('/api/v1/secrets', { name: 'other/thing', value: 'x1' });
    const all = await alice.get<{ items: Secret[]; total: number }>('/api/v1/secrets');
    expect(all.status).toBe(200);
    expect(all.body.items.map((s) => s.name)).toEqual(['app/api/token', 'app/db/password', 'other/thing']);
    expect(all.text).not.toContain('pw-one-7f3a');
    expect(all.text).not.toContain('tok-abc-123');
    const folder = await alice.get<{ items: Secret[] }>('/api/v1/secrets', { query: { prefix: 'app/' } });
    expect(folder.body.items.map((s) => s.name)).toEqual(['app/api/token', 'app/db/password']);
    const meta = await alice.get<Secret>('/api/v1/secrets/app/api/token/metadata');
    expect(meta.body).toMatchObject({ name: 'app/api/token', currentVersion: 1 });
  });

  it('stores JSON and binary values and returns them in kind', async () => {
    const json = await alice.post<Secret>('/api/v1/secrets', {
      name: 'cfg/json',
      value: { user: 'u', port: 5432 },
    });
    expect(json.status, json.text).toBe(201);
    expect((await alice.get<Value>(enc('cfg/json'))).body).toMatchObject({
      value: { user: 'u', port: 5432 },
      encoding: 'json',
    });
    const bin = Buffer.from([0, 1, 2, 250, 255]).toString('base64');
    const b = await alice.post<Secret>('/api/v1/secrets', {
      name: 'cfg/bin',
      value: bin,
      encoding: 'base64',
    });
    expect(b.status, b.text).toBe(201);
    expect((await alice.get<Value>(enc('cfg/bin'))).body).toMatchObject({ value: bin, encoding: 'base64' });
  });

  it('rejects bad names, oversized values, bad base64 and duplicates without echoing the value', async () => {
    for (const name of ['/lead', 'trail/', 'a//b', '../x', 'a/./b', 'sp ace', 'sec-0123456789abcdef0']) {
      const res = await alice.post<Err>('/api/v1/secrets', { name, value: 'v' });
      expect(res.status, name).toBe(400);
    }
    const big = 'z'.repeat(64 * 1024 + 1);
    const tooBig = await alice.post<Err>('/api/v1/secrets', { name: 'big', value: big });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.code).toBe('value_too_large');
    expect(tooBig.text).not.toContain('zzzzzzzz');
    const exact = await alice.post('/api/v1/secrets', { name: 'big', value: 'z'.repeat(64 * 1024) });
    expect(exact.status).toBe(201);
    const badB64 = await alice.post<Err>('/api/v1/secrets', {
      name: 'b64',
      value: 'not base64!',
      encoding: 'base64',
    });
    expect(badB64.status).toBe(400);
    expect(badB64.text).not.toContain('not base64!');
    const dup = await alice.post<Err>('/api/v1/secrets', { name: 'app/db/password', value: 'other' });
    expect(dup.status).toBe(409);
  });
});

describe('versions', () => {
  it('PUT adds a version; ?version reads old ones; versions lists them newest first', async () => {
    const put = await alice.put<Secret>(enc('app/db/password'), { value: 'pw-two-91c2' });
    expect(put.status, put.text).toBe(200);
    expect(put.body.currentVersion).toBe(2);
    expect((await alice.get<Value>(enc('app/db/password'))).body).toMatchObject({
      version: 2,
      value: 'pw-two-91c2',
    });
    expect((await alice.get<Value>(enc('app/db/password'), { query: { version: 1 } })).body).toMatchObject({
      version: 1,
      value: 'pw-one-7f3a',
    });
    const missing = await alice.get<Err>(enc('app/db/password'), { query: { version: 9 } });
    expect(missing.status).toBe(404);
    const versions = await alice.get<{ items: { version: number; current: boolean; sizeBytes: number }[] }>(
      '/api/v1/secrets/app/db/password/versions',
    );
    expect(versions.body.items.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(versions.body.items[0]!.sizeBytes).toBe('pw-two-91c2'.length);
    expect(versions.text).not.toContain('pw-');
  });

  it('check-and-set: expectedVersion other than the current one → 409, nothing stored', async () => {
    const stale = await alice.put<Err>(enc('app/db/password'), { value: 'pw-lost', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.details).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    expect(stale.text).not.toContain('pw-lost');
    const ok = await alice.put<Secret>('/api/v1/secrets/app/db/password', {
      value: 'pw-three',
      expectedVersion: 2,
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.currentVersion).toBe(3);
  });

  it('concurrent check-and-set writers: exactly one wins', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => alice.put(enc('app/api/token'), { value: `race-${i}`, expectedVersion: 1 })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect((await alice.get<Secret>(`${enc('app/api/token')}/metadata`)).body.currentVersion).toBe(2);
  });
});

describe('delete and restore', () => {
  it('soft delete keeps the secret restorable for the window; reads say it is deleted', async () => {
    await alice.post('/api/v1/secrets', { name: 'tmp/one', value: 'gone-soon' });
    const del = await alice.delete<Secret>('/api/v1/secrets/tmp/one', { query: { recoveryDays: 3 } });
    expect(del.status, del.text).toBe(200);
    expect(del.body.deletedAt).toBe('2026-06-01T12:00:00.000Z');
    expect(del.body.purgeAt).toBe('2026-06-04T12:00:00.000Z');
    const read = await alice.get<Err>(enc('tmp/one'));
    expect(read.status).toBe(409);
    expect(read.body.error.code).toBe('secret_deleted');
    const list = await alice.get<{ items: Secret[] }>('/api/v1/secrets', { query: { prefix: 'tmp/' } });
    expect(list.body.items).toHaveLength(0);
    const withDeleted = await alice.get<{ items: Secret[] }>('/api/v1/secrets', {
      query: { prefix: 'tmp/', includeDeleted: 'true' },
    });
    expect(withDeleted.body.items.map((s) => s.name)).toEqual(['tmp/one']);
    const recreate = await alice.post<Err>('/api/v1/secrets', { name: 'tmp/one', value: 'again' });
    expect(recreate.status).toBe(409);
    expect(recreate.body.error.code).toBe('secret_deleted');

    const restored = await alice.post<Secret>('/api/v1/secrets/tmp/one/restore');
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await alice.get<Value>(enc('tmp/one'))).body.value).toBe('gone-soon');
  });

  it('force=true deletes at once and frees the name', async () => {
    await alice.post('/api/v1/secrets', { name: 'tmp/two', value: 'bye' });
    const del = await alice.delete(enc('tmp/two'), { query: { force: 'true' } });
    expect(del.status).toBe(204);
    expect((await alice.get(enc('tmp/two'))).status).toBe(404);
    expect((await alice.post('/api/v1/secrets', { name: 'tmp/two', value: 'hello' })).status).toBe(201);
    const rows = await ctx.db.kysely.selectFrom('secret_versions').selectAll().execute();
    const secretIds = new Set(
      (await ctx.db.kysely.selectFrom('secrets').select('id').execute()).map((r) => r.id),
    );
    expect(rows.every((r) => secretIds.has(r.secret_id))).toBe(true);
  });
});

describe('audit', () => {
  it('records reads, changes and deletes naming secret and version, never the value', async () => {
    const { body } = await ctx.admin.get<{
      items: { action: string; resourceId: string | null; details: Record<string, unknown> }[];
    }>('/api/v1/logs/audit', { query: { limit: 500 } });
    const actions = body.items.filter((e) => e.action.startsWith('secrets.')).map((e) => e.action);
    for (const a of [
      'secrets.create',
      'secrets.read_value',
      'secrets.put_version',
      'secrets.delete',
      'secrets.restore',
      'secrets.purge',
    ])
      expect(actions).toContain(a);
    const read = body.items.find(
      (e) =>
        e.action === 'secrets.read_value' && e.details.name === 'app/db/password' && e.details.version === 1,
    );
    expect(read?.details).toMatchObject({ name: 'app/db/password', version: 1 });
    const text = JSON.stringify(body);
    for (const v of ['pw-one-7f3a', 'pw-two-91c2', 'pw-three', 'tok-abc-123', 'gone-soon'])
      expect(text).not.toContain(v);
  });
});

describe('master key rotation', () => {
  it('re-wraps every version; all versions stay readable; the key file holds only the new key', async () => {
    const before = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
    expect(new Set(before.map((r) => r.kek_id)).size).toBe(1);
    const denied = await alice.post<Err>('/api/v1/secrets/master-key/rotate');
    expect(denied.status).toBe(403);
    const res = await ctx.admin.post<{ kekId: string; previousKekIds: string[]; rewrapped: number }>(
      '/api/v1/secrets/master-key/rotate',
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.rewrapped).toBe(before.length);
    expect(res.body.previousKekIds).toEqual([before[0]!.kek_id]);
    const after = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
    expect(new Set(after.map((r) => r.kek_id))).toEqual(new Set([res.body.kekId]));
    for (const [v, expected] of [
      [1, 'pw-one-7f3a'],
      [2, 'pw-two-91c2'],
      [3, 'pw-three'],
    ] as const) {
      expect((await alice.get<Value>(enc('app/db/password'), { query: { version: v } })).body.value).toBe(
        expected,
      );
    }
    const keyLines = readFileSync(ctx.config.secretsMasterKey.file, 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{64}$/.test(l));
    expect(keyLines).toHaveLength(1);
    expect(statSync(ctx.config.secretsMasterKey.file).mode & 0o777).toBe(0o600);
    // a write after rotation uses the new key
    await alice.put(enc('app/db/password'), { value: 'pw-four' });
    expect((await alice.get<Value>(enc('app/db/password'))).body.value).toBe('pw-four');
  });
});

describe('master key rotation with several servers on one database', () => {
  it('is refused while another server is alive (it would keep the old key and write with it)', async () => {
    const now = clock.now().toISOString();
    const others = ['srv-a', 'srv-b'].map((id) => ({
      id,
      hostname: `host-${id}`,
      pid: 1,
      version: 'test',
      started_at: now,
      heartbeat_at: now,
    }));
    const before = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
    await ctx.db.kysely.insertInto('cluster_servers').values(others).execute();
    try {
      const res = await ctx.admin.post<Err>('/api/v1/secrets/master-key/rotate');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('cluster_rotation_unsupported');
      expect(res.body.error.message).toContain('host-srv-a');
      const after = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
      expect(after).toEqual(before);
      // a server that stopped beating long ago does not count
      const stale = new Date(clock.now().getTime() - 10 * 60_000).toISOString();
      await ctx.db.kysely.updateTable('cluster_servers').set({ heartbeat_at: stale }).execute();
      const ok = await ctx.admin.post('/api/v1/secrets/master-key/rotate');
      expect(ok.status, ok.text).toBe(200);
    } finally {
      await ctx.db.kysely.deleteFrom('cluster_servers').where('id', 'in', ['srv-a', 'srv-b']).execute();
    }
  });
});

describe('an interrupted master key rotation', () => {
  it('is finished by the next start: every version re-wrapped, the file back to one key, values readable', async () => {
    const file = ctx.config.secretsMasterKey.file;
    const keyLines = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^[0-9a-f]{64}$/.test(l));
    const [current] = keyLines();
    const old = Buffer.from(current!, 'hex');
    // step 1 of a rotation done, then the process died: the file lists [new, old], rows are wrapped by old
    const fresh = randomBytes(32);
    writeMasterKeyFile(file, [fresh, old]);
    const rows = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
    expect(new Set(rows.map((r) => r.kek_id))).toEqual(new Set([kekIdOf(old)]));

    const log = new CaptureStream();
    const next = await buildApp(
      { config: ctx.config, db: ctx.db, logger: createLogger('info', log), clock },
      { bootstrap: false },
    );
    try {
      await next.ready();
      const after = await ctx.db.kysely.selectFrom('secret_versions').select(['kek_id']).execute();
      expect(after).toHaveLength(rows.length);
      expect(new Set(after.map((r) => r.kek_id))).toEqual(new Set([kekIdOf(fresh)]));
      expect(keyLines()).toEqual([fresh.toString('hex')]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(log.text()).toContain('finished an interrupted master-key rotation');
      expect(log.text()).not.toContain(fresh.toString('hex'));
      const read = await next.inject({
        method: 'GET',
        url: enc('app/db/password'),
        query: { version: '1' },
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(read.statusCode, read.body).toBe(200);
      expect((JSON.parse(read.body) as Value).value).toBe('pw-one-7f3a');
    } finally {
      await next.close();
    }
  }, 180_000);
});

describe('housekeeping (last: moves the clock)', () => {
  it('the purge job removes secrets whose window ended', async () => {
    await alice.delete(enc('tmp/one'), { query: { recoveryDays: 1 } });
    const { service } = ctx.app.modules.secrets;
    const sys = {
      actor: { id: 'system', username: 'system', role: 'admin', via: 'system' },
      ip: '127.0.0.1',
      requestId: 't',
      userAgent: null,
      audited: false,
    } as const;
    expect(await service.purgeExpired(sys)).toBe(0);
    clock.advance(86_400_000 + 1);
    expect(await service.purgeExpired(sys)).toBe(1);
    alice.token = (await ctx.login(alice.user.username, alice.password)).body.accessToken;
    const after = await alice.get<Err>(enc('tmp/one'));
    expect(after.status).toBe(404);
  });
});
