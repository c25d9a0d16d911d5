/** Dependency order (Kahn's algorithm, stable by declaration) with cycles refused and named. */
import { IacError } from './errors.ts';
import type { Position } from './model.ts';

interface Node {
  address: string;
  dependsOn: string[];
}

export function orderResources<T extends Node>(nodes: T[], positionOf?: (n: T) => Position | undefined): T[] {
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  const indegree = new Map(nodes.map((n) => [n.address, 0]));
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!byAddress.has(d)) continue;
      indegree.set(n.address, (indegree.get(n.address) ?? 0) + 1);
      dependents.set(d, [...(dependents.get(d) ?? []), n.address]);
    }
  }
  const ready = nodes.filter((n) => indegree.get(n.address) === 0).map((n) => n.address);
  const out: T[] = [];
  while (ready.length) {
    const a = ready.shift() as string;
    out.push(byAddress.get(a) as T);
    for (const d of dependents.get(a) ?? []) {
      const left = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  if (out.length === nodes.length) return out;
  const cycle = findCycle(
    nodes.filter((n) => (indegree.get(n.address) ?? 0) > 0),
    byAddress,
  );
  const first = byAddress.get(cycle[0] as string);
  const pos = first && positionOf ? positionOf(first) : undefined;
  throw new IacError([
    {
      code: 'cycle',
      message: `dependency cycle: ${cycle.join(' → ')}`,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    },
  ]);
}

function findCycle<T extends Node>(stuck: T[], byAddress: Map<string, T>): string[] {
  const inStuck = new Set(stuck.map((n) => n.address));
  // walk dependencies from a stuck node until one repeats: the repeated stretch is a cycle
  let current = stuck[0]?.address as string;
  const seen: string[] = [];
  while (!seen.includes(current)) {
    seen.push(current);
    const next = byAddress.get(current)?.dependsOn.find((d) => inStuck.has(d));
    if (!next) break;
    current = next;
  }
  const start = seen.indexOf(current);
  const cycle = seen.slice(start);
  return [...cycle, current];
}
