import { describe, expect, it } from 'vitest';
import { peeringProblem, routeProblem } from './routes.ts';

const nets = [
  { id: 'net-a', name: 'app', cidr: '10.20.0.0/24' },
  { id: 'net-b', name: 'db', cidr: '10.21.0.0/24' },
];
const both = () => ({ kind: 'instance' as const, networkIds: ['net-a', 'net-b'] });

describe('routeProblem', () => {
  it('accepts a route through a router on every network of the table', () => {
    expect(routeProblem([{ destinationCidr: '10.30.0.0/16', targetId: 'i-1' }], 0, nets, both)).toBeNull();
    expect(routeProblem([{ destinationCidr: '0.0.0.0/0', targetId: 'i-1' }], 0, nets, both)).toBeNull();
  });

  it('says what is wrong, like the server', () => {
    const one = (destinationCidr: string, targetId = 'i-1', on: Parameters<typeof routeProblem>[3] = both) =>
      routeProblem([{ destinationCidr, targetId }], 0, nets, on);
    expect(one('10.30.0.0/33')).toMatch(/IPv4 CIDR/);
    expect(one('10.30.0.1/16')).toBe('Host bits are set: did you mean 10.30.0.0/16?');
    expect(one('10.20.0.0/16')).toMatch(/Overlaps network app/);
    expect(one('10.30.0.0/16', '')).toBe('Pick the router instance or NAT gateway.');
    expect(one('10.30.0.0/16', 'i-1', () => ({ kind: 'instance', networkIds: ['net-a'] }))).toBe(
      'The router has no NIC on db.',
    );
    expect(one('0.0.0.0/0', 'nat-1', () => ({ kind: 'natGateway', networkIds: ['net-a'] }))).toBe(
      'This NAT gateway serves its own network only, not db.',
    );
    const dup = [
      { destinationCidr: '10.30.0.0/16', targetId: 'i-1' },
      { destinationCidr: '10.30.0.0/16', targetId: 'i-2' },
    ];
    expect(routeProblem(dup, 0, nets, both)).toBeNull();
    expect(routeProblem(dup, 1, nets, both)).toMatch(/Another route/);
  });
});

describe('peeringProblem', () => {
  const app = { id: 'net-a', name: 'app', cidr: '10.20.0.0/24' };
  it('checks self, overlap and the allowed ranges', () => {
    expect(peeringProblem(app, { id: 'net-b', cidr: '10.21.0.0/24' }, ['10.20.0.0/25'])).toBeNull();
    expect(peeringProblem(app, { id: 'net-a', cidr: '10.20.0.0/24' }, [])).toMatch(/itself/);
    expect(peeringProblem(app, { id: 'net-b', cidr: '10.20.0.0/16' }, [])).toMatch(/overlap/);
    expect(peeringProblem(app, null, ['10.30.0.0/25'])).toBe(
      '10.30.0.0/25 is not inside app (10.20.0.0/24).',
    );
    expect(peeringProblem(app, null, ['10.20.0.1/25'])).toMatch(/host bits/);
  });
});
