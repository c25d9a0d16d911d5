import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';

/**
 * Role × endpoint matrix: every role (plus anonymous) against every IAM/audit endpoint with a
 * valid request. Only the listed answer passes; denied mutations must not write anything.
 */
type Role = 'admin' | 'operator' | 'readonly' | 'anonymous';
interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Builds the request for the acting client (may create fresh victims). */
  setup: (me: TestClient | null) => Promise<{ url: string; body?: unknown }>;
  expect: Record<Role, number>;
}

let ctx: TestContext;
let clients: Record<Exclude<Role, 'anonymous'>, TestClient>;

beforeAll(async () => {
  ctx = await createTestContext();
  clients = {
    admin: await ctx.newUser({ role: 'admin' }),
    operator: await ctx.newUser({ role: 'operator' }),
    readonly: await ctx.newUser({ role: 'readonly' }),
  };
});
afterAll(async () => {
  await ctx?.close();
});

let n = 0;
async function victim(): Promise<TestClient> {
  return ctx.newUser({ role: 'operator', username: `victim${++n}` });
}
async function victimKey(): Promise<string> {
  const v = await victim();
  const res = await v.post<{ accessKeyId: string }>('/api/v1/access-keys', { description: 'victim key' });
  return res.body.accessKeyId;
}
const self = (me: TestClient | null) => me?.user.id ?? 'usr-00000000000000000';

const cases: Case[] = [
  {
    name: 'GET /auth/me',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/auth/me' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'GET /system/info',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/system/info' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 200 },
  },
  {
    name: 'GET /users',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/users' }),
    expect: { admin: 200, operator: 403, readonly: 403, anonymous: 401 },
  },
  {
    name: 'POST /users',
    method: 'POST',
    setup: async () => ({
      url: '/api/v1/users',
      body: { username: `made${++n}`, password: 'long-enough-password', role: 'readonly' },
    }),
    expect: { admin: 201, operator: 403, readonly: 403, anonymous: 401 },
  },
  {
    name: 'GET /users/{self}',
    method: 'GET',
    setup: async (me) => ({ url: `/api/v1/users/${self(me)}` }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'GET /users/{other}',
    method: 'GET',
    setup: async () => ({ url: `/api/v1/users/${(await victim()).user.id}` }),
    expect: { admin: 200, operator: 404, readonly: 404, anonymous: 401 },
  },
  {
    name: 'PUT /users/{self} fullName',
    method: 'PUT',
    setup: async (me) => ({ url: `/api/v1/users/${self(me)}`, body: { fullName: `Name ${++n}` } }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'PUT /users/{self} role',
    method: 'PUT',
    setup: async (me) => ({
      url: `/api/v1/users/${self(me)}`,
      body: { role: me?.user.role === 'admin' ? 'operator' : 'admin' },
    }),
    expect: { admin: 409, operator: 403, readonly: 403, anonymous: 401 },
  },
  {
    name: 'PUT /users/{other}',
    method: 'PUT',
    setup: async () => ({
      url: `/api/v1/users/${(await victim()).user.id}`,
      body: { fullName: 'Changed', status: 'disabled' },
    }),
    expect: { admin: 200, operator: 404, readonly: 404, anonymous: 401 },
  },
  {
    name: 'DELETE /users/{other}',
    method: 'DELETE',
    setup: async () => ({ url: `/api/v1/users/${(await victim()).user.id}` }),
    expect: { admin: 204, operator: 404, readonly: 404, anonymous: 401 },
  },
  {
    name: 'DELETE /users/{self}',
    method: 'DELETE',
    setup: async (me) => ({ url: `/api/v1/users/${self(me)}` }),
    expect: { admin: 409, operator: 403, readonly: 403, anonymous: 401 },
  },
  {
    name: 'POST /users/{other}/password',
    method: 'POST',
    setup: async () => ({
      url: `/api/v1/users/${(await victim()).user.id}/password`,
      body: { password: 'another-long-password' },
    }),
    expect: { admin: 204, operator: 404, readonly: 404, anonymous: 401 },
  },
  {
    name: 'POST /users/{self}/password',
    method: 'POST',
    setup: async (me) => ({
      url: `/api/v1/users/${self(me)}/password`,
      body: { password: 'another-long-password' },
    }),
    expect: { admin: 403, operator: 403, readonly: 403, anonymous: 401 },
  },
  {
    name: 'GET /roles',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/roles' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'GET /access-keys',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/access-keys' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'POST /access-keys',
    method: 'POST',
    setup: async () => ({ url: '/api/v1/access-keys', body: { description: 'matrix' } }),
    expect: { admin: 201, operator: 201, readonly: 403, anonymous: 401 },
  },
  {
    name: 'DELETE /access-keys/{other’s}',
    method: 'DELETE',
    setup: async () => ({ url: `/api/v1/access-keys/${await victimKey()}` }),
    expect: { admin: 204, operator: 404, readonly: 403, anonymous: 401 },
  },
  {
    name: 'GET /logs/audit',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/logs/audit' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'GET /logs/audit.csv',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/logs/audit.csv' }),
    expect: { admin: 200, operator: 200, readonly: 200, anonymous: 401 },
  },
  {
    name: 'GET /logs/audit/verify',
    method: 'GET',
    setup: async () => ({ url: '/api/v1/logs/audit/verify' }),
    expect: { admin: 200, operator: 403, readonly: 403, anonymous: 401 },
  },
];

