/**
 * Instances on networks: NICs (a PVE `net<N>` on the network's VNet with a MAC we choose, an
 * address reserved in PVE's IPAM, cloud-init `ipconfig<N>` / LXC `ip=` following the NIC) and
 * security-group membership (guest firewall rules + the groups' member IP sets). Used by the
 * launch (through the instances port's networking hook), by the NIC and security-group
 * endpoints, and on terminate (as an instance dependent: addresses and memberships are freed).
 */
import { randomBytes } from 'node:crypto';
import { formatIpConfig, formatLxcNet, formatQemuNet, type ProxmoxClient } from '@proxicloud/proxmox-client';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { authorize } from '../iam/index.ts';
import {
  type InstanceDependent,
  type InstanceNetworking,
  type InstanceNetworkView,
  type InstanceRow,
  type InstancesPort,
  refOf,
  waitTask,
} from '../instances/index.ts';
import type { LockRegistry } from '../operations/index.ts';
import {
  address6,
  bigToIpv6,
  contains,
  contains6,
  gateway6,
  intToIpv4,
  ipv4ToInt,
  ipv6ToBig,
  nextFree,
  parseCidr4,
  parseCidr6,
  usableRange,
} from './networks.cidr.ts';
import { firewallMutex } from './networks.groups.ts';
import type { PveNetworking } from './networks.pve.ts';
import type { NetworkRow, NetworksRepository, NicRow } from './networks.repository.ts';
import type { FirewallSync } from './networks.sync.ts';

export interface AttachDeps {
  repo: NetworksRepository;
  instances: InstancesPort;
  locks: LockRegistry;
  pve: () => PveNetworking;
  client: () => ProxmoxClient;
  sync: FirewallSync;
  clock: Clock;
  logger: Logger;
}

/** A MAC in Proxmox's OUI (BC:24:11), as PVE generates them. */
export function newMac(): string {
  const b = randomBytes(3);
  return `BC:24:11:${[...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':')}`;
}

export const MAX_NICS = 8;

/** How long a launch waits for a default network that is still being created. */
const DEFAULT_NETWORK_WAIT_MS = 5 * 60_000;

export class InstanceNetworks implements InstanceNetworking {
  constructor(private readonly deps: AttachDeps) {}

  /** Set by the module when default networks are on (`NetworksService.ensureDefault`). */
  defaultNetwork?: (ctx: AuthenticatedContext) => Promise<string | null>;

  /** Who may put net0 on a plain Proxmox bridge (PROXICLOUD_BRIDGE_LAUNCH); set by the module. */
  bridgeLaunch: () => 'admin' | 'all' = () => 'admin';

  checkBridgeLaunch(ctx: AuthenticatedContext, bridge: string | undefined): void {
    if (this.bridgeLaunch() === 'all' || ctx.actor.role === 'admin') return;
    throw new ForbiddenError(
      `Launching on the Proxmox bridge ${bridge ?? '(the default bridge)'} is for admins ` +
        '(PROXICLOUD_BRIDGE_LAUNCH=admin): pass networkIds, or leave bridge and network out to use your default network',
      'bridge_launch_forbidden',
      { field: bridge ? 'bridge' : 'network', setting: 'PROXICLOUD_BRIDGE_LAUNCH' },
    );
  }

