/**
 * The simulated cluster: nodes, storages, volumes, ZFS datasets, guests, tasks, firewall, SDN and
 * backup jobs, with the indexes that keep hot paths O(guests) or better (guests per node, storage
 * usage counters). ZFS datasets are the single source of truth for `zfspool` storages: the volume
 * `local-zfs:vm-100-disk-0` IS the zvol `rpool/data/vm-100-disk-0`, whether it was made through
 * the API or over SSH with `zfs clone`.
 */
import type { Rng } from './random.ts';

export type GuestType = 'qemu' | 'lxc';

export interface NodeState {
  name: string;
  nodeid: number;
  ip: string;
  online: boolean;
  cpus: number;
  maxmem: number;
  /** ms epoch */
  bootTime: number;
}

export interface StorageDef {
  storage: string;
  type: 'dir' | 'zfspool' | 'lvmthin';
  content: string[];
  shared: boolean;
  /** capacity in bytes (per node) */
  total: number;
  path?: string;
  pool?: string;
  vgname?: string;
  thinpool?: string;
}

export interface Volume {
  volid: string;
  storage: string;
  content: string;
  format: string;
  size: number;
  used?: number;
  vmid?: number;
  ctime: number;
  notes?: string;
  protected?: boolean;
  /** file contents (snippets written over SSH) */
  data?: string;
  /** file mode of a snippet created with `install -m` (tee keeps it) */
  mode?: string;
}

export interface Dataset {
  name: string;
  type: 'filesystem' | 'volume' | 'snapshot';
  createtxg: number;
  /** seconds epoch */
  creation: number;
  guid: string;
  volsize?: number;
  used: number;
  referenced: number;
  origin?: string;
  /** locally set properties (compression, quota, mountpoint …) as zfs prints them */
  props: Record<string, string>;
}

export interface Snapshot {
  name: string;
  description: string;
  snaptime: number;
  parent?: string;
  vmstate?: number;
  config: Record<string, string>;
}

export interface FwRule {
  pos: number;
  type: string;
  action: string;
  enable?: number;
  proto?: string;
  dport?: string;
  sport?: string;
  source?: string;
  dest?: string;
  macro?: string;
  iface?: string;
  log?: string;
  comment?: string;
  'icmp-type'?: string;
  digest?: string;
}

export interface Guest {
  vmid: number;
  type: GuestType;
  node: string;
  config: Record<string, string>;
  status: 'running' | 'stopped';
  lock?: string;
  /** ms epoch when started */
  startedAt?: number;
  snapshots: Record<string, Snapshot>;
  /** snapshot the current state descends from */
  parent?: string;
  firewall: { rules: FwRule[]; options: Record<string, string | number>; ipsets?: Record<string, IpSet> };
  /** IPv4 the guest gets once running (dhcp) */
  ip?: string;
  /**
   * What the (simulated) QEMU guest agent reports: `down` = configured but not answering;
   * `mounts` = disk key (`scsi1`) → mountpoint inside the guest (`scsi0` is always `/`).
   */
  guestAgent?: { down?: boolean; mounts?: Record<string, string> };
  /** Files pushed into a container (`pct push`) and directories made (`pct exec … mkdir`): guest-files.ts. */
  guestFiles?: Record<string, { data: string; mode: string; uid: number; gid: number }>;
  guestDirs?: Record<string, string>;
  /** Scripts run with `pct exec <vmid> -- /bin/bash …` (guest-apps.ts), oldest first. */
  guestExecs?: { argv: string[]; code: number; at: string }[];
  /** What the VM's cloud-init drive held at its last start (cicustom kind → content). */
  cloudinitDrive?: Record<string, string>;
  /** Routes set inside the running guest with `ip route` (guest-routes.ts); lost on stop. */
  guestRoutes?: { dst: string; via: string; proto: string }[];
  /** QEMU guest agent `exec` results by pid (guest-routes.ts). */
  agentExecs?: Record<string, { exitcode: number; out: string; err: string }>;
}

export interface TaskLogLine {
  n: number;
  t: string;
}

export interface Task {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  log: TaskLogLine[];
}

export interface IpSet {
  comment?: string;
  entries: { cidr: string; comment?: string; nomatch?: number }[];
}

export interface SdnObject {
  /** committed config (undefined when created but not yet applied) */
  current?: Record<string, unknown>;
  /** pending config; `null` = pending deletion */
  pending?: Record<string, unknown> | null;
}

export interface BackupJob {
  id: string;
  [k: string]: unknown;
}

export interface Counters {
  pid: number;
  txg: number;
  ip: number;
  mac: number;
}

