/** Cluster- and node-level endpoints: version, status, resources, nextid, nodes, network, tasks. */
import { bool, int, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, paramError } from './errors.ts';
import { guestName, liveMetrics } from './guests.ts';
import { noise } from './random.ts';
import { nodeRrd } from './rrd.ts';
import type { Task } from './state.ts';
import { storageTotals } from './storage.ts';

export const PVE_VERSION = { version: '9.2.3', release: '9.2', repoid: 'b5cf4ab85e1a6d0e' };

export function version() {
  return { ...PVE_VERSION, console: 'xtermjs' };
}

export function clusterStatus(req: RequestCtx) {
  const { world } = req.sim;
  const nodes = [...world.nodes.values()];
  const online = nodes.filter((n) => !req.sim.faults.offlineNodes.has(n.name)).length;
  const out: Record<string, unknown>[] = [];
  if (nodes.length > 1)
    out.push({
      type: 'cluster',
      id: 'cluster',
      name: world.clusterName,
      nodes: nodes.length,
      quorate: online * 2 > nodes.length ? 1 : 0,
      version: nodes.length + 2,
    });
  for (const n of nodes)
    out.push({
      type: 'node',
      id: `node/${n.name}`,
      name: n.name,
      nodeid: n.nodeid,
      ip: n.ip,
      online: req.sim.faults.offlineNodes.has(n.name) ? 0 : 1,
      local: n.nodeid === 1 ? 1 : 0,
      level: '',
    });
  return out;
}

function guestMemOf(sim: SimContext, name: string): number {
  let sum = 0;
  for (const vmid of sim.world.guestsByNode.get(name) ?? []) {
    const g = sim.world.guests.get(vmid)!;
    if (g.status === 'running') sum += liveMetrics(sim, g).mem;
  }
  return sum;
}

function nodeMetrics(sim: SimContext, name: string, guestMem = guestMemOf(sim, name)) {
  const n = sim.world.nodes.get(name)!;
  const offline = sim.faults.offlineNodes.has(name);
  const step = Math.floor(Date.now() / 60000);
  const mem = Math.min(n.maxmem, 3 * 1024 ** 3 + guestMem);
  return {
    offline,
    cpu: offline ? 0 : Number((0.03 + 0.2 * noise(sim.seed, n.nodeid, step)).toFixed(4)),
    maxcpu: n.cpus,
    mem: offline ? 0 : mem,
    maxmem: n.maxmem,
    disk: 12 * 1024 ** 3,
    maxdisk: 94 * 1024 ** 3,
    uptime: offline ? 0 : Math.floor((Date.now() - n.bootTime) / 1000),
  };
}

export function listNodes(req: RequestCtx) {
  const { sim } = req;
  return [...sim.world.nodes.values()].map((n) => {
    const m = nodeMetrics(sim, n.name);
    const e: Record<string, unknown> = {
      node: n.name,
      id: `node/${n.name}`,
      type: 'node',
      status: m.offline ? 'offline' : 'online',
      level: '',
      ssl_fingerprint: sim.certFingerprint,
    };
    if (!m.offline)
      Object.assign(e, {
        cpu: m.cpu,
        maxcpu: m.maxcpu,
        mem: m.mem,
        maxmem: m.maxmem,
        disk: m.disk,
        maxdisk: m.maxdisk,
        uptime: m.uptime,
      });
    return e;
  });
}

export function nodeStatus(req: RequestCtx) {
  const { sim } = req;
  const name = reqStr(req.params, 'node');
  const n = sim.world.nodes.get(name)!;
  const m = nodeMetrics(sim, name);
  return {
    cpu: m.cpu,
    loadavg: ['0.42', '0.37', '0.31'],
    uptime: m.uptime,
    wait: 0.0012,
    idle: 0,
    kversion: 'Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z)',
    pveversion: `pve-manager/${PVE_VERSION.version}/${PVE_VERSION.repoid}`,
    cpuinfo: {
      cpus: n.cpus,
      cores: n.cpus / 2,
      sockets: 1,
      model: 'AMD Ryzen 9 5950X 16-Core Processor',
      mhz: '3400.000',
      hvm: '1',
      flags: 'fpu vme de pse tsc msr pae mce',
      user_hz: 100,
    },
    memory: { total: n.maxmem, used: m.mem, free: n.maxmem - m.mem, available: n.maxmem - m.mem },
    swap: { total: 8 * 1024 ** 3, used: 0, free: 8 * 1024 ** 3 },
    rootfs: { total: m.maxdisk, used: m.disk, free: m.maxdisk - m.disk, avail: m.maxdisk - m.disk },
    ksm: { shared: 0 },
    'boot-info': { mode: 'efi', secureboot: 0 },
    'current-kernel': {
      sysname: 'Linux',
      release: '6.14.8-2-pve',
      version: '#1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2',
      machine: 'x86_64',
    },
  };
}

