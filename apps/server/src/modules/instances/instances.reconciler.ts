/**
 * The reconciler makes the database agree with Proxmox's truth, from ONE /cluster/resources call
 * per pass: guests deleted outside ProxiCloud mark their instance terminated, state drift
 * (started/stopped/migrated by hand) is corrected, launches whose rollback could not reach
 * Proxmox are cleaned up, and guests tagged with one of our instance ids that no live instance
 * owns (half-created by an interrupted launch) are deleted. Guests we did not create are never
 * touched (admins can adopt them). Interrupted operations are resumed by the operation engine.
 */

import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OperationEngine } from '../operations/index.ts';
import { type ResourceCache, taggedInstanceId } from '../proxmox/index.ts';
import { guestIps, refOf } from './instances.driver.ts';
import { type InstanceOperations, isFailedActionReason } from './instances.operations.ts';
import type { InstanceDependent } from './instances.ports.ts';
import type { InstanceRow, InstancesRepository } from './instances.repository.ts';
import type { InstancesService } from './instances.service.ts';

export interface ReconcileReport {
  instances: number;
  guests: number;
  /** status/node/IP corrections */
  corrected: number;
  /** instances whose guest disappeared outside ProxiCloud */
  gone: number;
  /** deferred launch rollbacks finished */
  cleanedUp: number;
  /** guests tagged with our ids that no instance owns, deleted */
  orphansDeleted: number;
  /** guests without our tag (adoptable) */
  unmanaged: number;
  durationMs: number;
}

export interface ReconcilerDeps {
  repo: InstancesRepository;
  service: InstancesService;
  ops: InstanceOperations;
  cache: ResourceCache;
  engine: OperationEngine;
  clock: Clock;
  logger: Logger;
  proxmox: () => ProxmoxConnection;
  /** Modules whose resources attach to instances (told when a guest vanished). */
  dependents: InstanceDependent;
  /** IP look-ups per pass for running instances without an address (default 20). */
  ipBudget?: number;
}

const SETTLED: InstanceRow['status'][] = [
  'running',
  'stopped',
  'error',
  'starting',
  'stopping',
  'rebooting',
  'pending',
  'creating',
];

export class InstanceReconciler {
  private last: ReconcileReport | null = null;

  constructor(private readonly deps: ReconcilerDeps) {}

  get lastReport(): ReconcileReport | null {
    return this.last;
  }

  async pass(signal: AbortSignal = new AbortController().signal): Promise<ReconcileReport> {
    const started = Date.now();
    const { repo, service, ops } = this.deps;
    await this.deps.engine.tick();
    // Rows first, then PVE: anything that changes in between has an operation in charge.
    const rows = await repo.liveRows();
    const snap = await this.deps.cache.get(0);
    const report: ReconcileReport = {
      instances: rows.length,
      guests: snap.guests.size,
      corrected: 0,
      gone: 0,
      cleanedUp: 0,
      orphansDeleted: 0,
      unmanaged: 0,
      durationMs: 0,
    };
    const now = () => iso(this.deps.clock.now());
    let ipBudget = this.deps.ipBudget ?? 20;
    const liveByVmid = new Map<number, InstanceRow>();

    for (const row of rows) {
      if (signal.aborted) break;
      if (row.vmid !== null) liveByVmid.set(Number(row.vmid), row);
      if (row.active_operation_id) continue;
      if (Number(row.needs_cleanup) === 1) {
        try {
          await ops.destroyOurs(row, signal);
          await service.patch(row.id, { vmid: null, needs_cleanup: 0 });
          report.cleanedUp++;
        } catch (err) {
          this.deps.logger.debug({ err, instance: row.id }, 'deferred cleanup still failing');
        }
        continue;
      }
      if (row.vmid === null || !SETTLED.includes(row.status)) continue;
      const g = snap.guests.get(Number(row.vmid));
      const node = row.node ? snap.nodes.get(row.node) : undefined;
      const tagged = g ? taggedInstanceId(g.tags) : null;
      if (!g || (tagged !== null && tagged !== row.id)) {
        if (!g && node && node.status !== 'online') continue; // cannot tell while the node is down
        const reason = g
          ? 'deleted outside ProxiCloud (its VMID now belongs to another guest)'
          : 'deleted outside ProxiCloud';
        await service.patch(row.id, {
          status: 'terminated',
          status_reason: reason,
          ips: '[]',
          terminated_at: now(),
        });
        await this.deps.dependents.instanceGone(row.id, reason);
        await ops.removeLeftoverSnippet(row);
        report.gone++;
        continue;
      }
      if (g.status !== 'running' && g.status !== 'stopped') continue; // unknown: node offline
      const patch: Partial<InstanceRow> = {};
      if (g.node && g.node !== row.node) patch.node = g.node;
      // a failed action's reason (or an `error` state) is stale once PVE shows the guest healthy
      const stale = row.status === 'error' || isFailedActionReason(row.status_reason);
      if (g.status !== row.status) {
        patch.status = g.status;
        patch.status_reason = stale
          ? null
          : `${g.status === 'running' ? 'started' : 'stopped'} outside ProxiCloud`;
      } else if (stale && node?.status === 'online') patch.status_reason = null;
      const ips: string[] = JSON.parse(row.ips || '[]');
      if (g.status === 'stopped' && ips.length) patch.ips = '[]';
      if (g.status === 'running' && ips.length === 0 && ipBudget > 0) {
        ipBudget--;
        const found = await guestIps(this.deps.proxmox().client, {
          ...refOf(row),
          node: g.node ?? row.node!,
        });
        if (found.length) patch.ips = JSON.stringify(found);
      }
      if (Object.keys(patch).length) {
        await service.patch(row.id, patch);
        report.corrected++;
      }
    }

    // Guests carrying one of our instance ids that no live instance owns: half-created leftovers.
    for (const g of snap.guests.values()) {
      if (signal.aborted) break;
      const id = taggedInstanceId(g.tags);
      if (!id) {
        if (Number(g.template ?? 0) !== 1) report.unmanaged++;
        continue;
      }
      const vmid = Number(g.vmid);
      if (liveByVmid.get(vmid)?.id === id) continue;
      const fresh = await repo.find(id); // re-read: it may have changed since the pass began
      if (!fresh) {
        report.unmanaged++; // tagged by another ProxiCloud installation: not ours to delete
        continue;
      }
      if (
        fresh.active_operation_id ||
        (fresh.status !== 'terminated' && fresh.vmid !== null && Number(fresh.vmid) === vmid)
      )
        continue;
      try {
        await ops.destroyOurs({ ...fresh, vmid, node: g.node ?? fresh.node }, signal);
        report.orphansDeleted++;
        this.deps.logger.warn(
          { instance: id, vmid, node: g.node },
          'deleted an orphaned guest left by an interrupted operation',
        );
      } catch (err) {
        this.deps.logger.warn({ err, instance: id, vmid }, 'could not delete an orphaned guest');
      }
    }
    if (report.gone || report.orphansDeleted || report.cleanedUp) this.deps.cache.invalidate();
    report.durationMs = Date.now() - started;
    this.last = report;
    if (report.corrected || report.gone || report.orphansDeleted || report.cleanedUp) {
      this.deps.logger.info({ reconcile: report }, 'reconciler corrected the database');
    }
    return report;
  }
}
