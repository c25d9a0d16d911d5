import { describe, expect, it } from 'vitest';
import { type Design, designToYaml } from './design.ts';
import { instanceOverlay } from './design-instances.ts';

const design: Design = {
  nodes: [
    { id: 'n1', kind: 'network', name: 'app', cidr: '10.20.0.0/24', x: 100, y: 50 },
    { id: 'n2', kind: 'network', name: 'db', cidr: '10.21.0.0/24', x: 400, y: 50 },
    { id: 'n3', kind: 'network', name: 'planned', cidr: '10.22.0.0/24', x: 700, y: 50 },
  ],
  edges: [],
};
const networks = [
  { id: 'net-a', name: 'app' },
  { id: 'net-b', name: 'db' },
  { id: 'net-x', name: 'not-drawn' },
];
const instances = [
  {
    id: 'i-2',
    name: 'web',
    status: 'running',
    nics: [{ networkId: 'net-a', ip: '10.20.0.11' }],
  },
  {
    id: 'i-1',
    name: 'router',
    status: 'stopped',
    nics: [
      { networkId: 'net-a', ip: '10.20.0.10' },
      { networkId: 'net-b', ip: '10.21.0.10' },
    ],
  },
  { id: 'i-3', name: 'gone', status: 'terminated', nics: [{ networkId: 'net-a', ip: '10.20.0.12' }] },
  { id: 'i-4', name: 'elsewhere', status: 'running', nics: [{ networkId: 'net-x', ip: '10.30.0.4' }] },
];

describe('instanceOverlay', () => {
  it('draws the instances of drawn networks by name, one box each, linked to every drawn network', () => {
    const { boxes, links } = instanceOverlay(design, networks, instances);
    expect(boxes.map((b) => [b.name, b.sub, b.x, b.y])).toEqual([
      ['router', '10.20.0.10, 10.21.0.10', 120, 160],
      ['web', '10.20.0.11', 120, 216],
    ]);
    expect(links.map((l) => [l.source, l.target, l.label])).toEqual([
      ['inst:i-1', 'n1', '10.20.0.10'],
      ['inst:i-1', 'n2', '10.21.0.10'],
      ['inst:i-2', 'n1', '10.20.0.11'],
    ]);
  });

  it('draws nothing for networks that are not yours yet, and never reaches the YAML', () => {
    expect(instanceOverlay({ nodes: [design.nodes[2]!], edges: [] }, networks, instances).boxes).toEqual([]);
    const yaml = designToYaml(design);
    expect(yaml).not.toContain('router');
    expect(yaml).not.toContain('instances');
  });
});
