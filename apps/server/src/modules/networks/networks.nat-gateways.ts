/**
 * NAT gateways (issue 20). Kind `sdnSnat`: the network's subnet gets PVE's `snat` option (the node
 * masquerades the subnet's traffic leaving through its uplink) — no VM, cheapest. It needs a zone
 * whose nodes hold the subnet gateway (simple or EVPN); in a VXLAN zone the network has no routed
 * public side and the gateway is refused. Create and delete are operations that edit the subnet
 * under PVE's SDN lock and apply it (networks.pve.ts `applyWith`: a failure rolls the edit back).
 * Route tables may target a gateway from the network it serves; deleting a gateway that routes
 * still target answers 409 naming them.
 *
 * Kind `natVm`: a managed Debian container (networks.nat-vm.host.ts) with a private address on the
 * network (the next hop routes get) and a static public address (kept across re-creation). Create =
 * container + configure steps, rolled back by destroying the container; the health pass
 * (`checkHealth`, leader job) re-creates a stopped or lost container with the same addresses.
 */

import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { likeContains } from '../../platform/db/database.ts';
import { type Actor, type ListResult, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type {
  LockRegistry,
  OperationContext,
  OperationEngine,
  OperationHandler,
  OperationView,
} from '../operations/index.ts';
import { contains, intToIpv4, ipv4ToInt, nextFree, parseCidr4, usableRange } from './networks.cidr.ts';
import type { NatVmHost, NatVmPlan } from './networks.nat-vm.host.ts';
import type { NetworkOperations } from './networks.operations.ts';
import type { PveNetworking } from './networks.pve.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';

export type NatGatewayKind = 'sdnSnat' | 'natVm';
export type NatGatewayHealth = 'unknown' | 'healthy' | 'unhealthy';
export type NatGatewayStatus = 'creating' | 'available' | 'deleting' | 'error' | 'deleted';

export interface NatGatewaysTable {
  id: string;
  owner_id: string;
  name: string;
  kind: NatGatewayKind;
  network_id: string;
  /** the network's own `snat` before the gateway (restored on delete) */
  snat_before: number;
  status: NatGatewayStatus;
  status_reason: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** natVm: the container (null before it exists), its two addresses and its health */
  node: string | null;
  vmid: number | null;
  private_address: string | null;
  public_address: string | null;
  health: NatGatewayHealth | null;
  health_checked_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    nat_gateways: NatGatewaysTable;
  }
}

export type NatGatewayRow = Selectable<NatGatewaysTable>;

export interface NatGateway {
  id: string;
  name: string;
  kind: NatGatewayKind;
  networkId: string;
  networkName: string | null;
  /** what leaves: the network's CIDR, masqueraded by the node */
  sourceCidr: string | null;
  status: NatGatewayStatus;
  statusReason: string | null;
  /** natVm: the next hop routes use (on the private network) and the address traffic leaves with */
  privateAddress: string | null;
  publicAddress: string | null;
  /** natVm: the container's health (leader job); sdnSnat: null */
  health: NatGatewayHealth | null;
  healthCheckedAt: string | null;
  node: string | null;
  vmid: number | null;
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NatGatewayInput {
  name: string;
  networkId: string;
  kind?: NatGatewayKind;
  /** natVm: the public address to keep (from the public pool); allocated when absent */
  publicAddress?: string;
  /** natVm: its address on the private network; the first free fixed address when absent */
  privateAddress?: string;
}

export interface NatGatewaysDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  engine: OperationEngine;
  locks: LockRegistry;
  networks: NetworksRepository;
  pve: () => PveNetworking;
  client: () => ProxmoxClient;
  ops: NetworkOperations;
  publishNetwork(id: string): void;
  /** natVm: the container on Proxmox */
  natVm: NatVmHost;
  logger?: Logger;
}

