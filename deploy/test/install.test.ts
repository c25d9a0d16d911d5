/**
 * deploy/install.sh end to end, into a temporary root: a release tarball (npm run release) is
 * installed, the systemd unit is verified with systemd-analyze, the installed server is started
 * with the unit's own ExecStart and environment and answers /readyz; the printed admin password
 * logs in; re-running upgrades in place keeping data; --uninstall keeps data, --purge removes it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  has,
  parseUnit,
  prepareRootForVerify,
  REPO,
  readEnvFile,
  sh,
  startProcess,
  underRoot,
  waitReady,
} from './helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'pc-install-test-'));
const root = join(work, 'root');
let tarball = '';
let port = 0;
let password = '';

function install(...args: string[]) {
  const r = sh('bash', [join(REPO, 'deploy/install.sh'), '--root', root, '--tarball', tarball, ...args]);
  if (r.status !== 0) throw new Error(`install.sh failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Start the installed server as systemd would: the unit's ExecStart, EnvironmentFiles, Environment. */
function startInstalled() {
  const unit = parseUnit(readFileSync(join(root, 'etc/systemd/system/proxicloud.service'), 'utf8'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const f of unit.environmentFiles) {
    const path = underRoot(root, f.path);
    if (!existsSync(path)) {
      if (f.optional) continue;
      throw new Error(`EnvironmentFile ${f.path} is missing`);
    }
    Object.assign(env, readEnvFile(path));
  }
  Object.assign(env, unit.environment);
  for (const [k, v] of Object.entries(env)) if (v) env[k] = underRoot(root, v);
  const argv = unit.execStart.map((a) => underRoot(root, a));
  return startProcess(argv, env, underRoot(root, unit.workingDirectory ?? '/'));
}

async function login(pw: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: pw }),
  });
  return r.status;
}

