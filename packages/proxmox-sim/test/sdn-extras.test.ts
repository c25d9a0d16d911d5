import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, taskDurationMs: 0, seed: 7, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

describe('cluster IP sets and refs', () => {
  it('creates sets, adds entries, checks references from rules, refuses deleting a used set', async () => {
    expect(
      (await api.call('POST', '/cluster/firewall/ipset', { name: 'web', comment: 'members' })).status,
    ).toBe(200);
    expect((await api.call('POST', '/cluster/firewall/ipset', { name: 'web' })).body.message).toBe(
      "IPSet 'web' already exists\n",
    );
    await api.call('POST', '/cluster/firewall/ipset/web', { cidr: '10.0.0.5' });
    expect(
      (await api.call('POST', '/cluster/firewall/ipset/web', { cidr: '10.0.0.5/32' })).body.message,
    ).toBe("entry '10.0.0.5/32' already exists\n");
    const entries = await api.call<{ cidr: string }[]>('GET', '/cluster/firewall/ipset/web');
    expect(entries.body.data.map((e) => e.cidr)).toEqual(['10.0.0.5/32']);
    const refs = await api.call<{ ref: string }[]>('GET', '/cluster/firewall/refs', { type: 'ipset' });
    expect(refs.body.data.map((r) => r.ref)).toEqual(['+dc/web']);

    await api.call('POST', '/cluster/firewall/groups', { group: 'g1' });
    const bad = await api.call('POST', '/cluster/firewall/groups/g1', {
      type: 'in',
      action: 'ACCEPT',
      source: '+nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ source: "no such ipset 'nope'" });
    await api.call('POST', '/cluster/firewall/groups/g1', {
      type: 'in',
      action: 'ACCEPT',
      source: '+dc/web',
    });
    expect((await api.call('DELETE', '/cluster/firewall/ipset/web', { force: 1 })).body.message).toBe(
      "IPSet 'web' is used by firewall rules\n",
    );
    expect((await api.call('DELETE', '/cluster/firewall/ipset/web')).body.message).toBe(
      "IPSet 'web' is not empty\n",
    );
    await api.call('DELETE', '/cluster/firewall/groups/g1/0');
    expect((await api.call('DELETE', '/cluster/firewall/ipset/web', { force: 1 })).status).toBe(200);
  });
});

describe('SDN lock, subnet checks, IPAM and the VNet firewall', () => {
  it('refuses subnets PVE refuses', async () => {
    await api.call('POST', '/cluster/sdn/zones', { zone: 'pc', type: 'simple', ipam: 'pve' });
    await api.call('POST', '/cluster/sdn/vnets', { vnet: 'pcnet1', zone: 'pc' });
    const hostBits = await api.call('POST', '/cluster/sdn/vnets/pcnet1/subnets', {
      type: 'subnet',
      subnet: '10.1.0.5/24',
    });
    expect(hostBits.status).toBe(400);
    expect(hostBits.body.errors?.subnet, JSON.stringify(hostBits.body)).toMatch(/not a network address/);
    const range = await api.call('POST', '/cluster/sdn/vnets/pcnet1/subnets', {
      type: 'subnet',
      subnet: '10.1.0.0/24',
      'dhcp-range': 'start-address=10.2.0.10,end-address=10.2.0.20',
    });
    expect(range.status).toBe(400);
    expect(range.body.errors?.['dhcp-range']).toMatch(/not inside subnet/);
    const long = await api.call('POST', '/cluster/sdn/vnets', { vnet: 'toolongname', zone: 'pc' });
    expect(long.status).toBe(400);
    expect(
      (
        await api.call('POST', '/cluster/sdn/vnets/pcnet1/subnets', {
          type: 'subnet',
          subnet: '10.1.0.0/24',
          gateway: '10.1.0.1',
          snat: 1,
          'dhcp-range': 'start-address=10.1.0.10,end-address=10.1.0.200',
        })
      ).status,
    ).toBe(200);
  });

  it('holds writes and apply behind the global lock', async () => {
    const noPending = await api.call('POST', '/cluster/sdn/lock');
    expect(noPending.body.message).toMatch(/pending changes/);
    const lock = await api.call<string>('POST', '/cluster/sdn/lock', { 'allow-pending': 1 });
    const token = lock.body.data;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await api.call('POST', '/cluster/sdn/vnets', { vnet: 'pcnet2', zone: 'pc' })).body.message,
    ).toMatch(/global SDN lock is held/);
    expect((await api.call('PUT', '/cluster/sdn', { 'lock-token': 'x' })).body.message).toMatch(
      /invalid lock token/,
    );
    const apply = await api.call<string>('PUT', '/cluster/sdn', { 'lock-token': token, 'release-lock': 1 });
    expect(apply.status).toBe(200);
    await api.waitTask('pve1', apply.body.data);
    expect((await api.call('POST', '/cluster/sdn/vnets', { vnet: 'pcnet2', zone: 'pc' })).status).toBe(200);
    await api.call('POST', '/cluster/sdn/rollback');
    expect((await api.call<unknown[]>('GET', '/cluster/sdn/vnets')).body.data).toHaveLength(1);
  });

  it('keeps IPAM entries inside the vnet subnets and VNet forward rules', async () => {
    const ipr = await api.call('POST', '/cluster/sdn/vnets/pcnet1/ips', { zone: 'pc', ip: '10.1.0.50' });
    expect(ipr.status, JSON.stringify(ipr.body)).toBe(200);
    expect(
      (await api.call('POST', '/cluster/sdn/vnets/pcnet1/ips', { zone: 'pc', ip: '10.1.0.50' })).body.message,
    ).toBe('IP address 10.1.0.50 already exists\n');
    expect(
      (await api.call('POST', '/cluster/sdn/vnets/pcnet1/ips', { zone: 'pc', ip: '10.9.0.5' })).body.message,
    ).toMatch(/not in any subnet/);
    await api.call('PUT', '/cluster/sdn/vnets/pcnet1/firewall/options', {
      enable: 1,
      policy_forward: 'DROP',
    });
    await api.call('POST', '/cluster/sdn/vnets/pcnet1/firewall/rules', {
      type: 'forward',
      action: 'ACCEPT',
      source: '10.1.0.0/24',
      dest: '10.1.0.0/24',
    });
    const o = await api.call<{ enable: number; policy_forward: string }>(
      'GET',
      '/cluster/sdn/vnets/pcnet1/firewall/options',
    );
    expect(o.body.data).toMatchObject({ enable: 1, policy_forward: 'DROP' });
    expect(
      (await api.call<unknown[]>('GET', '/cluster/sdn/vnets/pcnet1/firewall/rules')).body.data,
    ).toHaveLength(1);
  });
});

