import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  countRows,
  createTestContext,
  DEFAULT_PASSWORD,
  type TestContext,
} from '../../testing/test-kit.ts';

type SessionBody = {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; username: string };
};
type ErrorBody = {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

function cookieHeader(
  res: { cookies: { name: string; value: string }[] },
  names = ['pc_access', 'pc_refresh', 'pc_csrf'],
) {
  return res.cookies
    .filter((c) => names.includes(c.name))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

describe('login', () => {
  it('returns a session and sets the three cookies with the contract attributes', async () => {
    const res = await ctx.login('admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const body = res.body as SessionBody;
    expect(body.tokenType).toBe('Bearer');
    expect(body.expiresIn).toBe(900);
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(40);
    expect(body.user.username).toBe('admin');
    expect(body).not.toHaveProperty('user.passwordHash');
    const byName = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(byName.pc_access).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(byName.pc_refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(byName.pc_csrf?.httpOnly).toBeFalsy();
    expect(byName.pc_csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(byName.pc_access?.value).toBe(body.accessToken);
  });

  it('answers the same 401 for unknown user, wrong password and disabled account', async () => {
    const disabled = await ctx.newUser({ role: 'operator' });
    await ctx.admin.put(`/api/v1/users/${disabled.user.id}`, { status: 'disabled' });
    const answers = await Promise.all([
      ctx.login('nobody-here', 'whatever-password'),
      ctx.login('admin', 'wrong-password-1'),
      ctx.login(disabled.user.username, DEFAULT_PASSWORD),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect((res.body as ErrorBody).error.code).toBe('invalid_credentials');
      expect((res.body as ErrorBody).error.message).toBe('Invalid username or password');
    }
  });

  it('usernames are case-insensitive at login', async () => {
    expect((await ctx.login('ADMIN', ADMIN_PASSWORD)).status).toBe(200);
  });
});

describe('bearer tokens', () => {
  it('GET /auth/me returns the user and the permissions', async () => {
    const res = await ctx.admin.get<{ user: { username: string }; permissions: string[] }>('/api/v1/auth/me');
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('admin');
    expect(res.body.permissions).toContain('users:create');
    expect(res.body.permissions).toContain('instances:create');
  });

  it('rejects missing, malformed, forged, alg=none and expired tokens with 401', async () => {
    const secret = ctx.config.jwtSecret;
    const sub = ctx.admin.user.id;
    const sid = JSON.parse(Buffer.from(ctx.admin.token.split('.')[1]!, 'base64url').toString()).sid as string;
    const now = Math.floor(Date.now() / 1000);
    const base = () =>
      new SignJWT({ role: 'admin', sid })
        .setSubject(sub)
        .setJti('x')
        .setIssuer('proxicloud')
        .setAudience('proxicloud-api');
    const forged = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    const expired = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 1800)
      .sign(secret);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub,
        role: 'admin',
        sid,
        jti: 'y',
        iss: 'proxicloud',
        aud: 'proxicloud-api',
        iat: now,
        exp: now + 600,
      }),
    ).toString('base64url');
    const none = `${header}.${payload}.`;
    const tampered = (() => {
      const [h, p, s] = ctx.admin.token.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.role = 'admin';
      claims.sub = 'usr-00000000000000000';
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    })();
    const valid = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(secret);
    expect(
      (await ctx.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${valid}` } })).status,
    ).toBe(200);

    for (const auth of [
      undefined,
      'Bearer',
      'Bearer not.a.jwt',
      `Bearer ${forged}`,
      `Bearer ${expired}`,
      `Bearer ${none}`,
      `Bearer ${tampered}`,
      'Basic YWRtaW46eA==',
    ]) {
      const res = await ctx.request<ErrorBody>('GET', '/api/v1/auth/me', {
        headers: auth ? { authorization: auth } : {},
      });
      expect(res.status, String(auth)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    const usersBefore = await countRows(ctx, 'users');
    const res = await ctx.request('POST', '/api/v1/users', {
      headers: { authorization: `Bearer ${none}` },
      body: { username: 'viaunsigned', password: 'long-enough-password', role: 'admin' },
    });
    expect(res.status).toBe(401);
    expect(await countRows(ctx, 'users')).toBe(usersBefore);
  });

  it('a disabled user’s access token stops working at once', async () => {
    const op = await ctx.newUser({ role: 'operator' });
    expect((await op.get('/api/v1/auth/me')).status).toBe(200);
    expect((await ctx.admin.put(`/api/v1/users/${op.user.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await op.get('/api/v1/auth/me')).status).toBe(401);
    expect(
      (await op.post('/api/v1/auth/refresh', { refreshToken: op.refreshToken }, { anonymous: true })).status,
    ).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotates: the new token works, the old one is spent, and replaying it revokes the family', async () => {
    const user = await ctx.newUser({ role: 'readonly' });
    const first = await ctx.request<SessionBody>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    const second = await ctx.request<SessionBody>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);

    const sessionsBefore = await countRows(ctx, 'refresh_tokens');
    // Replay the first (spent) token: 401 and the whole family dies.
    const replay = await ctx.request<ErrorBody>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_refresh_token');
    expect(await countRows(ctx, 'refresh_tokens')).toBe(sessionsBefore); // nothing issued
    const latest = await ctx.request<ErrorBody>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(latest.status).toBe(401);
    // Access tokens of the revoked family stop working too.
    expect(
      (
        await ctx.request('GET', '/api/v1/auth/me', {
          headers: { authorization: `Bearer ${second.body.accessToken}` },
        })
      ).status,
    ).toBe(401);
    const audit = await ctx.admin.get<{ items: { action: string }[] }>('/api/v1/logs/audit', {
      query: { userId: user.user.id, action: 'auth.refresh_reuse' },
    });
    expect(audit.body.items.length).toBe(1);
  });

  it('rejects unknown and garbage refresh tokens', async () => {
    for (const refreshToken of ['x', 'a'.repeat(43), "' OR 1=1 --"]) {
      const res = await ctx.request<ErrorBody>('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_refresh_token');
    }
    const noBody = await ctx.request<ErrorBody>('POST', '/api/v1/auth/refresh');
    expect(noBody.status).toBe(401);
  });

  it('logout revokes the session and clears cookies', async () => {
    const user = await ctx.newUser({ role: 'operator' });
    const res = await user.post('/api/v1/auth/logout', { refreshToken: user.refreshToken });
    expect(res.status).toBe(204);
    const cleared = res.cookies.filter((c) => ['pc_access', 'pc_refresh', 'pc_csrf'].includes(c.name));
    expect(cleared.length).toBe(3);
    for (const c of cleared) expect(c.value).toBe('');
    expect((await user.get('/api/v1/auth/me')).status).toBe(401);
    expect(
      (await ctx.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } }))
        .status,
    ).toBe(401);
  });
});

