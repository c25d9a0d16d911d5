/**
 * Egress rules on the simulator (networks.egress.ts): what the network's group `pcn-<vnet>` holds
 * in the out direction for a private network, a network with a default route, a network whose
 * own SNAT is on, and the `pc-networks` IP set of every network ("inside"), repaired by the
 * reconciler. The packets themselves: networks.egress-packets.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

interface Net {
  id: string;
  vnet: string;
  cidr: string;
  activeOperationId: string | null;
}

async function settled(body: { activeOperationId: string | null }): Promise<void> {
  if (body.activeOperationId) {
    const op = await waitOp(alice, body.activeOperationId);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  }
}

async function createNet(body: Record<string, unknown>): Promise<Net> {
  const res = await alice.post<Net & ErrorBody>('/api/v1/networks', body);
  expect(res.status, res.text).toBe(201);
  await settled(res.body);
  return res.body;
}

const outRules = (vnet: string) =>
  (t.sim.inspect().firewall.groups[`pcn-${vnet}`]?.rules ?? [])
    .filter((r) => r.type === 'out')
    .map((r) => [r.action, r.proto ?? null, r.dport ?? null, r.dest ?? null]);
const networksSet = () =>
  (t.sim.inspect().firewall.ipsets?.['pc-networks']?.entries ?? []).map((e) => e.cidr).sort();

const closed = (...routed: string[]) => [
  ['ACCEPT', 'udp', '67', null],
  ['ACCEPT', null, null, '+dc/pc-networks'],
  ...routed.map((d) => ['ACCEPT', null, null, d]),
  ['DROP', null, null, null],
];

describe('egress follows the route table', () => {
  it('drops outside traffic of a private network until a default route opens it', async () => {
    const priv = await createNet({ name: 'eg-a', cidr: '10.84.0.0/24' });
    const pub = await createNet({ name: 'eg-b', cidr: '10.85.0.0/24', snat: true });
    // a private network: DHCP, every network, nothing else; a network with its own SNAT: open
    expect(outRules(priv.vnet)).toEqual(closed());
    expect(outRules(pub.vnet)).toEqual([]);
    expect(networksSet()).toEqual(expect.arrayContaining(['10.84.0.0/24', '10.85.0.0/24']));

    const gw = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/nat-gateways', {
      name: 'eg-gw',
      networkId: priv.id,
    });
    await settled(gw.body);
    // the gateway's SNAT alone opens nothing
    expect(outRules(priv.vnet)).toEqual(closed());

    const table = await alice.post<{ id: string; activeOperationId: string | null }>('/api/v1/route-tables', {
      name: 'eg-t',
      networkIds: [priv.id],
      routes: [{ destinationCidr: '192.0.2.0/24', targetType: 'natGateway', targetId: gw.body.id }],
    });
    expect(table.status, table.text).toBe(201);
    await settled(table.body);
    expect(outRules(priv.vnet)).toEqual(closed('192.0.2.0/24'));
    const op = await waitOp(alice, table.body.activeOperationId!);
    expect(op.steps.map((s: { name: string }) => s.name)).toEqual(['egress', 'guests']);

    const open = await alice.put<{ activeOperationId: string | null }>(
      `/api/v1/route-tables/${table.body.id}`,
      {
        routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: gw.body.id }],
      },
    );
    await settled(open.body);
    expect(outRules(priv.vnet)).toEqual([]);

    // the table deleted: the network falls back to the default table (no routes): closed again
    const del = await alice.delete(`/api/v1/route-tables/${table.body.id}`);
    expect(del.status, del.text).toBe(204);
    // (the fallback's route-table.apply runs in the background)
    await vi.waitFor(() => expect(outRules(priv.vnet)).toEqual(closed()), { timeout: 10_000 });

    // switching the network's own SNAT off closes the public one (through the update operation)
    const off = await alice.put<{ activeOperationId: string | null }>(`/api/v1/networks/${pub.id}`, {
      snat: false,
    });
    expect(off.status, off.text).toBe(200);
    await settled(off.body);
    expect(outRules(pub.vnet)).toEqual(closed());
  }, 120_000);

  it('keeps the pc-networks set to the live networks; the reconciler repairs it', async () => {
    const n = await createNet({ name: 'eg-c', cidr: '10.83.0.0/24' });
    expect(networksSet()).toContain('10.83.0.0/24');
    const api = t.ctx.app.services.pve().client.api;
    await api.deleteClusterFirewallIpsetByNameByCidr({ name: 'pc-networks', cidr: '10.83.0.0/24' });
    await api.postClusterFirewallIpsetByName({ name: 'pc-networks', cidr: '203.0.113.0/24' });
    const report = await t.ctx.app.modules.networks.reconciler.pass();
    expect(report.drift.find((d) => d.id === 'pc-networks')?.problems).toEqual([
      'entries of pc-networks differ from the networks',
    ]);
    expect(networksSet()).toContain('10.83.0.0/24');
    expect(networksSet()).not.toContain('203.0.113.0/24');

    const del = await alice.delete<{ id: string }>(`/api/v1/networks/${n.id}`);
    expect(del.status, del.text).toBe(202);
    expect((await waitOp(alice, del.body.id)).status).toBe('succeeded');
    expect(networksSet()).not.toContain('10.83.0.0/24');
  }, 60_000);
});