describe('guest IP sets (ipfilter-net<N>)', () => {
  it('creates, fills, lists and deletes a guest set; IPv6 entries get /128; bad entries are 400', async () => {
    await api.waitTask('pve1', (await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 171 })).body.data);
    const base = '/nodes/pve1/qemu/171/firewall/ipset';
    expect((await api.call('POST', base, { name: 'ipfilter-net0' })).status).toBe(200);
    expect((await api.call('POST', base, { name: 'ipfilter-net0' })).status).toBe(500);
    await api.call('POST', `${base}/ipfilter-net0`, { cidr: '10.9.0.5' });
    await api.call('POST', `${base}/ipfilter-net0`, { cidr: 'fd00:9::5' });
    expect((await api.call('POST', `${base}/ipfilter-net0`, { cidr: '10.9.0.500' })).status).toBe(400);
    const list = await api.call<{ cidr: string }[]>('GET', `${base}/ipfilter-net0`);
    expect(list.body.data.map((e) => e.cidr)).toEqual(['10.9.0.5/32', 'fd00:9::5/128']);
    const sets = await api.call<{ name: string }[]>('GET', base);
    expect(sets.body.data.map((x) => x.name)).toEqual(['ipfilter-net0']);
    // a guest set is the guest's own: the datacenter does not see it
    const dc = await api.call<{ name: string }[]>('GET', '/cluster/firewall/ipset');
    expect(dc.body.data.map((x) => x.name)).not.toContain('ipfilter-net0');
    expect((await api.call('DELETE', `${base}/ipfilter-net0`)).status).toBe(500); // not empty
    expect((await api.call('DELETE', `${base}/ipfilter-net0`, { force: 1 })).status).toBe(200);
    expect((await api.call<unknown[]>('GET', base)).body.data).toEqual([]);
  });
});