export function nodeRrdData(req: RequestCtx) {
  return nodeRrd(
    req.sim,
    reqStr(req.params, 'node'),
    reqStr(req.params, 'timeframe'),
    str(req.params, 'cf') ?? 'AVERAGE',
  );
}

export function clusterResources(req: RequestCtx) {
  const { sim } = req;
  const type = str(req.params, 'type');
  const out: Record<string, unknown>[] = [];
  const nodeMem = new Map<string, number>();
  const nodeEntries: Record<string, unknown>[] = [];
  if (!type || type === 'vm') {
    const now = Date.now();
    const offline = sim.faults.offlineNodes;
    for (const g of sim.world.guests.values()) {
      const off = offline.has(g.node);
      const m = liveMetrics(sim, g, now);
      if (g.status === 'running') nodeMem.set(g.node, (nodeMem.get(g.node) ?? 0) + m.mem);
      const r: Record<string, unknown> = {
        id: `${g.type}/${g.vmid}`,
        type: g.type,
        node: g.node,
        vmid: g.vmid,
        name: guestName(g),
        status: off ? 'unknown' : g.status,
        template: g.config.template === '1' ? 1 : 0,
        maxcpu: m.cpus,
        maxmem: m.maxmem,
        maxdisk: m.maxdisk,
        cpu: off ? 0 : m.cpu,
        mem: off ? 0 : m.mem,
        disk: m.disk,
        uptime: off ? 0 : m.uptime,
        netin: m.netin,
        netout: m.netout,
        diskread: m.diskread,
        diskwrite: m.diskwrite,
      };
      if (g.config.tags) r.tags = g.config.tags;
      if (g.lock) r.lock = g.lock;
      out.push(r);
    }
  }
  if (!type || type === 'node') {
    for (const n of sim.world.nodes.values()) {
      const m = nodeMetrics(sim, n.name, type ? undefined : (nodeMem.get(n.name) ?? 0));
      const e: Record<string, unknown> = {
        id: `node/${n.name}`,
        type: 'node',
        node: n.name,
        status: m.offline ? 'offline' : 'online',
        level: '',
        'cgroup-mode': 2,
      };
      if (!m.offline)
        Object.assign(e, {
          cpu: m.cpu,
          maxcpu: m.maxcpu,
          mem: m.mem,
          maxmem: m.maxmem,
          disk: m.disk,
          maxdisk: m.maxdisk,
          uptime: m.uptime,
        });
      nodeEntries.push(e);
    }
  }
  out.unshift(...nodeEntries);
  if (!type || type === 'storage') {
    for (const n of sim.world.nodes.values()) {
      const offline = sim.faults.offlineNodes.has(n.name);
      for (const s of sim.world.storages.values()) {
        const t = storageTotals(sim, n.name, s);
        out.push({
          id: `storage/${n.name}/${s.storage}`,
          type: 'storage',
          storage: s.storage,
          node: n.name,
          status: offline ? 'unknown' : 'available',
          plugintype: s.type,
          content: s.content.join(','),
          shared: s.shared ? 1 : 0,
          disk: t.used,
          maxdisk: t.total,
        });
      }
    }
  }
  if (!type || type === 'sdn') {
    for (const n of sim.world.nodes.values())
      for (const [zone, z] of Object.entries(sim.world.sdn.zones))
        if (z.current)
          out.push({
            id: `sdn/${n.name}/${zone}`,
            type: 'sdn',
            sdn: zone,
            node: n.name,
            status: 'ok',
            'zone-type': z.current.type,
          });
  }
  return out;
}

export function nextId(req: RequestCtx) {
  const { world } = req.sim;
  const want = int(req.params, 'vmid');
  if (want !== undefined) {
    if (world.guests.has(want)) paramError({ vmid: `VM ${want} already exists` });
    return String(want);
  }
  let id = 100;
  while (world.guests.has(id)) id++;
  return String(id);
}

export function nodeNetwork(req: RequestCtx) {
  const node = req.sim.world.nodes.get(reqStr(req.params, 'node'))!;
  const type = str(req.params, 'type');
  const ifaces: Record<string, unknown>[] = [
    {
      iface: 'eno1',
      type: 'eth',
      method: 'manual',
      method6: 'manual',
      active: 1,
      exists: 1,
      autostart: 0,
      families: ['inet'],
      priority: 3,
    },
    {
      iface: 'eno2',
      type: 'eth',
      method: 'manual',
      method6: 'manual',
      active: 1,
      exists: 1,
      autostart: 0,
      families: ['inet'],
      priority: 4,
    },
    {
      iface: 'vmbr0',
      type: 'bridge',
      method: 'static',
      method6: 'manual',
      active: 1,
      autostart: 1,
      families: ['inet'],
      address: node.ip,
      netmask: '24',
      cidr: `${node.ip}/24`,
      gateway: '192.0.2.1',
      bridge_ports: 'eno1',
      bridge_stp: 'off',
      bridge_fd: '0',
      priority: 5,
    },
    {
      iface: 'vmbr1',
      type: 'bridge',
      method: 'manual',
      method6: 'manual',
      active: 1,
      autostart: 1,
      families: ['inet'],
      bridge_ports: 'eno2',
      bridge_stp: 'off',
      bridge_fd: '0',
      bridge_vlan_aware: 1,
      bridge_vids: '2-4094',
      comments: 'guest VLANs\n',
      priority: 6,
    },
  ];
  for (const [vnet, v] of Object.entries(req.sim.world.sdn.vnets))
    if (v.current)
      ifaces.push({
        iface: vnet,
        type: 'vnet',
        method: 'manual',
        method6: 'manual',
        active: 1,
        autostart: 1,
        families: ['inet'],
        priority: 10,
      });
  if (!type || type === 'any') return ifaces;
  if (type === 'any_bridge') return ifaces.filter((i) => i.type === 'bridge' || i.type === 'vnet');
  return ifaces.filter((i) => i.type === type);
}

