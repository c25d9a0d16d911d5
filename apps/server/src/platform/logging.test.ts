import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestContext, type TestContext } from '../testing/test-kit.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { PROXICLOUD_LOG_LEVEL: 'trace' } });
});
afterAll(async () => {
  await ctx?.close();
});

describe('structured logs', () => {
  it('never contain passwords, tokens, cookies or access key secrets', async () => {
    const user = await ctx.newUser({ role: 'operator', password: 'user-secret-password-1' });
    await ctx.login(user.user.username, 'wrong-secret-password-2');
    const login = await ctx.login(user.user.username, 'user-secret-password-1');
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = login.cookies.find((c) => c.name === 'pc_csrf')!.value;
    await ctx.request('GET', '/api/v1/auth/me', { headers: { cookie } });
    const refreshed = await ctx.request<{ refreshToken: string; accessToken: string }>(
      'POST',
      '/api/v1/auth/refresh',
      {
        body: { refreshToken: login.body.refreshToken },
      },
    );
    const key = await user.post<{ secretAccessKey: string; accessKeyId: string }>('/api/v1/access-keys', {});
    await ctx.request('GET', '/api/v1/auth/me', {
      headers: { authorization: `AccessKey ${key.body.accessKeyId}:${key.body.secretAccessKey}` },
    });
    await user.put('/api/v1/auth/password', {
      currentPassword: 'user-secret-password-1',
      newPassword: 'changed-secret-password-3',
    });
    await ctx.admin.post(`/api/v1/users/${user.user.id}/password`, { password: 'reset-secret-password-4' });
    await ctx.request('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } });
    ctx.app.log.info(
      { password: 'direct-secret-5', nested: { token: 'direct-token-6' } },
      'module logs by mistake',
    );

    const logs = ctx.logs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain('request completed'); // the access log is on
    expect(logs).toContain('[redacted]');
    for (const secret of [
      ADMIN_PASSWORD,
      'user-secret-password-1',
      'wrong-secret-password-2',
      'changed-secret-password-3',
      'reset-secret-password-4',
      'direct-secret-5',
      'direct-token-6',
      login.body.accessToken,
      login.body.refreshToken,
      refreshed.body.accessToken,
      refreshed.body.refreshToken,
      key.body.secretAccessKey,
      csrf,
      ctx.admin.token,
    ]) {
      expect(logs, 'a secret reached the log').not.toContain(secret);
    }
  });
});

describe('access log', () => {
  it('writes one line per request, after the response, with method, url, status, duration and user', async () => {
    const marker = `/api/v1/auth/me?probe=${Date.now()}`;
    await ctx.admin.get(marker);
    const lines = ctx
      .logs()
      .split('\n')
      .filter((l) => l.includes(marker))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // trace level: our 'incoming request' line, then exactly one 'request completed'
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[1]).toMatchObject({ method: 'GET', url: marker, status: 200, level: 'info' });
    expect(typeof lines[1]!.ms).toBe('number');
    expect(lines[1]!.user).toMatch(/^usr-/);
    expect(lines[1]!.reqId).toMatch(/^req-/);
  });
});
