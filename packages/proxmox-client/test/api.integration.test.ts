/**
 * The typed client end to end against the simulator over HTTPS. Every request is validated by the
 * schema referee (see helpers.ts); any violation fails the call and the test.
 */

import { startSimulator } from '@proxicloud/proxmox-sim';
import { validateRequest } from '@proxicloud/pve-schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSshKeys,
  formatIpConfig,
  formatLxcNet,
  formatQemuDisk,
  formatQemuNet,
  isUpid,
  ProxmoxApiError,
  ProxmoxClient,
  ProxmoxTaskError,
  parseMemory,
  parseQemuNet,
  parseUpid,
} from '../src/index.ts';
import { type Sim, type ValidatedClient, validatingClient } from './helpers.ts';

const KEYS = [
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJq7Vb2wTqv+0Hj8Xg4sN5G2p1lqkZ0Uo7w3x7Q1aB9c alice@laptop',
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDd3Yq+/5fQ== bob@desk',
];

let sim: Sim;
let v: ValidatedClient;
let pve: ProxmoxClient;
let node: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 3, taskDurationMs: 0 });
  v = validatingClient(sim);
  pve = v.client;
  const nodes = await pve.nodes.list();
  node = nodes.map((n) => n.node).sort()[0]!;
});
afterAll(async () => {
  await pve?.close();
  await sim?.close();
});
afterEach(() => {
  expect(v.violations).toEqual([]);
});

describe('cluster and nodes', () => {
  it('version, nodes, cluster status and resources', async () => {
    const ver = await pve.version();
    expect(ver.version).toMatch(/^\d+\.\d+/);
    const nodes = await pve.nodes.list();
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n) => n.status === 'online')).toBe(true);
    const status = await pve.cluster.status();
    expect(status.filter((s) => s.type === 'node')).toHaveLength(3);
    const res = await pve.cluster.resources({ type: 'node' });
    expect(res.every((r) => r.type === 'node')).toBe(true);
    const ns = await pve.node(node).status();
    expect(ns).toBeTypeOf('object');
    const rrd = await pve.node(node).rrddata({ timeframe: 'hour' });
    expect(Array.isArray(rrd)).toBe(true);
    const net = await pve.node(node).network({ type: 'any_bridge' });
    expect(net.some((i) => i.iface === 'vmbr0')).toBe(true);
  });

  it('nextid answers a number although PVE sends a string', async () => {
    const id = await pve.cluster.nextId();
    expect(typeof id).toBe('number');
    expect(id).toBeGreaterThanOrEqual(100);
  });
});

