import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFetch, credentialsFrom, type SessionTokens } from './auth.ts';
import { ConfigStore } from './config.ts';
import { ApiError, CliError, ExitCode } from './errors.ts';

const SERVER = 'http://pc.test';
let root: string;
let store: ConfigStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-auth-'));
  store = new ConfigStore(path.join(root, 'proxicloud'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * A fake server at the process boundary: accepts exactly the current access token, rotates refresh
 * tokens like the real one (a spent token is rejected), and records what it saw.
 */
function fakeServer(initialAccess: string, initialRefresh: string) {
  let access = initialAccess;
  let refresh = initialRefresh;
  let n = 0;
  const seen: { path: string; auth: string | null }[] = [];
  const refreshCalls: string[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    seen.push({ path: url.pathname, auth: request.headers.get('authorization') });
    const body = request.body ? await request.text() : '';
    if (request.headers.get('authorization') !== `Bearer ${access}`) {
      return Response.json(
        { error: { code: 'unauthorized', message: 'Token expired', requestId: 'r' } },
        { status: 401 },
      );
    }
    return Response.json({ ok: true, echo: body });
  };
  const doRefresh = async (token: string): Promise<SessionTokens> => {
    refreshCalls.push(token);
    await new Promise((r) => setTimeout(r, 20));
    if (token !== refresh) {
      throw new ApiError(401, 'Refresh token is invalid', { code: 'invalid_refresh_token', requestId: 'rr' });
    }
    n += 1;
    access = `access-${n}`;
    refresh = `refresh-${n}`;
    return {
      accessToken: access,
      refreshToken: refresh,
      expiresIn: 900,
      user: { id: 'usr-1', username: 'alice' },
    };
  };
  return { fetch, doRefresh, seen, refreshCalls, revoke: () => (refresh = 'revoked') };
}

function authFetch(server: ReturnType<typeof fakeServer>, env: NodeJS.ProcessEnv = {}) {
  return new AuthFetch({
    store,
    profileName: 'default',
    serverUrl: SERVER,
    env,
    refresh: server.doRefresh,
    fetch: server.fetch,
  });
}

function saveSession(accessToken: string, refreshToken: string, expiresAt = new Date(Date.now() + 600_000)) {
  store.updateProfile('default', () => ({
    server: SERVER,
    accessToken,
    refreshToken,
    accessTokenExpiresAt: expiresAt.toISOString(),
  }));
}

describe('AuthFetch', () => {
  it('sends the bearer token, and on 401 refreshes once, saves the rotated tokens and retries the request', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    saveSession('stale', 'refresh-0');
    const af = authFetch(server);
    const res = await af.fetch(new Request(`${SERVER}/api/v1/users`, { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, echo: '{"a":1}' });
    expect(server.seen.map((s) => s.auth)).toEqual(['Bearer stale', 'Bearer access-1']);
    expect(server.refreshCalls).toEqual(['refresh-0']);
    expect(store.getProfile('default')).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      username: 'alice',
      server: SERVER,
    });
    // The next request uses the new token directly.
    await af.fetch(new Request(`${SERVER}/api/v1/auth/me`));
    expect(server.seen.at(-1)?.auth).toBe('Bearer access-1');
    expect(server.refreshCalls).toHaveLength(1);
  });

  it('renews before sending when the stored expiry has passed', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    saveSession('stale', 'refresh-0', new Date(Date.now() - 1000));
    const res = await authFetch(server).fetch(new Request(`${SERVER}/api/v1/auth/me`));
    expect(res.status).toBe(200);
    expect(server.seen.map((s) => s.auth)).toEqual(['Bearer access-1']);
  });

  it('never spends one refresh token twice when two processes renew at once', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    saveSession('stale', 'refresh-0');
    // Two independent instances = two CLI processes sharing the credentials file.
    const [a, b] = await Promise.all([
      authFetch(server).fetch(new Request(`${SERVER}/api/v1/auth/me`)),
      authFetch(server).fetch(new Request(`${SERVER}/api/v1/auth/me`)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(server.refreshCalls).toEqual(['refresh-0']);
  });

  it('ends the session when the refresh token is rejected (exit 3) and removes the stored tokens', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    saveSession('stale', 'refresh-0');
    server.revoke();
    const err = await authFetch(server)
      .fetch(new Request(`${SERVER}/api/v1/auth/me`))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(ExitCode.unauthenticated);
    expect((err as CliError).message).toMatch(/expired or was revoked/);
    const profile = store.getProfile('default');
    expect(profile).toEqual({ server: SERVER, updatedAt: expect.any(String) });
  });

  it('uses an access key (env beats profile) and never tries to refresh it', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    store.updateProfile('default', () => ({ accessKeyId: 'AKPCPROFILE', secretAccessKey: 'sp' }));
    const res = await authFetch(server).fetch(new Request(`${SERVER}/api/v1/auth/me`));
    expect(res.status).toBe(401);
    expect(server.seen[0]?.auth).toBe('AccessKey AKPCPROFILE:sp');
    await authFetch(server, {
      PROXICLOUD_ACCESS_KEY_ID: 'AKPCENV',
      PROXICLOUD_SECRET_ACCESS_KEY: 'se',
    }).fetch(new Request(`${SERVER}/api/v1/auth/me`));
    expect(server.seen[1]?.auth).toBe('AccessKey AKPCENV:se');
    expect(server.refreshCalls).toEqual([]);
  });

  it('sends no stored credentials to the login and refresh endpoints', async () => {
    const server = fakeServer('fresh', 'refresh-0');
    saveSession('stale', 'refresh-0');
    await authFetch(server).fetch(new Request(`${SERVER}/api/v1/auth/login`, { method: 'POST', body: '{}' }));
    expect(server.seen[0]).toEqual({ path: '/api/v1/auth/login', auth: null });
    expect(server.refreshCalls).toEqual([]);
  });

  it('maps a connection failure to exit 9', async () => {
    const af = new AuthFetch({
      store,
      profileName: 'default',
      serverUrl: 'http://127.0.0.1:1',
      env: {},
      refresh: async () => {
        throw new Error('unused');
      },
    });
    const err = await af.fetch(new Request('http://127.0.0.1:1/api/v1/auth/me')).catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(ExitCode.unreachable);
  });
});

describe('credentialsFrom', () => {
  it('requires both access key variables', () => {
    expect(() => credentialsFrom(undefined, { PROXICLOUD_ACCESS_KEY_ID: 'x' })).toThrowError(/both/);
    expect(credentialsFrom(undefined, {})).toEqual({ kind: 'none' });
  });
});
