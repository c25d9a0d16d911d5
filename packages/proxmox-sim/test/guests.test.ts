import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, seed: 7, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

async function task(r: { status: number; raw: string; body: { data: unknown } }) {
  expect(r.status, r.raw).toBe(200);
  return api.waitTask('pve1', r.body.data as string);
}

describe('qemu lifecycle', () => {
  it('creates a cloud-init VM from a cloud image with a lock while the task runs', async () => {
    const slow = await startSimulator({ port: 0, taskDurationMs: { qmcreate: 300 }, ssh: false, seed: 1 });
    try {
      const c = client(slow);
      const r = await c.call<string>('POST', '/nodes/pve1/qemu', {
        vmid: 100,
        name: 'web-1',
        memory: '2048',
        scsi0: 'local-zfs:0,import-from=local:import/debian-12-genericcloud-amd64.qcow2,discard=on',
        ide2: 'local-zfs:cloudinit',
        net0: 'virtio,bridge=vmbr0,firewall=1',
        ipconfig0: 'ip=dhcp',
        sshkeys: encodeURIComponent('ssh-ed25519 AAAAC3 me@host'),
        agent: '1',
      });
      expect(r.body.data).toMatch(
        /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmcreate:100:root@pam!ci:$/,
      );
      const during = await c.call<{ lock?: string }>('GET', '/nodes/pve1/qemu/100/config');
      expect(during.body.data.lock).toBe('create');
      // qemu-server checks locks inside the start worker: a UPID, then a failed task
      const start = await c.call<string>('POST', '/nodes/pve1/qemu/100/status/start');
      expect(start.status).toBe(200);
      expect((await c.waitTask('pve1', start.body.data)).exitstatus).toBe('VM is locked (create)');
      expect((await c.waitTask('pve1', r.body.data)).exitstatus).toBe('OK');
      const cfg = await c.call<Record<string, string | number>>('GET', '/nodes/pve1/qemu/100/config');
      expect(cfg.body.data.scsi0).toBe('local-zfs:vm-100-disk-0,discard=on,size=3G');
      expect(cfg.body.data.ide2).toBe('local-zfs:vm-100-cloudinit,media=cdrom');
      expect(cfg.body.data.net0).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1$/);
      expect(cfg.body.data.memory).toBe('2048');
      expect(cfg.body.data.lock).toBeUndefined();
      expect(typeof cfg.body.data.digest).toBe('string');
    } finally {
      await slow.close();
    }
  });

  it('runs the start/stop/shutdown state machine with PVE wording', async () => {
    await task(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 101,
        scsi0: 'local-lvm:4',
        agent: 'enabled=1',
        net0: 'virtio,bridge=vmbr0',
      }),
    );
    // shutting down a stopped VM is a successful no-op task; rebooting it is refused at once
    expect((await task(await api.call('POST', '/nodes/pve1/qemu/101/status/shutdown'))).exitstatus).toBe(
      'OK',
    );
    const reboot = await api.call('POST', '/nodes/pve1/qemu/101/status/reboot');
    expect(reboot.status).toBe(500);
    expect(reboot.body.message).toBe('VM 101 not running\n');
    expect((await task(await api.call('POST', '/nodes/pve1/qemu/101/status/start'))).exitstatus).toBe('OK');
    expect((await task(await api.call('POST', '/nodes/pve1/qemu/101/status/start'))).exitstatus).toBe(
      'VM 101 already running',
    );
    const cur = await api.call<{ status: string; qmpstatus: string; uptime: number; agent: number }>(
      'GET',
      '/nodes/pve1/qemu/101/status/current',
    );
    expect(cur.body.data).toMatchObject({ status: 'running', qmpstatus: 'running', agent: 1 });
    const ifaces = await api.call<{ result: { name: string; 'ip-addresses': { 'ip-address': string }[] }[] }>(
      'GET',
      '/nodes/pve1/qemu/101/agent/network-get-interfaces',
    );
    expect(ifaces.body.data.result[1]!['ip-addresses'][0]!['ip-address']).toMatch(/^10\.10\.\d+\.\d+$/);
    const del = await api.call('DELETE', '/nodes/pve1/qemu/101');
    expect(del.body.message).toBe('VM 101 is running - destroy failed\n');
    await task(await api.call('POST', '/nodes/pve1/qemu/101/status/shutdown', { forceStop: 1, timeout: 30 }));
    const stopped = await api.call<{ status: string }>('GET', '/nodes/pve1/qemu/101/status/current');
    expect(stopped.body.data.status).toBe('stopped');
    await task(await api.call('DELETE', '/nodes/pve1/qemu/101', { purge: 1 }));
    const gone = await api.call('GET', '/nodes/pve1/qemu/101/config');
    expect(gone.body.message).toBe("Configuration file 'nodes/pve1/qemu-server/101.conf' does not exist\n");
    const vols = sim.inspect().storageContent.pve1!['local-lvm']!;
    expect(vols.filter((v) => v.vmid === 101)).toEqual([]);
  });

  it('refuses to start a guest on a bridge that does not exist (task fails with log)', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 102, net0: 'virtio,bridge=vmbr9' }));
    const t = await task(await api.call('POST', '/nodes/pve1/qemu/102/status/start'));
    expect(t.exitstatus).toBe("bridge 'vmbr9' does not exist");
  });

  it('updates config synchronously (PUT) and asynchronously (POST) with digest checks', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 103, scsi0: 'local-zfs:4', cores: 1 }));
    const cfg = await api.call<{ digest: string }>('GET', '/nodes/pve1/qemu/103/config');
    const put = await api.call('PUT', '/nodes/pve1/qemu/103/config', {
      cores: 4,
      digest: cfg.body.data.digest,
    });
    expect(put.status).toBe(200);
    expect(put.body.data).toBeNull();
    const stale = await api.call('PUT', '/nodes/pve1/qemu/103/config', {
      cores: 2,
      digest: cfg.body.data.digest,
    });
    expect(stale.body.message).toBe(
      'detected modified configuration - file changed by other user? Try again.\n',
    );
    const post = await api.call<string>('POST', '/nodes/pve1/qemu/103/config', {
      scsi1: 'local-zfs:2',
      delete: 'cores',
    });
    expect((await api.waitTask('pve1', post.body.data)).exitstatus).toBe('OK');
    const after = await api.call<Record<string, unknown>>('GET', '/nodes/pve1/qemu/103/config');
    expect(after.body.data.scsi1).toBe('local-zfs:vm-103-disk-1,size=2G');
    expect(after.body.data.cores).toBeUndefined();
    // detaching a disk makes it unused0, unlink with force deletes it
    await api.call('PUT', '/nodes/pve1/qemu/103/config', { delete: 'scsi1' });
    const det = await api.call<Record<string, unknown>>('GET', '/nodes/pve1/qemu/103/config');
    expect(det.body.data.unused0).toBe('local-zfs:vm-103-disk-1');
    await api.call('PUT', '/nodes/pve1/qemu/103/unlink', { idlist: 'unused0', force: 1 });
    expect(sim.inspect().storageContent.pve1!['local-zfs']!.map((v) => v.volid)).not.toContain(
      'local-zfs:vm-103-disk-1',
    );
  });

  it('resizes disks (grow only)', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 104, scsi0: 'local-lvm:4' }));
    expect(
      (await task(await api.call('PUT', '/nodes/pve1/qemu/104/resize', { disk: 'scsi0', size: '+2G' })))
        .exitstatus,
    ).toBe('OK');
    const cfg = await api.call<{ scsi0: string }>('GET', '/nodes/pve1/qemu/104/config');
    expect(cfg.body.data.scsi0).toBe('local-lvm:vm-104-disk-0,size=6G');
    const shrink = await api.call('PUT', '/nodes/pve1/qemu/104/resize', { disk: 'scsi0', size: '1G' });
    expect(shrink.body.message).toBe('shrinking disks is not supported\n');
    const none = await api.call('PUT', '/nodes/pve1/qemu/104/resize', { disk: 'scsi3', size: '+1G' });
    expect(none.body.message).toBe("disk 'scsi3' does not exist\n");
  });

  it('snapshots, lists, rolls back and deletes (ZFS snapshots follow)', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 105, scsi0: 'local-zfs:4', cores: 1 }));
    await task(
      await api.call('POST', '/nodes/pve1/qemu/105/snapshot', { snapname: 'before', description: 'first' }),
    );
    await api.call('PUT', '/nodes/pve1/qemu/105/config', { cores: 3 });
    await task(await api.call('POST', '/nodes/pve1/qemu/105/snapshot', { snapname: 'after' }));
    const dup = await api.call('POST', '/nodes/pve1/qemu/105/snapshot', { snapname: 'after' });
    expect(dup.body.message).toBe("snapshot name 'after' already used\n");
    const list = await api.call<{ name: string; parent?: string }[]>('GET', '/nodes/pve1/qemu/105/snapshot');
    expect(list.body.data.map((s) => s.name)).toEqual(['before', 'after', 'current']);
    expect(list.body.data[1]!.parent).toBe('before');
    const zfs = sim.inspect().zfs.pve1!.map((d) => d.name);
    expect(zfs).toContain('rpool/data/vm-105-disk-0@before');
    // ZFS refuses to roll back past a newer snapshot, as PVE reports it
    const rb = await task(await api.call('POST', '/nodes/pve1/qemu/105/snapshot/before/rollback'));
    expect(rb.exitstatus).toBe(
      "can't rollback, 'before' is not most recent snapshot on 'rpool/data/vm-105-disk-0'",
    );
    await task(await api.call('DELETE', '/nodes/pve1/qemu/105/snapshot/after'));
    expect(
      (await task(await api.call('POST', '/nodes/pve1/qemu/105/snapshot/before/rollback'))).exitstatus,
    ).toBe('OK');
    const cfg = await api.call<{ cores: number; parent: string }>('GET', '/nodes/pve1/qemu/105/config');
    expect(cfg.body.data.cores).toBe(1);
    expect(cfg.body.data.parent).toBe('before');
    const missing = await api.call('DELETE', '/nodes/pve1/qemu/105/snapshot/nope');
    expect(missing.body.message).toBe("snapshot 'nope' does not exist\n");
  });

  it('clones full and linked (from a template) and keeps ZFS consistent', async () => {
    await task(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 9000,
        name: 'tmpl',
        scsi0: 'local-zfs:4',
        net0: 'virtio,bridge=vmbr0',
      }),
    );
    const linkedFromVm = await api.call('POST', '/nodes/pve1/qemu/9000/clone', { newid: 120, full: 0 });
    expect(linkedFromVm.status).toBe(500);
    await task(await api.call('POST', '/nodes/pve1/qemu/9000/template'));
    const tcfg = await api.call<{ scsi0: string; template: number }>('GET', '/nodes/pve1/qemu/9000/config');
    expect(tcfg.body.data).toMatchObject({ template: 1, scsi0: 'local-zfs:base-9000-disk-0,size=4G' });
    expect((await task(await api.call('POST', '/nodes/pve1/qemu/9000/status/start'))).exitstatus).toBe(
      "you can't start a vm if it's a template",
    );
    await task(await api.call('POST', '/nodes/pve1/qemu/9000/clone', { newid: 121, name: 'linked' }));
    const linked = await api.call<{ scsi0: string; name: string; net0: string }>(
      'GET',
      '/nodes/pve1/qemu/121/config',
    );
    expect(linked.body.data.scsi0).toBe('local-zfs:base-9000-disk-0/vm-121-disk-0,size=4G');
    expect(linked.body.data.name).toBe('linked');
    const ds = sim.inspect().zfs.pve1!.find((d) => d.name === 'rpool/data/vm-121-disk-0');
    expect(ds?.origin).toBe('rpool/data/base-9000-disk-0@__base__');
    await task(
      await api.call('POST', '/nodes/pve1/qemu/9000/clone', {
        newid: 122,
        full: 1,
        storage: 'tank',
        name: 'full',
      }),
    );
    const full = await api.call<{ scsi0: string }>('GET', '/nodes/pve1/qemu/122/config');
    expect(full.body.data.scsi0).toBe('tank:vm-122-disk-0,size=4G');
    const taken = await api.call('POST', '/nodes/pve1/qemu/9000/clone', { newid: 121 });
    expect(taken.body.message).toBe('unable to create VM 121: config file already exists\n');
  });

  it('linked clones on LVM-thin share the base volume (no extra space charged)', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 9001, scsi0: 'local-lvm:4' }));
    await task(await api.call('POST', '/nodes/pve1/qemu/9001/template'));
    const before = await api.call<{ used: number }>('GET', '/nodes/pve1/storage/local-lvm/status');
    await task(await api.call('POST', '/nodes/pve1/qemu/9001/clone', { newid: 123 }));
    const cfg = await api.call<{ scsi0: string }>('GET', '/nodes/pve1/qemu/123/config');
    expect(cfg.body.data.scsi0).toBe('local-lvm:base-9001-disk-0/vm-123-disk-0,size=4G');
    const after = await api.call<{ used: number }>('GET', '/nodes/pve1/storage/local-lvm/status');
    expect(after.body.data.used).toBe(before.body.data.used);
    await task(await api.call('DELETE', '/nodes/pve1/qemu/123'));
    const content = await api.call<{ volid: string }[]>('GET', '/nodes/pve1/storage/local-lvm/content', {
      vmid: 9001,
    });
    expect(content.body.data.map((v) => v.volid)).toEqual(['local-lvm:base-9001-disk-0']);
  });

  it('serves rrddata for guests', async () => {
    await task(await api.call('POST', '/nodes/pve1/qemu', { vmid: 130, scsi0: 'local-lvm:4' }));
    await task(await api.call('POST', '/nodes/pve1/qemu/130/status/start'));
    const r = await api.call<{ time: number; maxmem: number }[]>('GET', '/nodes/pve1/qemu/130/rrddata', {
      timeframe: 'day',
      cf: 'MAX',
    });
    expect(r.body.data).toHaveLength(70);
    expect(r.body.data[1]!.time - r.body.data[0]!.time).toBe(1800);
    expect(r.body.data[0]!.maxmem).toBe(512 * 1024 * 1024);
  });
});

