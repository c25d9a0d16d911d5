/**
 * Storages and volumes: `dir` (local), `zfspool` (local-zfs, tank: backed by the ZFS datasets in
 * state, so SSH `zfs` commands and the API see the same volumes) and `lvmthin` (local-lvm).
 * Allocation checks content types and capacity and fails with the storage tools' wording.
 */
import { createHash } from 'node:crypto';
import { parseSize, parseVolumeId } from '@proxicloud/pve-schema';
import { bool, int, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, PveError, paramError } from './errors.ts';
import { type Dataset, parseGuestVolumeName, type StorageDef, type Volume } from './state.ts';

const CONTENT_WORDS: Record<string, string> = {
  images: 'VM images',
  rootdir: 'container directories',
  iso: 'ISO images',
  vztmpl: 'container templates',
  backup: 'backups',
  snippets: 'snippets',
  import: 'import',
};

export function getStorage(sim: SimContext, id: string): StorageDef {
  const s = sim.world.storages.get(id);
  if (!s) die(`storage '${id}' does not exist`);
  return s!;
}

export function storageTotals(
  sim: SimContext,
  node: string,
  s: StorageDef,
): { total: number; used: number; avail: number } {
  const used = sim.world.used(node, s.storage);
  const full = sim.faults.fullStorages.has(s.storage);
  const total = s.total;
  const avail = full ? 0 : Math.max(0, total - used);
  return { total, used: full ? total : used, avail };
}

/** zfs dataset name behind a zfspool volume name (`base-9000-disk-0/vm-101-disk-0` → pool/vm-101-disk-0). */
export function datasetOf(s: StorageDef, volname: string): string {
  const leaf = volname.includes('/') ? volname.slice(volname.lastIndexOf('/') + 1) : volname;
  return `${s.pool}/${leaf}`;
}

function zfsVolume(s: StorageDef, d: Dataset, map: Map<string, Dataset>): Volume | undefined {
  const leaf = d.name.slice(s.pool!.length + 1);
  if (leaf.includes('/') || d.type === 'snapshot') return undefined;
  const g = parseGuestVolumeName(leaf);
  if (!g) return undefined;
  let name = leaf;
  if (d.origin) {
    const originDs = d.origin.split('@')[0]!;
    const base = originDs.slice(s.pool!.length + 1);
    if (originDs.startsWith(`${s.pool}/`) && /^base-/.test(base) && map.has(originDs))
      name = `${base}/${leaf}`;
  }
  const isFs = d.type === 'filesystem';
  const size = isFs ? (parseSize(d.props.refquota ?? '') ?? Number(d.props.refquota ?? 0)) : (d.volsize ?? 0);
  return {
    volid: `${s.storage}:${name}`,
    storage: s.storage,
    content: isFs ? 'rootdir' : 'images',
    format: isFs ? 'subvol' : 'raw',
    size,
    used: d.used,
    vmid: g.vmid,
    ctime: d.creation,
  };
}

/** All volumes of a storage on a node. */
export function listVolumes(sim: SimContext, node: string, s: StorageDef): Volume[] {
  if (s.type === 'zfspool') {
    const out: Volume[] = [];
    const map = sim.world.zfs.get(node)!;
    const prefix = `${s.pool}/`;
    for (const d of map.values()) {
      if (!d.name.startsWith(prefix)) continue;
      const v = zfsVolume(s, d, map);
      if (v) out.push(v);
    }
    return out;
  }
  const out: Volume[] = [];
  for (const v of sim.world.volumes.get(node)!.values()) if (v.storage === s.storage) out.push(v);
  return out;
}

/** Looks a volume up by volid on a node (undefined when it does not exist). */
export function findVolume(sim: SimContext, node: string, volid: string): Volume | undefined {
  let parsed: { storage: string; name: string };
  try {
    parsed = parseVolumeId(volid);
  } catch {
    return undefined;
  }
  const s = sim.world.storages.get(parsed.storage);
  if (!s) return undefined;
  if (s.type === 'zfspool') {
    const map = sim.world.zfs.get(node)!;
    const d = map.get(datasetOf(s, parsed.name));
    return d ? zfsVolume(s, d, map) : undefined;
  }
  return sim.world.volumes.get(node)!.get(volid);
}

