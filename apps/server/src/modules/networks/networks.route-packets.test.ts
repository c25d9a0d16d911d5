/**
 * Route tables with real packets: the routes ProxiCloud pushes into running guests (what the
 * simulator's guest holds after `ip -batch`) become the guest namespace's routes, and a ping shows
 * that the next packet follows a route change. Same namespace tier as networks.packets.test.ts;
 * skipped (with the reason) where namespaces or nft are not available.
 */
import { buildPacketWorld, packetTierUnavailable } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type Inst,
  launch,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import { canPing, guestNs, run } from '../../testing/packets-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

const why = packetTierUnavailable();
if (why) console.warn(`route packet tier skipped: ${why}`);

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

type I = Inst & { nics: { networkId: string; ip: string }[] };
let world: ReturnType<typeof buildPacketWorld> | undefined;
afterAll(() => world?.destroy());

const ns = guestNs;
const ping = canPing;

async function settled(body: { id: string; activeOperationId: string | null }): Promise<void> {
  if (body.activeOperationId) {
    const op = await waitOp(alice, body.activeOperationId);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  }
}

describe.skipIf(why !== null)('real packets follow route tables', () => {
  it('sends a remote CIDR through the router instance; a route change is effective on the next packet', async () => {
    await t.ctx.app.services.pve().client.api.putClusterFirewallOptions({ enable: true } as never);
    const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/networks', {
      name: 'rp-a',
      cidr: '10.87.0.0/24',
    });
    await waitOp(alice, res.body.activeOperationId);
    const a = res.body;
    const router = (await launch(alice, { name: 'rp-router', networkIds: [a.id] })).instance as I;
    const other = (await launch(alice, { name: 'rp-other', networkIds: [a.id] })).instance as I;
    const client = (await launch(alice, { name: 'rp-client', networkIds: [a.id] })).instance as I;

    // routers forward other guests' traffic: the router's NIC gets its source/destination check off
    // (PVE's ipfilter off for that NIC; docs/networking.md, "Route tables")
    const off = await alice.request('PATCH', `/api/v1/instances/${router.id}/nics/${a.id}`, {
      body: { sourceDestCheck: false },
    });
    expect(off.status, off.text).toBe(200);
    const state = () => t.sim.inspect();
    world = buildPacketWorld(state());
    // "the remote site" behind the router: an address only the router holds
    await run('ip', ['netns', 'exec', ns(router), 'ip', 'addr', 'add', '10.99.5.1/32', 'dev', 'lo']);
    const remote = '10.99.5.1';

    // no route: the packet goes to the network's gateway (the node), which knows no 10.99.5.0/24
    expect(await ping(client, remote)).toBe(false);

    const created = await alice.post<{ id: string; activeOperationId: string | null }>(
      '/api/v1/route-tables',
      {
        name: 'rp-table',
        networkIds: [a.id],
        routes: [{ destinationCidr: '10.99.5.0/24', targetType: 'instance', targetId: router.id }],
      },
    );
    expect(created.status, created.text).toBe(201);
    await settled(created.body);
    world.apply(state());
    expect(await ping(client, remote)).toBe(true);

    // switch the next hop to an instance that does not hold the remote address: the next ping fails
    const moved = await alice.put<{ id: string; activeOperationId: string | null }>(
      `/api/v1/route-tables/${created.body.id}`,
      { routes: [{ destinationCidr: '10.99.5.0/24', targetType: 'instance', targetId: other.id }] },
    );
    expect(moved.status, moved.text).toBe(200);
    await settled(moved.body);
    world.apply(state());
    expect(await ping(client, remote)).toBe(false);

    // and back
    const back = await alice.put<{ id: string; activeOperationId: string | null }>(
      `/api/v1/route-tables/${created.body.id}`,
      { routes: [{ destinationCidr: '10.99.5.0/24', targetType: 'instance', targetId: router.id }] },
    );
    await settled(back.body);
    world.apply(state());
    expect(await ping(client, remote)).toBe(true);

    // removed: gone from the guest, the packet goes to the gateway again
    const none = await alice.put<{ id: string; activeOperationId: string | null }>(
      `/api/v1/route-tables/${created.body.id}`,
      { routes: [] },
    );
    await settled(none.body);
    expect(t.sim.inspect().guests.find((g) => g.vmid === client.vmid)?.guestRoutes).toEqual([]);
    world.apply(state());
    expect(await ping(client, remote)).toBe(false);
  }, 180_000);
});
