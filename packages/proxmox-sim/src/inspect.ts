/** Read-only views of the simulated state for assertions (`sim.inspect()`, `GET /_sim/state`). */
import type { SimContext } from './context.ts';
import { PveError } from './errors.ts';
import { listVolumes } from './storage.ts';

export function storageSnapshot(sim: SimContext) {
  const out: Record<
    string,
    Record<
      string,
      { volid: string; content: string; size: number; vmid?: number; data?: string; mode?: string }[]
    >
  > = {};
  for (const node of sim.world.nodes.keys()) {
    out[node] = {};
    for (const s of sim.world.storages.values())
      out[node]![s.storage] = listVolumes(sim, node, s).map((v) => ({
        volid: v.volid,
        content: v.content,
        size: v.size,
        ...(v.vmid !== undefined ? { vmid: v.vmid } : {}),
        ...(v.data !== undefined ? { data: v.data } : {}),
        ...(v.mode !== undefined ? { mode: v.mode } : {}),
      }));
  }
  return out;
}

/** Test control of a VM's simulated guest agent (mounted disks, availability). */
export function setGuestAgent(
  sim: SimContext,
  vmid: number,
  control: { available?: boolean; mounts?: Record<string, string> },
): void {
  const g = sim.world.guests.get(vmid);
  if (g?.type !== 'qemu') throw new PveError(404, `no VM ${vmid}`);
  const next = { ...(g.guestAgent ?? {}) };
  if (control.available !== undefined) next.down = !control.available;
  if (control.mounts !== undefined) {
    for (const [k, v] of Object.entries(control.mounts))
      if (!/^(scsi|virtio|sata|ide)\d+$/.test(k) || typeof v !== 'string' || !v.startsWith('/'))
        throw new PveError(400, `mounts: '${k}' must be a disk key and its value an absolute path`);
    next.mounts = { ...control.mounts };
  }
  g.guestAgent = next;
  sim.world.touch();
}
