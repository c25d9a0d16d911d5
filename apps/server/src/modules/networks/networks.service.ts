/**
 * Networks (VPC-style): one PVE SDN VNet with one subnet each, in the managed zone. Create,
 * change (name, tags, SNAT, DHCP range) and delete go through operations that edit SDN under PVE's
 * global lock, apply it and await the task; a failed operation rolls its SDN edits back.
 */
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { LockRegistry, OperationEngine, OperationView } from '../operations/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import {
  type Cidr4,
  type Cidr6,
  cidr6Text,
  contains,
  defaultDhcpRange,
  defaultGateway,
  intToIpv4,
  ipv4ToInt,
  overlaps,
  overlaps6,
  parseCidr4,
  parseCidr6,
  usableRange,
} from './networks.cidr.ts';
import { natGatewaysOn } from './networks.nat-gateways.ts';
import type { NetworkRow, NetworksRepository } from './networks.repository.ts';
import { type Network, toNetwork } from './networks.views.ts';

export interface NetworkInput {
  name: string;
  cidr: string;
  ipv6Cidr?: string;
  ipv6Mode?: 'static' | 'slaac';
  gateway?: string;
  dhcp?: boolean | { start: string; end: string };
  snat?: boolean;
  tags?: Record<string, string>;
}

export interface NetworkUpdate {
  name?: string;
  cidr?: string;
  gateway?: string;
  dhcp?: boolean | { start: string; end: string };
  snat?: boolean;
  tags?: Record<string, string>;
}

export interface NetworkSettings {
  /** the managed SDN zone's id (≤ 8 characters) */
  zone: string;
  /** `auto`: simple on one node, vxlan on several */
  zoneType: 'auto' | 'simple' | 'vxlan' | 'evpn';
  /** give users a default network for launches without one (PROXICLOUD_DEFAULT_NETWORK=off: the bridge) */
  defaultNetwork: boolean;
  /** who may launch on a plain Proxmox bridge (vmbr0…): `admin` (default) or `all` */
  bridgeLaunch: 'admin' | 'all';
  /** PVE's ipfilter (anti-spoofing) on managed guests, with `ipfilter-net<N>` = the NIC's addresses */
  ipfilter: boolean;
}

/**
 * Where default networks come from: /20 blocks of 172.16.0.0/12 from 172.31.0.0/20 down. PVE names
 * subnets `<zone>-<cidr>`, so a block is used by one network of the zone only (any owner).
 */
/** One default-network creation at a time in this process. */
const defaultNetworkMutex = new Mutex();

export function* defaultNetworkCidrs(): Generator<string> {
  for (let a = 31; a >= 16; a--) for (let b = 0; b < 256; b += 16) yield `172.${a}.${b}.0/20`;
}
export const DEFAULT_NETWORK_NAME = 'default';

export interface NetworksServiceDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  engine: OperationEngine;
  locks: LockRegistry;
  repo: NetworksRepository;
  instances: InstancesPort;
  settings: NetworkSettings;
  /** counts networks toward the owner's quota (absent in unit wiring) */
  quotas?: QuotasService;
}

const bad = (field: string, message: string, code = 'invalid_network'): never => {
  throw new ValidationError(message, { field }, code);
};

/** Parses and checks an IPv4 network CIDR (/8 … /29). */
export function checkCidr(text: string, field = 'cidr'): Cidr4 {
  const p = parseCidr4(text);
  if (p.problem === 'host_bits') {
    const [a, b] = text.split('/');
    const n = ipv4ToInt(a!)!;
    const size = 2 ** (32 - Number(b));
    return bad(field, `${text} has host bits set: the network address is ${intToIpv4(n - (n % size))}/${b}`);
  }
  if (!p.cidr) return bad(field, `'${text}' is not an IPv4 CIDR like 10.10.0.0/24`);
  if (p.cidr.bits < 8 || p.cidr.bits > 29)
    bad(field, `prefix /${p.cidr.bits} is out of range: use /8 (16 M addresses) … /29 (6 addresses)`);
  return p.cidr;
}

