/**
 * Benchmark seeding (bench:compute, bench:web): N simulated guests (`sim.seedGuests`) owned by one
 * user as adopted instances, inserted straight into the `instances` table in batches of 500.
 * Launching thousands through the API would measure the control plane, not what the benchmark is
 * about, and take minutes on two shared cores. Not used by the server itself.
 */
import type { Guest, Simulator } from '@proxicloud/proxmox-sim';
import type { Insertable } from 'kysely';
import type { InstancesTable } from '../src/modules/instances/instances.repository.ts';
import { newId } from '../src/platform/crypto.ts';
import type { Database } from '../src/platform/db/database.ts';

export type SeededInstance = Insertable<InstancesTable>;

export interface SeedInstancesOptions {
  ownerId: string;
  count: number;
  /** share of guests running (default 0.7) */
  runningRatio?: number;
  /** creation time of every row (default now); `customize` may give each its own */
  at?: string;
  /** per-row changes: name (default `seeded-<i>`), sizes, drifted status, addresses, times */
  customize?: (i: number, guest: Guest) => Partial<SeededInstance>;
}

/** An adopted instance row (1 vCPU, 512 MiB, stopped, no VMID) with `fields` on top (tests, seeding). */
export function adoptedInstanceRow(fields: Partial<SeededInstance> & { owner_id: string }): SeededInstance {
  const at = new Date().toISOString();
  return {
    id: newId('i'),
    name: 'adopted',
    type: 'vm',
    instance_type: null,
    template: 'adopted',
    os: null,
    node: 'pve1',
    vmid: null,
    status: 'stopped',
    status_reason: null,
    vcpu: 1,
    memory_mib: 512,
    disk_gb: 8,
    storage: 'local-lvm',
    bridge: 'vmbr0',
    network: '{"mode":"dhcp"}',
    username: null,
    key_pair_ids: '[]',
    tags: '{}',
    protected: 0,
    ips: '[]',
    active_operation_id: null,
    needs_cleanup: 0,
    managed: 'adopted',
    created_at: at,
    updated_at: at,
    launched_at: at,
    terminated_at: null,
    ...fields,
  };
}

/** Seeds the guests and their instance rows; returns the rows inserted. */
export async function seedInstances(
  db: Database,
  sim: Simulator,
  options: SeedInstancesOptions,
): Promise<SeededInstance[]> {
  const vmids = sim.seedGuests(options.count, { runningRatio: options.runningRatio ?? 0.7 });
  const guests = new Map(sim.inspect().guests.map((g) => [g.vmid, g]));
  const at = options.at ?? new Date().toISOString();
  const rows = vmids.map((vmid, i): SeededInstance => {
    const g = guests.get(vmid)!;
    const running = g.status === 'running';
    return {
      ...adoptedInstanceRow({
        owner_id: options.ownerId,
        name: `seeded-${i}`,
        type: g.type === 'qemu' ? 'vm' : 'lxc',
        node: g.node,
        vmid,
        status: running ? 'running' : 'stopped',
        ips: running ? '["10.10.0.2"]' : '[]',
        created_at: at,
        updated_at: at,
        launched_at: at,
      }),
      ...options.customize?.(i, g),
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db.kysely
      .insertInto('instances')
      .values(rows.slice(i, i + 500))
      .execute();
  return rows;
}
