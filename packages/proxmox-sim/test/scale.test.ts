import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

// Correctness at benchmark scale (3 nodes × 5,000 guests); latency is measured by `npm run bench:pve`.
let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    nodes: 3,
    taskDurationMs: 0,
    seed: 2,
    ssh: false,
    seedGuests: 15_000,
  });
  api = client(sim);
});
afterAll(() => sim.close());

describe('3 nodes × 5,000 guests', () => {
  it('lists every guest once in /cluster/resources and per node', async () => {
    const vms = await api.call<
      { vmid: number; node: string; type: string; maxmem: number; status: string }[]
    >('GET', '/cluster/resources', { type: 'vm' });
    expect(vms.body.data).toHaveLength(15_000);
    expect(new Set(vms.body.data.map((g) => g.vmid)).size).toBe(15_000);
    for (const node of ['pve1', 'pve2', 'pve3'])
      expect(vms.body.data.filter((g) => g.node === node)).toHaveLength(5000);
    expect(vms.body.data.filter((g) => g.type === 'lxc').length).toBe(5000);
    const running = vms.body.data.filter((g) => g.status === 'running').length;
    expect(running).toBeGreaterThan(9000);
    expect(running).toBeLessThan(12000);
    const pve2 = await api.call<unknown[]>('GET', '/nodes/pve2/qemu');
    expect(pve2.body.data.length).toBe(
      vms.body.data.filter((g) => g.node === 'pve2' && g.type === 'qemu').length,
    );
    const nodes = await api.call<{ type: string; mem: number }[]>('GET', '/cluster/resources', {
      type: 'node',
    });
    expect(nodes.body.data).toHaveLength(3);
    const storages = await api.call<{ storage: string; disk: number }[]>('GET', '/cluster/resources', {
      type: 'storage',
    });
    const lvm = storages.body.data.filter((s) => s.storage === 'local-lvm');
    expect(lvm.every((s) => s.disk === 5000 * 8 * 1024 ** 3)).toBe(true);
  });
  it('still allocates the next free vmid and creates guests among them', async () => {
    const next = await api.call<string>('GET', '/cluster/nextid');
    expect(next.body.data).toBe('15100');
    const r = await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 15100, scsi0: 'local-zfs:1' });
    expect((await api.waitTask('pve1', r.body.data)).exitstatus).toBe('OK');
  });
});