/** Parses and checks an IPv6 network prefix (/48 … /120). */
export function checkCidr6(text: string, field = 'ipv6Cidr'): Cidr6 {
  const p = parseCidr6(text);
  if (p.problem === 'host_bits')
    return bad(field, `${text} has host bits set: give the prefix's network address`);
  if (!p.cidr) return bad(field, `'${text}' is not an IPv6 CIDR like fd00:10::/64`);
  if (p.cidr.bits < 48 || p.cidr.bits > 120)
    bad(field, `prefix /${p.cidr.bits} is out of range: use /48 … /120 (/64 for SLAAC)`);
  return p.cidr;
}

function checkAddress(c: Cidr4, text: string, field: string): number {
  const ip = ipv4ToInt(text);
  if (ip === undefined) return bad(field, `'${text}' is not an IPv4 address`);
  const r = usableRange(c);
  if (!contains(c, ip)) bad(field, `${text} is outside ${intToIpv4(c.net)}/${c.bits}`);
  if (ip < r.first || ip > r.last) bad(field, `${text} is the network or broadcast address of the subnet`);
  return ip;
}

/** Gateway and DHCP range of a network (defaults filled), checked against its CIDR. */
export function checkLayout(
  c: Cidr4,
  gatewayText: string | undefined,
  dhcp: NetworkInput['dhcp'],
): { gateway: string; dhcp: { start: string; end: string } | null } {
  const gw = gatewayText === undefined ? defaultGateway(c) : checkAddress(c, gatewayText, 'gateway');
  let range: { start: string; end: string } | null = null;
  if (dhcp === true || dhcp === undefined) {
    const d = defaultDhcpRange(c);
    range = { start: intToIpv4(d.start), end: intToIpv4(d.end) };
    if (gw >= d.start && gw <= d.end) {
      // a custom gateway inside the default range: start the range after it
      range =
        gw < d.end
          ? { start: intToIpv4(gw + 1), end: intToIpv4(d.end) }
          : { start: intToIpv4(d.start), end: intToIpv4(gw - 1) };
    }
  } else if (dhcp !== false) {
    const s = checkAddress(c, dhcp.start, 'dhcp.start');
    const e = checkAddress(c, dhcp.end, 'dhcp.end');
    if (s > e) bad('dhcp.end', `the DHCP range ends (${dhcp.end}) before it starts (${dhcp.start})`);
    if (gw >= s && gw <= e)
      bad('dhcp', `the DHCP range ${dhcp.start} – ${dhcp.end} contains the gateway ${intToIpv4(gw)}`);
    range = { start: dhcp.start, end: dhcp.end };
  }
  return { gateway: intToIpv4(gw), dhcp: range };
}

export class NetworksService {
  constructor(private readonly deps: NetworksServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<Network>> {
    authorize(actor, 'networks', 'read');
    const { rows, total } = await this.deps.repo.list(actor, q, page);
    return { items: rows.map(toNetwork), total, ...page };
  }

  async scoped(actor: Actor, id: string): Promise<NetworkRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Network', id);
    return row;
  }

  async get(
    actor: Actor,
    id: string,
  ): Promise<Network & { instances: { id: string; name: string; ip: string; ip6?: string; mac: string }[] }> {
    authorize(actor, 'networks', 'read');
    const row = await this.scoped(actor, id);
    const nics = await this.deps.repo.nicsOnNetwork(id);
    const instances = [];
    for (const n of nics) {
      const inst = await this.deps.instances.find(n.instance_id);
      if (inst && inst.status !== 'terminated')
        instances.push({
          id: inst.id,
          name: inst.name,
          ip: n.ip,
          ...(n.ip6 ? { ip6: n.ip6 } : {}),
          mac: n.mac,
        });
    }
    return { ...toNetwork(row), instances };
  }

