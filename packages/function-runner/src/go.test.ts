/**
 * The Go runtime with the real toolchain (Debian's golang-go) and real bubblewrap sandboxes: a
 * build once per code (sandboxed, cached), compiler errors as output, and the bootstrap's protocol
 * — result, logs, environment, context, returned errors, panics, timeouts, bad signatures.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goToolchain } from './gobuild.mjs';
import { Pool } from './pool.mjs';
import { bwrapAvailable } from './sandbox.mjs';
import { codeOf, type Files, put as putCode } from './testing.ts';

const toolchain = goToolchain();
const bwrap = bwrapAvailable();
if (!toolchain || !bwrap)
  console.warn(
    `[go.test] skipped: ${!toolchain ? 'no Go toolchain (install the Debian package golang-go)' : 'bubblewrap is not usable here'}`,
  );

let n = 0;

describe.skipIf(!toolchain || !bwrap)(
  'Go functions (real toolchain and sandboxes)',
  { timeout: 60_000 },
  () => {
    let dir: string;
    let pool: Pool;
    const put = (files: Files) => putCode(pool, files);
    const invoke = (sha: string, extra: Record<string, unknown> = {}) =>
      pool.invoke({
        invocationId: `inv-go-${++n}`,
        key: `fn-go-${sha.slice(0, 12)}:1`,
        codeSha: sha,
        runtime: 'go',
        handler: 'Handler',
        memoryMb: 128,
        timeoutMs: 10_000,
        env: { GREETING: 'hello' },
        payload: { name: 'Ada' },
        context: { functionName: 'gofn', functionVersion: '3', memoryLimitInMB: 128 },
        idleMs: 60_000,
        ...extra,
      });

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'fn-go-test-'));
      chmodSync(dir, 0o755);
      pool = new Pool({ dir, maxWorkers: 16, pids: 64, tmpMb: 16, uidBase: 233000, spares: 0 });
    });
    afterAll(async () => {
      await pool?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is listed with the toolchain version', () => {
      expect(pool.status().runtimes.go).toEqual({ available: true, version: toolchain!.version });
    });

    it('builds once, then runs hello with the environment (seen by package variables), context and logs', async () => {
      const sha = put({
        'handler.go': `package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"
)

// a package variable: initialised with the function's environment already in place
var greeting = os.Getenv("GREETING")
var calls int

type Event struct {
	Name string \`json:"name"\`
}

func Handler(ctx context.Context, e Event) (map[string]any, error) {
	calls++
	fc, ok := FunctionContextFrom(ctx)
	deadline, _ := ctx.Deadline()
	fmt.Println("to stdout")
	log.Print("to stderr")
	return map[string]any{
		"message": greeting + ", " + e.Name,
		"ok": ok, "fn": fc.FunctionName, "version": fc.FunctionVersion, "memory": fc.MemoryLimitInMB,
		"id": fc.InvocationID, "remainingOk": time.Until(deadline) > 5*time.Second, "calls": calls,
		"hostname": func() string { h, _ := os.Hostname(); return h }(),
	}, nil
}
`,
      });
      const first = await pool.build({ codeSha: sha, handler: 'Handler' });
      expect(first, first.output).toMatchObject({ ok: true, cached: false });
      expect(await pool.build({ codeSha: sha, handler: 'Handler' })).toMatchObject({
        ok: true,
        cached: true,
      });
      const cold = await invoke(sha);
      expect(cold.error).toBeUndefined();
      expect(cold).toMatchObject({
        status: 'success',
        cold: true,
        result: {
          message: 'hello, Ada',
          ok: true,
          fn: 'gofn',
          version: '3',
          memory: 128,
          id: `inv-go-${n}`,
          remainingOk: true,
          calls: 1,
          hostname: 'sandbox',
        },
      });
      expect(cold.logs).toContain('to stdout\n');
      expect(cold.logs).toMatch(/to stderr/);
      const warm = await invoke(sha);
      expect(warm).toMatchObject({ status: 'success', cold: false, result: { calls: 2 } });
      expect(warm.memoryUsedMb).toBeGreaterThan(0);
    });

    it('reports a returned error with its type, and a panic (the next invocation starts fresh)', async () => {
      const sha = put({
        'main.go': `package main

import "errors"

type Ev struct {
	Mode string \`json:"mode"\`
}

var calls int

func Handler(e Ev) (int, error) {
	calls++
	switch e.Mode {
	case "error":
		return 0, errors.New("something went wrong")
	case "panic":
		var m map[string]int
		m["x"] = 1
	}
	return calls, nil
}
`,
      });
      expect(await invoke(sha, { payload: { mode: 'ok' } })).toMatchObject({ status: 'success', result: 1 });
      expect(await invoke(sha, { payload: { mode: 'error' } })).toMatchObject({
        status: 'error',
        error: { type: 'errorString', message: 'something went wrong' },
      });
      const panicked = await invoke(sha, { payload: { mode: 'panic' } });
      expect(panicked).toMatchObject({
        status: 'error',
        error: { type: 'Runtime.Panic', message: expect.stringContaining('assignment to entry in nil map') },
      });
      expect(panicked.error?.stack.join('\n')).toContain('main.Handler');
      // the sandbox exited after the panic: a new one (calls starts over)
      expect(await invoke(sha, { payload: { mode: 'ok' } })).toMatchObject({
        status: 'success',
        cold: true,
        result: 1,
      });
    });

    it('is killed at the timeout; the context deadline is the timeout', async () => {
      const sha = put({
        'main.go': `package main

import (
	"context"
	"time"
)

func Handler(ctx context.Context, e map[string]bool) (string, error) {
	if e["respect"] {
		<-ctx.Done()
		return "stopped: " + ctx.Err().Error(), nil
	}
	time.Sleep(time.Hour)
	return "", nil
}
`,
      });
      expect(await invoke(sha, { payload: { respect: false }, timeoutMs: 1000 })).toMatchObject({
        status: 'timeout',
        error: { type: 'Runtime.Timeout' },
      });
      // the handler sees the deadline (a little before the runner's kill)
      expect(await invoke(sha, { payload: { respect: true }, timeoutMs: 1000 })).toMatchObject({
        status: expect.stringMatching(/^(success|timeout)$/),
      });
    });

    it('reports compiler errors as the build output, and a build error at the cold start', async () => {
      const sha = put({
        'main.go': 'package main\n\nfunc Handler() (string, error) {\n\treturn undefinedThing, nil\n}\n',
      });
      const b = await pool.build({ codeSha: sha, handler: 'Handler' });
      expect(b.ok).toBe(false);
      expect(b.output).toContain('./main.go:4:9: undefined: undefinedThing');
      expect(b.output).not.toContain('/var/task');
      const r = await invoke(sha);
      expect(r).toMatchObject({ status: 'error', error: { type: 'Runtime.BuildError' } });
      expect(r.error?.message).toContain('undefined: undefinedThing');
      // a handler that is not there, a module that would need a download
      const missing = put({ 'main.go': 'package main\n\nfunc Other() {}\n' });
      expect((await pool.build({ codeSha: missing, handler: 'Handler' })).output).toContain(
        'undefined: Handler',
      );
      const module = put({
        'go.mod': 'module example.com/fn\n\ngo 1.19\n\nrequire github.com/google/uuid v1.6.0\n',
        'main.go':
          'package main\n\nimport "github.com/google/uuid"\n\nfunc Handler() string { return uuid.NewString() }\n',
      });
      const m = await pool.build({ codeSha: module, handler: 'Handler' });
      expect(m.ok).toBe(false);
      expect(m.output).toMatch(/github.com\/google\/uuid/);
      expect((await pool.build({ codeSha: sha, handler: 'not a name' })).output).toContain(
        'exported function',
      );
    });

    it('is stopped at its memory limit (out-of-memory)', async () => {
      const sha = put({
        'main.go': `package main

var keep [][]byte

func Handler() (int, error) {
	for {
		b := make([]byte, 8<<20)
		for i := range b {
			b[i] = 1
		}
		keep = append(keep, b)
	}
}
`,
      });
      expect(await invoke(sha, { memoryMb: 64 })).toMatchObject({ status: 'out-of-memory' });
    });

    it('builds under a time limit (a build over it is stopped and says so)', async () => {
      const slow = new Pool({
        dir: join(dir, 'slow'),
        maxWorkers: 2,
        pids: 64,
        tmpMb: 16,
        uidBase: 234000,
        spares: 0,
        goBuildSeconds: 0.05,
      });
      try {
        const { sha, b64 } = codeOf({ 'main.go': 'package main\n\nfunc Handler() string { return "x" }\n' });
        slow.putCode(sha, b64);
        const b = await slow.build({ codeSha: sha, handler: 'Handler' });
        expect(b.ok).toBe(false);
        expect(b.output).toContain('The build was stopped after 0.05 s');
      } finally {
        await slow.close();
      }
    });

    it('refuses a handler with an unsupported signature at init', async () => {
      const sha = put({ 'main.go': 'package main\n\nfunc Handler(a, b, c int) string { return "" }\n' });
      const r = await invoke(sha);
      expect(r).toMatchObject({ status: 'error', error: { type: 'Runtime.InvalidHandler' } });
      expect(r.error?.message).toContain('at most 2');
    });
  },
);
