/**
 * QEMU VMs and LXC containers: list, create, clone, config (async POST / sync PUT), status and
 * the start/stop/shutdown/reboot state machine with locks, delete, resize, snapshots, template,
 * unlink, guest-agent/interfaces IPs. Messages follow qemu-server / pve-container wording.
 */

import { createHash } from 'node:crypto';
import {
  getSchema,
  lookupParam,
  type ParamSchema,
  parsePropertyString,
  parseVolumeId,
} from '@proxicloud/pve-schema';
import { bool, int, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, PveError, paramError } from './errors.ts';
import { recordCloudinitDrive } from './guest-files.ts';
import { ipBatch } from './guest-routes.ts';
import { forcedCpu } from './load.ts';
import { noise } from './random.ts';
import { virtualSizeOf } from './seed.ts';
import { type Guest, type GuestType, SIZES } from './state.ts';
import {
  allocVolume,
  bytesToSizeText,
  datasetOf,
  findVolume,
  freeVolume,
  getStorage,
  listVolumes,
  parseDiskSizeGiB,
  resizeVolume,
} from './storage.ts';
import { isRestore, restoreGuest } from './vzdump.ts';

const { GiB, MiB } = SIZES;
export const label = (t: GuestType) => (t === 'qemu' ? 'VM' : 'CT');
const confDir = (t: GuestType) => (t === 'qemu' ? 'qemu-server' : 'lxc');

const QEMU_DISK_RE = /^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$/;
const LXC_DISK_RE = /^(rootfs|mp\d+)$/;
export const isDiskKey = (t: GuestType, k: string) => (t === 'qemu' ? QEMU_DISK_RE : LXC_DISK_RE).test(k);

/** Parameters of create/config calls that are not stored in the guest config. */
const NON_CONFIG = new Set([
  'node',
  'vmid',
  'start',
  'storage',
  'pool',
  'force',
  'unique',
  'archive',
  'live-restore',
  'bwlimit',
  'import-working-storage',
  'digest',
  'delete',
  'revert',
  'skiplock',
  'background_delay',
  'password',
  'ssh-public-keys',
  'restore',
  'ignore-unpack-errors',
  'ha-managed',
]);

// --- schema helpers -----------------------------------------------------------------------------

function createProps(t: GuestType): Record<string, ParamSchema> {
  return getSchema().paths[`/nodes/{node}/${t}`]!.POST!.parameters.properties;
}
function configProps(t: GuestType): Record<string, ParamSchema> {
  return getSchema().paths[`/nodes/{node}/${t}/{vmid}/config`]!.PUT!.parameters.properties;
}
function formatOf(t: GuestType, key: string): Record<string, ParamSchema> | undefined {
  const f = lookupParam(configProps(t), key)?.format ?? lookupParam(createProps(t), key)?.format;
  return f && typeof f === 'object' ? f : undefined;
}

/** PVE's print_property_string: default key first, then required keys, then the rest sorted. */
export function printPropertyString(
  format: Record<string, ParamSchema>,
  obj: Record<string, string>,
): string {
  const parts: string[] = [];
  const done = new Set<string>();
  const dk = Object.keys(format).find((k) => format[k]!.default_key);
  // qemu net: model=mac is printed as `virtio=BC:24:…`
  if (obj.model && obj.macaddr && format[obj.model]?.keyAlias === 'model') {
    parts.push(`${obj.model}=${obj.macaddr}`);
    done.add('model').add('macaddr');
  } else if (dk && obj[dk] !== undefined) {
    parts.push(obj[dk]!);
    done.add(dk);
  }
  const keys = Object.keys(obj).filter((k) => !done.has(k));
  const required = keys.filter((k) => format[k] && !format[k]!.optional).sort();
  const rest = keys.filter((k) => !required.includes(k)).sort();
  for (const k of [...required, ...rest]) parts.push(`${k}=${obj[k]}`);
  return parts.join(',');
}

function parseProp(t: GuestType, key: string, value: string): Record<string, string> {
  const f = formatOf(t, key);
  if (!f) return {};
  return parsePropertyString(f, value, key);
}

/** Config as PVE returns it: numbers/booleans typed from the schema, property strings as text. */
export function typedConfig(t: GuestType, config: Record<string, string>): Record<string, string | number> {
  const props = configProps(t);
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(config)) {
    const type = lookupParam(props, k)?.type;
    out[k] =
      (type === 'integer' || type === 'number' || type === 'boolean') && /^-?\d+(\.\d+)?$/.test(v)
        ? Number(v)
        : v;
  }
  return out;
}

export function configDigest(config: Record<string, string>): string {
  const text = Object.keys(config)
    .sort()
    .map((k) => `${k}: ${config[k]}`)
    .join('\n');
  return createHash('sha1').update(text).digest('hex');
}

// --- lookup / checks ----------------------------------------------------------------------------

export function getGuest(sim: SimContext, node: string, vmid: number, t: GuestType): Guest {
  const g = sim.world.guests.get(vmid);
  if (!g || g.node !== node || g.type !== t)
    die(`Configuration file 'nodes/${node}/${confDir(t)}/${vmid}.conf' does not exist`);
  return g!;
}
function checkLock(g: Guest, skiplock = false): void {
  if (g.lock && !skiplock) die(`${label(g.type)} is locked (${g.lock})`);
}
function checkNotTemplate(g: Guest, what: string): void {
  if (g.config.template === '1') die(`${what}`);
}

/** Disk entries of a guest: config key → volid and parsed options. */
export function guestDisks(g: Guest): { key: string; volid: string; opts: Record<string, string> }[] {
  const out = [];
  for (const [k, v] of Object.entries(g.config)) {
    if (!isDiskKey(g.type, k) && !/^unused\d+$/.test(k)) continue;
    const volid = v.split(',')[0]!;
    if (!volid.includes(':')) continue;
    if (/media=cdrom/.test(v)) continue;
    let opts: Record<string, string> = {};
    try {
      opts = /^unused/.test(k) ? { file: volid } : parseProp(g.type, k, v);
    } catch {
      opts = {};
    }
    out.push({ key: k, volid, opts });
  }
  return out;
}

function isCloudinit(volid: string) {
  return /(^|[:/])vm-\d+-cloudinit(\.qcow2|\.raw)?$/.test(volid);
}

// --- metrics ------------------------------------------------------------------------------------

export function maxmemOf(g: Guest): number {
  const m = /^(?:current=)?(\d+)/.exec(g.config.memory ?? '');
  return (m ? Number(m[1]) : 512) * MiB;
}
export function cpusOf(g: Guest): number {
  const cores = Number(g.config.cores ?? 1);
  return g.type === 'qemu' ? cores * Number(g.config.sockets ?? 1) : cores;
}
export function maxdiskOf(g: Guest): number {
  const key =
    g.type === 'lxc'
      ? 'rootfs'
      : (/order=([a-z]+\d+)/.exec(g.config.boot ?? '')?.[1] ??
        Object.keys(g.config).find((k) => QEMU_DISK_RE.test(k) && !/media=cdrom/.test(g.config[k]!)));
  const v = key ? g.config[key] : undefined;
  const m = v ? /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT]?)/.exec(v) : null;
  if (!m) return 0;
  const mult = { '': 1, K: 1024, M: MiB, G: GiB, T: 1024 * GiB }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * mult);
}