function nextDiskIndex(sim: SimContext, node: string, s: StorageDef, vmid: number): number {
  const used = new Set<number>();
  for (const v of listVolumes(sim, node, s)) {
    if (v.vmid !== vmid) continue;
    const m = /disk-(\d+)/.exec(v.volid.slice(v.volid.lastIndexOf('/') + 1));
    if (m) used.add(Number(m[1]));
  }
  let i = 0;
  while (used.has(i)) i++;
  return i;
}

function checkSpace(sim: SimContext, node: string, s: StorageDef, bytes: number, what: string): void {
  const { avail } = storageTotals(sim, node, s);
  if (bytes <= avail) return;
  if (s.type === 'zfspool') die(`zfs error: cannot create '${s.pool}/${what}': out of space`);
  if (s.type === 'lvmthin')
    die(
      `lvcreate '${s.vgname}/${what}' error:   Thin pool ${s.vgname}/${s.thinpool} has insufficient free space (${Math.floor(avail / 1024 ** 2)} MiB) for ${Math.ceil(bytes / 1024 ** 2)} MiB.`,
    );
  die(
    `unable to create image: qemu-img: ${s.path}/images/${what}: Could not resize file: No space left on device`,
  );
}

export interface AllocOptions {
  content: 'images' | 'rootdir';
  name?: string;
  format?: string;
  /** bytes actually written at creation (e.g. an unpacked template); default 0 / thick */
  initialUsed?: number;
}

/** Allocates a new guest volume; returns its volid. Throws PVE/storage errors. */
export function allocVolume(
  sim: SimContext,
  node: string,
  storageId: string,
  vmid: number,
  sizeBytes: number,
  opts: AllocOptions,
): string {
  const s = getStorage(sim, storageId);
  if (!s.content.includes(opts.content))
    die(`storage '${s.storage}' does not support ${CONTENT_WORDS[opts.content] ?? opts.content}`);
  const w = sim.world;
  const idx = nextDiskIndex(sim, node, s, vmid);
  if (s.type === 'zfspool') {
    const isFs = opts.content === 'rootdir';
    const leaf = opts.name ?? `${isFs ? 'subvol' : 'vm'}-${vmid}-disk-${idx}`;
    const name = `${s.pool}/${leaf}`;
    if (w.zfs.get(node)!.has(name)) die(`zfs error: cannot create '${name}': dataset already exists`);
    const charge = isFs ? (opts.initialUsed ?? 98304) : sizeBytes;
    checkSpace(sim, node, s, charge, leaf);
    if (isFs) {
      const used = opts.initialUsed ?? 98304;
      w.newDataset(node, name, 'filesystem', {
        used,
        referenced: used,
        props: { refquota: String(sizeBytes), acltype: 'posixacl', xattr: 'sa', mountpoint: `/${name}` },
      });
    } else {
      w.newDataset(node, name, 'volume', {
        volsize: sizeBytes,
        used: sizeBytes,
        referenced: opts.initialUsed ?? 57344,
        props: { volblocksize: '16384' },
      });
    }
    return `${s.storage}:${leaf}`;
  }
  if (s.type === 'lvmthin') {
    const leaf = opts.name ?? `vm-${vmid}-disk-${idx}`;
    const volid = `${s.storage}:${leaf}`;
    if (w.volumes.get(node)!.has(volid))
      die(`lvcreate '${s.vgname}/${leaf}' error: Logical Volume "${leaf}" already exists`);
    checkSpace(sim, node, s, sizeBytes, leaf);
    w.putVolume(node, {
      volid,
      storage: s.storage,
      content: opts.content,
      format: 'raw',
      size: sizeBytes,
      vmid,
      ctime: Math.floor(Date.now() / 1000),
    });
    return volid;
  }
  // dir storage: qcow2 images under <path>/images/<vmid>/, raw for containers
  const fmt = opts.format ?? (opts.content === 'rootdir' ? 'raw' : 'qcow2');
  const leaf = opts.name ?? `vm-${vmid}-disk-${idx}.${fmt}`;
  const volid = `${s.storage}:${vmid}/${leaf}`;
  if (w.volumes.get(node)!.has(volid)) die(`disk image '${s.path}/images/${vmid}/${leaf}' already exists`);
  const used = fmt === 'qcow2' ? 200704 : sizeBytes;
  checkSpace(sim, node, s, used, leaf);
  w.putVolume(node, {
    volid,
    storage: s.storage,
    content: opts.content,
    format: fmt,
    size: sizeBytes,
    used,
    vmid,
    ctime: Math.floor(Date.now() / 1000),
  });
  return volid;
}