  private async assertNoOverlap(
    db: Kysely<Tables>,
    ownerId: string,
    c: Cidr4,
    except?: string,
  ): Promise<void> {
    for (const n of await this.deps.repo.with(db).liveOf(ownerId)) {
      if (n.id === except) continue;
      const other = parseCidr4(n.cidr).cidr!;
      if (overlaps(c, other))
        throw new ConflictError(
          `${intToIpv4(c.net)}/${c.bits} overlaps your network '${n.name}' (${n.cidr})`,
          { field: 'cidr', networkId: n.id, cidr: n.cidr },
          'cidr_overlap',
        );
    }
  }

  private async assertNoOverlap6(db: Kysely<Tables>, ownerId: string, c: Cidr6): Promise<void> {
    for (const n of await this.deps.repo.with(db).liveOf(ownerId)) {
      const other = n.cidr6 ? parseCidr6(n.cidr6).cidr : undefined;
      if (other && overlaps6(c, other))
        throw new ConflictError(
          `${cidr6Text(c)} overlaps your network '${n.name}' (${n.cidr6})`,
          { field: 'ipv6Cidr', networkId: n.id, cidr: n.cidr6 },
          'cidr_overlap',
        );
    }
  }

  private async freeVnet(db: Kysely<Tables>): Promise<{ id: string; vnet: string }> {
    for (let i = 0; i < 20; i++) {
      const id = newId('net');
      // PVE VNet ids: 2–8 characters, a letter first
      const vnet = `n${id.slice(4, 11)}`;
      if (!(await this.deps.repo.with(db).vnetTaken(vnet))) return { id, vnet };
    }
    throw new ConflictError('Could not find a free VNet id');
  }

