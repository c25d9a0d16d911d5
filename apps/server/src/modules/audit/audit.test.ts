import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ADMIN_PASSWORD, createTestContext, type TestContext } from '../../testing/test-kit.ts';
import { csvField } from './audit.routes.ts';
import type { AuditEntry } from './audit.service.ts';

type Entry = AuditEntry;
type List = { items: Entry[]; total: number; limit: number; offset: number };
type Verify = {
  valid: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
  checkpoint: { id: number; hash: string } | null;
};

const clock = new ManualClock('2026-03-01T12:00:00.000Z');
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ clock });
});
afterAll(async () => {
  await ctx?.close();
});

async function relogAdmin() {
  const res = await ctx.login('admin', ADMIN_PASSWORD);
  ctx.admin.token = res.body.accessToken;
}

describe('recording', () => {
  it('records mutating calls with user, action, resource, source IP, result and request id', async () => {
    const res = await ctx.admin.post<{ id: string }>(
      '/api/v1/users',
      { username: 'audited', password: 'long-enough-password', role: 'readonly' },
      { headers: { 'x-request-id': 'trace-123' } },
    );
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('trace-123');
    const list = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { action: 'users.create', resourceId: res.body.id },
    });
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      userId: ctx.admin.user.id,
      username: 'admin',
      action: 'users.create',
      resourceType: 'user',
      resourceId: res.body.id,
      sourceIp: '127.0.0.1',
      result: 'success',
      requestId: 'trace-123',
      details: { username: 'audited', role: 'readonly' },
    });
  });

  it('records denied and failed calls through the hook (once per call)', async () => {
    const ro = await ctx.newUser({ role: 'readonly' });
    const denied = await ro.post('/api/v1/users', {
      username: 'nope1',
      password: 'long-enough-password',
      role: 'admin',
    });
    expect(denied.status).toBe(403);
    const dup = await ctx.admin.post('/api/v1/users', {
      username: 'audited',
      password: 'long-enough-password',
      role: 'readonly',
    });
    expect(dup.status).toBe(409);
    const anon = await ctx.request('DELETE', `/api/v1/users/${ro.user.id}`);
    expect(anon.status).toBe(401);

    const deniedRows = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { userId: ro.user.id, action: 'users.create' },
    });
    expect(deniedRows.body.items).toHaveLength(1);
    expect(deniedRows.body.items[0]).toMatchObject({
      result: 'denied',
      details: { status: 403, error: 'forbidden' },
    });
    const dupRow = (
      await ctx.admin.get<List>('/api/v1/logs/audit', {
        query: { action: 'users.create', result: 'failure' },
      })
    ).body.items;
    expect(dupRow).toHaveLength(1);
    expect(dupRow[0]?.details).toMatchObject({ status: 409, error: 'conflict' });
    const anonRow = (
      await ctx.admin.get<List>('/api/v1/logs/audit', {
        query: { action: 'users.delete', resourceId: ro.user.id },
      })
    ).body.items;
    expect(anonRow).toHaveLength(1);
    expect(anonRow[0]).toMatchObject({ userId: null, result: 'denied' });
    // Reads are not audited.
    const reads = await ctx.admin.get<List>('/api/v1/logs/audit', { query: { action: 'http.request' } });
    expect(reads.body.total).toBe(0);
  });

  it('records auth events without any secret', async () => {
    const u = await ctx.newUser({ role: 'operator' });
    await ctx.login(u.user.username, 'not-my-password-123');
    const refreshed = await ctx.request<{ refreshToken: string; accessToken: string }>(
      'POST',
      '/api/v1/auth/refresh',
      {
        body: { refreshToken: u.refreshToken },
      },
    );
    u.token = refreshed.body.accessToken;
    await u.put('/api/v1/auth/password', {
      currentPassword: u.password,
      newPassword: 'brand-new-password-9',
    });
    const key = await u.post<{ secretAccessKey: string; accessKeyId: string }>('/api/v1/access-keys', {
      description: 'x',
    });
    await u.delete(`/api/v1/access-keys/${key.body.accessKeyId}`);
    await ctx.admin.post(`/api/v1/users/${u.user.id}/password`, { password: 'admin-chosen-password' });
    await u.post('/api/v1/auth/logout', { refreshToken: refreshed.body.refreshToken });

    const all = await ctx.admin.get<List>('/api/v1/logs/audit', { query: { limit: 1000 } });
    const mine = all.body.items.filter((e) => e.userId === u.user.id || e.resourceId === u.user.id);
    const actions = new Set(mine.map((e) => e.action));
    for (const a of [
      'auth.login',
      'auth.login_failed',
      'auth.refresh',
      'auth.password_change',
      'access_keys.create',
      'access_keys.delete',
      'users.reset_password',
      'auth.logout',
    ]) {
      expect(actions, a).toContain(a);
    }
    const dump = JSON.stringify(await ctx.db.kysely.selectFrom('audit_log').selectAll().execute());
    for (const secret of [
      u.password,
      'not-my-password-123',
      'brand-new-password-9',
      'admin-chosen-password',
      ADMIN_PASSWORD,
      u.refreshToken,
      refreshed.body.refreshToken,
      refreshed.body.accessToken,
      key.body.secretAccessKey,
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('redacts secret-looking keys in details passed by modules', async () => {
    const entry = await ctx.app.services.audit.record(systemContext(systemActor), {
      action: 'test.secretive',
      details: { name: 'ok', password: 'p@ss-word-123', nested: { apiKey: 'k-123', token: 't-1' } },
    });
    expect(entry.details).toEqual({
      name: 'ok',
      password: '[redacted]',
      nested: { apiKey: '[redacted]', token: '[redacted]' },
    });
  });
});

describe('audit.change() for module services', () => {
  it('commits the change and its entry together, or neither', async () => {
    const { audit } = ctx.app.services;
    const sys = systemContext(systemActor);
    const before = (await ctx.admin.get<List>('/api/v1/logs/audit', { query: { action: 'test.change' } }))
      .body.total;
    const value = await audit.change(
      sys,
      async (trx) => {
        await trx
          .updateTable('users')
          .set({ full_name: 'Changed In Tx' })
          .where('username', '=', 'audited')
          .execute();
        return 'ok';
      },
      (r) => ({ action: 'test.change', resourceType: 'user', details: { r } }),
    );
    expect(value).toBe('ok');
    await expect(
      audit.change(
        sys,
        async (trx) => {
          await trx
            .updateTable('users')
            .set({ full_name: 'Rolled Back' })
            .where('username', '=', 'audited')
            .execute();
          throw new Error('boom');
        },
        { action: 'test.change' },
      ),
    ).rejects.toThrow('boom');
    const after = await ctx.admin.get<List>('/api/v1/logs/audit', { query: { action: 'test.change' } });
    expect(after.body.total).toBe(before + 1);
    const user = await ctx.db.kysely
      .selectFrom('users')
      .select('full_name')
      .where('username', '=', 'audited')
      .executeTakeFirst();
    expect(user?.full_name).toBe('Changed In Tx');
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.valid).toBe(true);
  });
});

describe('queries', () => {
  it('filters by action prefix, result, user, resource and date range; paginates newest first', async () => {
    const all = await ctx.admin.get<List>('/api/v1/logs/audit', { query: { limit: 1000 } });
    const ids = all.body.items.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const page = await ctx.admin.get<List>('/api/v1/logs/audit', { query: { limit: 3, offset: 2 } });
    expect(page.body.items.map((e) => e.id)).toEqual(ids.slice(2, 5));
    expect(page.body.total).toBe(all.body.total);

    const auth = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { action: 'auth.*', limit: 1000 },
    });
    expect(auth.body.items.length).toBeGreaterThan(0);
    expect(auth.body.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
    const byName = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { username: 'admin', limit: 1000 },
    });
    expect(byName.body.items.every((e) => e.username === 'admin')).toBe(true);

    clock.advance(2 * 86_400_000);
    await relogAdmin();
    const later = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { from: '2026-03-02', limit: 1000 },
    });
    expect(later.body.items.length).toBeGreaterThan(0);
    expect(later.body.items.every((e) => e.timestamp >= '2026-03-02')).toBe(true);
    const dayOne = await ctx.admin.get<List>('/api/v1/logs/audit', {
      query: { to: '2026-03-01', limit: 1000 },
    });
    expect(dayOne.body.items.every((e) => e.timestamp.startsWith('2026-03-01'))).toBe(true);
    expect(dayOne.body.total + later.body.total).toBe(
      (await ctx.admin.get<List>('/api/v1/logs/audit')).body.total,
    );
    expect((await ctx.admin.get('/api/v1/logs/audit', { query: { from: 'yesterday' } })).status).toBe(400);
    expect((await ctx.admin.get('/api/v1/logs/audit', { query: { result: 'maybe' } })).status).toBe(400);
  });

  it('exports CSV (streamed in batches, formula-safe)', async () => {
    const ctxSys = systemContext(systemActor);
    for (let i = 0; i < 1100; i++) {
      await ctx.app.services.audit.record(ctxSys, {
        action: 'test.bulk',
        details: { i, note: i === 0 ? '=HYPERLINK("x")' : 'a,"b"' },
      });
    }
    const res = await ctx.admin.get('/api/v1/logs/audit.csv', { query: { action: 'test.bulk' } });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/csv');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,timestamp,userId,username,action,resourceType,resourceId,sourceIp,result,requestId,details,prevHash,hash',
    );
    expect(lines).toHaveLength(1101);
    const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids); // oldest first
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField({ note: '@x' })).toBe('"{""note"":""@x""}"');
    expect(csvField(null)).toBe('');
  });
});

