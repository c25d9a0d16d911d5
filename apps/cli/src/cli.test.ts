/**
 * End-to-end CLI suite: the real `proxicloud` CLI (this run's bundle, one process per call) with a
 * temp HOME, against a real server on an ephemeral port with a temp SQLite database.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from './program.ts';
import {
  ADMIN_PASSWORD,
  type CliRunner,
  cliRunner,
  startTestServer,
  type TestServer,
} from './testing/harness.ts';

let server: TestServer;
let admin: CliRunner;
const runners: CliRunner[] = [];

function newRunner(env: Record<string, string> = {}): CliRunner {
  const r = cliRunner({ PROXICLOUD_URL: server.url, ...env });
  runners.push(r);
  return r;
}

async function loginAs(r: CliRunner, username: string, password: string) {
  const res = await r.run(['login', '--username', username, '--password-stdin'], { input: `${password}\n` });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return res;
}

function json<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

/** A TCP port nobody listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = newRunner();
});

afterAll(async () => {
  for (const r of runners) r.cleanup();
  await server?.stop();
});

describe('help and usage', () => {
  it('root help teaches: groups, getting started, exit codes', async () => {
    const res = await admin.run(['--help']);
    expect(res.code).toBe(0);
    for (const text of [
      'Session:',
      'Identity and access:',
      'Audit:',
      'Getting started:',
      'Exit codes:',
      'docs/cli.md',
    ]) {
      expect(res.stdout).toContain(text);
    }
  });

  it('every command has a description and examples', async () => {
    const res = await admin.run(['users', 'create', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Create a user');
    expect(res.stdout).toContain('Examples:');
    expect(res.stdout).toContain('--password-stdin');
  });

  it("no command reuses a global option's short flag (it would be taken by the global option)", () => {
    const program = createProgram();
    const global = new Set(program.options.map((o) => o.short).filter(Boolean));
    const clashes: string[] = [];
    const walk = (cmd: Command, path: string) => {
      for (const o of cmd.options) if (o.short && global.has(o.short)) clashes.push(`${path} ${o.flags}`);
      for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`.trim());
    };
    for (const sub of program.commands) walk(sub, sub.name());
    expect(clashes).toEqual([]);
  });

  it("the checkout's shim runs the TypeScript source the same way (what `npm link` users run)", async () => {
    const source = cliRunner({ PROXICLOUD_URL: server.url }, { source: true });
    runners.push(source);
    const help = await source.run(['users', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await admin.run(['users', 'create', '--help'])).stdout);
    const denied = await source.run(['users', 'list']);
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('proxicloud login');
  });

  it('unknown commands and bad option values exit 2', async () => {
    expect((await admin.run(['frobnicate'])).code).toBe(2);
    const bad = await admin.run(['-o', 'yaml', 'users', 'list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error: option '-o, --output <format>' argument 'yaml' is invalid/);
    expect((await admin.run(['audit', 'list', '--since', 'yesterday'])).code).toBe(2);
  });
});

describe('login and the credentials file', () => {
  it('logs in with --password-stdin and stores the session 0600 in a 0700 dir', async () => {
    const res = await loginAs(admin, 'admin', ADMIN_PASSWORD);
    expect(res.stdout).toContain(`Logged in to ${server.url} as admin (admin)`);
    expect(fs.statSync(admin.credentialsFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(admin.configDir).mode & 0o777).toBe(0o700);
    const profile = admin.credentials().profiles.default!;
    expect(profile.server).toBe(server.url);
    expect(profile.accessToken).toMatch(/^ey/);
    expect(profile.refreshToken?.length).toBeGreaterThan(20);
    expect(profile.username).toBe('admin');
    // The password is never stored.
    expect(fs.readFileSync(admin.credentialsFile, 'utf8')).not.toContain(ADMIN_PASSWORD);
  });

  it('whoami shows the user; -o json prints only the API JSON', async () => {
    const table = await admin.run(['whoami']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/User:\s+admin/);
    expect(table.stdout).toMatch(/Role:\s+admin/);
    const res = await admin.run(['whoami', '-o', 'json']);
    expect(res.code).toBe(0);
    const me = json<{ user: { username: string }; permissions: string[] }>(res.stdout);
    expect(me.user.username).toBe('admin');
    expect(me.permissions).toContain('users:create');
  });

  it('tightens a credentials file that became world-readable, with a warning', async () => {
    fs.chmodSync(admin.credentialsFile, 0o644);
    const res = await admin.run(['whoami', '-o', 'json']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/Warning: .*credentials\.json was accessible by other users \(mode 0644\)/);
    expect(fs.statSync(admin.credentialsFile).mode & 0o777).toBe(0o600);
    expect(() => JSON.parse(res.stdout)).not.toThrow();
  });

  it('a wrong password exits 3 with the error code and request id', async () => {
    const r = newRunner();
    const res = await r.run(['login', '-u', 'admin', '--password-stdin'], { input: 'not-the-password' });
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^Error: .+ \(invalid_credentials, request id req-[\w-]+\)/);
    expect(fs.existsSync(r.credentialsFile)).toBe(false);
  });

  it('commands without credentials exit 3 and say how to log in', async () => {
    const res = await newRunner().run(['users', 'list']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('Not logged in (profile "default")');
    expect(res.stderr).toContain('proxicloud login');
  });

  it('an unreachable server exits 9 ($PROXICLOUD_URL beats the profile)', async () => {
    const port = await closedPort();
    const res = await admin.run(['whoami'], { env: { PROXICLOUD_URL: `http://127.0.0.1:${port}` } });
    expect(res.code).toBe(9);
    expect(res.stderr).toContain(`Cannot reach the server at http://127.0.0.1:${port} (connection refused)`);
    const login = await newRunner().run(
      ['--server', `http://127.0.0.1:${port}`, 'login', '-u', 'a', '--password-stdin'],
      {
        input: 'x',
      },
    );
    expect(login.code).toBe(9);
  });
});

describe('users', () => {
  it('creates, lists, disables and enables a user', async () => {
    const created = await admin.run(
      ['users', 'create', 'carol', '--role', 'operator', '--full-name', 'Carol C', '--password-stdin'],
      {
        input: 'carol-password-1\n',
      },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created user carol \(usr-\w+\)/);

    const list = await admin.run(['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+USERNAME\s+FULL NAME\s+ROLE\s+STATUS\s+LAST LOGIN$/);
    const carolLine = list.stdout.split('\n').find((l) => /\scarol\s/.test(l));
    expect(carolLine).toMatch(/^usr-\w+\s+carol\s+Carol C\s+operator\s+active\s+-$/);

    const disabled = await admin.run(['users', 'disable', 'carol']);
    expect(disabled.code).toBe(0);
    const got = json<{ status: string; username: string }>(
      (await admin.run(['-o', 'json', 'users', 'get', 'carol'])).stdout,
    );
    expect(got).toMatchObject({ username: 'carol', status: 'disabled' });

    // A disabled user cannot log in (same answer as a wrong password).
    const blocked = await newRunner().run(['login', '-u', 'carol', '--password-stdin'], {
      input: 'carol-password-1',
    });
    expect(blocked.code).toBe(3);

    const ids = await admin.run(['--quiet', 'users', 'list', '--status', 'disabled']);
    expect(ids.stdout.trim()).toMatch(/^usr-\w+$/);
    expect((await admin.run(['users', 'enable', ids.stdout.trim()])).code).toBe(0);
  });

  it('-o json list is the raw API page and parses', async () => {
    const res = await admin.run(['users', 'list', '-o', 'json', '--limit', '1']);
    expect(res.code).toBe(0);
    const page = json<{ items: { username: string }[]; total: number; limit: number; offset: number }>(
      res.stdout,
    );
    expect(page.items).toHaveLength(1);
    expect(page.limit).toBe(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
    const all = json<{ items: unknown[]; total: number }>(
      (await admin.run(['users', 'list', '-o', 'json', '--all'])).stdout,
    );
    expect(all.items).toHaveLength(all.total);
  });

  it('a duplicate username exits 6', async () => {
    const res = await admin.run(['users', 'create', 'carol', '--role', 'readonly', '--generate-password']);
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/^Error: .*carol.* \(conflict, request id /);
  });

  it('an unknown id exits 5', async () => {
    const res = await admin.run(['users', 'get', 'usr-doesnotexist00000']);
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/\(not_found, request id /);
    expect((await admin.run(['users', 'disable', 'nobody-here'])).code).toBe(5);
  });

  it('input the server rejects exits 7', async () => {
    const res = await admin.run(['users', 'create', 'x', '--role', 'operator', '--generate-password']);
    expect(res.code).toBe(7);
    expect(res.stderr).toContain('validation_error');
  });

  it('a readonly user cannot create users: exit 4', async () => {
    const made = await admin.run(['users', 'create', 'rita', '--role', 'readonly', '--password-stdin'], {
      input: 'rita-password-1',
    });
    expect(made.code).toBe(0);
    const rita = newRunner();
    await loginAs(rita, 'rita', 'rita-password-1');
    const res = await rita.run(['users', 'create', 'eve', '--role', 'admin', '--generate-password']);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/\(forbidden, request id /);
    // Reading yourself is allowed, also by username (no user listing needed).
    const self = await rita.run(['users', 'get', 'rita', '-o', 'json']);
    expect(self.code).toBe(0);
    expect(json<{ role: string }>(self.stdout).role).toBe('readonly');
  });

  it('reset-password sets a password the user can log in with', async () => {
    const res = await admin.run(['users', 'reset-password', 'carol', '--password-stdin'], {
      input: 'carol-new-password',
    });
    expect(res.code).toBe(0);
    await loginAs(newRunner(), 'carol', 'carol-new-password');
  });

  it('deletes a user: without a terminal only with --yes', async () => {
    await admin.run(['users', 'create', 'dave', '--role', 'readonly', '--generate-password']);
    const refused = await admin.run(['users', 'delete', 'dave']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect((await admin.run(['users', 'get', 'dave'])).code).toBe(0);
    const res = await admin.run(['users', 'delete', 'dave', '--yes']);
    expect(res.code).toBe(0);
    expect((await admin.run(['users', 'get', 'dave'])).code).toBe(5);
  });
});

describe('roles and access keys', () => {
  it('roles list shows the three roles', async () => {
    const res = await admin.run(['roles', 'list']);
    expect(res.code).toBe(0);
    for (const role of ['admin', 'operator', 'readonly'])
      expect(res.stdout).toMatch(new RegExp(`^${role}\\s+\\d+\\s`, 'm'));
  });

  it('creates an access key, authenticates with it, deletes it', async () => {
    const created = await admin.run(['access-keys', 'create', '--description', 'cli test', '-o', 'json']);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('shown only now');
    const key = json<{ accessKeyId: string; secretAccessKey: string }>(created.stdout);
    expect(key.accessKeyId).toMatch(/^AKPC[A-Z0-9]{16}$/);
    expect(key.secretAccessKey).toHaveLength(40);

    const ci = newRunner();
    const configured = await ci.run(
      ['configure', 'access-key', '--access-key-id', key.accessKeyId, '--secret-stdin'],
      {
        input: `${key.secretAccessKey}\n`,
      },
    );
    expect(configured.stderr).toBe('');
    expect(configured.code).toBe(0);
    expect(fs.statSync(ci.credentialsFile).mode & 0o777).toBe(0o600);
    const who = json<{ user: { username: string } }>((await ci.run(['whoami', '-o', 'json'])).stdout);
    expect(who.user.username).toBe('admin');

    const list = await admin.run(['access-keys', 'list']);
    expect(list.stdout).toContain(key.accessKeyId);
    expect(list.stdout).not.toContain(key.secretAccessKey);

    expect((await admin.run(['access-keys', 'delete', key.accessKeyId, '--yes'])).code).toBe(0);
    expect((await ci.run(['whoami'])).code).toBe(3);
  });

  it('a wrong access key secret is rejected before it is stored', async () => {
    const r = newRunner();
    const res = await r.run(
      ['configure', 'access-key', '--access-key-id', 'AKPCAAAAAAAAAAAAAAAA', '--secret-stdin'],
      {
        input: 'x'.repeat(40),
      },
    );
    expect(res.code).toBe(3);
    expect(fs.existsSync(r.credentialsFile)).toBe(false);
  });
});

describe('audit', () => {
  it('lists with filters (relative --since, action, result)', async () => {
    const res = await admin.run([
      'audit',
      'list',
      '--action',
      'auth.login_failed',
      '--since',
      '1h',
      '-o',
      'json',
    ]);
    expect(res.code).toBe(0);
    const page = json<{ items: { action: string; result: string }[]; total: number }>(res.stdout);
    expect(page.total).toBeGreaterThanOrEqual(1);
    for (const e of page.items) expect(e.action).toBe('auth.login_failed');

    const table = await admin.run([
      'audit',
      'list',
      '--user',
      'admin',
      '--result',
      'success',
      '--limit',
      '5',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^\s*ID\s+TIME\s+USER\s+ACTION\s+RESOURCE\s+RESULT/);
    expect(table.stdout).toMatch(/\badmin\s+users\.create\b/);

    const future = await admin.run(['audit', 'list', '--since', '2999-01-01', '-o', 'json']);
    expect(json<{ total: number }>(future.stdout).total).toBe(0);
  });

  it('exports CSV to a file', async () => {
    const file = path.join(admin.home, 'audit.csv');
    const res = await admin.run(['audit', 'export', '--file', file]);
    expect(res.code).toBe(0);
    const csv = fs.readFileSync(file, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,timestamp,userId,username,action,/);
    expect(csv).toContain('auth.login');
    expect(res.stdout).toContain(`Exported ${lines.length - 1} audit entries to ${file}`);
    // Streams to stdout too.
    const out = await admin.run(['audit', 'export', '--action', 'users.create']);
    expect(out.stdout.split('\r\n')[0]).toMatch(/^id,timestamp/);
    expect(out.stdout).toContain('users.create');
    expect(out.stdout).not.toContain('auth.login,');
  });

  it('verify exits 0 on an intact chain', async () => {
    const res = await admin.run(['audit', 'verify', '-o', 'json']);
    expect(res.code).toBe(0);
    const report = json<{ valid: boolean; checked: number; firstBrokenId: number | null }>(res.stdout);
    expect(report.valid).toBe(true);
    expect(report.checked).toBeGreaterThan(5);
  });
});

describe('sessions', () => {
  it('refreshes after the stored access token is rejected, saves the rotated tokens, retries', async () => {
    const r = newRunner();
    await loginAs(r, 'admin', ADMIN_PASSWORD);
    const before = r.credentials();
    const profile = before.profiles.default!;
    // A token the server rejects (bad signature) while the stored expiry still looks valid.
    profile.accessToken = `${profile.accessToken!.slice(0, -4)}AAAA`;
    fs.writeFileSync(r.credentialsFile, JSON.stringify(before), { mode: 0o600 });

    const res = await r.run(['whoami', '-o', 'json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const after = r.credentials().profiles.default!;
    expect(after.refreshToken).not.toBe(profile.refreshToken);
    expect(after.accessToken).not.toBe(profile.accessToken);
    // The spent refresh token is dead now.
    const replay = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: profile.refreshToken }),
    });
    expect(replay.status).toBe(401);
  });

  it('logout revokes the refresh token on the server and deletes it locally', async () => {
    const r = newRunner();
    await loginAs(r, 'admin', ADMIN_PASSWORD);
    const { refreshToken } = r.credentials().profiles.default!;
    const res = await r.run(['logout']);
    expect(res.code).toBe(0);
    const profile = r.credentials().profiles.default!;
    expect(profile.refreshToken).toBeUndefined();
    expect(profile.accessToken).toBeUndefined();
    expect(profile.server).toBe(server.url);
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(refresh.status).toBe(401);
    expect((await r.run(['whoami'])).code).toBe(3);
  });

  it('configure server switches the server and drops credentials issued by the old one', async () => {
    const r = newRunner();
    await loginAs(r, 'admin', ADMIN_PASSWORD);
    const res = await r.run(['configure', 'server', 'other.example:8080'], {
      env: { PROXICLOUD_URL: undefined },
    });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('its stored credentials were removed');
    expect(r.credentials().profiles.default).toEqual({
      server: 'http://other.example:8080',
      updatedAt: expect.any(String),
    });
    expect((await r.run(['--profile', '../etc', 'whoami'])).code).toBe(2);
  });

  it('profiles are independent', async () => {
    const r = newRunner();
    await loginAs(r, 'admin', ADMIN_PASSWORD);
    const lab = await r.run(['--profile', 'lab', 'whoami']);
    expect(lab.code).toBe(3);
    expect(lab.stderr).toContain('proxicloud login --profile lab');
    const list = json<{ items: { name: string; auth: string }[] }>(
      (await r.run(['configure', 'list', '-o', 'json'])).stdout,
    );
    expect(list.items).toEqual([expect.objectContaining({ name: 'default', auth: 'session' })]);
  });
});

describe('tampering (runs last: it breaks this server chain)', () => {
  it('verify exits 1 and names the first broken entry', async () => {
    await server.server.db.kysely
      .updateTable('audit_log')
      .set({ action: 'users.tampered' })
      .where('id', '=', 3)
      .execute();
    const res = await admin.run(['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Chain:\s+BROKEN/);
    expect(res.stdout).toMatch(/First broken id:\s+3/);
    expect(res.stderr).toMatch(/^Error: Audit chain is broken at entry 3/);
    const js = await admin.run(['audit', 'verify', '-o', 'json']);
    expect(js.code).toBe(1);
    expect(json<{ valid: boolean; firstBrokenId: number }>(js.stdout)).toMatchObject({
      valid: false,
      firstBrokenId: 3,
    });
  });
});
