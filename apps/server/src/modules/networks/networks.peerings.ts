/**
 * Peerings (issue 20): two networks (one owner, or two owners with the accepter's consent) that may
 * reach each other within the allowed ranges of each side. Effects, applied by `peering.apply`
 * operations: each side's same-network firewall group (`pcn-<vnet>`) gets
 * `IN ACCEPT -source <peer CIDR> -dest <allowed range>` rules (so exactly the peered ranges get in),
 * and both networks' route tables show the peer's ranges as routes to the peering (in a simple or
 * EVPN zone the node routes between VNets, so the guests' routes stay as they are). Deleting tears
 * the rules down; overlapping CIDRs, a network with itself, and networks in a zone without routing
 * between VNets (VXLAN) are refused.
 */
import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import type { Kysely, Selectable } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { LockRegistry, OperationEngine, OperationHandler, OperationView } from '../operations/index.ts';
import { contains, overlaps, parseCidr4 } from './networks.cidr.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';
import type { FirewallSync } from './networks.sync.ts';

export type PeeringStatus =
  | 'pendingAcceptance'
  | 'provisioning'
  | 'active'
  | 'rejected'
  | 'deleting'
  | 'deleted';

export interface PeeringsTable {
  id: string;
  name: string;
  requester_owner_id: string;
  requester_network_id: string;
  /** JSON string[]: ranges of the requester's network the accepter may reach */
  requester_cidrs: string;
  accepter_owner_id: string;
  accepter_network_id: string;
  /** JSON string[] (null until accepted) */
  accepter_cidrs: string | null;
  status: PeeringStatus;
  status_reason: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    peerings: PeeringsTable;
  }
}

export type PeeringRow = Selectable<PeeringsTable>;

export interface PeeringSide {
  ownerId: string;
  networkId: string;
  /** the network's name (only for your own side) */
  networkName: string | null;
  cidr: string | null;
  allowedCidrs: string[] | null;
}
export interface Peering {
  id: string;
  name: string;
  status: PeeringStatus;
  statusReason: string | null;
  /** `requester` or `accepter`: which side you are */
  yourSide: 'requester' | 'accepter';
  requester: PeeringSide;
  accepter: PeeringSide;
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PeeringInput {
  name: string;
  networkId: string;
  peerNetworkId: string;
  allowedCidrs?: string[];
  /** both networks yours: the ranges of the peer network your network may reach (default: all of it) */
  peerAllowedCidrs?: string[];
}

export interface PeeringsDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  engine: OperationEngine;
  locks: LockRegistry;
  networks: NetworksRepository;
  sync: FirewallSync;
  client: () => ProxmoxClient;
}

const LIVE: PeeringStatus[] = ['pendingAcceptance', 'provisioning', 'active', 'deleting'];

/** The peer ranges each network accepts from and its own allowed ranges, for active peerings. */
export async function activePeeringsOf(
  db: Kysely<Tables>,
  networkId: string,
): Promise<{ peering: PeeringRow; peerNetworkId: string; ownAllowed: string[]; peerAllowed: string[] }[]> {
  const rows = await db
    .selectFrom('peerings')
    .selectAll()
    .where((eb) =>
      eb.or([eb('requester_network_id', '=', networkId), eb('accepter_network_id', '=', networkId)]),
    )
    .where('status', 'in', ['active', 'provisioning'])
    .execute();
  return rows.map((p) => {
    const req = JSON.parse(p.requester_cidrs) as string[];
    const acc = JSON.parse(p.accepter_cidrs ?? '[]') as string[];
    const mineIsRequester = p.requester_network_id === networkId;
    return {
      peering: p,
      peerNetworkId: mineIsRequester ? p.accepter_network_id : p.requester_network_id,
      ownAllowed: mineIsRequester ? req : acc,
      peerAllowed: mineIsRequester ? acc : req,
    };
  });
}

export class PeeringsService {
  constructor(private readonly deps: PeeringsDeps) {}

  register(engine: OperationEngine): void {
    engine.register(this.apply);
  }

  private now() {
    return iso(this.deps.clock.now());
  }
  private get k() {
    return this.deps.db.kysely;
  }

