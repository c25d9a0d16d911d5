import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';

/**
 * PROXICLOUD_TRUST_PROXY: only the listed proxies' X-Forwarded-For counts, and the client is the
 * right-most hop that is not a trusted proxy. Forged hops to its left change nothing.
 */
let ctx: TestContext;
const clock = new ManualClock('2026-02-01T10:00:00.000Z');

beforeAll(async () => {
  ctx = await createTestContext({
    clock,
    env: { PROXICLOUD_TRUST_PROXY: '127.0.0.1,10.0.0.0/8,::1' },
    configure: (c) => ({ ...c, auth: { ...c.auth, ipMaxFailures: 20, ipWindowSeconds: 600 } }),
  });
});
afterAll(async () => {
  await ctx?.close();
});

function login(username: string, password: string, remoteAddress: string, xff?: string | string[]) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json', ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}) },
    payload: JSON.stringify({ username, password }),
  });
}

async function auditIps(action: string): Promise<string[]> {
  // The manual clock ages access tokens too.
  ctx.admin.token = (await ctx.login('admin', 'admin-password-for-tests')).body.accessToken;
  const res = await ctx.admin.get<{ items: { sourceIp: string }[] }>('/api/v1/logs/audit', {
    query: { action, limit: 200 },
  });
  return res.body.items.map((e) => e.sourceIp);
}

describe('forwarded headers (PROXICLOUD_TRUST_PROXY)', () => {
  it('40 wrong passwords with forged X-Forwarded-For (appended form) hit the per-IP limit of the real client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      // What the proxy at 127.0.0.1 sends when the client itself sent "X-Forwarded-For: 10.<i>.0.1".
      const res = await login(`spray-a${i}`, 'wrong-password-1', '127.0.0.1', `10.${i}.0.1, 203.0.113.7`);
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const ips = await auditIps('auth.login_failed');
    expect(ips.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ips)).toEqual(new Set(['203.0.113.7']));
    // Another client behind the same proxy is not affected.
    expect((await login('admin', 'admin-password-for-tests', '127.0.0.1', '198.51.100.9')).statusCode).toBe(
      200,
    );
    clock.advance(11 * 60 * 1000);
  });

  it('forged hops in separate header lines and behind several trusted proxies change nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      // Two X-Forwarded-For lines (the first forged by the client), then a trusted inner proxy 10.1.2.3.
      const res = await login(`spray-b${i}`, 'wrong-password-1', '127.0.0.1', [
        `192.0.2.${i}`,
        '198.51.100.44, 10.1.2.3',
      ]);
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 429).length).toBe(5);
    const ips = await auditIps('auth.login_failed');
    expect(ips).toContain('198.51.100.44');
    expect(ips.some((ip) => ip.startsWith('192.0.2.'))).toBe(false);
    clock.advance(11 * 60 * 1000);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await login(`spray-c${i}`, 'wrong-password-1', '192.0.2.200', `10.${i}.0.1, 127.0.0.1`);
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 429).length).toBe(5);
    const ips = await auditIps('auth.login_failed');
    expect(ips).toContain('192.0.2.200');
    expect(ips.some((ip) => ip.startsWith('10.'))).toBe(false);
  });
});
