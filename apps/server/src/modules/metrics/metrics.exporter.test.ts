/**
 * The exporter's instance series without a server: label escaping, the text prepared at the
 * collector pass (the scrape does not ask for the instances again), and renamed instances showing
 * up once the 10-second label cache expires.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../events/index.ts';
import type { ClusterSnapshot, ResourceEntry } from '../proxmox/index.ts';
import { MetricsCollector } from './metrics.collector.ts';
import type { InstanceLabel } from './metrics.exporter.instances.ts';
import { PrometheusExporter } from './metrics.exporter.ts';

function snapshot(t: number): ClusterSnapshot {
  const guests = new Map<number, ResourceEntry>();
  for (const vmid of [100, 101])
    guests.set(vmid, {
      id: `qemu/${vmid}`,
      type: 'qemu',
      vmid,
      node: 'pve1',
      status: vmid === 100 ? 'running' : 'stopped',
      cpu: 0.25,
      maxcpu: 2,
      mem: 100,
      maxmem: 1000,
      netin: t * 10,
      netout: t,
      diskread: 0,
      diskwrite: 0,
    } as ResourceEntry);
  return { fetchedAt: t, guests, nodes: new Map(), storages: new Map() };
}

describe('exporter instance series', () => {
  it('escapes labels, prepares the text at the pass, picks up renames after 10 s', async () => {
    let now = 1_000_000;
    let pass = 0;
    const collector = new MetricsCollector(
      { cache: { get: async () => snapshot(++pass) }, clock: { now: () => new Date(now) } },
      15,
      1800,
    );
    let calls = 0;
    let rows: InstanceLabel[] = [
      { id: 'i-00000000000000001', name: 'web "one"\\x', ownerId: 'usr-1', vmid: 100 },
      { id: 'i-00000000000000002', name: 'db', ownerId: 'usr-2', vmid: 101 },
    ];
    const exporter = new PrometheusExporter({
      collector,
      instances: async () => {
        calls++;
        return rows.map((r) => ({ ...r }));
      },
      bus: new EventBus(),
      reconciler: () => ({ lastReport: null, lastPassAt: null }),
      now: () => now,
    });
    await collector.collect();
    expect(calls).toBe(1); // at the pass, not at the scrape
    const text = await exporter.metrics();
    expect(calls).toBe(1);
    const web =
      '{instance_id="i-00000000000000001",name="web \\"one\\"\\\\x",node="pve1",owner="usr-1",type="qemu"}';
    expect(text).toContain(`proxicloud_instance_up${web} 1`);
    expect(text).toContain(`proxicloud_instance_cpu_ratio${web} 0.25`);
    expect(text).toContain(
      'proxicloud_instance_up{instance_id="i-00000000000000002",name="db",node="pve1",owner="usr-2",type="qemu"} 0',
    );
    // a stopped guest has no usage series
    expect(text).not.toContain('proxicloud_instance_cpu_ratio{instance_id="i-00000000000000002"');
    const instanceLines = (t: string) => t.split('\n').filter((l) => l.startsWith('proxicloud_instance_'));
    expect(instanceLines(await exporter.metrics())).toEqual(instanceLines(text));
    expect(calls).toBe(1);

    // renamed: visible after the label cache (10 s) expires, at the next pass
    rows = [{ ...rows[0]!, name: 'web-1' }, rows[1]!];
    now += 15_000;
    await collector.collect();
    const after = await exporter.metrics();
    expect(after).toContain('name="web-1"');
    expect(after).not.toContain('web \\"one\\"');
    expect(after).toContain(
      `proxicloud_instance_network_receive_bytes_total{instance_id="i-00000000000000001",name="web-1",node="pve1",owner="usr-1",type="qemu"} ${pass * 10}`,
    );
    exporter.close();
  });
});
