/**
 * `apps`: the real CLI (subprocess) against a real server in demo mode: catalog, a deploy with
 * --param and --wait (steps and the setup log stream), list/get/logs, bad parameters refused before
 * anything is created, template upload errors with file:line, removal with --yes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin, type TestServer } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;
let server: TestServer;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ server, admin } = session);
  const apps = server.server.app.modules.apps.settings;
  apps.pollMs = 50;
});
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;

describe('apps', () => {
  it('catalog lists the built-ins with their needs; --category filters', async () => {
    const res = await admin.run(['apps', 'catalog']);
    expect(res.code, res.stderr).toBe(0);
    for (const id of ['jellyfin', 'nextcloud', 'node-red', 'home-assistant'])
      expect(res.stdout).toContain(id);
    expect(res.stdout).toMatch(
      /nextcloud\s+Nextcloud\s+30\.0\.4\s+storage\s+2 vCPU, 2048 MiB, 10 GiB\s+built-in/,
    );
    const media = await admin.run(['apps', 'catalog', '--category', 'media', '-o', 'json']);
    expect(
      json<{ items: { id: string }[] }>(media.stdout)
        .items.map((t) => t.id)
        .sort(),
    ).toEqual(['jellyfin', 'plex']);
  });

  it('catalog <template> shows its parameters and what each --param accepts', async () => {
    const res = await admin.run(['apps', 'catalog', 'netdata']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Needs:\s+1 vCPU, 512 MiB, 4 GiB/);
    expect(res.stdout).toMatch(
      /retentionHours\s+History kept \(hours\)\s+int\s+whole number 1–720; default 24/,
    );
    expect(res.stderr).toContain('proxicloud apps deploy netdata <name> --param retentionHours=');
    const nc = await admin.run(['apps', 'catalog', 'nextcloud']);
    expect(nc.stdout).toMatch(
      /adminPassword\s+Admin password\s+secret\s+12–128 characters; generated when not given/,
    );
    const none = await admin.run(['apps', 'catalog', 'nope']);
    expect(none.code).toBe(5);
  });

  it('deploy --param … --wait shows the steps and the setup log, then the URL and notes', async () => {
    const res = await admin.run([
      'apps',
      'deploy',
      'netdata',
      'stats',
      '--param',
      'retentionHours=12',
      '--wait',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('[installing] pct exec');
    expect(res.stderr).toMatch(/✔ Health check/);
    expect(res.stdout).toMatch(/Status:\s+ready/);
    expect(res.stdout).toMatch(/URL:\s+http:\/\/[\d.]+:19999/);
    expect(res.stdout).toContain('the dashboard has no login');
    const list = await admin.run(['apps', 'list']);
    expect(list.stdout).toMatch(/stats\s+Netdata 1\.37\.1\s+ready\s+healthy/);
    const logs = await admin.run(['apps', 'logs', 'stats']);
    expect(logs.stdout).toContain('[health-check] healthy: HTTP 200');
  }, 120_000);

  it('bad parameters and sizes are refused before anything is created', async () => {
    const bad = await admin.run(['apps', 'deploy', 'netdata', 'bad', '--param', 'retentionHours=lots']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Parameter 'retentionHours' must be an integer");
    const small = await admin.run(['apps', 'deploy', 'gitlab', 'git', '--memory', '1024']);
    expect(small.code).not.toBe(0);
    expect(small.stderr).toContain('GitLab CE needs at least 8192 MiB');
    // networks and security groups are named as everywhere else (ids work too)
    const net = await admin.run(['apps', 'deploy', 'netdata', 'n', '--network', 'no-such-net']);
    expect(net.code).toBe(5);
    expect(net.stderr).toContain('no-such-net');
    const list = json<{ items: { name: string }[] }>(
      (await admin.run(['apps', 'list', '-o', 'json'])).stdout,
    );
    expect(list.items.map((a) => a.name)).toEqual(['stats']);
  });

  it('templates add names the file and line of each problem', async () => {
    const file = path.join(admin.home, 'mine.yaml');
    fs.writeFileSync(file, 'formatVersion: 1\nid: mine\nname: Mine\ndescription: x\ncategory: toys\n');
    const res = await admin.run(['apps', 'templates', 'add', file]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${file}:5: /category:`);
  });

  it('remove --yes terminates the instance', async () => {
    const res = await admin.run(['apps', 'remove', 'stats', '--yes', '--wait']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Removed stats.');
    expect(
      json<{ items: unknown[] }>((await admin.run(['apps', 'list', '-o', 'json'])).stdout).items,
    ).toEqual([]);
  }, 120_000);

  it('get names the instance and volumes (ids alongside); -o json keeps the raw ids', async () => {
    const deploy = await admin.run(['apps', 'deploy', 'node-red', 'flows', '--wait']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const res = await admin.run(['apps', 'get', 'flows']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Instance:\s+flows \(i-[0-9a-f]{17}\)/);
    expect(res.stdout).toMatch(/Volumes:\s+flows-data \(vol-[0-9a-f]+\)/);
    const raw = json<{ instanceId: string; volumeIds: string[] }>(
      (await admin.run(['apps', 'get', 'flows', '-o', 'json'])).stdout,
    );
    expect(raw.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(raw.volumeIds).toHaveLength(1);
    expect(raw.volumeIds[0]).toMatch(/^vol-[0-9a-f]+$/);
  }, 120_000);
});
