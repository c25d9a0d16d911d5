/**
 * Functions end to end on real bubblewrap sandboxes (a local runner process): CRUD and versions,
 * aliases, sync/async invoke with retries, handler errors, env and secrets, ZIP uploads (and
 * zip-slip / zip-bomb refusals), function URLs (event mapping, binary bodies, IAM auth, CORS),
 * cron triggers under a controlled clock, metrics, and other users' functions answering 404.
 */
import { createServer } from 'node:http';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import type { FunctionView } from './functions.service.ts';

let ctx: TestContext;
let alice: TestClient;
let bob: TestClient;
const clock = new ManualClock('2026-03-01T10:00:00.000Z');

interface Invoked {
  invocationId: string;
  status: string;
  version: number;
  result?: unknown;
  error?: { type: string; message: string };
  durationMs?: number;
  billedDurationMs?: number;
  memoryUsedMb?: number | null;
  coldStart?: boolean;
  logTail?: string;
}

const HELLO = `let calls = 0;
export const handler = async (event, context) => {
  calls++;
  console.log('got', JSON.stringify(event));
  if (event && event.fail) throw new Error('boom: ' + event.fail);
  return { hello: event.name ?? 'world', calls, env: process.env.GREETING ?? null, secret: process.env.DB_PASSWORD ?? null, fn: context.functionName };
};`;

