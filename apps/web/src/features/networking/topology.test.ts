import { describe, expect, it } from 'vitest';
import { buildTopology } from './topology.ts';

describe('buildTopology', () => {
  it('draws networks with their instances, NAT gateways, route tables and peerings', () => {
    const { boxes, edges } = buildTopology({
      networks: [
        { id: 'net-b', name: 'db', cidr: '10.21.0.0/24', status: 'available' },
        { id: 'net-a', name: 'app', cidr: '10.20.0.0/24', status: 'available' },
      ],
      instances: [
        {
          id: 'i-1',
          name: 'router',
          status: 'running',
          nics: [
            { networkId: 'net-a', ip: '10.20.0.10' },
            { networkId: 'net-b', ip: '10.21.0.10' },
          ],
        },
        { id: 'i-2', name: 'web', status: 'running', nics: [{ networkId: 'net-a', ip: '10.20.0.11' }] },
        { id: 'i-3', name: 'elsewhere', status: 'running', nics: [] },
      ],
      routeTables: [
        {
          id: 'rtb-1',
          name: 'main',
          isDefault: true,
          effectiveNetworks: [{ id: 'net-a' }, { id: 'net-b' }],
          routes: [{ destinationCidr: '10.99.0.0/16', targetType: 'instance', targetId: 'i-1' }],
        },
      ],
      natGateways: [{ id: 'nat-1', name: 'egress', networkId: 'net-b', status: 'available' }],
      peerings: [
        {
          id: 'pcx-1',
          name: 'to-bob',
          status: 'pendingAcceptance',
          requester: { networkId: 'net-a', allowedCidrs: ['10.20.0.0/25'] },
          accepter: { networkId: 'net-x', allowedCidrs: null, cidr: '10.30.0.0/24' },
        },
      ],
    });
    const at = (id: string) => boxes.find((b) => b.id === id)!;
    // networks sorted by name, one column each; the instance sits in its first network's column
    expect(at('network:net-a').x).toBe(0);
    expect(at('network:net-b').x).toBeGreaterThan(0);
    expect(at('instance:i-1').x).toBe(0);
    expect(at('instance:i-1').sub).toBe('10.20.0.10, 10.21.0.10');
    expect(at('natGateway:nat-1').x).toBe(at('network:net-b').x);
    expect(boxes.some((b) => b.ref === 'i-3')).toBe(false);
    expect(at('network:net-x')).toMatchObject({ kind: 'foreignNetwork', sub: '10.30.0.0/24' });
    expect(edges.map((e) => e.id).sort()).toEqual([
      'nat:nat-1',
      'nic:i-1:net-a',
      'nic:i-1:net-b',
      'nic:i-2:net-a',
      'peering:pcx-1',
      'route:rtb-1:10.99.0.0/16',
      'rt:rtb-1:net-a',
      'rt:rtb-1:net-b',
    ]);
    expect(edges.find((e) => e.id === 'peering:pcx-1')).toMatchObject({
      label: 'to-bob (pendingAcceptance): 10.20.0.0/25',
      dashed: true,
    });
    expect(edges.find((e) => e.id === 'route:rtb-1:10.99.0.0/16')).toMatchObject({
      target: 'instance:i-1',
      label: '10.99.0.0/16',
    });
  });
});
