// /networking/topology: networks, route tables, NAT gateways, peerings and instances as a graph
// (@xyflow/react, like the health map). Layout: topology.ts (pure, unit-tested).
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { Background, Controls, type Edge, MarkerType, type Node, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { NetworkIcon } from '../../components/icons.tsx';
import { Alert, EmptyState, PageHeader } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import {
  natGatewaysQuery,
  networksQuery,
  peeringsQuery,
  routerCandidatesQuery,
  routeTablesQuery,
} from './api.ts';
import { buildTopology, TOPO_W, type TopoKind } from './topology.ts';

const colour: Record<TopoKind, string> = {
  network: '#2563eb',
  foreignNetwork: '#64748b',
  instance: '#16a34a',
  routeTable: '#9333ea',
  natGateway: '#ea580c',
};
const kindLabel: Record<TopoKind, string> = {
  network: 'Network',
  foreignNetwork: "Another user's network",
  instance: 'Instance',
  routeTable: 'Route table',
  natGateway: 'NAT gateway',
};

export default function TopologyPage() {
  const networks = useQuery(networksQuery());
  const instances = useQuery(routerCandidatesQuery);
  const tables = useQuery(routeTablesQuery());
  const nats = useQuery(natGatewaysQuery());
  const peerings = useQuery(peeringsQuery());
  const graph = useMemo(() => {
    const { boxes, edges } = buildTopology({
      networks: networks.data?.items ?? [],
      instances: (instances.data?.items ?? []).filter((i) => i.status !== 'terminated'),
      routeTables: tables.data?.items ?? [],
      natGateways: nats.data?.items ?? [],
      peerings: peerings.data?.items ?? [],
    });
    const ns: Node[] = boxes.map((b) => ({
      id: b.id,
      position: { x: b.x, y: b.y },
      data: {
        label: (
          <div className="text-left text-xs leading-tight" data-kind={b.kind}>
            <div className="text-[10px] uppercase text-muted">{kindLabel[b.kind]}</div>
            <div className="font-medium">{b.label}</div>
            <div className="truncate text-muted">{b.sub}</div>
          </div>
        ),
      },
      style: {
        width: TOPO_W,
        borderColor: colour[b.kind],
        borderWidth: 2,
        borderLeftWidth: 8,
        borderStyle: b.kind === 'foreignNetwork' ? 'dashed' : 'solid',
        background: 'var(--pc-panel, #fff)',
        color: 'inherit',
      },
    }));
    const es: Edge[] = edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      ...(e.label ? { label: e.label } : {}),
      markerEnd: { type: MarkerType.ArrowClosed },
      ...(e.dashed ? { style: { strokeDasharray: '6 4' } } : {}),
    }));
    return { ns, es };
  }, [networks.data, instances.data, tables.data, nats.data, peerings.data]);
  const errors = [
    ['networks', networks.error],
    ['instances', instances.error],
    ['route tables', tables.error],
    ['NAT gateways', nats.error],
    ['peerings', peerings.error],
  ] as const;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow="Networking"
        title="Topology"
        description="Your networks with their instances, route tables, NAT gateways and peerings. Dashed: a route's target or a peering that is not active."
      />
      {errors.map(([what, err]) =>
        err ? (
          <Alert key={what} title={`Could not load ${what}`}>
            {describeError(err)}
          </Alert>
        ) : null,
      )}
      {networks.data && networks.data.items.length === 0 ? (
        <EmptyState icon={<NetworkIcon />} title="No networks yet">
          Create one on the <Link to="/networking/networks">Networks</Link> page; it shows up here with
          everything attached to it.
        </EmptyState>
      ) : (
        <section
          className="h-[70vh] min-h-80 rounded-lg border border-line bg-panel"
          aria-label="Network topology"
        >
          <ReactFlow
            // fit again once the data has arrived (and when boxes come or go)
            key={graph.ns.length}
            nodes={graph.ns}
            edges={graph.es}
            fitView
            minZoom={0.05}
            nodesDraggable={false}
            nodesConnectable={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </section>
      )}
    </div>
  );
}