describe('tamper evidence', () => {
  it('verify passes on an intact chain', async () => {
    const res = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, firstBrokenId: null, reason: null, checkpoint: null });
    expect(res.body.checked).toBeGreaterThan(1000);
  });

  it('an edited row fails at that id; restoring it heals the chain', async () => {
    const target = (
      await ctx.admin.get<List>('/api/v1/logs/audit', { query: { action: 'users.create', limit: 1 } })
    ).body.items[0]!;
    await sql`update audit_log set action = 'users.read' where id = ${target.id}`.execute(ctx.db.kysely);
    const broken = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(broken.body).toMatchObject({ valid: false, firstBrokenId: target.id });
    expect(broken.body.reason).toContain('hash mismatch');
    await sql`update audit_log set action = ${target.action} where id = ${target.id}`.execute(ctx.db.kysely);
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.valid).toBe(true);

    await sql`update audit_log set details = ${'{"username":"someone-else"}'} where id = ${target.id}`.execute(
      ctx.db.kysely,
    );
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.firstBrokenId).toBe(target.id);
    await sql`update audit_log set details = ${JSON.stringify(target.details)} where id = ${target.id}`.execute(
      ctx.db.kysely,
    );
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.valid).toBe(true);
  });

  it('a deleted row fails at the next id; a deleted tail is reported too', async () => {
    const rows = (
      await ctx.admin.get<List>('/api/v1/logs/audit', {
        query: { action: 'test.bulk', limit: 3, offset: 500 },
      })
    ).body.items;
    const victim = rows[1]!;
    const saved = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where id = ${victim.id}`.execute(ctx.db.kysely);
    const res = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(res.body).toMatchObject({ valid: false, firstBrokenId: victim.id + 1 });
    expect(res.body.reason).toContain('missing');
    await ctx.db.kysely.insertInto('audit_log').values(saved).execute();
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.valid).toBe(true);

    const head = await ctx.db.kysely.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();
    const last = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '=', head.last_id)
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where id = ${head.last_id}`.execute(ctx.db.kysely);
    const tail = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(tail.body.valid).toBe(false);
    expect(tail.body.firstBrokenId).toBe(Number(head.last_id));
    await ctx.db.kysely.insertInto('audit_log').values(last).execute();
  });

  it('concurrent appends keep one unbroken chain', async () => {
    const sys = systemContext(systemActor);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        ctx.app.services.audit.record(sys, { action: 'test.concurrent', details: { i } }),
      ),
    );
    const ops = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ctx.admin.post('/api/v1/access-keys', { description: `parallel ${i}` }),
      ),
    );
    expect(ops.filter((r) => r.status === 201).length).toBe(10);
    const res = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(res.body).toMatchObject({ valid: true });
  });
});

