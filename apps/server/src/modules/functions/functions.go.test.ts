/**
 * Go functions through the API with the real toolchain (Debian's golang-go) and real sandboxes:
 * the runtime listed with its version, the build at deploy time (a compiler error answers 422 with
 * the output and saves nothing), hello with env vars, returned errors and panics, timeouts, and a
 * function URL's Lambda-style event mapped into Go types and the response mapped back.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import type { FunctionView } from './functions.service.ts';

const haveGo = spawnSync('go', ['version']).status === 0;
const haveBwrap = spawnSync('bwrap', ['--version']).status === 0;
if (!haveGo || !haveBwrap)
  console.warn(
    `[functions.go.test] skipped: ${!haveGo ? 'no Go toolchain (Debian package golang-go)' : 'no bubblewrap (Debian package bubblewrap)'}`,
  );

interface Invoked {
  status: string;
  result?: unknown;
  error?: { type: string; message: string; stack?: string[] };
  logTail?: string;
  coldStart?: boolean;
}
interface ApiError {
  error: { code: string; message: string; details?: { output?: string } };
}

const HELLO = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"
)

var greeting = os.Getenv("GREETING")

type Event struct {
	Name  string \`json:"name"\`
	Fail  string \`json:"fail"\`
	Panic bool   \`json:"panic"\`
}

func Handler(ctx context.Context, e Event) (map[string]any, error) {
	fc, _ := FunctionContextFrom(ctx)
	fmt.Printf("got %s\\n", e.Name)
	if e.Fail != "" {
		return nil, errors.New("boom: " + e.Fail)
	}
	if e.Panic {
		panic("it panicked")
	}
	return map[string]any{"hello": e.Name, "greeting": greeting, "fn": fc.FunctionName}, nil
}
`;

let ctx: TestContext;
let alice: TestClient;

const create = (name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) =>
  alice.post<FunctionView & ApiError>('/api/v1/functions', {
    name,
    runtime: 'go',
    handler: 'main.Handler',
    memoryMb: 128,
    timeoutSeconds: 10,
    env: { GREETING: 'hi from env' },
    code: { files },
    ...extra,
  });
const invoke = async (id: string, payload: unknown) => {
  const r = await alice.post<Invoked>(`/api/v1/functions/${id}/invoke`, { payload });
  expect(r.status, r.text).toBe(200);
  return r.body;
};

describe.skipIf(!haveGo || !haveBwrap)('Go functions (API, real toolchain and sandboxes)', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    alice = await ctx.newUser({ role: 'operator' });
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('lists the Go runtime with the toolchain version', async () => {
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim().replace(/^go/, '');
    const r = await alice.get<{ runtimes: { name: string; available: boolean; version: string | null }[] }>(
      '/api/v1/functions/runtimes',
    );
    expect(r.body.runtimes.find((x) => x.name === 'go')).toEqual({
      name: 'go',
      available: true,
      version: go,
    });
  });

  it('builds at deploy: runs hello with env vars; returned errors and panics are errors', async () => {
    const res = await create('go-hello', { 'main.go': HELLO });
    expect(res.status, res.text).toBe(201);
    const id = res.body.id;
    const ok = await invoke(id, { name: 'Ada' });
    expect(ok).toMatchObject({
      status: 'success',
      coldStart: true,
      result: { hello: 'Ada', greeting: 'hi from env', fn: 'go-hello' },
    });
    expect(ok.logTail).toContain('got Ada');
    expect(await invoke(id, { name: 'Bo' })).toMatchObject({ status: 'success', coldStart: false });
    expect(await invoke(id, { fail: 'bad input' })).toMatchObject({
      status: 'error',
      error: { type: 'errorString', message: 'boom: bad input' },
    });
    expect(await invoke(id, { panic: true })).toMatchObject({
      status: 'error',
      error: { type: 'Runtime.Panic', message: 'it panicked' },
    });
    expect(await invoke(id, { name: 'after' })).toMatchObject({ status: 'success', coldStart: true });
  });

  it('refuses code that does not build with 422 and the compiler output; nothing is saved', async () => {
    const bad = await create('go-broken', {
      'main.go': 'package main\n\nfunc Handler() string {\n\treturn 42\n}\n',
    });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.body.error.code).toBe('build_failed');
    expect(bad.body.error.details?.output).toMatch(/\.\/main\.go:4:9: cannot use 42/);
    expect((await alice.get<{ items: unknown[] }>('/api/v1/functions?q=go-broken')).body.items).toEqual([]);
    // an update with broken code: 422, the live version stays
    const good = await create('go-update', { 'main.go': HELLO });
    expect(good.status).toBe(201);
    const upd = await alice.put<ApiError>(`/api/v1/functions/${good.body.id}`, {
      code: { files: { 'main.go': 'package main\n\nfunc Handler() { undefinedCall() }\n' } },
    });
    expect(upd.status).toBe(422);
    expect(upd.body.error.details?.output).toContain('undefined: undefinedCall');
    const fn = await alice.get<FunctionView>(`/api/v1/functions/${good.body.id}`);
    expect(fn.body).toMatchObject({ version: 1, liveVersion: 1 });
    expect(await invoke(good.body.id, { name: 'still' })).toMatchObject({ status: 'success' });
    // the handler must name a function of package main
    const wrong = await create('go-handler', { 'main.go': HELLO }, { handler: 'index.handler' });
    expect(wrong.status).toBe(400);
  });

  it('is stopped at its timeout', async () => {
    const res = await create(
      'go-sleepy',
      {
        'main.go':
          'package main\n\nimport "time"\n\nfunc Handler() error {\n\ttime.Sleep(time.Minute)\n\treturn nil\n}\n',
      },
      { timeoutSeconds: 1 },
    );
    expect(res.status, res.text).toBe(201);
    expect(await invoke(res.body.id, {})).toMatchObject({
      status: 'timeout',
      error: { type: 'Runtime.Timeout' },
    });
  });

  it('serves a function URL: the Lambda-style event in Go types, the response mapped back', async () => {
    const res = await create('go-url', {
      'main.go': `package main

import (
	"encoding/base64"
	"encoding/json"
)

type Request struct {
	RawPath               string            \`json:"rawPath"\`
	RawQueryString        string            \`json:"rawQueryString"\`
	Headers               map[string]string \`json:"headers"\`
	QueryStringParameters map[string]string \`json:"queryStringParameters"\`
	Body                  string            \`json:"body"\`
	IsBase64Encoded       bool              \`json:"isBase64Encoded"\`
	RequestContext        struct {
		HTTP struct {
			Method string \`json:"method"\`
			Path   string \`json:"path"\`
		} \`json:"http"\`
	} \`json:"requestContext"\`
}

type Response struct {
	StatusCode      int               \`json:"statusCode"\`
	Headers         map[string]string \`json:"headers"\`
	Body            string            \`json:"body"\`
	IsBase64Encoded bool              \`json:"isBase64Encoded"\`
}

func Handler(r Request) (Response, error) {
	if r.RawPath == "/bin" {
		raw, _ := base64.StdEncoding.DecodeString(r.Body)
		for i, j := 0, len(raw)-1; i < j; i, j = i+1, j-1 {
			raw[i], raw[j] = raw[j], raw[i]
		}
		return Response{StatusCode: 201, Headers: map[string]string{"content-type": "application/octet-stream"},
			Body: base64.StdEncoding.EncodeToString(raw), IsBase64Encoded: true}, nil
	}
	b, _ := json.Marshal(map[string]any{"method": r.RequestContext.HTTP.Method, "path": r.RawPath,
		"q": r.QueryStringParameters, "body": r.Body, "b64": r.IsBase64Encoded, "ct": r.Headers["content-type"]})
	return Response{StatusCode: 200, Headers: map[string]string{"x-fn": "go"}, Body: string(b)}, nil
}
`,
    });
    expect(res.status, res.text).toBe(201);
    const put = await alice.put<{ url: string }>(`/api/v1/functions/${res.body.id}/url`, { auth: 'none' });
    expect(put.status, put.text).toBe(200);
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${base}${put.body.url}`;
    const r = await fetch(`${url}items/7?x=1&y=2`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-fn')).toBe('go');
    expect(await r.json()).toEqual({
      method: 'POST',
      path: '/items/7',
      q: { x: '1', y: '2' },
      body: '{"a":1}',
      b64: false,
      ct: 'application/json',
    });
    const bin = await fetch(`${url}bin`, {
      method: 'PUT',
      body: new Uint8Array([0, 1, 2, 255, 254]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(bin.status).toBe(201);
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from([254, 255, 2, 1, 0]));
  });
});