const create = async (who: TestClient, name: string, extra: Record<string, unknown> = {}) => {
  const res = await who.post<FunctionView>('/api/v1/functions', {
    name,
    runtime: 'nodejs',
    handler: 'index.handler',
    memoryMb: 128,
    timeoutSeconds: 5,
    code: { files: { 'index.mjs': HELLO } },
    ...extra,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
};
const invoke = (who: TestClient, id: string, body: Record<string, unknown>) =>
  who.post<Invoked>(`/api/v1/functions/${id}/invoke`, body);

beforeAll(async () => {
  ctx = await createTestContext({ clock });
  alice = await ctx.newUser({ role: 'operator' });
  bob = await ctx.newUser({ role: 'operator' });
  ctx.app.modules.functions.settings.retryBaseMs = 1000;
}, 180_000);
afterAll(() => ctx?.close());

describe('functions API', () => {
  let fn: FunctionView;

  it('creates a function (version 1, live) and lists runtimes with versions', async () => {
    fn = await create(alice, 'hello', { env: { GREETING: 'hi' }, description: 'says hello' });
    expect(fn).toMatchObject({
      name: 'hello',
      runtime: 'nodejs',
      memoryMb: 128,
      version: 1,
      liveVersion: 1,
      network: false,
      url: null,
    });
    const rt = await alice.get<{
      runtimes: { name: string; available: boolean; version: string | null }[];
      sandbox: { bwrap: boolean };
    }>('/api/v1/functions/runtimes');
    expect(rt.status).toBe(200);
    expect(rt.body.sandbox.bwrap).toBe(true);
    expect(rt.body.runtimes.find((r) => r.name === 'nodejs')).toMatchObject({
      available: true,
      version: process.versions.node,
    });
    // Go: available where the toolchain is installed (functions.go.test.ts runs it)
    const haveGo = (await import('node:child_process')).spawnSync('go', ['version']).status === 0;
    expect(rt.body.runtimes.find((r) => r.name === 'go')?.available).toBe(haveGo);
    expect(
      (
        await alice.post('/api/v1/functions', {
          name: 'hello',
          runtime: 'nodejs',
          handler: 'index.handler',
          memoryMb: 128,
          timeoutSeconds: 3,
          code: { files: { 'index.mjs': HELLO } },
        })
      ).status,
    ).toBe(409);
  });

  it('invokes synchronously: result, durations, memory, logs; warm reuse keeps module state', async () => {
    const first = await invoke(alice, fn.id, { payload: { name: 'Ada' } });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      status: 'success',
      version: 1,
      coldStart: true,
      result: { hello: 'Ada', calls: 1, env: 'hi', fn: 'hello' },
    });
    expect(first.body.billedDurationMs).toBeGreaterThanOrEqual(1);
    expect(first.body.memoryUsedMb).toBeGreaterThan(0);
    expect(first.body.logTail).toContain('got {"name":"Ada"}');
    const second = await invoke(alice, fn.id, { payload: {} });
    expect(second.body).toMatchObject({
      status: 'success',
      coldStart: false,
      result: { hello: 'world', calls: 2 },
    });
    const inv = await alice.get<{ logs: string; status: string; trigger: string }>(
      `/api/v1/invocations/${first.body.invocationId}`,
    );
    expect(inv.body).toMatchObject({ status: 'success', trigger: 'api' });
    expect(inv.body.logs).toContain('got {"name":"Ada"}');
  });

  it('reports handler errors as status error with the error type and message', async () => {
    const res = await invoke(alice, fn.id, { payload: { fail: 'bad input' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'error', error: { type: 'Error', message: 'boom: bad input' } });
  });

  it('hides functions from other users (404) and refuses invoke for them', async () => {
    expect((await bob.get(`/api/v1/functions/${fn.id}`)).status).toBe(404);
    expect((await invoke(bob, fn.id, { payload: {} })).status).toBe(404);
    expect((await bob.delete(`/api/v1/functions/${fn.id}`)).status).toBe(404);
    const list = await bob.get<{ items: unknown[] }>('/api/v1/functions');
    expect(list.body.items).toHaveLength(0);
    const first = await alice.get<{ items: { id: string }[] }>(`/api/v1/functions/${fn.id}/invocations`);
    expect((await bob.get(`/api/v1/invocations/${first.body.items[0]!.id}`)).status).toBe(404);
  });

  it('every update is a new immutable version; aliases pin and roll back', async () => {
    const v2 = await alice.put<FunctionView>(`/api/v1/functions/${fn.id}`, {
      code: { files: { 'index.mjs': 'export const handler = async () => "v2";' } },
    });
    expect(v2.body).toMatchObject({ version: 2, liveVersion: 2 });
    expect((await invoke(alice, fn.id, {})).body.result).toBe('v2');
    expect((await invoke(alice, fn.id, { qualifier: '1', payload: {} })).body.result).toMatchObject({
      hello: 'world',
    });
    const v3 = await alice.put<FunctionView>(`/api/v1/functions/${fn.id}`, { memoryMb: 256, publish: false });
    expect(v3.body).toMatchObject({ version: 3, liveVersion: 2, memoryMb: 256 });
    const pinned = await alice.put<{ aliases: { name: string; version: number }[] }>(
      `/api/v1/functions/${fn.id}/aliases/live`,
      { version: 1 },
    );
    expect(pinned.body.aliases).toContainEqual(expect.objectContaining({ name: 'live', version: 1 }));
    expect((await invoke(alice, fn.id, { payload: {} })).body).toMatchObject({
      version: 1,
      result: { hello: 'world' },
    });
    const versions = await alice.get<{ versions: { version: number }[] }>(
      `/api/v1/functions/${fn.id}/versions`,
    );
    expect(versions.body.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    await alice.put(`/api/v1/functions/${fn.id}/aliases/live`, { version: 2 });
  });

  it('injects secrets from the vault without storing values on the function', async () => {
    expect((await alice.post('/api/v1/secrets', { name: 'fn/db', value: 's3cr3t-fn-value' })).status).toBe(
      201,
    );
    const s = await create(alice, 'with-secret', { secrets: { DB_PASSWORD: 'fn/db' } });
    expect(s.secrets).toEqual({ DB_PASSWORD: 'fn/db' });
    expect((await invoke(alice, s.id, { payload: {} })).body.result).toMatchObject({
      secret: 's3cr3t-fn-value',
    });
    expect(JSON.stringify((await alice.get(`/api/v1/functions/${s.id}`)).body)).not.toContain(
      's3cr3t-fn-value',
    );
    // bob cannot reference alice's secret
    const bad = await bob.post('/api/v1/functions', {
      name: 'steal',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 3,
      secrets: { X: 'fn/db' },
      code: { files: { 'index.mjs': HELLO } },
    });
    expect(bad.status).toBe(422);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'like', 'functions.%')
      .execute();
    expect(audit.map((a) => a.action)).toContain('functions.create');
    expect(JSON.stringify(audit)).not.toContain('s3cr3t-fn-value');
  });

  it("takes the secrets vault's contract name secretEnv (same map as secrets) on create and update", async () => {
    // issue 14's contract: instances and functions take `secretEnv: {ENV_NAME: 'secret-name'}`
    const s = await create(alice, 'with-secret-env', { secretEnv: { DB_PASSWORD: 'fn/db' } });
    expect(s.secretEnv).toEqual({ DB_PASSWORD: 'fn/db' });
    expect(s.secrets).toEqual({ DB_PASSWORD: 'fn/db' });
    expect((await invoke(alice, s.id, { payload: {} })).body.result).toMatchObject({
      secret: 's3cr3t-fn-value',
    });
    const cleared = await alice.put<FunctionView>(`/api/v1/functions/${s.id}`, { secretEnv: {} });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.secretEnv).toEqual({});
    expect((await invoke(alice, s.id, { payload: {} })).body.result).toMatchObject({ secret: null });
    // both names with different maps: which one is meant is unclear
    const both = await alice.put(`/api/v1/functions/${s.id}`, {
      secretEnv: { A: 'fn/db' },
      secrets: { B: 'fn/db' },
    });
    expect(both.status).toBe(400);
    expect(
      (
        await bob.post('/api/v1/functions', {
          name: 'steal2',
          runtime: 'nodejs',
          handler: 'index.handler',
          memoryMb: 128,
          timeoutSeconds: 3,
          secretEnv: { X: 'fn/db' },
          code: { files: { 'index.mjs': HELLO } },
        })
      ).status,
    ).toBe(422);
  });

  it('takes code as a ZIP (raw and multipart) and refuses zip-slip and zip bombs', async () => {
    const zip = Buffer.from(
      zipSync({
        'src/app.py': new TextEncoder().encode(
          'def handler(event, context):\n    return {"py": event["n"] * 2}\n',
        ),
      }),
    );
    const py = await create(alice, 'py', {
      runtime: 'python3',
      handler: 'src.app.handler',
      code: { zipBase64: zip.toString('base64') },
    });
    expect((await invoke(alice, py.id, { payload: { n: 21 } })).body).toMatchObject({
      status: 'success',
      result: { py: 42 },
    });
    const zip2 = Buffer.from(
      zipSync({ 'src/app.py': new TextEncoder().encode('def handler(event, context):\n    return "raw"\n') }),
    );
    const raw = await alice.request<FunctionView>('POST', `/api/v1/functions/${py.id}/code`, {
      payload: zip2,
      headers: { 'content-type': 'application/zip' },
    });
    expect(raw.status, raw.text).toBe(200);
    expect(raw.body.version).toBe(2);
    expect((await invoke(alice, py.id, { payload: {} })).body.result).toBe('raw');
    const boundary = 'XyZ123';
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="code.zip"\r\nContent-Type: application/zip\r\n\r\n`,
      ),
      Buffer.from(
        zipSync({ 'src/app.py': new TextEncoder().encode('def handler(e, c):\n    return "multi"\n') }),
      ),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const mp = await alice.request<FunctionView>('POST', `/api/v1/functions/${py.id}/code`, {
      payload: multipart,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(mp.status, mp.text).toBe(200);
    expect((await invoke(alice, py.id, { payload: {} })).body.result).toBe('multi');

    const slip = Buffer.from(zipSync({ '../../etc/evil.sh': new TextEncoder().encode('x') }));
    const slipRes = await alice.request<{ error: { code: string } }>(
      'POST',
      `/api/v1/functions/${py.id}/code`,
      { payload: slip, headers: { 'content-type': 'application/zip' } },
    );
    expect(slipRes.status).toBe(400);
    expect(slipRes.body.error.code).toBe('invalid_code');
    // a small archive that inflates past the cap (lowered to 2 MiB here; 50 MiB by default)
    ctx.app.modules.functions.settings.maxCodeBytes = 2 * 1024 * 1024;
    const bomb = Buffer.from(zipSync({ 'zeros.bin': new Uint8Array(3 * 1024 * 1024) }, { level: 9 }));
    expect(bomb.length).toBeLessThan(20 * 1024);
    const bombRes = await alice.request<{ error: { message: string } }>(
      'POST',
      `/api/v1/functions/${py.id}/code`,
      { payload: bomb, headers: { 'content-type': 'application/zip' } },
    );
    expect(bombRes.status).toBe(400);
    expect(bombRes.body.error.message).toContain('inflates to more than');
    ctx.app.modules.functions.settings.maxCodeBytes = 50 * 1024 * 1024;
  });

  it('serves the function URL: Lambda-style event, binary bodies, response mapping, IAM auth, CORS', async () => {
    const echo = await create(alice, 'echo', {
      code: {
        files: {
          'index.mjs': `export const handler = async (event) => {
            if (event.rawPath === '/bin') return { statusCode: 201, headers: { 'Content-Type': 'application/octet-stream' }, isBase64Encoded: true, body: Buffer.from(event.body, 'base64').reverse().toString('base64') };
            return { statusCode: 200, headers: { 'x-fn': 'yes' }, cookies: ['a=1'], body: JSON.stringify({ method: event.requestContext.http.method, path: event.rawPath, q: event.queryStringParameters, b64: event.isBase64Encoded, body: event.body, ct: event.headers['content-type'] }) };
          };`,
        },
      },
    });
    const put = await alice.put<{ url: string; urlId: string }>(`/api/v1/functions/${echo.id}/url`, {
      auth: 'none',
      cors: { allowOrigins: ['https://app.example'] },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.url).toBe(`/fn/${put.body.urlId}/`);
    // Function URLs are a raw mount on the node:http server (not Fastify's inject): a real socket.
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${base}${put.body.url}`;
    const res = await fetch(`${url}hello/world?x=1&x=2&y=3`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-fn')).toBe('yes');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.getSetCookie()).toEqual(['a=1']);
    expect(await res.json()).toEqual({
      method: 'POST',
      path: '/hello/world',
      q: { x: '1,2', y: '3' },
      b64: false,
      body: '{"a":1}',
      ct: 'application/json',
    });
    const bin = await fetch(`${url}bin`, {
      method: 'PUT',
      body: new Uint8Array([0, 1, 2, 255, 254]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(bin.status).toBe(201);
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from([254, 255, 2, 1, 0]));
    const pre = await fetch(`${url}x`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');

    await alice.put(`/api/v1/functions/${echo.id}/url`, { auth: 'iam' });
    expect((await fetch(`${url}x`)).status).toBe(403);
    expect((await fetch(`${url}x`, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(403);
    expect((await fetch(`${url}x`, { headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${base}/fn/doesnotexist0000/`)).status).toBe(404);
  });

  it('runs async invocations with retries and calls the failure webhook after the last attempt', async () => {
    const hooks: unknown[] = [];
    const hook = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        hooks.push(JSON.parse(b));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    try {
      const f = await create(alice, 'async-fail', { failureWebhook: `http://127.0.0.1:${port}/hook` });
      const ok = await invoke(alice, f.id, { payload: { name: 'later' }, async: true });
      expect(ok.status).toBe(202);
      expect(ok.body.status).toBe('queued');
      const bad = await invoke(alice, f.id, { payload: { fail: 'always' }, async: true });
      const invoker = ctx.app.modules.functions.invoker;
      await invoker.drain();
      const done = await alice.get<{ status: string; result: unknown; attempts: number }>(
        `/api/v1/invocations/${ok.body.invocationId}`,
      );
      expect(done.body).toMatchObject({ status: 'success', attempts: 1, result: { hello: 'later' } });
      let failed = await alice.get<{ status: string; attempts: number }>(
        `/api/v1/invocations/${bad.body.invocationId}`,
      );
      expect(failed.body).toMatchObject({ status: 'queued', attempts: 1 });
      clock.advance(1000);
      await invoker.drain();
      clock.advance(2000);
      await invoker.drain();
      failed = await alice.get(`/api/v1/invocations/${bad.body.invocationId}`);
      expect(failed.body).toMatchObject({ status: 'error', attempts: 3 });
      for (let i = 0; i < 50 && hooks.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(hooks[0]).toMatchObject({
        invocationId: bad.body.invocationId,
        functionId: f.id,
        status: 'error',
        attempts: 3,
        payload: { fail: 'always' },
      });
    } finally {
      hook.close();
    }
  });

  it('fires cron schedules once per occurrence through the persisted scheduler', async () => {
    const f = await create(alice, 'cron');
    const s = await alice.post<{ id: string; nextRunAt: string }>(`/api/v1/functions/${f.id}/schedules`, {
      cron: '*/5 * * * *',
      payload: { name: 'cron' },
    });
    expect(s.status, s.text).toBe(201);
    expect((await alice.post(`/api/v1/functions/${f.id}/schedules`, { cron: 'not a cron' })).status).toBe(
      400,
    );
    const list = await alice.get<{ items: { id: string }[] }>(`/api/v1/functions/${f.id}/schedules`);
    expect(list.body.items.map((i) => i.id)).toEqual([s.body.id]);
    clock.set(s.body.nextRunAt);
    clock.advance(1000);
    const scheduler = ctx.app.services.scheduler;
    await scheduler.tick();
    await scheduler.idle();
    await scheduler.tick(); // same occurrence: no second run
    await scheduler.idle();
    await ctx.app.modules.functions.invoker.drain();
    const invs = await alice.get<{ items: { trigger: string; status: string }[] }>(
      `/api/v1/functions/${f.id}/invocations`,
    );
    expect(invs.body.items).toHaveLength(1);
    expect(invs.body.items[0]).toMatchObject({ trigger: 'cron', status: 'success' });
    expect((await alice.delete(`/api/v1/functions/${f.id}/schedules/${s.body.id}`)).status).toBe(204);
  });

  it('throttles over the function concurrency and reports metrics', async () => {
    const slow = await create(alice, 'slow', {
      concurrency: 1,
      code: {
        files: {
          'index.mjs': 'export const handler = () => new Promise((r) => setTimeout(() => r("done"), 1500));',
        },
      },
    });
    const [a, b] = await Promise.all([
      invoke(alice, slow.id, {}),
      new Promise((r) => setTimeout(r, 300)).then(() => invoke(alice, slow.id, {})),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    const m = await alice.get<{
      invocations: number;
      throttles: number;
      errors: number;
      p50Ms: number | null;
    }>(`/api/v1/functions/${slow.id}/metrics?hours=1`);
    expect(m.body).toMatchObject({ invocations: 1, throttles: 1, errors: 0 });
    expect(m.body.p50Ms).toBeGreaterThan(0);
    const prom = await ctx.app.modules.metrics.exporter.metrics();
    expect(prom).toContain(
      `proxicloud_function_invocations_total{function_id="${slow.id}",function="slow",status="throttled"} 1`,
    );
  });

  it('enforces the function quotas of /api/v1/quotas (count, memory, running invocations)', async () => {
    const carol = await ctx.newUser({ role: 'operator' });
    interface Q {
      limits: { functions: number | null; functionConcurrency: number | null; functionMemory: number | null };
      usage: { functions: number; functionConcurrency: number; functionMemory: number };
    }
    const set = await ctx.admin.put<Q>(`/api/v1/quotas/${carol.user.id}`, {
      functions: 1,
      functionConcurrency: 1,
      functionMemory: 256,
    });
    expect(set.status, set.text).toBe(200);
    const body = (name: string, memoryMb: number, code = HELLO) => ({
      name,
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb,
      timeoutSeconds: 20,
      code: { files: { 'index.mjs': code } },
    });
    type Err = { error: { code: string; message: string; details: Record<string, unknown> } };
    const big = await carol.post<Err>('/api/v1/functions', body('big', 512));
    expect(big.status).toBe(422);
    expect(big.body.error.code).toBe('quota_exceeded');
    expect(big.body.error.details).toMatchObject({ limit: 'functionMemory', max: 256, requested: 512 });
    const sleepy = await carol.post<FunctionView>(
      '/api/v1/functions',
      body(
        'sleepy',
        128,
        'export const handler = () => new Promise((r) => setTimeout(() => r("done"), 5000));',
      ),
    );
    expect(sleepy.status, sleepy.text).toBe(201);
    const second = await carol.post<Err>('/api/v1/functions', body('second', 128));
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('quota_exceeded');
    expect(second.body.error.details).toMatchObject({ limit: 'functions', max: 1, used: 1 });
    expect(second.body.error.message).toContain('function count limit is 1');
    // raising the memory of the function above the quota is refused too
    const grow = await carol.put<Err>(`/api/v1/functions/${sleepy.body.id}`, { memoryMb: 512 });
    expect(grow.status).toBe(422);
    expect(grow.body.error.details).toMatchObject({ limit: 'functionMemory' });

    // one invocation runs: the usage shows it and a second one is refused (429, QuotaExceeded)
    const first = invoke(carol, sleepy.body.id, {});
    let usage: Q['usage'] | undefined;
    for (let i = 0; i < 600; i++) {
      usage = (await carol.get<Q>('/api/v1/quotas/me')).body.usage;
      if (usage.functionConcurrency === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(usage).toMatchObject({ functions: 1, functionConcurrency: 1, functionMemory: 128 });
    const refused = await invoke(carol, sleepy.body.id, {});
    expect(refused.status).toBe(429);
    expect(refused.body.status).toBe('throttled');
    expect(refused.body.error?.type).toBe('QuotaExceeded');
    expect(refused.body.error?.message).toContain('limit of 1 running function invocations');
    expect((await first).body.status).toBe('success');
    const after = (await carol.get<Q>('/api/v1/quotas/me')).body;
    expect(after.limits).toEqual(
      expect.objectContaining({ functions: 1, functionConcurrency: 1, functionMemory: 256 }),
    );
    expect(after.usage).toMatchObject({ functions: 1, functionConcurrency: 0, functionMemory: 0 });
    // lifting the limit applies at once (the cached limits follow the quota's changes)
    expect((await ctx.admin.put(`/api/v1/quotas/${carol.user.id}`, {})).status).toBe(200);
    expect((await carol.post('/api/v1/functions', body('second', 512))).status).toBe(201);
  });

  it('enforces the functions quota and deletes functions with their schedules', async () => {
    ctx.app.modules.functions.settings.maxFunctionsPerUser = 1;
    const r = await bob.post<{ error: { code: string } }>('/api/v1/functions', {
      name: 'one',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 3,
      code: { files: { 'index.mjs': HELLO } },
    });
    expect(r.status).toBe(201);
    const again = await bob.post<{ error: { code: string } }>('/api/v1/functions', {
      name: 'two',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 3,
      code: { files: { 'index.mjs': HELLO } },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('quota_exceeded');
    ctx.app.modules.functions.settings.maxFunctionsPerUser = 50;
    expect(
      (
        await alice.post('/api/v1/functions', {
          name: 'huge',
          runtime: 'nodejs',
          handler: 'index.handler',
          memoryMb: 8192,
          timeoutSeconds: 3,
          code: { files: { 'index.mjs': HELLO } },
        })
      ).status,
    ).toBe(400);
    const f = await create(alice, 'doomed');
    await alice.post(`/api/v1/functions/${f.id}/schedules`, { cron: '0 * * * *' });
    expect((await alice.delete(`/api/v1/functions/${f.id}`)).status).toBe(204);
    expect((await alice.get(`/api/v1/functions/${f.id}`)).status).toBe(404);
    const left = await ctx.db.kysely
      .selectFrom('schedules')
      .select('id')
      .where('kind', '=', 'functions.invoke')
      .execute();
    expect(left).toHaveLength(0);
  });
});