describe('QEMU lifecycle', () => {
  let vmid: number;

  it('creates a VM with cloud-init, NIC, disk and ssh keys (double encoded), then reads it back', async () => {
    vmid = await pve.cluster.nextId();
    const upid = await pve.node(node).qemu.create({
      vmid,
      name: 'it-web-1',
      memory: 2048,
      cores: 2,
      sockets: 1,
      scsihw: 'virtio-scsi-single',
      scsi0: formatQemuDisk({ file: 'local-lvm:8', discard: 'on', ssd: true, iothread: true }),
      ide2: 'local-lvm:cloudinit',
      net0: formatQemuNet({ model: 'virtio', bridge: 'vmbr0', firewall: true }),
      ipconfig0: formatIpConfig({ ip: '10.0.0.50/24', gw: '10.0.0.1' }),
      ciuser: 'debian',
      sshkeys: KEYS,
      agent: 'enabled=1',
      onboot: true,
      tags: 'proxicloud;it',
    });
    expect(isUpid(upid)).toBe(true);
    expect(parseUpid(upid)).toMatchObject({ node, type: 'qmcreate', id: String(vmid) });
    const done = await pve.tasks.wait(node, upid, { timeoutMs: 20_000 });
    expect(done.exitstatus).toBe('OK');

    const cfg = await pve.node(node).vm(vmid).config();
    expect(cfg.name).toBe('it-web-1');
    expect(parseMemory(cfg.memory)).toBe(2048);
    expect(decodeSshKeys(cfg.sshkeys)).toEqual(KEYS);
    const net = parseQemuNet(cfg.net0!);
    expect(net).toMatchObject({ model: 'virtio', bridge: 'vmbr0', firewall: true });
    expect(net.macaddr).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
    expect(cfg.scsi0).toMatch(/^local-lvm:vm-\d+-disk-\d+/);
    expect(cfg.ipconfig0).toBe('ip=10.0.0.50/24,gw=10.0.0.1');

    const list = await pve.node(node).qemu.list();
    expect(list.some((g) => g.vmid === vmid && g.name === 'it-web-1')).toBe(true);
    const res = await pve.cluster.resources({ type: 'vm' });
    expect(res.some((r) => r.vmid === vmid && r.node === node && r.type === 'qemu')).toBe(true);
  });

  it("a taken vmid: create fails with PVE's message, nextid?vmid= with 400 errors.vmid", async () => {
    const err = (await pve
      .node(node)
      .qemu.create({ vmid, name: 'dup', memory: 512 })
      .catch((e: unknown) => e)) as ProxmoxApiError;
    expect(err).toBeInstanceOf(ProxmoxApiError);
    expect(err.pveMessage).toMatch(new RegExp(`VM ${vmid} already exists`));
    const err2 = (await pve.cluster.nextId({ vmid }).catch((e: unknown) => e)) as ProxmoxApiError;
    expect(err2.status).toBe(400);
    expect(err2.errors.vmid).toMatch(/already exists/);
  });

  it('updates config synchronously (PUT) and asynchronously (POST)', async () => {
    const vm = pve.node(node).vm(vmid);
    expect(await vm.updateConfig({ memory: 4096, description: 'updated by PUT' })).toBeNull();
    expect(parseMemory((await vm.config()).memory)).toBe(4096);
    const r = await vm.updateConfigAsync({ cores: 4 });
    if (r !== null) {
      expect(isUpid(r)).toBe(true);
      await pve.tasks.wait(node, r);
    }
    expect((await vm.config()).cores).toBe(4);
    await vm.updateConfig({ delete: 'description' });
    expect((await vm.config()).description).toBeUndefined();
  });

  it('power: start → running → shutdown (forceStop) → stopped; reboot; stop', async () => {
    const vm = pve.node(node).vm(vmid);
    await pve.tasks.wait(node, await vm.start());
    expect((await vm.status()).status).toBe('running');
    // qemu-server checks "already running" inside the start task (vm_start), so the call returns a
    // UPID and the task fails; LXC refuses synchronously instead.
    const again = (await pve.tasks.wait(node, await vm.start()).catch((e: unknown) => e)) as ProxmoxTaskError;
    expect(again).toBeInstanceOf(ProxmoxTaskError);
    expect(again.exitstatus).toMatch(/already running/);
    await pve.tasks.wait(node, await vm.reboot());
    expect((await vm.status()).status).toBe('running');
    await pve.tasks.wait(node, await vm.shutdown({ forceStop: true, timeout: 30 }));
    expect((await vm.status()).status).toBe('stopped');
    await pve.tasks.wait(node, await vm.start());
    await pve.tasks.wait(node, await vm.stop());
    const st = await vm.status();
    expect(st.status).toBe('stopped');
    expect(st.vmid).toBe(vmid);
  });

  it('resize, snapshots (create/list/rollback/delete), rrddata', async () => {
    const vm = pve.node(node).vm(vmid);
    await pve.tasks.wait(node, await vm.resize({ disk: 'scsi0', size: '+2G' }));
    expect((await vm.config()).scsi0).toMatch(/size=10G/);

    await pve.tasks.wait(node, await vm.snapshots.create({ snapname: 'before_upgrade', description: 'it' }));
    const snaps = await vm.snapshots.list();
    expect(snaps.map((s) => s.name)).toEqual(expect.arrayContaining(['before_upgrade', 'current']));
    await vm.updateConfig({ cores: 1 });
    await pve.tasks.wait(node, await vm.snapshots.rollback('before_upgrade'));
    expect((await vm.config()).cores).toBe(4);
    await pve.tasks.wait(node, await vm.snapshots.delete('before_upgrade'));
    expect((await vm.snapshots.list()).map((s) => s.name)).not.toContain('before_upgrade');

    const rrd = await vm.rrddata({ timeframe: 'hour', cf: 'AVERAGE' });
    expect(rrd.length).toBeGreaterThan(0);
  });

  it('console proxies (vncproxy with websocket + password, termproxy)', async () => {
    const vm = pve.node(node).vm(vmid);
    await pve.tasks.wait(node, await vm.start());
    try {
      const vnc = await vm.vncproxy({ websocket: true, 'generate-password': true });
      expect(Number(vnc.port)).toBeGreaterThanOrEqual(5900);
      expect(vnc.ticket).toMatch(/^PVEVNC:/);
      expect(isUpid(vnc.upid)).toBe(true);
      const term = await vm.termproxy();
      expect(term.ticket).toBeTruthy();
    } finally {
      await pve.tasks.wait(node, await vm.stop());
    }
  });

  it('clones into a new VM on the same node, then deletes both with purge', async () => {
    const newid = await pve.cluster.nextId();
    await pve.tasks.wait(node, await pve.node(node).vm(vmid).clone({ newid, name: 'it-web-2', full: true }));
    expect((await pve.node(node).vm(newid).config()).name).toBe('it-web-2');
    for (const id of [newid, vmid]) {
      await pve.tasks.wait(
        node,
        await pve.node(node).vm(id).delete({ purge: true, 'destroy-unreferenced-disks': true }),
      );
    }
    const list = await pve.node(node).qemu.list();
    expect(list.some((g) => g.vmid === vmid || g.vmid === newid)).toBe(false);
    const err = await pve
      .node(node)
      .vm(vmid)
      .config()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxApiError);
  });
});

