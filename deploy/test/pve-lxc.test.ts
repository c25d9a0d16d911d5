/**
 * deploy/pve-lxc.sh against stand-ins for the PVE tools (pveversion, pct, pveum, pvesh, pveam,
 * qm, ip, openssl) that record every call: an unprivileged container is created, the role gets
 * exactly the privileges docs/proxmox.md lists (VM.Monitor instead of VM.GuestAgent.Audit on
 * PVE 8), the token is privilege-separated and its secret never appears on a command line.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, sh } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SECRET = 'a1b2c3d4-secret-5e6f';

function fakePve(pveVersion: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pc-pve-lxc-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\n' "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('pveversion', `echo "pve-manager/${pveVersion}/abcdef (running kernel: 6.8.12-1-pve)"`);
  stub('pvesh', 'echo 123');
  stub('qm', 'exit 2');
  stub(
    'pct',
    `case "$1" in
  status) exit 2 ;;
  push) cp "$3" "${dir}/pushed-$(basename "$4")" ;;
esac
exit 0`,
  );
  stub(
    'pveam',
    `case "$1" in
  available) printf 'system          debian-12-standard_12.7-1_amd64.tar.zst\\nsystem          debian-13-standard_13.1-2_amd64.tar.zst\\nsystem          alpine-3.22-default_20250617_amd64.tar.xz\\n' ;;
esac
exit 0`,
  );
  stub(
    'pveum',
    `case "$1 $2 $3" in
  "role list "*|"user list "*|"user token list"*) echo '[]' ;;
  "user token add"*) echo '{"full-tokenid":"proxicloud@pve!proxicloud","info":{"privsep":"1"},"value":"${SECRET}"}' ;;
esac
exit 0`,
  );
  stub('ip', "echo '5: vmbr0    inet 192.0.2.10/24 brd 192.0.2.255 scope global vmbr0'");
  stub('openssl', "echo 'sha256 Fingerprint=AA:BB:CC'");
  const tarball = join(dir, 'proxicloud-0.1.0-linux-x64.tar.gz');
  writeFileSync(tarball, 'not really a tarball');
  const r = sh('bash', [join(REPO, 'deploy/pve-lxc.sh'), '--tarball', tarball, '--hostname', 'pc1'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  return { r, calls: readFileSync(log, 'utf8').split('\n'), dir };
}

/** The privileges of the recipe in docs/proxmox.md (`pveum role add ProxiCloud -privs "…"`). */
function documentedPrivileges(): string[] {
  const doc = readFileSync(join(REPO, 'docs/proxmox.md'), 'utf8');
  const m = /pveum role add ProxiCloud -privs "([^"]+)"/.exec(doc);
  if (!m) throw new Error('recipe not found in docs/proxmox.md');
  return (m[1] as string).replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean).sort();
}

describe('pve-lxc.sh', () => {
  it('PVE 9: unprivileged Debian container, documented privileges, privsep token, secret only in a pushed file', () => {
    const { r, calls, dir } = fakePve('9.1.2');
    expect(r.stderr).toContain('done: container 123');
    expect(r.status).toBe(0);
    const create = calls.find((c) => c.startsWith('pct create')) ?? '';
    expect(create).toContain('pct create 123 local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst');
    expect(create).toContain('--unprivileged 1');
    expect(create).toContain('--rootfs local-lvm:8');
    expect(create).toContain('--hostname pc1');
    const role = calls.find((c) => c.startsWith('pveum role add ProxiCloud')) ?? '';
    const privs = role
      .replace(/^pveum role add ProxiCloud --privs /, '')
      .split(/\s+/)
      .sort();
    expect(privs).toEqual(documentedPrivileges());
    expect(calls).toContain(
      'pveum user token add proxicloud@pve pc1 --privsep 1 --comment ProxiCloud in CT 123 --output-format json',
    );
    expect(calls).toContain('pveum acl modify / --tokens proxicloud@pve!pc1 --roles ProxiCloud');
    // The secret travels in a 0600 file pushed into the container, never in argv.
    expect(calls.filter((c) => c.includes(SECRET))).toEqual([]);
    expect(readFileSync(join(dir, 'pushed-pve-token'), 'utf8').trim()).toBe(`proxicloud@pve!pc1=${SECRET}`);
    const install = calls.find((c) => c.includes('install.sh --tarball')) ?? '';
    expect(install).toContain('--proxmox-url https://192.0.2.10:8006');
    expect(install).toContain('--proxmox-token-file /root/proxicloud-install/pve-token');
    expect(install).toContain('--proxmox-fingerprint AA:BB:CC');
  });

  it('PVE 8: VM.Monitor instead of VM.GuestAgent.Audit', () => {
    const { r, calls } = fakePve('8.4.1');
    expect(r.status).toBe(0);
    const role = calls.find((c) => c.startsWith('pveum role add ProxiCloud')) ?? '';
    expect(role).toContain('VM.Monitor');
    expect(role).not.toContain('VM.GuestAgent.Audit');
  });

  it('refuses without a tarball or outside PVE', () => {
    const r = sh('bash', [join(REPO, 'deploy/pve-lxc.sh')], {
      env: { ...process.env, PATH: '/usr/bin:/bin' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not a Proxmox VE host/);
  });
});