export interface SerializedState {
  version: 1;
  clusterName: string;
  nodes: NodeState[];
  storages: StorageDef[];
  guests: Guest[];
  volumes: Record<string, Volume[]>;
  zfs: Record<string, Dataset[]>;
  tasks: Task[];
  firewall: World['firewall'];
  sdn: World['sdn'];
  backupJobs: BackupJob[];
  counters: Counters;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Parses the volume names PVE uses for guest disks: vm-100-disk-0, base-…, subvol-…, vm-100-cloudinit. */
export function parseGuestVolumeName(name: string): { vmid: number; kind: string } | undefined {
  const m =
    /^(?:vm|base|subvol|basevol)-(\d+)-(disk-\d+|cloudinit|state-[\w-]+)(?:\.(?:raw|qcow2|vmdk))?$/.exec(
      name,
    );
  return m ? { vmid: Number(m[1]), kind: m[2]! } : undefined;
}

export class World {
  clusterName = 'proxicloud-sim';
  readonly nodes = new Map<string, NodeState>();
  readonly storages = new Map<string, StorageDef>();
  readonly guests = new Map<number, Guest>();
  readonly guestsByNode = new Map<string, Set<number>>();
  /** non-ZFS volumes per node → volid → volume */
  readonly volumes = new Map<string, Map<string, Volume>>();
  /** ZFS datasets per node → name → dataset */
  readonly zfs = new Map<string, Map<string, Dataset>>();
  /** bytes used per `${node}\0${storage}` */
  private readonly usedBytes = new Map<string, number>();
  readonly tasks = new Map<string, Task>();
  readonly tasksByNode = new Map<string, Task[]>();
  firewall: {
    groups: Record<string, { comment?: string; rules: FwRule[] }>;
    options: Record<string, string | number>;
    /** cluster IP sets (firewall-sets.ts) */
    ipsets?: Record<string, IpSet>;
  } = { groups: {}, options: { enable: 0, policy_in: 'DROP', policy_out: 'ACCEPT' } };
  sdn: {
    zones: Record<string, SdnObject>;
    vnets: Record<string, SdnObject>;
    subnets: Record<string, SdnObject>;
    /** global SDN lock token, IPAM entries per vnet, VNet firewall (sdn-extras.ts) */
    lock?: string;
    ips?: Record<string, { ip: string; mac?: string; vmid?: number; hostname?: string }[]>;
    vnetFirewall?: Record<string, { rules: FwRule[]; options: Record<string, string | number> }>;
  } = {
    zones: {},
    vnets: {},
    subnets: {},
  };
  readonly backupJobs = new Map<string, BackupJob>();
  counters: Counters = { pid: 0x10000, txg: 1, ip: 20, mac: 1 };
  /** bumped on every mutation; the persistence layer watches it */
  revision = 0;

  constructor(readonly rng: Rng) {}

  touch(): void {
    this.revision++;
  }

  // --- nodes ----------------------------------------------------------------------------------
  addNode(n: NodeState): void {
    this.nodes.set(n.name, n);
    this.guestsByNode.set(n.name, new Set());
    this.volumes.set(n.name, new Map());
    this.zfs.set(n.name, new Map());
    this.tasksByNode.set(n.name, []);
  }

  // --- guests ---------------------------------------------------------------------------------
  addGuest(g: Guest): void {
    this.guests.set(g.vmid, g);
    this.guestsByNode.get(g.node)!.add(g.vmid);
    this.touch();
  }
  removeGuest(vmid: number): void {
    const g = this.guests.get(vmid);
    if (!g) return;
    this.guests.delete(vmid);
    this.guestsByNode.get(g.node)?.delete(vmid);
    this.touch();
  }

  // --- storage usage --------------------------------------------------------------------------
  used(node: string, storage: string): number {
    return this.usedBytes.get(`${node}\0${storage}`) ?? 0;
  }
  private addUsed(node: string, storage: string | undefined, delta: number): void {
    if (!storage || delta === 0) return;
    const k = `${node}\0${storage}`;
    this.usedBytes.set(k, (this.usedBytes.get(k) ?? 0) + delta);
  }

  // --- plain volumes --------------------------------------------------------------------------
  putVolume(node: string, v: Volume): void {
    const map = this.volumes.get(node)!;
    const old = map.get(v.volid);
    if (old) this.addUsed(node, old.storage, -(old.used ?? old.size));
    map.set(v.volid, v);
    this.addUsed(node, v.storage, v.used ?? v.size);
    this.touch();
  }
  deleteVolume(node: string, volid: string): void {
    const map = this.volumes.get(node)!;
    const old = map.get(volid);
    if (!old) return;
    map.delete(volid);
    this.addUsed(node, old.storage, -(old.used ?? old.size));
    this.touch();
  }