beforeAll(async () => {
  const r = sh(process.execPath, ['scripts/release.mjs', '--out', join(work, 'release')]);
  if (r.status !== 0) throw new Error(`release failed:\n${r.stdout}\n${r.stderr}`);
  tarball = /\[release\] (\S+\.tar\.gz)/.exec(r.stdout)?.[1] ?? '';
  expect(existsSync(tarball)).toBe(true);
  port = await freePort();
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('release tarball', () => {
  it('holds the bundles, the console, production modules and RELEASE.json, and no TypeScript sources', () => {
    const list = sh('tar', ['-tzf', tarball]).stdout.split('\n');
    const top = list[0]?.split('/')[0];
    expect(top).toMatch(/^proxicloud-\d+\.\d+\.\d+/);
    for (const f of [
      'RELEASE.json',
      'apps/server/dist/main.mjs',
      'apps/server/dist/schema/pve-api.json',
      'apps/cli/dist/main.mjs',
      'apps/cli/bin/proxicloud.mjs',
      'apps/web/dist/index.html',
      'deploy/install.sh',
      'deploy/systemd/proxicloud.service',
      'node_modules/better-sqlite3/package.json',
      'node_modules/fastify/package.json',
    ]) {
      expect(list, f).toContain(`${top}/${f}`);
    }
    expect(list.filter((f) => /\/src\/.*\.ts$/.test(f) && !f.includes('node_modules'))).toEqual([]);
    expect(list.some((f) => f.includes('node_modules/typescript/'))).toBe(false);
  });
});

describe('install.sh', () => {
  it.skipIf(!has('shellcheck'))('is shellcheck clean (and so is pve-lxc.sh)', () => {
    const files = ['deploy/install.sh', 'deploy/pve-lxc.sh'].filter((f) => existsSync(join(REPO, f)));
    const r = sh('shellcheck', files);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('installs into a root: release, config, data dir, unit, CLI, first-run password', () => {
    const r = install('--port', String(port), '--s3-port', 'off');
    password = /Password: (\S+)/.exec(r.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout).toContain(`:${port}`);
    const current = join(root, 'opt/proxicloud/current');
    expect(readlinkSync(current)).toMatch(/^releases\/\d+\.\d+\.\d+-\d{14}$/);
    expect(existsSync(join(current, 'apps/server/dist/main.mjs'))).toBe(true);
    const env = readEnvFile(join(root, 'etc/proxicloud/config.env'));
    expect(env).toMatchObject({
      PROXICLOUD_DATA_DIR: '/var/lib/proxicloud',
      PROXICLOUD_PORT: String(port),
      PROXICLOUD_S3_PORT: 'off',
    });
    expect(statSync(join(root, 'etc/proxicloud/config.env')).mode & 0o777).toBe(0o640);
    // The secrets vault's key file goes apart from the data, in a directory only the service reads.
    expect(env.PROXICLOUD_SECRETS_MASTER_KEY_FILE).toBe('/etc/proxicloud/secrets/master.key');
    expect(statSync(join(root, 'etc/proxicloud/secrets')).mode & 0o777).toBe(0o700);
    const firstRun = join(root, 'etc/proxicloud/first-run.env');
    expect(statSync(firstRun).mode & 0o777).toBe(0o600);
    expect(readEnvFile(firstRun).PROXICLOUD_ADMIN_PASSWORD).toBe(password);
    // Migrations ran at install time (before the first start).
    expect(existsSync(join(root, 'var/lib/proxicloud/proxicloud.db'))).toBe(true);
    expect(readlinkSync(join(root, 'usr/local/bin/proxicloud'))).toBe('/opt/proxicloud/bin/proxicloud');
  });

  it.skipIf(!has('systemd-analyze'))(
    'installs a unit that systemd-analyze verifies, with exposure ≤ 2.0',
    () => {
      prepareRootForVerify(root);
      const verify = sh('systemd-analyze', ['verify', `--root=${root}`, 'proxicloud.service']);
      expect(verify.stdout + verify.stderr).toBe('');
      expect(verify.status).toBe(0);
      const security = sh('systemd-analyze', [
        'security',
        '--offline=true',
        `--root=${root}`,
        'proxicloud.service',
      ]);
      const score = Number(
        /Overall exposure level for proxicloud\.service: ([\d.]+)/.exec(security.stdout)?.[1],
      );
      expect(score).toBeLessThanOrEqual(2.0);
    },
  );

  it("starts with the unit's ExecStart and environment, answers /readyz, the printed password logs in", async () => {
    const server = startInstalled();
    try {
      await waitReady(`http://127.0.0.1:${port}/readyz`, server.child, server.log);
      expect(await login(password)).toBe(200);
      // Production build: plain node on the bundle, no TypeScript loader.
      const cmdline = readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain('apps/server/dist/main.mjs');
      expect(cmdline).not.toContain('tsx');
    } finally {
      await server.stop();
    }
  });

  it('re-running upgrades in place: new release, previous kept, config and data kept, no new password', async () => {
    const before = readlinkSync(join(root, 'opt/proxicloud/current'));
    await new Promise((r) => setTimeout(r, 1100)); // release directories are named to the second
    const r = install();
    expect(r.stdout).not.toContain('Password:');
    expect(readlinkSync(join(root, 'opt/proxicloud/previous'))).toBe(before);
    expect(readlinkSync(join(root, 'opt/proxicloud/current'))).not.toBe(before);
    expect(readEnvFile(join(root, 'etc/proxicloud/config.env')).PROXICLOUD_PORT).toBe(String(port));
    // The database was backed up before the migrations of the new release.
    const backups = readdirSync(join(root, 'var/lib/proxicloud/backups'));
    expect(backups.filter((f) => /^pre-upgrade-\d{8}T\d{6}Z\.tar\.gz$/.test(f))).toHaveLength(1);
    expect(r.stderr).toContain('backup before the upgrade');
    const server = startInstalled();
    try {
      await waitReady(`http://127.0.0.1:${port}/readyz`, server.child, server.log);
      expect(await login(password)).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('--uninstall keeps configuration and data; --purge removes them', () => {
    const r = sh('bash', [join(REPO, 'deploy/install.sh'), '--root', root, '--uninstall']);
    expect(r.status).toBe(0);
    expect(existsSync(join(root, 'opt/proxicloud'))).toBe(false);
    expect(existsSync(join(root, 'etc/systemd/system/proxicloud.service'))).toBe(false);
    expect(existsSync(join(root, 'var/lib/proxicloud/proxicloud.db'))).toBe(true);
    expect(existsSync(join(root, 'etc/proxicloud/config.env'))).toBe(true);
    const p = sh('bash', [join(REPO, 'deploy/install.sh'), '--root', root, '--uninstall', '--purge']);
    expect(p.status).toBe(0);
    expect(existsSync(join(root, 'var/lib/proxicloud'))).toBe(false);
    expect(existsSync(join(root, 'etc/proxicloud'))).toBe(false);
  });

  it('refuses unknown options and --purge without --uninstall', () => {
    expect(sh('bash', [join(REPO, 'deploy/install.sh'), '--root', root, '--bogus']).status).not.toBe(0);
    const r = sh('bash', [join(REPO, 'deploy/install.sh'), '--root', root, '--purge', '--tarball', tarball]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--purge only goes with --uninstall');
  });
});
