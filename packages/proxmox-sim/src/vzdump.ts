/**
 * Backups: `POST /nodes/{node}/vzdump` (a `vzdump` task with PVE's log, modes snapshot / suspend /
 * stop, compression, notes, protected, prune-backups), backup archives as `backup` content of a
 * storage (`local:backup/vzdump-qemu-100-2026_12_06-01_00_00.vma.zst`, deleted through the usual
 * content DELETE), `GET …/vzdump/extractconfig`, `GET|DELETE …/storage/{storage}/prunebackups`,
 * and restore: `POST /nodes/{node}/qemu` with `archive` (qmrestore) and `POST /nodes/{node}/lxc`
 * with `ostemplate=<backup>` + `restore=1` (pct restore).
 *
 * An archive carries the guest's type and configuration (in the volume's `data`), so a restore
 * recreates the guest with the same settings and freshly allocated disks. Failures: a full target
 * storage fails the backup with vzdump's "No space left on device" log; `faults.failTask({type:
 * 'vzdump'})` fails it with any message.
 *
 * Liberty: archive names have second resolution; two backups of one guest in the same second get
 * consecutive seconds (real PVE would refuse the second one with "file exists").
 */
import {
  type ParamValue,
  parsePruneBackups,
  parseSize,
  parseVolumeId,
  pruneMark,
} from '@proxicloud/pve-schema';
import { bool, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, paramError } from './errors.ts';
import { guestName, isDiskKey, label, maxdiskOf } from './guests.ts';
import type { Guest, GuestType, Volume } from './state.ts';
import { allocVolume, bytesToSizeText, findVolume, freeVolume, getStorage, listVolumes } from './storage.ts';

type Route = (m: string, t: string, h: (r: RequestCtx) => unknown) => void;

interface ArchiveData {
  type: GuestType;
  config: Record<string, string>;
}