  // --- ZFS ------------------------------------------------------------------------------------
  /** The zfspool storage a dataset belongs to (by pool prefix), if any. */
  storageOfDataset(name: string): StorageDef | undefined {
    const base = name.split('@')[0]!;
    for (const s of this.storages.values())
      if (s.type === 'zfspool' && s.pool && (base === s.pool || base.startsWith(`${s.pool}/`))) return s;
    return undefined;
  }
  /** Storage-accounted bytes of a dataset (zvols are thick: refreservation = volsize). */
  private datasetCharge(d: Dataset): number {
    if (d.type === 'snapshot') return d.used;
    if (d.type === 'volume') return d.origin ? d.used : (d.volsize ?? 0);
    return d.used;
  }
  putDataset(node: string, d: Dataset): void {
    const map = this.zfs.get(node)!;
    const old = map.get(d.name);
    if (old) this.addUsed(node, this.storageOfDataset(old.name)?.storage, -this.datasetCharge(old));
    map.set(d.name, d);
    this.addUsed(node, this.storageOfDataset(d.name)?.storage, this.datasetCharge(d));
    this.touch();
  }
  deleteDataset(node: string, name: string): void {
    const map = this.zfs.get(node)!;
    const old = map.get(name);
    if (!old) return;
    map.delete(name);
    this.addUsed(node, this.storageOfDataset(name)?.storage, -this.datasetCharge(old));
    this.touch();
  }
  newDataset(
    node: string,
    name: string,
    type: Dataset['type'],
    init: Partial<Omit<Dataset, 'name' | 'type'>> = {},
  ): Dataset {
    const d: Dataset = {
      name,
      type,
      createtxg: this.counters.txg++,
      creation: Math.floor(Date.now() / 1000),
      guid: BigInt(`0x${this.rng.hex(8)}`).toString(),
      used: type === 'snapshot' ? 0 : 98304,
      referenced: type === 'snapshot' ? 0 : 98304,
      props: {},
      ...init,
    };
    this.putDataset(node, d);
    return d;
  }

  // --- tasks ----------------------------------------------------------------------------------
  addTask(t: Task): void {
    this.tasks.set(t.upid, t);
    this.tasksByNode.get(t.node)!.push(t);
    this.touch();
  }

  // --- misc allocators ------------------------------------------------------------------------
  nextPid(): number {
    this.counters.pid += this.rng.int(1, 97);
    return this.counters.pid;
  }
  nextMac(): string {
    // Proxmox's default OUI BC:24:11
    const n = this.counters.mac++;
    const b = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((x) =>
      x.toString(16).toUpperCase().padStart(2, '0'),
    );
    return `BC:24:11:${b.join(':')}`;
  }
  nextGuestIp(): string {
    const n = this.counters.ip++;
    return `10.10.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }

  // --- persistence ----------------------------------------------------------------------------
  serialize(): SerializedState {
    const volumes: Record<string, Volume[]> = {};
    for (const [node, m] of this.volumes) volumes[node] = [...m.values()];
    const zfs: Record<string, Dataset[]> = {};
    for (const [node, m] of this.zfs) zfs[node] = [...m.values()];
    return {
      version: 1,
      clusterName: this.clusterName,
      nodes: [...this.nodes.values()],
      storages: [...this.storages.values()],
      guests: [...this.guests.values()],
      volumes,
      zfs,
      // running tasks do not survive a restart; keep the last 5000 finished ones
      tasks: [...this.tasks.values()].filter((t) => t.status === 'stopped').slice(-5000),
      firewall: this.firewall,
      sdn: this.sdn,
      backupJobs: [...this.backupJobs.values()],
      counters: this.counters,
    };
  }

  static restore(s: SerializedState, rng: Rng): World {
    if (s.version !== 1) throw new Error(`unsupported simulator state version ${String(s.version)}`);
    const w = new World(rng);
    w.clusterName = s.clusterName;
    for (const n of s.nodes) w.addNode(n);
    for (const st of s.storages) w.storages.set(st.storage, st);
    for (const [node, vols] of Object.entries(s.volumes)) for (const v of vols) w.putVolume(node, v);
    for (const [node, ds] of Object.entries(s.zfs)) for (const d of ds) w.putDataset(node, d);
    for (const g of s.guests) {
      // guests that were mid-task when the process stopped keep no stale lock
      if (g.lock && g.lock !== 'backup' && g.lock !== 'snapshot-delete') delete g.lock;
      w.addGuest(g);
    }
    for (const t of s.tasks) w.addTask(t);
    w.firewall = s.firewall;
    w.sdn = s.sdn;
    for (const j of s.backupJobs) w.backupJobs.set(j.id, j);
    w.counters = s.counters;
    return w;
  }
}

export const SIZES = { GiB, MiB };
