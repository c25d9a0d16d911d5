/**
 * Network operations: create (zone if missing, VNet + subnet, apply, same-network group), change
 * (subnet SNAT/DHCP, apply) and delete (subnet + VNet, apply, group). SDN edits and the apply run
 * under PVE's global lock, one at a time; a failure rolls pending SDN edits back (PVE's rollback)
 * and leaves nothing of the network behind on Proxmox.
 */
import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LockRegistry, OperationEngine, OperationHandler } from '../operations/index.ts';
import { networkGroup, type PveNetworking, type VnetSpec, type ZoneType } from './networks.pve.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';
import type { NetworkSettings } from './networks.service.ts';
import type { FirewallSync } from './networks.sync.ts';

export interface NetworkOpsDeps {
  repo: NetworksRepository;
  pve: () => PveNetworking;
  client: () => ProxmoxClient;
  sync: FirewallSync;
  locks: LockRegistry;
  clock: Clock;
  logger: Logger;
  settings: NetworkSettings;
  publish(id: string): void;
}

export class NetworkOperations {
  constructor(private readonly deps: NetworkOpsDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.create);
    engine.register(this.update);
    engine.register(this.remove);
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  private async row(id: string): Promise<NetworkRow> {
    const r = await this.deps.repo.find(id);
    if (!r) throw new Error(`network ${id} vanished from the database`);
    return r;
  }

  /** The zone type to create and, for VXLAN, the peers (every node's address). */
  async zoneLayout(): Promise<{ type: ZoneType; peers: string[] }> {
    const status = (await this.deps.client().api.getClusterStatus()) as { type: string; ip?: string }[];
    const nodes = status.filter((s) => s.type === 'node');
    const want = this.deps.settings.zoneType;
    const type: ZoneType = want === 'auto' ? (nodes.length > 1 ? 'vxlan' : 'simple') : want;
    return { type, peers: nodes.flatMap((n) => (n.ip ? [n.ip] : [])) };
  }

  spec(row: NetworkRow): VnetSpec {
    return {
      zone: row.zone,
      vnet: row.vnet,
      alias: row.name,
      vni: row.vni === null ? null : Number(row.vni),
      cidr: row.cidr,
      cidr6: row.cidr6,
      gateway: row.gateway,
      dhcp: row.dhcp_start && row.dhcp_end ? { start: row.dhcp_start, end: row.dhcp_end } : null,
      snat: Number(row.snat) === 1,
    };
  }

  private finish = async (id: string, opId: string) => {
    await this.deps.locks.unlock(this.deps.repo.db, 'networks', id, opId);
    this.deps.publish(id);
  };

  private readonly create: OperationHandler = {
    action: 'network.create',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      const pve = this.deps.pve();
      await ctx.step('sdn', async () => {
        const layout = await this.zoneLayout();
        let vni = row.vni === null ? null : Number(row.vni);
        if (layout.type !== 'simple' && vni === null) {
          vni = Math.max(4100, (await this.deps.repo.maxVni()) + 1);
          await this.deps.repo.updateNetwork(row.id, { vni });
        }
        await pve.applyWith(
          async (token) => {
            await pve.ensureZone(row.zone, layout.type, layout.peers, token);
            await pve.createVnet({ ...this.spec(row), vni: layout.type === 'simple' ? null : vni }, token);
          },
          ctx.signal,
          ctx.detail,
        );
        await ctx.detail(`VNet ${row.vnet} in ${layout.type} zone ${row.zone} applied`);
      });
      await ctx.step('firewall', async () => {
        // the new network is "inside" for every other network's egress rules
        await this.deps.sync.syncNetworksSet();
        await this.deps.sync.syncNetworkGroup(row);
      });
      await this.deps.repo.updateNetwork(row.id, {
        status: 'available',
        status_reason: null,
        updated_at: this.now(),
      });
    },
    onFailure: async (ctx, error) => {
      const row = await this.row(ctx.resourceId);
      const pve = this.deps.pve();
      let reason = error.message;
      try {
        // the apply may have gone through before a later step failed: remove what is applied
        const running = await pve.runningVnets();
        if (running.has(row.vnet))
          await pve.applyWith((token) => pve.deleteVnet(row.vnet, token), ctx.signal);
        await pve.deleteGroup(networkGroup(row.vnet));
      } catch (e) {
        reason = `${reason} (cleanup on Proxmox failed: ${(e as Error).message}; the reconciler retries)`;
      }
      await this.deps.repo.updateNetwork(row.id, {
        status: 'error',
        status_reason: reason,
        updated_at: this.now(),
      });
    },
    onFinish: async (ctx) => this.finish(ctx.resourceId, ctx.id),
  };

  private readonly update: OperationHandler<{ snat: boolean; dhcp: { start: string; end: string } | null }> =
    {
      action: 'network.update',
      run: async (ctx) => {
        const row = await this.row(ctx.resourceId);
        const pve = this.deps.pve();
        await ctx.step('sdn', () =>
          pve.applyWith(
            (token) => pve.updateSubnet(this.spec(row), ctx.params.snat, ctx.params.dhcp, token),
            ctx.signal,
            ctx.detail,
          ),
        );
        await this.deps.repo.updateNetwork(row.id, {
          snat: ctx.params.snat ? 1 : 0,
          dhcp_start: ctx.params.dhcp?.start ?? null,
          dhcp_end: ctx.params.dhcp?.end ?? null,
          status_reason: null,
          updated_at: this.now(),
        });
        // the network's own SNAT opens egress (networks.egress.ts): its group follows
        await ctx.step('firewall', async () => this.deps.sync.syncNetworkGroup(await this.row(row.id)));
      },
      onFailure: async (ctx, error) => {
        await this.deps.repo.updateNetwork(ctx.resourceId, {
          status_reason: `change failed: ${error.message}`,
        });
      },
      onFinish: async (ctx) => this.finish(ctx.resourceId, ctx.id),
    };

  private readonly remove: OperationHandler = {
    action: 'network.delete',
    run: async (ctx) => {
      const row = await this.row(ctx.resourceId);
      const pve = this.deps.pve();
      await ctx.step('sdn', () =>
        pve.applyWith((token) => pve.deleteVnet(row.vnet, token), ctx.signal, ctx.detail),
      );
      await ctx.step('firewall', () => pve.deleteGroup(networkGroup(row.vnet)));
      await this.deps.repo.updateNetwork(row.id, {
        status: 'deleted',
        deleted_at: this.now(),
        updated_at: this.now(),
      });
      // no longer "inside" for the egress rules (best effort: the reconciler repairs the set)
      await this.deps.sync
        .syncNetworksSet()
        .catch((err) => this.deps.logger.warn({ err, network: row.id }, 'pc-networks set not updated'));
    },
    onFailure: async (ctx, error) => {
      await this.deps.repo.updateNetwork(ctx.resourceId, {
        status: 'error',
        status_reason: `delete failed: ${error.message}`,
        updated_at: this.now(),
      });
    },
    onFinish: async (ctx) => this.finish(ctx.resourceId, ctx.id),
  };
}
