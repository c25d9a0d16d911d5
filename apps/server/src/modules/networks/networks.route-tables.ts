/**
 * Route tables (issue 20): named tables of routes (destination CIDR → target), associated with
 * networks (one table per network; a network without an explicit association uses its owner's
 * default table, `main`, made on first use). Every change enqueues a `route-table.apply` operation
 * that brings the running guests of every affected network to the table's routes without a
 * restart (networks.route-push.ts), and records what each network's guests got so the next apply
 * removes routes that are no longer wanted.
 *
 * Targets today: `instance` (an instance NIC acting as a router: the next hop is that instance's
 * address on the guest's network). The network's own CIDR is the implicit `local` route.
 */
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { likeContains } from '../../platform/db/database.ts';
import { type Actor, type ListResult, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstanceRow, InstancesPort } from '../instances/index.ts';
import type { LockRegistry, OperationEngine, OperationHandler, OperationView } from '../operations/index.ts';
import { intToIpv4, ipv4ToInt, overlaps, parseCidr4 } from './networks.cidr.ts';
import type { NatGatewaysService } from './networks.nat-gateways.ts';
import { activePeeringsOf } from './networks.peerings.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';
import { type GuestRoute, type GuestRoutePusher, routeBatch } from './networks.route-push.ts';

export interface RouteTablesTable {
  id: string;
  owner_id: string;
  name: string;
  is_default: number;
  /** guests the last apply could not reach (null: all reached) */
  status_reason: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
}
export interface RouteTableRoutesTable {
  id: string;
  table_id: string;
  position: number;
  destination_cidr: string;
  target_type: RouteTargetType;
  target_id: string | null;
}
export interface RouteTableNetworksTable {
  network_id: string;
  table_id: string;
}
export interface NetworkRoutesAppliedTable {
  network_id: string;
  /** JSON string[]: destinations the network's guests got from the last apply */
  routes: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    route_tables: RouteTablesTable;
    route_table_routes: RouteTableRoutesTable;
    route_table_networks: RouteTableNetworksTable;
    network_routes_applied: NetworkRoutesAppliedTable;
  }
}

export type RouteTableRow = Selectable<RouteTablesTable>;
export type RouteRow = Selectable<RouteTableRoutesTable>;
export type RouteTargetType = 'instance' | 'natGateway';
export const ROUTE_TARGET_TYPES: RouteTargetType[] = ['instance', 'natGateway'];
export const MAX_ROUTES = 50;
export const DEFAULT_ROUTE_TABLE = 'main';

export interface RouteInput {
  destinationCidr: string;
  targetType: RouteTargetType;
  targetId: string;
}
export interface RouteTableInput {
  name: string;
  routes?: RouteInput[];
  networkIds?: string[];
}
export interface RouteTableUpdate {
  name?: string;
  routes?: RouteInput[];
  networkIds?: string[];
}

