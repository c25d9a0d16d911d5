/**
 * Networks and security groups (VPC-style) on Proxmox SDN and the PVE firewall: networks are
 * VNets + subnets in a managed SDN zone (created, changed and deleted by operations that apply
 * SDN under PVE's global lock); security groups are PVE cluster security groups with member IP
 * sets; instances get NICs and groups through the instances port (launch hook, dependents), and
 * the firewall reconciler reports and repairs drift made outside ProxiCloud.
 */
import type { ModuleDeps, ResourceModuleDeps, ServerModule } from '../../deps.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import { InstanceNetworks } from './networks.attach.ts';
import { firewallMutex, SecurityGroupsService } from './networks.groups.ts';
import { networksMigrations as migrations } from './networks.migrations.ts';
import { natGatewaysRoutes } from './networks.nat-gateways.routes.ts';
import { NatGatewaysService } from './networks.nat-gateways.ts';
import { NatVmHost, type NatVmSettings, natVmSettingsFromEnv } from './networks.nat-vm.host.ts';
import { NetworkOperations } from './networks.operations.ts';
import { peeringsRoutes } from './networks.peerings.routes.ts';
import { PeeringsService } from './networks.peerings.ts';
import { PveNetworking } from './networks.pve.ts';
import { FirewallReconciler } from './networks.reconciler.ts';
import { NetworksRepository } from './networks.repository.ts';
import { GuestRoutePusher } from './networks.route-push.ts';
import { routeTablesRoutes } from './networks.route-tables.routes.ts';
import { RouteTablesService } from './networks.route-tables.ts';
import { networksRoutes } from './networks.routes.ts';
import { type NetworkSettings, NetworksService } from './networks.service.ts';
import { FirewallSync } from './networks.sync.ts';

export type { SecurityGroupsService } from './networks.groups.ts';
export type { NatGatewaysService } from './networks.nat-gateways.ts';
export type { PeeringsService } from './networks.peerings.ts';
export type { RouteTablesService } from './networks.route-tables.ts';
export type { NetworksService } from './networks.service.ts';

export type NetworksDeps = ResourceModuleDeps &
  Pick<ModuleDeps, 'jobs' | 'proxmox'> & { instances: InstancesPort; quotas?: QuotasService };

export interface NetworksExports {
  networks: NetworksService;
  groups: SecurityGroupsService;
  routeTables: RouteTablesService;
  natGateways: NatGatewaysService;
  peerings: PeeringsService;
  attach: InstanceNetworks;
  reconciler: FirewallReconciler;
  /** counts PVE calls (benchmarks) */
  pve: () => PveNetworking;
  settings: NetworkSettings;
}

export interface NetworksOptions {
  /** Firewall reconcile period (default 60 s). */
  reconcileIntervalMs?: number;
  /** Route reconcile period (default 30 s). */
  routeReconcileIntervalMs?: number;
  settings?: Partial<NetworkSettings>;
  /** NAT VM health check period (default 30 s, PROXICLOUD_NAT_VM_HEALTH_MS). */
  natVmHealthIntervalMs?: number;
  natVm?: Partial<NatVmSettings>;
}

