/**
 * Egress follows the route table, with real packets (networks.egress.ts): a private network with an
 * `sdnSnat` NAT gateway (so the node masquerades its subnet) reaches the "public" namespace behind
 * the node's uplink only while its route table sends 0.0.0.0/0 (or that destination) to the
 * gateway; a route change is effective on the next packet. Same namespace tier as
 * networks.packets.test.ts; skipped (with the reason) where namespaces or nft are not available.
 */
import { buildPacketWorld, PUBLIC_NS, packetTierUnavailable } from '@proxicloud/proxmox-sim';
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
if (why) console.warn(`egress packet tier skipped: ${why}`);

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

async function settled(body: { activeOperationId: string | null }): Promise<void> {
  if (body.activeOperationId) {
    const op = await waitOp(alice, body.activeOperationId);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  }
}

/** The source address the public side sees for a TCP connection from `from`. */
async function seenFrom(from: I, ip: string, port: number): Promise<string> {
  const server = run('ip', [
    'netns',
    'exec',
    PUBLIC_NS,
    'socat',
    '-T',
    '5',
    `TCP-LISTEN:${port},reuseaddr`,
    'SYSTEM:echo $SOCAT_PEERADDR',
  ]);
  await new Promise((r) => setTimeout(r, 300));
  const { stdout } = await run('ip', [
    'netns',
    'exec',
    ns(from),
    'socat',
    '-T',
    '3',
    '-',
    `TCP:${ip}:${port},connect-timeout=2`,
  ]);
  await server;
  return stdout.trim();
}

describe.skipIf(why !== null)('real packets: egress follows the route table', () => {
  it('a private guest reaches outside only while its table routes there through the NAT gateway', async () => {
    await t.ctx.app.services.pve().client.api.putClusterFirewallOptions({ enable: true } as never);
    const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/networks', {
      name: 'eg-priv',
      cidr: '10.86.0.0/24',
    });
    await settled(res.body);
    const net = res.body;
    const gwRes = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/nat-gateways', {
      name: 'eg-nat',
      networkId: net.id,
    });
    expect(gwRes.status, gwRes.text).toBe(201);
    await settled(gwRes.body);
    const guest = (await launch(alice, { name: 'eg-guest', networkIds: [net.id] })).instance as I;
    const peer = (await launch(alice, { name: 'eg-peer', networkIds: [net.id] })).instance as I;

    world = buildPacketWorld(t.sim.inspect(), {
      uplink: { hostIp: '198.51.100.1', publicIp: '198.51.100.2', bits: 24 },
    });
    await run('ip', ['netns', 'exec', PUBLIC_NS, 'ip', 'addr', 'add', '198.51.100.3/24', 'dev', 'eth0']);
    const subnet = Object.values(t.sim.inspect().sdn.subnets).find(
      (s) => (s.current as { vnet?: string } | undefined)?.vnet === (net as unknown as { vnet: string }).vnet,
    )?.current as { snat?: unknown } | undefined;
    // the node masquerades the subnet (the gateway's SNAT) ...
    expect(Number(subnet?.snat)).toBe(1);
    // ... but without a route to the gateway nothing leaves for outside; inside still works
    expect(await ping(guest, '198.51.100.2')).toBe(false);
    expect(await ping(guest, peer.nics[0]!.ip)).toBe(true);

    // 0.0.0.0/0 → the gateway: the next packet goes out, masqueraded to the node's uplink address
    const table = await alice.post<{ id: string; activeOperationId: string | null }>('/api/v1/route-tables', {
      name: 'eg-table',
      networkIds: [net.id],
      routes: [{ destinationCidr: '0.0.0.0/0', targetType: 'natGateway', targetId: gwRes.body.id }],
    });
    expect(table.status, table.text).toBe(201);
    await settled(table.body);
    world.apply(t.sim.inspect());
    expect(await ping(guest, '198.51.100.2')).toBe(true);
    expect(await ping(guest, '198.51.100.3')).toBe(true);
    expect(await seenFrom(guest, '198.51.100.2', 7301)).toBe('198.51.100.1');

    // a narrower route: only that destination goes out
    const narrow = await alice.put<{ activeOperationId: string | null }>(
      `/api/v1/route-tables/${table.body.id}`,
      {
        routes: [{ destinationCidr: '198.51.100.2/32', targetType: 'natGateway', targetId: gwRes.body.id }],
      },
    );
    expect(narrow.status, narrow.text).toBe(200);
    await settled(narrow.body);
    world.apply(t.sim.inspect());
    expect(await ping(guest, '198.51.100.2')).toBe(true);
    expect(await ping(guest, '198.51.100.3')).toBe(false);

    // route removed: dropped again, although the subnet's SNAT stays on
    const none = await alice.put<{ activeOperationId: string | null }>(
      `/api/v1/route-tables/${table.body.id}`,
      {
        routes: [],
      },
    );
    await settled(none.body);
    world.apply(t.sim.inspect());
    expect(await ping(guest, '198.51.100.2')).toBe(false);
    expect(await ping(guest, peer.nics[0]!.ip)).toBe(true);
  }, 180_000);
});
