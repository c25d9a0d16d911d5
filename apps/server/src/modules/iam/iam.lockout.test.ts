import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';

let ctx: TestContext;
const clock = new ManualClock('2026-01-10T10:00:00.000Z');

beforeAll(async () => {
  ctx = await createTestContext({
    clock,
    configure: (c) => ({ ...c, auth: { ...c.auth, ipMaxFailures: 12, ipWindowSeconds: 600 } }),
  });
});
afterAll(async () => {
  await ctx?.close();
});

/** The manual clock also ages access tokens: log the admin in again after moving time. */
async function relogAdmin() {
  const res = await ctx.login('admin', 'admin-password-for-tests');
  ctx.admin.token = res.body.accessToken;
}

describe('per-user lockout', () => {
  it('locks after 5 failures (429 + Retry-After, even with the right password) and unlocks after 15 minutes', async () => {
    const u = await ctx.newUser({ role: 'operator', username: 'locky' });
    for (let i = 1; i <= 4; i++) expect((await ctx.login('locky', `wrong-${i}-password`)).status).toBe(401);
    const fifth = await ctx.login('locky', 'wrong-5-password');
    expect(fifth.status).toBe(401);
    const locked = await ctx.login('locky', u.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    const row = await ctx.db.kysely
      .selectFrom('login_lockouts')
      .selectAll()
      .where('username', '=', 'locky')
      .executeTakeFirst();
    expect(row?.locked_until).toBeTruthy();

    clock.advance(15 * 60 * 1000 + 1000);
    expect((await ctx.login('locky', u.password)).status).toBe(200);
    await relogAdmin();
    const events = await ctx.admin.get<{ items: { action: string; result: string }[] }>(
      '/api/v1/logs/audit',
      {
        query: { userId: u.user.id, action: 'auth.*', limit: 50 },
      },
    );
    const actions = events.body.items.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login_failed').length).toBe(6);
    expect(actions).toContain('auth.lockout');
    expect(actions[0]).toBe('auth.login');
  });

  it('unknown usernames lock the same way (no user enumeration)', async () => {
    for (let i = 0; i < 5; i++) expect((await ctx.login('ghost-user', 'some-password-x')).status).toBe(401);
    expect((await ctx.login('ghost-user', 'some-password-x')).status).toBe(429);
    clock.advance(16 * 60 * 1000);
  });
});

describe('per-IP rate limit', () => {
  it('answers 429 to an address with too many failures, whatever the username', async () => {
    clock.advance(60 * 60 * 1000); // previous failures fall out of the window
    // trustProxy is off, so every inject() call comes from the same address.
    let status = 0;
    let attempts = 0;
    for (; attempts < 30 && status !== 429; attempts++) {
      status = (await ctx.login(`spray${attempts}`, 'wrong-password-1')).status;
    }
    expect(status).toBe(429);
    expect(attempts).toBe(13); // 12 failures allowed, the 13th is refused
    const res = await ctx.login('admin', 'whatever-password');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    clock.advance(11 * 60 * 1000);
    expect((await ctx.login('admin', 'admin-password-for-tests')).status).toBe(200);
  });
});

function loginFrom(remoteAddress: string, username: string, password: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password }),
  });
}

describe('lockout is per user and source address (no lockout denial of service)', () => {
  it("a stranger's wrong passwords do not lock the owner out elsewhere, but keep stopping the stranger", async () => {
    clock.advance(60 * 60 * 1000);
    await relogAdmin();
    const u = await ctx.newUser({ role: 'operator', username: 'victim' });
    for (let i = 0; i < 5; i++) {
      expect((await loginFrom('192.0.2.66', 'victim', `guess-${i}-password`)).statusCode).toBe(401);
    }
    // The attacker's address is locked for this account, even with the right password…
    const attacker = await loginFrom('192.0.2.66', 'victim', u.password);
    expect(attacker.statusCode).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(800);
    // …and keeps being stopped (brute force from one source is still bounded).
    for (let i = 0; i < 3; i++) {
      expect((await loginFrom('192.0.2.66', 'victim', `guess-x${i}-password`)).statusCode).toBe(429);
    }
    // The owner, from another address, signs in.
    expect((await loginFrom('198.51.100.20', 'victim', u.password)).statusCode).toBe(200);
    // Same for the admin account: five anonymous failures do not keep the admin out.
    for (let i = 0; i < 5; i++) await loginFrom('192.0.2.67', 'admin', `guess-${i}-password`);
    expect((await loginFrom('192.0.2.67', 'admin', 'admin-password-for-tests')).statusCode).toBe(429);
    expect((await loginFrom('198.51.100.21', 'admin', 'admin-password-for-tests')).statusCode).toBe(200);
  });
});

describe('break-glass unlock (unlockUser, as `proxicloud admin unlock` runs it)', () => {
  it('clears every lockout of the user in the database and writes an auth.unlock audit entry', async () => {
    const { unlockUser, AdminCommandError } = await import('../../admin.ts');
    clock.advance(60 * 60 * 1000);
    await relogAdmin();
    const u = await ctx.newUser({ role: 'operator', username: 'glass' });
    for (const ip of ['192.0.2.70', '192.0.2.71']) {
      for (let i = 0; i < 5; i++) await loginFrom(ip, 'glass', `guess-${i}-password`);
      expect((await loginFrom(ip, 'glass', u.password)).statusCode).toBe(429);
    }
    const result = await unlockUser('Glass', { config: ctx.config, operator: 'root' });
    expect(result).toMatchObject({ userId: u.user.id, username: 'glass', clearedLockouts: 2 });
    const rows = await ctx.db.kysely
      .selectFrom('login_lockouts')
      .selectAll()
      .where('username', '=', 'glass')
      .execute();
    expect(rows).toEqual([]);
    expect((await loginFrom('192.0.2.70', 'glass', u.password)).statusCode).toBe(200);
    const events = await ctx.admin.get<{ items: { action: string; resourceId: string; details: unknown }[] }>(
      '/api/v1/logs/audit',
      { query: { action: 'auth.unlock', limit: 10 } },
    );
    expect(events.body.items[0]).toMatchObject({
      action: 'auth.unlock',
      resourceId: u.user.id,
      details: { clearedLockouts: 2, hostUser: 'root' },
    });
    await expect(unlockUser('nobody-here', { config: ctx.config })).rejects.toBeInstanceOf(AdminCommandError);
  });
});