export function createNetworksModule(
  options: NetworksOptions = {},
): ServerModule<NetworksDeps, NetworksExports> {
  return {
    name: 'networks',
    tags: [
      { name: 'networks', description: 'Networks (VPC-style) on Proxmox SDN' },
      { name: 'security-groups', description: 'Security groups on the Proxmox firewall' },
      { name: 'route-tables', description: 'Route tables: routes pushed to running guests' },
      { name: 'nat-gateways', description: 'NAT gateways: outbound NAT for a network (SDN SNAT or NAT VM)' },
      { name: 'peerings', description: 'Peerings: two networks reach each other within allowed ranges' },
    ],
    migrations,
    async register(app, deps) {
      const { db, clock, logger, instances } = deps;
      deps.locks.register('networks');
      deps.bus.registerResource('network');
      deps.bus.registerResource('security_group');
      deps.locks.register('route_tables');
      deps.bus.registerResource('route_table');
      deps.locks.register('nat_gateways');
      deps.bus.registerResource('nat_gateway');
      deps.locks.register('peerings');
      deps.bus.registerResource('peering');
      const envType = process.env.PROXICLOUD_SDN_ZONE_TYPE;
      const settings: NetworkSettings = {
        zone: options.settings?.zone ?? process.env.PROXICLOUD_SDN_ZONE ?? 'pcloud',
        zoneType:
          options.settings?.zoneType ??
          (envType === 'simple' || envType === 'vxlan' || envType === 'evpn' ? envType : 'auto'),
        defaultNetwork:
          options.settings?.defaultNetwork ??
          !/^(off|false|0|no)$/i.test(process.env.PROXICLOUD_DEFAULT_NETWORK ?? ''),
        bridgeLaunch:
          options.settings?.bridgeLaunch ??
          (/^(all|users|everyone)$/i.test(process.env.PROXICLOUD_BRIDGE_LAUNCH ?? '') ? 'all' : 'admin'),
        ipfilter:
          options.settings?.ipfilter ?? !/^(off|false|0|no)$/i.test(process.env.PROXICLOUD_IPFILTER ?? ''),
      };
      const repo = new NetworksRepository(db.kysely);
      const client = () => deps.pve().client;
      let pveNet: PveNetworking | undefined;
      const pve = () => {
        pveNet ??= new PveNetworking(client);
        return pveNet;
      };
      const sync = new FirewallSync({ repo, pve, instances, logger, ipfilter: () => settings.ipfilter });
      const networks = new NetworksService({
        db,
        clock,
        bus: deps.bus,
        engine: deps.engine,
        locks: deps.locks,
        repo,
        instances,
        settings,
        quotas: deps.quotas,
      });
      const ops = new NetworkOperations({
        repo,
        pve,
        client,
        sync,
        locks: deps.locks,
        clock,
        logger,
        settings,
        publish: (id) => networks.publish(id),
      });
      ops.register(deps.engine);
      const groups = new SecurityGroupsService({
        db,
        clock,
        logger,
        bus: deps.bus,
        repo,
        instances,
        pve,
        sync,
        quotas: deps.quotas,
      });
      const attach = new InstanceNetworks({
        repo,
        instances,
        locks: deps.locks,
        pve,
        client,
        sync,
        clock,
        logger,
      });
      attach.defaultNetwork = (ctx) => networks.ensureDefault(ctx);
      attach.bridgeLaunch = () => settings.bridgeLaunch;
      instances.registerNetworking(attach);
      instances.registerDependent(attach.dependent);
      const reconciler = new FirewallReconciler(
        { repo, sync, pve, instances, logger },
        Number(process.env.PROXICLOUD_FIREWALL_RECONCILE_CONCURRENCY) || 16,
      );
      await networksRoutes(app, { networks, groups, attach, settings });
      const natGateways = new NatGatewaysService({
        db,
        clock,
        bus: deps.bus,
        engine: deps.engine,
        locks: deps.locks,
        networks: repo,
        pve,
        client,
        ops,
        publishNetwork: (id) => networks.publish(id),
        natVm: new NatVmHost(deps.pve, { ...natVmSettingsFromEnv(), ...options.natVm }),
        logger,
      });
      natGateways.register(deps.engine);
      await natGatewaysRoutes(app, { nat: natGateways });
      const peerings = new PeeringsService({
        db,
        clock,
        bus: deps.bus,
        engine: deps.engine,
        locks: deps.locks,
        networks: repo,
        sync,
        client,
      });
      peerings.register(deps.engine);
      await peeringsRoutes(app, { peerings });
      const routeTables = new RouteTablesService({
        db,
        clock,
        logger,
        bus: deps.bus,
        engine: deps.engine,
        locks: deps.locks,
        networks: repo,
        instances,
        pusher: new GuestRoutePusher(deps.pve),
        natGateways,
        egress: (net) => firewallMutex.run(() => sync.syncNetworkGroup(net)),
        sourceDestCheckEnforced: () => settings.ipfilter,
      });
      routeTables.register(deps.engine);
      await routeTablesRoutes(app, { tables: routeTables });
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'networks.firewall-reconcile',
          leaderOnly: true,
          intervalMs: options.reconcileIntervalMs ?? 60_000,
          run: async (signal) => {
            await reconciler.pass({ signal });
          },
        });
      }
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'networks.nat-vm-health',
          leaderOnly: true,
          intervalMs:
            options.natVmHealthIntervalMs ?? (Number(process.env.PROXICLOUD_NAT_VM_HEALTH_MS) || 30_000),
          run: async (signal) => {
            await natGateways.checkHealth(signal);
          },
        });
      }
      if (deps.proxmox) {
        deps.jobs.register({
          name: 'networks.route-reconcile',
          leaderOnly: true,
          intervalMs:
            options.routeReconcileIntervalMs ?? (Number(process.env.PROXICLOUD_ROUTE_RECONCILE_MS) || 30_000),
          run: async (signal) => {
            // a guest's boot identity: when it started (now − uptime, to the minute)
            const res = (await client().api.getClusterResources({ type: 'vm' })) as {
              vmid?: number;
              uptime?: number;
            }[];
            const now = Date.now();
            const boots = new Map(
              res.flatMap((r) =>
                r.vmid
                  ? [[r.vmid, String(Math.round((now - (r.uptime ?? 0) * 1000) / 60_000))] as const]
                  : [],
              ),
            );
            const out = await routeTables.reconcile(boots, signal);
            if (out.pushed || out.failed.length)
              logger.info(
                { pushed: out.pushed, failed: out.failed },
                'route tables: guests brought up to date',
              );
          },
        });
      }
      deps.quotas?.registerUsage({
        name: 'networks',
        usage: (userId, k) => new NetworksRepository(k).usage(userId),
      });
      deps.ownership.register({
        resourceType: 'networks',
        count: (userId, k) => new NetworksRepository(k).countLive(userId),
        reassign: (from, to, k) => new NetworksRepository(k).reassign(from, to),
      });
      // route tables: the untouched automatic default table does not count as owned
      deps.ownership.register({
        resourceType: 'route_tables',
        count: async (userId, k) => {
          const tables = await k
            .selectFrom('route_tables')
            .select(['id', 'is_default'])
            .where('owner_id', '=', userId)
            .execute();
          const used = new Set(
            (await k.selectFrom('route_table_routes').select('table_id').execute()).map((r) => r.table_id),
          );
          for (const r of await k.selectFrom('route_table_networks').select('table_id').execute())
            used.add(r.table_id);
          return tables.filter((t) => Number(t.is_default) !== 1 || used.has(t.id)).length;
        },
        reassign: async (from, to, k) => {
          const theirs = await k
            .selectFrom('route_tables')
            .select(['name', 'is_default'])
            .where('owner_id', '=', to)
            .execute();
          const names = new Set(theirs.map((t) => t.name));
          const toHasDefault = theirs.some((t) => Number(t.is_default) === 1);
          for (const t of await k
            .selectFrom('route_tables')
            .selectAll()
            .where('owner_id', '=', from)
            .execute()) {
            const name = names.has(t.name) ? `${t.name}-${from.slice(-6)}` : t.name;
            names.add(name);
            await k
              .updateTable('route_tables')
              .set({ owner_id: to, name, ...(toHasDefault ? { is_default: 0 } : {}) })
              .where('id', '=', t.id)
              .execute();
          }
        },
      });
      deps.ownership.register({
        resourceType: 'nat_gateways',
        count: async (userId, k) =>
          (
            await k
              .selectFrom('nat_gateways')
              .select('id')
              .where('owner_id', '=', userId)
              .where('status', '<>', 'deleted')
              .execute()
          ).length,
        reassign: async (from, to, k) => {
          await k.updateTable('nat_gateways').set({ owner_id: to }).where('owner_id', '=', from).execute();
        },
      });
      deps.ownership.register({
        resourceType: 'peerings',
        count: async (userId, k) =>
          (
            await k
              .selectFrom('peerings')
              .select('id')
              .where((eb) =>
                eb.or([eb('requester_owner_id', '=', userId), eb('accepter_owner_id', '=', userId)]),
              )
              .where('status', 'not in', ['deleted', 'rejected'])
              .execute()
          ).length,
        reassign: async (from, to, k) => {
          await k
            .updateTable('peerings')
            .set({ requester_owner_id: to })
            .where('requester_owner_id', '=', from)
            .execute();
          await k
            .updateTable('peerings')
            .set({ accepter_owner_id: to })
            .where('accepter_owner_id', '=', from)
            .execute();
        },
      });
      return { networks, groups, routeTables, natGateways, peerings, attach, reconciler, pve, settings };
    },
  };
}

export const networksModule = createNetworksModule();