describe('LXC lifecycle', () => {
  it('creates, configures (PUT), starts, lists interfaces, snapshots and deletes a container', async () => {
    const storage = pve.node(node).storageOf('local');
    const templates = await storage.content({ content: 'vztmpl' });
    expect(templates.length).toBeGreaterThan(0);
    const ostemplate = templates.find((t) => /debian-12/.test(t.volid))?.volid ?? templates[0]!.volid;

    const vmid = await pve.cluster.nextId();
    const upid = await pve.node(node).lxc.create({
      vmid,
      hostname: 'it-ct-1',
      ostemplate,
      rootfs: 'local-lvm:4',
      memory: 512,
      cores: 1,
      net0: formatLxcNet({ name: 'eth0', bridge: 'vmbr0', ip: 'dhcp', firewall: true }),
      'ssh-public-keys': KEYS.join('\n'),
      unprivileged: true,
      password: 'Sup3r-secret-pw',
    });
    await pve.tasks.wait(node, upid);
    const ct = pve.node(node).ct(vmid);
    expect((await ct.config()).hostname).toBe('it-ct-1');
    expect(await ct.updateConfig({ memory: 1024, description: 'ct' })).toBeNull();
    expect((await ct.config()).memory).toBe(1024);

    await pve.tasks.wait(node, await ct.start());
    expect((await ct.status()).status).toBe('running');
    const ifaces = await ct.interfaces();
    expect(ifaces.some((i) => i.name === 'eth0')).toBe(true);
    await pve.tasks.wait(node, await ct.snapshots.create({ snapname: 's1' }));
    expect((await ct.snapshots.list()).map((s) => s.name)).toContain('s1');
    await pve.tasks.wait(node, await ct.shutdown({ forceStop: true, timeout: 10 }));
    await pve.tasks.wait(node, await ct.snapshots.rollback('s1'));
    await pve.tasks.wait(node, await ct.snapshots.delete('s1'));
    await pve.tasks.wait(node, await ct.resize({ disk: 'rootfs', size: '+1G' }));
    await pve.tasks.wait(node, await ct.delete({ purge: true }));
    expect((await pve.node(node).lxc.list()).some((c) => c.vmid === vmid)).toBe(false);
  });
});

describe('storage', () => {
  it('lists storages, allocates a volume (sync volid) and deletes it (path-encoded volid)', async () => {
    const list = await pve.node(node).storage.list();
    expect(list.some((s) => s.storage === 'local-lvm')).toBe(true);
    const st = await pve.node(node).storageOf('local-lvm').status();
    expect(st.total).toBeGreaterThan(0);
    const vmid = await pve.cluster.nextId();
    const volid = await pve
      .node(node)
      .storageOf('local-lvm')
      .allocate({ vmid, filename: `vm-${vmid}-disk-0`, size: '1G' });
    expect(volid).toBe(`local-lvm:vm-${vmid}-disk-0`);
    const content = await pve.node(node).storageOf('local-lvm').content({ vmid });
    expect(content.map((c) => c.volid)).toContain(volid);
    const r = await pve.node(node).storageOf('local-lvm').deleteVolume(volid);
    if (r) await pve.tasks.wait(node, r);
    expect((await pve.node(node).storageOf('local-lvm').content({ vmid })).map((c) => c.volid)).not.toContain(
      volid,
    );
  });
});