  find(id: string): Promise<PeeringRow | undefined> {
    return this.k.selectFrom('peerings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private visible(actor: Actor, p: PeeringRow | undefined): p is PeeringRow {
    return (
      !!p &&
      p.status !== 'deleted' &&
      (isAdmin(actor) || p.requester_owner_id === actor.id || p.accepter_owner_id === actor.id)
    );
  }

  private async view(actor: Actor, p: PeeringRow): Promise<Peering> {
    const side = async (ownerId: string, networkId: string, cidrs: string | null): Promise<PeeringSide> => {
      const n = await this.deps.networks.find(networkId);
      const mine = isAdmin(actor) || ownerId === actor.id;
      return {
        ownerId,
        networkId,
        networkName: mine ? (n?.name ?? null) : null,
        cidr: n?.cidr ?? null,
        allowedCidrs: cidrs === null ? null : (JSON.parse(cidrs) as string[]),
      };
    };
    return {
      id: p.id,
      name: p.name,
      status: p.status,
      statusReason: p.status_reason,
      yourSide: p.requester_owner_id === actor.id ? 'requester' : 'accepter',
      requester: await side(p.requester_owner_id, p.requester_network_id, p.requester_cidrs),
      accepter: await side(p.accepter_owner_id, p.accepter_network_id, p.accepter_cidrs),
      activeOperationId: p.active_operation_id,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    };
  }

  async list(actor: Actor, _q: string | undefined, page: Page): Promise<ListResult<Peering>> {
    authorize(actor, 'networks', 'read');
    let query = this.k.selectFrom('peerings').selectAll().where('status', '<>', 'deleted');
    if (!isAdmin(actor))
      query = query.where((eb) =>
        eb.or([eb('requester_owner_id', '=', actor.id), eb('accepter_owner_id', '=', actor.id)]),
      );
    const all = await query.orderBy('created_at').orderBy('id').execute();
    const rows = all.slice(page.offset, page.offset + page.limit);
    const items: Peering[] = [];
    for (const r of rows) items.push(await this.view(actor, r));
    return { items, total: all.length, ...page };
  }

  async get(actor: Actor, id: string): Promise<Peering> {
    authorize(actor, 'networks', 'read');
    const p = await this.find(id);
    if (!this.visible(actor, p)) throw new NotFoundError('Peering', id);
    return this.view(actor, p);
  }

  /** Allowed ranges of one side: inside its network (400 otherwise); default the whole CIDR. */
  private allowed(net: NetworkRow, cidrs: string[] | undefined, field: string): string[] {
    if (!cidrs?.length) return [net.cidr];
    const nc = parseCidr4(net.cidr).cidr!;
    for (const [i, c] of cidrs.entries()) {
      const p = parseCidr4(c);
      if (!p.cidr)
        throw new ValidationError(
          `'${c}' is not an IPv4 CIDR without host bits`,
          { field: `${field}[${i}]` },
          'invalid_peering',
        );
      if (!contains(nc, p.cidr.net) || p.cidr.bits < nc.bits)
        throw new ValidationError(
          `${c} is not inside network '${net.name}' (${net.cidr}): a side can only open its own addresses`,
          { field: `${field}[${i}]` },
          'invalid_peering',
        );
    }
    return [...new Set(cidrs)];
  }

  /** Both networks must be in one zone that routes between its VNets (simple or EVPN). */
  private async routable(a: NetworkRow, b: NetworkRow): Promise<void> {
    if (a.zone !== b.zone)
      throw new ConflictError(
        `Networks in different SDN zones (${a.zone}, ${b.zone}) are not routed to each other`,
        undefined,
        'peering_unroutable',
      );
    const zone = (await this.deps.client().api.getClusterSdnZonesByZone({ zone: a.zone })) as {
      type?: string;
    };
    if (zone.type !== 'simple' && zone.type !== 'evpn')
      throw new ConflictError(
        `Zone '${a.zone}' is ${zone.type ?? 'unknown'}: it bridges each network separately and routes none between them; peering needs a simple or EVPN zone`,
        { zone: a.zone },
        'peering_unroutable',
      );
  }

  async create(ctx: AuthenticatedContext, input: PeeringInput): Promise<Peering> {
    authorize(ctx.actor, 'networks', 'update');
    const mine = (await this.deps.networks.liveOf(ctx.actor.id)).find((n) => n.id === input.networkId);
    if (!mine) throw new NotFoundError('Network', input.networkId);
    if (input.peerNetworkId === input.networkId)
      throw new ValidationError(
        'A network cannot peer with itself',
        { field: 'peerNetworkId' },
        'peering_self',
      );
    const peer = await this.deps.networks.find(input.peerNetworkId);
    if (!peer || peer.status === 'deleted') throw new NotFoundError('Network', input.peerNetworkId);
    if (overlaps(parseCidr4(mine.cidr).cidr!, parseCidr4(peer.cidr).cidr!))
      throw new ConflictError(
        `${mine.cidr} and ${peer.cidr} overlap: peered networks need disjoint address blocks`,
        { cidr: mine.cidr, peerCidr: peer.cidr },
        'peering_overlap',
      );
    const requesterCidrs = this.allowed(mine, input.allowedCidrs, 'allowedCidrs');
    await this.routable(mine, peer);
    const same = peer.owner_id === ctx.actor.id;
    if (!same && input.peerAllowedCidrs?.length)
      throw new ValidationError(
        "peerAllowedCidrs is for a peering between two of your networks: the other network's owner chooses their ranges when accepting",
        { field: 'peerAllowedCidrs' },
        'invalid_peering',
      );
    const accepterCidrs = same ? this.allowed(peer, input.peerAllowedCidrs, 'peerAllowedCidrs') : null;
    const now = this.now();
    const row: PeeringRow = {
      id: newId('pcx'),
      name: input.name,
      requester_owner_id: ctx.actor.id,
      requester_network_id: mine.id,
      requester_cidrs: JSON.stringify(requesterCidrs),
      accepter_owner_id: peer.owner_id,
      accepter_network_id: peer.id,
      // one owner: accepted at once, the peer side as asked (default: open in full)
      accepter_cidrs: accepterCidrs ? JSON.stringify(accepterCidrs) : null,
      status: same ? 'provisioning' : 'pendingAcceptance',
      status_reason: null,
      active_operation_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.k.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('peerings')
        .selectAll()
        .where('status', 'in', LIVE)
        .where((eb) =>
          eb.or([
            eb.and([eb('requester_network_id', '=', mine.id), eb('accepter_network_id', '=', peer.id)]),
            eb.and([eb('requester_network_id', '=', peer.id), eb('accepter_network_id', '=', mine.id)]),
          ]),
        )
        .execute();
      if (live.length)
        throw new ConflictError(
          `These networks already have peering '${live[0]!.name}' (${live[0]!.status})`,
          { peeringId: live[0]!.id },
          'peering_exists',
        );
      await trx.insertInto('peerings').values(row).execute();
      if (same) await this.enqueue(trx, ctx, row, 'connect');
    });
    this.deps.engine.wake();
    this.publish(row.id);
    return this.get(ctx.actor, row.id);
  }

