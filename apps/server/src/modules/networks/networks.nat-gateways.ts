/**
 * NAT gateways (issue 20). Kind `sdnSnat`: the network's subnet gets PVE's `snat` option (the node
 * masquerades the subnet's traffic leaving through its uplink) — no VM, cheapest. It needs a zone
 * whose nodes hold the subnet gateway (simple or EVPN); in a VXLAN zone the network has no routed
 * public side and the gateway is refused. Create and delete are operations that edit the subnet
 * under PVE's SDN lock and apply it (networks.pve.ts `applyWith`: a failure rolls the edit back).
 * Route tables may target a gateway from the network it serves; deleting a gateway that routes
 * still target answers 409 naming them.
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
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { LockRegistry, OperationEngine, OperationHandler, OperationView } from '../operations/index.ts';
import type { NetworkOperations } from './networks.operations.ts';
import type { PveNetworking } from './networks.pve.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';

export type NatGatewayKind = 'sdnSnat';
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
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NatGatewayInput {
  name: string;
  networkId: string;
  kind?: NatGatewayKind;
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

export class NatGatewaysService {
  constructor(private readonly deps: NatGatewaysDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.create);
    engine.register(this.remove);
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
    const why = await this.publicSide(net);
    if (why) throw new ConflictError(why, { networkId: net.id, zone: net.zone }, 'no_public_side');
    const now = this.now();
    const row: NatGatewayRow = {
      id: newId('nat'),
      owner_id: ownerId,
      name: input.name,
      kind: input.kind ?? 'sdnSnat',
      network_id: net.id,
      snat_before: Number(net.snat),
      status: 'creating',
      status_reason: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
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
      await trx.insertInto('nat_gateways').values(row).execute();
      const op = await this.deps.engine.enqueue(trx, {
        action: 'nat-gateway.create',
        ownerId,
        resourceType: 'nat_gateway',
        resourceId: row.id,
        params: {},
        steps: [{ name: 'sdn', title: `Turn on SNAT on the subnet of '${net.name}'; apply SDN` }],
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
        steps: [{ name: 'sdn', title: 'Restore the subnet’s SNAT setting; apply SDN' }],
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
      await ctx.step('sdn', () => this.setSnat(row, true, ctx.signal, ctx.detail));
      await this.k
        .updateTable('nat_gateways')
        .set({ status: 'available', status_reason: null, updated_at: this.now() })
        .where('id', '=', row.id)
        .execute();
    },
    onFailure: async (ctx, error) => {
      // the SDN edit was rolled back by applyWith: nothing of the gateway is on Proxmox
      await this.k
        .updateTable('nat_gateways')
        .set({
          status: 'deleted',
          status_reason: `create failed: ${error.message}`,
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
