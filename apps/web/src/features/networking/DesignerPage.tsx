// /networking/designer: draw networks, NAT gateways, route tables and security groups, connect
// them (network to network: a peering), see problems as you draw, export the design as IaC YAML (or import one) and take it to the
// Stacks page, where Plan shows the diff before anything is applied. Model: design.ts.
import '@xyflow/react/dist/style.css';
import { Background, Controls, type Edge, MarkerType, type Node, ReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Input, PageHeader, Select } from '../../components/index.ts';
import type { RuleInput } from './api.ts';
import { useInstanceOverlay } from './DesignerInstances.tsx';
import {
  canConnect,
  type Design,
  type DesignEdge,
  type DesignKind,
  type DesignNode,
  designToYaml,
  validateDesign,
  yamlToDesign,
} from './design.ts';
import { INSTANCE_PREFIX } from './design-instances.ts';

const KINDS: { kind: DesignKind; label: string; colour: string }[] = [
  { kind: 'network', label: 'Network', colour: '#2563eb' },
  { kind: 'natGateway', label: 'NAT gateway', colour: '#ea580c' },
  { kind: 'routeTable', label: 'Route table', colour: '#9333ea' },
  { kind: 'securityGroup', label: 'Security group', colour: '#0d9488' },
];
const meta = (k: DesignKind) => KINDS.find((x) => x.kind === k)!;
const PORTS: { label: string; rule: RuleInput }[] = [
  { label: 'SSH 22', rule: { direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '0.0.0.0/0' } },
  { label: 'HTTPS 443', rule: { direction: 'inbound', protocol: 'tcp', fromPort: 443, cidr: '0.0.0.0/0' } },
  { label: 'HTTP 80', rule: { direction: 'inbound', protocol: 'tcp', fromPort: 80, cidr: '0.0.0.0/0' } },
  { label: 'Ping', rule: { direction: 'inbound', protocol: 'icmp', cidr: '0.0.0.0/0' } },
];

let seq = 0;
function fresh(d: Design, kind: DesignKind): DesignNode {
  const n = d.nodes.filter((x) => x.kind === kind).length + 1;
  const base = { network: 'net', natGateway: 'nat', routeTable: 'rt', securityGroup: 'sg' }[kind];
  return {
    id: `${kind}-${Date.now()}-${seq++}`,
    kind,
    name: `${base}-${n}`,
    x: 60 + (d.nodes.length % 5) * 60,
    y: 60 + (d.nodes.length % 5) * 40,
    ...(kind === 'network' ? { cidr: `10.${40 + n}.0.0/24` } : {}),
    ...(kind === 'securityGroup' ? { rules: [] } : {}),
    ...(kind === 'routeTable' ? { routes: [] } : {}),
  };
}

