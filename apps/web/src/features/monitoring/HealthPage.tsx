// /monitoring/health: nodes and their instances as a graph (@xyflow/react), coloured green/yellow/red
// by CPU/memory, refreshed every 10 s; click a box for details and a link. Lazy-loaded with its route.
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { Background, Controls, type Edge, MiniMap, type Node, ReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Input, PageHeader } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatPercent } from '../instances/metrics.ts';
import { instanceOptionsQuery, nodesQuery } from './api.ts';
import { type Health, healthColor, instanceHealth, nodeHealth } from './health.ts';

const COLS = 4;
const BOX_W = 190;
const BOX_H = 56;
const GAP = 12;

type Selected = { kind: 'node'; id: string } | { kind: 'instance'; id: string } | null;

const pct = (v: number | null) => (v === null ? '—' : formatPercent(v));

function box(label: string, sub: string, health: Health, strong = false) {
  return {
    label: (
      <div className="text-left text-xs leading-tight">
        <div className={strong ? 'font-semibold' : 'font-medium'}>{label}</div>
        <div className="text-muted">{sub}</div>
      </div>
    ),
    style: {
      width: BOX_W,
      borderColor: healthColor[health],
      borderWidth: 2,
      borderLeftWidth: 8,
      background: 'var(--pc-panel, #fff)',
      color: 'inherit',
    },
  };
}

export default function HealthPage() {
  const nodes = useQuery({ ...nodesQuery(), refetchInterval: 10_000 });
  const instances = useQuery({ ...instanceOptionsQuery(), refetchInterval: 10_000 });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Selected>(null);

  const graph = useMemo(() => {
    const ns: Node[] = [];
    const es: Edge[] = [];
    const q = search.trim().toLowerCase();
    let x = 0;
    for (const n of nodes.data?.items ?? []) {
      const h = nodeHealth(n);
      const nb = box(n.node, `${n.status} · CPU ${pct(h.cpu)} · mem ${pct(h.mem)}`, h.health, true);
      ns.push({
        id: `node:${n.node}`,
        position: { x, y: 0 },
        data: { label: nb.label },
        style: nb.style,
        type: 'input',
      });
      const mine = (instances.data?.items ?? []).filter(
        (i) =>
          i.node === n.node &&
          i.status !== 'terminated' &&
          (!q || i.name.toLowerCase().includes(q) || i.id.includes(q)),
      );
      const cols = Math.min(COLS, Math.max(1, mine.length));
      mine.forEach((i, k) => {
        const ih = instanceHealth(i);
        const b = box(i.name, `${i.status} · CPU ${pct(ih.cpu)} · mem ${pct(ih.mem)}`, ih.health);
        ns.push({
          id: `instance:${i.id}`,
          position: { x: x + (k % cols) * (BOX_W + GAP), y: 110 + Math.floor(k / cols) * (BOX_H + GAP) },
          data: { label: b.label },
          style: b.style,
          type: 'output',
        });
        es.push({ id: `e:${n.node}:${i.id}`, source: `node:${n.node}`, target: `instance:${i.id}` });
      });
      x += cols * (BOX_W + GAP) + 80;
    }
    return { ns, es };
  }, [nodes.data, instances.data, search]);

  const detail = (() => {
    if (!selected) return null;
    if (selected.kind === 'node') {
      const n = nodes.data?.items.find((x) => x.node === selected.id);
      if (!n) return null;
      const h = nodeHealth(n);
      return (
        <Card title={`Node ${n.node}`}>
          <dl className="grid grid-cols-2 gap-1 text-sm">
            <dt className="text-muted">Status</dt>
            <dd>{n.status}</dd>
            <dt className="text-muted">CPU</dt>
            <dd>{pct(h.cpu)}</dd>
            <dt className="text-muted">Memory</dt>
            <dd>{pct(h.mem)}</dd>
            <dt className="text-muted">Guests</dt>
            <dd>{n.guests}</dd>
          </dl>
          <Link
            className="mt-2 inline-block text-sm text-accent hover:underline"
            to={`/monitoring/metrics?node=${encodeURIComponent(n.node)}`}
          >
            Node metrics
          </Link>
        </Card>
      );
    }
    const i = instances.data?.items.find((x) => x.id === selected.id);
    if (!i) return null;
    const h = instanceHealth(i);
    return (
      <Card title={`Instance ${i.name}`}>
        <dl className="grid grid-cols-2 gap-1 text-sm">
          <dt className="text-muted">Status</dt>
          <dd>{i.status}</dd>
          <dt className="text-muted">Node</dt>
          <dd>{i.node ?? '—'}</dd>
          <dt className="text-muted">CPU</dt>
          <dd>{pct(h.cpu)}</dd>
          <dt className="text-muted">Memory</dt>
          <dd>{pct(h.mem)}</dd>
        </dl>
        <Link
          className="mt-2 inline-block text-sm text-accent hover:underline"
          to={`/compute/instances/${i.id}`}
        >
          Open instance
        </Link>
      </Card>
    );
  })();

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow="Monitoring"
        title="Health map"
        description="Nodes and your instances: green below 70 % CPU/memory, yellow 70–90 %, red above 90 % or unreachable, grey when stopped. Refreshes every 10 s."
      />
      <div className="max-w-sm">
        <Input
          label="Search instances"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="name or id"
        />
      </div>
      {nodes.error ? <Alert title="Could not load nodes">{describeError(nodes.error)}</Alert> : null}
      {instances.error ? (
        <Alert title="Could not load instances">{describeError(instances.error)}</Alert>
      ) : null}
      <div className="flex flex-col gap-4 lg:flex-row">
        <section
          className="h-[65vh] min-h-80 flex-1 rounded-lg border border-line bg-panel"
          aria-label="Health map"
        >
          <ReactFlow
            nodes={graph.ns}
            edges={graph.es}
            fitView
            minZoom={0.05}
            nodesDraggable={false}
            nodesConnectable={false}
            onNodeClick={(_e, n) => {
              const [kind, ...rest] = n.id.split(':');
              setSelected({ kind: kind as 'node' | 'instance', id: rest.join(':') });
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