interface StaticMetrics {
  rev: number;
  maxmem: number;
  maxdisk: number;
  cpus: number;
  base: number;
  memShare: number;
  rate: number;
  diskShare: number;
}
const staticCache = new WeakMap<Guest, StaticMetrics>();

/** Config-derived sizes, cached until the world changes (every config mutation touches it). */
function staticMetrics(sim: SimContext, g: Guest): StaticMetrics {
  const rev = sim.world.revision;
  let m = staticCache.get(g);
  if (m && m.rev === rev) return m;
  m = {
    rev,
    maxmem: maxmemOf(g),
    maxdisk: maxdiskOf(g),
    cpus: cpusOf(g),
    base: 0.03 + 0.25 * noise(sim.seed, g.vmid, 0),
    memShare: 0.25 + 0.35 * noise(sim.seed, g.vmid, 1),
    rate: 2000 + 50000 * noise(sim.seed, g.vmid, 2),
    diskShare: 0.1 + 0.3 * noise(sim.seed, g.vmid, 3),
  };
  staticCache.set(g, m);
  return m;
}

/** Live values for a guest (deterministic in seed, vmid and the current minute). */
export function liveMetrics(sim: SimContext, g: Guest, now = Date.now()) {
  const s = staticMetrics(sim, g);
  const { maxmem, maxdisk, cpus } = s;
  if (g.status !== 'running' || !g.startedAt)
    return {
      cpu: 0,
      mem: 0,
      maxmem,
      disk: 0,
      maxdisk,
      cpus,
      uptime: 0,
      netin: 0,
      netout: 0,
      diskread: 0,
      diskwrite: 0,
    };
  const uptime = Math.max(0, Math.floor((now - g.startedAt) / 1000));
  const step = Math.floor(now / 60000);
  const a = noise(sim.seed, g.vmid, step);
  const cpu = forcedCpu(g) ?? Math.min(1, s.base * (0.6 + 0.8 * a));
  const mem = Math.floor(maxmem * (s.memShare + 0.1 * a));
  const rate = s.rate;
  return {
    cpu: Math.round(cpu * 10000) / 10000,
    mem,
    maxmem,
    disk: g.type === 'lxc' ? Math.floor(maxdisk * s.diskShare) : 0,
    maxdisk,
    cpus,
    uptime,
    netin: Math.floor(uptime * rate),
    netout: Math.floor(uptime * rate * 0.4),
    diskread: Math.floor(uptime * rate * 3),
    diskwrite: Math.floor(uptime * rate * 1.5),
  };
}

export function guestName(g: Guest): string {
  return g.type === 'qemu' ? (g.config.name ?? `VM ${g.vmid}`) : (g.config.hostname ?? `CT${g.vmid}`);
}

export function listEntry(sim: SimContext, g: Guest) {
  const m = liveMetrics(sim, g);
  const e: Record<string, unknown> = {
    vmid: g.vmid,
    name: guestName(g),
    status: g.status,
    ...m,
  };
  if (g.type === 'lxc') e.type = 'lxc';
  if (g.config.template === '1') e.template = 1;
  if (g.config.tags) e.tags = g.config.tags;
  if (g.lock) e.lock = g.lock;
  if (g.status === 'running') e.pid = 10000 + (g.vmid % 50000);
  return e;
}

export function listGuests(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim } = req;
    const node = reqStr(req.params, 'node');
    const out = [];
    for (const vmid of sim.world.guestsByNode.get(node) ?? []) {
      const g = sim.world.guests.get(vmid)!;
      if (g.type === t) out.push(listEntry(sim, g));
    }
    return out;
  };
}

export function statusCurrent(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params } = req;
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    const e = listEntry(sim, g);
    const out: Record<string, unknown> = { ...e, ha: { managed: 0 } };
    if (t === 'qemu') {
      out.qmpstatus = g.status;
      out.agent = /^(enabled=)?1/.test(g.config.agent ?? '') ? 1 : 0;
      if (g.status === 'running') {
        out['running-machine'] = 'pc-i440fx-9.2+pve1';
        out['running-qemu'] = '9.2.0';
      }
    }
    return out;
  };
}

// --- config handling ----------------------------------------------------------------------------

interface DiskPlan {
  key: string;
  kind: 'alloc' | 'import' | 'cloudinit' | 'existing';
  storage?: string;
  size?: number;
  source?: string;
  opts: Record<string, string>;
}

const ALLOC_RE = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$/i;

/** Checks one disk value before the task runs; returns what must happen to it. */
function planDisk(
  sim: SimContext,
  node: string,
  t: GuestType,
  key: string,
  value: string,
  vmid: number,
): DiskPlan {
  const opts = parseProp(t, key, value);
  const file = t === 'qemu' ? opts.file : opts.volume;
  if (!file) return { key, kind: 'existing', opts };
  const alloc = ALLOC_RE.exec(file);
  if (alloc) {
    const storage = alloc[1]!;
    const s = getStorage(sim, storage);
    const content = t === 'lxc' ? 'rootdir' : 'images';
    if (!s.content.includes(content))
      die(`storage '${storage}' does not support ${t === 'lxc' ? 'container directories' : 'vm images'}`);
    const imp = opts['import-from'];
    if (imp) {
      const src = findVolume(sim, node, imp);
      if (!src) die(`volume '${imp}' does not exist`);
      // qemu-server imports only from disk images: `images` content, or `import` since PVE 8.3 (older
      // releases word it "… - not an image"; the wording for 8.3+ is our best reading, not verified)
      if (src!.content !== 'images' && src!.content !== 'import')
        paramError({ [key]: `${imp} has wrong type '${src!.content}' - needs to be 'images' or 'import'` });
      return { key, kind: 'import', storage, source: imp, size: virtualSizeOf(imp, src!.size), opts };
    }
    const size = parseDiskSizeGiB(alloc[2]!)!;
    if (size === 0 && t === 'qemu') die(`unable to create disk '${key}' - size must be > 0`);
    return { key, kind: 'alloc', storage, size: size || 4 * GiB, opts };
  }
  const ci = /^([a-z][a-z0-9\-_.]*[a-z0-9]):cloudinit$/i.exec(file);
  if (ci && t === 'qemu') {
    getStorage(sim, ci[1]!);
    return { key, kind: 'cloudinit', storage: ci[1]!, opts };
  }
  if (file === 'none' || file === 'cdrom' || file.startsWith('/')) return { key, kind: 'existing', opts };
  const vol = findVolume(sim, node, file);
  if (!vol) die(`volume '${file}' does not exist`);
  const owner = parseVolumeId(file).name.match(/(?:vm|base|subvol)-(\d+)-/);
  if (
    owner &&
    Number(owner[1]) !== vmid &&
    !/^base-/.test(parseVolumeId(file).name) &&
    vol!.content !== 'iso'
  )
    die(`volume '${file}' does not belong to ${label(t)} ${vmid}`);
  return { key, kind: 'existing', opts };
}

