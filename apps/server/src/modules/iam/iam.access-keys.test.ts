import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createTestContext, type TestContext } from '../../testing/test-kit.ts';

type Key = {
  accessKeyId: string;
  userId: string;
  description: string;
  status: string;
  createdAt: string;
  lastUsedAt: string | null;
};
type CreatedKey = Key & { secretAccessKey: string };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('access keys', () => {
  it('creates a key whose secret is shown once and stored encrypted', async () => {
    const op = await ctx.newUser({ role: 'operator' });
    const res = await op.post<CreatedKey>('/api/v1/access-keys', { description: 'laptop cli' });
    expect(res.status).toBe(201);
    expect(res.body.accessKeyId).toMatch(/^AKPC[A-Z2-7]{16}$/);
    expect(res.body.accessKeyId).toHaveLength(20);
    expect(res.body.secretAccessKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(res.body).toMatchObject({
      description: 'laptop cli',
      status: 'active',
      lastUsedAt: null,
      userId: op.user.id,
    });

    const list = await op.get<{ items: Record<string, unknown>[]; total: number }>('/api/v1/access-keys');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).not.toHaveProperty('secretAccessKey');
    expect(list.text).not.toContain(res.body.secretAccessKey);

    const row = await ctx.db.kysely
      .selectFrom('access_keys')
      .selectAll()
      .where('id', '=', res.body.accessKeyId)
      .executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(res.body.secretAccessKey);
    expect(row.secret_enc.startsWith('v1.')).toBe(true);
    const resolved = await ctx.app.services.authenticator.resolveAccessKey(res.body.accessKeyId);
    expect(resolved).toMatchObject({
      secretAccessKey: res.body.secretAccessKey,
      userId: op.user.id,
      role: 'operator',
    });
    // The ciphertext is bound to its key id: copied onto another row it does not decrypt.
    const other = await op.post<CreatedKey>('/api/v1/access-keys', {});
    await ctx.db.kysely
      .updateTable('access_keys')
      .set({ secret_enc: row.secret_enc })
      .where('id', '=', other.body.accessKeyId)
      .execute();
    ctx.app.services.authenticator.invalidate();
    expect(await ctx.app.services.authenticator.resolveAccessKey(other.body.accessKeyId)).toBeNull();
  });

  it('authenticates `Authorization: AccessKey id:secret` and records lastUsedAt', async () => {
    const op = await ctx.newUser({ role: 'operator' });
    const key = (await op.post<CreatedKey>('/api/v1/access-keys', { description: 'ci' })).body;
    const auth = { authorization: `AccessKey ${key.accessKeyId}:${key.secretAccessKey}` };
    const me = await ctx.request<{ user: { id: string } }>('GET', '/api/v1/auth/me', { headers: auth });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(op.user.id);
    const listed = await op.get<{ items: Key[] }>('/api/v1/access-keys');
    expect(listed.body.items[0]?.lastUsedAt).not.toBeNull();
    // mutating calls with an access key need no CSRF header
    expect(
      (await ctx.request('POST', '/api/v1/access-keys', { headers: auth, body: { description: 'from key' } }))
        .status,
    ).toBe(201);

    for (const bad of [
      `AccessKey ${key.accessKeyId}:${key.secretAccessKey.slice(0, -1)}${key.secretAccessKey.endsWith('x') ? 'y' : 'x'}`,
      `AccessKey ${key.accessKeyId}`,
      `AccessKey AKPCAAAAAAAAAAAAAAAA:${key.secretAccessKey}`,
      `AccessKey ${key.accessKeyId.toLowerCase()}:${key.secretAccessKey}`,
      `AccessKey :${key.secretAccessKey}`,
    ]) {
      expect(
        (await ctx.request('GET', '/api/v1/auth/me', { headers: { authorization: bad } })).status,
        bad,
      ).toBe(401);
    }
  });

  it('disabled users’ keys stop working; deleted keys stop working', async () => {
    const op = await ctx.newUser({ role: 'operator' });
    const key = (await op.post<CreatedKey>('/api/v1/access-keys', {})).body;
    const auth = { authorization: `AccessKey ${key.accessKeyId}:${key.secretAccessKey}` };
    expect((await ctx.request('GET', '/api/v1/auth/me', { headers: auth })).status).toBe(200);
    await ctx.admin.put(`/api/v1/users/${op.user.id}`, { status: 'disabled' });
    expect((await ctx.request('GET', '/api/v1/auth/me', { headers: auth })).status).toBe(401);
    expect(await ctx.app.services.authenticator.resolveAccessKey(key.accessKeyId)).toBeNull();
    await ctx.admin.put(`/api/v1/users/${op.user.id}`, { status: 'active' });
    expect((await ctx.request('GET', '/api/v1/auth/me', { headers: auth })).status).toBe(200);

    const again = await ctx.login(op.user.username, op.password);
    const token = again.body.accessToken;
    const del = await ctx.request('DELETE', `/api/v1/access-keys/${key.accessKeyId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(del.status).toBe(204);
    expect((await ctx.request('GET', '/api/v1/auth/me', { headers: auth })).status).toBe(401);
    expect(
      (
        await ctx.request('DELETE', `/api/v1/access-keys/${key.accessKeyId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(404);
  });

  it('limits active keys per user and audits create/delete without the secret', async () => {
    const op = await ctx.newUser({ role: 'operator' });
    const secrets: string[] = [];
    for (let i = 0; i < 10; i++)
      secrets.push(
        (await op.post<CreatedKey>('/api/v1/access-keys', { description: `k${i}` })).body.secretAccessKey,
      );
    const before = await countRows(ctx, 'access_keys');
    const over = await op.post<{ error: { code: string } }>('/api/v1/access-keys', {});
    expect(over.status).toBe(409);
    expect(await countRows(ctx, 'access_keys')).toBe(before);
    const audit = await ctx.admin.get<{ items: { action: string; result: string }[] }>('/api/v1/logs/audit', {
      query: { userId: op.user.id, action: 'access_keys.*', limit: 100 },
    });
    const creates = audit.body.items.filter((e) => e.action === 'access_keys.create');
    expect(creates.filter((e) => e.result === 'success').length).toBe(10);
    expect(creates.filter((e) => e.result === 'failure').length).toBe(1); // the refused 11th
    const csv = await ctx.admin.get('/api/v1/logs/audit.csv');
    for (const s of secrets) {
      expect(audit.text).not.toContain(s);
      expect(csv.text).not.toContain(s);
    }
  });
});