  private async enqueue(
    trx: Kysely<Tables>,
    ctx: AuthenticatedContext,
    row: PeeringRow,
    mode: 'connect' | 'disconnect',
  ): Promise<OperationView> {
    const op = await this.deps.engine.enqueue(trx, {
      action: 'peering.apply',
      ownerId: ctx.actor.id,
      resourceType: 'peering',
      resourceId: row.id,
      params: { mode },
      steps: [
        {
          name: 'firewall',
          title:
            mode === 'connect'
              ? 'Allow the peered ranges in both networks’ firewall groups'
              : 'Remove the peering’s firewall rules from both networks',
        },
      ],
      requestId: ctx.requestId,
    });
    if (!(await this.deps.locks.lock(trx, 'peerings', row.id, op.id)))
      throw new ConflictError(`Peering '${row.name}' is busy`, undefined, 'peering_busy');
    return op;
  }

  private async pending(ctx: AuthenticatedContext, id: string): Promise<PeeringRow> {
    authorize(ctx.actor, 'networks', 'update');
    const p = await this.find(id);
    if (!this.visible(ctx.actor, p)) throw new NotFoundError('Peering', id);
    if (p.accepter_owner_id !== ctx.actor.id && !isAdmin(ctx.actor))
      throw new ConflictError(
        'Only the owner of the peer network can accept or reject this peering',
        undefined,
        'not_accepter',
      );
    if (p.status !== 'pendingAcceptance')
      throw new ConflictError(`Peering '${p.name}' is ${p.status}, not pending`, undefined, 'invalid_state');
    return p;
  }