function Inspector({
  node,
  design,
  set,
}: {
  node: DesignNode;
  design: Design;
  set: (n: DesignNode) => void;
}) {
  const nats = design.nodes.filter((n) => n.kind === 'natGateway');
  return (
    <Card title={`${meta(node.kind).label} ${node.name}`}>
      <div className="flex flex-col gap-2">
        <Input label="Name" value={node.name} onChange={(e) => set({ ...node, name: e.target.value })} />
        {node.kind === 'network' ? (
          <Input
            label="CIDR"
            value={node.cidr ?? ''}
            onChange={(e) => set({ ...node, cidr: e.target.value })}
          />
        ) : null}
        {node.kind === 'routeTable' ? (
          <>
            <span className="text-sm font-medium">Routes</span>
            {(node.routes ?? []).map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: routes have no id
              <div key={i} className="flex items-end gap-2">
                <Input
                  label="Destination"
                  value={r.destinationCidr}
                  onChange={(e) =>
                    set({
                      ...node,
                      routes: node.routes!.map((x, j) =>
                        j === i ? { ...x, destinationCidr: e.target.value } : x,
                      ),
                    })
                  }
                />
                <Select
                  label="NAT gateway"
                  value={r.natGatewayId}
                  onChange={(e) =>
                    set({
                      ...node,
                      routes: node.routes!.map((x, j) =>
                        j === i ? { ...x, natGatewayId: e.target.value } : x,
                      ),
                    })
                  }
                  options={[
                    { value: '', label: 'Pick…' },
                    ...nats.map((g) => ({ value: g.id, label: g.name })),
                  ]}
                />
                <Button
                  size="sm"
                  onClick={() => set({ ...node, routes: node.routes!.filter((_, j) => j !== i) })}
                >
                  Remove
                </Button>
              </div>
            ))}
            <Button
              size="sm"
              onClick={() =>
                set({
                  ...node,
                  routes: [
                    ...(node.routes ?? []),
                    { destinationCidr: '0.0.0.0/0', natGatewayId: nats[0]?.id ?? '' },
                  ],
                })
              }
            >
              Add route
            </Button>
          </>
        ) : null}
        {node.kind === 'securityGroup' ? (
          <>
            <span className="text-sm font-medium">Inbound rules</span>
            {(node.rules ?? []).map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rules have no id
              <div key={i} className="flex items-end gap-2">
                <Select
                  label="Protocol"
                  value={r.protocol}
                  onChange={(e) => {
                    const protocol = e.target.value as RuleInput['protocol'];
                    const { fromPort: _f, toPort: _t, ...rest } = r;
                    const next =
                      protocol === 'icmp' || protocol === 'all' ? { ...rest, protocol } : { ...r, protocol };
                    set({ ...node, rules: node.rules!.map((x, j) => (j === i ? next : x)) });
                  }}
                  options={['tcp', 'udp', 'icmp', 'all'].map((p) => ({ value: p, label: p.toUpperCase() }))}
                />
                <Input
                  label="Port"
                  className="w-20"
                  disabled={r.protocol === 'icmp' || r.protocol === 'all'}
                  value={r.fromPort === undefined ? '' : String(r.fromPort)}
                  onChange={(e) => {
                    const { fromPort: _f, ...rest } = r;
                    const next = /^\d+$/.test(e.target.value)
                      ? { ...rest, fromPort: Number(e.target.value) }
                      : rest;
                    set({ ...node, rules: node.rules!.map((x, j) => (j === i ? next : x)) });
                  }}
                />
                <Input
                  label="From CIDR"
                  className="w-32"
                  value={r.cidr ?? ''}
                  onChange={(e) =>
                    set({
                      ...node,
                      rules: node.rules!.map((x, j) => (j === i ? { ...x, cidr: e.target.value } : x)),
                    })
                  }
                />
                <Button
                  size="sm"
                  onClick={() => set({ ...node, rules: node.rules!.filter((_, j) => j !== i) })}
                >
                  Remove
                </Button>
              </div>
            ))}
            <div className="flex flex-wrap gap-1">
              {PORTS.map((p) => (
                <Button
                  key={p.label}
                  size="sm"
                  onClick={() => set({ ...node, rules: [...(node.rules ?? []), p.rule] })}
                >
                  + {p.label}
                </Button>
              ))}
            </div>
          </>
        ) : null}
      </div>
    </Card>
  );
}