  /** A launch's network created with it (the default network): wait until its operation ends. */
  private async awaitCreated(
    ids: readonly string[],
    progress: (text: string) => Promise<void>,
  ): Promise<void> {
    for (const id of ids) {
      const deadline = Date.now() + DEFAULT_NETWORK_WAIT_MS;
      let told = false;
      for (;;) {
        const n = await this.deps.repo.find(id);
        if (!n || n.status !== 'creating') break;
        if (!told) await progress(`Waiting for network '${n.name}' (${n.vnet}) to be created`);
        told = true;
        if (Date.now() > deadline)
          throw new ConflictError(
            `Network '${n.name}' is still being created`,
            { networkId: id },
            'network_not_available',
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  // ------------------------------------------------------------------ checks

  private async ownedNetworks(ownerId: string, ids: readonly string[]): Promise<NetworkRow[]> {
    const live = await this.deps.repo.liveOf(ownerId);
    return ids.map((id) => {
      const n = live.find((x) => x.id === id);
      if (!n) throw new NotFoundError('Network', id);
      if (n.status !== 'available')
        throw new ConflictError(
          `Network '${n.name}' is ${n.status}${n.status_reason ? `: ${n.status_reason}` : ''}`,
          { networkId: id },
          'network_not_available',
        );
      return n;
    });
  }

  private async ownedGroups(ownerId: string, ids: readonly string[]): Promise<void> {
    const owned = await this.deps.repo.groupsOwned(ownerId, ids);
    for (const id of ids) if (!owned.some((g) => g.id === id)) throw new NotFoundError('Security group', id);
  }

  async checkLaunch(ownerId: string, networkIds: string[], securityGroupIds: string[]): Promise<void> {
    if (networkIds.length > MAX_NICS)
      throw new ValidationError(`An instance has at most ${MAX_NICS} NICs`, { field: 'networkIds' });
    await this.ownedNetworks(ownerId, networkIds);
    await this.ownedGroups(ownerId, securityGroupIds);
  }

  // ------------------------------------------------------------------ addresses

  /** A free address of the network (inside its DHCP range when it has one), or the one asked for. */
  private async allocate(net: NetworkRow, want?: string): Promise<string> {
    const c = parseCidr4(net.cidr).cidr!;
    const taken = new Set((await this.deps.repo.nicsOnNetwork(net.id)).map((n) => ipv4ToInt(n.ip)!));
    taken.add(ipv4ToInt(net.gateway)!);
    for (const nat of await this.deps.repo.natVmAddressesOn(net.id)) taken.add(ipv4ToInt(nat)!);
    if (want !== undefined) {
      const ip = ipv4ToInt(want);
      const r = usableRange(c);
      if (ip === undefined || !contains(c, ip) || ip < r.first || ip > r.last)
        throw new ValidationError(
          `${want} is not a usable address of ${net.cidr}`,
          { field: 'ip' },
          'invalid_ip',
        );
      if (taken.has(ip))
        throw new ConflictError(
          `${want} is already in use on network '${net.name}'${want === net.gateway ? ' (the gateway)' : ''}`,
          { field: 'ip' },
          'ip_in_use',
        );
      return want;
    }
    const from = net.dhcp_start ? ipv4ToInt(net.dhcp_start) : undefined;
    const ip = nextFree(c, taken, from) ?? nextFree(c, taken);
    if (ip === undefined)
      throw new ConflictError(
        `Network '${net.name}' has no free address left`,
        { networkId: net.id },
        'network_full',
      );
    return intToIpv4(ip);
  }

  /** The NIC's IPv6 address on a network with an IPv6 prefix (null without one). */
  private async allocate6(net: NetworkRow, mac: string, want?: string): Promise<string | null> {
    const c = net.cidr6 ? parseCidr6(net.cidr6).cidr : undefined;
    if (!c) {
      if (want !== undefined)
        throw new ValidationError(`Network '${net.name}' has no IPv6 prefix`, { field: 'ip6' }, 'invalid_ip');
      return null;
    }
    const taken = new Set(
      (await this.deps.repo.nicsOnNetwork(net.id)).flatMap((n) => (n.ip6 ? [n.ip6] : [])),
    );
    taken.add(gateway6(c));
    if (want !== undefined) {
      const n = ipv6ToBig(want);
      if (n === undefined || !contains6(c, n) || n === c.net)
        throw new ValidationError(
          `${want} is not a usable address of ${net.cidr6}`,
          { field: 'ip6' },
          'invalid_ip',
        );
      if (net.ipv6_mode === 'slaac')
        throw new ValidationError(
          `Network '${net.name}' uses SLAAC: the address follows the MAC`,
          { field: 'ip6' },
          'invalid_ip',
        );
      const text = bigToIpv6(n);
      if (taken.has(text))
        throw new ConflictError(
          `${want} is already in use on network '${net.name}'`,
          { field: 'ip6' },
          'ip_in_use',
        );
      return text;
    }
    const ip = address6(c, mac, taken);
    if (ip === undefined || taken.has(ip))
      throw new ConflictError(
        `Network '${net.name}' has no free IPv6 address left`,
        { networkId: net.id },
        'network_full',
      );
    return ip;
  }

  // ------------------------------------------------------------------ guest config

  private async usedSlots(row: InstanceRow): Promise<Set<number>> {
    const cfg = (await this.deps
      .client()
      .node(row.node!)
      .guest(row.type === 'vm' ? 'qemu' : 'lxc', Number(row.vmid))
      .config()) as Record<string, unknown>;
    return new Set(
      Object.keys(cfg)
        .map((k) => /^net(\d+)$/.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number),
    );
  }

  /** Writes `net<slot>` (and the VM's `ipconfig<slot>`) for a NIC; hot-plugged on a running guest. */
  private async writeNic(
    row: InstanceRow,
    net: NetworkRow,
    nic: { slot: number; mac: string; ip: string; ip6: string | null },
    primary: boolean,
  ) {
    const ref = refOf(row);
    const bits = net.cidr.split('/')[1];
    // IPv6: static = the address (and gw6 on net0); slaac = ip6=auto (router advertisements)
    const v6 =
      nic.ip6 && net.cidr6
        ? net.ipv6_mode === 'slaac'
          ? { ip6: 'auto' }
          : {
              ip6: `${nic.ip6}/${net.cidr6.split('/')[1]}`,
              ...(primary ? { gw6: gateway6(parseCidr6(net.cidr6).cidr!) } : {}),
            }
        : {};
    const g = this.deps.client().node(ref.node);
    if (ref.type === 'vm') {
      // The address reaches a VM through cloud-init; a guest without a cloud-init drive (an installer
      // ISO) gets the NIC only and takes the address from the network's DHCP.
      const cfg = (await g.vm(ref.vmid).config()) as Record<string, unknown>;
      const cloudInit = Object.values(cfg).some((v) => typeof v === 'string' && v.includes('cloudinit'));
      const params = {
        [`net${nic.slot}`]: formatQemuNet({
          model: 'virtio',
          macaddr: nic.mac,
          bridge: net.vnet,
          firewall: true,
        }),
        ...(cloudInit
          ? {
              [`ipconfig${nic.slot}`]: formatIpConfig({
                ip: `${nic.ip}/${bits}`,
                ...(primary ? { gw: net.gateway } : {}),
                ...v6,
              }),
            }
          : {}),
      };
      const upid = await g.vm(ref.vmid).updateConfigAsync(params as never);
      if (upid) await waitTask(this.deps.client(), ref.node, upid, new AbortController().signal);
    } else {
      await g.ct(ref.vmid).updateConfig({
        [`net${nic.slot}`]: formatLxcNet({
          name: `eth${nic.slot}`,
          bridge: net.vnet,
          hwaddr: nic.mac,
          ip: `${nic.ip}/${bits}`,
          ...(primary ? { gw: net.gateway } : {}),
          ...v6,
          firewall: true,
        }),
      } as never);
    }
  }

  private async removeNic(row: InstanceRow, slot: number): Promise<void> {
    const ref = refOf(row);
    const g = this.deps.client().node(ref.node);
    if (ref.type === 'vm') {
      const upid = await g.vm(ref.vmid).updateConfigAsync({ delete: `net${slot},ipconfig${slot}` } as never);
      if (upid) await waitTask(this.deps.client(), ref.node, upid, new AbortController().signal);
    } else await g.ct(ref.vmid).updateConfig({ delete: `net${slot}` } as never);
  }

  private async addNic(
    row: InstanceRow,
    net: NetworkRow,
    slot: number,
    ip?: string,
    ip6?: string,
  ): Promise<NicRow> {
    const mac = newMac();
    const nic: NicRow = {
      instance_id: row.id,
      network_id: net.id,
      slot,
      mac,
      ip: await this.allocate(net, ip),
      ip6: await this.allocate6(net, mac, ip6),
      created_at: this.now(),
      source_dest_check: 1,
    };
    await this.deps.repo.insertNic(nic);
    const reserved: string[] = [];
    try {
      for (const addr of [nic.ip, ...(nic.ip6 ? [nic.ip6] : [])]) {
        await this.deps.pve().reserveIp(net.zone, net.vnet, addr, nic.mac);
        reserved.push(addr);
      }
      await this.writeNic(row, net, nic, slot === 0);
    } catch (e) {
      await this.deps.repo.deleteNic(row.id, net.id);
      for (const addr of reserved)
        await this.deps
          .pve()
          .releaseIp(net.zone, net.vnet, addr, nic.mac)
          .catch(() => undefined);
      throw e;
    }
    return nic;
  }

  /** Frees a NIC's addresses in PVE's IPAM. */
  private async releaseNic(net: NetworkRow, nic: NicRow): Promise<void> {
    for (const addr of [nic.ip, ...(nic.ip6 ? [nic.ip6] : [])])
      await this.deps.pve().releaseIp(net.zone, net.vnet, addr, nic.mac);
  }

  /** Member sets of the instance's groups, its guest firewall, its view. */
  private async refresh(instanceId: string, groupIds: readonly string[]): Promise<void> {
    await this.deps.sync.syncMembers(groupIds);
    await this.deps.sync.syncInstance(instanceId);
    await this.deps.sync.publishView(instanceId);
  }

  // ------------------------------------------------------------------ launch hook

  async attachLaunch(
    instance: InstanceRow,
    networkIds: string[],
    securityGroupIds: string[],
    progress: (text: string) => Promise<void>,
  ): Promise<void> {
    const row = (await this.deps.instances.find(instance.id)) ?? instance;
    await this.awaitCreated(networkIds, progress);
    await firewallMutex.run(async () => {
      const have = await this.deps.repo.nicsOf([row.id]);
      const nets = await this.ownedNetworks(row.owner_id, networkIds);
      for (const [slot, net] of nets.entries()) {
        if (have.some((n) => n.network_id === net.id)) continue; // a resumed step
        const nic = await this.addNic(row, net, slot);
        await progress(
          `net${slot} on ${net.name} (${net.vnet}): ${nic.ip}${nic.ip6 ? `, ${nic.ip6}` : ''}, ${nic.mac}`,
        );
      }
      await this.deps.repo.setGroupsOf(row.id, securityGroupIds);
      await this.refresh(row.id, securityGroupIds);
    });
  }

  async launchFailed(instanceId: string): Promise<void> {
    await this.release(instanceId);
  }

  // ------------------------------------------------------------------ API actions

  private async instanceFor(actor: Actor, id: string): Promise<InstanceRow> {
    const row = await this.deps.instances.findScoped(actor, id);
    if (!row || row.status === 'terminated') throw new NotFoundError('Instance', id);
    if (!['running', 'stopped'].includes(row.status) || row.vmid === null)
      throw new ConflictError(`Instance ${id} is ${row.status}`, undefined, 'invalid_state');
    return row;
  }

  /** Holds the instance's operation slot for a synchronous change. */
  private async withInstance<T>(row: InstanceRow, what: string, fn: () => Promise<T>): Promise<T> {
    const token = this.deps.locks.syncToken(what);
    if (!(await this.deps.instances.lock(row.id, token)))
      throw new ConflictError(`Instance ${row.id} is busy`, undefined, 'instance_busy');
    try {
      return await firewallMutex.run(fn);
    } finally {
      await this.deps.instances.unlock(row.id, token);
      await this.deps.instances.publish(row.id).catch(() => undefined);
    }
  }

  view(instanceId: string): Promise<InstanceNetworkView> {
    return Promise.all([this.deps.repo.nicsOf([instanceId]), this.deps.repo.groupIdsOf(instanceId)]).then(
      ([nics, securityGroupIds]) => ({
        nics: nics.map(nicView),
        securityGroupIds,
      }),
    );
  }

  async attach(
    ctx: AuthenticatedContext,
    instanceId: string,
    input: { networkId: string; ip?: string; ip6?: string },
  ) {
    authorize(ctx.actor, 'instances', 'update');
    const row = await this.instanceFor(ctx.actor, instanceId);
    const net = await this.deps.repo.findScoped(ctx.actor, input.networkId);
    if (!net || net.owner_id !== row.owner_id) throw new NotFoundError('Network', input.networkId);
    if (net.status !== 'available')
      throw new ConflictError(`Network '${net.name}' is ${net.status}`, undefined, 'network_not_available');
    return this.withInstance(row, 'attach-nic', async () => {
      const nics = await this.deps.repo.nicsOf([row.id]);
      if (nics.some((n) => n.network_id === net.id))
        throw new ConflictError(
          `Instance ${row.name} already has a NIC on '${net.name}'`,
          undefined,
          'already_attached',
        );
      if (nics.length >= MAX_NICS)
        throw new ConflictError(`An instance has at most ${MAX_NICS} NICs`, undefined, 'too_many_nics');
      const used = await this.usedSlots(row);
      for (const n of nics) used.add(Number(n.slot));
      let slot = 0;
      while (used.has(slot)) slot++;
      try {
        await this.addNic(row, net, slot, input.ip, input.ip6);
      } catch (e) {
        const msg = (e as Error).message ?? '';
        if (/hotplug|hot-plug|not possible|running/i.test(msg) && row.status === 'running')
          throw new ConflictError(
            `Proxmox cannot hot-plug a NIC into running instance ${row.name}: stop it first (${msg})`,
            undefined,
            'hotplug_unsupported',
          );
        throw e;
      }
      await this.refresh(row.id, await this.deps.repo.groupIdsOf(row.id));
      return this.view(row.id);
    });
  }

  async detach(ctx: AuthenticatedContext, instanceId: string, networkId: string) {
    authorize(ctx.actor, 'instances', 'update');
    const row = await this.instanceFor(ctx.actor, instanceId);
    return this.withInstance(row, 'detach-nic', async () => {
      const nic = (await this.deps.repo.nicsOf([row.id])).find((n) => n.network_id === networkId);
      if (!nic) throw new NotFoundError('NIC on network', networkId);
      const net = (await this.deps.repo.find(networkId))!;
      await this.removeNic(row, Number(nic.slot));
      await this.deps.repo.deleteNic(row.id, networkId);
      await this.releaseNic(net, nic);
      await this.refresh(row.id, await this.deps.repo.groupIdsOf(row.id));
      return this.view(row.id);
    });
  }

  /**
   * The NIC's source/destination check (like AWS's per-ENI setting): off, PVE's ipfilter no longer
   * checks what that NIC sends, so the instance can forward other hosts' packets (a router or NAT
   * instance that route tables target); the instance's other NICs keep it.
   */
  async setNic(
    ctx: AuthenticatedContext,
    instanceId: string,
    networkId: string,
    input: { sourceDestCheck?: boolean },
  ) {
    authorize(ctx.actor, 'instances', 'update');
    const row = await this.instanceFor(ctx.actor, instanceId);
    const nic = (await this.deps.repo.nicsOf([row.id])).find((n) => n.network_id === networkId);
    if (!nic) throw new NotFoundError('NIC on network', networkId);
    if (input.sourceDestCheck === undefined) return this.view(row.id);
    return this.withInstance(row, 'nic', async () => {
      const before = Number(nic.source_dest_check ?? 1) !== 0;
      await this.deps.repo.setSourceDestCheck(row.id, networkId, input.sourceDestCheck!);
      try {
        await this.deps.sync.syncInstance(row.id);
      } catch (e) {
        await this.deps.repo.setSourceDestCheck(row.id, networkId, before);
        await this.deps.sync.syncInstance(row.id).catch(() => undefined);
        throw e;
      }
      await this.deps.sync.publishView(row.id);
      return this.view(row.id);
    });
  }

  async setGroups(ctx: AuthenticatedContext, instanceId: string, securityGroupIds: string[]) {
    authorize(ctx.actor, 'instances', 'update');
    const row = await this.instanceFor(ctx.actor, instanceId);
    // the groups must be the instance owner's (an admin acting on someone's instance too)
    await this.ownedGroups(row.owner_id, securityGroupIds);
    return this.withInstance(row, 'security-groups', async () => {
      const before = await this.deps.repo.groupIdsOf(row.id);
      await this.deps.repo.setGroupsOf(row.id, securityGroupIds);
      try {
        await this.refresh(row.id, [...new Set([...before, ...securityGroupIds])]);
      } catch (e) {
        await this.deps.repo.setGroupsOf(row.id, before);
        await this.refresh(row.id, [...new Set([...before, ...securityGroupIds])]).catch(() => undefined);
        throw e;
      }
      return this.view(row.id);
    });
  }

  // ------------------------------------------------------------------ terminate / vanished

  /** Frees the instance's addresses (IPAM) and memberships; the guest itself is gone or going. */
  async release(instanceId: string): Promise<void> {
    await firewallMutex.run(async () => {
      const nics = await this.deps.repo.nicsOf([instanceId]);
      const groups = await this.deps.repo.groupIdsOf(instanceId);
      for (const nic of nics) {
        const net = await this.deps.repo.find(nic.network_id);
        if (net) await this.releaseNic(net, nic).catch(() => undefined);
      }
      await this.deps.repo.deleteNicsOf(instanceId);
      await this.deps.repo.setGroupsOf(instanceId, []);
      await this.deps.sync.syncMembers(groups);
      await this.deps.instances.setNetworkView(instanceId, { nics: [], securityGroupIds: [] });
    });
  }

  readonly dependent: InstanceDependent = {
    detachAll: async (instance) => {
      await this.release(instance.id);
      return [];
    },
    instanceGone: async (instanceId) => {
      await this.release(instanceId);
    },
  };
}

/** A NIC as the API shows it (`ip6` only on networks with IPv6). */
export function nicView(n: NicRow): {
  networkId: string;
  mac: string;
  ip: string;
  ip6?: string;
  sourceDestCheck: boolean;
} {
  return {
    networkId: n.network_id,
    mac: n.mac,
    ip: n.ip,
    ...(n.ip6 ? { ip6: n.ip6 } : {}),
    sourceDestCheck: Number(n.source_dest_check ?? 1) !== 0,
  };
}
