// /monitoring/health: nodes, instances, volumes and networks as a graph (@xyflow/react), coloured
// green/yellow/red by CPU/memory (instances, nodes) or status (volumes, networks), refreshed every
// 10 s; click a box for details and a link. Lazy-loaded with its route. Layout: healthGraph.ts.
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Input, PageHeader } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatPercent } from '../instances/metrics.ts';
import { networksQuery } from '../networking/api.ts';
import { instanceOptionsQuery, nodesQuery, volumeOptionsQuery } from './api.ts';
import { healthColor, instanceHealth, nodeHealth } from './health.ts';
import { BOX_W, buildHealthGraph, type Kind } from './healthGraph.ts';

type Selected = { kind: Kind; id: string } | null;

const pct = (v: number | null) => (v === null ? '—' : formatPercent(v));
const linkClass = 'mt-2 inline-block text-sm text-primary hover:underline';

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-2 gap-1 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd className="break-all">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function HealthPage() {
  const nodes = useQuery({ ...nodesQuery(), refetchInterval: 10_000 });
  const instances = useQuery({ ...instanceOptionsQuery(), refetchInterval: 10_000 });
  const volumes = useQuery({ ...volumeOptionsQuery(), refetchInterval: 10_000 });
  const networks = useQuery({ ...networksQuery(), refetchInterval: 10_000 });
  const [search, setSearch] = useState('');
  const [showVolumes, setShowVolumes] = useState(true);
  const [showNetworks, setShowNetworks] = useState(true);
  const [selected, setSelected] = useState<Selected>(null);
  const [flow, setFlow] = useState<ReactFlowInstance | null>(null);

  const graph = useMemo(() => {
    const { boxes, edges } = buildHealthGraph({
      nodes: nodes.data?.items ?? [],
      instances: instances.data?.items ?? [],
      volumes: volumes.data?.items ?? [],
      networks: networks.data?.items ?? [],
      search,
      showVolumes,
      showNetworks,
    });
    const ns: Node[] = boxes.map((b) => ({
      id: b.id,
      position: { x: b.x, y: b.y },
      data: {
        label: (
          <div className="text-left text-xs leading-tight" data-health={b.health} data-kind={b.kind}>
            <div className={b.kind === 'node' ? 'font-semibold' : 'font-medium'}>{b.label}</div>
            <div className="truncate text-muted">{b.sub}</div>
          </div>
        ),
      },
      type: b.kind === 'node' || b.kind === 'network' ? 'input' : b.kind === 'volume' ? 'output' : 'default',
      style: {
        width: BOX_W,
        borderColor: healthColor[b.health],
        borderWidth: 2,
        borderLeftWidth: 8,
        borderStyle: b.kind === 'volume' || b.kind === 'network' ? 'dashed' : 'solid',
        background: 'var(--pc-panel, #fff)',
        color: 'inherit',
      },
    }));
    const es: Edge[] = edges.map((e) => ({ ...e }));
    return { ns, es, instances: boxes.filter((b) => b.kind === 'instance').length };
  }, [nodes.data, instances.data, volumes.data, networks.data, search, showVolumes, showNetworks]);

  // a search or a toggle changes what is drawn: fit it into view again (only boxes in view are rendered)
  const fitKey = `${search}\n${showVolumes}\n${showNetworks}`;
  useEffect(() => {
    if (!flow || !fitKey) return;
    const t = setTimeout(() => void flow.fitView(), 0);
    return () => clearTimeout(t);
  }, [flow, fitKey]);

  const detail = (() => {
    if (!selected) return null;
    if (selected.kind === 'node') {
      const n = nodes.data?.items.find((x) => x.node === selected.id);
      if (!n) return null;
      const h = nodeHealth(n);
      return (
        <Card title={`Node ${n.node}`}>
          <Facts
            rows={[
              ['Status', n.status],
              ['CPU', pct(h.cpu)],
              ['Memory', pct(h.mem)],
              ['Guests', n.guests],
            ]}
          />
          <Link className={linkClass} to={`/monitoring/metrics?node=${encodeURIComponent(n.node)}`}>
            Node metrics
          </Link>
        </Card>
      );
    }
    if (selected.kind === 'volume') {
      const v = volumes.data?.items.find((x) => x.id === selected.id);
      if (!v) return null;
      const inst = instances.data?.items.find((i) => i.id === v.instanceId);
      return (
        <Card title={`Volume ${v.name}`}>
          <Facts
            rows={[
              ['Status', v.status],
              ['Size', `${v.sizeGib} GiB`],
              ['Node', v.node],
              ['Attached to', inst ? inst.name : '—'],
              ['Id', v.id],
            ]}
          />
          <Link className={linkClass} to="/compute/volumes">
            Open volumes
          </Link>
        </Card>
      );
    }
    if (selected.kind === 'network') {
      const n = networks.data?.items.find((x) => x.id === selected.id);
      if (!n) return null;
      return (
        <Card title={`Network ${n.name}`}>
          <Facts
            rows={[
              ['Status', n.status],
              ['CIDR', n.cidr],
              ['Gateway', n.gateway],
              ['Id', n.id],
            ]}
          />
          <Link className={linkClass} to="/networking/networks">
            Open networks
          </Link>
        </Card>
      );
    }
    const i = instances.data?.items.find((x) => x.id === selected.id);
    if (!i) return null;
    const h = instanceHealth(i);
    return (
      <Card title={`Instance ${i.name}`}>
        <Facts
          rows={[
            ['Status', i.status],
            ['Node', i.node ?? '—'],
            ['CPU', pct(h.cpu)],
            ['Memory', pct(h.mem)],
          ]}
        />
        <Link className={linkClass} to={`/compute/instances/${i.id}`}>
          Open instance
        </Link>
      </Card>
    );
  })();

  const errors = [
    [nodes.error, 'nodes'],
    [instances.error, 'instances'],
    [volumes.error, 'volumes'],
    [networks.error, 'networks'],
  ] as const;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow="Monitoring"
        title="Health map"
        description="Nodes, your instances, volumes and networks: green below 70 % CPU/memory, yellow 70–90 %, red above 90 % or unreachable, grey when stopped (volumes and networks: by status, dashed). Refreshes every 10 s."
      />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="max-w-sm flex-1">
          <Input
            label="Search instances and volumes"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="name or id"
          />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={showVolumes} onChange={(e) => setShowVolumes(e.target.checked)} />
          Volumes
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={showNetworks} onChange={(e) => setShowNetworks(e.target.checked)} />
          Networks
        </label>
        <p className="text-sm text-muted" aria-live="polite">
          {graph.instances} instance{graph.instances === 1 ? '' : 's'} shown
        </p>
      </div>
      {errors.map(([err, what]) =>
        err ? (
          <Alert key={what} title={`Could not load ${what}`}>
            {describeError(err)}
          </Alert>
        ) : null,
      )}
      <div className="flex flex-col gap-4 lg:flex-row">
        <section
          className="h-[65vh] min-h-80 flex-1 rounded-lg border border-line bg-panel"
          aria-label="Health map"
        >
          <ReactFlow
            nodes={graph.ns}
            edges={graph.es}
            fitView
            onInit={setFlow}
            minZoom={0.02}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            onNodeClick={(_e, n) => {
              const at = n.id.indexOf(':');
              setSelected({ kind: n.id.slice(0, at) as Kind, id: n.id.slice(at + 1) });
            }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable nodeColor={(n) => String(n.style?.borderColor ?? '#999')} />
          </ReactFlow>
        </section>
        {detail ? <aside className="lg:w-72">{detail}</aside> : null}
      </div>
    </div>
  );
}
