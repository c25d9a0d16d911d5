/**
 * Token refresh against a server whose access tokens live 3 seconds: the CLI must renew with the
 * refresh token, save the rotated pair and carry on, whether it notices the expiry itself (stored
 * expiry time) or only from the server's 401.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type CliRunner,
  cliRunner,
  startTestServer,
  type TestServer,
} from './testing/harness.ts';

let server: TestServer;
let r: CliRunner;

beforeAll(async () => {
  server = await startTestServer((c) => ({ ...c, auth: { ...c.auth, accessTokenTtlSeconds: 3 } }));
  r = cliRunner({ PROXICLOUD_URL: server.url });
});
afterAll(async () => {
  r?.cleanup();
  await server?.stop();
});

// JWT times have 1 s granularity: a 3 s token is dead 4 s after it was issued, and a fresh one
// stays usable for at least 2 s even on a loaded machine.
const EXPIRED_AFTER_MS = 4_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('renews an expired access token and saves the rotated tokens', async () => {
  const login = await r.run(['login', '-u', 'admin', '--password-stdin'], { input: ADMIN_PASSWORD });
  expect(login.code).toBe(0);
  const first = r.credentials().profiles.default!;
  await sleep(EXPIRED_AFTER_MS);

  // 1. The CLI knows from the stored expiry that the token is stale: it renews before the request.
  const a = await r.run(['whoami', '-o', 'json']);
  expect(a.stderr).toBe('');
  expect(a.code).toBe(0);
  const second = r.credentials().profiles.default!;
  expect(second.refreshToken).not.toBe(first.refreshToken);
  expect(second.accessToken).not.toBe(first.accessToken);

  // 2. The stored expiry claims the token is valid, but the server says 401: renew and retry.
  await sleep(EXPIRED_AFTER_MS);
  const data = r.credentials();
  data.profiles.default!.accessTokenExpiresAt = new Date(Date.now() + 3_600_000).toISOString();
  fs.writeFileSync(r.credentialsFile, JSON.stringify(data), { mode: 0o600 });
  const b = await r.run(['users', 'list', '-o', 'json']);
  expect(b.stderr).toBe('');
  expect(b.code).toBe(0);
  expect(JSON.parse(b.stdout).items.length).toBeGreaterThan(0);
  const third = r.credentials().profiles.default!;
  expect(third.refreshToken).not.toBe(second.refreshToken);
});

it('a revoked session ends with exit 3 and the tokens are removed', async () => {
  const { refreshToken } = r.credentials().profiles.default!;
  // Revoke it behind the CLI's back (as `logout` elsewhere, or an admin password reset, would).
  const res = await fetch(`${server.url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  expect(res.status).toBe(204);
  await sleep(EXPIRED_AFTER_MS);
  const who = await r.run(['whoami']);
  expect(who.code).toBe(3);
  expect(who.stderr).toContain('Your session has expired or was revoked. Log in again.');
  expect(r.credentials().profiles.default!.refreshToken).toBeUndefined();
});
