import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../platform/db/database.ts';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';

type Page = { items: { id: string; username: string; fullName: string; role: string }[]; total: number };

let ctx: TestContext;
/** A second connection, as another process (the CLI, a second server) would have. */
let other: Database;
beforeAll(async () => {
  ctx = await createTestContext();
  other = openDatabase(ctx.config.database);
});
afterAll(async () => {
  await other?.close();
  await ctx?.close();
});

const list = async (query = 'limit=100') => {
  const res = await ctx.admin.get<Page>(`/api/v1/users?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return res.body;
};

describe('users list cache (valid while the users table version is unchanged)', () => {
  it('shows writes made through the API and by other connections at once', async () => {
    const before = await list();
    expect(await list()).toEqual(before); // served again (from the cache) unchanged

    // Through the API (this process).
    const carol = await ctx.newUser({ role: 'operator', username: 'carol', fullName: 'Carol C' });
    const withCarol = await list();
    expect(withCarol.total).toBe(before.total + 1);
    expect(withCarol.items.map((u) => u.username)).toContain('carol');

    // Another connection, bypassing the service: insert, update, delete — each visible on the next list.
    const now = new Date().toISOString();
    await sql`insert into users (id, username, full_name, password_hash, role, status, created_at, updated_at, password_changed_at)
      values ('usr-elsewhere00000000', 'dora', 'Dora D', 'x', 'readonly', 'active', ${now}, ${now}, ${now})`.execute(
      other.kysely,
    );
    const withDora = await list();
    expect(withDora.total).toBe(before.total + 2);
    expect(withDora.items.find((u) => u.username === 'dora')).toMatchObject({
      fullName: 'Dora D',
      role: 'readonly',
    });

    await sql`update users set full_name = 'Carol Renamed' where id = ${carol.user.id}`.execute(other.kysely);
    expect((await list()).items.find((u) => u.id === carol.user.id)?.fullName).toBe('Carol Renamed');
    // A filtered page and a different window are cached apart and see it too.
    expect((await list('role=operator&q=carol')).items.map((u) => u.fullName)).toEqual(['Carol Renamed']);
    expect((await list('limit=1&offset=1')).items).toHaveLength(1);

    await sql`delete from users where username = 'dora'`.execute(other.kysely);
    const after = await list();
    expect(after.total).toBe(before.total + 1);
    expect(after.items.map((u) => u.username)).not.toContain('dora');
    expect((await list('role=operator&q=carol')).items.map((u) => u.fullName)).toEqual(['Carol Renamed']);
  });

  it('a login (last_login_at) shows in the list', async () => {
    const u = await ctx.newUser({ role: 'readonly' });
    const before = (await list('q=' + u.user.username)).items[0];
    expect(before).toBeDefined();
    expect((await ctx.login(u.user.username, u.password)).status).toBe(200);
    const after = (await list('q=' + u.user.username)).items[0] as unknown as { lastLoginAt: string | null };
    expect(after.lastLoginAt).not.toBe((before as unknown as { lastLoginAt: string | null }).lastLoginAt);
    expect(after.lastLoginAt).not.toBeNull();
  });
});
