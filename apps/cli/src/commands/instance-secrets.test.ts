/**
 * `instances secret-env` and `instances refresh-secrets` end to end: the real CLI (subprocess)
 * against a real server in demo mode (the simulator in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
});
afterAll(() => session?.stop());

describe('instance secret commands', () => {
  it('secret-env lists names and versions; refresh-secrets pushes the new version; a stopped one is a conflict', async () => {
    expect((await admin.run(['secrets', 'put', 'cli-rf/token'], { input: 'cli-rf-v1' })).code).toBe(0);
    const launch = await admin.run([
      'instances',
      'launch',
      'cli-rf-ct',
      '--type',
      'lxc',
      '-t',
      'alpine-3.20',
      '--secret-env',
      'TOKEN=cli-rf/token',
      '--wait',
    ]);
    expect(launch.code, launch.stderr).toBe(0);
    const show = await admin.run(['instances', 'secret-env', 'cli-rf-ct']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/TOKEN\s+cli-rf\/token\s+1/);
    expect(show.stdout + show.stderr).not.toContain('cli-rf-v1');

    expect((await admin.run(['secrets', 'put', 'cli-rf/token'], { input: 'cli-rf-v2' })).code).toBe(0);
    const refresh = await admin.run(['instances', 'refresh-secrets', 'cli-rf-ct']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout + refresh.stderr).toContain('TOKEN ← cli-rf/token v2');
    expect(refresh.stdout + refresh.stderr).not.toContain('cli-rf-v2');

    expect((await admin.run(['instances', 'stop', 'cli-rf-ct', '--force', '--wait'])).code).toBe(0);
    const stopped = await admin.run(['instances', 'refresh-secrets', 'cli-rf-ct']);
    expect(stopped.code).toBe(6);
    expect(stopped.stderr).toContain('written when it starts');
    const help = await admin.run(['instances', 'refresh-secrets', '--help']);
    expect(help.stdout).toContain('reboot them instead');
  });
});
