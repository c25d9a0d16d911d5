/**
 * The generated method table (`client.api`) and the common guest API (`node.guest(type, vmid)`)
 * end to end against the simulator; every request is validated by the schema referee.
 */

import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GuestType, ProxmoxApiError, type ProxmoxClient, parseUpid } from '../src/index.ts';
import { type Sim, type ValidatedClient, validatingClient } from './helpers.ts';

let sim: Sim;
let v: ValidatedClient;
let pve: ProxmoxClient;
let node: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, ssh: false });
  v = validatingClient(sim);
  pve = v.client;
  node = (await pve.api.getNodes()).map((n) => n.node).sort()[0]!;
});
afterAll(async () => {
  await pve?.close();
  await sim?.close();
});
afterEach(() => {
  expect(v.violations).toEqual([]);
});

describe('client.api (generated methods)', () => {
  it('calls endpoints with path values and parameters in one object', async () => {
    expect((await pve.api.getVersion()).release).toMatch(/^\d+\.\d+/);
    const res = await pve.api.getClusterResources({ type: 'node' });
    expect(res.every((r) => r.type === 'node')).toBe(true);
    const vmid = await pve.cluster.nextId();
    const upid = await pve.api.postNodesQemu({ node, vmid, name: 'api-vm', memory: '512' });
    await pve.tasks.wait(node, upid);
    // Path values go into the path, the rest into the query: nothing else is sent.
    const cfg = await pve.api.getNodesQemuConfig({ node, vmid, current: true });
    expect(cfg.name).toBe('api-vm');
    const sent = v.requests.at(-1)!;
    expect(sent.path).toBe(`/nodes/${node}/qemu/${vmid}/config`);
    expect(sent.params).toEqual({ current: '1' }); // as sent on the wire
    await pve.tasks.wait(node, await pve.api.postNodesQemuSnapshot({ node, vmid, snapname: 'before' }));
    expect((await pve.api.getNodesQemuSnapshot({ node, vmid })).map((s) => s.name)).toContain('before');
    await pve.tasks.wait(node, await pve.api.deleteNodesQemuByVmid({ node, vmid, purge: true }));
    const gone = (await pve.api
      .getNodesQemuConfig({ node, vmid })
      .catch((e: unknown) => e)) as ProxmoxApiError;
    expect(gone).toBeInstanceOf(ProxmoxApiError);
  });

  it('firewall security groups and SDN apply through the table', async () => {
    await pve.api.postClusterFirewallGroups({ group: 'api-web', comment: 'from the table' });
    await pve.api.postClusterFirewallGroupsByGroup({
      group: 'api-web',
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '443',
      enable: 1,
    });
    const rules = await pve.api.getClusterFirewallGroupsByGroup({ group: 'api-web' });
    expect(rules).toHaveLength(1);
    await pve.api.putClusterFirewallGroupsByGroupByPos({ group: 'api-web', pos: 0, dport: '8443' });
    expect((await pve.api.getClusterFirewallGroupsByGroupByPos({ group: 'api-web', pos: 0 })).dport).toBe(
      '8443',
    );
    await pve.api.deleteClusterFirewallGroupsByGroupByPos({ group: 'api-web', pos: 0 });
    await pve.api.deleteClusterFirewallGroupsByGroup({ group: 'api-web' });

    await pve.api.postClusterSdnZones({ zone: 'apizone', type: 'simple' });
    const upid = await pve.api.putClusterSdn();
    await pve.tasks.wait(parseUpid(upid).node, upid);
    expect((await pve.api.getClusterSdnZones()).map((z) => z.zone)).toContain('apizone');
    await pve.api.deleteClusterSdnZonesByZone({ zone: 'apizone' });
  });

  it('rejects a missing path value before sending', async () => {
    const before = v.requests.length;
    // @ts-expect-error vmid is required
    await expect(pve.api.getNodesQemuConfig({ node })).rejects.toThrow(/missing path parameter vmid/);
    expect(v.requests.length).toBe(before);
  });
});

describe('node.guest (either guest type, no casts)', () => {
  it.each<[GuestType, 'scsi0' | 'rootfs']>([
    ['vm', 'scsi0'],
    ['ct', 'rootfs'],
  ])('%s: config, resize, start, shutdown with forceStop, delete purging disks', async (type, disk) => {
    const vmid = await pve.cluster.nextId();
    const n = pve.node(node);
    if (type === 'vm')
      await pve.tasks.wait(node, await n.qemu.create({ vmid, name: 'g', memory: 512, scsi0: 'local-lvm:1' }));
    else {
      const templates = await n.storageOf('local').content({ content: 'vztmpl' });
      await pve.tasks.wait(
        node,
        await n.lxc.create({ vmid, hostname: 'g', ostemplate: templates[0]!.volid, rootfs: 'local-lvm:1' }),
      );
    }
    const g = n.guest(type, vmid);
    expect(g.kind).toBe(type === 'vm' ? 'qemu' : 'lxc');
    await g.updateConfig({ description: 'common' });
    const cfg = (await g.config()) as Record<string, unknown>;
    expect(cfg.description).toBe('common');
    // The same call shapes the server uses for either type (previously `as never`).
    await pve.tasks.wait(node, await g.resize({ disk, size: '2G' }));
    await pve.tasks.wait(node, await g.start({}));
    expect((await g.status()).status).toBe('running');
    await pve.tasks.wait(node, await g.shutdown({ timeout: 30, forceStop: true }));
    await pve.tasks.wait(node, await g.delete({ purge: true, 'destroy-unreferenced-disks': true }));
    expect(() => n.guest('kvm' as GuestType, vmid)).toThrow(/unknown guest type/);
  });
});
