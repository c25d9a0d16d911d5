/**
 * Sandbox cgroup directories do not pile up: a sandbox's dirs are removed when it ends and when the
 * pool closes, and the dirs that a runner killed with SIGKILL left behind are swept by the next
 * runner at its start (real bubblewrap sandboxes and the host's cgroups; needs root and a cgroup
 * hierarchy the runner can write, as in CI).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_ENTRY } from './index.mjs';
import { Pool } from './pool.mjs';
import { bwrapAvailable, cgroupBases, limitsMode } from './sandbox.mjs';
import { codeOf, until } from './testing.ts';

const mode = limitsMode().mode;
const bwrap = bwrapAvailable();
const skip = mode === 'prlimit' || !bwrap;
if (skip)
  console.warn(
    `[cgroups.test] skipped: ${!bwrap ? 'bubblewrap is not usable here' : 'no cgroups the runner may create (not root, or no writable hierarchy): limits are prlimit only'}`,
  );

const files = { 'index.mjs': 'export const handler = async () => "ok";' };
const { sha, b64 } = codeOf(files);
const request = (id: string) => ({
  invocationId: id,
  key: `fn-cg:${id}`,
  codeSha: sha,
  runtime: 'nodejs',
  handler: 'index.handler',
  memoryMb: 128,
  timeoutMs: 30_000,
  network: false,
  env: {},
  payload: {},
  context: {},
  idleMs: 60_000,
});

/** Sandbox cgroup dirs (full paths) whose name starts with `prefix`. */
const dirsOf = (prefix: string) =>
  cgroupBases().flatMap((b) =>
    readdirSync(b)
      .filter((n) => n.startsWith(prefix))
      .map((n) => join(b, n)),
  );

describe.skipIf(skip)('sandbox cgroups', { timeout: 60_000 }, () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fn-cgroups-test-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('are removed when a sandbox ends and when the pool closes; an earlier process with our pid left none', async () => {
    // what an earlier runner with this pid left behind (pids wrap): an old-style name that the
    // first sandbox of a new runner used to collide with (mkdir EEXIST), swept at start
    const legacy = cgroupBases().map((b) => join(b, `sbx-${process.pid}-1`));
    for (const d of legacy) mkdirSync(d);
    const pool = new Pool({
      dir: join(dir, 'pool'),
      maxWorkers: 8,
      pids: 64,
      tmpMb: 16,
      uidBase: 231000,
      spares: 1,
    });
    expect(await pool.swept).toBeGreaterThanOrEqual(legacy.length);
    expect(legacy.filter((d) => existsSync(d))).toEqual([]);
    const mine = `sbx-${process.pid}-`;
    const before = dirsOf(mine).length;
    pool.putCode(sha, b64);
    expect(await pool.invoke(request('cg-1'))).toMatchObject({ status: 'success' });
    // the warm sandbox and the spare booted after the cold start
    await until(() => pool.status().spares >= 1);
    expect(dirsOf(mine).length).toBeGreaterThan(before);
    const warm = dirsOf(mine).length;
    pool.evict('fn-cg:cg-1');
    await until(() => dirsOf(mine).length < warm);
    await pool.close();
    expect(dirsOf(mine)).toHaveLength(before);
  });

  it('left behind by a runner killed with SIGKILL are swept by the next runner; live runners keep theirs', async () => {
    const secret = randomBytes(16).toString('hex');
    const start = async () => {
      const child = spawn(process.execPath, [RUNNER_ENTRY], {
        env: {
          PATH: process.env.PATH,
          PROXICLOUD_RUNNER_SECRET: secret,
          PROXICLOUD_RUNNER_DIR: join(dir, `r-${children.length}`),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`runner exited (${code})`)));
      });
      const info = JSON.parse(line) as { port: number; sweptCgroups: number };
      return { child, ...info };
    };
    const call = (port: number, method: string, path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const first = await start();
    expect((await call(first.port, 'PUT', `/v1/code/${sha}`, { files: b64 })).status).toBe(204);
    const r = await call(first.port, 'POST', '/v1/invoke', request('cg-2'));
    expect(await r.json()).toMatchObject({ status: 'success' });
    const left = `sbx-${first.child.pid}-`;
    expect(dirsOf(left).length).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const leftCount = dirsOf(left).length;
    expect(leftCount).toBeGreaterThan(0); // nobody removed them

    // a dir of a runner that is alive (pid 1 always is) must be left alone
    const live = join(cgroupBases()[0]!, 'sbx-1-0badc0de-1');
    mkdirSync(live);
    try {
      const second = await start();
      expect(second.sweptCgroups).toBeGreaterThanOrEqual(leftCount);
      expect(dirsOf(left)).toEqual([]);
      expect(existsSync(live)).toBe(true);
      // SIGTERM: the runner removes its sandboxes' dirs before it exits
      expect(await (await call(second.port, 'PUT', `/v1/code/${sha}`, { files: b64 })).text()).toBe('');
      await call(second.port, 'POST', '/v1/invoke', request('cg-3'));
      const mine = `sbx-${second.child.pid}-`;
      expect(dirsOf(mine).length).toBeGreaterThan(0);
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      expect(dirsOf(mine)).toEqual([]);
    } finally {
      if (existsSync(live)) rmdirSync(live);
    }
  });
});
