/**
 * Read-only contract checks. Against the simulator by default; against a real PVE host when
 * PROXMOX_URL (+ PROXMOX_TOKEN, PROXMOX_FINGERPRINT or PROXMOX_CA_FILE) is set — nothing is changed
 * on that host. Every request is validated by the schema referee either way.
 */

import { startSimulator } from '@proxicloud/proxmox-sim';
import { validateRequest } from '@proxicloud/pve-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpid, ProxmoxClient, proxmoxConfigFromEnv, type RequestInfo } from '../src/index.ts';
import type { Sim } from './helpers.ts';

const real = proxmoxConfigFromEnv(process.env);
let sim: Sim | undefined;
let pve: ProxmoxClient;
const violations: string[] = [];

beforeAll(async () => {
  const check = (info: RequestInfo) => {
    const r = validateRequest({ method: info.method, path: info.path, params: info.params });
    if (!r.ok) violations.push(`${info.method} ${info.path}: ${JSON.stringify(r.errors)}`);
  };
  if (real) {
    console.log(`[proxmox-client] contract tests against ${real.baseUrl}`);
    pve = new ProxmoxClient({
      baseUrl: real.baseUrl,
      auth: real.auth,
      tls: real.tls,
      hooks: { onRequest: check },
    });
  } else {
    sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, ssh: false });
    pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
      tls: { fingerprint: sim.fingerprint },
      hooks: { onRequest: check },
    });
  }
});
afterAll(async () => {
  await pve?.close();
  await sim?.close();
});

describe(`read-only contract (${real ? 'real PVE host' : 'simulator'})`, () => {
  it('version and cluster view', async () => {
    const v = await pve.version();
    expect(v.version).toMatch(/^[89]\.\d+/);
    expect(v.release).toMatch(/^[89]\.\d+/);
    const nodes = await pve.nodes.list();
    expect(nodes.length).toBeGreaterThan(0);
    const res = await pve.cluster.resources();
    for (const r of res)
      expect(['node', 'storage', 'pool', 'qemu', 'lxc', 'openvz', 'sdn', 'network']).toContain(r.type);
    expect(
      res
        .filter((r) => r.type === 'node')
        .map((r) => r.node)
        .sort(),
    ).toEqual(nodes.map((n) => n.node).sort());
    const id = await pve.cluster.nextId();
    expect(Number.isInteger(id) && id >= 100).toBe(true);
    if (real) {
      // (the simulator does not implement /access/permissions yet)
      const perms = await pve.access.permissions();
      expect(Object.keys(perms).length).toBeGreaterThan(0);
    }
  });

  it('per node: status, network, storages, guests, tasks', async () => {
    const online = (await pve.nodes.list()).filter((n) => n.status === 'online');
    for (const { node } of online) {
      const n = pve.node(node);
      const st = await n.status();
      expect(st).toBeTypeOf('object');
      const bridges = await n.network({ type: 'any_bridge' });
      expect(bridges.length).toBeGreaterThan(0);
      const storages = await n.storage.list({ enabled: true });
      expect(storages.length).toBeGreaterThan(0);
      for (const s of storages.slice(0, 4)) {
        const status = await n.storageOf(s.storage).status();
        expect(typeof status.total === 'number' || status.total === undefined).toBe(true);
      }
      for (const g of await n.qemu.list()) expect(g.vmid).toBeGreaterThanOrEqual(100);
      for (const c of await n.lxc.list()) expect(Number(c.vmid)).toBeGreaterThanOrEqual(100);
      for (const t of await pve.tasks.list(node, { limit: 10 })) expect(isUpid(t.upid)).toBe(true);
    }
  });

  it('sent only schema-valid requests', () => {
    expect(violations).toEqual([]);
  });
});