/** Executes disk plans (inside a task); returns the final config values; records allocations. */
function applyDiskPlans(
  sim: SimContext,
  node: string,
  t: GuestType,
  vmid: number,
  plans: DiskPlan[],
  allocated: string[],
  log: (l: string) => void,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of plans) {
    if (p.kind === 'existing') continue;
    const f = formatOf(t, p.key)!;
    const opts = { ...p.opts };
    delete opts['import-from'];
    let volid: string;
    if (p.kind === 'cloudinit') {
      const s = getStorage(sim, p.storage!);
      volid = allocVolume(sim, node, p.storage!, vmid, 4 * MiB, {
        content: 'images',
        name: s.type === 'dir' ? `vm-${vmid}-cloudinit.qcow2` : `vm-${vmid}-cloudinit`,
      });
      allocated.push(volid);
      opts.file = volid;
      opts.media = 'cdrom';
      log(`${p.key}: successfully created disk '${volid},media=cdrom'`);
    } else {
      volid = allocVolume(sim, node, p.storage!, vmid, p.size!, {
        content: t === 'lxc' ? 'rootdir' : 'images',
        initialUsed: t === 'lxc' ? 600 * MiB : undefined,
      });
      allocated.push(volid);
      if (p.kind === 'import') log(`importing disk '${p.source}' to VM ${vmid} ...`);
      if (t === 'qemu') opts.file = volid;
      else opts.volume = volid;
      opts.size = bytesToSizeText(p.size!);
      log(`${p.key}: successfully created disk '${volid},size=${opts.size}'`);
    }
    out[p.key] = printPropertyString(f, opts);
  }
  return out;
}

function normalizeNet(sim: SimContext, t: GuestType, key: string, value: string): string {
  const f = formatOf(t, key)!;
  const o = parsePropertyString(f, value, key);
  if (t === 'qemu') {
    o.macaddr ??= sim.world.nextMac();
  } else {
    o.hwaddr ??= sim.world.nextMac();
    o.type ??= 'veth';
  }
  return printPropertyString(f, o);
}

function checkBridges(sim: SimContext, g: Guest): void {
  for (const [k, v] of Object.entries(g.config)) {
    if (!/^net\d+$/.test(k)) continue;
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(v)?.[1];
    if (!bridge) continue;
    const vnetApplied = sim.world.sdn.vnets[bridge]?.current !== undefined;
    if (bridge !== 'vmbr0' && bridge !== 'vmbr1' && !vnetApplied)
      throw new Error(`bridge '${bridge}' does not exist`);
  }
}

/**
 * PVE (check_ct_modify_config_perm): only root@pam may set container feature flags other than
 * `nesting` (API tokens, even root@pam's, may not).
 */
function checkFeaturePerm(features: string | undefined, user: string): void {
  if (!features || user === 'root@pam') return;
  for (const part of features.split(',')) {
    const [k, v] = part.split('=');
    const off = ['0', 'no', 'off', 'false'].includes((v ?? '').trim().toLowerCase());
    if (k && k.trim() !== 'nesting' && !off)
      throw new PveError(
        403,
        'Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)',
      );
  }
}

// --- create -------------------------------------------------------------------------------------

export function createGuest(t: GuestType) {
  return (req: RequestCtx) => {
    if (isRestore(t, req.params)) return restoreGuest(t, req);
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const existing = sim.world.guests.get(vmid);
    if (existing) die(`${label(t)} ${vmid} already exists on node '${existing.node}'`);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      if (NON_CONFIG.has(k) || v === null || v === undefined) continue;
      config[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    }
    if (t === 'lxc') {
      const tmpl = reqStr(params, 'ostemplate');
      delete config.ostemplate;
      checkFeaturePerm(config.features, user);
      const tv = findVolume(sim, node, tmpl);
      if (tv?.content !== 'vztmpl') die(`volume '${tmpl}' does not exist`);
      config.rootfs ??= `${str(params, 'storage') ?? 'local'}:4`;
      config.arch ??= 'amd64';
      config.ostype ??= /ubuntu/.test(tmpl) ? 'ubuntu' : /alpine/.test(tmpl) ? 'alpine' : 'debian';
      config.hostname ??= `CT${vmid}`;
      config.memory ??= '512';
      config.swap ??= '512';
    } else {
      config.smbios1 ??= `uuid=${sim.rng.uuid()}`;
      config.vmgenid ??= sim.rng.uuid();
      config.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
    }
    const plans: DiskPlan[] = [];
    for (const [k, v] of Object.entries(config))
      if (isDiskKey(t, k)) plans.push(planDisk(sim, node, t, k, v, vmid));
    for (const [k, v] of Object.entries(config))
      if (/^net\d+$/.test(k)) config[k] = normalizeNet(sim, t, k, v);
    const start = bool(params, 'start');
    const g: Guest = {
      vmid,
      type: t,
      node,
      config: { ...config },
      status: 'stopped',
      lock: 'create',
      snapshots: {},
      firewall: { rules: [], options: {} },
    };
    sim.world.addGuest(g);
    const allocated: string[] = [];
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmcreate' : 'vzcreate',
      id: String(vmid),
      user,
      startLog:
        t === 'lxc'
          ? [`extracting archive '/var/lib/vz/template/cache/${str(params, 'ostemplate')!.split('/').pop()}'`]
          : [],
      work: (ctx) => {
        const disks = applyDiskPlans(sim, node, t, vmid, plans, allocated, ctx.log);
        Object.assign(g.config, disks);
        if (t === 'lxc') {
          ctx.log('Total bytes read: 536870912 (512MiB, 1.5GiB/s)');
          ctx.log('Detected container architecture: amd64');
          if (str(params, 'ssh-public-keys')) ctx.log('Setting up SSH keys');
          ctx.log("Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...");
        }
        delete g.lock;
        sim.world.touch();
        if (start) {
          checkBridges(sim, g);
          g.status = 'running';
          g.startedAt = Date.now();
          g.ip ??= sim.world.nextGuestIp();
          ctx.log(`start ${t === 'qemu' ? 'VM' : 'CT'} ${vmid}`);
        }
      },
      onFail: () => {
        for (const v of allocated) freeVolume(sim, node, v);
        sim.world.removeGuest(vmid);
      },
    });
  };
}

// --- config GET / POST / PUT --------------------------------------------------------------------

export function getConfig(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params } = req;
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    const snapname = str(params, 'snapshot');
    let config = g.config;
    if (snapname) {
      const s = g.snapshots[snapname];
      if (!s) die(`snapshot '${snapname}' does not exist`);
      config = s!.config;
    }
    const out: Record<string, unknown> = typedConfig(t, config);
    if (g.lock && !snapname) out.lock = g.lock;
    if (g.parent && !snapname) out.parent = g.parent;
    out.digest = configDigest(g.config);
    return out;
  };
}

