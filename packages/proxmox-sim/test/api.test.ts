import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 3, taskDurationMs: 0, seed: 42, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

async function createVm(vmid: number, extra: Record<string, string> = {}, node = 'pve1') {
  const r = await api.call<string>('POST', `/nodes/${node}/qemu`, {
    vmid,
    name: `vm-${vmid}`,
    memory: '1024',
    scsi0: 'local-zfs:8',
    net0: 'virtio,bridge=vmbr0',
    ...extra,
  });
  expect(r.status, r.raw).toBe(200);
  return api.waitTask(node, r.body.data);
}

describe('envelope and auth', () => {
  it('answers {data} with the pve-api-daemon server header', async () => {
    const r = await api.call('GET', '/version');
    expect(r.status).toBe(200);
    expect(r.headers.server).toBe('pve-api-daemon/3.0');
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(r.body.data).toMatchObject({ version: '9.2.3', release: '9.2' });
  });
  it('rejects missing and wrong credentials with 401', async () => {
    const none = await api.call('GET', '/version', undefined, { anonymous: true });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ data: null, message: 'No ticket\n' });
    const bad = await api.call('GET', '/version', undefined, {
      anonymous: true,
      headers: { authorization: `PVEAPIToken=${sim.tokenId}=wrong` },
    });
    expect(bad.status).toBe(401);
    expect(bad.reason).toBe('authentication failure');
  });
  it('supports ticket auth with CSRF protection on writes', async () => {
    const bad = await api.call(
      'POST',
      '/access/ticket',
      { username: 'root@pam', password: 'nope' },
      { anonymous: true },
    );
    expect(bad.status).toBe(401);
    const login = await api.call<{ ticket: string; CSRFPreventionToken: string; username: string }>(
      'POST',
      '/access/ticket',
      { username: 'root', realm: 'pam', password: sim.password },
      { anonymous: true },
    );
    expect(login.status).toBe(200);
    expect(login.body.data.username).toBe('root@pam');
    const cookie = `PVEAuthCookie=${encodeURIComponent(login.body.data.ticket)}`;
    const read = await api.call('GET', '/nodes', undefined, { anonymous: true, headers: { cookie } });
    expect(read.status).toBe(200);
    const noCsrf = await api.call(
      'POST',
      '/cluster/firewall/groups',
      { group: 'tickettest' },
      { anonymous: true, headers: { cookie } },
    );
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.body.message).toBe('Permission denied - invalid csrf token\n');
    const ok = await api.call(
      'POST',
      '/cluster/firewall/groups',
      { group: 'tickettest' },
      { anonymous: true, headers: { cookie, CSRFPreventionToken: login.body.data.CSRFPreventionToken } },
    );
    expect(ok.status).toBe(200);
  });
  it('renews a ticket when the ticket is sent as the password', async () => {
    const first = await api.call<{ ticket: string }>(
      'POST',
      '/access/ticket',
      { username: 'root@pam', password: sim.password },
      { anonymous: true },
    );
    const renewed = await api.call<{ ticket: string }>(
      'POST',
      '/access/ticket',
      { username: 'root@pam', password: first.body.data.ticket },
      { anonymous: true },
    );
    expect(renewed.status).toBe(200);
    expect(renewed.body.data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);
    const forged = await api.call(
      'POST',
      '/access/ticket',
      { username: 'root@pam', password: `${first.body.data.ticket.slice(0, -4)}AAAA` },
      { anonymous: true },
    );
    expect(forged.status).toBe(401);
  });
  it('never accepts the token as a password and hides secrets in errors', async () => {
    const r = await api.call(
      'POST',
      '/access/ticket',
      { username: 'root@pam', password: sim.tokenSecret },
      { anonymous: true },
    );
    expect(r.status).toBe(401);
    expect(r.raw).not.toContain(sim.tokenSecret);
  });
});

