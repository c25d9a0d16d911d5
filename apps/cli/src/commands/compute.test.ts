/**
 * The compute commands end to end: the real CLI (subprocess) against a real server in demo mode
 * (the simulator in-process, realistic task durations).
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

describe('compute commands', () => {
  it('doctor checks the demo connection; catalog lists launch sources and types', async () => {
    const doctor = await admin.run(['doctor']);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('DEMO (simulated node pve-demo)');
    expect(doctor.stdout).toMatch(/✔ version: Proxmox VE 9/);
    expect(doctor.stdout).toContain('✔ host-agent:pve-demo');
    const catalog = await admin.run(['catalog', '--type', 'vm']);
    expect(catalog.code, catalog.stderr).toBe(0);
    expect(catalog.stdout).toContain('debian-12-genericcloud-amd64.qcow2');
    expect(catalog.stdout).not.toContain('vztmpl');
    const types = await admin.run(['catalog', 'types', '-o', 'json']);
    expect(json<{ items: { name: string }[] }>(types.stdout).items.map((t) => t.name)).toContain('t.xlarge');
  });

  it('keys create writes the private key once (0600); import reads a .pub file; list shows fingerprints', async () => {
    const out = path.join(admin.home, 'pc_key');
    const created = await admin.run(['keys', 'create', 'laptop', '--out', out]);
    expect(created.code, created.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const again = await admin.run(['keys', 'create', 'other', '--out', out]);
    expect(again.code).toBe(2);
    const imported = await admin.run(['keys', 'import', 'copy', '-f', `${out}.pub`]);
    expect(imported.code, imported.stderr).toBe(0);
    const dup = await admin.run(['keys', 'import', 'copy', '-f', `${out}.pub`]);
    expect(dup.code).toBe(6);
    const list = await admin.run(['keys', 'list']);
    expect(list.stdout).toMatch(/laptop\s+ed25519\s+SHA256:/);
  });

  it('plain errors: a container-only alias suggests --type lxc; a file that is not a public key says so', async () => {
    const alpine = await admin.run(['instances', 'launch', 'a-1', '-t', 'alpine-3.20', '--no-start']);
    expect(alpine.code).toBe(7);
    expect(alpine.stderr).toContain("'alpine-3.20' exists for containers (LXC) only: add --type lxc");
    const photo = path.join(admin.home, 'photo.jpg');
    fs.writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
    const notKey = await admin.run(['keys', 'import', 'photo', '-f', photo]);
    expect(notKey.code).toBe(7);
    expect(notKey.stderr).toContain(`${photo} is not an SSH public key: it is a binary file`);
    const priv = path.join(admin.home, 'id_test');
    fs.writeFileSync(priv, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n');
    const privKey = await admin.run(['keys', 'import', 'priv', '-f', priv]);
    expect(privKey.code).toBe(7);
    expect(privKey.stderr).toContain('is not an SSH public key: it is a private key');
    expect((await admin.run(['keys', 'list', '-o', 'json'])).stdout).not.toContain('"photo"');
  });

  it('instances launch --wait shows progress and ends running; list/get/stop/start/terminate', async () => {
    const launch = await admin.run([
      'instances',
      'launch',
      'web-1',
      '-t',
      'debian-12-genericcloud-amd64.qcow2',
      '-i',
      't.nano',
      '-k',
      'laptop',
      '--tag',
      'env=ci',
      '--wait',
    ]);
    expect(launch.code, launch.stderr).toBe(0);
    expect(launch.stderr).toContain('✔ Create disks and cloud-init (Proxmox task)');
    expect(launch.stdout).toContain('web-1 is running');
    expect(launch.stdout).toMatch(/IP addresses:\s+10\./);
    const list = await admin.run(['-q', 'instances', 'list', '--status', 'running']);
    expect(list.stdout.trim()).toMatch(/^i-[0-9a-f]{17}$/);
    const get = json<{ status: string; tags: Record<string, string> }>(
      (await admin.run(['instances', 'get', 'web-1', '-o', 'json'])).stdout,
    );
    expect(get).toMatchObject({ status: 'running', tags: { env: 'ci' } });

    const stop = await admin.run(['instances', 'stop', 'web-1', '--wait', '-o', 'json']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(json<{ status: string }>(stop.stdout).status).toBe('stopped');
    const start = await admin.run(['instances', 'start', 'web-1']);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('operation op-');
    const wait = await admin.run(['instances', 'wait', 'web-1', '--for', 'running']);
    expect(wait.code, wait.stderr).toBe(0);
    expect(wait.stdout).toContain('web-1 is running');
  }, 180_000);

  it('volumes and snapshots: create, attach, snapshot, clone, detach; errors map to exit codes', async () => {
    expect((await admin.run(['volumes', 'create', 'data', '--size', '2'])).code).toBe(0);
    const attach = await admin.run(['volumes', 'attach', 'data', 'web-1', '--wait']);
    expect(attach.code, attach.stderr).toBe(0);
    expect(attach.stdout).toContain('as /dev/sdb');
    // names, not ids: the volume's instance, the instance's key pairs and volumes
    const webId = json<{ id: string }>(
      (await admin.run(['instances', 'get', 'web-1', '-o', 'json'])).stdout,
    ).id;
    const volList = await admin.run(['volumes', 'list']);
    expect(volList.stdout).toMatch(/data\s+2 GiB\s+\S+\s+block\s+in-use\s+web-1\s+\/dev\/sdb/);
    expect(volList.stdout).not.toContain(webId);
    expect((await admin.run(['volumes', 'get', 'data'])).stdout).toMatch(
      new RegExp(`Instance:\\s+web-1 \\(${webId}\\)`),
    );
    const details = await admin.run(['instances', 'get', 'web-1']);
    expect(details.stdout).toMatch(/Key pairs:\s+laptop\n/);
    expect(details.stdout).toMatch(/Volumes:\s+data \(\/dev\/sdb\)\n/);
    expect((await admin.run(['snapshots', 'create', 'data', 'first', '-d', 'initial'])).code).toBe(0);
    const snaps = await admin.run(['snapshots', 'list', '--volume', 'data']);
    expect(snaps.stdout).toMatch(/first\s+\d+ KiB/);
    const running = await admin.run(['snapshots', 'restore', 'data/first', '--yes']);
    expect(running.code).toBe(6);
    expect(running.stderr).toContain('Stop instance');
    const clone = await admin.run(['snapshots', 'clone', 'data/first', 'data-copy']);
    expect(clone.code, clone.stderr).toBe(0);
    // freshly attached = the guest agent reports it unmounted: no --force needed
    const detach = await admin.run(['volumes', 'detach', 'data', '--wait']);
    expect(detach.code, detach.stderr).toBe(0);
    const vols = json<{ items: { name: string; status: string }[] }>(
      (await admin.run(['volumes', 'list', '-o', 'json'])).stdout,
    );
    expect(vols.items.map((v) => `${v.name}:${v.status}`).sort()).toEqual([
      'data-copy:available',
      'data:available',
    ]);
    const missing = await admin.run(['volumes', 'get', 'nope']);
    expect(missing.code).toBe(5);
  }, 180_000); // many subprocesses: room on a loaded 2-core machine

  it('quotas show usage and refuse over quota with the limit named; terminate cleans up', async () => {
    const set = await admin.run(['quotas', 'set', 'admin', '--instances', '1', '--vcpu', 'unlimited']);
    expect(set.code, set.stderr).toBe(0);
    const show = await admin.run(['quotas']);
    expect(show.stdout).toMatch(/Instances\s+1\s+1/);
    const over = await admin.run([
      'instances',
      'launch',
      'web-2',
      '-t',
      'debian-12-genericcloud-amd64.qcow2',
      '--no-start',
    ]);
    expect(over.code).toBe(7);
    expect(over.stderr).toContain('instance count limit is 1');
    expect((await admin.run(['quotas', 'reset', 'admin'])).code).toBe(0);
    const term = await admin.run(['instances', 'terminate', 'web-1', '--yes', '--wait']);
    expect(term.code, term.stderr).toBe(0);
    expect(term.stdout).toContain('web-1 is terminated');
    // a terminated instance is still found by name where that makes sense
    const gone = await admin.run(['instances', 'get', 'web-1', '-o', 'json']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(json<{ status: string }>(gone.stdout).status).toBe('terminated');
    const never = await admin.run(['instances', 'wait', 'web-1', '--for', 'running']);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('is terminated; it will never be running');
    const start = await admin.run(['instances', 'start', 'web-1']);
    expect(start.code).toBe(5);
    expect(start.stderr).toMatch(
      /No live instance named "web-1": i-[0-9a-f]{17} had that name and was terminated/,
    );
    for (const v of ['data', 'data-copy'])
      expect((await admin.run(['volumes', 'delete', v, '--yes'])).code).toBe(0);
  }, 180_000);

  it('instances launch --user-data sends the file (snippet step shown); binary files and containers are usage errors', async () => {
    const file = path.join(admin.home, 'cloud-init.yaml');
    fs.writeFileSync(file, '#cloud-config\npackages: [htop]\n');
    const base = ['instances', 'launch', 'ud-1', '-t', 'debian-12-genericcloud-amd64.qcow2', '--no-start'];
    const ok = await admin.run([...base, '--user-data', file, '--wait']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('✔ Write the cloud-init user-data snippet on the node');
    const bin = path.join(admin.home, 'user-data.gz');
    fs.writeFileSync(bin, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const binary = await admin.run([...base, '--user-data', bin]);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('binary');
    const missing = await admin.run([...base, '--user-data', path.join(admin.home, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    const ct = await admin.run([
      'instances',
      'launch',
      'ud-ct',
      '-t',
      'debian-12-standard_12.7-1_amd64.tar.zst',
      '--user-data',
      file,
    ]);
    expect(ct.code).toBe(2);
    expect(ct.stderr).toContain('VMs only');
    const term = await admin.run(['instances', 'terminate', 'ud-1', '--yes', '--wait']);
    expect(term.code, term.stderr).toBe(0);
  });
});
