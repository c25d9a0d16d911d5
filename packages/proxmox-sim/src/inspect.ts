/** Read-only views of the simulated state for assertions (`sim.inspect()`, `GET /_sim/state`). */
import type { SimContext } from './context.ts';
import { listVolumes } from './storage.ts';

export function storageSnapshot(sim: SimContext) {
  const out: Record<
    string,
    Record<string, { volid: string; content: string; size: number; vmid?: number }[]>
  > = {};
  for (const node of sim.world.nodes.keys()) {
    out[node] = {};
    for (const s of sim.world.storages.values())
      out[node]![s.storage] = listVolumes(sim, node, s).map((v) => ({
        volid: v.volid,
        content: v.content,
        size: v.size,
        ...(v.vmid !== undefined ? { vmid: v.vmid } : {}),
      }));
  }
  return out;
}