describe('firewall', () => {
  it('security groups with rules CRUD, cluster options, guest rules and options', async () => {
    const fw = pve.cluster.firewall;
    await fw.groups.create({ group: 'pc-web', comment: 'web servers' });
    expect((await fw.groups.list()).map((g) => g.group)).toContain('pc-web');
    const rules = fw.groups.rules('pc-web');
    await rules.create({
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '443',
      enable: 1,
      comment: 'https',
    });
    await rules.create({
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '22',
      source: '10.0.0.0/8',
      enable: 1,
    });
    let list = await rules.list();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ pos: 0, dport: '22' }); // inserted at the top
    await rules.update(1, { dport: '8443' });
    expect((await rules.get(1)).dport).toBe('8443');
    await rules.delete(0);
    list = await rules.list();
    expect(list).toHaveLength(1);
    await rules.delete(0);
    await fw.groups.delete('pc-web');
    expect((await fw.groups.list()).map((g) => g.group)).not.toContain('pc-web');

    await fw.options.update({ enable: 1, policy_in: 'DROP' });
    expect(await fw.options.get()).toMatchObject({ enable: 1, policy_in: 'DROP' });

    const vmid = await pve.cluster.nextId();
    await pve.tasks.wait(node, await pve.node(node).qemu.create({ vmid, name: 'fw-vm', memory: 512 }));
    const vm = pve.node(node).vm(vmid);
    await fw.groups.create({ group: 'pc-db' });
    await vm.firewall.rules.create({ type: 'group', action: 'pc-db', enable: 1 });
    expect((await vm.firewall.rules.list())[0]).toMatchObject({ type: 'group', action: 'pc-db' });
    await vm.firewall.options.update({ enable: true, policy_in: 'DROP' });
    expect((await vm.firewall.options.get()).policy_in).toBe('DROP');
    await vm.firewall.rules.delete(0);
    await fw.groups.delete('pc-db');
    await pve.tasks.wait(node, await vm.delete({ purge: true }));
  });
});

describe('SDN', () => {
  it('zones, vnets, subnets CRUD and apply', async () => {
    const sdn = pve.cluster.sdn;
    await sdn.zones.create({ zone: 'pczone', type: 'simple', ipam: 'pve' });
    await sdn.vnets.create({ vnet: 'pcnet1', zone: 'pczone', alias: 'tenant one' });
    await sdn
      .subnets('pcnet1')
      .create({ subnet: '10.42.0.0/24', type: 'subnet', gateway: '10.42.0.1', snat: true });
    expect((await sdn.zones.list()).map((z) => z.zone)).toContain('pczone');
    expect((await sdn.vnets.get('pcnet1')).zone).toBe('pczone');
    const subnets = await sdn.subnets('pcnet1').list();
    expect(subnets).toHaveLength(1);
    const id = subnets[0]!.subnet as string; // PVE ids subnets as <zone>-<cidr with ->
    await sdn.subnets('pcnet1').update(id, { gateway: '10.42.0.254' });
    expect((await sdn.subnets('pcnet1').get(id)).gateway).toBe('10.42.0.254');
    await sdn.vnets.update('pcnet1', { alias: 'renamed' });
    const upid = await sdn.apply();
    await pve.tasks.wait(parseUpid(upid).node, upid);
    await sdn.subnets('pcnet1').delete(id);
    await sdn.vnets.delete('pcnet1');
    await sdn.zones.delete('pczone');
    await pve.tasks.wait(parseUpid((await sdn.apply()) as string).node, (await sdn.apply()) as string);
    expect((await sdn.zones.list()).map((z) => z.zone)).not.toContain('pczone');
  });
});

