import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { createLogger } from '../../platform/logger.ts';
import { CaptureStream, countRows, createTestContext, type TestContext } from '../../testing/test-kit.ts';

type User = {
  id: string;
  username: string;
  fullName: string;
  role: string;
  status: string;
  createdAt: string;
  lastLoginAt: string | null;
};
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('users', () => {
  it('creates users and rejects duplicates with 409', async () => {
    const res = await ctx.admin.post<User>('/api/v1/users', {
      username: 'carol',
      fullName: 'Carol C',
      password: 'carol-password-1',
      role: 'operator',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: 'carol',
      fullName: 'Carol C',
      role: 'operator',
      status: 'active',
      lastLoginAt: null,
    });
    expect(res.body.id).toMatch(/^usr-[0-9a-f]{17}$/);
    expect(res.body).not.toHaveProperty('password');
    const dup = await ctx.admin.post<ErrorBody>('/api/v1/users', {
      username: 'carol',
      password: 'carol-password-1',
      role: 'readonly',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
  });

  it('validates input: bad usernames, roles, types and unknown fields → 400 listing fields, nothing written', async () => {
    const before = await countRows(ctx, 'users');
    const bad = [
      { username: 'Bad Name', password: 'long-enough-password', role: 'operator' },
      { username: 'ab', password: 'long-enough-password', role: 'operator' },
      { username: 'dave', password: 'short', role: 'operator' },
      { username: 'dave', password: 'long-enough-password', role: 'root' },
      { username: 'dave', password: 12345678901, role: 'operator' },
      { username: 'dave', password: 'long-enough-password', role: 'operator', isAdmin: true },
      { username: "x'; drop table users; --", password: 'long-enough-password', role: 'operator' },
      {},
    ];
    for (const body of bad) {
      const res = await ctx.admin.post<ErrorBody>('/api/v1/users', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(Array.isArray(res.body.error.details?.issues)).toBe(true);
    }
    const unknown = await ctx.admin.post<ErrorBody>('/api/v1/users', bad[5]);
    expect(unknown.body.error.details?.issues).toContainEqual({
      field: 'body.isAdmin',
      message: 'is not an allowed field',
    });
    const missing = await ctx.admin.post<ErrorBody>('/api/v1/users', {});
    const fields = (missing.body.error.details!.issues as { field: string }[]).map((i) => i.field).sort();
    expect(fields).toEqual(['body.password', 'body.role', 'body.username']);
    expect(await countRows(ctx, 'users')).toBe(before);
  });

  it('stores SQL-looking strings literally', async () => {
    const payload = 'Robert\'); DROP TABLE users;-- " OR 1=1';
    const res = await ctx.admin.post<User>('/api/v1/users', {
      username: 'bobby.tables',
      fullName: payload,
      password: 'long-enough-password',
      role: 'readonly',
    });
    expect(res.status).toBe(201);
    const got = await ctx.admin.get<User>(`/api/v1/users/${res.body.id}`);
    expect(got.body.fullName).toBe(payload);
    const search = await ctx.admin.get<{ items: User[] }>('/api/v1/users', { query: { q: "'); DROP" } });
    expect(search.body.items.map((u) => u.username)).toEqual(['bobby.tables']);
    const pct = await ctx.admin.get<{ items: User[] }>('/api/v1/users', { query: { q: '%' } });
    expect(pct.body.items).toEqual([]); // % is matched literally, not as a wildcard
    expect(await countRows(ctx, 'users')).toBeGreaterThan(0);
  });

  it('lists with filters and pagination', async () => {
    for (let i = 0; i < 5; i++) await ctx.newUser({ role: 'readonly', username: `pager${i}` });
    const page1 = await ctx.admin.get<{ items: User[]; total: number; limit: number; offset: number }>(
      '/api/v1/users',
      {
        query: { role: 'readonly', q: 'pager', limit: 2, offset: 0 },
      },
    );
    expect(page1.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(page1.body.items.map((u) => u.username)).toEqual(['pager0', 'pager1']);
    const page3 = await ctx.admin.get<{ items: User[] }>('/api/v1/users', {
      query: { q: 'pager', limit: 2, offset: 4 },
    });
    expect(page3.body.items.map((u) => u.username)).toEqual(['pager4']);
    for (const query of [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { limit: 'ten' }, { role: 'root' }]) {
      expect(
        (await ctx.admin.get('/api/v1/users', { query: query as unknown as Record<string, string> })).status,
        JSON.stringify(query),
      ).toBe(400);
    }
    const defaults = await ctx.admin.get<{ limit: number; offset: number }>('/api/v1/users');
    expect(defaults.body).toMatchObject({ limit: 50, offset: 0 });
  });

  it('admin updates role/status; disabling revokes sessions; the last active admin is protected', async () => {
    const u = await ctx.newUser({ role: 'readonly' });
    const promoted = await ctx.admin.put<User>(`/api/v1/users/${u.user.id}`, {
      role: 'operator',
      fullName: 'Promoted',
    });
    expect(promoted.body).toMatchObject({ role: 'operator', fullName: 'Promoted' });
    const me = await u.get<{ permissions: string[] }>('/api/v1/auth/me');
    expect(me.body.permissions).toContain('instances:create'); // role change effective immediately

    const selfDemote = await ctx.admin.put<ErrorBody>(`/api/v1/users/${ctx.admin.user.id}`, {
      role: 'readonly',
    });
    expect(selfDemote.status).toBe(409);
    const selfDisable = await ctx.admin.put<ErrorBody>(`/api/v1/users/${ctx.admin.user.id}`, {
      status: 'disabled',
    });
    expect(selfDisable.status).toBe(409);

    const second = await ctx.newUser({ role: 'admin' });
    expect((await ctx.admin.put(`/api/v1/users/${second.user.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await second.get('/api/v1/auth/me')).status).toBe(401);
    expect((await ctx.admin.put(`/api/v1/users/${second.user.id}`, { status: 'active' })).status).toBe(200);
    expect((await ctx.admin.delete(`/api/v1/users/${second.user.id}`)).status).toBe(204);

    // Only one active admin left: even a system caller cannot demote, disable or delete it.
    const { users } = ctx.app.services.iam;
    const system = systemContext(systemActor);
    await expect(users.update(system, ctx.admin.user.id, { role: 'operator' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(users.update(system, ctx.admin.user.id, { status: 'disabled' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(users.delete(system, ctx.admin.user.id)).rejects.toMatchObject({ status: 409 });
    expect((await ctx.admin.get('/api/v1/users')).status).toBe(200);
  });

  it('admin reset password revokes the user’s sessions and clears a lockout', async () => {
    const u = await ctx.newUser({ role: 'operator' });
    for (let i = 0; i < ctx.config.auth.lockoutThreshold; i++)
      await ctx.login(u.user.username, 'wrong-password-x');
    expect((await ctx.login(u.user.username, u.password)).status).toBe(429);
    const res = await ctx.admin.post(`/api/v1/users/${u.user.id}/password`, { password: 'reset-by-admin-1' });
    expect(res.status).toBe(204);
    expect((await u.get('/api/v1/auth/me')).status).toBe(401);
    expect((await ctx.login(u.user.username, 'reset-by-admin-1')).status).toBe(200);
  });
});

describe('deleting users who own resources', () => {
  it('409 user_owns_resources with counts, then reassignTo moves them and deletes', async () => {
    // A module-like resource table with an ownership hook, as later modules register.
    await ctx.db.kysely.schema
      .createTable('widgets')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .execute();
    const db = ctx.db.kysely;
    ctx.app.services.ownership.register({
      resourceType: 'widgets',
      async count(userId, trx) {
        const row = await sql<{
          n: number | string;
        }>`select count(*) as n from widgets where owner_id = ${userId}`.execute(trx);
        return Number(row.rows[0]?.n ?? 0);
      },
      async reassign(from, to, trx) {
        await sql`update widgets set owner_id = ${to} where owner_id = ${from}`.execute(trx);
      },
    });
    const owner = await ctx.newUser({ role: 'operator' });
    const heir = await ctx.newUser({ role: 'operator' });
    await sql`insert into widgets (id, owner_id) values ('w-1', ${owner.user.id}), ('w-2', ${owner.user.id})`.execute(
      db,
    );

    const blocked = await ctx.admin.delete<ErrorBody>(`/api/v1/users/${owner.user.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('user_owns_resources');
    expect(blocked.body.error.details).toEqual({ counts: { widgets: 2 } });
    expect((await ctx.admin.get(`/api/v1/users/${owner.user.id}`)).status).toBe(200);

    const badTarget = await ctx.admin.delete(`/api/v1/users/${owner.user.id}`, {
      query: { reassignTo: 'usr-00000000000000000' },
    });
    expect(badTarget.status).toBe(400);

    const ok = await ctx.admin.delete(`/api/v1/users/${owner.user.id}`, {
      query: { reassignTo: heir.user.id },
    });
    expect(ok.status).toBe(204);
    const rows = await sql<{ owner_id: string }>`select owner_id from widgets order by id`.execute(db);
    expect(rows.rows.map((r) => r.owner_id)).toEqual([heir.user.id, heir.user.id]);
    expect((await ctx.admin.get(`/api/v1/users/${owner.user.id}`)).status).toBe(404);
    expect((await owner.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('first-run bootstrap', () => {
  it('creates admin once; a generated password is printed once and never again', async () => {
    const fresh = await createTestContext({
      bootstrap: false,
      configure: (c) => ({ ...c, adminPassword: null }),
    });
    try {
      const first = new CaptureStream();
      const app1 = await buildApp({
        config: fresh.config,
        db: fresh.db,
        logger: createLogger('info', first),
      });
      await app1.close();
      const banner = first.text();
      const match = /Generated password: (\S+)/.exec(banner.replace(/\\n/g, '\n'));
      expect(match).not.toBeNull();
      const password = match![1]!;
      expect(await countRows(fresh, 'users')).toBe(1);
      // also in <dataDir>/initial-admin-password, owner-only, and the banner says where
      const file = path.join(fresh.config.dataDir, 'initial-admin-password');
      expect(fs.readFileSync(file, 'utf8')).toBe(`${password}\n`);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(banner).toContain(file);
      // printed once (the banner), not in any other log line nor in the audit log
      expect(banner.split(password).length - 1).toBe(1);
      const audit = await sql<Record<string, unknown>>`select * from audit_log`.execute(fresh.db.kysely);
      expect(JSON.stringify(audit.rows)).not.toContain(password);

      const second = new CaptureStream();
      const app2 = await buildApp({
        config: { ...fresh.config, adminPassword: 'a-different-password' },
        db: fresh.db,
        logger: createLogger('info', second),
      });
      await app2.ready();
      expect(second.text()).not.toContain(password);
      expect(second.text()).not.toContain('Generated password');
      expect(await countRows(fresh, 'users')).toBe(1);
      const login = await app2.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password },
      });
      expect(login.statusCode).toBe(200);
      const other = await app2.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: 'a-different-password' },
      });
      expect(other.statusCode).toBe(401);
      // changing the password deletes the file
      const token = (login.json() as { accessToken: string }).accessToken;
      const changed = await app2.inject({
        method: 'PUT',
        url: '/api/v1/auth/password',
        headers: { authorization: `Bearer ${token}` },
        payload: { currentPassword: password, newPassword: 'a-brand-new-admin-password' },
      });
      expect(changed.statusCode).toBe(204);
      expect(fs.existsSync(file)).toBe(false);
      await app2.close();
    } finally {
      await fresh.close();
    }
    // three full app start-ups (each with its simulator): more than the default 30 s on a busy CI machine
  }, 180_000);
});

describe('password policy (create, reset, change)', () => {
  const refused: [string, string][] = [
    ['          ', 'whitespace_only'],
    ['\t \n  \u00a0    ', 'whitespace_only'],
    ['aaaaaaaaaa', 'repeated_character'],
    ['password12', 'common_password'],
    ['Password123', 'common_password'],
    ['qwertyuiop', 'common_password'],
    ['1234567890', 'common_password'],
    ['policyuser', 'contains_username'],
    ['PolicyUser', 'contains_username'],
    ['policyuser2024!', 'contains_username'],
    ['2024-PolicyUser', 'contains_username'],
  ];

  it('refuses weak passwords on create with 400 validation_error saying why', async () => {
    for (const [password, reason] of refused) {
      const res = await ctx.admin.post<ErrorBody>('/api/v1/users', {
        username: 'policyuser',
        password,
        role: 'operator',
      });
      expect(res.status, JSON.stringify(password)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details).toMatchObject({ field: 'password', reason });
      expect(res.body.error.message).toMatch(/^Password /);
    }
    // A passphrase that mentions the username among other words is fine.
    const ok = await ctx.admin.post<User>('/api/v1/users', {
      username: 'policyuser',
      password: 'policyuser likes green tea',
      role: 'operator',
    });
    expect(ok.status).toBe(201);
  });

  it('refuses weak passwords on admin reset and on change of own password', async () => {
    const u = await ctx.newUser({ role: 'operator', username: 'policy2' });
    for (const [password, reason] of [
      ['password12', 'common_password'],
      ['policy2-123', 'contains_username'],
      ['          ', 'whitespace_only'],
    ] as const) {
      const reset = await ctx.admin.post<ErrorBody>(`/api/v1/users/${u.user.id}/password`, { password });
      expect(reset.status).toBe(400);
      expect(reset.body.error.details).toMatchObject({ field: 'password', reason });
      const change = await u.put<ErrorBody>('/api/v1/auth/password', {
        currentPassword: u.password,
        newPassword: password,
      });
      expect(change.status).toBe(400);
      expect(change.body.error.details).toMatchObject({ field: 'newPassword', reason });
    }
    expect((await ctx.login('policy2', u.password)).status).toBe(200);
  });
});
