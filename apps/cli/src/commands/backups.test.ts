/**
 * `proxicloud backups` end to end: the real CLI (subprocess) against a real server in demo mode
 * (the simulator in-process): a policy by tag, a run with --wait, runs, recovery points, restore
 * as a new instance, and the confirmation a replace needs in scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
  const launch = await admin.run([
    'instances',
    'launch',
    'cli-bk',
    '-t',
    'debian-12-genericcloud-amd64.qcow2',
    '-i',
    't.nano',
    '--tag',
    'backup=nightly',
    '--wait',
  ]);
  expect(launch.code, launch.stderr).toBe(0);
}, 120_000);
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;

describe('backups commands', () => {
  it('policies create by tag, run --wait, runs, points, restore --wait; replace needs --confirm in scripts', async () => {
    const bad = await admin.run(['backups', 'policies', 'create', 'x', '--schedule', 'daily']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Name at least one --instance, --volume or --tag');
    const created = await admin.run([
      'backups',
      'policies',
      'create',
      'cli-nightly',
      '--schedule',
      'weekly',
      '--tz',
      'Europe/Berlin',
      '--tag',
      'backup=nightly',
      '--keep',
      'last=2,weekly=4',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('At 03:00, only on Sunday (Europe/Berlin)');
    const list = await admin.run(['backups', 'policies', 'list']);
    expect(list.stdout).toMatch(/cli-nightly\s+At 03:00, only on Sunday/);
    expect(list.stdout).toContain('never');

    const run = await admin.run(['backups', 'run', 'cli-nightly', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout, run.stdout).toMatch(/Status:\s+succeeded/);
    expect(run.stdout).toContain('TASK OK');
    const runs = json<{ items: { status: string; trigger: string }[] }>(
      (await admin.run(['backups', 'runs', '--policy', 'cli-nightly', '-o', 'json'])).stdout,
    );
    expect(runs.items[0]).toMatchObject({ status: 'succeeded', trigger: 'manual' });

    const points = json<{ items: { id: string; resourceName: string; volid: string }[] }>(
      (await admin.run(['backups', 'points', '--instance', 'cli-bk', '-o', 'json'])).stdout,
    );
    expect(points.items).toHaveLength(1);
    expect(points.items[0]!.volid).toMatch(/^local:backup\/vzdump-qemu-\d+-.*\.vma\.zst$/);

    const replace = await admin.run(['backups', 'restore', points.items[0]!.id, '--replace']);
    expect(replace.code).toBe(2);
    expect(replace.stderr).toContain('needs --yes');

    const restored = await admin.run([
      'backups',
      'restore',
      points.items[0]!.id,
      '--name',
      'cli-bk-copy',
      '--wait',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored cli-bk as i-[0-9a-f]{17}/);
    const copy = json<{ name: string; status: string }>(
      (await admin.run(['instances', 'get', 'cli-bk-copy', '-o', 'json'])).stdout,
    );
    expect(copy.name).toBe('cli-bk-copy');
  }, 180_000);
});