describe('backups', () => {
  it('backup jobs CRUD and a vzdump run', async () => {
    await pve.cluster.backup.create({
      id: 'pc-nightly',
      schedule: '02:30',
      storage: 'local',
      vmid: '100,101',
      mode: 'snapshot',
      'prune-backups': 'keep-last=3,keep-daily=7',
      enabled: true,
    });
    expect((await pve.cluster.backup.get('pc-nightly')).schedule).toBe('02:30');
    await pve.cluster.backup.update('pc-nightly', { schedule: 'sun 03:00' });
    expect((await pve.cluster.backup.list()).find((j) => j.id === 'pc-nightly')?.schedule).toBe('sun 03:00');
    await pve.cluster.backup.delete('pc-nightly');
    expect((await pve.cluster.backup.list()).some((j) => j.id === 'pc-nightly')).toBe(false);

    const vmid = await pve.cluster.nextId();
    await pve.tasks.wait(
      node,
      await pve.node(node).qemu.create({ vmid, name: 'bk', memory: 512, scsi0: 'local-lvm:1' }),
    );
    const upid = await pve
      .node(node)
      .vzdump({ vmid: String(vmid), storage: 'local', mode: 'snapshot', compress: 'zstd' });
    expect(parseUpid(upid).type).toBe('vzdump');
    await pve.tasks.wait(node, upid);
    const backups = await pve.node(node).storageOf('local').content({ content: 'backup', vmid });
    expect(backups.length).toBe(1);
    await pve.tasks.wait(node, await pve.node(node).vm(vmid).delete({ purge: true }));
  });
});

describe('tasks listing and the typed escape hatch', () => {
  it('lists tasks and reads a log', async () => {
    const tasks = await pve.tasks.list(node, { limit: 5 });
    expect(tasks.length).toBeGreaterThan(0);
    const log = await pve.tasks.log(node, tasks[0]!.upid);
    expect(log.at(-1)?.t).toMatch(/^TASK (OK|ERROR)/);
    const viaRequest = await pve.request('GET /nodes/{node}/qemu', { node }, { full: true });
    expect(Array.isArray(viaRequest)).toBe(true);
  });
});

describe('bad calls are rejected by the simulator exactly as by the referee', () => {
  // A client WITHOUT the validating hook, so the bad requests reach the simulator.
  let raw: ProxmoxClient;
  beforeAll(() => {
    raw = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
      tls: { fingerprint: sim.fingerprint },
    });
  });
  afterAll(() => raw.close());

  type Key = 'POST /nodes/{node}/qemu' | 'GET /cluster/resources' | 'POST /cluster/firewall/groups';
  const cases: Array<{ name: string; key: Key; params: Record<string, string> }> = [
    { name: 'vmid not an integer', key: 'POST /nodes/{node}/qemu', params: { vmid: 'abc' } },
    { name: 'vmid below 100', key: 'POST /nodes/{node}/qemu', params: { vmid: '99' } },
    {
      name: 'raw ssh key (not urlencoded)',
      key: 'POST /nodes/{node}/qemu',
      params: { vmid: '990', sshkeys: KEYS[0]! },
    },
    { name: 'unknown parameter', key: 'POST /nodes/{node}/qemu', params: { vmid: '991', bogus: '1' } },
    {
      name: 'bad NIC model',
      key: 'POST /nodes/{node}/qemu',
      params: { vmid: '992', net0: 'virtioo,bridge=vmbr0' },
    },
    { name: 'memory below minimum', key: 'POST /nodes/{node}/qemu', params: { vmid: '993', memory: '8' } },
    { name: 'bad enum', key: 'GET /cluster/resources', params: { type: 'vms' } },
    { name: 'bad firewall group name', key: 'POST /cluster/firewall/groups', params: { group: '1bad' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const [method, template] = c.key.split(' ') as [string, string];
      const path = template.replace('{node}', node);
      const referee = validateRequest({ method, path, params: c.params });
      expect(referee.ok).toBe(false);
      const err = (await raw
        .request(c.key, { node } as never, c.params as never, { retries: 0 })
        .catch((e: unknown) => e)) as ProxmoxApiError;
      expect(err).toBeInstanceOf(ProxmoxApiError);
      expect(err.status).toBe(400);
      if (!referee.ok) expect(Object.keys(err.errors).sort()).toEqual(Object.keys(referee.errors).sort());
    });
  }
});
