/**
 * Load controls: make a guest busy (or idle) on purpose, so tests can drive alarms. A forced CPU
 * share (0–1 of the guest's vCPUs) replaces the simulated noise in everything PVE reports about
 * the running guest — `/cluster/resources`, `status/current` — until it is cleared (null).
 */
import type { SimContext } from './context.ts';
import { PveError } from './errors.ts';
import type { Guest } from './state.ts';

const forced = new WeakMap<Guest, number>();

/** The forced CPU share of a guest, if any. */
export function forcedCpu(g: Guest): number | undefined {
  return forced.get(g);
}

export function setGuestLoad(
  sim: SimContext,
  vmid: number,
  cpu: number | null,
): { vmid: number; cpu: number | null } {
  const g = sim.world.guests.get(vmid);
  if (!g) throw new PveError(404, `guest ${vmid} does not exist`);
  if (cpu === null) {
    forced.delete(g);
    return { vmid, cpu: null };
  }
  if (!Number.isFinite(cpu) || cpu < 0 || cpu > 1) throw new PveError(400, 'cpu must be between 0 and 1');
  forced.set(g, cpu);
  return { vmid, cpu };
}