/** Frees a volume (and, on ZFS, its snapshots). Throws when a ZFS clone depends on it. */
export function freeVolume(sim: SimContext, node: string, volid: string): void {
  const { storage, name } = parseVolumeId(volid);
  const s = getStorage(sim, storage);
  if (s.type === 'zfspool') {
    const map = sim.world.zfs.get(node)!;
    const ds = datasetOf(s, name);
    if (!map.has(ds)) return;
    const snaps = [...map.values()].filter((d) => d.name.startsWith(`${ds}@`));
    for (const snap of snaps) {
      const dependents = [...map.values()].filter((d) => d.origin === snap.name);
      if (dependents.length > 0)
        die(
          `zfs error: cannot destroy '${ds}': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\n${dependents.map((d) => d.name).join('\n')}`,
        );
    }
    for (const snap of snaps) sim.world.deleteDataset(node, snap.name);
    sim.world.deleteDataset(node, ds);
    return;
  }
  sim.world.deleteVolume(node, volid);
}

export function resizeVolume(sim: SimContext, node: string, volid: string, newSize: number): void {
  const { storage, name } = parseVolumeId(volid);
  const s = getStorage(sim, storage);
  const vol = findVolume(sim, node, volid);
  if (!vol) die(`volume '${volid}' does not exist`);
  const grow = newSize - vol!.size;
  if (s.type === 'zfspool') {
    const map = sim.world.zfs.get(node)!;
    const d = map.get(datasetOf(s, name))!;
    if (d.type === 'volume') {
      if (!d.origin) checkSpace(sim, node, s, grow, name);
      sim.world.putDataset(node, { ...d, volsize: newSize, used: d.origin ? d.used : newSize });
    } else {
      sim.world.putDataset(node, { ...d, props: { ...d.props, refquota: String(newSize) } });
    }
    return;
  }
  if (s.type === 'lvmthin') checkSpace(sim, node, s, grow, name);
  sim.world.putVolume(node, { ...vol!, size: newSize, used: s.type === 'lvmthin' ? newSize : vol!.used });
}

// --- snippets (files in a dir storage, written over SSH) ----------------------------------------

/** `/var/lib/vz/snippets/x.yaml` → the dir storage with `snippets` content whose directory that is. */
export function snippetTarget(
  sim: SimContext,
  path: string,
): { storage: StorageDef; file: string; volid: string } | undefined {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const file = path.slice(slash + 1);
  if (!file || file === '.' || file === '..') return undefined;
  for (const s of sim.world.storages.values()) {
    if (s.type !== 'dir' || !s.path || !s.content.includes('snippets')) continue;
    if (dir === `${s.path}/snippets`) return { storage: s, file, volid: `${s.storage}:snippets/${file}` };
  }
  return undefined;
}

export function writeSnippet(sim: SimContext, node: string, path: string, data: string): boolean {
  const t = snippetTarget(sim, path);
  if (!t) return false;
  const mode = sim.world.volumes.get(node)?.get(t.volid)?.mode; // tee keeps an existing file's mode
  sim.world.putVolume(node, {
    ...(mode ? { mode } : {}),
    volid: t.volid,
    storage: t.storage.storage,
    content: 'snippets',
    format: 'snippet',
    size: Buffer.byteLength(data),
    ctime: Math.floor(Date.now() / 1000),
    data,
  });
  return true;
}