describe('validation by the schema referee', () => {
  it('answers 400 with per-parameter errors worded like PVE', async () => {
    const r = await api.call('POST', '/nodes/pve1/qemu', {
      vmid: 'abc',
      net0: 'virtio,bridge=vm br0',
      bogus: '1',
    });
    expect(r.status).toBe(400);
    expect(r.reason).toBe('Parameter verification failed.');
    expect(r.body).toEqual({
      data: null,
      message: 'Parameter verification failed.\n',
      errors: {
        vmid: "type check ('integer') failed - got 'abc'",
        net0: "invalid format - format error\nnet0.bridge: invalid format - invalid bridge ID 'vm br0'\n\n",
        bogus: 'property is not defined in schema and the schema does not allow additional properties',
      },
    });
  });
  it('answers 501 for unknown paths and methods', async () => {
    const r = await api.call('GET', '/nodes/pve1/lxc/100/agent');
    expect(r.status).toBe(501);
    expect(r.body.message).toBe("Method 'GET /nodes/pve1/lxc/100/agent' not implemented");
  });
  it('accepts JSON bodies', async () => {
    const r = await api.call<string>(
      'POST',
      '/cluster/firewall/groups',
      { group: 'jsongroup', comment: 'via json' },
      { json: true },
    );
    expect(r.status).toBe(200);
  });
  it('reports unknown nodes like a failed proxy lookup', async () => {
    const r = await api.call('GET', '/nodes/pve9/qemu');
    expect(r.status).toBe(500);
    expect(r.body.message).toContain("hostname lookup 'pve9' failed");
  });
});

describe('cluster endpoints', () => {
  it('lists nodes, cluster status and network bridges', async () => {
    const nodes = await api.call<{ node: string; status: string }[]>('GET', '/nodes');
    expect(nodes.body.data.map((n) => n.node)).toEqual(['pve1', 'pve2', 'pve3']);
    const status = await api.call<{ type: string; quorate?: number }[]>('GET', '/cluster/status');
    expect(status.body.data[0]).toMatchObject({ type: 'cluster', nodes: 3, quorate: 1 });
    const net = await api.call<{ iface: string; type: string }[]>('GET', '/nodes/pve2/network', {
      type: 'bridge',
    });
    expect(net.body.data.map((i) => i.iface)).toEqual(['vmbr0', 'vmbr1']);
  });
  it('grants every privilege to the simulator token', async () => {
    const r = await api.call<Record<string, Record<string, number>>>('GET', '/access/permissions');
    expect(r.body.data['/']!['VM.Allocate']).toBe(1);
    expect(r.body.data['/']!['Datastore.AllocateSpace']).toBe(1);
    const p = await api.call<Record<string, Record<string, number>>>('GET', '/access/permissions', {
      path: '/vms/100',
    });
    expect(Object.keys(p.body.data)).toEqual(['/vms/100']);
  });
  it('returns nextid as a string and 400 for a taken vmid', async () => {
    await createVm(150);
    const next = await api.call('GET', '/cluster/nextid');
    expect(typeof next.body.data).toBe('string');
    const taken = await api.call('GET', '/cluster/nextid', { vmid: 150 });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual({ vmid: 'VM 150 already exists' });
    const free = await api.call('GET', '/cluster/nextid', { vmid: 151 });
    expect(free.body.data).toBe('151');
  });
  it('filters /cluster/resources by type', async () => {
    const vms = await api.call<{ type: string; id: string }[]>('GET', '/cluster/resources', { type: 'vm' });
    expect(vms.body.data.every((r) => r.type === 'qemu' || r.type === 'lxc')).toBe(true);
    expect(vms.body.data.some((r) => r.id === 'qemu/150')).toBe(true);
    const storage = await api.call<{ type: string; storage: string; node: string }[]>(
      'GET',
      '/cluster/resources',
      { type: 'storage' },
    );
    expect(storage.body.data).toHaveLength(12);
    expect(new Set(storage.body.data.map((s) => s.storage))).toEqual(
      new Set(['local', 'local-zfs', 'local-lvm', 'tank']),
    );
  });
  it('serves node status and plausible moving rrd data', async () => {
    const st = await api.call<{ cpuinfo: { cpus: number }; memory: { total: number } }>(
      'GET',
      '/nodes/pve1/status',
    );
    expect(st.body.data.cpuinfo.cpus).toBe(16);
    const rrd = await api.call<{ time: number; cpu: number }[]>('GET', '/nodes/pve1/rrddata', {
      timeframe: 'hour',
      cf: 'AVERAGE',
    });
    expect(rrd.body.data).toHaveLength(70);
    expect(rrd.body.data[1]!.time - rrd.body.data[0]!.time).toBe(60);
    const cpus = new Set(rrd.body.data.map((p) => p.cpu));
    expect(cpus.size).toBeGreaterThan(10);
    for (const p of rrd.body.data) expect(p.cpu).toBeGreaterThanOrEqual(0);
  });
});