export interface RouteView {
  id: string;
  destinationCidr: string;
  targetType: RouteTargetType | 'local' | 'peering';
  targetId: string | null;
  /** the target's name (instance name, network name for `local`) */
  targetName: string | null;
}
export interface RouteTable {
  id: string;
  name: string;
  isDefault: boolean;
  routes: RouteView[];
  /** networks associated explicitly */
  networkIds: string[];
  /** networks that use this table (explicit ones, and for the default table every unassociated one) */
  effectiveNetworks: { id: string; name: string; cidr: string }[];
  /** the implicit route of each effective network: its own CIDR, delivered on the network */
  localRoutes: RouteView[];
  /** the peer ranges of each effective network's active peerings (managed by the peering) */
  peeringRoutes: RouteView[];
  statusReason: string | null;
  /** routes that cannot work as they are (a router NIC whose source/destination check is on) */
  warnings: string[];
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

class RouteTablesRepository {
  constructor(readonly db: Executor) {}
  with(trx: Kysely<Tables>) {
    return new RouteTablesRepository(trx);
  }
  list(actor: Actor, q: string | undefined, page: Page) {
    let query = scope(this.db.selectFrom('route_tables'), actor);
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    return pageOf<RouteTableRow>(query, page, [['is_default', 'desc'], ['name'], ['id']]);
  }
  findScoped(actor: Actor, id: string) {
    return scope(
      this.db.selectFrom('route_tables').selectAll().where('id', '=', id),
      actor,
    ).executeTakeFirst();
  }
  find(id: string) {
    return this.db.selectFrom('route_tables').selectAll().where('id', '=', id).executeTakeFirst();
  }
  ofOwner(ownerId: string) {
    return this.db.selectFrom('route_tables').selectAll().where('owner_id', '=', ownerId).execute();
  }
  routesOf(ids: readonly string[]): Promise<RouteRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('route_table_routes')
      .selectAll()
      .where('table_id', 'in', ids)
      .orderBy('table_id')
      .orderBy('position')
      .execute();
  }
  associations(ownerId: string) {
    return this.db
      .selectFrom('route_table_networks')
      .innerJoin('route_tables', 'route_tables.id', 'route_table_networks.table_id')
      .select(['route_table_networks.network_id', 'route_table_networks.table_id'])
      .where('route_tables.owner_id', '=', ownerId)
      .execute();
  }
  async applied(networkId: string): Promise<string[]> {
    const r = await this.db
      .selectFrom('network_routes_applied')
      .select('routes')
      .where('network_id', '=', networkId)
      .executeTakeFirst();
    return r ? (JSON.parse(r.routes) as string[]) : [];
  }
  async setApplied(networkId: string, routes: string[]) {
    await this.db.deleteFrom('network_routes_applied').where('network_id', '=', networkId).execute();
    if (routes.length)
      await this.db
        .insertInto('network_routes_applied')
        .values({ network_id: networkId, routes: JSON.stringify(routes) })
        .execute();
  }
}

export interface RouteTablesDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  engine: OperationEngine;
  locks: LockRegistry;
  networks: NetworksRepository;
  instances: InstancesPort;
  pusher: GuestRoutePusher;
  natGateways: NatGatewaysService;
  /** rewrites the network's firewall group (its egress rules follow the table: networks.egress.ts) */
  egress?: (net: NetworkRow) => Promise<void>;
  /** whether PVE's ipfilter is managed at all (PROXICLOUD_IPFILTER); off: no check to warn about */
  sourceDestCheckEnforced?: () => boolean;
}

const invalid = (message: string, details: Record<string, unknown>, code = 'invalid_route'): never => {
  throw new ValidationError(message, details, code);
};

export class RouteTablesService {
  readonly repo: RouteTablesRepository;
  constructor(private readonly deps: RouteTablesDeps) {
    this.repo = new RouteTablesRepository(deps.db.kysely);
  }

  register(engine: OperationEngine): void {
    engine.register(this.apply);
  }

  private now() {
    return iso(this.deps.clock.now());
  }

  /** The owner's default table (`main`), made on first use. */
  async ensureDefault(ownerId: string): Promise<RouteTableRow> {
    const existing = (await this.repo.ofOwner(ownerId)).find((t) => Number(t.is_default) === 1);
    if (existing) return existing;
    const now = this.now();
    const taken = (await this.repo.ofOwner(ownerId)).some((t) => t.name === DEFAULT_ROUTE_TABLE);
    const row: RouteTableRow = {
      id: newId('rtb'),
      owner_id: ownerId,
      name: taken ? `${DEFAULT_ROUTE_TABLE}-${newId('x').slice(-4)}` : DEFAULT_ROUTE_TABLE,
      is_default: 1,
      status_reason: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.db.kysely.insertInto('route_tables').values(row).execute();
    } catch (e) {
      // a concurrent first use made it
      const again = (await this.repo.ofOwner(ownerId)).find((t) => Number(t.is_default) === 1);
      if (again) return again;
      throw e;
    }
    return row;
  }

  /** Which table each live network of the owner uses. */
  private async effective(ownerId: string, db: Executor = this.deps.db.kysely) {
    const nets = await this.deps.networks.with(db as Kysely<Tables>).liveOf(ownerId);
    const assoc = new Map(
      (await this.repo.with(db as Kysely<Tables>).associations(ownerId)).map((a) => [
        a.network_id,
        a.table_id,
      ]),
    );
    const def = (await this.repo.with(db as Kysely<Tables>).ofOwner(ownerId)).find(
      (t) => Number(t.is_default) === 1,
    );
    return nets.map((n) => ({
      net: n,
      tableId: assoc.get(n.id) ?? def?.id ?? null,
      explicit: assoc.has(n.id),
    }));
  }