  async accept(ctx: AuthenticatedContext, id: string, allowedCidrs?: string[]): Promise<Peering> {
    const p = await this.pending(ctx, id);
    const net = await this.deps.networks.find(p.accepter_network_id);
    if (!net || net.status === 'deleted') throw new NotFoundError('Network', p.accepter_network_id);
    const cidrs = this.allowed(net, allowedCidrs, 'allowedCidrs');
    await this.k.transaction().execute(async (trx) => {
      await trx
        .updateTable('peerings')
        .set({ accepter_cidrs: JSON.stringify(cidrs), status: 'provisioning', updated_at: this.now() })
        .where('id', '=', id)
        .where('status', '=', 'pendingAcceptance')
        .execute();
      await this.enqueue(trx, ctx, { ...p, accepter_cidrs: JSON.stringify(cidrs) }, 'connect');
    });
    this.deps.engine.wake();
    this.publish(id);
    return this.get(ctx.actor, id);
  }

  async reject(ctx: AuthenticatedContext, id: string): Promise<Peering> {
    await this.pending(ctx, id);
    await this.k
      .updateTable('peerings')
      .set({ status: 'rejected', updated_at: this.now() })
      .where('id', '=', id)
      .execute();
    this.publish(id);
    return this.get(ctx.actor, id);
  }

  /** Either side may delete; an active peering's rules are torn down by an operation. */
  async delete(ctx: AuthenticatedContext, id: string): Promise<OperationView | null> {
    authorize(ctx.actor, 'networks', 'update');
    const p = await this.find(id);
    if (!this.visible(ctx.actor, p)) throw new NotFoundError('Peering', id);
    if (p.status === 'pendingAcceptance' || p.status === 'rejected') {
      await this.k
        .updateTable('peerings')
        .set({ status: 'deleted', deleted_at: this.now(), updated_at: this.now() })
        .where('id', '=', id)
        .execute();
      this.publish(id);
      return null;
    }
    const op = await this.k.transaction().execute(async (trx) => {
      const op = await this.enqueue(trx, ctx, p, 'disconnect');
      await trx
        .updateTable('peerings')
        .set({ status: 'deleting', updated_at: this.now() })
        .where('id', '=', id)
        .execute();
      return op;
    });
    this.deps.engine.wake();
    this.publish(id);
    return op;
  }

  private async syncBoth(p: PeeringRow): Promise<void> {
    for (const id of [p.requester_network_id, p.accepter_network_id]) {
      const n = await this.deps.networks.find(id);
      if (n && n.status !== 'deleted') await this.deps.sync.syncNetworkGroup(n);
    }
  }

  private readonly apply: OperationHandler<{ mode: 'connect' | 'disconnect' }> = {
    action: 'peering.apply',
    run: async (ctx) => {
      const p = (await this.find(ctx.resourceId))!;
      if (ctx.params.mode === 'connect') {
        // the rules are computed from the peerings that are provisioning or active
        await ctx.step('firewall', () => this.syncBoth(p));
        await this.k
          .updateTable('peerings')
          .set({ status: 'active', status_reason: null, updated_at: this.now() })
          .where('id', '=', p.id)
          .execute();
      } else {
        await this.k
          .updateTable('peerings')
          .set({ status: 'deleted', deleted_at: this.now(), updated_at: this.now() })
          .where('id', '=', p.id)
          .execute();
        await ctx.step('firewall', () => this.syncBoth(p));
      }
    },
    onFailure: async (ctx, error) => {
      const p = (await this.find(ctx.resourceId))!;
      if (ctx.params.mode === 'connect') {
        // undo: take the peering out of the rule computation and put the groups back
        await this.k
          .updateTable('peerings')
          .set({
            status: 'rejected',
            status_reason: `connect failed: ${error.message}`,
            updated_at: this.now(),
          })
          .where('id', '=', p.id)
          .execute();
      } else {
        await this.k
          .updateTable('peerings')
          .set({
            status: 'active',
            deleted_at: null,
            status_reason: `delete failed: ${error.message}`,
            updated_at: this.now(),
          })
          .where('id', '=', p.id)
          .execute();
      }
      await this.syncBoth(p).catch(() => undefined);
    },
    onFinish: async (ctx) => {
      await this.deps.locks.unlock(this.k, 'peerings', ctx.resourceId, ctx.id);
      this.publish(ctx.resourceId);
    },
  };

  publish(id: string): void {
    void this.find(id)
      .then((p) => {
        if (!p) return;
        for (const ownerId of new Set([p.requester_owner_id, p.accepter_owner_id]))
          this.deps.bus.publish({
            type: `peering.${p.status === 'deleted' ? 'deleted' : 'updated'}`,
            resource: 'peering',
            resourceId: id,
            ownerId,
            data: { id, name: p.name, status: p.status },
          });
      })
      // publishing is best effort (the database may be closing at shutdown)
      .catch(() => undefined);
  }
}
