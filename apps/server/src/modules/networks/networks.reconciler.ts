/**
 * Firewall drift: compares what Proxmox holds (cluster security groups, member IP sets, the
 * same-network groups, every attached guest's firewall options and group rules) with what our
 * database says, reports each difference and, unless told not to, repairs it. Changes made
 * outside ProxiCloud (a rule deleted in the PVE GUI, a guest firewall switched off, an ACCEPT
 * rule added by hand to a guest) are found on the next pass.
 */
import type { Logger } from '../../platform/logger.ts';
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
      logger: Logger;
    },
  ) {}

  async pass(opts: { repair?: boolean; signal?: AbortSignal } = {}): Promise<FirewallReport> {
    const repair = opts.repair ?? true;
    const { repo, sync } = this.deps;
    const pve = this.deps.pve();
    const report: FirewallReport = { checked: 0, drift: [] };
    const note = async (item: Omit<DriftItem, 'repaired'>, fix: () => Promise<void>) => {
      if (!item.problems.length) return;
      let repaired = false;
      if (repair) {
        try {
          await fix();
          repaired = true;
        } catch (err) {
          this.deps.logger.warn({ err, ...item }, 'firewall drift repair failed');
        }
      }
      this.deps.logger.warn({ ...item, repaired }, 'firewall drift');
      report.drift.push({ ...item, repaired });
    };

    for (const g of await repo.allGroups()) {
      if (opts.signal?.aborted) return report;
      report.checked++;
      const problems: string[] = [];
      const have = await pve.readGroup(g.pve_group);
      const want = await sync.compiled(g);
      if (have === null) problems.push(`PVE group ${g.pve_group} is missing`);
      else if (have.map(ruleKey).join('\n') !== want.map(ruleKey).join('\n'))
        problems.push(`rules of ${g.pve_group} differ (${have.length} on Proxmox, ${want.length} expected)`);
      const members = await sync.memberAddresses(g.id);
      const set = await pve.readIpset(memberSet(g.pve_group));
      if (set === null) problems.push(`IP set ${memberSet(g.pve_group)} is missing`);
      else if ([...set].sort().join(',') !== members.map((m) => (m.includes('/') ? m : `${m}/32`)).join(','))
        problems.push(`members of ${memberSet(g.pve_group)} differ`);
      await note({ kind: 'security_group', id: g.id, problems }, () => sync.syncGroup(g));
    }
    for (const n of await repo.allLive()) {
      if (n.status !== 'available') continue;
      report.checked++;
      const have = await pve.readGroup(networkGroup(n.vnet));
      const problems = have === null ? [`PVE group ${networkGroup(n.vnet)} is missing`] : [];
      if (have && (have.length !== (n.cidr6 ? 2 : 1) || have[0]?.source !== n.cidr))
        problems.push('same-network rule changed');
      await note({ kind: 'network', id: n.id, problems }, () => sync.syncNetworkGroup(n));
    }
    for (const id of await repo.attachedInstanceIds()) {
      if (opts.signal?.aborted) return report;
      const ref = await sync.guestRef(id);
      if (!ref) continue;
      report.checked++;
      let problems: string[];
      try {
        problems = await pve.guestDrift(ref, await sync.desiredGuest(id));
      } catch (err) {
        this.deps.logger.warn({ err, instance: id }, 'could not read the guest firewall');
        continue;
      }
      await note({ kind: 'instance', id, problems }, () => sync.syncInstance(id, true));
    }
    return report;
  }
}