describe('role × endpoint matrix', () => {
  for (const c of cases) {
    for (const role of ['admin', 'operator', 'readonly', 'anonymous'] as const) {
      it(`${c.name} as ${role} → ${c.expect[role]}`, async () => {
        const me = role === 'anonymous' ? null : clients[role];
        const { url, body } = await c.setup(me);
        const before = { users: await countRows(ctx, 'users'), keys: await countRows(ctx, 'access_keys') };
        const res = me
          ? await me.request(c.method, url, { body })
          : await ctx.request(c.method, url, { body });
        expect(res.status, res.text).toBe(c.expect[role]);
        if (res.status >= 400) {
          expect((res.body as { error: { code: string } }).error.code).toBeTruthy();
          if (c.method !== 'GET') {
            expect(await countRows(ctx, 'users')).toBe(before.users);
            expect(await countRows(ctx, 'access_keys')).toBe(before.keys);
          }
        }
      });
    }
  }
});

describe('a second ordinary user against another user’s resources', () => {
  it('cannot read, change or delete them by id, and lists never show them', async () => {
    const alice = await ctx.newUser({ role: 'operator' });
    const bob = await ctx.newUser({ role: 'operator' });
    const aliceKey = (
      await alice.post<{ accessKeyId: string }>('/api/v1/access-keys', { description: 'alice' })
    ).body.accessKeyId;

    expect((await bob.get(`/api/v1/users/${alice.user.id}`)).status).toBe(404);
    expect((await bob.put(`/api/v1/users/${alice.user.id}`, { fullName: 'pwned' })).status).toBe(404);
    expect((await bob.delete(`/api/v1/users/${alice.user.id}`)).status).toBe(404);
    expect(
      (await bob.post(`/api/v1/users/${alice.user.id}/password`, { password: 'takeover-password' })).status,
    ).toBe(404);
    expect((await bob.delete(`/api/v1/access-keys/${aliceKey}`)).status).toBe(404);

    const keys = await bob.get<{ items: unknown[]; total: number }>('/api/v1/access-keys', {
      query: { userId: alice.user.id },
    });
    expect(keys.status).toBe(200);
    expect(keys.body.total).toBe(0);
    const audit = await bob.get<{ items: { userId: string }[] }>('/api/v1/logs/audit', {
      query: { limit: 1000 },
    });
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(audit.body.items.every((e) => e.userId === bob.user.id)).toBe(true);
    const spy = await bob.get<{ items: unknown[] }>('/api/v1/logs/audit', {
      query: { userId: alice.user.id },
    });
    expect(spy.body.items).toEqual([]);
    const csv = await bob.get('/api/v1/logs/audit.csv');
    const rows = csv.text.trim().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((line) => line.split(',')[2] === bob.user.id)).toBe(true);

    // Alice's things are untouched.
    const still = await alice.get<{ fullName: string }>(`/api/v1/users/${alice.user.id}`);
    expect(still.body.fullName).not.toBe('pwned');
    expect((await alice.get<{ total: number }>('/api/v1/access-keys')).body.total).toBe(1);
    expect((await ctx.login(alice.user.username, alice.password)).status).toBe(200);
  });
});
