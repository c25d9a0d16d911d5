import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;
let conn: ssh2.Client;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, seed: 5 });
  api = client(sim);
  conn = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    conn
      .on('ready', () => resolve())
      .on('error', reject)
      .connect({
        host: sim.ssh!.host,
        port: sim.ssh!.port,
        username: sim.ssh!.username,
        password: sim.ssh!.password,
        hostVerifier: () => true,
      });
  });
});
afterAll(async () => {
  conn?.end();
  await sim.close();
});

function run(cmd: string, stdin?: string): Promise<{ out: string; err: string; code: number }> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (e, stream) => {
      if (e) return reject(e);
      let out = '';
      let err = '';
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (err += d.toString()));
      stream.on('close', (code: number) => resolve({ out, err, code }));
      stream.end(stdin ?? '');
    });
  });
}

async function task(r: { status: number; body: { data: unknown; message?: string } }) {
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.message}`);
  return api.waitTask('pve1', r.body.data as string);
}

const PATH = '/var/lib/vz/snippets/proxicloud-i-1-user.yaml';
const CONTENT = '#cloud-config\nruncmd:\n  - "echo $(id) `x` ; rm -rf /"\n';

describe('cloud-init snippets over the ssh host agent', () => {
  it('GET /storage/{storage} shows the dir storage path and content', async () => {
    const r = await api.call<Record<string, unknown>>('GET', '/storage/local');
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ storage: 'local', type: 'dir', path: '/var/lib/vz' });
    expect(String(r.body.data.content).split(',')).toContain('snippets');
    expect(r.body.data.digest).toMatch(/^[0-9a-f]{40}$/);
    const none = await api.call('GET', '/storage/nope');
    expect(none.status).toBe(500);
  });

  it('tee writes stdin into the snippets directory; the file is storage content', async () => {
    const w = await run(`tee -- '${PATH}'`, CONTENT);
    expect(w).toEqual({ out: CONTENT, err: '', code: 0 });
    const list = await api.call<{ volid: string; content: string; format: string; size: number }[]>(
      'GET',
      '/nodes/pve1/storage/local/content',
      { content: 'snippets' },
    );
    expect(list.body.data).toEqual([
      expect.objectContaining({
        volid: 'local:snippets/proxicloud-i-1-user.yaml',
        content: 'snippets',
        format: 'snippet',
        size: Buffer.byteLength(CONTENT),
      }),
    ]);
    const inspected = sim.inspect().storageContent.pve1!.local!.find((v) => v.content === 'snippets');
    expect(inspected?.data).toBe(CONTENT);
    // per node: pve2 has no such file
    expect(sim.inspect().storageContent.pve2!.local!.some((v) => v.content === 'snippets')).toBe(false);
  });

  it('writes only inside a snippets directory and takes no other tee/rm options', async () => {
    expect(await run('tee /etc/passwd', 'x')).toMatchObject({
      code: 1,
      err: 'tee: /etc/passwd: Permission denied\n',
    });
    expect((await run('tee -a /var/lib/vz/snippets/a.yaml', 'x')).code).toBe(1);
    expect((await run('rm -rf /')).code).toBe(1);
    expect(await run('rm /var/lib/vz/snippets/missing.yaml')).toEqual({
      out: '',
      err: "rm: cannot remove '/var/lib/vz/snippets/missing.yaml': No such file or directory\n",
      code: 1,
    });
    expect((await run('rm -f -- /var/lib/vz/snippets/missing.yaml')).code).toBe(0);
    expect((await run('cat /var/lib/vz/snippets/x.yaml')).code).toBe(127);
  });

  it('cicustom: the start task fails while the snippet is missing, starts once it exists', async () => {
    await task(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 120,
        scsi0: 'local-lvm:1',
        ide2: 'local-lvm:cloudinit',
        cicustom: 'user=local:snippets/proxicloud-i-2-user.yaml',
        agent: '1',
      }),
    );
    const failed = await task(await api.call('POST', '/nodes/pve1/qemu/120/status/start'));
    expect(failed.exitstatus).toBe("volume 'local:snippets/proxicloud-i-2-user.yaml' does not exist");
    expect((await run('tee /var/lib/vz/snippets/proxicloud-i-2-user.yaml', CONTENT)).code).toBe(0);
    expect((await task(await api.call('POST', '/nodes/pve1/qemu/120/status/start'))).exitstatus).toBe('OK');
    // a storage without snippets content
    expect(
      (await api.call('PUT', '/nodes/pve1/qemu/120/config', { cicustom: 'user=local-lvm:snippets/a.yaml' }))
        .status,
    ).toBe(200);
    await task(await api.call('POST', '/nodes/pve1/qemu/120/status/stop'));
    const bad = await task(await api.call('POST', '/nodes/pve1/qemu/120/status/start'));
    expect(bad.exitstatus).toBe("storage 'local-lvm' does not support content-type 'snippets'");
    // rm removes it from the storage content
    expect((await run(`rm -f -- ${PATH}`)).code).toBe(0);
    const list = await api.call<{ volid: string }[]>('GET', '/nodes/pve1/storage/local/content', {
      content: 'snippets',
    });
    expect(list.body.data.map((v) => v.volid)).toEqual(['local:snippets/proxicloud-i-2-user.yaml']);
  });
});

describe('QEMU guest agent: ping and get-fsinfo', () => {
  it('answers only for a running VM with agent=1, with PVE wording otherwise', async () => {
    await task(
      await api.call('POST', '/nodes/pve1/qemu', { vmid: 130, scsi0: 'local-lvm:2', scsi1: 'local-lvm:1' }),
    );
    const noAgent = await api.call('POST', '/nodes/pve1/qemu/130/agent/ping');
    expect(noAgent.status).toBe(500);
    expect(noAgent.body.message).toBe('No QEMU guest agent configured\n');
    expect((await api.call('PUT', '/nodes/pve1/qemu/130/config', { agent: 'enabled=1' })).status).toBe(200);
    const stopped = await api.call('GET', '/nodes/pve1/qemu/130/agent/get-fsinfo');
    expect(stopped.body.message).toBe('VM 130 is not running\n');
    await task(await api.call('POST', '/nodes/pve1/qemu/130/status/start'));
    expect((await api.call('POST', '/nodes/pve1/qemu/130/agent/ping')).body.data).toEqual({ result: {} });
  });

  it('lists / on scsi0; a disk is mounted only once a test says so; stop unmounts', async () => {
    type Fs = { mountpoint: string; disk: { serial: string; 'bus-type': string; dev: string }[] };
    const fs = async () =>
      (await api.call<{ result: Fs[] }>('GET', '/nodes/pve1/qemu/130/agent/get-fsinfo')).body.data.result;
    expect((await fs()).map((f) => [f.mountpoint, f.disk[0]!.serial])).toEqual([
      ['/', '0QEMU_QEMU_HARDDISK_drive-scsi0'],
    ]);
    const r = await api.raw(
      'POST',
      '/_sim/guest-agent',
      JSON.stringify({ vmid: 130, mounts: { scsi1: '/srv/data' } }),
      { authorization: `PVEAPIToken=${sim.token}`, 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    const mounted = await fs();
    expect(mounted[1]).toMatchObject({
      mountpoint: '/srv/data',
      disk: [{ serial: '0QEMU_QEMU_HARDDISK_drive-scsi1', 'bus-type': 'scsi', dev: '/dev/sdb' }],
    });
    sim.guestAgent(130, { available: false });
    const down = await api.call('GET', '/nodes/pve1/qemu/130/agent/get-fsinfo');
    expect(down.status).toBe(500);
    expect(down.body.message).toBe('QEMU guest agent is not running\n');
    sim.guestAgent(130, { available: true });
    await task(await api.call('POST', '/nodes/pve1/qemu/130/status/stop'));
    await task(await api.call('POST', '/nodes/pve1/qemu/130/status/start'));
    expect((await fs()).map((f) => f.mountpoint)).toEqual(['/']);
  });
});

describe('import-from sources', () => {
  it('imports from import/images content only (a cloud image in ISO storage is refused)', async () => {
    const bad = await api.call('POST', '/nodes/pve1/qemu', {
      vmid: 140,
      scsi0: 'local-lvm:0,import-from=local:iso/jammy-server-cloudimg-amd64.img',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      scsi0:
        "local:iso/jammy-server-cloudimg-amd64.img has wrong type 'iso' - needs to be 'images' or 'import'",
    });
    const ok = await task(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 140,
        scsi0: 'local-lvm:0,import-from=local:import/noble-server-cloudimg-amd64.img',
      }),
    );
    expect(ok.exitstatus).toBe('OK');
  });
});

describe('ln: cloud image from ISO storage into the import directory', () => {
  it('hard-links within the storage; the file then is import content and can be imported', async () => {
    const src = '/var/lib/vz/template/iso/jammy-server-cloudimg-amd64.img';
    const dst = '/var/lib/vz/import/jammy-server-cloudimg-amd64.img';
    expect(await run(`ln -- ${src} ${dst}`)).toEqual({ out: '', err: '', code: 0 });
    expect((await run(`ln -- ${src} ${dst}`)).err).toBe(
      `ln: failed to create hard link '${dst}': File exists\n`,
    );
    expect((await run(`ln ${src} /etc/x.img`)).err).toContain('Permission denied');
    expect((await run('ln /var/lib/vz/template/iso/nope.img /var/lib/vz/import/nope.img')).err).toContain(
      'No such file or directory',
    );
    expect((await run(`ln -s ${src} ${dst}`)).code).toBe(1);
    const list = await api.call<{ volid: string }[]>('GET', '/nodes/pve1/storage/local/content', {
      content: 'import',
    });
    expect(list.body.data.map((v) => v.volid)).toContain('local:import/jammy-server-cloudimg-amd64.img');
    const ok = await task(
      await api.call('POST', '/nodes/pve1/qemu', {
        vmid: 141,
        scsi0: 'local-lvm:0,import-from=local:import/jammy-server-cloudimg-amd64.img',
      }),
    );
    expect(ok.exitstatus).toBe('OK');
  });
});
