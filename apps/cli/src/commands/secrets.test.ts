/**
 * `proxicloud secrets …` end to end: the real CLI (subprocess) against a real server. Values go in
 * on stdin or from a file and come out of `get` alone, ready for `$(…)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
});
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;

describe('secrets commands', () => {
  it('put reads stdin; get prints only the value; a second put is version 2', async () => {
    const put = await admin.run(['secrets', 'put', 'app/db/password', '--description', 'prod db'], {
      input: 'cli-s3cret-1\n',
    });
    expect(put.code, put.stderr).toBe(0);
    expect(put.stdout + put.stderr).toContain('Created app/db/password: version 1');
    expect(put.stdout + put.stderr).not.toContain('cli-s3cret-1');
    const get = await admin.run(['secrets', 'get', 'app/db/password']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe('cli-s3cret-1\n');
    const again = await admin.run(['secrets', 'put', 'app/db/password'], { input: 'cli-s3cret-2' });
    expect(again.stdout + again.stderr).toContain('Updated app/db/password: version 2');
    expect((await admin.run(['secrets', 'get', 'app/db/password'])).stdout).toBe('cli-s3cret-2\n');
    expect((await admin.run(['secrets', 'get', 'app/db/password', '--version-id', '1'])).stdout).toBe(
      'cli-s3cret-1\n',
    );
  });

  it('check-and-set with --expected-version fails with a conflict exit code', async () => {
    const stale = await admin.run(['secrets', 'put', 'app/db/password', '--expected-version', '1'], {
      input: 'x',
    });
    expect(stale.code).toBe(6);
    expect(stale.stderr).toContain('version 2, not 1');
    const versions = await admin.run(['secrets', 'versions', 'app/db/password', '-o', 'json']);
    expect(
      json<{ items: { version: number; current: boolean }[] }>(versions.stdout).items.map((v) => v.version),
    ).toEqual([2, 1]);
  });

  it('list shows names and versions, never values', async () => {
    const list = await admin.run(['secrets', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/app\/db\/password\s+2\s+owner\s+prod db/);
    expect(list.stdout).not.toContain('cli-s3cret');
  });

  it('--file, --binary/--decode and --json round-trip', async () => {
    const bin = path.join(admin.home, 'key.bin');
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 10]);
    fs.writeFileSync(bin, bytes);
    expect((await admin.run(['secrets', 'put', 'tls/key', '--file', bin, '--binary'])).code).toBe(0);
    const out = path.join(admin.home, 'out.bin');
    const got = await admin.run(['secrets', 'get', 'tls/key', '--decode']);
    fs.writeFileSync(out, Buffer.from(got.stdout, 'latin1'));
    expect((await admin.run(['secrets', 'get', 'tls/key'])).stdout.trim()).toBe(bytes.toString('base64'));
    const cfg = path.join(admin.home, 'cfg.json');
    fs.writeFileSync(cfg, '{"user":"app","port":5432}\n');
    expect((await admin.run(['secrets', 'put', 'app/config', '--json', '--file', cfg])).code).toBe(0);
    expect((await admin.run(['secrets', 'get', 'app/config'])).stdout).toBe('{"user":"app","port":5432}\n');
    const bad = await admin.run(['secrets', 'put', 'app/bad', '--json'], { input: 'not json' });
    expect(bad.code).toBe(2);
  });

  it('grant and revoke edit the policy', async () => {
    const grant = await admin.run(['secrets', 'grant', 'app/db/password', 'role:readonly', '-o', 'json']);
    expect(grant.code, grant.stderr).toBe(0);
    expect(json<{ grants: unknown[] }>(grant.stdout).grants).toEqual([
      { principal: 'role:readonly', access: 'read' },
    ]);
    const manage = await admin.run([
      'secrets',
      'grant',
      'app/db/password',
      'role:readonly',
      '--access',
      'manage',
      '-o',
      'json',
    ]);
    expect(json<{ grants: unknown[] }>(manage.stdout).grants).toEqual([
      { principal: 'role:readonly', access: 'manage' },
    ]);
    const revoke = await admin.run(['secrets', 'revoke', 'app/db/password', 'role:readonly', '-o', 'json']);
    expect(json<{ grants: unknown[] }>(revoke.stdout).grants).toEqual([]);
    const bad = await admin.run(['secrets', 'grant', 'app/db/password', 'everyone']);
    expect(bad.code).toBe(2);
  });

  it('delete asks for --yes without a terminal; restore undoes it; --force removes it', async () => {
    const refused = await admin.run(['secrets', 'delete', 'app/config']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const del = await admin.run(['secrets', 'delete', 'app/config', '--yes', '--recovery-days', '3']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout + del.stderr).toContain('scheduled for deletion');
    expect((await admin.run(['secrets', 'get', 'app/config'])).code).not.toBe(0);
    expect((await admin.run(['secrets', 'restore', 'app/config'])).code).toBe(0);
    expect((await admin.run(['secrets', 'get', 'app/config'])).code).toBe(0);
    expect((await admin.run(['secrets', 'delete', 'app/config', '--force', '--yes'])).code).toBe(0);
    expect((await admin.run(['secrets', 'get', 'app/config'])).code).toBe(5);
  });

  it('rotate-master-key re-wraps every version; values stay readable', async () => {
    const r = await admin.run(['secrets', 'rotate-master-key', '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ rewrapped: number }>(r.stdout).rewrapped).toBeGreaterThanOrEqual(3);
    expect((await admin.run(['secrets', 'get', 'app/db/password', '--version-id', '1'])).stdout).toBe(
      'cli-s3cret-1\n',
    );
  });

  it('--help teaches stdin/file input', async () => {
    const help = await admin.run(['secrets', 'put', '--help']);
    expect(help.stdout).toContain('never an argument');
    expect(help.stdout).toContain('--file');
  });
});
