/**
 * vzdump, backup content, prune and restore on the simulator, over HTTPS and through the schema
 * referee: a VM and a container are backed up (task log as PVE writes it), their archives are
 * listed as `backup` content, restored to a new VMID and over the original, pruned, and a backup
 * to a full storage fails with vzdump's error log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, seed: 11, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

async function run(r: { status: number; raw: string; body: { data: unknown } }) {
  expect(r.status, r.raw).toBe(200);
  const upid = r.body.data as string;
  const st = (await api.waitTask('pve1', upid)) as { exitstatus: string };
  const log = await api.call<{ n: number; t: string }[]>(
    'GET',
    `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`,
    {
      limit: 500,
    },
  );
  return { upid, exitstatus: st.exitstatus, log: log.body.data.map((l) => l.t) };
}

type Content = {
  volid: string;
  size: number;
  ctime: number;
  vmid: number;
  notes?: string;
  protected?: number;
  subtype?: string;
  format: string;
};
const backups = async (vmid?: number) =>
  (
    await api.call<Content[]>('GET', '/nodes/pve1/storage/local/content', {
      content: 'backup',
      ...(vmid ? { vmid } : {}),
    })
  ).body.data;

describe('vzdump', () => {
  it('backs up a VM: task log, archive in backup content with notes, restore to a new VMID with the same config', async () => {
    await run(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 300,
        name: 'web',
        memory: 2048,
        cores: 2,
        scsi0: 'local-zfs:8',
        net0: 'virtio,bridge=vmbr0',
        tags: 'prod',
        start: 1,
      }),
    );
    const b = await run(
      await api.call('POST', '/nodes/pve1/vzdump', {
        vmid: '300',
        mode: 'snapshot',
        compress: 'zstd',
        storage: 'local',
        remove: 0,
        'notes-template': '{{guestname}} nightly',
      }),
    );
    expect(b.exitstatus).toBe('OK');
    expect(b.log[0]).toBe(
      "INFO: starting new backup job: vzdump 300 --mode snapshot --compress zstd --storage local --notes-template '{{guestname}} nightly' --remove 0",
    );
    expect(b.log).toContain('INFO: Starting Backup of VM 300 (qemu)');
    expect(b.log).toContain('INFO: backup mode: snapshot');
    expect(b.log.at(-2)).toBe('INFO: Backup job finished successfully');
    expect(b.log.at(-1)).toBe('TASK OK');
    const list = await backups(300);
    expect(list).toHaveLength(1);
    expect(list[0]!.volid).toMatch(
      /^local:backup\/vzdump-qemu-300-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/,
    );
    expect(list[0]).toMatchObject({ vmid: 300, notes: 'web nightly', subtype: 'qemu', format: 'vma.zst' });
    expect(list[0]!.size).toBeGreaterThan(0);
    // the guest is not left locked and still runs
    expect(sim.inspect().guests.find((g) => g.vmid === 300)).toMatchObject({ status: 'running' });

    const cfg = await api.call<string>('GET', '/nodes/pve1/vzdump/extractconfig', { volume: list[0]!.volid });
    expect(cfg.body.data).toContain('name: web');

    const r = await run(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 301,
        archive: list[0]!.volid,
        storage: 'local-zfs',
        unique: 1,
        name: 'web-restored',
      }),
    );
    expect(r.exitstatus).toBe('OK');
    expect(r.log.join('\n')).toContain("new volume ID is 'local-zfs:vm-301-disk-0'");
    const conf = (await api.call<Record<string, string>>('GET', '/nodes/pve1/qemu/301/config')).body.data;
    expect(conf).toMatchObject({ name: 'web-restored', memory: '2048', cores: 2, tags: 'prod' });
    expect(String(conf.scsi0)).toMatch(/^local-zfs:vm-301-disk-0,.*size=8G/);
    const orig = (await api.call<Record<string, string>>('GET', '/nodes/pve1/qemu/300/config')).body.data;
    expect(conf.net0).not.toBe(orig.net0); // unique: a new MAC

    // restoring over an existing guest needs force and a stopped guest
    const refused = await api.call('POST', '/nodes/pve1/qemu', { vmid: 300, archive: list[0]!.volid });
    expect(refused.body.message).toMatch(/already exists/);
    const running = await api.call('POST', '/nodes/pve1/qemu', {
      vmid: 300,
      archive: list[0]!.volid,
      force: 1,
    });
    expect(running.body.message).toMatch(/is running/);
    await run(await api.call('POST', '/nodes/pve1/qemu/300/status/stop', {}));
    await api.call('PUT', '/nodes/pve1/qemu/300/config', { memory: 4096 });
    expect(
      (
        await run(
          await api.call('POST', '/nodes/pve1/qemu', { vmid: 300, archive: list[0]!.volid, force: 1 }),
        )
      ).exitstatus,
    ).toBe('OK');
    expect(
      (await api.call<Record<string, string>>('GET', '/nodes/pve1/qemu/300/config')).body.data.memory,
    ).toBe('2048');
  });

  it('backs up a container and restores it with pct restore (ostemplate + restore=1)', async () => {
    await run(
      await api.call('POST', '/nodes/pve1/lxc', {
        vmid: 310,
        hostname: 'db',
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        rootfs: 'local-zfs:4',
        memory: 1024,
      }),
    );
    expect(
      (
        await run(
          await api.call('POST', '/nodes/pve1/vzdump', { vmid: '310', compress: 'zstd', mode: 'stop' }),
        )
      ).exitstatus,
    ).toBe('OK');
    const [b] = await backups(310);
    expect(b!.volid).toMatch(/vzdump-lxc-310-.*\.tar\.zst$/);
    const r = await run(
      await api.call('POST', '/nodes/pve1/lxc', {
        vmid: 311,
        ostemplate: b!.volid,
        restore: 1,
        storage: 'local-zfs',
      }),
    );
    expect(r.exitstatus).toBe('OK');
    const conf = (await api.call<Record<string, string>>('GET', '/nodes/pve1/lxc/311/config')).body.data;
    expect(conf).toMatchObject({ hostname: 'db', memory: 1024 });
    expect(String(conf.rootfs)).toMatch(/^local-zfs:subvol-311-disk-0/);
    // a VM cannot be restored from a container archive
    const wrong = await api.call('POST', '/nodes/pve1/qemu', { vmid: 312, archive: b!.volid });
    expect(wrong.body.message).toMatch(/contains a CT backup/);
  });

  it('prunes: prune-backups on vzdump, the prunebackups listing and DELETE; protected backups stay', async () => {
    await run(await api.call('POST', '/nodes/pve1/qemu', { vmid: 320, scsi0: 'local-zfs:1' }));
    await run(await api.call('POST', '/nodes/pve1/vzdump', { vmid: '320', protected: 1, storage: 'local' }));
    for (let i = 0; i < 3; i++)
      await run(await api.call('POST', '/nodes/pve1/vzdump', { vmid: '320', compress: 'zstd' }));
    expect(await backups(320)).toHaveLength(4);
    const marks = await api.call<{ volid: string; mark: string }[]>(
      'GET',
      '/nodes/pve1/storage/local/prunebackups',
      {
        'prune-backups': 'keep-last=1',
        vmid: 320,
      },
    );
    expect(marks.body.data.map((m) => m.mark).sort()).toEqual(['keep', 'protected', 'remove', 'remove']);
    const last = await run(
      await api.call('POST', '/nodes/pve1/vzdump', {
        vmid: '320',
        compress: 'zstd',
        'prune-backups': 'keep-last=2',
      }),
    );
    expect(last.log.join('\n')).toContain('pruned 2 backup(s) not covered by keep-retention policy');
    const left = await backups(320);
    expect(left).toHaveLength(3);
    expect(left.filter((b) => b.protected)).toHaveLength(1);
    // protected archives cannot be deleted
    const p = left.find((b) => b.protected)!;
    const del = await api.call('DELETE', `/nodes/pve1/storage/local/content/${encodeURIComponent(p.volid)}`);
    expect(del.body.message).toMatch(/is protected/);
    const other = left.find((b) => !b.protected)!;
    expect(
      (
        await run(
          await api.call('DELETE', `/nodes/pve1/storage/local/content/${encodeURIComponent(other.volid)}`),
        )
      ).exitstatus,
    ).toBe('OK');
    await run(
      await api.call('DELETE', '/nodes/pve1/storage/local/prunebackups', {
        'prune-backups': 'keep-last=1',
        vmid: 320,
      }),
    );
    expect(await backups(320)).toHaveLength(2);
  });

  it("fails with vzdump's log when the backup storage is full, and with an injected fault", async () => {
    await run(await api.call('POST', '/nodes/pve1/qemu', { vmid: 330, scsi0: 'local-zfs:1' }));
    sim.faults.storageFull('local', true);
    try {
      const f = await run(await api.call('POST', '/nodes/pve1/vzdump', { vmid: '330', compress: 'zstd' }));
      expect(f.exitstatus).toBe('job errors');
      expect(f.log).toContain(
        'ERROR: Backup of VM 330 failed - vma_queue_write: write error - No space left on device',
      );
      expect(f.log.at(-1)).toBe('TASK ERROR: job errors');
    } finally {
      sim.faults.storageFull('local', false);
    }
    expect(await backups(330)).toHaveLength(0);
    sim.faults.failTask({ type: 'vzdump', message: 'got timeout' });
    expect((await run(await api.call('POST', '/nodes/pve1/vzdump', { vmid: '330' }))).exitstatus).toBe(
      'got timeout',
    );
    // the referee rejects what PVE rejects
    const bad = await api.call('POST', '/nodes/pve1/vzdump', { vmid: '330', mode: 'hot' });
    expect(bad.status).toBe(400);
  });
});