describe('cookie sessions and CSRF', () => {
  it('cookie auth reads freely but mutating calls need X-CSRF-Token = pc_csrf', async () => {
    const login = await ctx.login('admin', ADMIN_PASSWORD);
    const cookie = cookieHeader(login);
    const csrf = login.cookies.find((c) => c.name === 'pc_csrf')!.value;
    expect((await ctx.request('GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(200);

    const before = await countRows(ctx, 'users');
    const body = { username: 'csrfvictim', password: 'long-enough-password', role: 'admin' };
    const noHeader = await ctx.request<ErrorBody>('POST', '/api/v1/users', { headers: { cookie }, body });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('csrf_failed');
    const wrong = await ctx.request<ErrorBody>('POST', '/api/v1/users', {
      headers: { cookie, 'x-csrf-token': 'guess' },
      body,
    });
    expect(wrong.status).toBe(403);
    expect(await countRows(ctx, 'users')).toBe(before);

    const ok = await ctx.request('POST', '/api/v1/users', {
      headers: { cookie, 'x-csrf-token': csrf },
      body,
    });
    expect(ok.status).toBe(201);
  });

  it('refresh and logout through the pc_refresh cookie need the CSRF header', async () => {
    const login = await ctx.login('admin', ADMIN_PASSWORD);
    const cookie = cookieHeader(login, ['pc_refresh', 'pc_csrf']);
    const csrf = login.cookies.find((c) => c.name === 'pc_csrf')!.value;
    expect((await ctx.request('POST', '/api/v1/auth/refresh', { headers: { cookie } })).status).toBe(403);
    const ok = await ctx.request<SessionBody>('POST', '/api/v1/auth/refresh', {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(ok.status).toBe(200);
    const next = cookieHeader(ok, ['pc_refresh', 'pc_csrf']);
    const nextCsrf = ok.cookies.find((c) => c.name === 'pc_csrf')!.value;
    expect((await ctx.request('POST', '/api/v1/auth/logout', { headers: { cookie: next } })).status).toBe(
      403,
    );
    expect(
      (
        await ctx.request('POST', '/api/v1/auth/logout', {
          headers: { cookie: next, 'x-csrf-token': nextCsrf },
        })
      ).status,
    ).toBe(204);
    expect(
      (await ctx.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: ok.body.refreshToken } }))
        .status,
    ).toBe(401);
  });
});

describe('CSRF token bound to the session', () => {
  it('a cookie + header pair chosen by an attacker fails; another session’s token fails too', async () => {
    const login = await ctx.login('admin', ADMIN_PASSWORD);
    expect(login.body).not.toHaveProperty('sessionId');
    const access = cookieHeader(login, ['pc_access']);
    const body = { username: 'csrfbound', password: 'long-enough-password', role: 'admin' };
    // Double submit with an attacker-chosen value (e.g. a cookie planted from a sibling subdomain).
    const planted = await ctx.request<ErrorBody>('POST', '/api/v1/users', {
      headers: {
        cookie: `${access}; pc_csrf=attacker-chosen-value`,
        'x-csrf-token': 'attacker-chosen-value',
      },
      body,
    });
    expect(planted.status).toBe(403);
    expect(planted.body.error.code).toBe('csrf_failed');
    // The attacker's own session's (valid) token does not work with the victim's session either.
    const other = await ctx.newUser({ role: 'readonly' });
    const otherLogin = await ctx.login(other.user.username, other.password);
    const otherCsrf = otherLogin.cookies.find((c) => c.name === 'pc_csrf')!.value;
    const crossed = await ctx.request<ErrorBody>('POST', '/api/v1/users', {
      headers: { cookie: `${access}; pc_csrf=${otherCsrf}`, 'x-csrf-token': otherCsrf },
      body,
    });
    expect(crossed.status).toBe(403);
    const refreshCross = await ctx.request<ErrorBody>('POST', '/api/v1/auth/refresh', {
      headers: {
        cookie: `${cookieHeader(login, ['pc_refresh'])}; pc_csrf=${otherCsrf}`,
        'x-csrf-token': otherCsrf,
      },
    });
    expect(refreshCross.status).toBe(403);
    // The session's own token works, and stays the same after a refresh of that session.
    const csrf = login.cookies.find((c) => c.name === 'pc_csrf')!.value;
    expect(csrf).not.toBe(otherCsrf);
    const ok = await ctx.request('POST', '/api/v1/users', {
      headers: { cookie: access, 'x-csrf-token': csrf },
      body,
    });
    expect(ok.status).toBe(201);
    const refreshed = await ctx.request<SessionBody>('POST', '/api/v1/auth/refresh', {
      headers: { cookie: cookieHeader(login, ['pc_refresh']), 'x-csrf-token': csrf },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.cookies.find((c) => c.name === 'pc_csrf')!.value).toBe(csrf);
  });
});

describe('password change', () => {
  it('needs the current password, enforces the policy and revokes other sessions', async () => {
    const user = await ctx.newUser({ role: 'readonly' });
    const other = await ctx.login(user.user.username, DEFAULT_PASSWORD);
    const otherToken = (other.body as SessionBody).accessToken;

    const wrong = await user.put<ErrorBody>('/api/v1/auth/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'a-new-long-password',
    });
    expect(wrong.status).toBe(422);
    const short = await user.put<ErrorBody>('/api/v1/auth/password', {
      currentPassword: DEFAULT_PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details?.issues).toEqual([
      { field: 'body.newPassword', message: expect.any(String) },
    ]);

    const ok = await user.put('/api/v1/auth/password', {
      currentPassword: DEFAULT_PASSWORD,
      newPassword: 'a-new-long-password',
    });
    expect(ok.status).toBe(204);
    expect((await user.get('/api/v1/auth/me')).status).toBe(200); // this session stays
    expect(
      (await ctx.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${otherToken}` } }))
        .status,
    ).toBe(401);
    expect((await ctx.login(user.user.username, DEFAULT_PASSWORD)).status).toBe(401);
    expect((await ctx.login(user.user.username, 'a-new-long-password')).status).toBe(200);
  });

  it('passwords longer than 72 bytes are fully significant (no bcrypt truncation)', async () => {
    const long = `${'x'.repeat(80)}-tail-A`;
    const user = await ctx.newUser({ password: long });
    expect((await ctx.login(user.user.username, `${'x'.repeat(80)}-tail-B`)).status).toBe(401);
    expect((await ctx.login(user.user.username, long)).status).toBe(200);
  });
});
