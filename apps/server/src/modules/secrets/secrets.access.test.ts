/**
 * Who may do what: the role × endpoint matrix over secrets and policies, another user's secret
 * answering 404 (by name and by id), grants for users and roles, grants for instances and
 * functions that give users nothing, admins reading (audited) and managing policies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import type { Secret } from './secrets.service.ts';

let ctx: TestContext;
let alice: TestClient; // operator, owner
let bob: TestClient; // another operator
let ruth: TestClient; // readonly
let admin: TestClient;
let secretId: string;

const S = '/api/v1/secrets/team%2Fdb%2Fpassword';

beforeAll(async () => {
  ctx = await createTestContext();
  alice = await ctx.newUser({ role: 'operator' });
  bob = await ctx.newUser({ role: 'operator' });
  ruth = await ctx.newUser({ role: 'readonly' });
  admin = ctx.admin;
  const res = await alice.post<Secret>('/api/v1/secrets', {
    name: 'team/db/password',
    value: 'matrix-value-1',
  });
  expect(res.status, res.text).toBe(201);
  secretId = res.body.id;
});
afterAll(async () => {
  await ctx?.close();
});

type Call = [label: string, run: (c: TestClient, base: string) => Promise<{ status: number }>];
const calls: Call[] = [
  ['get value', (c, b) => c.get(b)],
  ['metadata', (c, b) => c.get(`${b}/metadata`)],
  ['versions', (c, b) => c.get(`${b}/versions`)],
  ['get policy', (c, b) => c.get(`${b}/policy`)],
  ['put version', (c, b) => c.put(b, { value: 'matrix-new' })],
  ['put policy', (c, b) => c.put(`${b}/policy`, { grants: [] })],
  ['restore (not deleted → 409)', (c, b) => c.post(`${b}/restore`)],
];

async function statuses(client: TestClient, base = S): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [label, run] of calls) out[label] = (await run(client, base)).status;
  return out;
}

async function policy(grants: { principal: string; access: 'read' | 'manage' }[]) {
  const res = await alice.put(`${S}/policy`, { grants });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const ALL = (status: number) => Object.fromEntries(calls.map(([l]) => [l, status]));

describe('role × endpoint matrix without grants', () => {
  it('owner (operator): everything', async () => {
    expect(await statuses(alice)).toEqual({ ...ALL(200), 'restore (not deleted → 409)': 409 });
  });

  it('another operator: 404 everywhere, by name and by id; not in the list', async () => {
    expect(await statuses(bob)).toEqual(ALL(404));
    expect(await statuses(bob, `/api/v1/secrets/${secretId}`)).toEqual(ALL(404));
    expect((await bob.delete(S)).status).toBe(404);
    // the name in bob's own namespace is free: names are per owner
    expect((await bob.post('/api/v1/secrets', { name: 'team/db/password', value: 'bobs' })).status).toBe(201);
    const list = await bob.get<{ items: Secret[] }>('/api/v1/secrets');
    expect(list.body.items.map((s) => s.ownerId)).toEqual([bob.user.id]);
  });

  it('readonly: cannot create; 404 on others’ secrets', async () => {
    expect((await ruth.post('/api/v1/secrets', { name: 'ro/x', value: 'v' })).status).toBe(403);
    expect(await statuses(ruth, `/api/v1/secrets/${secretId}`)).toEqual(ALL(404));
    expect((await ruth.get<{ items: Secret[] }>('/api/v1/secrets')).body.items).toHaveLength(0);
  });

  it('admin: sees every secret, reads values (audited) and manages policies', async () => {
    const s = await statuses(admin, `/api/v1/secrets/${secretId}`);
    expect(s).toEqual({ ...ALL(200), 'restore (not deleted → 409)': 409 });
    const list = await admin.get<{ items: Secret[] }>('/api/v1/secrets');
    expect(list.body.items.map((i) => i.ownerId).sort()).toEqual([alice.user.id, bob.user.id].sort());
    const audit = await admin.get<{ items: { action: string; username: string; resourceId: string }[] }>(
      '/api/v1/logs/audit',
      { query: { limit: 200 } },
    );
    expect(
      audit.body.items.some(
        (e) => e.action === 'secrets.read_value' && e.username === 'admin' && e.resourceId === secretId,
      ),
    ).toBe(true);
  });

  it('only admins rotate the master key', async () => {
    expect((await alice.post('/api/v1/secrets/master-key/rotate')).status).toBe(403);
    expect((await ruth.post('/api/v1/secrets/master-key/rotate')).status).toBe(403);
    expect((await admin.post('/api/v1/secrets/master-key/rotate')).status).toBe(200);
  });
});

describe('grants', () => {
  it('a read grant to a readonly user: names and values, no changes', async () => {
    await policy([{ principal: `user:${ruth.user.id}`, access: 'read' }]);
    const base = `/api/v1/secrets/${secretId}`;
    expect(await statuses(ruth, base)).toEqual({
      'get value': 200,
      metadata: 200,
      versions: 200,
      'get policy': 200,
      'put version': 403,
      'put policy': 403,
      'restore (not deleted → 409)': 403,
    });
    expect((await ruth.delete(base)).status).toBe(403);
    const list = await ruth.get<{ items: Secret[] }>('/api/v1/secrets');
    expect(list.body.items.map((s) => [s.id, s.access, s.canReadValue, s.canManage])).toEqual([
      [secretId, 'read', true, false],
    ]);
  });

  it('a manage grant to a readonly role still changes nothing (the role caps it)', async () => {
    await policy([{ principal: 'role:readonly', access: 'manage' }]);
    const base = `/api/v1/secrets/${secretId}`;
    expect((await ruth.get(base)).status).toBe(200);
    expect((await ruth.put(base, { value: 'nope' })).status).toBe(403);
  });

  it('a manage grant to another operator: new versions, policy, delete and restore', async () => {
    await policy([{ principal: `user:${bob.user.id}`, access: 'manage' }]);
    const base = `/api/v1/secrets/${secretId}`;
    expect((await bob.put(base, { value: 'bob-wrote' })).status).toBe(200);
    expect((await bob.delete(base)).status).toBe(200);
    expect((await bob.post(`${base}/restore`)).status).toBe(200);
    expect(
      (await bob.put(`${base}/policy`, { grants: [{ principal: `user:${bob.user.id}`, access: 'read' }] }))
        .status,
    ).toBe(200);
    // now read only
    expect((await bob.put(base, { value: 'x' })).status).toBe(403);
    expect((await bob.get(base)).status).toBe(200);
  });

  it('grants to instances and functions give users nothing', async () => {
    await policy([
      { principal: 'instance:i-0123456789abcdef0', access: 'manage' },
      { principal: 'function:fn-0123456789abcdef0', access: 'read' },
    ]);
    expect(await statuses(bob, `/api/v1/secrets/${secretId}`)).toEqual(ALL(404));
    expect(await statuses(ruth, `/api/v1/secrets/${secretId}`)).toEqual(ALL(404));
  });

  it('rejects malformed principals', async () => {
    for (const principal of ['user:bob', 'role:root', 'group:x', 'instance:', 'everyone']) {
      const res = await alice.put(`${S}/policy`, { grants: [{ principal, access: 'read' }] });
      expect(res.status, principal).toBe(400);
    }
  });

  it('policy changes are audited with before and after', async () => {
    const audit = await admin.get<{
      items: { action: string; details: { grants?: string[]; previous?: string[] } }[];
    }>('/api/v1/logs/audit', { query: { limit: 200, action: 'secrets.put_policy' } });
    const last = audit.body.items.find(
      (e) => e.action === 'secrets.put_policy' && e.details.grants?.length === 2,
    );
    expect(last?.details.grants).toEqual([
      'function:fn-0123456789abcdef0=read',
      'instance:i-0123456789abcdef0=manage',
    ]);
  });
});
