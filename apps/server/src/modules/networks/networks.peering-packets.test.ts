/**
 * Peering with real packets (namespace tier, like networks.packets.test.ts): two networks reach each
 * other only within the ranges each side opened, and not at all once the peering is deleted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildPacketWorld, guestNamespace, packetTierUnavailable } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type Inst,
  launch,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

const run = promisify(execFile);
const why = packetTierUnavailable();
if (why) console.warn(`peering packet tier skipped: ${why}`);

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

type I = Inst & { nics: { ip: string }[] };
let world: ReturnType<typeof buildPacketWorld> | undefined;
afterAll(() => world?.destroy());

async function ping(from: I, to: I): Promise<boolean> {
  try {
    await run('ip', [
      'netns',
      'exec',
      guestNamespace(from.vmid!),
      'ping',
      '-c',
      '1',
      '-W',
      '1',
      to.nics[0]!.ip,
    ]);
    return true;
  } catch {
    return false;
  }
}

async function net(name: string, cidr: string, dhcp: unknown): Promise<{ id: string }> {
  const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/networks', {
    name,
    cidr,
    dhcp,
  });
  await waitOp(alice, res.body.activeOperationId);
  return res.body;
}

describe.skipIf(why !== null)('real packets between peered networks', () => {
  it('reach each other only within the allowed ranges, and not after the peering is deleted', async () => {
    await t.ctx.app.services.pve().client.api.putClusterFirewallOptions({ enable: true } as never);
    const a = await net('pp-a', '10.88.0.0/24', true);
    // b's DHCP range starts at .10: b1 = 10.89.0.10, b2 = 10.89.0.11
    const b = await net('pp-b', '10.89.0.0/24', true);
    const a1 = (await launch(alice, { name: 'pp-a1', networkIds: [a.id] })).instance as I;
    const b1 = (await launch(alice, { name: 'pp-b1', networkIds: [b.id] })).instance as I;
    const b2 = (await launch(alice, { name: 'pp-b2', networkIds: [b.id] })).instance as I;
    expect([b1.nics[0]!.ip, b2.nics[0]!.ip]).toEqual(['10.89.0.10', '10.89.0.11']);
    world = buildPacketWorld(t.sim.inspect());

    // not peered: the node routes between the VNets, the guests' firewalls drop it
    expect(await ping(a1, b1)).toBe(false);
    expect(await ping(b1, a1)).toBe(false);

    // a opens all of itself; b opens only 10.89.0.10/32 (b1)
    const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/peerings', {
      name: 'pp',
      networkId: b.id,
      peerNetworkId: a.id,
      allowedCidrs: ['10.89.0.10/32'],
    });
    expect(res.status).toBe(201);
    await waitOp(alice, res.body.activeOperationId);
    world.apply(t.sim.inspect());
    expect(await ping(a1, b1)).toBe(true);
    expect(await ping(a1, b2)).toBe(false);
    expect(await ping(b1, a1)).toBe(true);
    expect(await ping(b2, a1)).toBe(true);

    const del = await alice.delete<{ id: string }>(`/api/v1/peerings/${res.body.id}`);
    expect(del.status).toBe(202);
    await waitOp(alice, del.body.id);
    world.apply(t.sim.inspect());
    expect(await ping(a1, b1)).toBe(false);
    expect(await ping(b2, a1)).toBe(false);
  }, 180_000);
});
