// The health map's model: nodes and their instances, coloured by the seed's thresholds.
import type { Instance } from '../instances/api.ts';
import type { NodeSummary } from './api.ts';

export type Health = 'green' | 'yellow' | 'red' | 'grey';

/** green < 70 %, yellow 70–90 %, red > 90 % or unreachable; grey when not running (no load to judge). */
export function healthOf(percent: number | null, reachable: boolean): Health {
  if (!reachable) return 'red';
  if (percent === null) return 'grey';
  if (percent > 90) return 'red';
  if (percent >= 70) return 'yellow';
  return 'green';
}

export const healthColor: Record<Health, string> = {
  green: '#16a34a',
  yellow: '#ca8a04',
  red: '#dc2626',
  grey: '#71717a',
};

export function nodeHealth(n: NodeSummary): { health: Health; cpu: number | null; mem: number | null } {
  const mem = n.memoryMaxBytes > 0 ? (n.memoryBytes / n.memoryMaxBytes) * 100 : null;
  const worst = Math.max(n.cpuPercent ?? 0, mem ?? 0);
  return {
    health: healthOf(n.cpuPercent === null && mem === null ? null : worst, n.status === 'online'),
    cpu: n.cpuPercent,
    mem,
  };
}

export function instanceHealth(i: Instance): { health: Health; cpu: number | null; mem: number | null } {
  if (i.status !== 'running' || !i.usage)
    return { health: i.status === 'error' ? 'red' : 'grey', cpu: null, mem: null };
  const cpu = i.usage.cpu * 100;
  const mem = i.usage.memoryMaxBytes > 0 ? (i.usage.memoryBytes / i.usage.memoryMaxBytes) * 100 : null;
  return { health: healthOf(Math.max(cpu, mem ?? 0), true), cpu, mem };
}
