import { loadFile } from '@proxicloud/iac';
import { describe, expect, it } from 'vitest';
import { canConnect, type Design, designToYaml, validateDesign, yamlToDesign } from './design.ts';

const design: Design = {
  nodes: [
    { id: 'n1', kind: 'network', name: 'app', cidr: '10.20.0.0/24', x: 0, y: 0 },
    { id: 'n2', kind: 'network', name: 'db', cidr: '10.21.0.0/24', x: 0, y: 0 },
    { id: 'g1', kind: 'natGateway', name: 'egress', x: 0, y: 0 },
    {
      id: 't1',
      kind: 'routeTable',
      name: 'app-rt',
      x: 0,
      y: 0,
      routes: [{ destinationCidr: '0.0.0.0/0', natGatewayId: 'g1' }],
    },
    {
      id: 's1',
      kind: 'securityGroup',
      name: 'web',
      x: 0,
      y: 0,
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 443, cidr: '0.0.0.0/0' }],
    },
  ],
  edges: [
    { id: 'e1', source: 'g1', target: 'n1' },
    { id: 'e2', source: 't1', target: 'n1' },
    { id: 'p1', source: 'n1', target: 'n2', peering: { name: 'app-db', allowedCidrs: ['10.20.0.0/28'] } },
  ],
};