const pad = (n: number) => String(n).padStart(2, '0');
function stamp(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}-${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}
function human(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function ext(t: GuestType, compress: string | undefined): string {
  const base = t === 'qemu' ? 'vma' : 'tar';
  const c = { '0': '', '1': '.lzo', gzip: '.gz', lzo: '.lzo', zstd: '.zst' }[compress ?? '0'] ?? '';
  return `${base}${c}`;
}

/** Parses `vzdump-qemu-100-2026_12_06-01_00_00.vma.zst`. */
export function parseArchiveName(volid: string): { type: GuestType; vmid: number } | undefined {
  const m =
    /(?:^|[:/])vzdump-(qemu|lxc)-(\d+)-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.(?:vma|tar)(?:\.[a-z]+)?$/.exec(volid);
  return m ? { type: m[1] as GuestType, vmid: Number(m[2]) } : undefined;
}

function archiveData(v: Volume): ArchiveData {
  try {
    return JSON.parse(v.data ?? '') as ArchiveData;
  } catch {
    return die(`unable to read configuration from archive '${v.volid}'`);
  }
}

function configText(data: ArchiveData): string {
  return `${Object.entries(data.config)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n`;
}

function renderNotes(template: string, g: Guest, node: string): string {
  return template
    .replace(/\{\{guestname\}\}/g, guestName(g))
    .replace(/\{\{node\}\}/g, node)
    .replace(/\{\{vmid\}\}/g, String(g.vmid))
    .replace(/\{\{cluster\}\}/g, 'pve');
}

function backupsOf(sim: SimContext, node: string, storage: string, vmid?: number): Volume[] {
  const s = getStorage(sim, storage);
  return listVolumes(sim, node, s).filter(
    (v) => v.content === 'backup' && (vmid === undefined || v.vmid === vmid),
  );
}

/** Prune one guest's backups on a storage; returns the volids removed. */
function pruneGroup(sim: SimContext, node: string, storage: string, vmid: number, options: string): string[] {
  const list = backupsOf(sim, node, storage, vmid).map((v) => ({
    id: v.volid,
    ctime: v.ctime,
    protected: v.protected,
  }));
  const removed: string[] = [];
  for (const r of pruneMark(list, parsePruneBackups(options))) {
    if (r.mark !== 'remove') continue;
    freeVolume(sim, node, r.entry.id);
    removed.push(r.entry.id);
  }
  return removed;
}

/** POST /nodes/{node}/vzdump */
function vzdump(req: RequestCtx) {
  const { sim, params, user } = req;
  const node = reqStr(params, 'node');
  if (bool(params, 'all') || str(params, 'pool')) die('the simulator backs up guests by vmid only');
  const vmids = (str(params, 'vmid') ?? '')
    .split(/[,\s;]+/)
    .filter(Boolean)
    .map(Number);
  if (vmids.length === 0) paramError({ vmid: 'property is missing and it is not optional' });
  const storage = str(params, 'storage') ?? 'local';
  const s = getStorage(sim, storage);
  if (!s.content.includes('backup')) die(`storage '${storage}' does not support backups`);
  const mode = str(params, 'mode') ?? 'snapshot';
  const compress = str(params, 'compress') ?? '0';
  const notesTemplate = str(params, 'notes-template');
  const protect = bool(params, 'protected');
  const prune = str(params, 'prune-backups');
  const guests: Guest[] = [];
  for (const vmid of vmids) {
    const g = sim.world.guests.get(vmid);
    if (!g || g.node !== node) die(`guest ${vmid} is not on node '${node}'`);
    if (g!.lock) die(`VM is locked (${g!.lock})`);
    guests.push(g!);
  }
  for (const g of guests) g.lock = 'backup';
  const start = Math.floor(Date.now() / 1000);
  const cmd = ['vzdump', vmids.join(' ')];
  for (const k of ['mode', 'compress', 'storage', 'notes-template', 'remove', 'prune-backups'] as const) {
    const v = str(params, k);
    if (v !== undefined) cmd.push(`--${k} ${/\s/.test(v) ? `'${v}'` : v}`);
  }
  return sim.tasks.start({
    node,
    type: 'vzdump',
    id: vmids.length === 1 ? String(vmids[0]) : '',
    user,
    startLog: [`INFO: starting new backup job: ${cmd.join(' ')}`],
    work: (ctx) => {
      let failed = 0;
      for (const g of guests) {
        const t0 = Math.floor(Date.now() / 1000);
        ctx.log(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
        ctx.log(`INFO: Backup started at ${human(t0)}`);
        ctx.log(`INFO: status = ${g.status}`);
        ctx.log(`INFO: ${g.type === 'qemu' ? 'VM' : 'CT'} Name: ${guestName(g)}`);
        for (const [k, v] of Object.entries(g.config)) {
          if (!isDiskKey(g.type, k) || /media=cdrom/.test(v)) continue;
          const size = /(?:^|,)size=([^,]+)/.exec(v)?.[1] ?? '';
          ctx.log(`INFO: include disk '${k}' '${v.split(',')[0]}' ${size}`);
        }
        ctx.log(`INFO: backup mode: ${mode}`);
        ctx.log('INFO: ionice priority: 7');
        const wasRunning = g.status === 'running';
        if (wasRunning && mode === 'stop') ctx.log(`INFO: stopping virtual guest`);
        if (wasRunning && mode === 'suspend') ctx.log(`INFO: suspending guest`);
        // a unique archive name (see the liberty in the header)
        const existing = new Set(backupsOf(sim, node, storage, g.vmid).map((v) => v.ctime));
        let ctime = Math.max(t0, start);
        while (existing.has(ctime)) ctime++;
        const file = `vzdump-${g.type}-${g.vmid}-${stamp(ctime)}.${ext(g.type, compress)}`;
        const volid = `${storage}:backup/${file}`;
        ctx.log(`INFO: creating vzdump archive '${s.path ?? '/mnt/pve/' + storage}/dump/${file}'`);
        const total = maxdiskOf(g);
        const size = Math.max(1024 ** 2, Math.round(total / (compress === '0' ? 4 : 12)));
        if (
          sim.faults.fullStorages.has(storage) ||
          size > Math.max(0, s.total - sim.world.used(node, storage))
        ) {
          ctx.log(
            `INFO: ${g.type === 'qemu' ? '  0% (0.0 B of ' + gib(total) + ')' : 'tar: write error'} in 0s`,
          );
          ctx.log(
            `ERROR: Backup of VM ${g.vmid} failed - ${g.type === 'qemu' ? 'vma_queue_write: write error - No space left on device' : `command 'set -o pipefail && tar cpf - ... | zstd' failed: exit code 2`}`,
          );
          ctx.log(`INFO: Failed at ${human(Math.floor(Date.now() / 1000))}`);
          failed++;
          continue;
        }
        if (wasRunning && mode !== 'snapshot') ctx.log(`INFO: resuming VM again`);
        ctx.log(
          `INFO: 100% (${gib(total)} of ${gib(total)}) in 1s, read: ${gib(total)}/s, write: ${gib(size)}/s`,
        );
        ctx.log(`INFO: transferred ${gib(total)} in 1 seconds`);
        ctx.log(`INFO: archive file size: ${bytesToSizeText(size)}`);
        const notes = notesTemplate ? renderNotes(notesTemplate, g, node) : undefined;
        if (notes) ctx.log('INFO: adding notes to backup');
        if (protect) ctx.log('INFO: marking backup as protected');
        const data: ArchiveData = { type: g.type, config: { ...g.config } };
        sim.world.putVolume(node, {
          volid,
          storage,
          content: 'backup',
          format: ext(g.type, compress),
          size,
          vmid: g.vmid,
          ctime,
          ...(notes ? { notes } : {}),
          ...(protect ? { protected: true } : {}),
          data: JSON.stringify(data),
        });
        if (prune) {
          ctx.log(`INFO: prune older backups with retention: ${prune}`);
          const removed = pruneGroup(sim, node, storage, g.vmid, prune);
          for (const r of removed) ctx.log(`INFO: removing backup '${r}'`);
          ctx.log(`INFO: pruned ${removed.length} backup(s) not covered by keep-retention policy`);
        }
        ctx.log(`INFO: Finished Backup of VM ${g.vmid} (00:00:01)`);
        ctx.log(`INFO: Backup finished at ${human(Math.floor(Date.now() / 1000))}`);
      }
      if (failed) throw new Error('job errors');
      ctx.log('INFO: Backup job finished successfully');
    },
    finally: () => {
      for (const g of guests) if (g.lock === 'backup') delete g.lock;
      sim.world.touch();
    },
  });
}

/** GET /nodes/{node}/vzdump/extractconfig: the guest configuration stored in an archive. */
function extractConfig(req: RequestCtx) {
  const node = reqStr(req.params, 'node');
  const volid = reqStr(req.params, 'volume');
  const v = findVolume(req.sim, node, volid);
  if (v?.content !== 'backup') die(`volume '${volid}' does not exist`);
  return configText(archiveData(v!));
}

function pruneListing(req: RequestCtx) {
  const { sim, params } = req;
  const node = reqStr(params, 'node');
  const storage = reqStr(params, 'storage');
  const type = str(params, 'type');
  const vmid = str(params, 'vmid');
  const options = str(params, 'prune-backups') ?? 'keep-all=1';
  const groups = new Map<string, Volume[]>();
  for (const v of backupsOf(sim, node, storage, vmid === undefined ? undefined : Number(vmid))) {
    const a = parseArchiveName(v.volid);
    if (!a || (type && a.type !== type)) continue;
    const key = `${a.type}/${a.vmid}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const out: { volid: string; ctime: number; mark: string; type: string; vmid: number }[] = [];
  for (const [key, vols] of groups) {
    const [t, id] = key.split('/') as [string, string];
    const marks = pruneMark(
      vols.map((v) => ({ id: v.volid, ctime: v.ctime, protected: v.protected })),
      parsePruneBackups(options),
    );
    for (const m of marks)
      out.push({ volid: m.entry.id, ctime: m.entry.ctime, mark: m.mark, type: t, vmid: Number(id) });
  }
  return { node, out, options };
}

/** Restore (qmrestore / pct restore) through the create endpoints. */
export function restoreGuest(t: GuestType, req: RequestCtx): string {
  const { sim, params, user } = req;
  const node = reqStr(params, 'node');
  const vmid = Number(reqStr(params, 'vmid'));
  const archive = t === 'qemu' ? reqStr(params, 'archive') : reqStr(params, 'ostemplate');
  const v = findVolume(sim, node, archive);
  if (v?.content !== 'backup') die(`volume '${archive}' does not exist`);
  const data = archiveData(v!);
  if (data.type !== t)
    die(`unable to restore ${label(t)} ${vmid} - archive '${archive}' contains a ${label(data.type)} backup`);
  const force = bool(params, 'force');
  const existing = sim.world.guests.get(vmid);
  if (existing) {
    if (!force)
      die(
        `unable to restore ${label(t)} ${vmid} - ${label(t)} ${vmid} already exists on node '${existing.node}'`,
      );
    if (existing.type !== t)
      die(`unable to restore ${label(t)} ${vmid} - guest ${vmid} is a ${label(existing.type)}`);
    if (existing.node !== node)
      die(`unable to restore ${label(t)} ${vmid} - it is on node '${existing.node}'`);
    if (existing.status === 'running') die(`unable to restore ${label(t)} ${vmid} - ${label(t)} is running`);
    if (existing.lock) die(`${label(t)} is locked (${existing.lock})`);
  }
  const targetStorage = str(params, 'storage');
  if (targetStorage) getStorage(sim, targetStorage);
  // the archive's configuration, then what the request overrides (name, memory, tags …)
  const config: Record<string, string> = { ...data.config };
  const overrides: Record<string, ParamValue> = { ...params };
  for (const k of [
    'node',
    'vmid',
    'archive',
    'ostemplate',
    'restore',
    'force',
    'storage',
    'unique',
    'start',
    'pool',
    'bwlimit',
    'live-restore',
    'ignore-unpack-errors',
  ])
    delete overrides[k];
  for (const [k, val] of Object.entries(overrides)) {
    if (val === undefined || val === null) continue;
    config[k] = typeof val === 'boolean' ? (val ? '1' : '0') : String(val);
  }
  delete config.lock;
  for (const k of Object.keys(config)) if (/^unused\d+$/.test(k)) delete config[k];
  const disks = Object.entries(config).filter(([k, val]) => isDiskKey(t, k) && !/media=cdrom/.test(val));
  const cloudinit = Object.entries(config).filter(([, val]) => /cloudinit/.test(val.split(',')[0]!));
  if (bool(params, 'unique') && t === 'qemu') {
    for (const k of Object.keys(config))
      if (/^net\d+$/.test(k))
        config[k] = config[k]!.replace(
          /^(\w+)=([0-9A-Fa-f:]{17})/,
          (_m, model) => `${model}=${sim.world.nextMac()}`,
        );
  }
  const old = existing;
  const g: Guest = old ?? {
    vmid,
    type: t,
    node,
    config: {},
    status: 'stopped',
    snapshots: {},
    firewall: { rules: [], options: {} },
  };
  g.lock = 'create';
  if (!old) sim.world.addGuest(g);
  const allocated: string[] = [];
  const dumpFile = `/var/lib/vz/dump/${archive.split('/').pop()}`;
  return sim.tasks.start({
    node,
    type: t === 'qemu' ? 'qmrestore' : 'vzrestore',
    id: String(vmid),
    user,
    startLog:
      t === 'qemu'
        ? [
            `restore vma archive: zstd -q -d -c ${dumpFile} | vma extract -v -r /var/tmp/vzdumptmp${vmid}.fifo - /var/tmp/vzdumptmp${vmid}`,
          ]
        : [`recovering backed-up configuration from '${archive}'`],
    work: (ctx) => {
      if (old) {
        // overwrite: the old disks go first (qmrestore --force)
        for (const [k, val] of Object.entries(old.config)) {
          if (!(isDiskKey(t, k) || /^unused\d+$/.test(k))) continue;
          const id = val.split(',')[0]!;
          // the guest's own volumes (disks and the cloud-init drive), not ISOs it mounts
          const vol = id.includes(':') ? findVolume(sim, node, id) : undefined;
          if (vol && (vol.content === 'images' || vol.content === 'rootdir')) freeVolume(sim, node, id);
        }
        old.snapshots = {};
        delete old.parent;
      }
      const out = { ...config };
      for (const [k, val] of disks) {
        const parts = val.split(',');
        const from = parts[0]!;
        if (!from.includes(':')) continue;
        const size = parseSize(/(?:^|,)size=([^,]+)/.exec(val)?.[1] ?? '') ?? 4 * 1024 ** 3;
        const storage = targetStorage ?? parseVolumeId(from).storage;
        if (t === 'qemu') ctx.log(`DEV: dev_id=1 size: ${size} devname: drive-${k}`);
        const volid = allocVolume(sim, node, storage, vmid, size, {
          content: t === 'lxc' ? 'rootdir' : 'images',
          initialUsed: t === 'lxc' ? 600 * 1024 ** 2 : undefined,
        });
        allocated.push(volid);
        if (t === 'qemu') ctx.log(`new volume ID is '${volid}'`);
        else ctx.log(`restoring '${archive}' now..`);
        out[k] = [volid, ...parts.slice(1)].join(',');
      }
      for (const [k, val] of cloudinit) {
        const storage = targetStorage ?? parseVolumeId(val.split(',')[0]!).storage;
        const s = getStorage(sim, storage);
        const volid = allocVolume(sim, node, storage, vmid, 4 * 1024 ** 2, {
          content: 'images',
          name: s.type === 'dir' ? `vm-${vmid}-cloudinit.qcow2` : `vm-${vmid}-cloudinit`,
        });
        allocated.push(volid);
        out[k] = `${volid},media=cdrom`;
      }
      if (t === 'qemu') {
        ctx.log('progress 100% (read 34359738368 bytes, duration 1 sec)');
        ctx.log('total bytes read 34359738368, sparse bytes 31138512896 (90.6%)');
        ctx.log('rescan volumes...');
      } else {
        ctx.log(`extracting archive '${dumpFile}'`);
        ctx.log('Total bytes read: 536870912 (512MiB, 1.5GiB/s)');
        ctx.log('merging backed-up and given configuration..');
      }
      g.config = out;
      g.status = 'stopped';
      delete g.lock;
      if (bool(params, 'start')) {
        g.status = 'running';
        g.startedAt = Date.now();
        g.ip ??= sim.world.nextGuestIp();
      }
      sim.world.touch();
    },
    onFail: () => {
      for (const id of allocated) freeVolume(sim, node, id);
      if (!old) sim.world.removeGuest(vmid);
      else delete old.lock;
    },
  });
}

/** True when a create request is a restore (qemu `archive`, or lxc `restore=1`). */
export function isRestore(t: GuestType, params: Record<string, ParamValue>): boolean {
  return t === 'qemu' ? str(params, 'archive') !== undefined : bool(params, 'restore');
}

export function vzdumpRoutes(route: Route): void {
  const N = '/nodes/{node}';
  route('POST', `${N}/vzdump`, vzdump);
  route('GET', `${N}/vzdump/extractconfig`, extractConfig);
  route('GET', `${N}/vzdump/defaults`, (req) => ({
    mode: 'snapshot',
    compress: '0',
    storage: str(req.params, 'storage') ?? 'local',
    'prune-backups': 'keep-all=1',
    ionice: 7,
  }));
  route('GET', `${N}/storage/{storage}/prunebackups`, (req) =>
    pruneListing(req).out.map(({ volid, ctime, mark, type, vmid }) => ({ volid, ctime, mark, type, vmid })),
  );
  route('DELETE', `${N}/storage/{storage}/prunebackups`, (req) => {
    const { node, out, options } = pruneListing(req);
    const storage = reqStr(req.params, 'storage');
    return req.sim.tasks.start({
      node,
      type: 'prunebackups',
      id: '',
      user: req.user,
      startLog: [`prune backups on storage '${storage}' with retention: ${options}`],
      work: (ctx) => {
        for (const e of out) {
          if (e.mark !== 'remove') continue;
          freeVolume(req.sim, node, e.volid);
          ctx.log(`removing backup '${e.volid}'`);
        }
      },
    });
  });
}
