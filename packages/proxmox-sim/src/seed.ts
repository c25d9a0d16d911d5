/** The initial cluster: nodes, the four storages, OS templates, cloud images, ISOs; bulk guests. */
import type { Rng } from './random.ts';
import { type Guest, SIZES, type StorageDef, World } from './state.ts';

const { GiB, MiB } = SIZES;
const TiB = 1024 * GiB;

export const STORAGES: StorageDef[] = [
  {
    storage: 'local',
    type: 'dir',
    path: '/var/lib/vz',
    content: ['iso', 'vztmpl', 'backup', 'snippets', 'import'],
    shared: false,
    total: 94 * GiB,
  },
  {
    storage: 'local-zfs',
    type: 'zfspool',
    pool: 'rpool/data',
    content: ['images', 'rootdir'],
    shared: false,
    total: 860 * GiB,
  },
  {
    storage: 'local-lvm',
    type: 'lvmthin',
    vgname: 'pve',
    thinpool: 'data',
    content: ['images', 'rootdir'],
    shared: false,
    total: 350 * GiB,
  },
  {
    storage: 'tank',
    type: 'zfspool',
    pool: 'tank/data',
    content: ['images', 'rootdir'],
    shared: false,
    total: 7 * TiB,
  },
];

/**
 * name, size in bytes, content. ISO storage lists only `.iso`/`.img` files (PVE's ISO_EXT_RE), so
 * cloud images sit there only under `.img` names (Ubuntu's); `.qcow2` ones are in `import`.
 */
export const SEED_FILES: [string, number, string][] = [
  ['local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', 126_131_727, 'vztmpl'],
  ['local:vztmpl/ubuntu-22.04-standard_22.04-1_amd64.tar.zst', 129_824_858, 'vztmpl'],
  ['local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst', 141_589_318, 'vztmpl'],
  ['local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz', 3_048_212, 'vztmpl'],
  ['local:iso/noble-server-cloudimg-amd64.img', 596_904_448, 'iso'],
  ['local:iso/jammy-server-cloudimg-amd64.img', 664_010_752, 'iso'],
  ['local:iso/debian-12.8.0-amd64-netinst.iso', 661_651_456, 'iso'],
  ['local:iso/ubuntu-24.04.1-live-server-amd64.iso', 2_773_874_688, 'iso'],
  ['local:import/debian-12-genericcloud-amd64.qcow2', 333_578_240, 'import'],
  ['local:import/noble-server-cloudimg-amd64.img', 596_904_448, 'import'],
];

/** Virtual disk size of the cloud images (what `import-from` creates). */
export function virtualSizeOf(volid: string, fileSize: number): number {
  if (/debian-12-genericcloud/.test(volid)) return 3 * GiB;
  if (/noble-server-cloudimg|jammy-server-cloudimg/.test(volid)) return 3.5 * GiB;
  return Math.ceil(fileSize / GiB) * GiB;
}

export function nodeNames(nodes: number | string[] | undefined): string[] {
  if (Array.isArray(nodes)) {
    if (nodes.length === 0) throw new Error('nodes must not be empty');
    for (const n of nodes)
      if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(n)) throw new Error(`invalid node name '${n}'`);
    return nodes;
  }
  const n = nodes ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error('nodes must be an integer between 1 and 64');
  return Array.from({ length: n }, (_, i) => `pve${i + 1}`);
}

export function createWorld(names: string[], rng: Rng): World {
  const w = new World(rng);
  const now = Date.now();
  names.forEach((name, i) => {
    w.addNode({
      name,
      nodeid: i + 1,
      ip: `192.0.2.${11 + i}`,
      online: true,
      cpus: 16,
      maxmem: 128 * GiB,
      bootTime: now - (3 * 86400 + rng.int(0, 86400)) * 1000,
    });
  });
  for (const s of STORAGES) w.storages.set(s.storage, { ...s });
  const ctime = Math.floor(now / 1000) - 20 * 86400;
  for (const name of names) {
    for (const ds of ['rpool', 'rpool/data', 'tank', 'tank/data'])
      w.newDataset(name, ds, 'filesystem', {
        used: 98304,
        referenced: 98304,
        props: { compression: 'lz4', mountpoint: `/${ds}` },
      });
    for (const [volid, size, content] of SEED_FILES) {
      w.putVolume(name, {
        volid,
        storage: 'local',
        content,
        format:
          volid.endsWith('.iso') || volid.endsWith('.img')
            ? 'iso'
            : volid.endsWith('.qcow2')
              ? 'qcow2'
              : volid.split('.').pop()!,
        size,
        ctime,
      });
    }
  }
  return w;
}

/**
 * Creates `n` stopped/running guests spread over all nodes without going through tasks (for
 * benchmarks). Each gets one 8 GiB disk on local-lvm and a plausible config. Returns the vmids.
 */
export function seedGuests(
  w: World,
  n: number,
  opts: { runningRatio?: number; startVmid?: number } = {},
): number[] {
  const nodes = [...w.nodes.keys()];
  const ratio = opts.runningRatio ?? 0.7;
  let vmid = opts.startVmid ?? 100;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    while (w.guests.has(vmid)) vmid++;
    const node = nodes[i % nodes.length]!;
    const lxc = i % 3 === 2;
    const volid = `local-lvm:vm-${vmid}-disk-0`;
    w.putVolume(node, {
      volid,
      storage: 'local-lvm',
      content: lxc ? 'rootdir' : 'images',
      format: 'raw',
      size: 8 * GiB,
      vmid,
      ctime: Math.floor(Date.now() / 1000),
    });
    const mac = w.nextMac();
    const config: Record<string, string> = lxc
      ? {
          arch: 'amd64',
          ostype: 'debian',
          hostname: `bench-${vmid}`,
          memory: '512',
          swap: '512',
          cores: '1',
          rootfs: `${volid},size=8G`,
          net0: `name=eth0,bridge=vmbr0,hwaddr=${mac},ip=dhcp,type=veth`,
          unprivileged: '1',
        }
      : {
          name: `bench-${vmid}`,
          memory: '2048',
          cores: '2',
          sockets: '1',
          ostype: 'l26',
          scsihw: 'virtio-scsi-single',
          scsi0: `${volid},iothread=1,size=8G`,
          net0: `virtio=${mac},bridge=vmbr0,firewall=1`,
          boot: 'order=scsi0',
          smbios1: `uuid=${w.rng.uuid()}`,
          vmgenid: w.rng.uuid(),
        };
    const running = w.rng.next() < ratio;
    const g: Guest = {
      vmid,
      type: lxc ? 'lxc' : 'qemu',
      node,
      config,
      status: running ? 'running' : 'stopped',
      snapshots: {},
      firewall: { rules: [], options: {} },
      ip: w.nextGuestIp(),
    };
    if (running) g.startedAt = Date.now() - w.rng.int(60, 86400 * 10) * 1000;
    w.addGuest(g);
    out.push(vmid);
    vmid++;
  }
  return out;
}

export { MiB };