  async create(
    ctx: AuthenticatedContext,
    input: NetworkInput,
    opts: { isDefault?: boolean } = {},
  ): Promise<Network> {
    authorize(ctx.actor, 'networks', 'create');
    const c = checkCidr(input.cidr);
    const c6 = input.ipv6Cidr !== undefined ? checkCidr6(input.ipv6Cidr) : undefined;
    if (input.ipv6Mode !== undefined && !c6) bad('ipv6Mode', 'ipv6Mode needs an ipv6Cidr');
    if (input.ipv6Mode === 'slaac' && c6 && c6.bits !== 64)
      bad('ipv6Mode', `SLAAC needs a /64 prefix (got /${c6.bits}); use ipv6Mode static`);
    const layout = checkLayout(c, input.gateway, input.dhcp);
    const ownerId = ctx.actor.id;
    const now = this.now();
    const row = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if ((await repo.liveOf(ownerId)).some((n) => n.name === input.name))
        throw new ConflictError(
          `You already have a network named '${input.name}'`,
          { field: 'name' },
          'name_taken',
        );
      await this.assertNoOverlap(trx, ownerId, c);
      if (c6) await this.assertNoOverlap6(trx, ownerId, c6);
      await this.deps.quotas?.assertWithin(trx, ownerId, { networks: 1 });
      const { id, vnet } = await this.freeVnet(trx);
      const zoneType = this.deps.settings.zoneType;
      const vni =
        zoneType === 'vxlan' || zoneType === 'evpn' ? Math.max(4100, (await repo.maxVni()) + 1) : null;
      const row: NetworkRow = {
        id,
        owner_id: ownerId,
        name: input.name,
        cidr: `${intToIpv4(c.net)}/${c.bits}`,
        cidr6: c6 ? cidr6Text(c6) : null,
        ipv6_mode: c6 ? (input.ipv6Mode ?? 'static') : null,
        gateway: layout.gateway,
        dhcp_start: layout.dhcp?.start ?? null,
        dhcp_end: layout.dhcp?.end ?? null,
        snat: input.snat ? 1 : 0,
        tags: JSON.stringify(input.tags ?? {}),
        is_default: opts.isDefault ? 1 : 0,
        zone: this.deps.settings.zone,
        vnet,
        vni,
        status: 'creating',
        status_reason: null,
        active_operation_id: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      await repo.insertNetwork(row);
      const op = await this.deps.engine.enqueue(trx, {
        action: 'network.create',
        ownerId,
        resourceType: 'network',
        resourceId: id,
        params: {},
        steps: [
          { name: 'sdn', title: `Create VNet ${vnet} and subnet ${row.cidr}; apply SDN` },
          { name: 'firewall', title: 'Create the same-network firewall group' },
        ],
        requestId: ctx.requestId,
      });
      await this.deps.locks.lock(trx, 'networks', id, op.id);
      return row;
    });
    ctx.resourceId = row.id;
    this.deps.engine.wake();
    this.publish(row.id, 'created');
    return toNetwork((await this.deps.repo.find(row.id))!);
  }

  /**
   * The caller's default network (like AWS's default VPC), created through the ordinary create
   * operation on first need; launches wait for it. Counts toward the networks quota.
   */
  async ensureDefault(ctx: AuthenticatedContext): Promise<string | null> {
    if (!this.deps.settings.defaultNetwork) return null;
    // concurrent first launches (of one user or several) must not race to create default networks
    // (on PostgreSQL the loser would hit the unique name or an overlapping range)
    return defaultNetworkMutex.run(() => this.ensureDefaultNow(ctx));
  }

  private async ensureDefaultNow(ctx: AuthenticatedContext): Promise<string | null> {
    const find = async () =>
      (await this.deps.repo.liveOf(ctx.actor.id)).find((n) => Number(n.is_default) === 1);
    const have = await find();
    if (have) return have.id;
    const taken = (await this.deps.repo.allLive()).map((n) => parseCidr4(n.cidr).cidr!);
    for (const cidr of defaultNetworkCidrs()) {
      const c = parseCidr4(cidr).cidr!;
      if (taken.some((t) => overlaps(c, t))) continue;
      try {
        const n = await this.create(
          ctx,
          { name: DEFAULT_NETWORK_NAME, cidr, snat: true },
          { isDefault: true },
        );
        return n.id;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        const raced = await find();
        if (raced) return raced.id;
        if (e.code === 'name_taken')
          throw new ConflictError(
            `You have a network named '${DEFAULT_NETWORK_NAME}' that is not your default network; rename it or launch with networkIds`,
            { field: 'networkIds' },
            'default_network_unavailable',
          );
        taken.push(c); // overlaps one of the caller's networks: try the next block
      }
    }
    throw new ConflictError(
      'No free address range in 172.16.0.0/12 for your default network; launch with networkIds',
      { field: 'networkIds' },
      'default_network_unavailable',
    );
  }

  async update(ctx: AuthenticatedContext, id: string, input: NetworkUpdate): Promise<Network> {
    authorize(ctx.actor, 'networks', 'update');
    const row = await this.scoped(ctx.actor, id);
    if (input.cidr !== undefined && input.cidr !== row.cidr)
      throw new UnprocessableError(
        'The CIDR of a network cannot change; create a new network',
        { field: 'cidr' },
        'immutable',
      );
    if (input.gateway !== undefined && input.gateway !== row.gateway)
      throw new UnprocessableError(
        'The gateway of a network cannot change',
        { field: 'gateway' },
        'immutable',
      );
    const c = parseCidr4(row.cidr).cidr!;
    const layout = input.dhcp !== undefined ? checkLayout(c, row.gateway, input.dhcp) : null;
    const sdnChange =
      (input.snat !== undefined && (input.snat ? 1 : 0) !== Number(row.snat)) ||
      (layout !== null && (layout.dhcp?.start ?? null) !== row.dhcp_start) ||
      (layout !== null && (layout.dhcp?.end ?? null) !== row.dhcp_end);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (
        input.name !== undefined &&
        input.name !== row.name &&
        (await repo.liveOf(row.owner_id)).some((n) => n.name === input.name)
      )
        throw new ConflictError(
          `You already have a network named '${input.name}'`,
          { field: 'name' },
          'name_taken',
        );
      if (input.snat === false && Number(row.snat) === 1) {
        // a NAT VM does not use the subnet's SNAT: only an sdnSnat gateway holds it
        const nat = (await natGatewaysOn(trx, id)).filter((g) => g.kind === 'sdnSnat');
        if (nat.length)
          throw new ConflictError(
            `SNAT on '${row.name}' is NAT gateway '${nat[0]!.name}'; delete the gateway to turn it off`,
            { natGatewayId: nat[0]!.id },
            'nat_gateway_present',
          );
      }
      if (row.status !== 'available' && sdnChange)
        throw new ConflictError(`Network ${id} is ${row.status}`, undefined, 'invalid_state');
      await repo.updateNetwork(id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.tags !== undefined ? { tags: JSON.stringify(input.tags) } : {}),
        updated_at: this.now(),
      });
      if (!sdnChange) return;
      const params = {
        snat: input.snat ?? Number(row.snat) === 1,
        dhcp: layout ? layout.dhcp : row.dhcp_start ? { start: row.dhcp_start, end: row.dhcp_end! } : null,
      };
      const op = await this.deps.engine.enqueue(trx, {
        action: 'network.update',
        ownerId: row.owner_id,
        resourceType: 'network',
        resourceId: id,
        params,
        steps: [
          { name: 'sdn', title: 'Change the subnet (SNAT, DHCP range); apply SDN' },
          { name: 'firewall', title: 'Update the egress rules of the network' },
        ],
        requestId: ctx.requestId,
      });
      if (!(await this.deps.locks.lock(trx, 'networks', id, op.id)))
        throw new ConflictError(`Network ${id} is busy`, undefined, 'network_busy');
    });
    this.deps.engine.wake();
    this.publish(id);
    return toNetwork((await this.deps.repo.find(id))!);
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<OperationView> {
    authorize(ctx.actor, 'networks', 'delete');
    const row = await this.scoped(ctx.actor, id);
    const op = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const peered = await trx
        .selectFrom('peerings')
        .select(['id', 'name'])
        .where((eb) => eb.or([eb('requester_network_id', '=', id), eb('accepter_network_id', '=', id)]))
        .where('status', 'in', ['pendingAcceptance', 'provisioning', 'active', 'deleting'])
        .execute();
      if (peered.length)
        throw new ConflictError(
          `Network '${row.name}' still has peering(s) ${peered.map((p) => `'${p.name}'`).join(', ')}; delete them first`,
          { peeringIds: peered.map((p) => p.id) },
          'network_in_use',
        );
      const nat = await natGatewaysOn(trx, id);
      if (nat.length)
        throw new ConflictError(
          `Network '${row.name}' still has NAT gateway '${nat[0]!.name}'; delete it first`,
          { natGatewayIds: nat.map((g) => g.id) },
          'network_in_use',
        );
      const nics = await repo.nicsOnNetwork(id);
      if (nics.length) {
        const names: string[] = [];
        for (const n of nics)
          names.push((await this.deps.instances.find(n.instance_id, trx))?.name ?? n.instance_id);
        throw new ConflictError(
          `Network '${row.name}' still has ${nics.length} NIC(s): ${names.join(', ')}; detach them first`,
          { instanceIds: nics.map((n) => n.instance_id), instanceNames: names },
          'network_in_use',
        );
      }
      const op = await this.deps.engine.enqueue(trx, {
        action: 'network.delete',
        ownerId: row.owner_id,
        resourceType: 'network',
        resourceId: id,
        params: {},
        steps: [
          { name: 'sdn', title: `Delete VNet ${row.vnet}; apply SDN` },
          { name: 'firewall', title: 'Delete the same-network firewall group' },
        ],
        requestId: ctx.requestId,
      });
      if (
        !(await this.deps.locks.lock(trx, 'networks', id, op.id, {
          status: 'deleting',
          updated_at: this.now(),
        }))
      )
        throw new ConflictError(`Network ${id} is busy`, undefined, 'network_busy');
      return op;
    });
    this.deps.engine.wake();
    this.publish(id);
    return op;
  }

  publish(id: string, type: 'created' | 'updated' | 'deleted' = 'updated'): void {
    void this.deps.repo.find(id).then((row) => {
      if (!row) return;
      this.deps.bus.publish({
        type: `network.${row.status === 'deleted' ? 'deleted' : type}`,
        resource: 'network',
        resourceId: id,
        ownerId: row.owner_id,
        data: toNetwork(row),
      });
    });
  }
}
