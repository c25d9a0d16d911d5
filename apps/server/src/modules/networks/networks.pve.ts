/**
 * What ProxiCloud networking writes to Proxmox, and nothing else: the managed SDN zone, one VNet
 * with one subnet per network (applied with `PUT /cluster/sdn` under PVE's global SDN lock, the
 * task awaited), the PVE IPAM entries of NICs, cluster security groups + member IP sets per
 * security group, the per-network "same network" group, and each guest's firewall options and
 * group rules. Every rule we own carries a `proxicloud:` comment; rules without it are left alone.
 */
import { ProxmoxApiError, type ProxmoxClient } from '@proxicloud/proxmox-client';
import { Mutex } from '../../platform/mutex.ts';
import { type GuestRef, waitTask } from '../instances/index.ts';
import { gateway6, parseCidr6 } from './networks.cidr.ts';
import { MANAGED, type PveRule, ruleKey } from './networks.rules.ts';

export type ZoneType = 'simple' | 'vxlan' | 'evpn';

export interface VnetSpec {
  zone: string;
  vnet: string;
  alias: string;
  vni: number | null;
  cidr: string;
  cidr6: string | null;
  gateway: string;
  dhcp: { start: string; end: string } | null;
  snat: boolean;
}

export interface GuestFirewall {
  /** PVE security groups of the instance's security groups, in order */
  groups: string[];
  /**
   * per NIC: `net<slot>`, the network's "same network" group, the NIC's addresses and its
   * source/destination check (default true)
   */
  nics: { slot: number; networkGroup: string; addresses?: string[]; sourceDestCheck?: boolean }[];
  /**
   * PVE's `ipfilter` (anti-spoofing): on, each NIC may only send from the addresses in the guest
   * IP set `ipfilter-net<slot>`, which we keep equal to the NIC's addresses. Per NIC: PVE filters a
   * NIC when the guest option is on **or** the guest has an `ipfilter-net<slot>` set, so with a NIC
   * whose check is off the option goes off and only the other NICs keep their sets.
   */
  ipfilter?: boolean;
}

/** The guest IP set PVE's ipfilter checks NIC `net<slot>` against. */
export function ipfilterSet(slot: number): string {
  return `ipfilter-net${slot}`;
}

const hostCidr = (ip: string) => (ip.includes('/') ? ip : ip.includes(':') ? `${ip}/128` : `${ip}/32`);

/** The per-network group that lets members of one network reach each other. */
export function networkGroup(vnet: string): string {
  return `pcn-${vnet}`;
}

