/**
 * The Go part of `npm run bench:functions`: deploy (the build: compile + link in a sandbox, once
 * per code), cold invokes (the sandbox and the function's binary started from scratch: Go has no
 * pre-booted spares, its binary starts in about a millisecond) and warm invokes, at the runner and
 * through the API. Skipped (null) when the runner has no Go toolchain.
 */
import { percentile } from './bench-kit.ts';

type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;
type Inv = { status: string; durationMs: number; coldStart: boolean };

const HELLO_GO = `package main

type Event struct {
	RawPath string \`json:"rawPath"\`
}

type Response struct {
	StatusCode int    \`json:"statusCode"\`
	Body       string \`json:"body"\`
}

func Handler(e Event) (Response, error) {
	return Response{StatusCode: 200, Body: "hello " + e.RawPath}, nil
}
`;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const round = (n: number) => Math.round(n * 100) / 100;

export async function benchGo(
  api: Api,
  evict: (prefix: string) => Promise<void>,
  cold: number,
  warm: number,
): Promise<Record<string, unknown> | null> {
  const rt = await api<{ runtimes: { name: string; available: boolean; version: string | null }[] }>(
    'GET',
    '/api/v1/functions/runtimes',
  );
  const go = rt.runtimes.find((r) => r.name === 'go');
  if (!go?.available) return null;
  const body = (name: string, code: string) => ({
    name,
    runtime: 'go',
    handler: 'main.Handler',
    memoryMb: 128,
    timeoutSeconds: 10,
    concurrency: 100,
    code: { files: { 'main.go': code } },
  });
  // deploy = build: new code (a comment makes it a new hash), then the same code again (cached)
  let t = performance.now();
  const fn = await api<{ id: string }>('POST', '/api/v1/functions', body('hello-go', HELLO_GO));
  const deployBuildMs = performance.now() - t;
  t = performance.now();
  await api('POST', '/api/v1/functions', body('hello-go-2', HELLO_GO));
  const deployCachedMs = performance.now() - t;
  const coldRunner: number[] = [];
  const coldApi: number[] = [];
  for (let i = 0; i < cold; i++) {
    await evict(`${fn.id}:`);
    await new Promise((r) => setTimeout(r, 300));
    const s = performance.now();
    const r = await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: {} });
    coldApi.push(performance.now() - s);
    if (!r.coldStart || r.status !== 'success')
      throw new Error(`expected a cold start: ${JSON.stringify(r)}`);
    coldRunner.push(r.durationMs);
  }
  const warmRunner: number[] = [];
  const warmApi: number[] = [];
  for (let i = 0; i < warm; i++) {
    const s = performance.now();
    const r = await api<Inv>('POST', `/api/v1/functions/${fn.id}/invoke`, { payload: { rawPath: `/${i}` } });
    warmApi.push(performance.now() - s);
    warmRunner.push(r.durationMs);
  }
  const cr = sorted(coldRunner);
  const ca = sorted(coldApi);
  const wr = sorted(warmRunner);
  const wa = sorted(warmApi);
  return {
    version: go.version,
    deployWithBuildMs: Math.round(deployBuildMs),
    deployCachedBuildMs: Math.round(deployCachedMs),
    coldInvokeRunnerMs: { p50: round(percentile(cr, 50)), min: round(cr[0]!) },
    coldInvokeApiMs: { p50: round(percentile(ca, 50)) },
    warmInvokeRunnerMs: { p50: round(percentile(wr, 50)), p99: round(percentile(wr, 99)) },
    warmInvokeApiMs: { p50: round(percentile(wa, 50)), p99: round(percentile(wa, 99)) },
  };
}

/** Table rows for the Go results. */
export function goRows(g: Record<string, unknown> | null): Record<string, string> {
  if (!g) return { 'Go functions': 'skipped: no Go toolchain on the runner' };
  const r = g as {
    version: string;
    deployWithBuildMs: number;
    deployCachedBuildMs: number;
    coldInvokeRunnerMs: { p50: number };
    coldInvokeApiMs: { p50: number };
    warmInvokeRunnerMs: { p50: number; p99: number };
    warmInvokeApiMs: { p50: number; p99: number };
  };
  return {
    [`Go ${r.version}: deploy with build / cached`]: `${r.deployWithBuildMs} / ${r.deployCachedBuildMs} ms`,
    'Go cold invoke, runner / API (p50)': `${r.coldInvokeRunnerMs.p50} / ${r.coldInvokeApiMs.p50} ms`,
    'Go warm invoke, runner p50/p99': `${r.warmInvokeRunnerMs.p50} / ${r.warmInvokeRunnerMs.p99} ms`,
    'Go warm invoke, API p50/p99': `${r.warmInvokeApiMs.p50} / ${r.warmInvokeApiMs.p99} ms`,
  };
}
