/**
 * Real enforcement: what ProxiCloud writes to the (simulated) PVE firewall and SDN, turned into
 * Linux bridges, veths, network namespaces and nftables by the simulator's packet model, then
 * probed with real ping and TCP connects. Skipped (with the reason) where namespaces or nft
 * are not available.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
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
if (why) console.warn(`packet tier skipped: ${why}`);

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

type I = Inst & { nics: { ip: string; networkId: string }[] };
const servers: ChildProcess[] = [];
let world: ReturnType<typeof buildPacketWorld> | undefined;
afterAll(() => {
  for (const s of servers) s.kill();
  world?.destroy();
});

const ns = (i: I) => guestNamespace(i.vmid!);

async function ping(from: I, ip: string): Promise<boolean> {
  try {
    await run('ip', ['netns', 'exec', ns(from), 'ping', '-c', '1', '-W', '1', ip]);
    return true;
  } catch {
    return false;
  }
}

async function tcp(from: I, ip: string, port: number): Promise<boolean> {
  const code = `const s=require('net').connect(${port},'${ip}');s.setTimeout(1000);s.on('connect',()=>process.exit(0));s.on('timeout',()=>process.exit(1));s.on('error',()=>process.exit(1));`;
  try {
    await run('ip', ['netns', 'exec', ns(from), process.execPath, '-e', code]);
    return true;
  } catch {
    return false;
  }
}

function listen(on: I, port: number): void {
  servers.push(
    spawn(
      'ip',
      [
        'netns',
        'exec',
        ns(on),
        process.execPath,
        '-e',
        `require('net').createServer(s=>s.end()).listen(${port})`,
      ],
      {
        stdio: 'ignore',
      },
    ),
  );
}

async function net(name: string, cidr: string): Promise<{ id: string }> {
  const res = await alice.post<{ id: string; activeOperationId: string }>('/api/v1/networks', { name, cidr });
  await waitOp(alice, res.body.activeOperationId);
  return res.body;
}

describe.skipIf(why !== null)('real packets through the PVE firewall model', () => {
  it('isolates networks, opens SG ports from a CIDR only, follows group membership', async () => {
    // the datacenter firewall must be on for guest firewalls to filter (docs/networking.md)
    await t.ctx.app.services.pve().client.api.putClusterFirewallOptions({ enable: true } as never);
    const a = await net('pk-a', '10.81.0.0/24');
    const b = await net('pk-b', '10.82.0.0/24');
    const sshFromA = (
      await alice.post<{ id: string }>('/api/v1/security-groups', {
        name: 'pk-ssh',
        rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '10.81.0.0/24' }],
      })
    ).body;
    const clients = (await alice.post<{ id: string }>('/api/v1/security-groups', { name: 'pk-clients' }))
      .body;
    const app = (
      await alice.post<{ id: string }>('/api/v1/security-groups', {
        name: 'pk-app',
        rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 8080, sourceSecurityGroupId: clients.id }],
      })
    ).body;
    const a1 = (await launch(alice, { name: 'pk-a1', networkIds: [a.id] })).instance as I;
    const a2 = (await launch(alice, { name: 'pk-a2', networkIds: [a.id] })).instance as I;
    const b1 = (
      await launch(alice, { name: 'pk-b1', networkIds: [b.id], securityGroupIds: [sshFromA.id, app.id] })
    ).instance as I;
    const b2 = (await launch(alice, { name: 'pk-b2', networkIds: [b.id] })).instance as I;

    world = buildPacketWorld(t.sim.inspect());
    for (const i of [a1, a2, b1, b2]) for (const p of [22, 8080, 5432]) listen(i, p);
    await new Promise((r) => setTimeout(r, 400));
    const ip = (i: I) => i.nics[0]!.ip;

    // same network: allowed
    expect(await ping(a1, ip(a2))).toBe(true);
    expect(await tcp(a1, ip(a2), 5432)).toBe(true);
    expect(await ping(b2, ip(b1))).toBe(true);
    // other network: blocked by default (routed through the zone's gateway, dropped by policy_in)
    expect(await ping(b2, ip(a1))).toBe(false);
    expect(await tcp(b2, ip(a1), 22)).toBe(false);
    // the SG opens 22 on b1 from 10.81.0.0/24 only, and nothing else
    expect(await tcp(a1, ip(b1), 22)).toBe(true);
    expect(await tcp(a1, ip(b1), 5432)).toBe(false);
    expect(await ping(a1, ip(b1))).toBe(false);
    // group-to-group: 8080 on b1 from members of pk-clients; a2 joins, then leaves
    expect(await tcp(a2, ip(b1), 8080)).toBe(false);
    await alice.put(`/api/v1/instances/${a2.id}/security-groups`, { securityGroupIds: [clients.id] });
    world.apply(t.sim.inspect());
    expect(await tcp(a2, ip(b1), 8080)).toBe(true);
    expect(await tcp(a1, ip(b1), 8080)).toBe(false);
    await alice.put(`/api/v1/instances/${a2.id}/security-groups`, { securityGroupIds: [] });
    world.apply(t.sim.inspect());
    expect(await tcp(a2, ip(b1), 8080)).toBe(false);

    // ipfilter (anti-spoofing): a2 takes an address it was not given and tries to use it
    const spoofed = '10.81.0.200';
    await run('ip', ['netns', 'exec', ns(a2), 'ip', 'addr', 'add', `${spoofed}/24`, 'dev', 'eth0']);
    const pingFrom = async (from: I, src: string, to: string) => {
      try {
        await run('ip', ['netns', 'exec', ns(from), 'ping', '-c', '1', '-W', '1', '-I', src, to]);
        return true;
      } catch {
        return false;
      }
    };
    expect(await pingFrom(a2, ip(a2), ip(a1))).toBe(true);
    expect(await pingFrom(a2, spoofed, ip(a1))).toBe(false);
    // control: the same packets pass once a2's NIC has its source/destination check off (so the
    // drop above is ipfilter's): PVE's option goes off, and with no ipfilter-net0 set nothing filters
    const g = () => t.sim.inspect().guests.find((x) => x.vmid === a2.vmid)!;
    expect(g().firewall.options.ipfilter).toBe(1);
    expect(g().firewall.ipsets?.['ipfilter-net0']?.entries.map((e) => e.cidr)).toEqual([`${ip(a2)}/32`]);
    const nicUrl = `/api/v1/instances/${a2.id}/nics/${a2.nics[0]!.networkId}`;
    const off = await alice.request<{ nics: { sourceDestCheck: boolean }[] }>('PATCH', nicUrl, {
      body: { sourceDestCheck: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.body.nics[0]!.sourceDestCheck).toBe(false);
    world.apply(t.sim.inspect());
    expect(await pingFrom(a2, spoofed, ip(a1))).toBe(true);
    const on = await alice.request('PATCH', nicUrl, { body: { sourceDestCheck: true } });
    expect(on.status, on.text).toBe(200);
    world.apply(t.sim.inspect());
    expect(await pingFrom(a2, spoofed, ip(a1))).toBe(false);
  }, 180_000);
});
