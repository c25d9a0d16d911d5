/** Stacks with NAT gateways and route tables (issue 20): declared in YAML, applied, changed in place, destroyed in order. */
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, useComputeContext } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runStack } from './stacks.test-helpers.ts';

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

const file = (routes: string) => `
networks:
  - name: private
    cidr: 10.77.0.0/24
natGateways:
  - name: egress
    networkId: "\${networks.private.id}"
routeTables:
  - name: private-rt
    networkIds: ["\${networks.private.id}"]
    routes:
${routes}
`;
const viaNat = `      - {destinationCidr: 0.0.0.0/0, targetType: natGateway, targetId: "\${natGateways.egress.id}"}`;

interface Rtb {
  id: string;
  name: string;
  networkIds: string[];
  routes: { destinationCidr: string; targetName: string }[];
}

describe('stacks: NAT gateways and route tables', () => {
  it('applies a private network with a NAT gateway and a default route to it, re-plans to no change, destroys', async () => {
    const first = await runStack(alice, 'routing', 'apply', { document: file(viaNat) });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    const net = (
      await alice.get<{ items: { id: string; name: string; vnet: string; snat: boolean }[] }>(
        '/api/v1/networks',
      )
    ).body.items.find((n) => n.name === 'private')!;
    expect(net.snat).toBe(true);
    const nat = (
      await alice.get<{ items: { id: string; name: string; status: string }[] }>('/api/v1/nat-gateways')
    ).body.items[0]!;
    expect(nat).toMatchObject({ name: 'egress', status: 'available' });
    const rt = (await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items.find(
      (x) => x.name === 'private-rt',
    )!;
    expect(rt.networkIds).toEqual([net.id]);
    expect(rt.routes.map((r) => [r.destinationCidr, r.targetName])).toEqual([['0.0.0.0/0', 'egress']]);

    const same = await alice.post<{ plan: { changes: { address: string; action: string }[] } }>(
      '/api/v1/stacks/routing/plan',
      { document: file(viaNat) },
    );
    expect(same.body.plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);

    // the route goes: the table changes in place, the gateway stays
    const second = await runStack(alice, 'routing', 'apply', { document: file('      []') });
    expect(second.body.result, JSON.stringify(second.body.error)).toBe('succeeded');
    const after = (await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items.find(
      (x) => x.name === 'private-rt',
    )!;
    expect(after.id).toBe(rt.id);
    expect(after.routes).toEqual([]);

    const gone = await runStack(alice, 'routing', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect((await alice.get<{ items: unknown[] }>('/api/v1/nat-gateways')).body.items).toEqual([]);
    expect((await alice.get<{ items: Rtb[] }>('/api/v1/route-tables')).body.items.map((x) => x.name)).toEqual(
      ['main'],
    );
    const subnet = Object.values(t.sim.inspect().sdn.subnets).find((x) => x.current?.vnet === net.vnet);
    expect(subnet).toBeUndefined();
  });
});
