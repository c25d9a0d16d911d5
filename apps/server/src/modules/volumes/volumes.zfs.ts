/**
 * ZFS mechanics of EBS-style volumes. Proxmox names guest disks after their VMID
 * (`vm-<vmid>-disk-<n>`, `subvol-<vmid>-disk-<n>`) and refuses to attach another guest's disk, so
 * a volume is "re-homed" when it moves: to the instance's VMID on attach, and back to the holder
 * VMID (a VMID no guest uses) on detach. Re-homing is a rename without copying data:
 *
 *   zfs snapshot <old>@<move>; zfs clone <old>@<move> <new>; zfs promote <new>
 *   (the volume's snapshots move to <new>; <old> becomes an empty clone)
 *   <old> is then destroyed (by PVE when it is an unusedN entry, else here); zfs destroy <new>@<move>
 *
 * Every step is idempotent so an interrupted move resumes from whatever state ZFS is in.
 */
import { HostAgentCommandError, type ZfsAgent, type ZfsDataset } from '@proxicloud/proxmox-client';
import { ComputeError } from '../proxmox/index.ts';

/** A VMID no guest ever gets (PVE's upper bound; nextid counts up from 100). */
export const HOLDER_VMID = 999_999_999;

export type VolumeFormat = 'block' | 'filesystem';

export function leafPrefix(format: VolumeFormat, vmid: number): string {
  return `${format === 'block' ? 'vm' : 'subvol'}-${vmid}-disk-`;
}

/** `local-zfs:vm-101-disk-2` → `vm-101-disk-2` */
export function leafOf(volid: string): string {
  return volid.slice(volid.indexOf(':') + 1);
}

/** Next free `<prefix><n>` among existing names (dataset leaves or PVE volume names). */
export function nextLeaf(leaves: readonly string[], prefix: string): string {
  const used = new Set<number>();
  for (const leaf of leaves) {
    if (!leaf.startsWith(prefix)) continue;
    const m = /^(\d+)$/.exec(leaf.slice(prefix.length));
    if (m) used.add(Number(m[1]));
  }
  let n = 0;
  while (used.has(n)) n++;
  return `${prefix}${n}`;
}

/** Leaf names of the datasets directly under `pool` (snapshots excluded). */
export function leavesOf(datasets: readonly ZfsDataset[], pool: string): string[] {
  return datasets
    .filter((d) => d.type !== 'snapshot' && d.name.startsWith(`${pool}/`))
    .map((d) => d.name.slice(pool.length + 1));
}

export async function listPool(zfs: ZfsAgent, pool: string): Promise<ZfsDataset[]> {
  return zfs.list({ root: pool, type: 'all', recursive: true });
}

function exists(datasets: readonly ZfsDataset[], name: string): ZfsDataset | undefined {
  return datasets.find((d) => d.name === name);
}

export interface MovePlan {
  pool: string;
  from: string;
  to: string;
  /** snapshot name used for the move */
  snap: string;
  format: VolumeFormat;
  sizeBytes: number;
}

/**
 * Phase 1 of a move: `to` becomes the volume (with all its snapshots); `from` is left as an empty
 * clone of `to@snap` (or already gone). Idempotent.
 */
export async function moveDataset(zfs: ZfsAgent, plan: MovePlan): Promise<void> {
  const src = `${plan.pool}/${plan.from}`;
  const dst = `${plan.pool}/${plan.to}`;
  let all = await listPool(zfs, plan.pool);
  const dstDs = exists(all, dst);
  if (dstDs && !dstDs.origin) return; // already promoted (or never needed)
  if (!dstDs) {
    if (!exists(all, src)) throw new ComputeError('volume_missing', `ZFS dataset ${src} does not exist`);
    if (!exists(all, `${src}@${plan.snap}`)) await zfs.snapshot(src, plan.snap);
    await zfs.clone(`${src}@${plan.snap}`, dst, {
      properties: plan.format === 'filesystem' ? { refquota: String(plan.sizeBytes) } : {},
    });
    all = await listPool(zfs, plan.pool);
  }
  await zfs.promote(dst);
}

/** Phase 2: remove what is left of the old dataset (if PVE did not) and the move snapshot. */
export async function finishMove(zfs: ZfsAgent, plan: MovePlan, destroySource: boolean): Promise<void> {
  const src = `${plan.pool}/${plan.from}`;
  const dst = `${plan.pool}/${plan.to}`;
  const all = await listPool(zfs, plan.pool);
  if (destroySource) {
    const s = exists(all, src);
    if (s && s.origin === `${dst}@${plan.snap}`) await zfs.destroy(src, { recursive: true });
  }
  if (exists(all, `${dst}@${plan.snap}`)) {
    try {
      await zfs.destroy(`${dst}@${plan.snap}`);
    } catch (e) {
      // still held by the old dataset (PVE keeps it while it is an unused disk): leave it
      if (!(e instanceof HostAgentCommandError)) throw e;
    }
  }
}

/** Datasets whose origin is one of `dataset`'s snapshots (volumes cloned from it). */
export function dependentsOf(all: readonly ZfsDataset[], dataset: string): ZfsDataset[] {
  return all.filter((d) => d.origin?.startsWith(`${dataset}@`));
}

export function snapshotsOf(all: readonly ZfsDataset[], dataset: string): ZfsDataset[] {
  return all
    .filter((d) => d.type === 'snapshot' && d.name.startsWith(`${dataset}@`))
    .sort((a, b) => a.creation - b.creation);
}
