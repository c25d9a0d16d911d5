/**
 * Firewall drift: compares what Proxmox holds (cluster security groups, member IP sets, the
 * same-network groups, every attached guest's firewall options and group rules) with what our
 * database says, reports each difference and, unless told not to, repairs it. Changes made
 * outside ProxiCloud (a rule deleted in the PVE GUI, a guest firewall switched off, an ACCEPT
 * rule added by hand to a guest) are found on the next pass.
 */
import type { Logger } from '../../platform/logger.ts';
import { type GuestRef, type InstancesPort, refOf } from '../instances/index.ts';
import { NETWORKS_SET } from './networks.egress.ts';
import { firewallMutex } from './networks.groups.ts';
import { networkGroup, type PveNetworking } from './networks.pve.ts';
import type { NetworksRepository } from './networks.repository.ts';
import { memberSet, ruleKey } from './networks.rules.ts';
import type { FirewallSync } from './networks.sync.ts';

export interface DriftItem {
  kind: 'security_group' | 'network' | 'instance';
  id: string;
  problems: string[];
  repaired: boolean;
}

export interface FirewallReport {
  checked: number;
  drift: DriftItem[];
}

export class FirewallReconciler {
  constructor(
    private readonly deps: {
      repo: NetworksRepository;
      sync: FirewallSync;
      pve: () => PveNetworking;
      instances: InstancesPort;
      logger: Logger;
    },
    /** Proxmox reads in flight during a pass (PROXICLOUD_FIREWALL_RECONCILE_CONCURRENCY, default 16). */
    readonly concurrency = 16,
  ) {}

  /**
   * One pass: security groups, networks and attached guests are checked concurrently (at most
   * `concurrency` Proxmox reads in flight, default 16); what the database wants is read in a few
   * batched queries, not per guest. Repairs run through the same sync code as the services.
   */
  async pass(
    opts: { repair?: boolean; signal?: AbortSignal; concurrency?: number } = {},
  ): Promise<FirewallReport> {
    const repair = opts.repair ?? true;
    const limit = Math.max(1, opts.concurrency ?? this.concurrency);
    const { repo, sync } = this.deps;
    const pve = this.deps.pve();
    const report: FirewallReport = { checked: 0, drift: [] };
    const note = async (item: Omit<DriftItem, 'repaired'>, fix: () => Promise<void>) => {
      if (!item.problems.length) return;
      let repaired = false;
      if (repair) {
        try {
          // repairs of one pass still write one at a time (shared IP sets, PVE's config digests)
          await firewallMutex.run(fix);
          repaired = true;
        } catch (err) {
          this.deps.logger.warn({ err, ...item }, 'firewall drift repair failed');
        }
      }
      this.deps.logger.warn({ ...item, repaired }, 'firewall drift');
      report.drift.push({ ...item, repaired });
    };

    const groups = await repo.allGroups();
    const nets = (await repo.allLive()).filter((n) => n.status === 'available');
    const ids = await repo.attachedInstanceIds();
    const [rows, desired] = await Promise.all([
      ids.length ? this.deps.instances.liveRows() : Promise.resolve([]),
      sync.desiredGuests(ids),
    ]);
    const refs = new Map<string, GuestRef>();
    for (const r of rows)
      if (desired.has(r.id) && r.vmid !== null && r.node !== null && r.status !== 'terminated')
        refs.set(r.id, refOf(r));

    // the egress rules' "inside" set first: the network groups name it
    if (nets.length) {
      report.checked++;
      const [have, want] = await Promise.all([pve.readIpset(NETWORKS_SET), sync.networksSetEntries()]);
      const problems =
        have === null
          ? [`IP set ${NETWORKS_SET} is missing`]
          : [...have].sort().join(',') !== want.map(hostCidr).sort().join(',')
            ? [`entries of ${NETWORKS_SET} differ from the networks`]
            : [];
      await note({ kind: 'network', id: NETWORKS_SET, problems }, async () => {
        await sync.syncNetworksSet();
      });
    }

    type Task = () => Promise<void>;
    const tasks: Task[] = [
      ...groups.map(
        (g): Task =>
          async () => {
            report.checked++;
            const problems: string[] = [];
            const [have, want, members, set] = await Promise.all([
              pve.readGroup(g.pve_group),
              sync.compiled(g),
              sync.memberAddresses(g.id),
              pve.readIpset(memberSet(g.pve_group)),
            ]);
            if (have === null) problems.push(`PVE group ${g.pve_group} is missing`);
            else if (have.map(ruleKey).join('\n') !== want.map(ruleKey).join('\n'))
              problems.push(
                `rules of ${g.pve_group} differ (${have.length} on Proxmox, ${want.length} expected)`,
              );
            if (set === null) problems.push(`IP set ${memberSet(g.pve_group)} is missing`);
            else if ([...set].sort().join(',') !== members.map(hostCidr).sort().join(','))
              problems.push(`members of ${memberSet(g.pve_group)} differ`);
            await note({ kind: 'security_group', id: g.id, problems }, () => sync.syncGroup(g));
          },
      ),
      ...nets.map(
        (n): Task =>
          async () => {
            report.checked++;
            const have = await pve.readGroup(networkGroup(n.vnet));
            const problems = have === null ? [`PVE group ${networkGroup(n.vnet)} is missing`] : [];
            const want = await sync.networkGroupRules(n);
            if (have && have.map(ruleKey).join('\n') !== want.map(ruleKey).join('\n'))
              problems.push('same-network, peering or egress rules changed');
            await note({ kind: 'network', id: n.id, problems }, () => sync.syncNetworkGroup(n));
          },
      ),
      ...[...refs].map(
        ([id, ref]): Task =>
          async () => {
            report.checked++;
            let problems: string[];
            try {
              problems = await pve.guestDrift(ref, desired.get(id)!);
            } catch (err) {
              report.checked--;
              this.deps.logger.warn({ err, instance: id }, 'could not read the guest firewall');
              return;
            }
            await note({ kind: 'instance', id, problems }, () => sync.syncInstance(id, true));
          },
      ),
    ];
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !opts.signal?.aborted) await tasks[next++]!();
    };
    await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
    return report;
  }
}

/** An IP set entry as PVE lists it (a bare address gets its host prefix). */
function hostCidr(ip: string): string {
  return ip.includes('/') ? ip : ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}