function applyConfigChange(
  req: RequestCtx,
  t: GuestType,
  g: Guest,
  log: (l: string) => void,
  allocated: string[],
  plans: DiskPlan[],
) {
  const { sim, params } = req;
  const del = str(params, 'delete');
  if (del) {
    for (const key of del.split(/[,;\s]+/).filter(Boolean)) {
      const old = g.config[key];
      if (old === undefined) continue;
      if (
        isDiskKey(t, key) &&
        !/media=cdrom/.test(old) &&
        old.split(',')[0]!.includes(':') &&
        !isCloudinit(old.split(',')[0]!)
      ) {
        // detached disks become unusedN
        let i = 0;
        while (g.config[`unused${i}`] !== undefined) i++;
        g.config[`unused${i}`] = old.split(',')[0]!;
      } else if (/^unused\d+$/.test(key) || isCloudinit(old.split(',')[0]!)) {
        freeVolume(sim, g.node, old.split(',')[0]!);
      }
      delete g.config[key];
      // an unplugged disk is no longer mounted in the guest
      if (g.guestAgent?.mounts?.[key]) delete g.guestAgent.mounts[key];
    }
  }
  const disks = applyDiskPlans(sim, g.node, t, g.vmid, plans, allocated, log);
  for (const [k, v] of Object.entries(params)) {
    if (NON_CONFIG.has(k) || v === null || v === undefined) continue;
    let val = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    if (disks[k]) val = disks[k]!;
    else if (/^net\d+$/.test(k)) val = normalizeNet(sim, t, k, val);
    else if (isDiskKey(t, k) && g.config[k] && g.config[k]!.split(',')[0] === val.split(',')[0]) {
      // changing options of an existing disk keeps its size
      const size = /(?:^|,)size=([^,]+)/.exec(g.config[k]!)?.[1];
      if (size && !/size=/.test(val)) val = `${val},size=${size}`;
    }
    g.config[k] = val;
  }
  sim.world.touch();
}

function prepareConfigChange(req: RequestCtx, t: GuestType): { g: Guest; plans: DiskPlan[] } {
  const { sim, params } = req;
  const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
  checkLock(g, bool(params, 'skiplock'));
  if (t === 'lxc') checkFeaturePerm(str(params, 'features'), req.user);
  const digest = str(params, 'digest');
  if (digest && digest !== configDigest(g.config))
    die('detected modified configuration - file changed by other user? Try again.');
  const del = str(params, 'delete');
  if (del) {
    for (const key of del.split(/[,;\s]+/).filter(Boolean)) {
      if (params[key] !== undefined) paramError({ delete: `unable to delete parameter '${key}' - also set` });
      if (t === 'lxc' && key === 'rootfs')
        paramError({ delete: "unable to delete required option 'rootfs'" });
    }
  }
  const plans: DiskPlan[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (!isDiskKey(t, k) || v === null || v === undefined) continue;
    const p = planDisk(sim, g.node, t, k, String(v), g.vmid);
    if (p.kind !== 'existing' && g.config[k] && !/media=cdrom/.test(g.config[k]!) && p.kind !== 'cloudinit') {
      // PVE moves the old disk to unused first
      let i = 0;
      while (g.config[`unused${i}`] !== undefined) i++;
      g.config[`unused${i}`] = g.config[k]!.split(',')[0]!;
    }
    plans.push(p);
  }
  return { g, plans };
}

/** PUT …/config: synchronous, returns null. */
export function putConfig(t: GuestType) {
  return (req: RequestCtx) => {
    const { g, plans } = prepareConfigChange(req, t);
    const allocated: string[] = [];
    try {
      applyConfigChange(req, t, g, () => {}, allocated, plans);
    } catch (e) {
      for (const v of allocated) freeVolume(req.sim, g.node, v);
      throw e;
    }
    return null;
  };
}

/** POST …/qemu/{vmid}/config: asynchronous (qmconfig task), returns a UPID. */
export function postConfig(req: RequestCtx) {
  const { sim, user } = req;
  const { g, plans } = prepareConfigChange(req, 'qemu');
  const allocated: string[] = [];
  return sim.tasks.start({
    node: g.node,
    type: 'qmconfig',
    id: String(g.vmid),
    user,
    work: (ctx) => {
      for (const [k, v] of Object.entries(req.params))
        if (!NON_CONFIG.has(k))
          ctx.log(`update VM ${g.vmid}: -${k} ${k === 'cipassword' ? '<hidden>' : String(v)}`);
      applyConfigChange(req, 'qemu', g, ctx.log, allocated, plans);
    },
    onFail: () => {
      for (const v of allocated) freeVolume(sim, g.node, v);
    },
  });
}

// --- status transitions -------------------------------------------------------------------------

type Action = 'start' | 'stop' | 'shutdown' | 'reboot' | 'suspend' | 'resume';

export function statusAction(t: GuestType, action: Action) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const g = getGuest(sim, node, vmid, t);
    const L = label(t);
    const skiplock = bool(params, 'skiplock');
    // Where PVE checks: qemu-server's vm_start/vm_stop check template, lock and state inside the
    // worker (the API answers a UPID and the task fails); reboot and all LXC calls check the
    // state before forking (HTTP 500); pve-container checks locks inside the worker.
    let taskError: string | undefined;
    const lockError = () => (g.lock && !skiplock ? `${L} is locked (${g.lock})` : undefined);
    if (action === 'start') {
      if (t === 'lxc' && g.status === 'running') die(`CT ${vmid} already running`);
      taskError =
        (g.config.template === '1'
          ? t === 'qemu'
            ? "you can't start a vm if it's a template"
            : "you can't start a CT if it's a template"
          : undefined) ??
        lockError() ??
        (g.status === 'running' ? `VM ${vmid} already running` : undefined);
    } else if (action === 'stop' || action === 'shutdown') {
      if (t === 'lxc' && g.status !== 'running') die(`CT ${vmid} not running`);
      taskError = g.lock === 'backup' && action === 'stop' ? undefined : lockError();
    } else {
      if (g.status !== 'running') die(`${L} ${vmid} not running`);
      taskError = lockError();
    }
    const prefix = t === 'qemu' ? 'qm' : 'vz';
    const type = `${prefix}${action}`;
    return sim.tasks.start({
      node,
      type,
      id: String(vmid),
      user,
      // a refused request fails right away, as the worker dies before doing anything
      ...(taskError ? { durationMs: 0 } : {}),
      work: (ctx) => {
        if (taskError) throw new Error(taskError);
        if (action === 'start') {
          checkBridges(sim, g);
          for (const d of guestDisks(g)) {
            if (/^unused/.test(d.key) || isCloudinit(d.volid)) continue;
            if (!findVolume(sim, node, d.volid)) throw new Error(`volume '${d.volid}' does not exist`);
          }
          if (t === 'qemu' && g.config.cicustom) checkCicustom(sim, node, g.config.cicustom);
          g.status = 'running';
          g.startedAt = Date.now();
          g.ip ??= sim.world.nextGuestIp();
          if (t === 'qemu') ctx.log(`generating cloud-init ISO`);
          if (t === 'qemu') recordCloudinitDrive(sim, node, g);
        } else if (action === 'stop' || action === 'shutdown') {
          if (g.status !== 'running') return; // qemu: nothing to do for a stopped VM
          if (action === 'shutdown') ctx.log(`shutting down ${L} ${vmid}`);
          g.status = 'stopped';
          g.guestRoutes = undefined;
          delete g.startedAt;
          if (g.guestAgent?.mounts) g.guestAgent.mounts = {}; // nothing stays mounted in a powered-off guest
        } else if (action === 'reboot') {
          g.startedAt = Date.now();
          g.guestRoutes = undefined; // routes set at run time live in the guest's kernel only
        }
        sim.world.touch();
      },
    });
  };
}

