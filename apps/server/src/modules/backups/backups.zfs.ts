/**
 * Volume backups beyond the local snapshot: a copy of each backup snapshot in the admin's backup
 * dataset (`PROXICLOUD_BACKUP_ZFS_DATASET`, typically on another pool), made with `zfs send |
 * zfs receive` through the host agent, incrementally from the newest snapshot both sides hold
 * (Sanoid/syncoid style). One dataset per volume: `<backup dataset>/<volume id>`. Copies outlive
 * the volume, so a volume that was deleted can still be restored from them.
 */
import type { ZfsAgent } from '@proxicloud/proxmox-client';

/** What a volume was at backup time: enough to create it again from a copy. */
export interface VolumeSpec {
  sizeGib: number;
  volumeType: string;
  format: 'block' | 'filesystem';
  storage?: string;
  zfsPool?: string;
  node?: string;
}

function snapName(ref: string): string {
  return ref.slice(ref.indexOf('@') + 1);
}

async function snapshotsOf(zfs: ZfsAgent, dataset: string): Promise<string[] | null> {
  const all = await zfs.list({ root: dataset, type: 'snapshot', depth: 1 }).catch((e: unknown) => {
    if (/does not exist/.test(String((e as { stderr?: string }).stderr ?? e))) return null;
    throw e;
  });
  if (all === null) return null;
  return (
    all
      .filter((d) => d.name.startsWith(`${dataset}@`))
      // `creation` has one-second resolution; within a second, zfs already lists a dataset's
      // snapshots in creation (txg) order, which the stable sort keeps. Sorting ties by name broke
      // incremental sends when two backups ran in the same second (the wrong "newest" base).
      .sort((a, b) => a.creation - b.creation)
      .map((d) => snapName(d.name))
  );
}

/**
 * Copy `snapshot` (`pool/ds@name`) to `<parent>/<volumeId>`: incremental from the newest snapshot
 * the copy already has (and the source still has), else a full stream into a fresh dataset.
 * Returns the copy's `dataset@name` and the incremental base used (null: a full stream).
 */
export async function copyVolumeSnapshot(
  zfs: ZfsAgent,
  snapshot: string,
  parent: string,
  volumeId: string,
): Promise<{ ref: string; incrementalFrom: string | null }> {
  const full = async (to: string) => ({ ref: await zfs.sendTo(snapshot, to), incrementalFrom: null });
  const source = snapshot.slice(0, snapshot.indexOf('@'));
  const name = snapName(snapshot);
  const target = `${parent}/${volumeId}`;
  const have = await snapshotsOf(zfs, target);
  if (have === null) return full(target);
  if (have.includes(name)) return { ref: `${target}@${name}`, incrementalFrom: null }; // a retried step
  const sourceSnaps = new Set((await snapshotsOf(zfs, source)) ?? []);
  const base = [...have].reverse().find((s) => sourceSnaps.has(s));
  if (base)
    return { ref: await zfs.sendTo(snapshot, target, { incrementalFrom: base }), incrementalFrom: base };
  // nothing in common any more: the old copy dataset holds no usable base; start a new one
  if (have.length === 0) await zfs.destroy(target, { recursive: true });
  else return full(`${target}.${name}`);
  return full(target);
}

/** Remove one copy (retention, point deletion); the dataset goes with its last snapshot. */
export async function destroyCopy(zfs: ZfsAgent, ref: string): Promise<void> {
  const dataset = ref.slice(0, ref.indexOf('@'));
  const have = await snapshotsOf(zfs, dataset);
  if (have === null) return;
  if (have.includes(snapName(ref))) await zfs.destroy(ref);
  if (have.filter((s) => s !== snapName(ref)).length === 0) await zfs.destroy(dataset, { recursive: true });
}

/** Receive a copy into `dataset` (a new volume) and drop the snapshot it arrived with. */
export async function receiveCopy(zfs: ZfsAgent, ref: string, dataset: string): Promise<void> {
  await zfs.sendTo(ref, dataset);
  await zfs.destroy(`${dataset}@${snapName(ref)}`);
}
