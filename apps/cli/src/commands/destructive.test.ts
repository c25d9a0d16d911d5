/**
 * Destructive commands never act on a script's silence: without a terminal they refuse (exit 2,
 * naming --yes) and change nothing; with --yes they go ahead. Each one runs for real here: the real
 * CLI (subprocess, stdin a closed pipe) against a real server in demo mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../program.ts';
import { type AdminSession, type CliResult, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

const json = <T>(s: string) => JSON.parse(s) as T;

async function ok(args: string[], input?: string): Promise<CliResult> {
  const res = await admin.run(args, input === undefined ? {} : { input });
  expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res;
}

/** Every command that takes --yes, as "group sub" (the destructive ones). */
function commandsWithYes(): string[] {
  const out: string[] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      const name = [...prefix, sub.name()];
      if (sub.options.some((o) => o.long === '--yes')) out.push(name.join(' '));
      walk(sub, name);
    }
  };
  walk(createProgram(), []);
  return out.sort();
}

let accessKeyId = '';
let instanceId = '';

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
  await ok(['users', 'create', 'victim', '--role', 'readonly', '--generate-password']);
  accessKeyId = json<{ accessKeyId: string }>(
    (await ok(['access-keys', 'create', '--description', 'keep me', '-o', 'json'])).stdout,
  ).accessKeyId;
  await ok(['keys', 'create', 'laptop', '--out', path.join(admin.home, 'pc_key')]);
  await ok(['volumes', 'create', 'data', '--size', '1']);
  await ok(['snapshots', 'create', 'data', 'first']);
  instanceId = json<{ id: string }>(
    (
      await ok([
        'instances',
        'launch',
        'web-1',
        '-t',
        'debian-12-genericcloud-amd64.qcow2',
        '-i',
        't.nano',
        '--no-start',
        '--wait',
        '-o',
        'json',
      ])
    ).stdout,
  ).id;
  await ok(['s3', 'mb', 'keep-bucket']);
  const file = path.join(admin.home, 'obj.txt');
  fs.writeFileSync(file, 'precious');
  await ok(['s3', 'cp', file, 's3://keep-bucket/dir/a.txt']);
  await ok(['s3', 'cp', file, 's3://keep-bucket/dir/b.txt']);
  await ok(['secrets', 'put', 'keep/one'], 'v1');
  await ok(['security-groups', 'create', 'keep-sg']);
  await ok(['networks', 'create', 'keep-net', '--cidr', '10.77.0.0/24', '--wait']);
  await ok(['route-tables', 'create', 'keep-rt']);
  await ok(['networks', 'create', 'keep-net2', '--cidr', '10.78.0.0/24', '--wait']);
  await ok(['peerings', 'create', 'keep-peering', '--network', 'keep-net', '--peer', 'keep-net2', '--wait']);
  await ok(['nat-gateways', 'create', 'keep-natgw', '--network', 'keep-net', '--wait']);
  await ok(['s3', 'policy', 'keep-bucket', 'set', '--public-read', 'dir/', '--yes']);
  await ok(['notifications', 'create', 'keep-mail', '--type', 'email', '--to', 'ops@example.com']);
  await ok([
    'alarms',
    'create',
    'keep-alarm',
    '--instance',
    'web-1',
    '--metric',
    'cpu',
    '--threshold',
    '80',
    '--duration',
    '5m',
  ]);
  await ok([
    'backups',
    'policies',
    'create',
    'keep-policy',
    '--schedule',
    'daily',
    '--tag',
    'backup=nightly',
  ]);
  const fnDir = path.join(admin.home, 'fn');
  fs.mkdirSync(fnDir);
  fs.writeFileSync(path.join(fnDir, 'index.mjs'), 'export const handler = async () => 1;');
  await ok([
    'functions',
    'create',
    'keep-fn',
    '--runtime',
    'nodejs',
    '--handler',
    'index.handler',
    '--dir',
    fnDir,
  ]);
  // a managed function runner (demo mode: the simulator runs the real runner in its container)
  await ok(['functions', 'runners', 'create', 'keep-runner', '--wait']);
}, 300_000);
afterAll(() => session?.stop());