/** Live NAT gateways on a network (networks.service.ts guards delete/SNAT off with it). */
export function natGatewaysOn(db: Kysely<Tables> | Database['kysely'], networkId: string) {
  return db
    .selectFrom('nat_gateways')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('status', '<>', 'deleted')
    .execute();
}

const NAT_VM_STEPS = (network: string, priv: string, pub: string) => [
  { name: 'container', title: `Create and start the NAT container (${priv} on '${network}', ${pub} public)` },
  { name: 'configure', title: 'Push and run its setup: forwarding sysctls, nftables masquerade' },
];

export class NatGatewaysService {
  constructor(private readonly deps: NatGatewaysDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.create);
    engine.register(this.remove);
    engine.register(this.recreate);
  }

  private now() {
    return iso(this.deps.clock.now());
  }

  private get k() {
    return this.deps.db.kysely;
  }

  find(id: string): Promise<NatGatewayRow | undefined> {
    return this.k.selectFrom('nat_gateways').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The owner's live gateway `id` (404 otherwise): route tables check targets with it. */
  async owned(ownerId: string, id: string): Promise<NatGatewayRow> {
    const row = await this.find(id);
    if (!row || row.owner_id !== ownerId || row.status === 'deleted')
      throw new NotFoundError('NAT gateway', id);
    return row;
  }

  private async view(row: NatGatewayRow): Promise<NatGateway> {
    const net = await this.deps.networks.find(row.network_id);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      networkId: row.network_id,
      networkName: net?.name ?? null,
      sourceCidr: net?.cidr ?? null,
      status: row.status,
      statusReason: row.status_reason,
      privateAddress: row.private_address,
      publicAddress: row.public_address,
      health: row.kind === 'natVm' ? (row.health ?? 'unknown') : null,
      healthCheckedAt: row.health_checked_at,
      node: row.node,
      vmid: row.vmid === null ? null : Number(row.vmid),
      activeOperationId: row.active_operation_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<NatGateway>> {
    authorize(actor, 'networks', 'read');
    let query = scope(this.k.selectFrom('nat_gateways'), actor).where('status', '<>', 'deleted');
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    const { rows, total } = await pageOf<NatGatewayRow>(query, page, [['name'], ['id']]);
    const items: NatGateway[] = [];
    for (const r of rows) items.push(await this.view(r));
    return { items, total, ...page };
  }

  private async scoped(actor: Actor, id: string): Promise<NatGatewayRow> {
    const row = await scope(
      this.k.selectFrom('nat_gateways').selectAll().where('id', '=', id).where('status', '<>', 'deleted'),
      actor,
    ).executeTakeFirst();
    if (!row) throw new NotFoundError('NAT gateway', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<NatGateway> {
    authorize(actor, 'networks', 'read');
    return this.view(await this.scoped(actor, id));
  }

  /** Whether the network has a routed public side: the zone's nodes hold its gateway (simple/EVPN). */
  private async publicSide(net: NetworkRow): Promise<string | null> {
    const zone = (await this.deps.client().api.getClusterSdnZonesByZone({ zone: net.zone })) as {
      type?: string;
    };
    if (zone.type === 'simple' || zone.type === 'evpn') return null;
    return `network '${net.name}' is in ${zone.type ?? 'an unknown'} zone '${net.zone}', which bridges it across nodes without a routed exit: SDN SNAT needs a simple or EVPN zone (PROXICLOUD_SDN_ZONE_TYPE)`;
  }

  /** natVm: its address on the private network (given, or the first free fixed one below DHCP). */
  private async privateAddressFor(net: NetworkRow, wanted: string | undefined): Promise<string> {
    const cidr = parseCidr4(net.cidr).cidr!;
    const range = usableRange(cidr);
    const taken = new Set<number>([ipv4ToInt(net.gateway)!]);
    for (const nic of await this.deps.networks.nicsOnNetwork(net.id)) {
      const n = ipv4ToInt(nic.ip);
      if (n !== undefined) taken.add(n);
    }
    const dhcpStart = net.dhcp_start ? ipv4ToInt(net.dhcp_start)! : range.last + 1;
    const dhcpEnd = net.dhcp_end ? ipv4ToInt(net.dhcp_end)! : range.last + 1;
    if (wanted !== undefined) {
      const n = ipv4ToInt(wanted);
      const field = { field: 'privateAddress' };
      if (n === undefined) throw new ValidationError(`'${wanted}' is not an IPv4 address`, field);
      if (!contains(cidr, n) || n < range.first || n > range.last)
        throw new ValidationError(`${wanted} is not a host address of '${net.name}' (${net.cidr})`, field);
      if (n === ipv4ToInt(net.gateway))
        throw new ValidationError(
          `${wanted} is the network's own gateway (the node); pick another address`,
          field,
        );
      if (n >= dhcpStart && n <= dhcpEnd)
        throw new ValidationError(
          `${wanted} is in the DHCP range ${net.dhcp_start}–${net.dhcp_end} of '${net.name}'; pick a fixed address outside it`,
          field,
        );
      if (taken.has(n))
        throw new ConflictError(`${wanted} is already used on '${net.name}'`, field, 'address_in_use');
      return wanted;
    }
    const n = nextFree(cidr, taken);
    if (n === undefined || (n >= dhcpStart && n <= dhcpEnd))
      throw new ConflictError(
        `'${net.name}' has no free fixed address outside its DHCP range for the NAT VM; pass privateAddress`,
        { field: 'privateAddress' },
        'address_exhausted',
      );
    return intToIpv4(n);
  }

  /** natVm: the public address (given, or the first free one of the pool). Unique among live gateways. */
  private publicAddressFor(used: string[], wanted: string | undefined): string {
    const { pool, gateway } = this.publicPool();
    const range = usableRange(pool);
    const taken = new Set<number>([ipv4ToInt(gateway)!, ...used.map((u) => ipv4ToInt(u)!)]);
    const field = { field: 'publicAddress' };
    if (wanted !== undefined) {
      const n = ipv4ToInt(wanted);
      if (n === undefined) throw new ValidationError(`'${wanted}' is not an IPv4 address`, field);
      if (!contains(pool, n) || n < range.first || n > range.last || n === ipv4ToInt(gateway))
        throw new ValidationError(
          `${wanted} is not a free host of the public range ${this.deps.natVm.settings.publicCidr} (gateway ${gateway})`,
          field,
        );
      if (taken.has(n))
        throw new ConflictError(`Public address ${wanted} is already in use`, field, 'address_in_use');
      return wanted;
    }
    const n = nextFree(pool, taken);
    if (n === undefined)
      throw new ConflictError(
        `The public range ${this.deps.natVm.settings.publicCidr} has no free address`,
        undefined,
        'public_pool_exhausted',
      );
    return intToIpv4(n);
  }

  private publicPool() {
    const s = this.deps.natVm.settings;
    const pool = parseCidr4(s.publicCidr ?? '').cidr;
    if (!pool) throw new Error(`PROXICLOUD_NAT_PUBLIC_CIDR '${s.publicCidr}' is not an IPv4 CIDR`);
    return { pool, gateway: s.publicGateway ?? intToIpv4(usableRange(pool).first) };
  }

  private plan(row: NatGatewayRow, net: NetworkRow): NatVmPlan {
    const { pool, gateway } = this.publicPool();
    return {
      gatewayId: row.id,
      ownerId: row.owner_id,
      name: `nat-${row.name}`.slice(0, 63),
      vnet: net.vnet,
      sourceCidr: net.cidr,
      privateAddress: row.private_address!,
      publicAddress: row.public_address!,
      publicPrefix: pool.bits,
      publicGateway: gateway,
    };
  }

  async createGateway(ctx: AuthenticatedContext, input: NatGatewayInput): Promise<NatGateway> {
    authorize(ctx.actor, 'networks', 'update');
    const ownerId = ctx.actor.id;
    const net = (await this.deps.networks.liveOf(ownerId)).find((n) => n.id === input.networkId);
    if (!net) throw new NotFoundError('Network', input.networkId);
    if (net.status !== 'available')
      throw new ConflictError(
        `Network '${net.name}' is ${net.status}`,
        { networkId: net.id },
        'invalid_state',
      );
    const kind = input.kind ?? 'sdnSnat';
    if (kind === 'sdnSnat') {
      if (input.publicAddress !== undefined || input.privateAddress !== undefined)
        throw new ValidationError(
          'publicAddress and privateAddress belong to kind natVm (sdnSnat leaves through the node)',
          { field: input.publicAddress !== undefined ? 'publicAddress' : 'privateAddress' },
        );
      const why = await this.publicSide(net);
      if (why) throw new ConflictError(why, { networkId: net.id, zone: net.zone }, 'no_public_side');
    } else if (!this.deps.natVm.settings.publicCidr)
      throw new ConflictError(
        'NAT VMs need public addresses, and no public range is configured (PROXICLOUD_NAT_PUBLIC_CIDR, with PROXICLOUD_NAT_PUBLIC_BRIDGE and PROXICLOUD_NAT_PUBLIC_GATEWAY)',
        undefined,
        'no_public_pool',
      );
    const privateAddress = kind === 'natVm' ? await this.privateAddressFor(net, input.privateAddress) : null;
    const now = this.now();
    const row: NatGatewayRow = {
      id: newId('nat'),
      owner_id: ownerId,
      name: input.name,
      kind,
      network_id: net.id,
      snat_before: Number(net.snat),
      status: 'creating',
      status_reason: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      node: null,
      vmid: null,
      private_address: privateAddress,
      public_address: null,
      health: kind === 'natVm' ? 'unknown' : null,
      health_checked_at: null,
    };
    await this.k.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('nat_gateways')
        .selectAll()
        .where('owner_id', '=', ownerId)
        .where('status', '<>', 'deleted')
        .execute();
      if (live.some((g) => g.name === input.name))
        throw new ConflictError(
          `You already have a NAT gateway named '${input.name}'`,
          { field: 'name' },
          'name_taken',
        );
      const there = live.find((g) => g.network_id === net.id);
      if (there)
        throw new ConflictError(
          `Network '${net.name}' already has NAT gateway '${there.name}'`,
          { natGatewayId: there.id },
          'nat_gateway_exists',
        );
      if (kind === 'natVm')
        row.public_address = this.publicAddressFor(
          (
            await trx
              .selectFrom('nat_gateways')
              .select('public_address')
              .where('status', '<>', 'deleted')
              .execute()
          ).flatMap((g) => (g.public_address ? [g.public_address] : [])),
          input.publicAddress,
        );
      await trx.insertInto('nat_gateways').values(row).execute();
      const op = await this.deps.engine.enqueue(trx, {
        action: 'nat-gateway.create',
        ownerId,
        resourceType: 'nat_gateway',
        resourceId: row.id,
        params: {},
        steps:
          kind === 'natVm'
            ? NAT_VM_STEPS(net.name, row.private_address!, row.public_address!)
            : [{ name: 'sdn', title: `Turn on SNAT on the subnet of '${net.name}'; apply SDN` }],
        requestId: ctx.requestId,
      });
      await this.deps.locks.lock(trx, 'nat_gateways', row.id, op.id);
      if (!(await this.deps.locks.lock(trx, 'networks', net.id, op.id)))
        throw new ConflictError(`Network '${net.name}' is busy`, undefined, 'network_busy');
    });
    this.deps.engine.wake();
    this.publish(row.id, 'created');
    return this.get(ctx.actor, row.id);
  }

  async deleteGateway(ctx: AuthenticatedContext, id: string): Promise<OperationView> {
    authorize(ctx.actor, 'networks', 'update');
    const row = await this.scoped(ctx.actor, id);
    const routes = await this.k
      .selectFrom('route_table_routes')
      .innerJoin('route_tables', 'route_tables.id', 'route_table_routes.table_id')
      .select([
        'route_tables.id as tableId',
        'route_tables.name as tableName',
        'route_table_routes.destination_cidr as cidr',
      ])
      .where('route_table_routes.target_type', '=', 'natGateway')
      .where('route_table_routes.target_id', '=', id)
      .execute();
    if (routes.length)
      throw new ConflictError(
        `NAT gateway '${row.name}' is the target of ${routes.length} route(s): ${routes.map((r) => `${r.cidr} in '${r.tableName}'`).join(', ')}; remove them first`,
        {
          routes: routes.map((r) => ({
            routeTableId: r.tableId,
            routeTableName: r.tableName,
            destinationCidr: r.cidr,
          })),
        },
        'nat_gateway_in_use',
      );
    const op = await this.k.transaction().execute(async (trx) => {
      const op = await this.deps.engine.enqueue(trx, {
        action: 'nat-gateway.delete',
        ownerId: row.owner_id,
        resourceType: 'nat_gateway',
        resourceId: id,
        params: {},
        steps:
          row.kind === 'natVm'
            ? [
                {
                  name: 'container',
                  title: `Stop and destroy the NAT container${row.vmid ? ` ${row.vmid}` : ''}`,
                },
              ]
            : [{ name: 'sdn', title: 'Restore the subnet’s SNAT setting; apply SDN' }],
        requestId: ctx.requestId,
      });
      if (
        !(await this.deps.locks.lock(trx, 'nat_gateways', id, op.id, {
          status: 'deleting',
          updated_at: this.now(),
        }))
      )
        throw new ConflictError(`NAT gateway '${row.name}' is busy`, undefined, 'nat_gateway_busy');
      if (!(await this.deps.locks.lock(trx, 'networks', row.network_id, op.id)))
        throw new ConflictError('Its network is busy', undefined, 'network_busy');
      return op;
    });
    this.deps.engine.wake();
    this.publish(id);
    return op;
  }

  private async setSnat(
    row: NatGatewayRow,
    snat: boolean,
    signal: AbortSignal,
    detail: (t: string) => Promise<void>,
  ) {
    const net = await this.deps.networks.find(row.network_id);
    if (!net) throw new Error(`network ${row.network_id} vanished`);
    const pve = this.deps.pve();
    const spec = this.deps.ops.spec(net);
    await pve.applyWith((token) => pve.updateSubnet(spec, snat, spec.dhcp, token), signal, detail);
    await this.deps.networks.updateNetwork(net.id, { snat: snat ? 1 : 0, updated_at: this.now() });
  }

  private finish = async (id: string, opId: string) => {
    const row = await this.find(id);
    await this.deps.locks.unlock(this.k, 'nat_gateways', id, opId);
    if (row) {
      await this.deps.locks.unlock(this.k, 'networks', row.network_id, opId);
      this.deps.publishNetwork(row.network_id);
    }
    this.publish(id);
  };

  private readonly create: OperationHandler = {
    action: 'nat-gateway.create',
    run: async (ctx) => {
      const row = (await this.find(ctx.resourceId))!;
      if (row.kind === 'natVm') await this.buildVm(ctx, row);
      else await ctx.step('sdn', () => this.setSnat(row, true, ctx.signal, ctx.detail));
      await this.k
        .updateTable('nat_gateways')
        .set({ status: 'available', status_reason: null, updated_at: this.now() })
        .where('id', '=', row.id)
        .execute();
    },
    onFailure: async (ctx, error) => {
      // sdnSnat: the SDN edit was rolled back by applyWith; natVm: the container is destroyed here
      const row = await this.find(ctx.resourceId);
      let leftover = '';
      if (row?.kind === 'natVm' && row.node && row.vmid !== null)
        await this.deps.natVm.destroy(row.node, Number(row.vmid), ctx.signal).catch((e: unknown) => {
          leftover = `; container ${row.vmid} on ${row.node} could not be removed: ${(e as Error).message}`;
        });
      await this.k
        .updateTable('nat_gateways')
        .set({
          status: 'deleted',
          status_reason: `create failed: ${error.message}${leftover}`,
          deleted_at: this.now(),
          updated_at: this.now(),
        })
        .where('id', '=', ctx.resourceId)
        .execute();
    },
    onFinish: async (ctx) => this.finish(ctx.resourceId, ctx.id),
  };

  private readonly remove: OperationHandler = {
    action: 'nat-gateway.delete',
    run: async (ctx) => {
      const row = (await this.find(ctx.resourceId))!;
      if (row.kind === 'natVm')
        await ctx.step('container', async () => {
          if (row.node && row.vmid !== null)
            await this.deps.natVm.destroy(row.node, Number(row.vmid), ctx.signal);
        });
      else
        await ctx.step('sdn', () => this.setSnat(row, Number(row.snat_before) === 1, ctx.signal, ctx.detail));
      await this.k
        .updateTable('nat_gateways')
        .set({ status: 'deleted', deleted_at: this.now(), updated_at: this.now() })
        .where('id', '=', row.id)
        .execute();
    },
    onFailure: async (ctx, error) => {
      await this.k
        .updateTable('nat_gateways')
        .set({
          status: 'available',
          status_reason: `delete failed: ${error.message}`,
          updated_at: this.now(),
        })
        .where('id', '=', ctx.resourceId)
        .execute();
    },
    onFinish: async (ctx) => this.finish(ctx.resourceId, ctx.id),
  };

  /** natVm create/re-create: container (recorded as soon as its vmid is known), then its configuration. */
  private async buildVm(ctx: OperationContext, row: NatGatewayRow): Promise<void> {
    const net = await this.deps.networks.find(row.network_id);
    if (!net) throw new Error(`network ${row.network_id} vanished`);
    const plan = this.plan(row, net);
    const made = await ctx.step('container', async () => {
      // an attempt interrupted by a restart may have left its container: it goes first
      const before = await this.find(row.id);
      if (before?.node && before.vmid !== null)
        await this.deps.natVm.destroy(before.node, Number(before.vmid), ctx.signal);
      const out = await this.deps.natVm.create(
        plan,
        ctx.signal,
        async (node, vmid) => {
          await this.k
            .updateTable('nat_gateways')
            .set({ node, vmid, updated_at: this.now() })
            .where('id', '=', row.id)
            .execute();
        },
        ctx.detail,
      );
      return out;
    });
    await ctx.step('configure', () => this.deps.natVm.configure(plan, made.node, made.vmid, ctx.detail));
    await this.k
      .updateTable('nat_gateways')
      .set({ health: 'healthy', health_checked_at: this.now() })
      .where('id', '=', row.id)
      .execute();
  }

  private readonly recreate: OperationHandler = {
    action: 'nat-gateway.recreate',
    run: async (ctx) => {
      const row = (await this.find(ctx.resourceId))!;
      await ctx.step('remove', async () => {
        if (row.node && row.vmid !== null)
          await this.deps.natVm.destroy(row.node, Number(row.vmid), ctx.signal);
        await this.k
          .updateTable('nat_gateways')
          .set({ node: null, vmid: null, updated_at: this.now() })
          .where('id', '=', row.id)
          .execute();
      });
      await this.buildVm(ctx, { ...row, node: null, vmid: null });
      await this.k
        .updateTable('nat_gateways')
        .set({ status: 'available', status_reason: null, updated_at: this.now() })
        .where('id', '=', row.id)
        .execute();
    },
    onFailure: async (ctx, error) => {
      // a half-made replacement goes; the next health pass tries again
      const row = await this.find(ctx.resourceId);
      if (row?.node && row.vmid !== null)
        await this.deps.natVm.destroy(row.node, Number(row.vmid), ctx.signal).catch(() => undefined);
      await this.k
        .updateTable('nat_gateways')
        .set({
          status: 'error',
          node: null,
          vmid: null,
          health: 'unhealthy',
          status_reason: `re-create failed: ${error.message}`,
          updated_at: this.now(),
        })
        .where('id', '=', ctx.resourceId)
        .execute();
    },
    onFinish: async (ctx) => {
      await this.deps.locks.unlock(this.k, 'nat_gateways', ctx.resourceId, ctx.id);
      this.publish(ctx.resourceId);
    },
  };

  /**
   * Health of the NAT VMs (leader job `networks.nat-vm-health`): a running container is healthy; a
   * stopped or lost one is marked unhealthy and re-created (same addresses) by an operation.
   * Answers the gateways it started a re-create for.
   */
  async checkHealth(signal?: AbortSignal): Promise<string[]> {
    const rows = await this.k
      .selectFrom('nat_gateways')
      .selectAll()
      .where('kind', '=', 'natVm')
      .where('status', 'in', ['available', 'error'])
      .where('active_operation_id', 'is', null)
      .execute();
    const recreated: string[] = [];
    for (const row of rows) {
      if (signal?.aborted) break;
      let state: 'running' | 'stopped' | 'missing' = 'missing';
      if (row.node && row.vmid !== null) {
        try {
          state = await this.deps.natVm.state(row.node, Number(row.vmid));
        } catch (e) {
          this.deps.logger?.warn({ err: e, natGatewayId: row.id }, 'NAT VM health: Proxmox did not answer');
          continue;
        }
      }
      const now = this.now();
      if (state === 'running' && row.status === 'available') {
        await this.k
          .updateTable('nat_gateways')
          .set({ health: 'healthy', health_checked_at: now })
          .where('id', '=', row.id)
          .execute();
        if (row.health !== 'healthy') this.publish(row.id);
        continue;
      }
      const why =
        state === 'missing'
          ? `container ${row.vmid ?? ''} is gone`.replace('  ', ' ')
          : state === 'stopped'
            ? `container ${row.vmid} is stopped`
            : 'the last re-create failed';
      const started = await this.k
        .transaction()
        .execute(async (trx) => {
          const op = await this.deps.engine.enqueue(trx, {
            action: 'nat-gateway.recreate',
            ownerId: row.owner_id,
            resourceType: 'nat_gateway',
            resourceId: row.id,
            params: {},
            steps: [
              { name: 'remove', title: 'Remove what is left of the container' },
              ...NAT_VM_STEPS(row.name, row.private_address ?? '', row.public_address ?? ''),
            ],
          });
          if (
            !(await this.deps.locks.lock(trx, 'nat_gateways', row.id, op.id, {
              health: 'unhealthy',
              health_checked_at: now,
              status_reason: `unhealthy: ${why}; re-creating`,
              updated_at: now,
            }))
          )
            throw new ConflictError('busy', undefined, 'nat_gateway_busy');
          return op;
        })
        .then(
          () => true,
          () => false,
        );
      if (started) {
        recreated.push(row.id);
        this.deps.logger?.warn({ natGatewayId: row.id, reason: why }, 'NAT VM unhealthy: re-creating it');
        this.publish(row.id);
      }
    }
    if (recreated.length) this.deps.engine.wake();
    return recreated;
  }

  publish(id: string, type: 'created' | 'updated' = 'updated'): void {
    void this.find(id)
      .then(async (row) => {
        if (!row) return;
        this.deps.bus.publish({
          type: `nat_gateway.${row.status === 'deleted' ? 'deleted' : type}`,
          resource: 'nat_gateway',
          resourceId: id,
          ownerId: row.owner_id,
          data: await this.view(row),
        });
      })
      // publishing is best effort (the database may be closing at shutdown)
      .catch(() => undefined);
  }
}