/** true when a file was removed. */
export function removeSnippet(sim: SimContext, node: string, path: string): boolean {
  const t = snippetTarget(sim, path);
  if (!t || !sim.world.volumes.get(node)!.has(t.volid)) return false;
  sim.world.deleteVolume(node, t.volid);
  return true;
}

/** Hard link `<path>/template/iso/<f>` → `<path>/import/<f2>` inside one dir storage. */
export function linkImage(
  sim: SimContext,
  node: string,
  src: string,
  dst: string,
): 'ok' | 'exists' | 'nosrc' | 'denied' {
  for (const s of sim.world.storages.values()) {
    if (s.type !== 'dir' || !s.path || !src.startsWith(`${s.path}/template/iso/`)) continue;
    const file = src.slice(`${s.path}/template/iso/`.length);
    const vol = sim.world.volumes.get(node)!.get(`${s.storage}:iso/${file}`);
    if (!vol || file.includes('/')) return 'nosrc';
    const target = dst.startsWith(`${s.path}/import/`) ? dst.slice(`${s.path}/import/`.length) : '';
    if (!target || target.includes('/') || !s.content.includes('import')) return 'denied';
    const volid = `${s.storage}:import/${target}`;
    if (sim.world.volumes.get(node)!.has(volid)) return 'exists';
    sim.world.putVolume(node, {
      volid,
      storage: s.storage,
      content: 'import',
      format: target.endsWith('.qcow2') ? 'qcow2' : 'raw',
      size: vol.size,
      ctime: vol.ctime,
    });
    return 'ok';
  }
  return 'denied';
}

// --- API handlers -------------------------------------------------------------------------------

function storageEntry(sim: SimContext, node: string, s: StorageDef) {
  const t = storageTotals(sim, node, s);
  return {
    storage: s.storage,
    type: s.type,
    content: s.content.join(','),
    shared: s.shared ? 1 : 0,
    active: 1,
    enabled: 1,
    total: t.total,
    used: t.used,
    avail: t.avail,
    used_fraction: t.total ? t.used / t.total : 0,
  };
}

export function listStorages(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const content = str(params, 'content');
  const only = str(params, 'storage');
  const out = [];
  for (const s of sim.world.storages.values()) {
    if (only && s.storage !== only) continue;
    if (content && !content.split(',').every((c) => s.content.includes(c))) continue;
    out.push(storageEntry(sim, node, s));
  }
  return out;
}

/** GET /storage/{storage}: the storage configuration (storage.cfg section) with its digest. */
export function storageConfig(req: RequestCtx) {
  const s = getStorage(req.sim, reqStr(req.params, 'storage'));
  const cfg: Record<string, unknown> = { storage: s.storage, type: s.type, content: s.content.join(',') };
  if (s.path) cfg.path = s.path;
  if (s.pool) cfg.pool = s.pool;
  if (s.vgname) cfg.vgname = s.vgname;
  if (s.thinpool) cfg.thinpool = s.thinpool;
  if (s.shared) cfg.shared = 1;
  if (s.type === 'zfspool') cfg.sparse = 1;
  if (s.type === 'dir') cfg['prune-backups'] = 'keep-all=1';
  cfg.digest = createHash('sha1').update(JSON.stringify(cfg)).digest('hex');
  return cfg;
}

export function storageStatus(req: RequestCtx) {
  const node = reqStr(req.params, 'node');
  const s = getStorage(req.sim, reqStr(req.params, 'storage'));
  return storageEntry(req.sim, node, s);
}

function contentEntry(v: Volume) {
  const e: Record<string, unknown> = {
    volid: v.volid,
    content: v.content,
    format: v.format,
    size: v.size,
    ctime: v.ctime,
  };
  if (v.used !== undefined) e.used = v.used;
  if (v.vmid !== undefined) e.vmid = v.vmid;
  if (v.notes) e.notes = v.notes;
  if (v.protected) e.protected = 1;
  const dump = /\/vzdump-(qemu|lxc)-/.exec(v.volid);
  if (dump && v.content === 'backup') e.subtype = dump[1];
  const parent = /^[^:]+:(base-\d+-disk-\d+)\//.exec(v.volid);
  if (parent) e.parent = parent[1];
  return e;
}

