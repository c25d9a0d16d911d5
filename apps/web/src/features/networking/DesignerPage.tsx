// /networking/designer: draw networks, NAT gateways, route tables and security groups, connect
// them, see problems as you draw, export the design as IaC YAML (or import one) and take it to the
// Stacks page, where Plan shows the diff before anything is applied. Model: design.ts.
import '@xyflow/react/dist/style.css';
import { Background, Controls, type Edge, MarkerType, type Node, ReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Input, PageHeader, Select } from '../../components/index.ts';
import type { RuleInput } from './api.ts';
import {
  canConnect,
  type Design,
  type DesignKind,
  type DesignNode,
  designToYaml,
  validateDesign,
  yamlToDesign,
} from './design.ts';

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

export default function DesignerPage() {
  const navigate = useNavigate();
  const [design, setDesign] = useState<Design>({ nodes: [], edges: [] });
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [yamlText, setYamlText] = useState('');
  // bumped on import: the canvas is fitted to the imported design
  const [fitKey, setFitKey] = useState(0);
  const problems = useMemo(() => validateDesign(design), [design]);
  const yaml = useMemo(() => designToYaml(design), [design]);
  const node = design.nodes.find((n) => n.id === selected) ?? null;
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
      type: n.kind === 'network' ? 'output' : n.kind === 'securityGroup' ? 'default' : 'input',
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
  const flowEdges: Edge[] = design.edges.map((e) => ({ ...e, markerEnd: { type: MarkerType.ArrowClosed } }));
  const update = (n: DesignNode) =>
    setDesign({ ...design, nodes: design.nodes.map((x) => (x.id === n.id ? n : x)) });
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        eyebrow="Networking"
        title="Network designer"
        description="Add boxes, drag from a NAT gateway or route table to a network to connect them, then take the YAML to Stacks: Plan shows exactly what would change before you apply."
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
              setSelected(n.id);
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
              setSelected(null);
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
            onNodeClick={(_e, n) => setSelected(n.id)}
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
              if (!why)
                setDesign({
                  ...design,
                  edges: [
                    ...design.edges,
                    { id: `${c.source}->${c.target}`, source: c.source, target: c.target },
                  ],
                });
            }}
            onEdgeClick={(_e, edge) =>
              setDesign({ ...design, edges: design.edges.filter((x) => x.id !== edge.id) })
            }
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </section>
        <aside className="flex flex-col gap-4 lg:w-96">
          {node ? <Inspector node={node} design={design} set={update} /> : null}
          <Card title={problems.length ? `${problems.length} problem(s)` : 'No problems'}>
            {problems.length ? (
              <ul className="list-disc pl-4 text-sm text-red-700">
                {problems.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                  <li key={i}>
                    <button
                      type="button"
                      className="text-left underline"
                      onClick={() => setSelected(p.nodeId)}
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
                  : 'Add a network to start. Click an edge to remove it.'}
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