  private async view(row: RouteTableRow): Promise<RouteTable> {
    const routes = await this.repo.routesOf([row.id]);
    const eff = (await this.effective(row.owner_id)).filter((e) => e.tableId === row.id);
    const peeringRoutes: RouteView[] = [];
    for (const e of eff)
      for (const pr of await activePeeringsOf(this.deps.db.kysely, e.net.id))
        for (const range of pr.peerAllowed)
          peeringRoutes.push({
            id: `${pr.peering.id}-${e.net.id}-${range}`,
            destinationCidr: range,
            targetType: 'peering',
            targetId: pr.peering.id,
            targetName: pr.peering.name,
          });
    const names = new Map<string, string>();
    for (const r of routes)
      if (r.target_id && !names.has(r.target_id))
        names.set(
          r.target_id,
          (r.target_type === 'natGateway'
            ? (await this.deps.natGateways.find(r.target_id))?.name
            : (await this.deps.instances.find(r.target_id))?.name) ?? r.target_id,
        );
    // a router drops what it forwards while its NIC's source/destination check (ipfilter) is on
    const warnings: string[] = [];
    if (this.deps.sourceDestCheckEnforced?.() ?? true)
      for (const r of routes) {
        if (r.target_type !== 'instance' || !r.target_id) continue;
        const nics = await this.deps.networks.nicsOf([r.target_id]);
        for (const e of eff) {
          const nic = nics.find((n) => n.network_id === e.net.id);
          if (nic && Number(nic.source_dest_check ?? 1) !== 0)
            warnings.push(
              `${r.destination_cidr} → '${names.get(r.target_id)}': its NIC on '${e.net.name}' has the source/destination check on, so it drops what it forwards; turn it off (PATCH /api/v1/instances/${r.target_id}/nics/${e.net.id} {"sourceDestCheck": false}, or proxicloud networks set-nic ${names.get(r.target_id)} ${e.net.name} --no-source-dest-check)`,
            );
        }
      }
    return {
      id: row.id,
      name: row.name,
      isDefault: Number(row.is_default) === 1,
      routes: routes.map((r) => ({
        id: r.id,
        destinationCidr: r.destination_cidr,
        targetType: r.target_type,
        targetId: r.target_id,
        targetName: r.target_id ? (names.get(r.target_id) ?? null) : null,
      })),
      networkIds: eff.filter((e) => e.explicit).map((e) => e.net.id),
      effectiveNetworks: eff.map((e) => ({ id: e.net.id, name: e.net.name, cidr: e.net.cidr })),
      localRoutes: eff.map((e) => ({
        id: `local-${e.net.id}`,
        destinationCidr: e.net.cidr,
        targetType: 'local' as const,
        targetId: e.net.id,
        targetName: e.net.name,
      })),
      peeringRoutes,
      statusReason: row.status_reason,
      warnings,
      activeOperationId: row.active_operation_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<RouteTable>> {
    authorize(actor, 'networks', 'read');
    await this.ensureDefault(actor.id);
    const { rows, total } = await this.repo.list(actor, q, page);
    const items: RouteTable[] = [];
    for (const r of rows) items.push(await this.view(r));
    return { items, total, ...page };
  }

  private async scoped(actor: Actor, id: string): Promise<RouteTableRow> {
    const row = await this.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Route table', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<RouteTable> {
    authorize(actor, 'networks', 'read');
    return this.view(await this.scoped(actor, id));
  }

  /** The next hop of `router` on `net`: its NIC address there (undefined: no NIC on the network). */
  private async nextHop(routerId: string, net: NetworkRow): Promise<string | undefined> {
    return (await this.deps.networks.nicsOf([routerId])).find((n) => n.network_id === net.id)?.ip;
  }

  /**
   * Checks routes against the networks that would use the table: CIDR syntax, no overlap with the
   * networks themselves, unique destinations, targets that exist, are the owner's and can be
   * reached from each network (a router instance needs a NIC there).
   */
  private async checkRoutes(ownerId: string, routes: RouteInput[], nets: NetworkRow[]): Promise<void> {
    if (routes.length > MAX_ROUTES)
      invalid(`A route table holds at most ${MAX_ROUTES} routes`, { field: 'routes' }, 'validation_error');
    const seen = new Map<string, number>();
    for (const [i, r] of routes.entries()) {
      const field = `routes[${i}].destinationCidr`;
      const p = parseCidr4(r.destinationCidr);
      if (p.problem === 'host_bits') {
        const [a, b] = r.destinationCidr.split('/');
        const n = ipv4ToInt(a!)!;
        const size = 2 ** (32 - Number(b));
        invalid(
          `${r.destinationCidr} has host bits set: the network address is ${intToIpv4(n - (n % size))}/${b}`,
          { field },
        );
      }
      if (!p.cidr) return invalid(`'${r.destinationCidr}' is not an IPv4 CIDR like 10.20.0.0/16`, { field });
      if (seen.has(r.destinationCidr))
        invalid(`Two routes for ${r.destinationCidr} (routes ${seen.get(r.destinationCidr)} and ${i})`, {
          field,
        });
      seen.set(r.destinationCidr, i);
      for (const n of nets) {
        const nc = parseCidr4(n.cidr).cidr!;
        if (p.cidr.bits > 0 && overlaps(p.cidr, nc))
          invalid(
            `${r.destinationCidr} overlaps network '${n.name}' (${n.cidr}) that uses this table: its own addresses are the implicit local route`,
            { field, networkId: n.id },
            'route_overlaps_network',
          );
      }
      if (r.targetType === 'instance') {
        const inst = await this.deps.instances.find(r.targetId);
        if (!inst || inst.owner_id !== ownerId || inst.status === 'terminated')
          throw new NotFoundError('Instance', r.targetId);
        for (const n of nets)
          if (!(await this.nextHop(inst.id, n)))
            invalid(
              `Instance '${inst.name}' has no NIC on network '${n.name}', so it cannot be the next hop there; attach it first`,
              { field: `routes[${i}].targetId`, networkId: n.id },
              'route_target_unreachable',
            );
      } else if (r.targetType === 'natGateway') {
        const gw = await this.deps.natGateways.owned(ownerId, r.targetId);
        for (const n of nets)
          if (gw.network_id !== n.id)
            invalid(
              gw.kind === 'natVm'
                ? `NAT gateway '${gw.name}' has its private NIC on its own network only, so it cannot be the next hop on '${n.name}'`
                : `NAT gateway '${gw.name}' is the SNAT of its own network's subnet on Proxmox, so it serves only that network, not '${n.name}'`,
              { field: `routes[${i}].targetId`, networkId: n.id },
              'route_target_unreachable',
            );
      } else
        invalid(`targetType must be one of ${ROUTE_TARGET_TYPES.join(', ')}`, {
          field: `routes[${i}].targetType`,
        });
    }
  }

  private async ownedNetworks(ownerId: string, ids: readonly string[]): Promise<NetworkRow[]> {
    const live = await this.deps.networks.liveOf(ownerId);
    return [...new Set(ids)].map((id) => {
      const n = live.find((x) => x.id === id);
      if (!n) throw new NotFoundError('Network', id);
      return n;
    });
  }

  private routeRows(tableId: string, routes: RouteInput[]): RouteRow[] {
    return routes.map((r, position) => ({
      id: newId('rt'),
      table_id: tableId,
      position,
      destination_cidr: r.destinationCidr,
      target_type: r.targetType,
      target_id: r.targetId,
    }));
  }

  private async enqueueApply(
    trx: Kysely<Tables>,
    ctx: AuthenticatedContext,
    row: RouteTableRow,
    networkIds: string[],
  ): Promise<void> {
    const op = await this.deps.engine.enqueue(trx, {
      action: 'route-table.apply',
      ownerId: row.owner_id,
      resourceType: 'route_table',
      resourceId: row.id,
      params: { networkIds },
      steps: [
        { name: 'egress', title: "Update the networks' egress rules (outside only via a default route)" },
        { name: 'guests', title: 'Update the routes of the running guests on the networks' },
      ],
      requestId: ctx.requestId,
    });
    if (!(await this.deps.locks.lock(trx, 'route_tables', row.id, op.id)))
      throw new ConflictError(
        `Route table '${row.name}' is still applying a change; try again when its operation ends`,
        { activeOperationId: row.active_operation_id },
        'route_table_busy',
      );
  }

  async create(ctx: AuthenticatedContext, input: RouteTableInput): Promise<RouteTable> {
    authorize(ctx.actor, 'networks', 'update');
    const ownerId = ctx.actor.id;
    // the default table exists before the first explicit one (networks not listed stay on it)
    await this.ensureDefault(ownerId);
    const nets = await this.ownedNetworks(ownerId, input.networkIds ?? []);
    const routes = input.routes ?? [];
    await this.checkRoutes(ownerId, routes, nets);
    const now = this.now();
    const row: RouteTableRow = {
      id: newId('rtb'),
      owner_id: ownerId,
      name: input.name,
      is_default: 0,
      status_reason: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      if ((await this.repo.with(trx).ofOwner(ownerId)).some((t) => t.name === input.name))
        throw new ConflictError(
          `You already have a route table named '${input.name}'`,
          { field: 'name' },
          'name_taken',
        );
      await trx.insertInto('route_tables').values(row).execute();
      const rr = this.routeRows(row.id, routes);
      if (rr.length) await trx.insertInto('route_table_routes').values(rr).execute();
      await this.associate(
        trx,
        row.id,
        nets.map((n) => n.id),
      );
      if (nets.length)
        await this.enqueueApply(
          trx,
          ctx,
          row,
          nets.map((n) => n.id),
        );
    });
    this.deps.engine.wake();
    this.publish(row.id, 'created');
    return this.get(ctx.actor, row.id);
  }

  private async associate(trx: Kysely<Tables>, tableId: string, networkIds: string[]) {
    if (!networkIds.length) return;
    await trx.deleteFrom('route_table_networks').where('network_id', 'in', networkIds).execute();
    await trx
      .insertInto('route_table_networks')
      .values(networkIds.map((network_id) => ({ network_id, table_id: tableId })))
      .execute();
  }

  async update(ctx: AuthenticatedContext, id: string, input: RouteTableUpdate): Promise<RouteTable> {
    authorize(ctx.actor, 'networks', 'update');
    const row = await this.scoped(ctx.actor, id);
    const eff = await this.effective(row.owner_id);
    const before = eff.filter((e) => e.tableId === id);
    let after = before.map((e) => e.net);
    let explicitBefore = before.filter((e) => e.explicit).map((e) => e.net.id);
    if (input.networkIds !== undefined) {
      const wanted = await this.ownedNetworks(row.owner_id, input.networkIds);
      if (Number(row.is_default) === 1) {
        // the default table keeps every unassociated network; explicit ones join it too
        after = [...new Map([...after, ...wanted].map((n) => [n.id, n])).values()];
      } else after = wanted;
    }
    const routes =
      input.routes ??
      (await this.repo.routesOf([id])).map((r) => ({
        destinationCidr: r.destination_cidr,
        targetType: r.target_type,
        targetId: r.target_id!,
      }));
    await this.checkRoutes(row.owner_id, routes, after);
    const affected = [...new Set([...before.map((e) => e.net.id), ...after.map((n) => n.id)])];
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      if (
        input.name !== undefined &&
        input.name !== row.name &&
        (await this.repo.with(trx).ofOwner(row.owner_id)).some((t) => t.name === input.name)
      )
        throw new ConflictError(
          `You already have a route table named '${input.name}'`,
          { field: 'name' },
          'name_taken',
        );
      await trx
        .updateTable('route_tables')
        .set({ ...(input.name !== undefined ? { name: input.name } : {}), updated_at: this.now() })
        .where('id', '=', id)
        .execute();
      if (input.routes !== undefined) {
        await trx.deleteFrom('route_table_routes').where('table_id', '=', id).execute();
        const rr = this.routeRows(id, routes);
        if (rr.length) await trx.insertInto('route_table_routes').values(rr).execute();
      }
      if (input.networkIds !== undefined) {
        // networks dropped from this table go back to the default table
        const dropped = explicitBefore.filter((n) => !input.networkIds!.includes(n));
        if (dropped.length)
          await trx
            .deleteFrom('route_table_networks')
            .where('table_id', '=', id)
            .where('network_id', 'in', dropped)
            .execute();
        await this.associate(trx, id, input.networkIds);
        explicitBefore = input.networkIds;
      }
      if ((input.routes !== undefined || input.networkIds !== undefined) && affected.length)
        await this.enqueueApply(trx, ctx, row, affected);
    });
    this.deps.engine.wake();
    this.publish(id);
    return this.get(ctx.actor, id);
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<OperationView | null> {
    authorize(ctx.actor, 'networks', 'update');
    const row = await this.scoped(ctx.actor, id);
    if (Number(row.is_default) === 1)
      throw new ConflictError(
        `'${row.name}' is your default route table (networks without a table of their own use it); it cannot be deleted`,
        undefined,
        'default_route_table',
      );
    if (row.active_operation_id)
      throw new ConflictError(
        `Route table '${row.name}' is still applying a change`,
        undefined,
        'route_table_busy',
      );
    const nets = (await this.effective(row.owner_id)).filter((e) => e.tableId === id).map((e) => e.net.id);
    const def = await this.ensureDefault(row.owner_id);
    let op: OperationView | null = null;
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('route_table_networks').where('table_id', '=', id).execute();
      await trx.deleteFrom('route_table_routes').where('table_id', '=', id).execute();
      await trx.deleteFrom('route_tables').where('id', '=', id).execute();
      // its networks fall back to the default table: their guests get the default table's routes
      if (nets.length) {
        op = await this.deps.engine.enqueue(trx, {
          action: 'route-table.apply',
          ownerId: row.owner_id,
          resourceType: 'route_table',
          resourceId: def.id,
          params: { networkIds: nets },
          steps: [
            { name: 'egress', title: "Update the networks' egress rules (outside only via a default route)" },
            { name: 'guests', title: 'Update the routes of the running guests on the networks' },
          ],
          requestId: ctx.requestId,
        });
      }
    });
    this.deps.engine.wake();
    this.deps.bus.publish({
      type: 'route_table.deleted',
      resource: 'route_table',
      resourceId: id,
      ownerId: row.owner_id,
      data: { id, name: row.name },
    });
    return op;
  }

  /** Routes the guests of `net` should have (destination → next hop), from the table it uses. */
  async wanted(
    net: NetworkRow,
  ): Promise<{ routes: GuestRoute[]; routerIds: Set<string>; problems: string[] }> {
    const eff = (await this.effective(net.owner_id)).find((e) => e.net.id === net.id);
    const rows = eff?.tableId ? await this.repo.routesOf([eff.tableId]) : [];
    const routes: GuestRoute[] = [];
    const routerIds = new Set<string>();
    const problems: string[] = [];
    for (const r of rows) {
      // a route to an SDN SNAT gateway needs nothing in the guests: their gateway is the node,
      // which masquerades the subnet (the subnet's `snat` on PVE); a NAT VM is the next hop by its
      // private address
      if (r.target_type === 'natGateway' && r.target_id) {
        const gw = await this.deps.natGateways.find(r.target_id);
        if (gw?.kind === 'natVm' && gw.status !== 'deleted' && gw.private_address)
          routes.push({ destinationCidr: r.destination_cidr, via: gw.private_address });
        continue;
      }
      if (r.target_type !== 'instance' || !r.target_id) continue;
      const via = await this.nextHop(r.target_id, net);
      if (!via) {
        problems.push(`${r.destination_cidr}: router ${r.target_id} has no NIC on '${net.name}'`);
        continue;
      }
      routerIds.add(r.target_id);
      routes.push({ destinationCidr: r.destination_cidr, via });
    }
    return { routes, routerIds, problems };
  }

  /** Brings every running guest on `net` to the wanted routes; answers the guests it could not reach. */
  async applyNetwork(
    net: NetworkRow,
    signal?: AbortSignal,
    detail?: (m: string) => Promise<void>,
  ): Promise<string[]> {
    const { routes, routerIds, problems } = await this.wanted(net);
    const previous = await this.repo.applied(net.id);
    const remove = previous.filter((d) => !routes.some((r) => r.destinationCidr === d));
    const failed: string[] = [...problems];
    const nics = await this.deps.networks.nicsOnNetwork(net.id);
    for (const nic of nics) {
      const inst: InstanceRow | undefined = await this.deps.instances.find(nic.instance_id);
      if (inst?.status !== 'running' || !inst.node || !inst.vmid) continue;
      // a router does not route through itself
      const mine = routes.filter((r) => !(routerIds.has(inst.id) && r.via === nic.ip));
      const batch = routeBatch(mine, remove);
      try {
        await this.deps.pusher.push(inst, batch, signal);
        this.pushed.delete(`${inst.id}/${net.id}`);
        await detail?.(`${inst.name}: ${mine.length} route(s) on '${net.name}'`);
      } catch (e) {
        failed.push(`${inst.name}: ${(e as Error).message}`);
      }
    }
    await this.repo.setApplied(
      net.id,
      failed.length
        ? [...new Set([...routes.map((r) => r.destinationCidr), ...remove])]
        : routes.map((r) => r.destinationCidr),
    );
    return failed;
  }

  /** (instance, network) → batch + boot it was last pushed with (reconcile skips what is current). */
  private readonly pushed = new Map<string, string>();

  /**
   * Guests that started after the last change (new launches, restarts: a guest's routes live in
   * its kernel only) or that a change could not reach get their routes here. Runs on the leader
   * every `PROXICLOUD_ROUTE_RECONCILE_MS` (default 30 s); `boots` maps vmid → a boot identity.
   */
  async reconcile(
    boots: Map<number, string>,
    signal?: AbortSignal,
  ): Promise<{ pushed: number; failed: string[] }> {
    let pushed = 0;
    const failed: string[] = [];
    for (const net of await this.deps.networks.allLive()) {
      signal?.throwIfAborted();
      const { routes, routerIds } = await this.wanted(net);
      const previous = await this.repo.applied(net.id);
      const remove = previous.filter((d) => !routes.some((r) => r.destinationCidr === d));
      if (!routes.length && !remove.length) continue;
      for (const nic of await this.deps.networks.nicsOnNetwork(net.id)) {
        const inst = await this.deps.instances.find(nic.instance_id);
        if (inst?.status !== 'running' || !inst.node || !inst.vmid) continue;
        const mine = routes.filter((r) => !(routerIds.has(inst.id) && r.via === nic.ip));
        const batch = routeBatch(mine, remove);
        const key = `${inst.id}/${net.id}`;
        const stamp = `${boots.get(Number(inst.vmid)) ?? '?'}\n${batch}`;
        if (this.pushed.get(key) === stamp) continue;
        try {
          await this.deps.pusher.push(inst, batch, signal);
          this.pushed.set(key, stamp);
          pushed++;
        } catch (e) {
          failed.push(`${inst.name}: ${(e as Error).message}`);
        }
      }
    }
    return { pushed, failed };
  }

  private readonly apply: OperationHandler = {
    action: 'route-table.apply',
    run: async (ctx) => {
      const { networkIds } = ctx.params as { networkIds: string[] };
      const failed: string[] = [];
      // egress first: one cluster group per network, effective for the next packet of every guest
      await ctx.step('egress', async () => {
        for (const id of networkIds) {
          const net = await this.deps.networks.find(id);
          if (net && net.status !== 'deleted') await this.deps.egress?.(net);
        }
      });
      await ctx.step('guests', async () => {
        for (const id of networkIds) {
          const net = await this.deps.networks.find(id);
          if (!net || net.status === 'deleted') continue;
          failed.push(...(await this.applyNetwork(net, ctx.signal, ctx.detail)));
        }
      });
      await this.deps.db.kysely
        .updateTable('route_tables')
        .set({
          status_reason: failed.length ? `Not every guest got the routes: ${failed.join('; ')}` : null,
          updated_at: this.now(),
        })
        .where('id', '=', ctx.resourceId)
        .execute();
    },
    onFailure: async (ctx, error) => {
      await this.deps.db.kysely
        .updateTable('route_tables')
        .set({ status_reason: error.message, updated_at: this.now() })
        .where('id', '=', ctx.resourceId)
        .execute();
    },
    onFinish: async (ctx) => {
      await this.deps.locks.unlock(this.deps.db.kysely, 'route_tables', ctx.resourceId, ctx.id);
      this.publish(ctx.resourceId);
    },
  };

  publish(id: string, type: 'created' | 'updated' = 'updated'): void {
    void this.repo
      .find(id)
      .then(async (row) => {
        if (!row) return;
        this.deps.bus.publish({
          type: `route_table.${type}`,
          resource: 'route_table',
          resourceId: id,
          ownerId: row.owner_id,
          data: await this.view(row),
        });
      })
      // publishing is best effort (the database may be closing at shutdown)
      .catch(() => undefined);
  }
}
