/**
 * RRD-style metric series (`…/rrddata`): points at PVE's resolutions per timeframe, values that
 * move plausibly (slow daily wave + deterministic noise), reproducible from seed + time.
 */
import type { SimContext } from './context.ts';
import { liveMetrics } from './guests.ts';
import { noise } from './random.ts';
import type { Guest } from './state.ts';

/** seconds per point and number of points, as rrdcached serves them to the API */
export const TIMEFRAMES: Record<string, { step: number; points: number }> = {
  hour: { step: 60, points: 70 },
  day: { step: 1800, points: 70 },
  week: { step: 10800, points: 70 },
  month: { step: 43200, points: 70 },
  year: { step: 604800, points: 70 },
  decade: { step: 6048000, points: 70 },
};

function wave(seed: number, key: number, t: number, step: number): number {
  const day = Math.sin((2 * Math.PI * (t % 86400)) / 86400 + (key % 17));
  return Math.max(
    0,
    Math.min(1, 0.5 + 0.25 * day + 0.25 * (noise(seed, key, Math.floor(t / step)) - 0.5) * 2),
  );
}

export function guestRrd(sim: SimContext, g: Guest, timeframe: string, cf: string) {
  const tf = TIMEFRAMES[timeframe] ?? TIMEFRAMES.hour!;
  const now = Math.floor(Date.now() / 1000);
  const last = now - (now % tf.step);
  const live = liveMetrics(sim, g);
  const maxmem = live.maxmem;
  const out = [];
  const startedSec = g.startedAt ? Math.floor(g.startedAt / 1000) : Number.POSITIVE_INFINITY;
  for (let i = tf.points - 1; i >= 0; i--) {
    const time = last - i * tf.step;
    if (g.status !== 'running' || time < startedSec) {
      out.push({ time, maxcpu: live.cpus, maxmem, maxdisk: live.maxdisk });
      continue;
    }
    const w = wave(sim.seed, g.vmid, time, tf.step);
    const peak = cf === 'MAX' ? 1.3 : 1;
    out.push({
      time,
      cpu: Number(Math.min(1, (0.02 + 0.4 * w) * peak).toFixed(6)),
      maxcpu: live.cpus,
      mem: Math.floor(maxmem * (0.3 + 0.4 * w)),
      maxmem,
      disk: 0,
      maxdisk: live.maxdisk,
      netin: Number((5000 + 200000 * w * peak).toFixed(2)),
      netout: Number((2000 + 80000 * w * peak).toFixed(2)),
      diskread: Number((1000 + 500000 * w * peak).toFixed(2)),
      diskwrite: Number((2000 + 300000 * w * peak).toFixed(2)),
    });
  }
  return out;
}

export function nodeRrd(sim: SimContext, node: string, timeframe: string, cf: string) {
  const tf = TIMEFRAMES[timeframe] ?? TIMEFRAMES.hour!;
  const n = sim.world.nodes.get(node)!;
  const now = Math.floor(Date.now() / 1000);
  const last = now - (now % tf.step);
  const key = 1_000_000 + n.nodeid;
  const out = [];
  for (let i = tf.points - 1; i >= 0; i--) {
    const time = last - i * tf.step;
    const w = wave(sim.seed, key, time, tf.step);
    const peak = cf === 'MAX' ? 1.2 : 1;
    out.push({
      time,
      cpu: Number(Math.min(1, (0.05 + 0.35 * w) * peak).toFixed(6)),
      maxcpu: n.cpus,
      iowait: Number((0.002 + 0.01 * w).toFixed(6)),
      loadavg: Number((0.3 + 4 * w).toFixed(2)),
      memtotal: n.maxmem,
      memused: Math.floor(n.maxmem * (0.35 + 0.3 * w)),
      swaptotal: 8 * 1024 ** 3,
      swapused: Math.floor(64 * 1024 ** 2 * w),
      roottotal: 94 * 1024 ** 3,
      rootused: Math.floor(12 * 1024 ** 3 + 2 * 1024 ** 3 * w),
      netin: Number((20000 + 2_000_000 * w * peak).toFixed(2)),
      netout: Number((10000 + 900_000 * w * peak).toFixed(2)),
    });
  }
  return out;
}