// --- delete -------------------------------------------------------------------------------------

export function deleteGuest(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const g = getGuest(sim, node, vmid, t);
    checkLock(g, bool(params, 'skiplock'));
    if (g.config.protection === '1') die(`can't remove ${label(t)} ${vmid} - protection mode enabled`);
    if (g.status === 'running' && !(t === 'lxc' && bool(params, 'force')))
      die(`${label(t)} ${vmid} is running - destroy failed`);
    const purge = bool(params, 'purge');
    const unreferenced = bool(params, 'destroy-unreferenced-disks', true);
    g.lock = 'destroyed';
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmdestroy' : 'vzdestroy',
      id: String(vmid),
      user,
      work: (ctx) => {
        const vols = new Set(guestDisks(g).map((d) => d.volid));
        for (const snap of Object.values(g.snapshots))
          for (const [k, v] of Object.entries(snap.config))
            if (isDiskKey(t, k) && v.split(',')[0]!.includes(':') && !/media=cdrom/.test(v))
              vols.add(v.split(',')[0]!);
        if (unreferenced)
          for (const s of sim.world.storages.values())
            for (const v of listVolumes(sim, node, s))
              if (v.vmid === vmid && (v.content === 'images' || v.content === 'rootdir')) vols.add(v.volid);
        for (const volid of vols) {
          const v = findVolume(sim, node, volid);
          if (!v || v.content === 'iso') continue;
          if (/^[^:]+:base-/.test(volid) && v.vmid !== vmid) continue;
          freeVolume(sim, node, volid);
          ctx.log(`Removed volume '${volid}'`);
        }
        sim.world.removeGuest(vmid);
        if (purge) {
          for (const job of sim.world.backupJobs.values()) {
            if (typeof job.vmid === 'string') {
              const ids = job.vmid.split(',').filter((x) => x !== String(vmid));
              job.vmid = ids.join(',');
            }
          }
          ctx.log(`purging ${label(t)} ${vmid} from related configurations..`);
        }
      },
      onFail: () => {
        delete g.lock;
      },
    });
  };
}

// --- resize -------------------------------------------------------------------------------------

export function resizeGuest(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const g = getGuest(sim, node, vmid, t);
    checkLock(g, bool(params, 'skiplock'));
    const disk = reqStr(params, 'disk');
    const value = g.config[disk];
    if (!value || !isDiskKey(t, disk)) die(`disk '${disk}' does not exist`);
    if (/media=cdrom/.test(value!) || isCloudinit(value!.split(',')[0]!)) die(`you can't resize a cdrom`);
    const sizeText = reqStr(params, 'size');
    const m = /^(\+?)(\d+(?:\.\d+)?)([KMGT]?)$/.exec(sizeText)!;
    const mult = { '': 1, K: 1024, M: MiB, G: GiB, T: 1024 * GiB }[m[3] as '' | 'K' | 'M' | 'G' | 'T'];
    const volid = value!.split(',')[0]!;
    const vol = findVolume(sim, node, volid);
    if (!vol) die(`volume '${volid}' does not exist`);
    const cur = vol!.size;
    const newSize = m[1] ? cur + Math.round(Number(m[2]) * mult) : Math.round(Number(m[2]) * mult);
    if (newSize < cur) die(`shrinking disks is not supported`);
    const digest = str(params, 'digest');
    if (digest && digest !== configDigest(g.config))
      die('detected modified configuration - file changed by other user? Try again.');
    return sim.tasks.start({
      node,
      type: 'resize',
      id: String(vmid),
      user,
      work: (ctx) => {
        if (newSize === cur) return;
        resizeVolume(sim, node, volid, newSize);
        const f = formatOf(t, disk)!;
        const o = parsePropertyString(f, g.config[disk]!, disk);
        o.size = bytesToSizeText(newSize);
        g.config[disk] = printPropertyString(f, o);
        ctx.log(`Image resized.`);
        sim.world.touch();
      },
    });
  };
}

// --- clone --------------------------------------------------------------------------------------

