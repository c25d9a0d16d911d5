/**
 * The "external" network: launches whose net0 goes on a plain Proxmox bridge (vmbr0…) are for
 * admins unless PROXICLOUD_BRIDGE_LAUNCH=all, and SDN VNets of ProxiCloud networks are never
 * offered or accepted as a launch bridge (they belong to one user and are reached by networkIds).
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  type Op,
  useComputeContext,
  VM_IMAGE,
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

const vm = { type: 'vm', template: VM_IMAGE, instanceType: 't.nano' };
type Launched = { instance: Inst; operation: Op } & ErrorBody;
interface Settings {
  defaultNetwork: boolean;
  bridgeLaunch: string;
  mayLaunchOnBridge: boolean;
}

describe('launches on a plain Proxmox bridge', () => {
  it('are refused to non-admins by default (403 naming the setting), nothing is created', async () => {
    const before = t.sim.inspect().guests.length;
    for (const body of [
      { ...vm, name: 'on-lan', bridge: 'vmbr0' },
      { ...vm, name: 'on-lan', network: { mode: 'static', address: '192.168.7.5/24' } },
    ]) {
      const res = await alice.post<Launched>('/api/v1/instances', body);
      expect(res.status, res.text).toBe(403);
      expect(res.body.error).toMatchObject({
        code: 'bridge_launch_forbidden',
        details: { setting: 'PROXICLOUD_BRIDGE_LAUNCH' },
      });
      expect(res.body.error.message).toMatch(/PROXICLOUD_BRIDGE_LAUNCH/);
    }
    expect((await alice.get<{ items: Inst[] }>('/api/v1/instances')).body.items).toEqual([]);
    expect(t.sim.inspect().guests.length).toBe(before);
    const s = await alice.get<Settings>('/api/v1/networks/settings');
    expect(s.body).toMatchObject({ bridgeLaunch: 'admin', mayLaunchOnBridge: false, defaultNetwork: true });
  });

  it('work for admins, and for everyone with PROXICLOUD_BRIDGE_LAUNCH=all', async () => {
    const s = await t.ctx.admin.get<Settings>('/api/v1/networks/settings');
    expect(s.body.mayLaunchOnBridge).toBe(true);
    const sg = await t.ctx.admin.post<{ id: string }>('/api/v1/security-groups', {
      name: 'lan-ssh',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '192.168.0.0/16' }],
    });
    expect(sg.status, sg.text).toBe(201);
    const res = await t.ctx.admin.post<Launched>('/api/v1/instances', {
      ...vm,
      name: 'adm-lan',
      bridge: 'vmbr1',
      securityGroupIds: [sg.body.id],
    });
    expect(res.status, res.text).toBe(202);
    expect((await waitOp(t.ctx.admin, res.body.operation.id)).status).toBe('succeeded');
    const inst = (await t.ctx.admin.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body;
    const g = t.sim.inspect().guests.find((x) => x.vmid === Number(inst.vmid));
    expect(g?.config.net0 ?? '').toContain('bridge=vmbr1');
    // security groups filter the LAN NIC too, but no ipfilter: net0's address comes from the LAN, an
    // (empty) ipfilter-net0 would drop everything it sends
    expect(g?.firewall.options).toMatchObject({ enable: 1, policy_in: 'DROP' });
    expect(Number(g?.firewall.options.ipfilter ?? 0)).toBe(0);
    expect(g?.firewall.ipsets?.['ipfilter-net0']).toBeUndefined();

    const settings = t.ctx.app.modules.networks.settings;
    settings.bridgeLaunch = 'all';
    try {
      expect((await alice.get<Settings>('/api/v1/networks/settings')).body.mayLaunchOnBridge).toBe(true);
      const ok = await alice.post<Launched>('/api/v1/instances', { ...vm, name: 'op-lan', bridge: 'vmbr0' });
      expect(ok.status, ok.text).toBe(202);
      expect((await waitOp(alice, ok.body.operation.id)).status).toBe('succeeded');
    } finally {
      settings.bridgeLaunch = 'admin';
    }
  });

  it("never offers or accepts a network's SDN VNet as a bridge", async () => {
    const net = await bob.post<{ id: string; vnet: string; activeOperationId: string } & ErrorBody>(
      '/api/v1/networks',
      { name: 'private', cidr: '10.77.0.0/24' },
    );
    expect(net.status, net.text).toBe(201);
    expect((await waitOp(bob, net.body.activeOperationId)).status).toBe('succeeded');
    expect(t.sim.inspect().sdn.vnets[net.body.vnet]?.current).toBeDefined();
    const node = 'pve1';
    const opts = await alice.get<{ bridges: string[] }>(`/api/v1/catalog/nodes/${node}`);
    expect(opts.status, opts.text).toBe(200);
    expect(opts.body.bridges).toEqual(expect.arrayContaining(['vmbr0', 'vmbr1']));
    expect(opts.body.bridges).not.toContain(net.body.vnet);
    // even with bridges open to everyone, bob's VNet is not a bridge alice (or bob) may plug into
    const settings = t.ctx.app.modules.networks.settings;
    settings.bridgeLaunch = 'all';
    try {
      t.compute.inventory.invalidate();
      const res = await alice.post<Launched>('/api/v1/instances', {
        ...vm,
        name: 'sneaky',
        node,
        bridge: net.body.vnet,
      });
      if (res.status === 202) {
        const op = await waitOp(alice, res.body.operation.id);
        expect(op.status).toBe('failed');
        expect(op.error?.message).toMatch(/does not exist/);
      } else {
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.message).toMatch(/does not exist/);
      }
      const guests = t.sim
        .inspect()
        .guests.filter((g) => String(g.config.net0 ?? '').includes(net.body.vnet));
      expect(guests).toEqual([]);
    } finally {
      settings.bridgeLaunch = 'admin';
    }
  });
});