describe('lxc lifecycle', () => {
  it('requires an existing ostemplate', async () => {
    const r = await api.call('POST', '/nodes/pve1/lxc', {
      vmid: 200,
      ostemplate: 'local:vztmpl/nope.tar.zst',
    });
    expect(r.body.message).toBe("volume 'local:vztmpl/nope.tar.zst' does not exist\n");
  });
  it('creates, starts and reports interfaces; config is sync PUT only', async () => {
    await task(
      await api.call('POST', '/nodes/pve1/lxc', {
        vmid: 201,
        hostname: 'ct1',
        ostemplate: 'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
        rootfs: 'local-zfs:8',
        net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
        'ssh-public-keys': 'ssh-ed25519 AAAA me@host',
        unprivileged: 1,
      }),
    );
    const cfg = await api.call<Record<string, unknown>>('GET', '/nodes/pve1/lxc/201/config');
    expect(cfg.body.data).toMatchObject({
      hostname: 'ct1',
      ostype: 'ubuntu',
      rootfs: 'local-zfs:subvol-201-disk-0,size=8G',
      unprivileged: 1,
    });
    expect(cfg.body.data['ssh-public-keys']).toBeUndefined();
    const post = await api.call('POST', '/nodes/pve1/lxc/201/config', { memory: 1024 });
    expect(post.status).toBe(501);
    const notRunning = await api.call('GET', '/nodes/pve1/lxc/201/interfaces');
    expect(notRunning.body.message).toBe('CT 201 not running\n');
    await task(await api.call('POST', '/nodes/pve1/lxc/201/status/start'));
    const again = await api.call('POST', '/nodes/pve1/lxc/201/status/start');
    expect(again.body.message).toBe('CT 201 already running\n');
    // pve-container refuses stop/shutdown of a stopped CT before forking
    await task(await api.call('POST', '/nodes/pve1/lxc/201/status/stop'));
    const stopAgain = await api.call('POST', '/nodes/pve1/lxc/201/status/shutdown');
    expect(stopAgain.body.message).toBe('CT 201 not running\n');
    await task(await api.call('POST', '/nodes/pve1/lxc/201/status/start'));
    const ifs = await api.call<{ name: string; inet: string }[]>('GET', '/nodes/pve1/lxc/201/interfaces');
    expect(ifs.body.data[1]!.inet).toMatch(/^10\.10\.\d+\.\d+\/16$/);
    expect(
      sim
        .inspect()
        .zfs.pve1!.some((d) => d.name === 'rpool/data/subvol-201-disk-0' && d.type === 'filesystem'),
    ).toBe(true);
  });
});

describe('tasks', () => {
  it('lists tasks with filters and serves logs with start/limit', async () => {
    const list = await api.call<{ upid: string; type: string; status: string }[]>(
      'GET',
      '/nodes/pve1/tasks',
      { typefilter: 'qmcreate', limit: 3 },
    );
    expect(list.body.data.length).toBe(3);
    expect(list.body.data.every((t) => t.type === 'qmcreate')).toBe(true);
    const errors = await api.call<{ status: string }[]>('GET', '/nodes/pve1/tasks', { errors: 1 });
    expect(errors.body.data.length).toBeGreaterThan(0);
    expect(errors.body.data.every((t) => t.status !== 'OK')).toBe(true);
    const upid = list.body.data[0]!.upid;
    const log = await api.call<{ n: number; t: string }[]>(
      'GET',
      `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`,
      { start: 0, limit: 1 },
    );
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]!.n).toBe(1);
  });
});
