// The designer's read-only instance boxes (model: design-instances.ts) as React Flow nodes and edges.
import { useQuery } from '@tanstack/react-query';
import type { Edge, Node } from '@xyflow/react';
import { useMemo } from 'react';
import { networksQuery, routerCandidatesQuery } from './api.ts';
import type { Design } from './design.ts';
import { instanceOverlay } from './design-instances.ts';

/** Your instances on the drawn networks that are yours (same name): read-only nodes, dotted edges. */
export function useInstanceOverlay(design: Design): { nodes: Node[]; edges: Edge[] } {
  // your instances on the drawn networks that exist (same name): drawn read-only, never exported
  const myNetworks = useQuery(networksQuery());
  const myInstances = useQuery(routerCandidatesQuery);
  const overlay = useMemo(
    () =>
      instanceOverlay(
        design,
        (myNetworks.data?.items ?? []).filter((n) => n.status !== 'deleted'),
        (myInstances.data?.items ?? []).map((i) => ({
          id: i.id,
          name: i.name,
          status: i.status,
          nics: i.nics.map((n) => ({ networkId: n.networkId, ip: n.ip })),
        })),
      ),
    [design, myNetworks.data, myInstances.data],
  );
  const nodes: Node[] = [];
  for (const b of overlay.boxes)
    nodes.push({
      id: b.id,
      position: { x: b.x, y: b.y },
      data: {
        label: (
          <div className="text-left text-xs leading-tight">
            <div className="text-[10px] uppercase text-muted">Instance (read-only)</div>
            <div className="font-medium">{b.name}</div>
            <div className="font-mono text-muted">{b.sub}</div>
          </div>
        ),
      },
      type: 'output',
      draggable: false,
      connectable: false,
      selectable: false,
      ariaLabel: `Instance ${b.name}`,
      style: {
        width: 160,
        borderColor: '#64748b',
        borderStyle: 'dashed',
        borderWidth: 1,
        background: 'var(--pc-panel, #fff)',
        color: 'inherit',
        opacity: 0.85,
      },
    });
  const edges: Edge[] = [];
  for (const l of overlay.links)
    edges.push({
      id: l.id,
      source: l.target,
      target: l.source,
      selectable: false,
      style: { stroke: '#94a3b8', strokeDasharray: '2 3' },
    });
  return { nodes, edges };
}
