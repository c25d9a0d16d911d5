import { createApiClient } from '@proxicloud/sdk';
import { describe, expect, test } from 'vitest';
import { readCookie, sessionMiddleware } from './session-middleware.ts';

/**
 * A fake server at the process boundary (fetch) that honours the contract: cookie-less access is
 * 401 until /auth/refresh issues a new token; mutating calls need X-CSRF-Token == current csrf.
 */
function fakeServer() {
  const state = {
    accessValid: false,
    refreshValid: true,
    csrf: 'csrf-1',
    refreshCalls: 0,
    seen: [] as Request[],
  };
  const fetch = async (req: Request): Promise<Response> => {
    state.seen.push(req.clone());
    const path = new URL(req.url).pathname;
    if (path === '/api/v1/auth/refresh') {
      state.refreshCalls++;
      await new Promise((r) => setTimeout(r, 5));
      if (!state.refreshValid)
        return Response.json({ error: { code: 'invalid_refresh_token' } }, { status: 401 });
      state.accessValid = true;
      state.csrf = `csrf-${state.refreshCalls + 1}`;
      return Response.json({ accessToken: 'a', user: {} });
    }
    if (path === '/api/v1/auth/login')
      return Response.json({ error: { code: 'invalid_credentials' } }, { status: 401 });
    if (!state.accessValid) return Response.json({ error: { code: 'unauthorized' } }, { status: 401 });
    if (req.method !== 'GET' && req.headers.get('x-csrf-token') !== state.csrf) {
      return Response.json({ error: { code: 'csrf_failed' } }, { status: 403 });
    }
    const body = req.method === 'GET' ? null : await req.text();
    return Response.json({ ok: true, path, body });
  };
  return { state, fetch };
}

function setup(opts: { stamp?: number; noCookies?: boolean } = {}) {
  const server = fakeServer();
  const store = new Map<string, string>();
  if (opts.stamp) store.set('pc-session-refreshed-at', String(opts.stamp));
  const expiredCalls: Array<{ hadSession: boolean }> = [];
  const csrf = () => (opts.noCookies ? null : server.state.csrf);
  // The same composition as the console: the SDK client (CSRF header) + the session middleware.
  const sdk = { baseUrl: 'http://console.test', fetch: server.fetch, csrfToken: csrf };
  const bare = createApiClient(sdk);
  const client = createApiClient(sdk);
  client.use(
    sessionMiddleware({
      refresh: async () => (await bare.POST('/api/v1/auth/refresh', { body: {} })).response.ok,
      onSessionExpired: (info) => {
        expiredCalls.push(info);
      },
      withLock: (fn) => fn(),
      store: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
      readCsrf: csrf,
    }),
  );
  return { server, client, expired: () => expiredCalls.length, expiredCalls, store };
}

describe('session middleware', () => {
  test('mutating requests carry the CSRF token from the cookie; reads do not', async () => {
    const { server, client } = setup();
    server.state.accessValid = true;
    await client.GET('/api/v1/users');
    await client.POST('/api/v1/users', {
      body: { username: 'ann', password: 'long-password-1', role: 'operator' },
    });
    await client.DELETE('/api/v1/users/{id}', { params: { path: { id: 'usr-1' } } });
    expect(server.state.seen.map((r) => [r.method, r.headers.get('x-csrf-token')])).toEqual([
      ['GET', null],
      ['POST', 'csrf-1'],
      ['DELETE', 'csrf-1'],
    ]);
  });

  test('a 401 refreshes once and retries the request with its body and the rotated CSRF token', async () => {
    const { server, client, expired } = setup();
    const res = await client.PUT('/api/v1/users/{id}', {
      params: { path: { id: 'usr-1' } },
      body: { fullName: 'Ann' },
    });
    expect(res.response.status).toBe(200);
    expect(res.data).toEqual({ ok: true, path: '/api/v1/users/usr-1', body: '{"fullName":"Ann"}' });
    expect(server.state.refreshCalls).toBe(1);
    const retried = server.state.seen.at(-1)!;
    expect(retried.headers.get('x-csrf-token')).toBe('csrf-2');
    expect(expired()).toBe(0);
  });

  test('concurrent 401s share one refresh (refresh tokens are single-use)', async () => {
    const { server, client } = setup();
    const results = await Promise.all([
      client.GET('/api/v1/users'),
      client.GET('/api/v1/access-keys'),
      client.POST('/api/v1/access-keys', { body: {} }),
      client.GET('/api/v1/auth/me'),
    ]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200, 200]);
    expect(server.state.refreshCalls).toBe(1);
  });

  test('a failed refresh reports the expired session and returns the original 401', async () => {
    const { server, client, expiredCalls } = setup();
    server.state.refreshValid = false;
    const res = await client.GET('/api/v1/users');
    expect(res.response.status).toBe(401);
    expect(res.error).toMatchObject({ error: { code: 'unauthorized' } });
    expect(expiredCalls).toEqual([{ hadSession: true }]);
  });

  test('without session cookies (first visit, signed out) it does not try to refresh', async () => {
    const { server, client, expiredCalls } = setup({ noCookies: true });
    const res = await client.GET('/api/v1/auth/me');
    expect(res.response.status).toBe(401);
    expect(server.state.refreshCalls).toBe(0);
    expect(expiredCalls).toEqual([{ hadSession: false }]);
  });

  test('a 401 from login is a wrong password, not an expired session', async () => {
    const { server, client, expired } = setup();
    const res = await client.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b' } });
    expect(res.response.status).toBe(401);
    expect(server.state.refreshCalls).toBe(0);
    expect(expired()).toBe(0);
  });

  test('when another tab refreshed after the request was sent, it only retries', async () => {
    const { server, client } = setup({ stamp: Date.now() + 60_000 });
    server.state.accessValid = false;
    // Another tab's refresh made the shared cookie valid again after our request left.
    const origFetch = server.fetch;
    let first = true;
    const res = await client.GET('/api/v1/users', {
      fetch: async (req: Request) => {
        const r = await origFetch(req);
        if (first) {
          first = false;
          server.state.accessValid = true;
        }
        return r;
      },
    });
    expect(res.response.status).toBe(200);
    expect(server.state.refreshCalls).toBe(0);
  });
});

describe('readCookie', () => {
  test('finds a cookie among others and decodes it', () => {
    expect(readCookie('pc_csrf', 'a=1; pc_csrf=x%2By; b=2')).toBe('x+y');
    expect(readCookie('pc_csrf', 'pc_csrf_old=1')).toBeNull();
    expect(readCookie('pc_csrf', '')).toBeNull();
  });
});