describe('retention', () => {
  it('deletes old rows behind a checkpoint and verification still passes', async () => {
    const before = (await ctx.admin.get<List>('/api/v1/logs/audit')).body.total;
    clock.advance(100 * 86_400_000);
    await relogAdmin();
    await ctx.admin.post('/api/v1/access-keys', { description: 'after the gap' });
    const deleted = await ctx.app.services.audit.applyRetention(90, systemContext(systemActor));
    expect(deleted).toBeGreaterThan(1000);
    const after = (await ctx.admin.get<List>('/api/v1/logs/audit', { query: { limit: 1000 } })).body;
    expect(after.total).toBeLessThan(before);
    expect(after.items.some((e) => e.action === 'audit.retention')).toBe(true);
    const res = await ctx.admin.get<Verify>('/api/v1/logs/audit/verify');
    expect(res.body.valid).toBe(true);
    expect(res.body.checkpoint).not.toBeNull();
    const oldest = Math.min(...after.items.map((e) => e.id));
    expect(res.body.checkpoint!.id).toBe(oldest - 1);

    // Tampering after the checkpoint is still caught.
    await sql`update audit_log set result = 'failure' where id = ${oldest}`.execute(ctx.db.kysely);
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.firstBrokenId).toBe(oldest);
    await sql`update audit_log set result = 'success' where id = ${oldest}`.execute(ctx.db.kysely);
    // The retention job runs the same code.
    await ctx.app.services.jobs.runNow('audit.retention');
    expect((await ctx.admin.get<Verify>('/api/v1/logs/audit/verify')).body.valid).toBe(true);
  });
});