export function cloneGuest(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const src = getGuest(sim, node, vmid, t);
    const newid = Number(reqStr(params, 'newid'));
    const other = sim.world.guests.get(newid);
    if (other) die(`unable to create ${label(t)} ${newid}: config file already exists`);
    const isTemplate = src.config.template === '1';
    const full = params.full === undefined ? !isTemplate : bool(params, 'full');
    if (!full && !isTemplate) die('linked clone feature is only available for templates');
    const snapname = str(params, 'snapname');
    if (snapname && !src.snapshots[snapname]) die(`snapshot '${snapname}' does not exist`);
    const storage = str(params, 'storage');
    if (storage && !full) paramError({ storage: 'option is only allowed for full clones' });
    if (storage) getStorage(sim, storage);
    const target = str(params, 'target') ?? node;
    if (!sim.world.nodes.has(target)) die(`no such cluster node '${target}'`);
    if (target !== node && !full) die('linked clone feature is not available to other nodes');
    if (!isTemplate) checkLock(src);
    const baseConfig = { ...(snapname ? src.snapshots[snapname]!.config : src.config) };
    delete baseConfig.template;
    const newName = str(params, t === 'qemu' ? 'name' : 'hostname');
    const g: Guest = {
      vmid: newid,
      type: t,
      node: target,
      config: {},
      status: 'stopped',
      lock: 'clone',
      snapshots: {},
      firewall: {
        rules: structuredClone(src.firewall.rules),
        options: { ...src.firewall.options },
        ...(src.firewall.ipsets ? { ipsets: structuredClone(src.firewall.ipsets) } : {}),
      },
    };
    sim.world.addGuest(g);
    if (!isTemplate) src.lock = 'clone';
    const allocated: string[] = [];
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmclone' : 'vzclone',
      id: String(vmid),
      user,
      work: (ctx) => {
        const cfg: Record<string, string> = {};
        for (const [k, v] of Object.entries(baseConfig)) {
          if (/^unused\d+$/.test(k)) continue;
          if (k === 'meta' || k === 'vmgenid' || k === 'smbios1' || k === 'parent') continue;
          if (/^net\d+$/.test(k)) {
            const f = formatOf(t, k)!;
            const o = parsePropertyString(f, v, k);
            if (t === 'qemu') o.macaddr = sim.world.nextMac();
            else o.hwaddr = sim.world.nextMac();
            cfg[k] = printPropertyString(f, o);
            continue;
          }
          if (isDiskKey(t, k) && !/media=cdrom/.test(v) && v.split(',')[0]!.includes(':')) {
            const volid = v.split(',')[0]!;
            const vol = findVolume(sim, node, volid);
            if (!vol) throw new Error(`volume '${volid}' does not exist`);
            const { storage: srcStorage, name } = parseVolumeId(volid);
            const f = formatOf(t, k)!;
            const o = parsePropertyString(f, v, k);
            let newVolid: string;
            if (full) {
              newVolid = allocVolume(sim, target, storage ?? srcStorage, newid, vol.size, {
                content: t === 'lxc' ? 'rootdir' : 'images',
                initialUsed: vol.used,
              });
              ctx.log(`create full clone of drive ${k} (${volid})`);
            } else {
              const s = getStorage(sim, srcStorage);
              const leafName = `${t === 'lxc' ? 'subvol' : 'vm'}-${newid}-disk-${allocated.length}`;
              if (s.type === 'zfspool') {
                const baseDs = datasetOf(s, name);
                const snap = `${baseDs}@__base__`;
                const map = sim.world.zfs.get(node)!;
                if (!map.has(snap))
                  throw new Error(`zfs error: cannot open '${snap}': dataset does not exist`);
                const baseD = map.get(baseDs)!;
                sim.world.newDataset(node, `${s.pool}/${leafName}`, baseD.type, {
                  volsize: baseD.volsize,
                  used: 57344,
                  referenced: baseD.referenced,
                  origin: snap,
                  props: { ...baseD.props },
                });
                newVolid = `${s.storage}:${name}/${leafName}`;
              } else {
                newVolid = allocVolume(sim, node, srcStorage, newid, vol.size, {
                  content: t === 'lxc' ? 'rootdir' : 'images',
                  name: s.type === 'dir' ? `vm-${newid}-disk-${allocated.length}.qcow2` : leafName,
                });
                if (s.type !== 'dir') newVolid = `${s.storage}:${name}/${leafName}`;
                if (s.type !== 'dir') sim.world.deleteVolume(node, `${s.storage}:${leafName}`);
                const vv = {
                  volid: newVolid,
                  storage: s.storage,
                  content: t === 'lxc' ? 'rootdir' : 'images',
                  format: 'raw',
                  size: vol.size,
                  used: 0,
                  vmid: newid,
                  ctime: Math.floor(Date.now() / 1000),
                };
                sim.world.putVolume(node, vv);
              }
              ctx.log(`create linked clone of drive ${k} (${volid})`);
            }
            allocated.push(newVolid);
            if (t === 'qemu') o.file = newVolid;
            else o.volume = newVolid;
            cfg[k] = printPropertyString(f, o);
            continue;
          }
          cfg[k] = v;
        }
        if (t === 'qemu') {
          cfg.smbios1 = `uuid=${sim.rng.uuid()}`;
          cfg.vmgenid = sim.rng.uuid();
          cfg.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
          cfg.name = newName ?? `Copy-of-VM-${baseConfig.name ?? vmid}`;
        } else {
          cfg.hostname = newName ?? `Copy-of-CT-${baseConfig.hostname ?? vmid}`;
        }
        const desc = str(params, 'description');
        if (desc) cfg.description = desc;
        g.config = cfg;
        delete g.lock;
        sim.world.touch();
      },
      onFail: () => {
        for (const v of allocated) {
          try {
            freeVolume(sim, target, v);
          } catch {
            /* best effort */
          }
        }
        sim.world.removeGuest(newid);
      },
      finally: () => {
        if (src.lock === 'clone') delete src.lock;
      },
    });
  };
}

// --- template -----------------------------------------------------------------------------------

export function makeTemplate(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const vmid = Number(reqStr(params, 'vmid'));
    const g = getGuest(sim, node, vmid, t);
    checkLock(g);
    if (g.config.template === '1') die(`${label(t)} ${vmid} is already a template`);
    if (g.status === 'running')
      die(
        `you can't convert a ${t === 'qemu' ? 'VM' : 'CT'} to template if ${t === 'qemu' ? 'VM' : 'CT'} is running`,
      );
    if (Object.keys(g.snapshots).length > 0 && t === 'lxc')
      die("you can't convert a CT to template if the CT has snapshots");
    const run = () => {
      for (const d of guestDisks(g)) {
        if (/^unused/.test(d.key) || isCloudinit(d.volid)) continue;
        const { storage, name } = parseVolumeId(d.volid);
        const s = getStorage(sim, storage);
        const baseName = name.replace(/^(vm|subvol)-/, t === 'lxc' ? 'basevol-' : 'base-');
        if (s.type === 'zfspool') {
          const map = sim.world.zfs.get(node)!;
          const oldDs = datasetOf(s, name);
          const newDs = `${s.pool}/${baseName}`;
          const old = map.get(oldDs)!;
          sim.world.deleteDataset(node, oldDs);
          sim.world.putDataset(node, { ...old, name: newDs });
          for (const snap of [...map.values()].filter((x) => x.name.startsWith(`${oldDs}@`))) {
            sim.world.deleteDataset(node, snap.name);
            sim.world.putDataset(node, { ...snap, name: newDs + snap.name.slice(oldDs.length) });
          }
          sim.world.newDataset(node, `${newDs}@__base__`, 'snapshot', { referenced: old.referenced });
        } else {
          const v = findVolume(sim, node, d.volid)!;
          sim.world.deleteVolume(node, d.volid);
          const newVolid = d.volid.replace(/(vm|subvol)-(\d+)-disk/, 'base-$2-disk');
          sim.world.putVolume(node, { ...v, volid: newVolid });
        }
        const newVolid = `${storage}:${baseName}`;
        const f = formatOf(t, d.key)!;
        const o = parsePropertyString(f, g.config[d.key]!, d.key);
        if (t === 'qemu')
          o.file = s.type === 'dir' ? d.volid.replace(/vm-(\d+)-disk/, 'base-$1-disk') : newVolid;
        else o.volume = s.type === 'dir' ? d.volid.replace(/vm-(\d+)-disk/, 'base-$1-disk') : newVolid;
        g.config[d.key] = printPropertyString(f, o);
      }
      g.config.template = '1';
      sim.world.touch();
    };
    if (t === 'lxc') {
      run();
      return null;
    }
    return sim.tasks.start({ node, type: 'qmtemplate', id: String(vmid), user, work: () => run() });
  };
}

// --- unlink -------------------------------------------------------------------------------------

export function unlinkDisks(req: RequestCtx) {
  const { sim, params } = req;
  const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), 'qemu');
  checkLock(g);
  const force = bool(params, 'force');
  for (const key of reqStr(params, 'idlist')
    .split(/[,;\s]+/)
    .filter(Boolean)) {
    const v = g.config[key];
    if (v === undefined) continue;
    const volid = v.split(',')[0]!;
    delete g.config[key];
    if (
      (isDiskKey('qemu', key) || /^unused\d+$/.test(key)) &&
      volid.includes(':') &&
      !/media=cdrom/.test(v)
    ) {
      if (force || /^unused/.test(key)) freeVolume(sim, g.node, volid);
      else {
        let i = 0;
        while (g.config[`unused${i}`] !== undefined) i++;
        g.config[`unused${i}`] = volid;
      }
    }
  }
  sim.world.touch();
  return null;
}

// --- snapshots ----------------------------------------------------------------------------------

