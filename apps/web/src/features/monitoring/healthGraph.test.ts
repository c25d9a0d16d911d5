import { describe, expect, it } from 'vitest';
import type { Instance } from '../instances/api.ts';
import type { NodeSummary } from './api.ts';
import { buildHealthGraph, type Network, type Volume } from './healthGraph.ts';

const node = (name: string, cpu: number): NodeSummary =>
  ({
    node: name,
    status: 'online',
    cpuPercent: cpu,
    cpus: 8,
    memoryBytes: 1,
    memoryMaxBytes: 100,
    uptimeSeconds: 1,
    guests: 0,
    storages: [],
  }) as NodeSummary;
const inst = (id: string, nodeName: string, cpu: number, nets: string[] = []): Instance =>
  ({
    id,
    name: `vm-${id}`,
    node: nodeName,
    status: 'running',
    usage: { cpu, memoryBytes: 10, memoryMaxBytes: 100 },
    nics: nets.map((networkId) => ({ networkId, mac: '', ip: '' })),
  }) as unknown as Instance;
const vol = (id: string, nodeName: string, instanceId: string | null, status = 'in-use'): Volume =>
  ({ id, name: `data-${id}`, node: nodeName, instanceId, status, sizeGib: 5 }) as unknown as Volume;
const net = (id: string): Network =>
  ({ id, name: `net-${id}`, cidr: '10.0.0.0/24', status: 'available' }) as Network;

describe('health map graph', () => {
  const input = {
    nodes: [node('pve1', 10), node('pve2', 95)],
    instances: [inst('a', 'pve1', 0.5, ['n1']), inst('b', 'pve1', 0.8), inst('c', 'pve2', 0.95, ['n1'])],
    volumes: [vol('v1', 'pve1', 'a'), vol('v2', 'pve2', null, 'available'), vol('v3', 'pve2', null, 'error')],
    networks: [net('n1')],
    search: '',
    showVolumes: true,
    showNetworks: true,
  };

  it('draws nodes, instances, volumes and networks with attachment and NIC edges, coloured', () => {
    const { boxes, edges } = buildHealthGraph(input);
    const by = new Map(boxes.map((b) => [b.id, b]));
    expect([...by.keys()].sort()).toEqual(
      [
        'instance:a',
        'instance:b',
        'instance:c',
        'network:n1',
        'node:pve1',
        'node:pve2',
        'volume:v1',
        'volume:v2',
        'volume:v3',
      ].sort(),
    );
    expect(by.get('node:pve2')!.health).toBe('red');
    expect(by.get('instance:a')!.health).toBe('green');
    expect(by.get('instance:b')!.health).toBe('yellow');
    expect(by.get('instance:c')!.health).toBe('red');
    expect(by.get('volume:v3')!.health).toBe('red');
    expect(by.get('network:n1')!.sub).toBe('10.0.0.0/24 · 2 instances');
    const pairs = edges.map((e) => `${e.source}>${e.target}`).sort();
    expect(pairs).toEqual(
      [
        'instance:a>volume:v1',
        'network:n1>instance:a',
        'network:n1>instance:c',
        'node:pve1>instance:a',
        'node:pve1>instance:b',
        'node:pve2>instance:c',
      ].sort(),
    );
    // networks on top, nodes below, volumes under their node's instances
    expect(by.get('network:n1')!.y).toBeLessThan(by.get('node:pve1')!.y);
    expect(by.get('volume:v1')!.y).toBeGreaterThan(by.get('instance:b')!.y);
  });

  it('search keeps matching instances and their volumes; toggles hide volumes and networks', () => {
    const found = buildHealthGraph({ ...input, search: 'vm-a' });
    expect(found.boxes.filter((b) => b.kind === 'instance').map((b) => b.ref)).toEqual(['a']);
    expect(found.boxes.filter((b) => b.kind === 'volume').map((b) => b.ref)).toEqual(['v1']);
    const bare = buildHealthGraph({ ...input, showVolumes: false, showNetworks: false });
    expect(bare.boxes.some((b) => b.kind === 'volume' || b.kind === 'network')).toBe(false);
    expect(bare.edges.every((e) => e.source.startsWith('node:'))).toBe(true);
  });

  it('lays out 500 instances on 3 nodes without overlaps', () => {
    const many = Array.from({ length: 500 }, (_, k) => inst(`i${k}`, `pve${(k % 3) + 1}`, (k % 100) / 100));
    const { boxes } = buildHealthGraph({
      ...input,
      nodes: [node('pve1', 1), node('pve2', 1), node('pve3', 1)],
      instances: many,
      volumes: [],
    });
    const spots = new Set(boxes.map((b) => `${b.x},${b.y}`));
    expect(spots.size).toBe(boxes.length);
    expect(boxes.filter((b) => b.kind === 'instance')).toHaveLength(500);
  });
});
