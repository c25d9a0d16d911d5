/**
 * The REST API for buckets and objects over real HTTP: JSON errors, isolation (other users'
 * buckets are 404), streamed uploads and downloads (Range, conditional), listing with folders
 * and cursors, batch delete, presigned URLs (the server-derived credential), multipart through
 * the API, audit entries, ownership on user deletion, and the OpenAPI document.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/test-kit.ts';
import { type StorageTest, startStorageTest } from './storage.test-helpers.ts';

let t: StorageTest;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  t = await startStorageTest();
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});
afterAll(async () => {
  await t?.close();
});

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** fetch against the main port as a user (Bearer token). */
async function api(
  who: TestClient,
  method: string,
  path: string,
  opts: { json?: unknown; body?: Buffer | string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${who.token}`, ...(opts.headers ?? {}) };
  let body: Buffer | string | undefined = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body });
  const buf = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    buf,
    // biome-ignore lint/suspicious/noExplicitAny: test convenience
    get json(): any {
      return type.includes('json') && buf.length > 0 ? JSON.parse(buf.toString()) : null;
    },
  };
}

const enc = (key: string) => key.split('/').map(encodeURIComponent).join('/');

describe('buckets (REST)', () => {
  it('create, list with object count and size, get, delete only when empty', async () => {
    const created = await api(alice, 'POST', '/buckets', { json: { name: 'alice-rest' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'alice-rest',
      ownerId: alice.user.id,
      objectCount: 0,
      sizeBytes: 0,
      storage: 'dir',
    });

    expect((await api(alice, 'POST', '/buckets', { json: { name: 'alice-rest' } })).json.error.code).toBe(
      'bucket_already_owned_by_you',
    );
    const taken = await api(bob, 'POST', '/buckets', { json: { name: 'alice-rest' } });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toMatchObject({ code: 'bucket_already_exists', requestId: expect.any(String) });
    const ip = await api(alice, 'POST', '/buckets', { json: { name: '10.0.0.1' } });
    expect(ip.status).toBe(400);
    expect(ip.json.error.code).toBe('invalid_bucket_name');
    expect((await api(alice, 'POST', '/buckets', { json: { name: 'No_Caps' } })).json.error.code).toBe(
      'validation_error',
    );

    await api(alice, 'PUT', '/buckets/alice-rest/objects/a.txt', { body: 'hello' });
    await api(alice, 'PUT', '/buckets/alice-rest/objects/dir/b.txt', { body: 'hello world' });
    const list = await api(alice, 'GET', '/buckets');
    expect(list.status).toBe(200);
    const mine = list.json.items.find((b: { name: string }) => b.name === 'alice-rest');
    expect(mine).toMatchObject({ objectCount: 2, sizeBytes: 16, ownerUsername: alice.user.username });
    expect(list.json).toMatchObject({ total: expect.any(Number), limit: 50, offset: 0 });

    const one = await api(alice, 'GET', '/buckets/alice-rest');
    expect(one.json).toMatchObject({ name: 'alice-rest', objectCount: 2, sizeBytes: 16 });

    const nonEmpty = await api(alice, 'DELETE', '/buckets/alice-rest');
    expect(nonEmpty.status).toBe(409);
    expect(nonEmpty.json.error.code).toBe('bucket_not_empty');
    const del = await api(alice, 'POST', '/buckets/alice-rest/objects/delete', {
      json: { keys: ['a.txt', 'dir/b.txt'] },
    });
    expect(del.json.deleted).toEqual([
      { key: 'a.txt', existed: true },
      { key: 'dir/b.txt', existed: true },
    ]);
    expect((await api(alice, 'DELETE', '/buckets/alice-rest')).status).toBe(204);
    expect((await api(alice, 'GET', '/buckets/alice-rest')).status).toBe(404);
  });

  it("other users' buckets do not exist for you (404); admins see and act on all", async () => {
    await api(alice, 'POST', '/buckets', { json: { name: 'alice-hidden' } });
    await api(alice, 'PUT', '/buckets/alice-hidden/objects/secret', { body: 'top secret' });
    for (const [method, path] of [
      ['GET', '/buckets/alice-hidden'],
      ['GET', '/buckets/alice-hidden/objects'],
      ['GET', '/buckets/alice-hidden/objects/secret'],
      ['PUT', '/buckets/alice-hidden/objects/intrude'],
      ['DELETE', '/buckets/alice-hidden/objects/secret'],
      ['DELETE', '/buckets/alice-hidden'],
    ] as const) {
      const res = await api(bob, method, path, method === 'PUT' ? { body: 'x' } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
    const presign = await api(bob, 'POST', '/buckets/alice-hidden/presign', { json: { key: 'secret' } });
    expect(presign.status).toBe(404);
    expect((await api(bob, 'GET', '/buckets')).json.items.map((b: { name: string }) => b.name)).not.toContain(
      'alice-hidden',
    );

    const admin = t.ctx.admin;
    const all = await api(admin, 'GET', '/buckets?limit=1000');
    expect(all.json.items.find((b: { name: string }) => b.name === 'alice-hidden')?.ownerUsername).toBe(
      alice.user.username,
    );
    expect((await api(admin, 'GET', '/buckets/alice-hidden/objects/secret')).buf.toString()).toBe(
      'top secret',
    );
  });

  it('read-only users may list but not create; anonymous callers get 401', async () => {
    const ro = await t.ctx.newUser({ role: 'readonly' });
    expect((await api(ro, 'GET', '/buckets')).status).toBe(200);
    const denied = await api(ro, 'POST', '/buckets', { json: { name: 'ro-bucket' } });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('forbidden');
    const anon = await fetch(`${t.url}/api/v1/buckets`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});

describe('objects (REST)', () => {
  beforeAll(async () => {
    await api(alice, 'POST', '/buckets', { json: { name: 'alice-files' } });
  });

  it('PUT streams the raw body (Content-MD5 checked), GET streams it back with headers, Range and 304', async () => {
    const content = Buffer.from('{"json":"is just bytes here"}');
    const put = await api(alice, 'PUT', '/buckets/alice-files/objects/docs/My File ü.json', {
      body: content,
      headers: {
        'content-type': 'application/json',
        'content-md5': Buffer.from(md5(content), 'hex').toString('base64'),
        'x-amz-meta-author': 'alice',
        'cache-control': 'max-age=5',
      },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ key: 'docs/My File ü.json', etag: md5(content), size: content.length });

    const path = `/buckets/alice-files/objects/${enc('docs/My File ü.json')}`;
    const get = await api(alice, 'GET', path);
    expect(get.status).toBe(200);
    expect(get.buf.equals(content)).toBe(true);
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(get.headers.get('etag')).toBe(`"${md5(content)}"`);
    expect(get.headers.get('x-amz-meta-author')).toBe('alice');
    expect(get.headers.get('cache-control')).toBe('max-age=5');
    expect(get.headers.get('accept-ranges')).toBe('bytes');

    const range = await api(alice, 'GET', path, { headers: { range: 'bytes=2-5' } });
    expect(range.status).toBe(206);
    expect(range.buf.toString()).toBe('json');
    expect(range.headers.get('content-range')).toBe(`bytes 2-5/${content.length}`);
    const unsat = await api(alice, 'GET', path, { headers: { range: 'bytes=999-' } });
    expect(unsat.status).toBe(416);
    expect(unsat.json.error.code).toBe('invalid_range');

    const notModified = await api(alice, 'GET', path, { headers: { 'if-none-match': `"${md5(content)}"` } });
    expect(notModified.status).toBe(304);
    const head = await api(alice, 'HEAD', path);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));

    const download = await api(alice, 'GET', `${path}?download=true`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="My File _.json"; filename*=UTF-8''${encodeURIComponent('My File ü.json')}`,
    );

    const meta = await api(alice, 'GET', `/buckets/alice-files/metadata/${enc('docs/My File ü.json')}`);
    expect(meta.json).toMatchObject({
      bucket: 'alice-files',
      key: 'docs/My File ü.json',
      size: content.length,
      etag: md5(content),
      contentType: 'application/json',
      cacheControl: 'max-age=5',
      metadata: { author: 'alice' },
      partsCount: null,
    });

    const bad = await api(alice, 'PUT', '/buckets/alice-files/objects/bad', {
      body: 'abc',
      headers: { 'content-md5': Buffer.from(md5('xyz'), 'hex').toString('base64') },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('bad_digest');
    expect((await api(alice, 'GET', '/buckets/alice-files/objects/bad')).status).toBe(404);

    expect((await api(alice, 'DELETE', path)).status).toBe(204);
    const gone = await api(alice, 'GET', path);
    expect(gone.status).toBe(404);
    expect(gone.json.error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
  });

  it('a 3 MiB body streams through (no JSON body limit applies to objects)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const put = await api(alice, 'PUT', '/buckets/alice-files/objects/big.bin', { body: big });
    expect(put.status).toBe(200);
    expect(put.json.etag).toBe(md5(big));
    const get = await api(alice, 'GET', '/buckets/alice-files/objects/big.bin');
    expect(get.buf.equals(big)).toBe(true);
  });

  it('listing: folders (common prefixes), prefix navigation, cursor paging', async () => {
    await api(alice, 'POST', '/buckets', { json: { name: 'alice-browse' } });
    const keys = [
      'readme.md',
      'photos/2024/a.jpg',
      'photos/2024/b.jpg',
      'photos/2025/c.jpg',
      'photos/cover.png',
      'zzz',
    ];
    for (const k of keys)
      await api(alice, 'PUT', `/buckets/alice-browse/objects/${enc(k)}`, {
        body: k,
        headers: { 'content-type': 'text/plain' },
      });
    const root = await api(alice, 'GET', '/buckets/alice-browse/objects?delimiter=/');
    expect(root.json).toMatchObject({
      prefix: '',
      delimiter: '/',
      prefixes: ['photos/'],
      isTruncated: false,
      nextCursor: null,
    });
    expect(root.json.items.map((i: { key: string }) => i.key)).toEqual(['readme.md', 'zzz']);
    expect(root.json.items[0]).toMatchObject({ size: 9, etag: md5('readme.md'), contentType: 'text/plain' });
    const photos = await api(alice, 'GET', '/buckets/alice-browse/objects?delimiter=/&prefix=photos/');
    expect(photos.json.prefixes).toEqual(['photos/2024/', 'photos/2025/']);
    expect(photos.json.items.map((i: { key: string }) => i.key)).toEqual(['photos/cover.png']);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await api(
        alice,
        'GET',
        `/buckets/alice-browse/objects?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.json.items.map((x: { key: string }) => x.key));
      cursor = page.json.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...keys].sort());
    expect((await api(alice, 'GET', '/buckets/alice-browse/objects?cursor=forged')).json.error.code).toBe(
      'validation_error',
    );
  });
});

describe('presigned URLs (REST)', () => {
  it('GET share links and PUT upload URLs under /s3 on the origin you called, signed with the derived credential', async () => {
    await api(alice, 'POST', '/buckets', { json: { name: 'alice-share' } });
    await api(alice, 'PUT', '/buckets/alice-share/objects/photo%20one.jpg', {
      body: 'jpeg bytes',
      headers: { 'content-type': 'image/jpeg' },
    });
    const share = await api(alice, 'POST', '/buckets/alice-share/presign', {
      json: { key: 'photo one.jpg', method: 'GET', expiresIn: 600, responseContentDisposition: 'attachment' },
    });
    expect(share.status).toBe(200);
    const url = new URL(share.json.url);
    expect(url.origin).toBe(t.url);
    expect(url.pathname).toBe('/s3/alice-share/photo%20one.jpg');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^PCPS[A-Z2-7]+\/\d{8}\/us-east-1\/s3\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(Date.parse(share.json.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    const got = await fetch(share.json.url);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('jpeg bytes');
    expect(got.headers.get('content-disposition')).toBe('attachment');
    // the same URL on the dedicated S3 port is a different host: the signature no longer matches
    const moved = await fetch(share.json.url.replace(t.url, t.s3Url).replace('/s3/', '/'));
    expect(moved.status).toBe(403);

    const upload = await api(alice, 'POST', '/buckets/alice-share/presign', {
      json: { key: 'incoming/new.txt', method: 'PUT', expiresIn: 60 },
    });
    const put = await fetch(upload.json.url, {
      method: 'PUT',
      body: 'browser upload',
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const check = await api(alice, 'GET', '/buckets/alice-share/objects/incoming/new.txt');
    expect(check.buf.toString()).toBe('browser upload');
    expect(check.headers.get('content-type')).toBe('text/plain');

    // the derived credential cannot do anything else (here: list the bucket)
    const listUrl = new URL(share.json.url);
    listUrl.pathname = '/s3/alice-share';
    expect((await fetch(listUrl)).status).toBe(403);
    expect(
      (await api(alice, 'POST', '/buckets/alice-share/presign', { json: { key: 'x', expiresIn: 604801 } }))
        .status,
    ).toBe(400);
  });

  it("a disabled user's links stop working", async () => {
    const carol = await t.ctx.newUser({ role: 'operator' });
    await api(carol, 'POST', '/buckets', { json: { name: 'carol-share' } });
    await api(carol, 'PUT', '/buckets/carol-share/objects/f', { body: 'carol' });
    const link = (await api(carol, 'POST', '/buckets/carol-share/presign', { json: { key: 'f' } })).json
      .url as string;
    expect((await fetch(link)).status).toBe(200);
    await t.ctx.admin.put(`/api/v1/users/${carol.user.id}`, { status: 'disabled' });
    const res = await fetch(link);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>InvalidAccessKeyId</Code>');
  });
});

describe('multipart (REST)', () => {
  it('create → parts → complete, and abort', async () => {
    await api(alice, 'POST', '/buckets', { json: { name: 'alice-mpu' } });
    const created = await api(alice, 'POST', '/buckets/alice-mpu/uploads', {
      json: { key: 'big/file.bin', contentType: 'application/x-test' },
    });
    expect(created.status).toBe(201);
    const { uploadId } = created.json;
    const p1 = Buffer.alloc(5 * 1024 * 1024, 1);
    const p2 = Buffer.from('the end');
    const r1 = await api(alice, 'PUT', `/buckets/alice-mpu/uploads/${uploadId}/parts/1`, { body: p1 });
    const r2 = await api(alice, 'PUT', `/buckets/alice-mpu/uploads/${uploadId}/parts/2`, { body: p2 });
    expect(r1.json).toEqual({ partNumber: 1, etag: md5(p1), size: p1.length });
    const done = await api(alice, 'POST', `/buckets/alice-mpu/uploads/${uploadId}/complete`, {
      json: {
        parts: [
          { partNumber: 1, etag: r1.json.etag },
          { partNumber: 2, etag: r2.json.etag },
        ],
      },
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      bucket: 'alice-mpu',
      key: 'big/file.bin',
      size: p1.length + p2.length,
    });
    expect(done.json.etag).toMatch(/-2$/);
    const get = await api(alice, 'GET', '/buckets/alice-mpu/objects/big/file.bin');
    expect(md5(get.buf)).toBe(md5(Buffer.concat([p1, p2])));
    expect(get.headers.get('content-type')).toBe('application/x-test');

    const second = await api(alice, 'POST', '/buckets/alice-mpu/uploads', { json: { key: 'abandoned' } });
    expect((await api(alice, 'DELETE', `/buckets/alice-mpu/uploads/${second.json.uploadId}`)).status).toBe(
      204,
    );
    const late = await api(alice, 'PUT', `/buckets/alice-mpu/uploads/${second.json.uploadId}/parts/1`, {
      body: 'x',
    });
    expect(late.status).toBe(404);
    const tooSmall = await api(alice, 'POST', '/buckets/alice-mpu/uploads', { json: { key: 'small' } });
    const a = await api(alice, 'PUT', `/buckets/alice-mpu/uploads/${tooSmall.json.uploadId}/parts/1`, {
      body: 'a',
    });
    const b = await api(alice, 'PUT', `/buckets/alice-mpu/uploads/${tooSmall.json.uploadId}/parts/2`, {
      body: 'b',
    });
    const bad = await api(alice, 'POST', `/buckets/alice-mpu/uploads/${tooSmall.json.uploadId}/complete`, {
      json: {
        parts: [
          { partNumber: 1, etag: a.json.etag },
          { partNumber: 2, etag: b.json.etag },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('entity_too_small');
  });
});

describe('audit, ownership and OpenAPI', () => {
  it('REST mutations are audited with their outcome', async () => {
    await api(bob, 'POST', '/buckets', { json: { name: 'bob-audited' } });
    await api(bob, 'PUT', '/buckets/bob-audited/objects/k', { body: 'v' });
    await api(bob, 'DELETE', '/buckets/bob-audited/objects/k');
    await api(bob, 'POST', '/buckets/bob-audited/presign', { json: { key: 'k' } });
    await api(bob, 'POST', '/buckets', { json: { name: 'bob-audited' } }); // conflict
    const res = await t.ctx.admin.get<{
      items: { action: string; result: string; details: Record<string, unknown> }[];
    }>('/api/v1/logs/audit', { query: { username: bob.user.username, limit: 100 } });
    const actions = res.body.items.map((e) => `${e.action}:${e.result}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'buckets.create:success',
        'objects.put:success',
        'objects.delete:success',
        'objects.presign:success',
        'buckets.create:failure',
      ]),
    );
    const put = res.body.items.find((e) => e.action === 'objects.put');
    expect(put?.details).toMatchObject({
      via: 'api',
      bucket: 'bob-audited',
      key: 'k',
      size: 1,
      etag: md5('v'),
    });
    expect(JSON.stringify(res.body.items)).not.toContain('X-Amz-Signature');
  });

  it('a user owning buckets cannot be deleted unless they are reassigned', async () => {
    const dave = await t.ctx.newUser({ role: 'operator' });
    await api(dave, 'POST', '/buckets', { json: { name: 'dave-bucket' } });
    const blocked = await t.ctx.admin.delete(`/api/v1/users/${dave.user.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.text).toContain('"buckets":1');
    const moved = await t.ctx.admin.delete(`/api/v1/users/${dave.user.id}?reassignTo=${alice.user.id}`);
    expect(moved.status).toBe(204);
    expect((await api(alice, 'GET', '/buckets/dave-bucket')).json.ownerId).toBe(alice.user.id);
  });

  it('the storage routes are in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/buckets',
      '/api/v1/buckets/{bucket}',
      '/api/v1/buckets/{bucket}/objects',
      '/api/v1/buckets/{bucket}/presign',
    ])
      expect(paths).toContain(p);
    expect(paths.some((p) => p.startsWith('/api/v1/buckets/{bucket}/objects/{'))).toBe(true);
    expect(paths.some((p) => p.startsWith('/s3'))).toBe(false);
  });
});

describe('/s3 on the main port is S3 all the way down', () => {
  it('malformed URLs and Content-Types get S3 XML errors, not the JSON API shape', async () => {
    for (const [path, contentType] of [
      ['/s3/alice-share/%zz', undefined],
      ['/s3/alice-share/key', 'bad type;;'],
      ['/s3', undefined],
      ['/s3?list-type=2', undefined],
    ] as const) {
      const res = await fetch(`${t.url}${path}`, {
        method: 'PUT',
        headers: contentType ? { 'content-type': contentType } : {},
        body: 'x',
      });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type'), path).toBe('application/xml');
      expect(await res.text(), path).toMatch(/^<\?xml[\s\S]*<Error><Code>\w+<\/Code>/);
    }
  });

  it('a path that only starts with /s3 is not S3', async () => {
    const res = await fetch(`${t.url}/s3x/thing`);
    expect(res.headers.get('content-type')).not.toBe('application/xml');
  });

  it('a URL Fastify cannot decode gets the API error shape', async () => {
    const res = await fetch(`${t.url}/api/v1/buckets/%zz`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('Malformed request URL');
    expect(body.error.requestId).toMatch(/^req-/);
  });
});