export function listSnapshots(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params } = req;
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    const out: Record<string, unknown>[] = Object.values(g.snapshots)
      .sort((a, b) => a.snaptime - b.snaptime)
      .map((s) => {
        const e: Record<string, unknown> = { name: s.name, description: s.description, snaptime: s.snaptime };
        if (s.parent) e.parent = s.parent;
        if (t === 'qemu') e.vmstate = s.vmstate ?? 0;
        return e;
      });
    const cur: Record<string, unknown> = {
      name: 'current',
      description: 'You are here!',
      digest: configDigest(g.config),
    };
    if (g.parent) cur.parent = g.parent;
    if (t === 'qemu') cur.running = g.status === 'running' ? 1 : 0;
    out.push(cur);
    return out;
  };
}

function zfsSnapshotTargets(sim: SimContext, g: Guest, config: Record<string, string>) {
  const out: { volid: string; ds?: string; storageType: string }[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (!isDiskKey(g.type, k) || /media=cdrom/.test(v)) continue;
    const volid = v.split(',')[0]!;
    if (!volid.includes(':') || isCloudinit(volid)) continue;
    const { storage, name } = parseVolumeId(volid);
    const s = sim.world.storages.get(storage);
    if (!s) continue;
    out.push({ volid, ds: s.type === 'zfspool' ? datasetOf(s, name) : undefined, storageType: s.type });
  }
  return out;
}

export function createSnapshot(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const g = getGuest(sim, node, Number(reqStr(params, 'vmid')), t);
    const snapname = reqStr(params, 'snapname');
    checkLock(g);
    if (snapname === 'current') die("invalid snapshot name 'current'");
    if (g.snapshots[snapname]) die(`snapshot name '${snapname}' already used`);
    checkNotTemplate(g, `${t === 'qemu' ? 'VM' : 'CT'} is a template - snapshot not allowed`);
    g.lock = 'snapshot';
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmsnapshot' : 'vzsnapshot',
      id: String(g.vmid),
      user,
      work: (ctx) => {
        for (const target of zfsSnapshotTargets(sim, g, g.config)) {
          if (target.ds) {
            const map = sim.world.zfs.get(node)!;
            const d = map.get(target.ds);
            if (!d) throw new Error(`zfs error: cannot open '${target.ds}': dataset does not exist`);
            sim.world.newDataset(node, `${target.ds}@${snapname}`, 'snapshot', { referenced: d.referenced });
          }
          ctx.log(`snapshotting '${target.volid}'`);
        }
        const vmstate = bool(params, 'vmstate') && g.status === 'running' ? 1 : 0;
        g.snapshots[snapname] = {
          name: snapname,
          description: str(params, 'description') ?? '',
          snaptime: Math.floor(Date.now() / 1000),
          parent: g.parent,
          vmstate: t === 'qemu' ? vmstate : undefined,
          config: { ...g.config },
        };
        g.parent = snapname;
        sim.world.touch();
      },
      finally: () => {
        if (g.lock === 'snapshot') delete g.lock;
      },
    });
  };
}

export function deleteSnapshot(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const g = getGuest(sim, node, Number(reqStr(params, 'vmid')), t);
    const snapname = reqStr(params, 'snapname');
    const snap = g.snapshots[snapname];
    if (!snap) die(`snapshot '${snapname}' does not exist`);
    if (!bool(params, 'force')) checkLock(g);
    g.lock = 'snapshot-delete';
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmdelsnapshot' : 'vzdelsnapshot',
      id: String(g.vmid),
      user,
      work: () => {
        const map = sim.world.zfs.get(node)!;
        for (const target of zfsSnapshotTargets(sim, g, snap!.config)) {
          if (!target.ds) continue;
          const name = `${target.ds}@${snapname}`;
          const clones = [...map.values()].filter((d) => d.origin === name);
          if (clones.length)
            throw new Error(`zfs error: cannot destroy snapshot ${name}: snapshot has dependent clones`);
          sim.world.deleteDataset(node, name);
        }
        // children of the deleted snapshot now descend from its parent
        for (const s of Object.values(g.snapshots)) if (s.parent === snapname) s.parent = snap!.parent;
        if (g.parent === snapname) g.parent = snap!.parent;
        delete g.snapshots[snapname];
        sim.world.touch();
      },
      finally: () => {
        if (g.lock === 'snapshot-delete') delete g.lock;
      },
    });
  };
}

export function rollbackSnapshot(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    const node = reqStr(params, 'node');
    const g = getGuest(sim, node, Number(reqStr(params, 'vmid')), t);
    const snapname = reqStr(params, 'snapname');
    const snap = g.snapshots[snapname];
    if (!snap) die(`snapshot '${snapname}' does not exist`);
    checkLock(g);
    g.lock = 'rollback';
    return sim.tasks.start({
      node,
      type: t === 'qemu' ? 'qmrollback' : 'vzrollback',
      id: String(g.vmid),
      user,
      work: (ctx) => {
        const map = sim.world.zfs.get(node)!;
        for (const target of zfsSnapshotTargets(sim, g, snap!.config)) {
          if (!target.ds) continue;
          const snapDs = map.get(`${target.ds}@${snapname}`);
          if (!snapDs)
            throw new Error(`zfs error: cannot open '${target.ds}@${snapname}': dataset does not exist`);
          const newer = [...map.values()].filter(
            (d) => d.name.startsWith(`${target.ds}@`) && d.createtxg > snapDs.createtxg,
          );
          if (newer.length)
            throw new Error(`can't rollback, '${snapname}' is not most recent snapshot on '${target.ds}'`);
          ctx.log(`rolling back '${target.volid}' to snapshot '${snapname}'`);
        }
        g.config = { ...snap!.config };
        g.parent = snapname;
        if (g.status === 'running' && !snap!.vmstate) {
          g.status = 'stopped';
          g.guestRoutes = undefined;
          delete g.startedAt;
        }
        if (bool(params, 'start') && g.status !== 'running') {
          g.status = 'running';
          g.startedAt = Date.now();
        }
        sim.world.touch();
      },
      finally: () => {
        if (g.lock === 'rollback') delete g.lock;
      },
    });
  };
}

export function snapshotConfig(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params } = req;
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    const snap = g.snapshots[reqStr(params, 'snapname')];
    if (!snap) die(`snapshot '${reqStr(params, 'snapname')}' does not exist`);
    return typedConfig(t, snap!.config);
  };
}

export function updateSnapshot(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params } = req;
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    const snap = g.snapshots[reqStr(params, 'snapname')];
    if (!snap) die(`snapshot '${reqStr(params, 'snapname')}' does not exist`);
    const d = str(params, 'description');
    if (d !== undefined) snap!.description = d;
    sim.world.touch();
    return null;
  };
}

// --- cloud-init custom files ---------------------------------------------------------------------

/**
 * `cicustom: user=local:snippets/x.yaml[,network=…][,meta=…][,vendor=…]`: qemu-server reads the
 * files when it generates the cloud-init drive at start; a missing file or a storage without the
 * `snippets` content type fails the start task.
 */