export function listContent(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const s = getStorage(sim, reqStr(params, 'storage'));
  const content = str(params, 'content');
  const vmid = int(params, 'vmid');
  return listVolumes(sim, node, s)
    .filter((v) => (!content || v.content === content) && (vmid === undefined || v.vmid === vmid))
    .sort((a, b) => a.volid.localeCompare(b.volid))
    .map(contentEntry);
}

/** POST …/content: allocate a disk image synchronously, returns the volid. */
export function allocContent(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const storage = reqStr(params, 'storage');
  const vmid = Number(reqStr(params, 'vmid'));
  const filename = reqStr(params, 'filename');
  const sizeText = reqStr(params, 'size');
  const format = str(params, 'format');
  // size: plain number = KiB, or with a M/G suffix
  const m = /^(\d+)([MG])?$/.exec(sizeText);
  if (!m) paramError({ size: 'unable to parse size' });
  const size = Number(m![1]) * (m![2] === 'G' ? 1024 ** 3 : m![2] === 'M' ? 1024 ** 2 : 1024);
  const expect = new RegExp(`^(vm|base|subvol)-${vmid}-`);
  if (!expect.test(filename))
    paramError({ filename: `illegal name '${filename}' - should be 'vm-${vmid}-*'` });
  const s = getStorage(sim, storage);
  const content = filename.startsWith('subvol-') ? 'rootdir' : 'images';
  const name =
    s.type === 'dir' && !/\.(raw|qcow2|vmdk)$/.test(filename) ? `${filename}.${format ?? 'raw'}` : filename;
  return allocVolume(sim, node, storage, vmid, size, { content, name, format: format ?? undefined });
}

export function volumeAttributes(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const storage = reqStr(params, 'storage');
  let volid = reqStr(params, 'volume');
  if (!volid.includes(':')) volid = `${storage}:${volid}`;
  const v = findVolume(sim, node, volid);
  if (!v) die(`volume '${volid}' does not exist`);
  return {
    path: `/dev/zvol/${volid}`,
    size: v!.size,
    used: v!.used ?? v!.size,
    format: v!.format,
    notes: v!.notes,
    protected: v!.protected ? 1 : 0,
  };
}

/** DELETE …/content/{volume}: async (imgdel). */
export function deleteContent(req: RequestCtx) {
  const { sim, params, user } = req;
  const node = reqStr(params, 'node');
  const storage = reqStr(params, 'storage');
  let volid = reqStr(params, 'volume');
  if (!volid.includes(':')) volid = `${storage}:${volid}`;
  const v = findVolume(sim, node, volid);
  if (!v) die(`volume '${volid}' does not exist`);
  if (v!.protected) die(`volume '${volid}' is protected`);
  if (v!.vmid !== undefined && (v!.content === 'images' || v!.content === 'rootdir')) {
    const g = sim.world.guests.get(v!.vmid);
    if (g && Object.values(g.config).some((val) => val.split(',')[0] === volid))
      die(`unable to delete '${volid}' - volume is still in use (guest ${v!.vmid})`);
  }
  return sim.tasks.start({
    node,
    type: 'imgdel',
    // PVE forks imgdel without an id (a volid's ':' could not appear in a UPID)
    id: '',
    user,
    work: (ctx) => {
      freeVolume(sim, node, volid);
      ctx.log(`Removed volume '${volid}'`);
    },
  });
}

export function parseDiskSizeGiB(text: string): number | undefined {
  // STORAGE:SIZE_IN_GiB (may be fractional, e.g. 0.5)
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Math.round(Number(text) * 1024 ** 3);
}

export function bytesToSizeText(bytes: number): string {
  const units: [string, number][] = [
    ['T', 1024 ** 4],
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ];
  for (const [u, n] of units) if (bytes % n === 0 && bytes >= n) return `${bytes / n}${u}`;
  return String(bytes);
}

export function isContentBool(p: RequestCtx['params'], k: string) {
  return bool(p, k);
}

export { PveError };
