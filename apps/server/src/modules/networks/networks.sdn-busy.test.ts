/**
 * An SDN apply while another `reloadnetworkall` task still runs (another server, an admin in PVE's
 * UI, or an apply abandoned when its operation was interrupted): PVE refuses the second
 * `PUT /cluster/sdn` until the first task ends. Ours waits for it instead of failing the network.
 */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulator, type ProxmoxConnection } from '../../platform/proxmox.ts';
import { PveNetworking } from './networks.pve.ts';

describe('SDN apply while another apply runs', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let conn: ProxmoxConnection;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, taskDurationMs: { reloadnetworkall: 1500 } });
    conn = connectSimulator(sim, { ownSimulator: true });
  });
  afterAll(async () => {
    await conn?.close();
  });

  it('waits for the running reloadnetworkall task, then applies', async () => {
    // someone else's apply: its task runs for 1.5 s
    const other = (await conn.client.api.putClusterSdn({})) as string;
    expect(other).toMatch(/^UPID:.*:reloadnetworkall:/);
    const refused = await conn.client.api.putClusterSdn({}).catch((e: Error) => e);
    expect(String(refused)).toMatch(/being applied by another task/);

    const pve = new PveNetworking(() => conn.client);
    const started = Date.now();
    await pve.applyWith(async () => {}, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThan(500); // it waited for the other task
    const applies = sim.inspect().tasks.filter((t) => t.type === 'reloadnetworkall');
    expect(applies.map((t) => t.status)).toEqual(['stopped', 'stopped']);
  });
});