const notFound = (e: unknown) =>
  e instanceof ProxmoxApiError &&
  (e.status === 404 || /does not exist|no such|not found|doesn't exist/i.test(e.pveMessage));

/** Callers on one process: SDN edits + apply run one at a time (PVE's lock is cluster-wide). */
const sdnMutex = new Mutex();

export class PveNetworking {
  /** PVE calls made (benchmarks read it). */
  calls = 0;

  constructor(private readonly client: () => ProxmoxClient) {}

  private get api() {
    this.calls++;
    return this.client().api;
  }

  // ------------------------------------------------------------------ SDN

  /**
   * Run `edit` (SDN writes, given the lock token) and apply the result, one at a time, under
   * PVE's global SDN lock when the server has it (PVE ≥ 8.4); the apply task is awaited. On
   * failure pending edits are rolled back and the lock released.
   */
  applyWith(
    edit: (token: string | undefined) => Promise<void>,
    signal: AbortSignal,
    progress?: (line: string) => Promise<void>,
  ): Promise<void> {
    return sdnMutex.run(async () => {
      let token: string | undefined;
      try {
        token = (await this.api.postClusterSdnLock({ 'allow-pending': true })) as string;
      } catch (e) {
        if (!(e instanceof ProxmoxApiError && (e.status === 501 || e.status === 404))) throw e;
      }
      try {
        await edit(token);
        const upid = await this.putSdnWhenFree(token, signal);
        token = undefined; // released by the apply
        const node = upid.split(':')[1]!;
        await waitTask(this.client(), node, upid, signal, progress);
      } catch (e) {
        await this.api
          .postClusterSdnRollback(token ? { 'lock-token': token, 'release-lock': true } : {})
          .catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * `PUT /cluster/sdn`, waiting while another apply's `reloadnetworkall` task still runs (PVE
   * refuses a second apply until it ends: another server, an admin in PVE's UI, or an apply of
   * ours abandoned when its operation was interrupted). Up to 2 minutes, then the error stands.
   */
  private async putSdnWhenFree(token: string | undefined, signal: AbortSignal): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return (await this.api.putClusterSdn(
          token ? { 'lock-token': token, 'release-lock': true } : {},
        )) as string;
      } catch (e) {
        const busy =
          e instanceof ProxmoxApiError &&
          /being applied by another task|reloadnetworkall/i.test(e.pveMessage);
        if (!busy || Date.now() + delay > deadline || signal.aborted) throw e;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async ensureZone(zone: string, type: ZoneType, peers: string[], token?: string): Promise<void> {
    try {
      await this.api.getClusterSdnZonesByZone({ zone, pending: true });
      return;
    } catch (e) {
      if (!notFound(e)) throw e;
    }
    await this.api.postClusterSdnZones({
      zone,
      type,
      ipam: 'pve',
      ...(type === 'simple' ? { dhcp: 'dnsmasq' as const } : {}),
      ...(type === 'vxlan' ? { peers: peers.join(',') } : {}),
      ...(type === 'evpn' ? { controller: 'pcevpn', 'vrf-vxlan': 4000 } : {}),
      ...(token ? { 'lock-token': token } : {}),
    } as never);
  }

  async createVnet(s: VnetSpec, token?: string): Promise<void> {
    const t = token ? { 'lock-token': token } : {};
    await this.api.postClusterSdnVnets({
      vnet: s.vnet,
      zone: s.zone,
      type: 'vnet',
      alias: s.alias.replace(/[^\w\s().-]/g, '').slice(0, 256),
      ...(s.vni !== null ? { tag: s.vni } : {}),
      ...t,
    } as never);
    await this.api.postClusterSdnVnetsSubnets({
      vnet: s.vnet,
      type: 'subnet',
      subnet: s.cidr,
      gateway: s.gateway,
      ...(s.snat ? { snat: true } : {}),
      ...(s.dhcp ? { 'dhcp-range': [`start-address=${s.dhcp.start},end-address=${s.dhcp.end}`] } : {}),
      ...t,
    } as never);
    const c6 = s.cidr6 ? parseCidr6(s.cidr6).cidr : undefined;
    if (c6)
      await this.api.postClusterSdnVnetsSubnets({
        vnet: s.vnet,
        type: 'subnet',
        subnet: s.cidr6,
        gateway: gateway6(c6),
        ...(s.snat ? { snat: true } : {}),
        ...t,
      } as never);
  }

  async updateSubnet(
    s: VnetSpec,
    snat: boolean,
    dhcp: { start: string; end: string } | null,
    token?: string,
  ): Promise<void> {
    const subnet = `${s.zone}-${s.cidr.replace('/', '-')}`;
    const del = [...(snat ? [] : ['snat']), ...(dhcp ? [] : ['dhcp-range'])];
    await this.api.putClusterSdnVnetsSubnetsBySubnet({
      vnet: s.vnet,
      subnet,
      ...(snat ? { snat: true } : {}),
      ...(dhcp ? { 'dhcp-range': [`start-address=${dhcp.start},end-address=${dhcp.end}`] } : {}),
      ...(del.length ? { delete: del.join(',') } : {}),
      ...(token ? { 'lock-token': token } : {}),
    } as never);
  }

  async deleteVnet(vnet: string, token?: string): Promise<void> {
    const t = token ? { 'lock-token': token } : {};
    let subnets: { subnet?: string; id?: string }[] = [];
    try {
      subnets = (await this.api.getClusterSdnVnetsSubnets({ vnet })) as { subnet?: string }[];
    } catch (e) {
      if (notFound(e)) return;
      throw e;
    }
    for (const s of subnets) {
      const id = String(s.subnet ?? s.id);
      await this.api.deleteClusterSdnVnetsSubnetsBySubnet({ vnet, subnet: id, ...t } as never);
    }
    try {
      await this.api.deleteClusterSdnVnetsByVnet({ vnet, ...t } as never);
    } catch (e) {
      if (!notFound(e)) throw e;
    }
  }

  /** Applied (running) VNets, for the reconciler. */
  async runningVnets(): Promise<Set<string>> {
    const list = (await this.api.getClusterSdnVnets({ running: true } as never)) as { vnet: string }[];
    return new Set(list.map((v) => v.vnet));
  }

  async reserveIp(zone: string, vnet: string, ip: string, mac: string): Promise<void> {
    try {
      await this.api.postClusterSdnVnetsIps({ zone, vnet, ip, mac });
    } catch (e) {
      // already reserved for this MAC (a retried step): fine
      if (!(e instanceof ProxmoxApiError && /already exists/.test(e.pveMessage))) throw e;
    }
  }

  async releaseIp(zone: string, vnet: string, ip: string, mac: string): Promise<void> {
    try {
      await this.api.deleteClusterSdnVnetsIps({ zone, vnet, ip, mac });
    } catch (e) {
      if (
        !(e instanceof ProxmoxApiError && /does not exist|not in any subnet/.test(e.pveMessage)) &&
        !notFound(e)
      )
        throw e;
    }
  }

  // ------------------------------------------------------------------ cluster groups and IP sets

  private async groupRules(group: string): Promise<(PveRule & { pos: number })[] | null> {
    try {
      return (await this.api.getClusterFirewallGroupsByGroup({ group })) as never;
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  /** Makes the group hold exactly `rules` (in order); true when something was changed. */
  async syncGroup(group: string, comment: string, rules: readonly PveRule[]): Promise<boolean> {
    const current = await this.groupRules(group);
    if (current === null) await this.api.postClusterFirewallGroups({ group, comment });
    else if (current.map(ruleKey).join('\n') === rules.map(ruleKey).join('\n')) return false;
    for (let i = (current?.length ?? 0) - 1; i >= 0; i--)
      await this.api.deleteClusterFirewallGroupsByGroupByPos({ group, pos: i });
    for (const [pos, r] of rules.entries())
      await this.api.postClusterFirewallGroupsByGroup({ group, pos, ...r } as never);
    return true;
  }

  /** The group's rules as PVE holds them (null: no such group). */
  async readGroup(group: string): Promise<PveRule[] | null> {
    return this.groupRules(group);
  }

  async deleteGroup(group: string): Promise<void> {
    const rules = await this.groupRules(group);
    if (rules === null) return;
    for (let i = rules.length - 1; i >= 0; i--)
      await this.api.deleteClusterFirewallGroupsByGroupByPos({ group, pos: i });
    await this.api.deleteClusterFirewallGroupsByGroup({ group });
  }

  /** Makes the IP set hold exactly `cidrs` (created when missing); true when changed. */
  async syncIpset(name: string, comment: string, cidrs: readonly string[]): Promise<boolean> {
    let current: { cidr: string }[] | null = null;
    try {
      current = (await this.api.getClusterFirewallIpsetByName({ name })) as { cidr: string }[];
    } catch (e) {
      if (!notFound(e)) throw e;
    }
    if (current === null) {
      await this.api.postClusterFirewallIpset({ name, comment });
      current = [];
    }
    const want = new Set(cidrs.map(hostCidr));
    const have = new Set(current.map((e) => hostCidr(e.cidr)));
    let changed = false;
    for (const c of want)
      if (!have.has(c)) {
        await this.api.postClusterFirewallIpsetByName({ name, cidr: c });
        changed = true;
      }
    for (const c of have)
      if (!want.has(c)) {
        await this.api.deleteClusterFirewallIpsetByNameByCidr({ name, cidr: c });
        changed = true;
      }
    return changed;
  }

  /** The set's entries as CIDRs (null: no such set). */
  async readIpset(name: string): Promise<Set<string> | null> {
    try {
      const list = (await this.api.getClusterFirewallIpsetByName({ name })) as { cidr: string }[];
      return new Set(list.map((e) => hostCidr(e.cidr)));
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  async deleteIpset(name: string): Promise<void> {
    try {
      await this.api.deleteClusterFirewallIpsetByName({ name, force: true });
    } catch (e) {
      if (!notFound(e)) throw e;
    }
  }

  // ------------------------------------------------------------------ guests

  private fw(ref: GuestRef) {
    const t = ref.type === 'vm' ? 'Qemu' : 'Lxc';
    const raw = this.client().api as unknown as Record<
      string,
      (a: Record<string, unknown>) => Promise<unknown>
    >;
    const api = new Proxy(raw, {
      get: (target, name: string) => {
        this.calls++;
        return target[name];
      },
    });
    const at = { node: ref.node, vmid: ref.vmid };
    return {
      options: () => api[`getNodes${t}FirewallOptions`]!(at) as Promise<Record<string, unknown>>,
      setOptions: (o: Record<string, unknown>) => api[`putNodes${t}FirewallOptions`]!({ ...at, ...o }),
      rules: () => api[`getNodes${t}FirewallRules`]!(at) as Promise<(PveRule & { pos: number })[]>,
      add: (r: PveRule, pos: number) => api[`postNodes${t}FirewallRules`]!({ ...at, pos, ...r }),
      remove: (pos: number) => api[`deleteNodes${t}FirewallRulesByPos`]!({ ...at, pos }),
      ipsets: () => api[`getNodes${t}FirewallIpset`]!(at) as Promise<{ name: string; comment?: string }[]>,
      ipset: (name: string) =>
        api[`getNodes${t}FirewallIpsetByName`]!({ ...at, name }) as Promise<{ cidr: string }[]>,
      createIpset: (name: string) =>
        api[`postNodes${t}FirewallIpset`]!({ ...at, name, comment: `${MANAGED}:ipfilter` }),
      addIp: (name: string, cidr: string) => api[`postNodes${t}FirewallIpsetByName`]!({ ...at, name, cidr }),
      removeIp: (name: string, cidr: string) =>
        api[`deleteNodes${t}FirewallIpsetByNameByCidr`]!({ ...at, name, cidr }),
      dropIpset: (name: string) => api[`deleteNodes${t}FirewallIpsetByName`]!({ ...at, name, force: true }),
    };
  }

  /** The `ipfilter-net<N>` sets the guest must hold (empty map: ipfilter off, ours removed). */
  private static wantedFilterSets(want: GuestFirewall): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (!want.ipfilter) return out;
    for (const n of want.nics)
      if (n.sourceDestCheck !== false)
        out.set(ipfilterSet(n.slot), [...new Set((n.addresses ?? []).map(hostCidr))].sort());
    return out;
  }

  /**
   * The guest option `ipfilter`: undefined = leave it; on only when every NIC keeps its check (the
   * option would filter a NIC without a set as if it had an empty one), else off with per-NIC sets.
   */
  static ipfilterOption(want: GuestFirewall): 0 | 1 | undefined {
    if (want.ipfilter === undefined) return undefined;
    return want.ipfilter && want.nics.every((n) => n.sourceDestCheck !== false) ? 1 : 0;
  }

  /** The guest's `ipfilter-net<N>` sets as Proxmox holds them (ours and hand-made). */
  private async filterSets(fw: ReturnType<PveNetworking['fw']>): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const s of await fw.ipsets()) {
      if (!/^ipfilter-net\d+$/.test(s.name)) continue;
      out.set(s.name, (await fw.ipset(s.name)).map((e) => hostCidr(e.cidr)).sort());
    }
    return out;
  }

  private static sameSets(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (b.get(k)?.join(',') !== v.join(',')) return false;
    return true;
  }

  /**
   * The managed guest rules for `want`: per-NIC network groups first (their out-direction egress
   * rules must decide before a security group's outbound ACCEPT; their inbound rules only accept,
   * so their place does not change what gets in), then the security groups.
   */
  static guestRules(want: GuestFirewall): PveRule[] {
    return [
      ...want.nics.map(
        (n): PveRule => ({
          type: 'group',
          action: n.networkGroup,
          iface: `net${n.slot}`,
          enable: 1,
          comment: `${MANAGED}:network`,
        }),
      ),
      ...want.groups.map(
        (g): PveRule => ({ type: 'group', action: g, enable: 1, comment: `${MANAGED}:security-group` }),
      ),
    ];
  }

  /** What differs on the guest from `want` (empty: in sync). */
  async guestDrift(ref: GuestRef, want: GuestFirewall): Promise<string[]> {
    const fw = this.fw(ref);
    const [o, rules] = await Promise.all([fw.options(), fw.rules()]);
    const drift: string[] = [];
    if (Number(o.enable) !== 1) drift.push('firewall disabled');
    if (o.policy_in !== 'DROP') drift.push(`policy_in ${String(o.policy_in)}`);
    if (o.policy_out !== 'ACCEPT') drift.push(`policy_out ${String(o.policy_out)}`);
    const ipfOption = PveNetworking.ipfilterOption(want);
    if (ipfOption !== undefined && Number(o.ipfilter ?? 0) !== ipfOption)
      drift.push(`ipfilter ${ipfOption ? 'off' : 'on'}`);
    if (want.ipfilter) {
      const have = await this.filterSets(fw);
      if (!PveNetworking.sameSets(have, PveNetworking.wantedFilterSets(want)))
        drift.push('ipfilter IP sets differ from the NICs');
    }
    const ours = rules.filter((r) => r.comment?.startsWith(MANAGED)).map(ruleKey);
    const wanted = PveNetworking.guestRules(want).map(ruleKey);
    if (ours.join('\n') !== wanted.join('\n')) drift.push('security-group rules changed');
    const foreign = rules.filter((r) => !r.comment?.startsWith(MANAGED) && r.action === 'ACCEPT');
    if (foreign.length) drift.push(`${foreign.length} rule(s) added outside ProxiCloud`);
    return drift;
  }

  /** Firewall on, policy in DROP / out ACCEPT, our group rules exactly `want`; foreign ACCEPTs removed. */
  async syncGuest(ref: GuestRef, want: GuestFirewall, knownDrift?: string[]): Promise<void> {
    const fw = this.fw(ref);
    const o = await fw.options();
    const ipfOption = PveNetworking.ipfilterOption(want);
    const ipf = ipfOption === undefined ? {} : { ipfilter: ipfOption };
    const optionsDiffer =
      Number(o.enable) !== 1 ||
      o.policy_in !== 'DROP' ||
      o.policy_out !== 'ACCEPT' ||
      (ipfOption !== undefined && Number(o.ipfilter ?? 0) !== ipfOption);
    // turning a NIC's check off: the option first (else PVE filters that NIC against an empty set
    // between the two writes); turning it on: the sets first (each NIC's own addresses only)
    if (optionsDiffer && ipfOption === 0)
      await fw.setOptions({ enable: 1, policy_in: 'DROP', policy_out: 'ACCEPT', ...ipf });
    if (want.ipfilter) await this.syncFilterSets(fw, want);
    if (optionsDiffer && ipfOption !== 0)
      await fw.setOptions({ enable: 1, policy_in: 'DROP', policy_out: 'ACCEPT', ...ipf });
    const rules = await fw.rules();
    const wanted = PveNetworking.guestRules(want);
    const ours = rules.filter((r) => r.comment?.startsWith(MANAGED));
    const foreign = knownDrift
      ? rules.filter((r) => !r.comment?.startsWith(MANAGED) && r.action === 'ACCEPT')
      : [];
    if (ours.map(ruleKey).join('\n') === wanted.map(ruleKey).join('\n') && !foreign.length) return;
    const drop = [...ours, ...foreign].map((r) => Number(r.pos)).sort((a, b) => b - a);
    for (const pos of drop) await fw.remove(pos);
    for (const [i, r] of wanted.entries()) await fw.add(r, i);
  }

  /** Makes the guest's `ipfilter-net<N>` sets hold exactly each NIC's addresses (none when off). */
  private async syncFilterSets(fw: ReturnType<PveNetworking['fw']>, want: GuestFirewall): Promise<void> {
    const wanted = PveNetworking.wantedFilterSets(want);
    const have = await this.filterSets(fw);
    if (PveNetworking.sameSets(have, wanted)) return;
    for (const [name, cidrs] of wanted) {
      const current = have.get(name);
      if (!current) await fw.createIpset(name);
      for (const c of cidrs) if (!current?.includes(c)) await fw.addIp(name, c);
      for (const c of current ?? []) if (!cidrs.includes(c)) await fw.removeIp(name, c);
    }
    for (const name of have.keys()) if (!wanted.has(name)) await fw.dropIpset(name);
  }
}