/** One side's allowed ranges: the typed text is kept as is, the design holds the parsed list. */
function RangesInput(props: {
  network: string;
  example: string;
  initial: string[];
  onChange: (cidrs: string[]) => void;
}) {
  const [text, setText] = useState(props.initial.join(', '));
  return (
    <Input
      label={`Allowed ranges of ${props.network} (comma-separated CIDRs)`}
      placeholder={`e.g. ${props.example}`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        props.onChange(
          e.target.value
            .split(/[\s,]+/)
            .map((x) => x.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}

function PeeringInspector({
  edge,
  design,
  set,
  remove,
}: {
  edge: DesignEdge;
  design: Design;
  set: (e: DesignEdge) => void;
  remove: () => void;
}) {
  const p = edge.peering!;
  const name = (id: string) => design.nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <Card title={`Peering ${p.name}`}>
      <div className="flex flex-col gap-2">
        <p className="text-sm text-muted">
          {name(edge.source)} ↔ {name(edge.target)}. Each side opens the ranges below to the other (empty: all
          of it).
        </p>
        <Input
          label="Name"
          value={p.name}
          onChange={(e) => set({ ...edge, peering: { ...p, name: e.target.value } })}
        />
        <RangesInput
          network={name(edge.source)}
          example="10.20.0.0/28"
          initial={p.allowedCidrs}
          onChange={(allowedCidrs) => set({ ...edge, peering: { ...p, allowedCidrs } })}
        />
        <RangesInput
          network={name(edge.target)}
          example="10.21.0.0/28"
          initial={p.peerAllowedCidrs ?? []}
          onChange={(peerAllowedCidrs) => set({ ...edge, peering: { ...p, peerAllowedCidrs } })}
        />
        <div>
          <Button size="sm" onClick={remove}>
            Remove peering {p.name}
          </Button>
        </div>
      </div>
    </Card>
  );
}

export default function DesignerPage() {
  const navigate = useNavigate();
  const [design, setDesign] = useState<Design>({ nodes: [], edges: [] });
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [yamlText, setYamlText] = useState('');
  // bumped on import: the canvas is fitted to the imported design
  const [fitKey, setFitKey] = useState(0);
  const problems = useMemo(() => validateDesign(design), [design]);
  const overlay = useInstanceOverlay(design);
  const yaml = useMemo(() => designToYaml(design), [design]);
  const node = design.nodes.find((n) => n.id === selected) ?? null;
  const peering = design.edges.find((e) => e.id === selectedEdge && e.peering) ?? null;
  const select = (nodeId: string | null, edgeId: string | null = null) => {
    setSelected(edgeId ? null : nodeId);
    setSelectedEdge(edgeId);
  };
  const flowNodes: Node[] = design.nodes.map((n) => {
    const bad = problems.some((p) => p.nodeId === n.id);
    return {
      id: n.id,
      position: { x: n.x, y: n.y },
      data: {
        label: (
          <div className="text-left text-xs leading-tight">
            <div className="text-[10px] uppercase text-muted">{meta(n.kind).label}</div>
            <div className="font-medium">{n.name}</div>
            <div className="text-muted">
              {n.kind === 'network'
                ? n.cidr
                : n.kind === 'securityGroup'
                  ? `${n.rules?.length ?? 0} rule(s)`
                  : n.kind === 'routeTable'
                    ? `${n.routes?.length ?? 0} route(s)`
                    : ''}
            </div>
          </div>
        ),
      },
      // networks take connections (top) and start peerings (bottom)
      type: n.kind === 'network' ? 'default' : n.kind === 'securityGroup' ? 'default' : 'input',
      style: {
        width: 180,
        borderColor: bad ? '#dc2626' : meta(n.kind).colour,
        borderWidth: 2,
        borderLeftWidth: 8,
        background: 'var(--pc-panel, #fff)',
        color: 'inherit',
      },
    };
  });
  flowNodes.push(...overlay.nodes);
  const flowEdges: Edge[] = design.edges.map((e) => {
    const { peering: pcx, ...edge } = e;
    if (!pcx) return { ...edge, markerEnd: { type: MarkerType.ArrowClosed } };
    const bad = problems.some((p) => p.edgeId === e.id);
    return {
      ...edge,
      label: `peering ${pcx.name}${pcx.allowedCidrs.length ? ` (${pcx.allowedCidrs.join(', ')})` : ''}`,
      style: {
        stroke: bad ? '#dc2626' : '#16a34a',
        strokeDasharray: '6 4',
        strokeWidth: e.id === selectedEdge ? 3 : 2,
      },
    };
  });
  flowEdges.push(...overlay.edges);
  const update = (n: DesignNode) =>
    setDesign({ ...design, nodes: design.nodes.map((x) => (x.id === n.id ? n : x)) });
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow="Networking"
        title="Network designer"
        description="Add boxes, drag from a NAT gateway or route table to a network to connect them, or from one network to another to peer them, then take the YAML to Stacks: Plan shows exactly what would change before you apply."
        actions={
          <Button
            variant="primary"
            disabled={problems.length > 0 || design.nodes.length === 0}
            onClick={() => navigate('/iac', { state: { document: yaml } })}
          >
            Plan in Stacks
          </Button>
        }
      />
      <div className="flex flex-wrap gap-2">
        {KINDS.map((k) => (
          <Button
            key={k.kind}
            size="sm"
            onClick={() => {
              const n = fresh(design, k.kind);
              setDesign({ ...design, nodes: [...design.nodes, n] });
              select(n.id);
            }}
          >
            + {k.label}
          </Button>
        ))}
        {node ? (
          <Button
            size="sm"
            onClick={() => {
              setDesign({
                nodes: design.nodes
                  .filter((n) => n.id !== node.id)
                  .map((n) =>
                    n.routes ? { ...n, routes: n.routes.filter((r) => r.natGatewayId !== node.id) } : n,
                  ),
                edges: design.edges.filter((e) => e.source !== node.id && e.target !== node.id),
              });
              select(null);
            }}
          >
            Remove {node.name}
          </Button>
        ) : null}
      </div>
      {notice ? <Alert title="Not connected">{notice}</Alert> : null}
      <div className="flex flex-col gap-4 lg:flex-row">
        <section
          className="h-[60vh] min-h-80 flex-1 rounded-lg border border-line bg-panel"
          aria-label="Design canvas"
        >
          <ReactFlow
            key={fitKey}
            nodes={flowNodes}
            edges={flowEdges}
            fitView
            onNodeClick={(_e, n) => (n.id.startsWith(INSTANCE_PREFIX) ? undefined : select(n.id))}
            onNodeDragStop={(_e, n) =>
              setDesign({
                ...design,
                nodes: design.nodes.map((x) =>
                  x.id === n.id ? { ...x, x: n.position.x, y: n.position.y } : x,
                ),
              })
            }
            onConnect={(c) => {
              if (!c.source || !c.target) return;
              const why = canConnect(design, c.source, c.target);
              setNotice(why);
              if (why) return;
              const from = design.nodes.find((n) => n.id === c.source)!;
              const to = design.nodes.find((n) => n.id === c.target)!;
              const edge: DesignEdge = { id: `${c.source}->${c.target}`, source: c.source, target: c.target };
              if (from.kind === 'network' && to.kind === 'network')
                edge.peering = { name: `${from.name}-${to.name}`, allowedCidrs: [] };
              setDesign({ ...design, edges: [...design.edges, edge] });
              if (edge.peering) select(null, edge.id);
            }}
            onEdgeClick={(_e, edge) => {
              if (edge.source.startsWith(INSTANCE_PREFIX) || edge.target.startsWith(INSTANCE_PREFIX)) return;
              // a peering opens its inspector; other connections are removed by a click
              if (design.edges.find((x) => x.id === edge.id)?.peering) select(null, edge.id);
              else setDesign({ ...design, edges: design.edges.filter((x) => x.id !== edge.id) });
            }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </section>
        <aside className="flex flex-col gap-4 lg:w-96">
          {node ? <Inspector node={node} design={design} set={update} /> : null}
          {peering ? (
            <PeeringInspector
              key={peering.id}
              edge={peering}
              design={design}
              set={(e) => setDesign({ ...design, edges: design.edges.map((x) => (x.id === e.id ? e : x)) })}
              remove={() => {
                setDesign({ ...design, edges: design.edges.filter((x) => x.id !== peering.id) });
                select(null);
              }}
            />
          ) : null}
          <Card title={problems.length ? `${problems.length} problem(s)` : 'No problems'}>
            {problems.length ? (
              <ul className="list-disc pl-4 text-sm text-red-700">
                {problems.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                  <li key={i}>
                    <button
                      type="button"
                      className="text-left underline"
                      onClick={() => select(p.nodeId, p.edgeId ?? null)}
                    >
                      {p.message}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-muted">
                {design.nodes.length
                  ? 'Ready to plan.'
                  : 'Add a network to start. Click a connection to remove it, a peering to edit it.'}
              </p>
            )}
          </Card>
        </aside>
      </div>
      <Card title="IaC YAML">
        <div className="flex flex-col gap-2">
          <textarea
            aria-label="IaC YAML of the design"
            className="h-56 w-full rounded border border-line bg-panel p-2 font-mono text-xs"
            value={yamlText || yaml}
            onChange={(e) => setYamlText(e.target.value)}
          />
          <div className="flex gap-2">
            <Button
              size="sm"
              onClick={() => {
                try {
                  setDesign(yamlToDesign(yamlText || yaml));
                  select(null);
                  setFitKey((k) => k + 1);
                  setYamlText('');
                  setNotice(null);
                } catch (e) {
                  setNotice(`Could not import: ${(e as Error).message}`);
                }
              }}
            >
              Import this YAML
            </Button>
            <Button size="sm" onClick={() => void navigator.clipboard?.writeText(yaml)}>
              Copy YAML
            </Button>
          </div>
        </div>
      </Card>
    </div>
  );
}
