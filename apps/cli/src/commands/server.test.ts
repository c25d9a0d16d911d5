/** `proxicloud migrate` and `proxicloud serve`: the server package run inside the CLI process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliRunner, cliRunner } from '../testing/harness.ts';

let r: CliRunner;
let dataDir: string;

beforeAll(() => {
  r = cliRunner();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-data-'));
});
afterAll(() => {
  r?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('migrate applies the migrations to a fresh database, then has nothing to do', async () => {
  const env = { PROXICLOUD_DATA_DIR: dataDir };
  const first = await r.run(['migrate', '-o', 'json'], { env });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as {
    applied: string[];
    pending: string[];
    database: { kind: string };
  };
  expect(report.database.kind).toBe('sqlite');
  expect(report.applied.length).toBeGreaterThan(1);
  expect(report.applied).toEqual([...report.applied].sort());
  expect(report.pending).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'proxicloud.db'))).toBe(true);

  const again = await r.run(['migrate', '--data-dir', dataDir]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Database is up to date');
});

it('migrate reports an invalid server configuration as a usage error', async () => {
  const res = await r.run(['migrate'], {
    env: { PROXICLOUD_DATA_DIR: dataDir, DATABASE_URL: 'mysql://nope' },
  });
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('DATABASE_URL');
});

it('serve runs the server until SIGTERM, then shuts down cleanly', async () => {
  const child = r.start(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: {
      PROXICLOUD_ADMIN_PASSWORD: 'serve-test-password',
      PROXICLOUD_WEB_DIR: path.join(dataDir, 'no-web'),
      PROXICLOUD_LOG_LEVEL: 'info',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}${stderr}`)), 45_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${stdout}${stderr}`)));
  });
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  // It is the real server: the admin bootstrapped from PROXICLOUD_ADMIN_PASSWORD can log in.
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'serve-test-password' }),
  });
  expect(login.status).toBe(200);
  // 'close' (not 'exit'): wait until stdout is drained, so the last log lines are in `stdout`.
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
  expect(stdout).toContain('shutdown complete');
});
