import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, taskDurationMs: 0, seed: 5, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

describe('firewall', () => {
  it('manages security groups, rules and guest attachments', async () => {
    expect(
      (await api.call('POST', '/cluster/firewall/groups', { group: 'web', comment: 'web servers' })).status,
    ).toBe(200);
    expect((await api.call('POST', '/cluster/firewall/groups', { group: 'web' })).body.message).toBe(
      "security group 'web' already exists\n",
    );
    await api.call('POST', '/cluster/firewall/groups/web', {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '80',
      enable: 1,
    });
    await api.call('POST', '/cluster/firewall/groups/web', {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '443',
      enable: 1,
    });
    const rules = await api.call<{ pos: number; dport: string }[]>('GET', '/cluster/firewall/groups/web');
    expect(rules.body.data.map((r) => [r.pos, r.dport])).toEqual([
      [0, '443'],
      [1, '80'],
    ]);
    await api.call('PUT', '/cluster/firewall/groups/web/1', { dport: '8080' });
    expect((await api.call<{ dport: string }>('GET', '/cluster/firewall/groups/web/1')).body.data.dport).toBe(
      '8080',
    );
    const t = await api.call<string>('POST', '/nodes/pve1/qemu', {
      vmid: 100,
      net0: 'virtio,bridge=vmbr0,firewall=1',
    });
    await api.waitTask('pve1', t.body.data);
    const missing = await api.call('POST', '/nodes/pve1/qemu/100/firewall/rules', {
      type: 'group',
      action: 'nope',
      enable: 1,
    });
    expect(missing.body.message).toBe("security group 'nope' does not exist\n");
    await api.call('POST', '/nodes/pve1/qemu/100/firewall/rules', {
      type: 'group',
      action: 'web',
      enable: 1,
    });
    await api.call('PUT', '/nodes/pve1/qemu/100/firewall/options', { enable: 1, policy_in: 'DROP' });
    const opts = await api.call<{ enable: number; policy_in: string }>(
      'GET',
      '/nodes/pve1/qemu/100/firewall/options',
    );
    expect(opts.body.data).toMatchObject({ enable: 1, policy_in: 'DROP' });
    const busy = await api.call('DELETE', '/cluster/firewall/groups/web');
    expect(busy.status).toBe(500);
  });
});

describe('SDN', () => {
  it('keeps zones/vnets/subnets pending until PUT /cluster/sdn applies them', async () => {
    await api.call('POST', '/cluster/sdn/zones', { zone: 'lab', type: 'simple' });
    await api.call('POST', '/cluster/sdn/vnets', { vnet: 'vnet1', zone: 'lab' });
    const sub = await api.call('POST', '/cluster/sdn/vnets/vnet1/subnets', {
      subnet: '10.42.0.0/24',
      type: 'subnet',
      gateway: '10.42.0.1',
      snat: 1,
    });
    expect(sub.status, sub.raw).toBe(200);
    const badGw = await api.call('POST', '/cluster/sdn/vnets/vnet1/subnets', {
      subnet: '10.43.0.0/24',
      type: 'subnet',
      gateway: '10.42.0.1',
    });
    expect(badGw.status).toBe(400);
    const pending = await api.call<{ zone: string; state: string }[]>('GET', '/cluster/sdn/zones', {
      pending: 1,
    });
    expect(pending.body.data).toMatchObject([{ zone: 'lab', state: 'new' }]);
    expect((await api.call<unknown[]>('GET', '/cluster/sdn/zones', { running: 1 })).body.data).toEqual([]);
    const subnets = await api.call<{ subnet: string }[]>('GET', '/cluster/sdn/vnets/vnet1/subnets');
    expect(subnets.body.data.map((s) => s.subnet)).toEqual(['lab-10.42.0.0-24']);
    // the vnet is not a usable bridge before apply
    await api.waitTask(
      'pve1',
      (await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 300, net0: 'virtio,bridge=vnet1' })).body
        .data,
    );
    expect(
      (
        await api.waitTask(
          'pve1',
          (
            await api.call<string>('POST', '/nodes/pve1/qemu/300/status/start')
          ).body.data,
        )
      ).exitstatus,
    ).toBe("bridge 'vnet1' does not exist");
    const apply = await api.call<string>('PUT', '/cluster/sdn');
    expect(apply.body.data).toMatch(/:reloadnetworkall::root@pam!ci:$/);
    expect((await api.waitTask('pve1', apply.body.data)).exitstatus).toBe('OK');
    expect((await api.call<unknown[]>('GET', '/cluster/sdn/zones', { running: 1 })).body.data).toHaveLength(
      1,
    );
    expect(
      (
        await api.waitTask(
          'pve1',
          (
            await api.call<string>('POST', '/nodes/pve1/qemu/300/status/start')
          ).body.data,
        )
      ).exitstatus,
    ).toBe('OK');
    await api.call('DELETE', '/cluster/sdn/vnets/vnet1/subnets/lab-10.42.0.0-24');
    const del = await api.call<{ state: string }[]>('GET', '/cluster/sdn/vnets/vnet1/subnets', {
      pending: 1,
    });
    expect(del.body.data[0]!.state).toBe('deleted');
  });
});

