import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createTestContext, type TestContext } from '../../testing/test-kit.ts';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../errors.ts';

type ErrorBody = {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { issues?: { field: string; message: string }[] };
  };
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({
    configure: (c) => ({ ...c, bodyLimitBytes: 64 * 1024 }),
    beforeReady(app) {
      app.get('/api/v1/test/boom', async () => {
        throw new Error('database password is hunter2 at /srv/secret/path');
      });
      app.get('/api/v1/test/domain', async (request) => {
        const kind = (request.query as { kind?: string }).kind;
        if (kind === 'forbidden') throw new ForbiddenError();
        if (kind === 'missing') throw new NotFoundError('Volume', 'vol-1');
        throw new UnprocessableError('Cannot shrink a volume', { sizeGiB: 10 });
      });
    },
  });
});
afterAll(async () => {
  await ctx?.close();
});

describe('errors', () => {
  it('unknown errors become 500 internal_error with no internals', async () => {
    const res = await ctx.admin.get<ErrorBody>('/api/v1/test/boom');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(res.body.error.message).toBe('Internal server error');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('/srv');
    expect(res.text).not.toContain('stack');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
    expect(ctx.logs()).toContain(res.body.error.requestId); // logged for the operator
  });

  it('domain errors map to their status and code', async () => {
    const cases = [
      ['forbidden', 403, 'forbidden'],
      ['missing', 404, 'not_found'],
      ['other', 422, 'unprocessable'],
    ] as const;
    for (const [kind, status, code] of cases) {
      const res = await ctx.admin.get<ErrorBody>('/api/v1/test/domain', { query: { kind } });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const missing = await ctx.admin.get<ErrorBody>('/api/v1/test/domain', { query: { kind: 'missing' } });
    expect(missing.body.error.message).toBe("Volume 'vol-1' not found");
  });

  it('unknown routes answer 404 not_found in the error shape', async () => {
    const res = await ctx.admin.get<ErrorBody>('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await ctx.request<ErrorBody>('GET', '/api/v1/does-not-exist')).status).toBe(401);
  });
});

describe('bad input', () => {
  it('malformed JSON → 400, nothing written', async () => {
    const before = await countRows(ctx, 'users');
    for (const payload of ['{"username": "x",', '{bad json}', 'null x', '']) {
      const res = await ctx.admin.request<ErrorBody>('POST', '/api/v1/users', {
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, payload).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
    expect(await countRows(ctx, 'users')).toBe(before);
  });

  it('prototype poisoning is refused', async () => {
    const res = await ctx.admin.request<ErrorBody>('POST', '/api/v1/users', {
      payload:
        '{"username":"proto1","password":"long-enough-password","role":"readonly","__proto__":{"role":"admin"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });

  it('oversized bodies → 413 payload_too_large, nothing written', async () => {
    const before = await countRows(ctx, 'users');
    const res = await ctx.admin.post<ErrorBody>('/api/v1/users', {
      username: 'huge',
      password: 'long-enough-password',
      role: 'readonly',
      fullName: 'x'.repeat(70 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await countRows(ctx, 'users')).toBe(before);
  });

  it('wrong types and unknown fields → 400 with the fields listed', async () => {
    const res = await ctx.admin.post<ErrorBody>('/api/v1/users', {
      username: 42,
      password: ['long-enough-password'],
      role: 'operator',
      admin: true,
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details!.issues!.map((i) => i.field).sort();
    expect(fields).toEqual(['body.admin', 'body.password', 'body.username']);
    expect(res.text).not.toContain('long-enough-password'); // values are never echoed
  });

  it('numbers in query strings are read strictly: 10 is 10, but 2.5, 1e2, 0x10 and "" are not integers', async () => {
    const ok = await ctx.admin.get<{ limit: number }>('/api/v1/users', {
      query: { limit: '10', offset: '0' },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.limit).toBe(10);
    for (const limit of ['2.5', '1e2', '0x10', '', ' 7', 'ten']) {
      const res = await ctx.admin.get<ErrorBody>('/api/v1/users', { query: { limit } });
      expect(res.status, `limit=${JSON.stringify(limit)}`).toBe(400);
      expect(res.body.error.details!.issues!.map((i) => i.field)).toEqual(['querystring.limit']);
    }
  });

  it('unsupported content types → 415', async () => {
    const res = await ctx.admin.request<ErrorBody>('POST', '/api/v1/users', {
      payload: 'username=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});

describe('request ids and headers', () => {
  it('echoes a sane x-request-id, replaces an unsafe one, generates one otherwise', async () => {
    const given = await ctx.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const unsafe = await ctx.request('GET', '/healthz', { headers: { 'x-request-id': 'a b\nc<script>' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    const generated = await ctx.request('GET', '/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^req-/);
  });

  it('sends security headers on API, docs and errors', async () => {
    for (const url of ['/healthz', '/api/docs', '/api/v1/users', '/nope']) {
      const res = await ctx.request('GET', url);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('system endpoints', () => {
  it('healthz, readyz and system info (demo mode without PROXMOX_URL)', async () => {
    expect((await ctx.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await ctx.request('GET', '/readyz')).body).toEqual({ status: 'ready' });
    const info = await ctx.request<{ version: string; mode: string; proxmox: unknown }>(
      'GET',
      '/api/v1/system/info',
    );
    expect(info.body).toEqual({ version: ctx.config.version, mode: 'demo', proxmox: null });
  });

  it('serves the OpenAPI 3.1 document and a self-contained docs page', async () => {
    const spec = await ctx.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(spec.body.paths['/api/v1/users']).toBeDefined();
    const docs = await ctx.request('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.headers['content-type'])).toContain('text/html');
    expect(docs.text).toContain('<script src="/api/docs/viewer.js">');
    expect(docs.text).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i); // no CDN
    const js = await ctx.request('GET', '/api/docs/viewer.js');
    expect(js.status).toBe(200);
    expect(js.text).toContain("fetch('/api/openapi.json')");
  });

  it('says the console is not built when the web dir is missing', async () => {
    const res = await ctx.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('web console is not built');
  });
});

describe('web console', () => {
  it('serves the built console with SPA fallback', async () => {
    const web = await createTestContext({
      configure: (c) => {
        const dir = join(c.dataDir, 'web');
        mkdirSync(join(dir, 'assets'), { recursive: true });
        writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root">console</div>');
        writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
        return { ...c, webDir: dir };
      },
    });
    try {
      const root = await web.request('GET', '/', { headers: { accept: 'text/html' } });
      expect(root.text).toContain('console');
      const deep = await web.request('GET', '/iam/users', { headers: { accept: 'text/html' } });
      expect(deep.status).toBe(200);
      expect(deep.text).toContain('id="root"');
      const asset = await web.request('GET', '/assets/app-1234.js');
      expect(asset.status).toBe(200);
      expect(String(asset.headers['cache-control'])).toContain('immutable');
      const api404 = await web.admin.get<ErrorBody>('/api/v1/nothing-here', {
        headers: { accept: 'text/html' },
      });
      expect(api404.status).toBe(404);
      expect(api404.body.error.code).toBe('not_found');
    } finally {
      await web.close();
    }
  });
});

describe('readiness', () => {
  it('/readyz answers 503 unavailable when the database is gone; /healthz still answers', async () => {
    const c = await createTestContext({ bootstrap: false });
    try {
      expect((await c.request('GET', '/readyz')).status).toBe(200);
      await c.db.close();
      const res = await c.request<ErrorBody>('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect((await c.request('GET', '/healthz')).status).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('well-formed Unicode', () => {
  const raw = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: string) =>
    ctx.request<ErrorBody>(method, url, {
      headers: { authorization: `Bearer ${ctx.admin.token}`, 'content-type': 'application/json' },
      ...(payload !== undefined ? { payload } : {}),
    });

  it('refuses lone UTF-16 surrogates in JSON bodies (values, nested, field names) with 400', async () => {
    const before = await countRows(ctx, 'users');
    const user = (extra: string) =>
      `{"username":"surrogate1","password":"long-enough-password","role":"operator",${extra}}`;
    for (const [extra, field] of [
      ['"fullName":"\\ud800"', 'body.fullName'],
      ['"fullName":"a\\udc00b"', 'body.fullName'],
      ['"fullName":"\\ude00\\ud83d"', 'body.fullName'],
      ['"\\ud800x":"y"', 'body (a field name)'],
    ] as const) {
      const res = await raw('POST', '/api/v1/users', user(extra));
      expect(res.status, extra).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details?.issues?.[0]?.field).toBe(field);
    }
    expect(await countRows(ctx, 'users')).toBe(before);
    // Surrogate pairs (emoji) are fine.
    const ok = await raw('POST', '/api/v1/users', user('"fullName":"Ana \\ud83d\\ude00"'));
    expect(ok.status).toBe(201);
    const id = (ok.body as unknown as { id: string; fullName: string }).id;
    expect((ok.body as unknown as { fullName: string }).fullName).toBe('Ana 😀');
    const patch = await raw('PATCH', `/api/v1/users/${id}`, '{"fullName":"x\\udbff"}');
    expect(patch.status).toBe(400);
    expect(patch.body.error.details?.issues?.[0]?.field).toBe('body.fullName');
  });

  it('path parameters with an encoded surrogate are refused; query strings cannot smuggle one in', async () => {
    // %ED%A0%80 is a UTF-8-encoded surrogate (invalid UTF-8): undecodable in a path → 400.
    const path = await raw('GET', '/api/v1/users/%ED%A0%80');
    expect(path.status).toBe(400);
    // The query parser keeps undecodable escapes as the literal (well-formed) text "%ED%A0%80",
    // so no surrogate reaches a route: the search simply finds nothing.
    for (const url of ['/api/v1/users?q=%ED%A0%80', '/api/v1/users?q=%uD800']) {
      const res = await raw('GET', url);
      expect(res.status, url).toBe(200);
      expect((res.body as unknown as { items: unknown[] }).items).toEqual([]);
    }
  });
});

describe('findIllFormed (the check behind the hook, for query and params too)', () => {
  it('finds lone surrogates anywhere in parsed values', async () => {
    const { findIllFormed } = await import('./unicode.ts');
    expect(findIllFormed({ q: 'ok', tags: ['a', 'b\ud800'] }, 'query')).toBe('query.tags[1]');
    expect(findIllFormed({ id: '\udfff' }, 'params')).toBe('params.id');
    expect(findIllFormed({ a: { b: 'emoji 😀' } }, 'body')).toBeNull();
    expect(findIllFormed(Buffer.from([0xed, 0xa0, 0x80]), 'body')).toBeNull();
  });
});
