/**
 * Isolation on real bubblewrap sandboxes (this machine's kernel): no host files (server data dir,
 * /etc, other functions' code), no network unless configured, PID/UTS namespaces, read-only
 * everything but a size-capped /tmp, timeouts and memory limits reported as such, a pids limit
 * against fork bombs, and a runner killed mid-invocation.
 */
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import type { FunctionView } from './functions.service.ts';

let ctx: TestContext;
let alice: TestClient;
let listener: Server;
let port = 0;
let connections = 0;

interface Invoked {
  status: string;
  result?: Record<string, unknown>;
  error?: { type: string; message: string };
}

const fn = async (name: string, code: string, extra: Record<string, unknown> = {}) => {
  const res = await alice.post<FunctionView>('/api/v1/functions', {
    name,
    runtime: 'nodejs',
    handler: 'index.handler',
    memoryMb: 128,
    timeoutSeconds: 10,
    code: { files: { 'index.mjs': code } },
    ...extra,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
};
const invoke = async (f: FunctionView, payload: unknown = {}) => {
  const r = await alice.post<Invoked>(`/api/v1/functions/${f.id}/invoke`, { payload });
  expect(r.status, r.text).toBe(200);
  return r.body;
};

beforeAll(async () => {
  ctx = await createTestContext();
  alice = await ctx.newUser({ role: 'operator' });
  listener = createServer((s) => {
    s.on('error', () => {}); // the sandbox closes its side at once
    connections++;
    s.end('hello from the host\n');
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as { port: number }).port;
}, 180_000);
afterAll(async () => {
  listener?.close();
  await ctx?.close();
});

const PROBE = `import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
const tryRead = (p) => { try { fs.readFileSync(p); return 'readable'; } catch (e) { return e.code; } };
const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
const connect = (port) => new Promise((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve('connected'); });
  s.on('error', (e) => resolve(e.code));
  setTimeout(() => { s.destroy(); resolve('timeout'); }, 2000);
});
export const handler = async (event) => ({
  pid: process.pid,
  procs: fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d)).length,
  hostname: os.hostname(),
  uid: process.getuid(),
  root: fs.readdirSync('/').sort(),
  reads: Object.fromEntries(event.paths.map((p) => [p, tryRead(p)])),
  writes: { task: tryWrite('/var/task/x.js'), usr: tryWrite('/usr/x'), root: tryWrite('/x'), tmp: tryWrite('/tmp/x') },
  tmpCap: (() => { const mb = Buffer.alloc(1024 * 1024, 7); let fd; try { fd = fs.openSync('/tmp/big', 'w'); for (let i = 0; i < 80; i++) fs.writeSync(fd, mb); return 'written'; } catch (e) { return e.code; } finally { if (fd !== undefined) fs.closeSync(fd); try { fs.rmSync('/tmp/big'); } catch {} } })(),
  net: await connect(event.port),
});`;

describe('function sandboxes', () => {
  it('see no host files, no network, their own PID/UTS namespace, and write only to a capped /tmp', async () => {
    const other = await fn('other', 'export const handler = async () => "other";');
    await invoke(other); // its code is now on the runner
    const runnerPid = ctx.app.modules.functions.runners.local!.pid!;
    const otherCode = join(tmpdir(), `proxicloud-runner-${runnerPid}`, 'code', other.codeSha256, 'index.mjs');
    const probe = await fn('probe', PROBE, { memoryMb: 256 }); // tmpfs pages count as the sandbox's memory
    const paths = [
      join(ctx.config.dataDir, 'proxicloud.db'),
      '/etc/passwd',
      '/etc/hostname',
      '/root',
      process.cwd() + '/package.json',
      otherCode,
      '/var/task/index.mjs',
    ];
    const out = await invoke(probe, { paths, port });
    expect(out.status, JSON.stringify(out.error)).toBe('success');
    const r = out.result as {
      pid: number;
      procs: number;
      hostname: string;
      root: string[];
      reads: Record<string, string>;
      writes: Record<string, string>;
      tmpCap: string;
      net: string;
    };
    // the host side of the runner really has the other function's code (the path is right)
    expect((await import('node:fs')).existsSync(otherCode)).toBe(true);
    for (const p of paths.slice(0, 6)) expect(r.reads[p], p).toBe('ENOENT');
    expect(r.reads['/var/task/index.mjs']).toBe('readable');
    expect(r.root).toEqual(expect.arrayContaining(['dev', 'proc', 'tmp', 'usr', 'var']));
    expect(r.root).not.toContain('etc');
    expect(r.root).not.toContain('root');
    expect(r.root).not.toContain('home');
    expect(r.pid).toBeLessThan(10);
    expect(r.procs).toBeLessThan(5);
    expect(r.hostname).toBe('sandbox');
    expect(r.writes).toEqual({
      task: 'EROFS',
      usr: 'EROFS',
      root: expect.stringMatching(/^(EROFS|EACCES|EPERM)$/),
      tmp: 'written',
    });
    expect(r.tmpCap).toBe('ENOSPC');
    expect(r.net).not.toBe('connected');
    expect(connections).toBe(0);
  });

  it('reach the network only when configured with it', async () => {
    const netFn = await fn('net-on', PROBE, { network: true, memoryMb: 256 });
    const out = await invoke(netFn, { paths: [], port });
    expect(out.result?.net).toBe('connected');
    expect(connections).toBe(1);
  });

  it('are killed at the timeout (reported as timeout) and the next invocation starts fresh', async () => {
    const f = await fn(
      'sleepy',
      'let n = 0; export const handler = async (e) => { n++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return n; };',
      { timeoutSeconds: 1 },
    );
    expect((await invoke(f, {})).result).toBe(1);
    expect(await invoke(f, { hang: true })).toMatchObject({
      status: 'timeout',
      error: { type: 'Runtime.Timeout' },
    });
    expect(await invoke(f, {})).toMatchObject({ status: 'success', result: 1 });
  });

  it('are stopped at the memory limit (reported as out-of-memory)', async () => {
    const heap = await fn(
      'heap-hog',
      'export const handler = async () => { const a = []; for (;;) a.push(new Array(100000).fill({ x: Math.random() })); };',
      { memoryMb: 64 },
    );
    expect(await invoke(heap)).toMatchObject({ status: 'out-of-memory' });
    const buffers = await fn(
      'buffer-hog',
      'export const handler = async () => { const a = []; for (let i = 0; i < 100; i++) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); return a.length; };',
      { memoryMb: 64 },
    );
    expect(await invoke(buffers)).toMatchObject({ status: 'out-of-memory' });
  });

  it('cannot fork-bomb the runner (pids limit)', async () => {
    const bomb = await fn(
      'fork-bomb',
      `import { spawn } from 'node:child_process';
      export const handler = async () => {
        let ok = 0; const errors = new Set();
        const kids = [];
        for (let i = 0; i < 300; i++) {
          await new Promise((resolve) => {
            const c = spawn('/usr/bin/sleep', ['30']);
            c.once('spawn', () => { ok++; kids.push(c); resolve(); });
            c.once('error', (e) => { errors.add(e.code); resolve(); });
          });
          if (errors.size) break;
        }
        for (const k of kids) k.kill('SIGKILL');
        return { ok, errors: [...errors] };
      };`,
    );
    const out = await invoke(bomb);
    expect(out.status, JSON.stringify(out.error)).toBe('success');
    const r = out.result as { ok: number; errors: string[] };
    expect(r.ok).toBeLessThan(64);
    expect(r.errors).toContain('EAGAIN');
    const after = await fn('after-bomb', 'export const handler = async () => "fine";');
    expect((await invoke(after)).result).toBe('fine');
  });

  it('a runner killed mid-invocation fails that invocation; the next one works', async () => {
    const f = await fn(
      'victim',
      'export const handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, 5000)); return "alive"; };',
    );
    const runners = ctx.app.modules.functions.runners;
    const pending = alice.post<Invoked>(`/api/v1/functions/${f.id}/invoke`, { payload: { wait: true } });
    await new Promise((r) => setTimeout(r, 1500));
    runners.local!.kill();
    const res = await pending;
    expect(res.body).toMatchObject({ status: 'error', error: { type: 'Runner.Failed' } });
    for (let i = 0; i < 50 && runners.local!.restarts === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(runners.local!.restarts).toBe(1);
    expect(await invoke(f, {})).toMatchObject({ status: 'success', result: 'alive' });
  });
});