describe('network designer model', () => {
  it('exports IaC YAML that packages/iac accepts, and imports it back to the same design', () => {
    expect(validateDesign(design)).toEqual([]);
    const text = designToYaml(design, 'lab');
    const loaded = loadFile(text);
    expect(loaded.resources.map((r) => r.address).sort()).toEqual([
      'natGateways.egress',
      'networks.app',
      'networks.db',
      'peerings.app-db',
      'routeTables.app-rt',
      'securityGroups.web',
    ]);
    const pcx = loaded.resources.find((r) => r.address === 'peerings.app-db')!;
    expect(pcx.spec).toEqual({
      name: 'app-db',
      networkId: `\${networks.app.id}`,
      peerNetworkId: `\${networks.db.id}`,
      allowedCidrs: ['10.20.0.0/28'],
    });
    const back = yamlToDesign(text);
    const shape = (d: Design) => ({
      nodes: d.nodes.map((n) => [n.kind, n.name, n.cidr ?? null, JSON.stringify(n.rules ?? null)]).sort(),
      edges: d.edges
        .map((e) => [
          d.nodes.find((n) => n.id === e.source)!.name,
          d.nodes.find((n) => n.id === e.target)!.name,
          JSON.stringify(e.peering ?? null),
        ])
        .sort(),
      routes: d.nodes.flatMap((n) =>
        (n.routes ?? []).map((r) => [r.destinationCidr, d.nodes.find((x) => x.id === r.natGatewayId)!.name]),
      ),
    });
    expect(shape(back)).toEqual(shape(design));
    expect(designToYaml(back, 'lab')).toBe(text);
  });

  it('checks while drawing: overlaps, unreachable routes, bad CIDRs and rules, loose boxes', () => {
    const bad: Design = {
      nodes: [
        ...design.nodes.map((n) => (n.id === 'n2' ? { ...n, cidr: '10.20.0.128/25' } : n)),
        {
          id: 't2',
          kind: 'routeTable',
          name: 'db-rt',
          x: 0,
          y: 0,
          routes: [{ destinationCidr: '0.0.0.0/0', natGatewayId: 'g1' }],
        },
        { id: 'g2', kind: 'natGateway', name: 'loose', x: 0, y: 0 },
        {
          id: 's2',
          kind: 'securityGroup',
          name: 'bad',
          x: 0,
          y: 0,
          rules: [{ direction: 'inbound', protocol: 'icmp', fromPort: 1, cidr: '0.0.0.0/0' }],
        },
      ],
      edges: [...design.edges, { id: 'e3', source: 't2', target: 'n2' }],
    };
    expect(validateDesign(bad).map((p) => p.message)).toEqual([
      '10.20.0.128/25 overlaps network app (10.20.0.0/24).',
      'Connect the NAT gateway to the network it serves.',
      'Unreachable: NAT gateway egress serves app, not db.',
      'Peering app-db: app (10.20.0.0/24) and db (10.20.0.128/25) overlap; peered networks need disjoint blocks.',
      'Rule 1: icmp has no ports',
    ]);
    expect(canConnect(design, 'n1', 'g1')).toMatch(/Connect a NAT gateway or a route table to a network/);
    expect(canConnect(design, 'g1', 'n2')).toBe('A NAT gateway serves one network.');
    expect(canConnect(design, 't1', 'n2')).toBeNull();
  });

  it('checks peerings: overlapping networks, self-peering, ranges outside the network, duplicates', () => {
    expect(canConnect(design, 'n1', 'n1')).toBe('A network cannot peer with itself.');
    expect(canConnect(design, 'n2', 'n1')).toBe('db and app are already peered.');
    const n3 = { id: 'n3', kind: 'network' as const, name: 'ops', cidr: '10.22.0.0/24', x: 0, y: 0 };
    expect(canConnect({ ...design, nodes: [...design.nodes, n3] }, 'n3', 'n1')).toBeNull();
    const bad: Design = {
      nodes: [
        ...design.nodes.map((n) => (n.id === 'n2' ? { ...n, cidr: '10.20.0.0/16' } : n)),
        { ...n3, cidr: '10.20.0.0/16' },
      ],
      edges: [
        ...design.edges.map((e) =>
          e.peering
            ? { ...e, peering: { name: 'app-db', allowedCidrs: ['10.99.0.0/28', '10.20.0.1/28'] } }
            : e,
        ),
        { id: 'p2', source: 'n1', target: 'n1', peering: { name: 'app-db', allowedCidrs: [] } },
      ],
    };
    expect(
      validateDesign(bad)
        .filter((p) => p.edgeId)
        .map((p) => p.message),
    ).toEqual([
      'Peering app-db: app (10.20.0.0/24) and db (10.20.0.0/16) overlap; peered networks need disjoint blocks.',
      'Peering app-db: 10.99.0.0/28 is not inside app (10.20.0.0/24); a side opens only its own addresses.',
      "Peering app-db: '10.20.0.1/28' is not a CIDR without host bits.",
      "Another peering is named 'app-db'.",
      'Peering app-db: a network cannot peer with itself.',
    ]);
  });

  it("the peer side's ranges: validated against the peer network, exported, loaded by packages/iac, imported back", () => {
    const withPeer: Design = {
      ...design,
      edges: design.edges.map((e) =>
        e.peering ? { ...e, peering: { ...e.peering, peerAllowedCidrs: ['10.21.0.16/28'] } } : e,
      ),
    };
    expect(validateDesign(withPeer)).toEqual([]);
    const yaml = designToYaml(withPeer);
    expect(yaml).toContain('peerAllowedCidrs:');
    const loaded = loadFile(yaml, { defaultStack: 's' });
    expect(JSON.stringify(loaded)).toContain('10.21.0.16/28');
    expect(yamlToDesign(yaml).edges.find((e) => e.peering)?.peering?.peerAllowedCidrs).toEqual([
      '10.21.0.16/28',
    ]);
    const outside: Design = {
      ...design,
      edges: design.edges.map((e) =>
        e.peering ? { ...e, peering: { ...e.peering, peerAllowedCidrs: ['10.20.0.0/28'] } } : e,
      ),
    };
    expect(validateDesign(outside).map((p) => p.message)).toEqual([
      'Peering app-db: 10.20.0.0/28 is not inside db (10.21.0.0/24); a side opens only its own addresses.',
    ]);
  });

  it('refuses to import what it cannot draw', () => {
    expect(() =>
      yamlToDesign(
        `peerings:\n  - name: x\n    networkId: \${networks.a.id}\n    peerNetworkId: \${networks.b.id}\n`,
      ),
    ).toThrow(/a is not a network of this file/);
    expect(() => yamlToDesign('natGateways:\n  - name: x\n    networkId: net-123\n')).toThrow(
      /not a reference/,
    );
  });
});
