/**
 * Per-NIC source/destination check (`PATCH /instances/{id}/nics/{networkId}`): PVE's ipfilter is a
 * guest option, but PVE also filters a NIC whose guest IP set `ipfilter-net<N>` exists, so one NIC
 * goes unchecked by switching the option off and keeping the other NICs' sets. Route tables warn
 * about router NICs that still have the check on. The packets: networks.packets.test.ts (spoofing)
 * and networks.route-packets.test.ts (a router forwarding).
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});

type Nic = { networkId: string; ip: string; sourceDestCheck: boolean };
type I = Inst & { nics: Nic[] };

async function createNet(name: string, cidr: string): Promise<{ id: string }> {
  const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/networks', { name, cidr });
  expect(res.status, res.text).toBe(201);
  await waitOp(alice, res.body.activeOperationId);
  return res.body;
}

const patch = (who: TestClient, url: string, body: unknown) =>
  who.request<{ nics: Nic[] } & ErrorBody>('PATCH', url, { body });

describe('source/destination check per NIC', () => {
  it('turns PVE ipfilter off for one NIC only; route tables warn while a router NIC keeps it', async () => {
    const a = await createNet('sdc-a', '10.77.0.0/24');
    const b = await createNet('sdc-b', '10.78.0.0/24');
    const vm = (await launch(alice, { name: 'sdc-router', networkIds: [a.id, b.id] })).instance as I;
    expect(vm.nics.map((n) => n.sourceDestCheck)).toEqual([true, true]);
    const guest = () => t.sim.inspect().guests.find((g) => g.vmid === vm.vmid)!;
    const sets = () => Object.keys(guest().firewall.ipsets ?? {}).sort();
    expect(guest().firewall.options.ipfilter).toBe(1);
    expect(sets()).toEqual(['ipfilter-net0', 'ipfilter-net1']);

    const table = await alice.post<{ id: string; warnings: string[] }>('/api/v1/route-tables', {
      name: 'sdc-t',
      networkIds: [a.id],
      routes: [{ destinationCidr: '10.99.0.0/24', targetType: 'instance', targetId: vm.id }],
    });
    expect(table.status, table.text).toBe(201);
    expect(table.body.warnings).toHaveLength(1);
    expect(table.body.warnings[0]).toContain("its NIC on 'sdc-a' has the source/destination check on");

    // off on net1 (network b): the option goes off, net0 keeps its set (PVE still filters it)
    const off = await patch(alice, `/api/v1/instances/${vm.id}/nics/${b.id}`, { sourceDestCheck: false });
    expect(off.status, off.text).toBe(200);
    expect(off.body.nics.map((n) => [n.networkId, n.sourceDestCheck])).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
    expect(guest().firewall.options.ipfilter).toBe(0);
    expect(sets()).toEqual(['ipfilter-net0']);
    expect(guest().firewall.ipsets?.['ipfilter-net0']?.entries.map((e) => e.cidr)).toEqual([
      `${vm.nics[0]!.ip}/32`,
    ]);
    const got = await alice.get<I>(`/api/v1/instances/${vm.id}`);
    expect(got.body.nics.map((n) => n.sourceDestCheck)).toEqual([true, false]);
    // the reconciler agrees with what was written
    const report = await t.ctx.app.modules.networks.reconciler.pass({ repair: false });
    expect(report.drift.filter((d) => d.id === vm.id)).toEqual([]);

    // the router's NIC on the table's network: off → no warning
    await patch(alice, `/api/v1/instances/${vm.id}/nics/${a.id}`, { sourceDestCheck: false });
    expect(sets()).toEqual([]);
    expect(
      (await alice.get<{ warnings: string[] }>(`/api/v1/route-tables/${table.body.id}`)).body.warnings,
    ).toEqual([]);

    // both back on: the option again, both sets
    await patch(alice, `/api/v1/instances/${vm.id}/nics/${a.id}`, { sourceDestCheck: true });
    const on = await patch(alice, `/api/v1/instances/${vm.id}/nics/${b.id}`, { sourceDestCheck: true });
    expect(on.body.nics.every((n) => n.sourceDestCheck)).toBe(true);
    expect(guest().firewall.options.ipfilter).toBe(1);
    expect(sets()).toEqual(['ipfilter-net0', 'ipfilter-net1']);

    // bad input and other users
    const bad = await patch(alice, `/api/v1/instances/${vm.id}/nics/${b.id}`, { sourceDestCheck: 'no' });
    expect(bad.status).toBe(400);
    const foreign = await patch(bob, `/api/v1/instances/${vm.id}/nics/${b.id}`, { sourceDestCheck: false });
    expect(foreign.status).toBe(404);
    const none = await patch(alice, `/api/v1/instances/${vm.id}/nics/net-00000000000000000`, {
      sourceDestCheck: false,
    });
    expect(none.status).toBe(404);
    expect(guest().firewall.options.ipfilter).toBe(1);
  }, 120_000);
});