describe('backups', () => {
  it('manages backup jobs and runs vzdump into storage content', async () => {
    const job = await api.call('POST', '/cluster/backup', {
      schedule: 'sat 02:00',
      storage: 'local',
      vmid: '100',
      mode: 'snapshot',
      'prune-backups': 'keep-last=3',
      id: 'nightly',
    });
    expect(job.status, job.raw).toBe(200);
    const badStorage = await api.call('POST', '/cluster/backup', {
      schedule: 'daily',
      storage: 'local-zfs',
      all: 1,
    });
    expect(badStorage.body.message).toBe("storage 'local-zfs' does not support backups\n");
    const badSchedule = await api.call('POST', '/cluster/backup', { schedule: 'every tuesday', all: 1 });
    expect(badSchedule.status).toBe(400);
    const jobs = await api.call<{ id: string; schedule: string }[]>('GET', '/cluster/backup');
    expect(jobs.body.data).toMatchObject([{ id: 'nightly', schedule: 'sat 02:00' }]);
    await api.call('PUT', '/cluster/backup/nightly', { enabled: 0 });
    expect((await api.call<{ enabled: number }>('GET', '/cluster/backup/nightly')).body.data.enabled).toBe(0);
    const dump = await api.call<string>('POST', '/nodes/pve1/vzdump', {
      vmid: '100',
      storage: 'local',
      mode: 'snapshot',
      compress: 'zstd',
    });
    expect((await api.waitTask('pve1', dump.body.data)).exitstatus).toBe('OK');
    const content = await api.call<{ volid: string; vmid: number }[]>(
      'GET',
      '/nodes/pve1/storage/local/content',
      { content: 'backup' },
    );
    expect(content.body.data[0]!.volid).toMatch(
      /^local:backup\/vzdump-qemu-100-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.vma\.zst$/,
    );
    await api.call('DELETE', '/cluster/backup/nightly');
    expect((await api.call<unknown[]>('GET', '/cluster/backup')).body.data).toEqual([]);
  });
});

describe('persistence', () => {
  it('saves changes while running (debounced), without waiting for close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    const stateFile = join(dir, 'nested', 'state.json');
    const a = await startSimulator({ port: 0, taskDurationMs: 0, stateFile, ssh: false });
    try {
      const ca = client(a);
      await ca.call('POST', '/cluster/firewall/groups', { group: 'early' });
      let saved = '';
      for (let i = 0; i < 100 && !saved.includes('early'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          saved = readFileSync(stateFile, 'utf8');
        } catch {
          // not written yet
        }
      }
      expect(JSON.parse(saved).firewall.groups.early).toEqual({ rules: [] });
    } finally {
      await a.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses a corrupt state file with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{not json');
    try {
      await expect(startSimulator({ port: 0, stateFile, ssh: false })).rejects.toThrow(
        `cannot load state file ${stateFile}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips the cluster through the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    const stateFile = join(dir, 'state.json');
    try {
      const a = await startSimulator({
        port: 0,
        taskDurationMs: 0,
        stateFile,
        ssh: false,
        token: 'root@pam!ci=SECRET',
      });
      const ca = client(a);
      await ca.waitTask(
        'pve1',
        (await ca.call<string>('POST', '/nodes/pve1/qemu', { vmid: 700, name: 'keep', scsi0: 'local-zfs:4' }))
          .body.data,
      );
      await ca.call('POST', '/cluster/firewall/groups', { group: 'persisted' });
      const fp = a.fingerprint;
      await a.close();
      expect(JSON.parse(readFileSync(stateFile, 'utf8')).guests[0].vmid).toBe(700);
      const b = await startSimulator({
        port: 0,
        taskDurationMs: 0,
        stateFile,
        ssh: false,
        token: 'root@pam!ci=SECRET',
      });
      try {
        expect(b.fingerprint).toBe(fp); // certificate cached next to the state file
        const cb = client(b);
        const cfg = await cb.call<{ name: string; scsi0: string }>('GET', '/nodes/pve1/qemu/700/config');
        expect(cfg.body.data).toMatchObject({ name: 'keep', scsi0: 'local-zfs:vm-700-disk-0,size=4G' });
        const groups = await cb.call<{ group: string }[]>('GET', '/cluster/firewall/groups');
        expect(groups.body.data.map((g) => g.group)).toEqual(['persisted']);
        const st = await cb.call<{ used: number }>('GET', '/nodes/pve1/storage/local-zfs/status');
        expect(st.body.data.used).toBeGreaterThanOrEqual(4 * 1024 ** 3);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