/** [command as in commandsWithYes, argv, how to check that nothing was deleted] */
const CASES: [string, () => string[], () => Promise<void>][] = [
  [
    'users delete',
    () => ['users', 'delete', 'victim'],
    async () => {
      await ok(['users', 'get', 'victim']);
    },
  ],
  [
    'access-keys delete',
    () => ['access-keys', 'delete', accessKeyId],
    async () => {
      expect((await ok(['access-keys', 'list', '-o', 'json'])).stdout).toContain(accessKeyId);
    },
  ],
  [
    'keys delete',
    () => ['keys', 'delete', 'laptop'],
    async () => {
      await ok(['keys', 'get', 'laptop']);
    },
  ],
  [
    'instances terminate',
    () => ['instances', 'terminate', 'web-1'],
    async () => {
      const i = json<{ id: string; status: string }>(
        (await ok(['instances', 'get', 'web-1', '-o', 'json'])).stdout,
      );
      expect(i.id).toBe(instanceId);
      expect(i.status).toBe('stopped');
    },
  ],
  [
    'volumes delete',
    () => ['volumes', 'delete', 'data'],
    async () => {
      const v = json<{ status: string }>((await ok(['volumes', 'get', 'data', '-o', 'json'])).stdout);
      expect(v.status).toBe('available');
    },
  ],
  [
    'snapshots delete',
    () => ['snapshots', 'delete', 'data/first'],
    async () => {
      expect((await ok(['snapshots', 'list', '--volume', 'data'])).stdout).toContain('first');
    },
  ],
  [
    'snapshots restore',
    () => ['snapshots', 'restore', 'data/first'],
    async () => {
      // a restore that ran would be audited
      const audit = await ok(['audit', 'list', '--action', 'snapshots.restore', '-o', 'json']);
      expect(json<{ items: unknown[] }>(audit.stdout).items).toEqual([]);
    },
  ],
  [
    's3 rb',
    () => ['s3', 'rb', 'keep-bucket', '--force'],
    async () => {
      expect((await ok(['-q', 's3', 'ls', 'keep-bucket', '--recursive'])).stdout.trim().split('\n')).toEqual([
        'dir/a.txt',
        'dir/b.txt',
      ]);
    },
  ],
  [
    's3 rm',
    () => ['s3', 'rm', 's3://keep-bucket/dir/', '--recursive'],
    async () => {
      expect((await ok(['-q', 's3', 'ls', 'keep-bucket', '--recursive'])).stdout.trim().split('\n')).toEqual([
        'dir/a.txt',
        'dir/b.txt',
      ]);
    },
  ],
  [
    'secrets delete',
    () => ['secrets', 'delete', 'keep/one'],
    async () => {
      expect((await ok(['secrets', 'get', 'keep/one'])).stdout).toContain('v1');
    },
  ],
  [
    'secrets rotate-master-key',
    () => ['secrets', 'rotate-master-key'],
    async () => {
      const audit = await ok(['audit', 'list', '--action', 'secrets.rotate_master_key', '-o', 'json']);
      expect(json<{ items: unknown[] }>(audit.stdout).items).toEqual([]);
    },
  ],
  [
    'security-groups delete',
    () => ['security-groups', 'delete', 'keep-sg'],
    async () => {
      expect((await ok(['security-groups', 'list', '-o', 'json'])).stdout).toContain('keep-sg');
    },
  ],
  [
    'networks delete',
    () => ['networks', 'delete', 'keep-net'],
    async () => {
      expect((await ok(['networks', 'list', '-o', 'json'])).stdout).toContain('keep-net');
    },
  ],
  [
    'networks detach',
    () => ['networks', 'detach', 'web-1', 'keep-net'],
    async () => {
      // refused before anything was looked up; the refusal itself is asserted below
    },
  ],
  [
    'notifications delete',
    () => ['notifications', 'delete', 'keep-mail'],
    async () => {
      expect((await ok(['notifications', 'list', '-o', 'json'])).stdout).toContain('keep-mail');
    },
  ],
  [
    'functions delete',
    () => ['functions', 'delete', 'keep-fn'],
    async () => {
      expect((await ok(['functions', 'list', '-o', 'json'])).stdout).toContain('keep-fn');
    },
  ],
  [
    'functions runners delete',
    () => ['functions', 'runners', 'delete', 'keep-runner'],
    async () => {
      expect((await ok(['functions', 'runners', 'list', '-o', 'json'])).stdout).toContain('keep-runner');
    },
  ],
  [
    'alarms delete',
    () => ['alarms', 'delete', 'keep-alarm'],
    async () => {
      expect((await ok(['alarms', 'list', '-o', 'json'])).stdout).toContain('keep-alarm');
    },
  ],
  [
    'backups policies delete',
    () => ['backups', 'policies', 'delete', 'keep-policy'],
    async () => {
      expect((await ok(['backups', 'policies', 'list'])).stdout).toContain('keep-policy');
    },
  ],
  [
    's3 rm-version',
    () => ['s3', 'rm-version', 's3://keep-bucket/dir/a.txt', '--version-id', 'null'],
    async () => {
      expect((await ok(['-q', 's3', 'ls', 'keep-bucket', '--recursive'])).stdout).toContain('dir/a.txt');
    },
  ],
  [
    's3 lifecycle',
    () => ['s3', 'lifecycle', 'keep-bucket', 'apply'],
    async () => {
      expect((await ok(['-q', 's3', 'ls', 'keep-bucket', '--recursive'])).stdout).toContain('dir/a.txt');
    },
  ],
  [
    'route-tables delete',
    () => ['route-tables', 'delete', 'keep-rt'],
    async () => {
      expect((await ok(['route-tables', 'list', '-o', 'json'])).stdout).toContain('keep-rt');
    },
  ],
  [
    'nat-gateways delete',
    () => ['nat-gateways', 'delete', 'keep-natgw'],
    async () => {
      expect((await ok(['nat-gateways', 'list', '-o', 'json'])).stdout).toContain('keep-natgw');
    },
  ],
  [
    'peerings delete',
    () => ['peerings', 'delete', 'keep-peering'],
    async () => {
      expect((await ok(['peerings', 'list', '-o', 'json'])).stdout).toContain('keep-peering');
    },
  ],
  [
    's3 policy',
    () => ['s3', 'policy', 'keep-bucket', 'delete'],
    async () => {
      expect((await ok(['s3', 'policy', 'keep-bucket', '-o', 'json'])).stdout).toContain('s3:GetObject');
    },
  ],
  [
    'apps remove',
    () => ['apps', 'remove', 'keep-app', '--delete-volumes'],
    async () => {
      // refused before anything was looked up; the refusal itself is asserted below
    },
  ],
  [
    'admin restore',
    () => ['admin', 'restore', '--from', path.join(admin.home, 'no-such-backup.tar')],
    async () => {
      // refused before anything was looked up; the refusal itself is asserted below
    },
  ],
];