describe('storage', () => {
  it('seeds templates, cloud images and ISOs', async () => {
    const r = await api.call<{ volid: string; content: string; size: number }[]>(
      'GET',
      '/nodes/pve1/storage/local/content',
    );
    const ids = r.body.data.map((v) => v.volid);
    expect(ids).toContain('local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst');
    expect(ids).toContain('local:vztmpl/ubuntu-22.04-standard_22.04-1_amd64.tar.zst');
    expect(ids).toContain('local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst');
    expect(ids).toContain('local:import/debian-12-genericcloud-amd64.qcow2');
    expect(ids).toContain('local:iso/noble-server-cloudimg-amd64.img');
    const tmpl = await api.call<unknown[]>('GET', '/nodes/pve1/storage/local/content', { content: 'vztmpl' });
    expect(tmpl.body.data.length).toBe(4);
  });
  it('allocates synchronously, lists and deletes asynchronously', async () => {
    const alloc = await api.call<string>('POST', '/nodes/pve2/storage/local-lvm/content', {
      vmid: 300,
      filename: 'vm-300-disk-0',
      size: '4G',
    });
    expect(alloc.status, alloc.raw).toBe(200);
    expect(alloc.body.data).toBe('local-lvm:vm-300-disk-0');
    const bad = await api.call('POST', '/nodes/pve2/storage/local-lvm/content', {
      vmid: 300,
      filename: 'vm-301-disk-0',
      size: '4G',
    });
    expect(bad.status).toBe(400);
    const del = await api.call<string>(
      'DELETE',
      `/nodes/pve2/storage/local-lvm/content/${encodeURIComponent('local-lvm:vm-300-disk-0')}`,
    );
    expect((await api.waitTask('pve2', del.body.data)).exitstatus).toBe('OK');
    const list = await api.call<{ volid: string }[]>('GET', '/nodes/pve2/storage/local-lvm/content');
    expect(list.body.data.map((v) => v.volid)).not.toContain('local-lvm:vm-300-disk-0');
  });
  it('enforces capacity and the storageFull fault', async () => {
    const before = await api.call<{ avail: number; used: number; total: number }>(
      'GET',
      '/nodes/pve3/storage/local-zfs/status',
    );
    const tooBig = await api.call<string>('POST', '/nodes/pve3/qemu', { vmid: 310, scsi0: 'local-zfs:5000' });
    const t = await api.waitTask('pve3', tooBig.body.data);
    expect(t.exitstatus).toBe("zfs error: cannot create 'rpool/data/vm-310-disk-0': out of space");
    const gone = await api.call('GET', '/nodes/pve3/qemu/310/config');
    expect(gone.status).toBe(500);
    const after = await api.call<{ avail: number }>('GET', '/nodes/pve3/storage/local-zfs/status');
    expect(after.body.data.avail).toBe(before.body.data.avail);
    sim.faults.storageFull('local-lvm', true);
    const full = await api.call<{ avail: number }>('GET', '/nodes/pve3/storage/local-lvm/status');
    expect(full.body.data.avail).toBe(0);
    const alloc = await api.call('POST', '/nodes/pve3/storage/local-lvm/content', {
      vmid: 311,
      filename: 'vm-311-disk-0',
      size: '1G',
    });
    expect(alloc.status).toBe(500);
    expect(alloc.body.message).toContain('insufficient free space');
    sim.faults.storageFull('local-lvm', false);
  });
});