// --- tasks ----------------------------------------------------------------------------------------

function taskEntry(t: Task) {
  const e: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
  };
  if (t.status === 'stopped') {
    e.status = t.exitstatus;
    e.endtime = t.endtime;
  }
  return e;
}

export function listTasks(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const all = sim.world.tasksByNode.get(node) ?? [];
  const vmid = str(params, 'vmid');
  const typefilter = str(params, 'typefilter');
  const userfilter = str(params, 'userfilter');
  const errors = bool(params, 'errors');
  const source = str(params, 'source') ?? 'archive';
  const statusfilter = str(params, 'statusfilter')?.split(/[,;\s]+/);
  const since = int(params, 'since');
  const until = int(params, 'until');
  const start = int(params, 'start') ?? 0;
  const limit = int(params, 'limit') ?? 50;
  const out: Record<string, unknown>[] = [];
  let skipped = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const t = all[i]!;
    if (source === 'archive' && t.status === 'running') continue;
    if (source === 'active' && t.status !== 'running') continue;
    if (vmid && t.id !== vmid) continue;
    if (typefilter && t.type !== typefilter) continue;
    if (userfilter && !t.user.includes(userfilter)) continue;
    if (errors && (t.status === 'running' || t.exitstatus === 'OK')) continue;
    if (since !== undefined && t.starttime < since) continue;
    if (until !== undefined && t.starttime > until) continue;
    if (statusfilter) {
      const kind =
        t.status === 'running'
          ? 'running'
          : t.exitstatus === 'OK'
            ? 'ok'
            : /^WARNINGS/.test(t.exitstatus ?? '')
              ? 'warning'
              : 'error';
      if (!statusfilter.includes(kind)) continue;
    }
    if (skipped < start) {
      skipped++;
      continue;
    }
    out.push(taskEntry(t));
    if (out.length >= limit) break;
  }
  return out;
}

function getTask(req: RequestCtx): Task {
  const upid = reqStr(req.params, 'upid');
  const t = req.sim.world.tasks.get(upid);
  if (!t || t.node !== reqStr(req.params, 'node')) {
    if (!/^UPID:/.test(upid)) paramError({ upid: 'unable to parse worker upid' });
    die(`no such task`);
  }
  return t!;
}

export function taskStatus(req: RequestCtx) {
  const t = getTask(req);
  const e: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    status: t.status,
  };
  if (t.user.includes('!')) e.tokenid = t.user.split('!')[1];
  if (t.status === 'stopped') e.exitstatus = t.exitstatus;
  return e;
}

export function taskLog(req: RequestCtx) {
  const t = getTask(req);
  const start = int(req.params, 'start') ?? 0;
  const limit = int(req.params, 'limit') ?? 50;
  if (t.log.length === 0) return [{ n: 1, t: 'no content' }];
  return t.log.slice(start, limit === 0 ? undefined : start + limit);
}

export function taskStop(req: RequestCtx) {
  const t = getTask(req);
  if (t.status === 'running') req.sim.tasks.complete(t.upid, 'unexpected status');
  return null;
}

export function taskIndex(req: RequestCtx) {
  getTask(req);
  return [{ name: 'log' }, { name: 'status' }];
}

/** Every privilege of PVE 9 (the simulator's root user and token hold all of them). */
export const PVE_PRIVILEGES = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];

/**
 * GET /access/permissions: path → {privilege: propagate}. Everything is granted on `/`, except the
 * privileges a test withholds (`faults.withholdPrivilege`).
 */
export function accessPermissions(req: RequestCtx) {
  const userid = str(req.params, 'userid');
  if (userid && userid !== 'root@pam' && userid !== req.user && userid !== req.user.split('!')[0])
    die(`no such user ('${userid}')`);
  const withheld = req.sim.faults.withheldPrivileges;
  const all = Object.fromEntries(PVE_PRIVILEGES.filter((p) => !withheld.has(p)).map((p) => [p, 1]));
  const path = str(req.params, 'path');
  return path ? { [path]: all } : { '/': all };
}