function checkCicustom(sim: RequestCtx['sim'], node: string, value: string): void {
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const volid = part.slice(eq + 1);
    const storage = volid.split(':')[0]!;
    const s = sim.world.storages.get(storage);
    if (!s) throw new Error(`storage '${storage}' does not exist`);
    if (!s.content.includes('snippets'))
      throw new Error(`storage '${storage}' does not support content-type 'snippets'`);
    if (!findVolume(sim, node, volid)) throw new Error(`volume '${volid}' does not exist`);
  }
}

// --- QEMU guest agent ---------------------------------------------------------------------------

function agentGuest(req: RequestCtx): Guest {
  const { sim, params } = req;
  const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), 'qemu');
  if (!/^(enabled=)?1/.test(g.config.agent ?? '')) die('No QEMU guest agent configured');
  if (g.status !== 'running') die(`VM ${g.vmid} is not running`);
  if (g.guestAgent?.down) die('QEMU guest agent is not running');
  return g;
}

/**
 * POST …/agent/exec `{command: [...], input-data?}` → `{pid}`. Only `ip -force -batch -` (routes,
 * guest-routes.ts) runs in the simulated guest; anything else exits 127 like a missing program.
 */
export function agentExec(req: RequestCtx) {
  const g = agentGuest(req);
  const raw = req.params.command;
  const command = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
  if (!command.length) die("parameter verification failed - 'command': property is missing");
  const input = req.params['input-data'] === undefined ? '' : String(req.params['input-data']);
  g.agentExecs ??= {};
  const pid = 1000 + Object.keys(g.agentExecs).length;
  const res =
    command.join(' ') === 'ip -force -batch -'
      ? ipBatch(g, input)
      : {
          stdout: '',
          stderr: `Failed to execute child process “${command[0]}” (No such file or directory)`,
          code: 127,
        };
  g.agentExecs[String(pid)] = { exitcode: res.code, out: res.stdout, err: res.stderr };
  return { pid };
}

/** GET …/agent/exec-status?pid → `{exited, exitcode, out-data?, err-data?}` (the simulated command ends at once). */
export function agentExecStatus(req: RequestCtx) {
  const g = agentGuest(req);
  const pid = reqStr(req.params, 'pid');
  const r = g.agentExecs?.[pid];
  if (!r) die(`Agent error: Invalid parameter 'pid'`);
  return {
    exited: 1,
    exitcode: r!.exitcode,
    ...(r!.out ? { 'out-data': r!.out } : {}),
    ...(r!.err ? { 'err-data': r!.err } : {}),
  };
}

/** POST …/agent/ping → `{result: {}}` (PVE wraps the QGA answer in `result`). */
export function agentPing(req: RequestCtx) {
  agentGuest(req);
  return { result: {} };
}

/**
 * GET …/agent/get-fsinfo: the guest's mounted filesystems with the disks under them, as QGA's
 * guest-get-fsinfo reports them (the serial of a QEMU SCSI disk is `0QEMU_QEMU_HARDDISK_drive-scsiN`).
 * `scsi0` is mounted at `/`; other disks only when a test marked them (`/_sim/guest-agent`).
 */
export function agentFsinfo(req: RequestCtx) {
  const g = agentGuest(req);
  const mounts: Record<string, string> = { scsi0: '/', ...(g.guestAgent?.mounts ?? {}) };
  const result = [];
  for (const [disk, mountpoint] of Object.entries(mounts)) {
    const m = /^(scsi|virtio|sata|ide)(\d+)$/.exec(disk);
    if (!m || !g.config[disk]) continue;
    const unit = Number(m[2]);
    const dev =
      m[1] === 'virtio'
        ? `/dev/vd${String.fromCharCode(97 + unit)}`
        : `/dev/sd${String.fromCharCode(97 + unit)}`;
    const size = /(?:^|,)size=(\d+)G/.exec(g.config[disk]!)?.[1];
    const total = Number(size ?? 1) * 1024 ** 3;
    result.push({
      name: `${dev.slice(5)}${disk === 'scsi0' ? '1' : ''}`,
      mountpoint,
      type: 'ext4',
      'total-bytes': total,
      'used-bytes': Math.floor(total / 10),
      disk: [
        {
          serial: m[1] === 'scsi' ? `0QEMU_QEMU_HARDDISK_drive-${disk}` : `drive-${disk}`,
          'bus-type': m[1],
          bus: 0,
          target: m[1] === 'scsi' ? 0 : unit,
          unit: m[1] === 'scsi' ? unit : 0,
          'pci-controller': { domain: 0, bus: 9, slot: 1 + unit, function: 0 },
          dev: `${dev}${disk === 'scsi0' ? '1' : ''}`,
        },
      ],
    });
  }
  return { result };
}

// --- guest IPs ----------------------------------------------------------------------------------

function macOf(g: Guest): string {
  const v = g.config.net0 ?? '';
  return (
    /(?:^|,)(?:[a-z0-9-]+|hwaddr|macaddr)=([0-9A-F:]{17})/i.exec(v)?.[1] ?? '00:00:00:00:00:00'
  ).toLowerCase();
}

export function agentInterfaces(req: RequestCtx) {
  const { sim, params } = req;
  const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), 'qemu');
  if (!/^(enabled=)?1/.test(g.config.agent ?? '')) die('No QEMU guest agent configured');
  if (g.status !== 'running') die(`VM ${g.vmid} is not running`);
  if (g.guestAgent?.down) die('QEMU guest agent is not running');
  const ip = g.ip ?? sim.world.nextGuestIp();
  return {
    result: [
      {
        name: 'lo',
        'hardware-address': '00:00:00:00:00:00',
        'ip-addresses': [
          { 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 },
          { 'ip-address': '::1', 'ip-address-type': 'ipv6', prefix: 128 },
        ],
        statistics: {
          'rx-bytes': 0,
          'tx-bytes': 0,
          'rx-packets': 0,
          'tx-packets': 0,
          'rx-errs': 0,
          'tx-errs': 0,
          'rx-dropped': 0,
          'tx-dropped': 0,
        },
      },
      {
        name: 'eth0',
        'hardware-address': macOf(g),
        'ip-addresses': [
          { 'ip-address': ip, 'ip-address-type': 'ipv4', prefix: 16 },
          { 'ip-address': `fe80::${g.vmid.toString(16)}:ff:fe00:1`, 'ip-address-type': 'ipv6', prefix: 64 },
        ],
        statistics: {
          'rx-bytes': 1000,
          'tx-bytes': 1000,
          'rx-packets': 10,
          'tx-packets': 10,
          'rx-errs': 0,
          'tx-errs': 0,
          'rx-dropped': 0,
          'tx-dropped': 0,
        },
      },
    ],
  };
}

export function lxcInterfaces(req: RequestCtx) {
  const { sim, params } = req;
  const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), 'lxc');
  if (g.status !== 'running') die(`CT ${g.vmid} not running`);
  const hw = macOf(g);
  return [
    { name: 'lo', hwaddr: '00:00:00:00:00:00', inet: '127.0.0.1/8', inet6: '::1/128' },
    {
      name: 'eth0',
      hwaddr: hw,
      inet: `${g.ip ?? '0.0.0.0'}/16`,
      inet6: `fe80::${g.vmid.toString(16)}:ff:fe00:1/64`,
    },
  ];
}

export { int, PveError };
