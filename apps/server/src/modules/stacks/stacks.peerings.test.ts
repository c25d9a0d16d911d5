/** Stacks with a peering (issue 20): two declared networks peered, re-plan no change, destroy tears it down. */
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, useComputeContext } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runStack } from './stacks.test-helpers.ts';

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});

const FILE = `
networks:
  - name: app
    cidr: 10.81.0.0/24
  - name: db
    cidr: 10.82.0.0/24
peerings:
  - name: app-db
    networkId: "\${networks.app.id}"
    peerNetworkId: "\${networks.db.id}"
    allowedCidrs: [10.81.0.0/28]
`;

interface Net {
  id: string;
  name: string;
  vnet: string;
}
interface Pcx {
  id: string;
  name: string;
  status: string;
  requester: { networkId: string; allowedCidrs: string[] | null };
  accepter: { networkId: string; allowedCidrs: string[] | null };
}

const groupRules = (vnet: string) => t.sim.inspect().firewall.groups[`pcn-${vnet}`]?.rules ?? [];

describe('stacks: peerings', () => {
  it('applies an active peering between two declared networks, re-plans to no change, destroys it', async () => {
    const first = await runStack(alice, 'peered', 'apply', { document: FILE });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    const nets = (await alice.get<{ items: Net[] }>('/api/v1/networks')).body.items;
    const app = nets.find((n) => n.name === 'app')!;
    const db = nets.find((n) => n.name === 'db')!;
    const peerings = (await alice.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items;
    expect(peerings).toHaveLength(1);
    expect(peerings[0]).toMatchObject({
      name: 'app-db',
      status: 'active',
      requester: { networkId: app.id, allowedCidrs: ['10.81.0.0/28'] },
      accepter: { networkId: db.id, allowedCidrs: ['10.82.0.0/24'] },
    });
    // app lets db in to exactly its opened range; db lets app in to all of db
    expect(groupRules(app.vnet)).toContainEqual(
      expect.objectContaining({ source: '10.82.0.0/24', dest: '10.81.0.0/28' }),
    );
    expect(groupRules(db.vnet)).toContainEqual(
      expect.objectContaining({ source: '10.81.0.0/24', dest: '10.82.0.0/24' }),
    );

    const same = await alice.post<{ plan: { changes: { address: string; action: string }[] } }>(
      '/api/v1/stacks/peered/plan',
      { document: FILE },
    );
    expect(same.status).toBe(200);
    expect(same.body.plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    const again = await runStack(alice, 'peered', 'apply', { document: FILE });
    expect(again.body.result, JSON.stringify(again.body.error)).toBe('no-changes');
    const still = (await alice.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items;
    expect(still.map((p) => p.id)).toEqual([peerings[0]!.id]);

    const gone = await runStack(alice, 'peered', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect((await alice.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items).toEqual([]);
    expect((await alice.get<{ items: Net[] }>('/api/v1/networks')).body.items.map((n) => n.name)).toEqual([]);
    expect(JSON.stringify(groupRules(app.vnet))).not.toContain('peering');
  });

  it("refuses another user's network as the peer before asking for a peering", async () => {
    const res = await bob.post<{ id: string; activeOperationId: string }>('/api/v1/networks', {
      name: 'bobs',
      cidr: '10.83.0.0/24',
    });
    expect(res.status, res.text).toBe(201);
    const doc = `
networks:
  - name: mine
    cidr: 10.84.0.0/24
peerings:
  - name: mine-bobs
    networkId: "\${networks.mine.id}"
    peerNetworkId: ${res.body.id}
`;
    const run = await runStack(alice, 'foreign', 'apply', { document: doc });
    expect(run.body.result).toBe('failed');
    expect(run.body.error?.message).toContain('is not one of your networks');
    expect((await bob.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items).toEqual([]);
    expect((await alice.get<{ items: Pcx[] }>('/api/v1/peerings')).body.items).toEqual([]);
    const gone = await runStack(alice, 'foreign', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
  });
});