describe('destructive commands without a terminal', () => {
  it('the cases below cover every command that takes --yes', () => {
    expect(CASES.map(([name]) => name).sort()).toEqual(commandsWithYes());
  });

  it.each(CASES)(
    '%s refuses without --yes (exit 2, names --yes) and deletes nothing',
    async (_name, argv, kept) => {
      const res = await admin.run(argv());
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain('--yes');
      expect(res.stderr).toContain('stdin is not a terminal');
      expect(res.stderr).toContain('nothing was changed');
      expect(res.stdout).toBe('');
      await kept();
    },
  );

  it('with --yes each goes ahead', async () => {
    await ok(['users', 'delete', 'victim', '--yes']);
    expect((await admin.run(['users', 'get', 'victim'])).code).toBe(5);
    await ok(['access-keys', 'delete', accessKeyId, '--yes']);
    await ok(['keys', 'delete', 'laptop', '--yes']);
    expect((await admin.run(['keys', 'get', 'laptop'])).code).toBe(5);
    await ok(['s3', 'rm', 's3://keep-bucket/dir/a.txt']); // one named object: like rm FILE, no question
    await ok(['s3', 'rm', 's3://keep-bucket/dir/', '--recursive', '--yes']);
    await ok(['s3', 'cp', path.join(admin.home, 'obj.txt'), 's3://keep-bucket/c.txt']);
    await ok(['s3', 'policy', 'keep-bucket', 'delete', '--yes']);
    await ok(['peerings', 'delete', 'keep-peering', '--yes', '--wait']);
    await ok(['nat-gateways', 'delete', 'keep-natgw', '--yes', '--wait']);
    await ok(['functions', 'runners', 'delete', 'keep-runner', '--yes', '--wait']);
    expect((await ok(['functions', 'runners', 'list', '-o', 'json'])).stdout).not.toContain('keep-runner');
    await ok(['route-tables', 'delete', 'keep-rt', '--yes']);
    expect((await ok(['route-tables', 'list', '-o', 'json'])).stdout).not.toContain('keep-rt');
    await ok(['s3', 'rb', 'keep-bucket', '--force', '--yes']);
    await ok(['snapshots', 'restore', 'data/first', '--yes']);
    await ok(['snapshots', 'delete', 'data/first', '--yes']);
    await ok(['volumes', 'delete', 'data', '--yes']);
    const term = await ok(['instances', 'terminate', 'web-1', '--yes', '--wait']);
    expect(term.stdout).toContain('web-1 is terminated');
  }, 300_000);
});
