/**
 * SecretsPort for consumers other than instances (functions, which do not exist yet): who may
 * resolve what, the brief cache (a controllable clock), invalidation on change, one audit entry per
 * real resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import { RESOLVE_CACHE_MS, type SecretsPort } from './index.ts';
import type { Secret } from './secrets.service.ts';

const clock = new ManualClock('2026-06-01T12:00:00.000Z');
let ctx: TestContext;
let alice: TestClient;
let bob: TestClient;
let port: SecretsPort;
let shared: Secret;

const fn = (id: string, ownerId: string) => ({ kind: 'function' as const, id, ownerId });

async function injections(): Promise<number> {
  const rows = await ctx.db.kysely
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'secrets.inject')
    .execute();
  return rows.length;
}

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  alice = await ctx.newUser({ role: 'operator' });
  bob = await ctx.newUser({ role: 'operator' });
  port = ctx.app.modules.secrets.port;
  await alice.post('/api/v1/secrets', { name: 'fn/api-key', value: 'port-value-1' });
  shared = (await bob.post<Secret>('/api/v1/secrets', { name: 'bob/key', value: 'bob-port-value' })).body;
});
afterAll(async () => {
  await ctx?.close();
});

describe('SecretsPort for functions', () => {
  it('resolves the owner’s secrets by name; others’ only with a grant to the function', async () => {
    const f = fn('fn-0123456789abcdef0', alice.user.id);
    const r = await port.resolveEnv(f, { API_KEY: 'fn/api-key' });
    expect(r.env).toEqual({ API_KEY: 'port-value-1' });
    expect(r.injected).toEqual([
      expect.objectContaining({ envName: 'API_KEY', name: 'fn/api-key', version: 1 }),
    ]);
    await expect(port.resolveEnv(f, { B: shared.id })).rejects.toMatchObject({
      code: 'secret_env_unresolved',
    });
    await bob.put(`/api/v1/secrets/${shared.id}/policy`, {
      grants: [{ principal: 'function:fn-0123456789abcdef0', access: 'read' }],
    });
    expect((await port.resolveEnv(f, { B: shared.id })).env).toEqual({ B: 'bob-port-value' });
    // a grant to one function is not a grant to another of the same owner
    await expect(
      port.resolveEnv(fn('fn-fffffffffffffffff', alice.user.id), { B: shared.id }),
    ).rejects.toMatchObject({
      code: 'secret_env_unresolved',
    });
  });

  it('caches a resolution briefly (one audit entry), forgets it on expiry and on any change', async () => {
    const f = fn('fn-cache0000000000000', alice.user.id);
    const before = await injections();
    await port.resolveEnv(f, { API_KEY: 'fn/api-key' });
    await port.resolveEnv(f, { API_KEY: 'fn/api-key' });
    expect(await injections()).toBe(before + 1);
    clock.advance(RESOLVE_CACHE_MS);
    await port.resolveEnv(f, { API_KEY: 'fn/api-key' });
    expect(await injections()).toBe(before + 2);
    // a new version is seen at once, not after the cache expires
    alice.token = (await ctx.login(alice.user.username, alice.password)).body.accessToken;
    expect((await alice.put('/api/v1/secrets/fn%2Fapi-key', { value: 'port-value-2' })).status).toBe(200);
    const r = await port.resolveEnv(f, { API_KEY: 'fn/api-key' });
    expect(r.env.API_KEY).toBe('port-value-2');
    expect(r.injected[0]!.version).toBe(2);
  });

  it('stores references only; forget drops them and grants naming the consumer', async () => {
    const f = fn('fn-0123456789abcdef0', alice.user.id);
    await port.setEnv(f, { API_KEY: 'fn/api-key' });
    expect(await port.envOf(f)).toEqual({ API_KEY: 'fn/api-key' });
    const rows = await ctx.db.kysely.selectFrom('secret_env_refs').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('port-value');
    expect((await port.resolveEnv(f)).env).toEqual({ API_KEY: 'port-value-2' });
    await port.forget(f);
    expect(await port.envOf(f)).toEqual({});
    const grants = await ctx.db.kysely.selectFrom('secret_grants').selectAll().execute();
    expect(grants.map((g) => g.principal)).not.toContain('function:fn-0123456789abcdef0');
  });

  it('validateEnv rejects bad names and deleted secrets without touching values', async () => {
    const f = fn('fn-v', alice.user.id);
    await expect(port.validateEnv(f, { 'bad-name': 'fn/api-key' })).rejects.toMatchObject({
      code: 'invalid_env_name',
    });
    await alice.delete('/api/v1/secrets/fn%2Fapi-key');
    await expect(port.validateEnv(f, { K: 'fn/api-key' })).rejects.toThrow(/scheduled for deletion/);
  });
});
