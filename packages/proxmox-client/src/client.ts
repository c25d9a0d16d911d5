import {
  createPveApi,
  type ParamsOf,
  type PathOf,
  type PveApi,
  type ResultOf,
  resolveEndpoint,
} from './api.ts';
import { encodeSshKeys, parseVmid } from './encoding.ts';
import type * as G from './generated/endpoints.ts';
import { TasksApi } from './tasks.ts';
import { type CallOptions, type HttpMethod, type ProxmoxClientOptions, Transport } from './transport.ts';
import { type OpenWebSocketOptions, openWebSocket } from './websocket.ts';

type Id = string | number;
const seg = Transport.segment;
/** A UPID string: the task id of an asynchronous operation. Wait for it with `client.tasks.wait(node, upid)`. */
export type Upid = string;

/** Accept `sshkeys` as a list or raw text, and `memory` as a number of MiB. */
type QemuWritable<P> = Omit<P, 'sshkeys' | 'memory'> & {
  sshkeys?: string | readonly string[];
  memory?: string | number;
};

const URLENCODED = /^[-%a-zA-Z0-9_.!~*'()]*$/;

/** Prepare QEMU create/config parameters: sshkeys encoded exactly once (see encodeSshKeys). */
function qemuParams<P extends { sshkeys?: string | readonly string[]; memory?: string | number }>(p: P): P {
  const out = { ...p } as Record<string, unknown>;
  const keys = p.sshkeys;
  if (keys !== undefined) {
    // An already-encoded value only contains [-%a-zA-Z0-9_.!~*'()]; raw keys always contain spaces.
    out.sshkeys = typeof keys === 'string' && URLENCODED.test(keys) ? keys : encodeSshKeys(keys);
  }
  if (typeof p.memory === 'number') out.memory = String(p.memory);
  return out as P;
}

class Rest {
  constructor(protected readonly t: Transport) {}
  protected call<T>(method: HttpMethod, path: string, params?: object, opts?: CallOptions): Promise<T> {
    return this.t.request<T>(method, path, params, opts);
  }
}

/* ------------------------------------------------------------------ firewall (rules + options) */

export class FirewallRulesApi<TList, TGet, TCreate, TUpdate> extends Rest {
  constructor(
    t: Transport,
    private readonly base: string,
  ) {
    super(t);
  }
  list(opts?: CallOptions): Promise<TList> {
    return this.call('GET', this.base, undefined, opts);
  }
  /** Rules are inserted at `pos` (default 0 = top). Returns null. */
  create(params: TCreate, opts?: CallOptions): Promise<null> {
    return this.call('POST', this.base, params as object, opts);
  }
  get(pos: number, opts?: CallOptions): Promise<TGet> {
    return this.call('GET', `${this.base}/${seg(pos)}`, undefined, opts);
  }
  update(pos: number, params: TUpdate, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/${seg(pos)}`, params as object, opts);
  }
  delete(pos: number, params: { digest?: string } = {}, opts?: CallOptions): Promise<null> {
    return this.call('DELETE', `${this.base}/${seg(pos)}`, params, opts);
  }
}

class OptionsApi<TGet, TUpdate> extends Rest {
  constructor(
    t: Transport,
    private readonly path: string,
  ) {
    super(t);
  }
  get(opts?: CallOptions): Promise<TGet> {
    return this.call('GET', this.path, undefined, opts);
  }
  update(params: TUpdate, opts?: CallOptions): Promise<null> {
    return this.call('PUT', this.path, params as object, opts);
  }
}

/* ------------------------------------------------------------------ QEMU */

export class QemuVmApi extends Rest {
  readonly kind = 'qemu' as const;
  readonly node: string;
  readonly vmid: number;
  private readonly base: string;
  readonly snapshots: {
    list(opts?: CallOptions): Promise<G.QemuSnapshotListResult>;
    create(params: G.QemuSnapshotCreateParams, opts?: CallOptions): Promise<Upid>;
    delete(name: string, params?: G.QemuSnapshotDeleteParams, opts?: CallOptions): Promise<Upid>;
    rollback(name: string, params?: G.QemuSnapshotRollbackParams, opts?: CallOptions): Promise<Upid>;
  };
  readonly firewall: {
    rules: FirewallRulesApi<
      G.QemuFirewallRulesListResult,
      G.QemuFirewallRuleGetResult,
      G.QemuFirewallRuleCreateParams,
      G.QemuFirewallRuleUpdateParams
    >;
    options: OptionsApi<G.QemuFirewallOptionsGetResult, G.QemuFirewallOptionsUpdateParams>;
  };
  readonly agent: {
    networkGetInterfaces(opts?: CallOptions): Promise<G.QemuAgentNetworkGetInterfacesResult>;
    /** `GET …/agent/get-fsinfo`: `{result: [{name, mountpoint, type, disk: [{serial, bus-type, target, …}]}]}`. */
    getFsinfo(opts?: CallOptions): Promise<G.QemuAgentGetFsinfoResult>;
    /** `POST …/agent/ping`: resolves when the guest agent answers; PVE errors (500) when it does not. */
    ping(opts?: CallOptions): Promise<G.QemuAgentPingResult>;
  };

  constructor(t: Transport, node: string, vmid: number) {
    super(t);
    this.node = node;
    this.vmid = vmid;
    this.base = `/nodes/${seg(node)}/qemu/${seg(vmid)}`;
    const b = this.base;
    this.snapshots = {
      list: (opts) => this.call('GET', `${b}/snapshot`, undefined, opts),
      create: (params, opts) => this.call('POST', `${b}/snapshot`, params, opts),
      delete: (name, params = {}, opts) => this.call('DELETE', `${b}/snapshot/${seg(name)}`, params, opts),
      rollback: (name, params = {}, opts) =>
        this.call('POST', `${b}/snapshot/${seg(name)}/rollback`, params, opts),
    };
    this.firewall = {
      rules: new FirewallRulesApi(t, `${b}/firewall/rules`),
      options: new OptionsApi(t, `${b}/firewall/options`),
    };
    this.agent = {
      networkGetInterfaces: (opts) => this.call('GET', `${b}/agent/network-get-interfaces`, undefined, opts),
      getFsinfo: (opts) => this.call('GET', `${b}/agent/get-fsinfo`, undefined, opts),
      ping: (opts) => this.call('POST', `${b}/agent/ping`, undefined, opts),
    };
  }

  config(params: G.QemuConfigGetParams = {}, opts?: CallOptions): Promise<G.QemuConfigGetResult> {
    return this.call('GET', `${this.base}/config`, params, opts);
  }
  /** `PUT …/config`: synchronous; returns when the change is written. */
  updateConfig(params: QemuWritable<G.QemuConfigUpdateParams>, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/config`, qemuParams(params), opts);
  }
  /** `POST …/config`: asynchronous; returns a UPID (or null when PVE finished within `background_delay`). */
  updateConfigAsync(
    params: QemuWritable<G.QemuConfigUpdateAsyncParams>,
    opts?: CallOptions,
  ): Promise<Upid | null> {
    return this.call('POST', `${this.base}/config`, qemuParams(params), opts);
  }
  status(opts?: CallOptions): Promise<G.QemuStatusCurrentResult> {
    return this.call('GET', `${this.base}/status/current`, undefined, opts);
  }
  start(params: G.QemuStartParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/start`, params, opts);
  }
  /** ACPI shutdown; `forceStop` stops the VM when `timeout` (s) passes. */
  shutdown(params: G.QemuShutdownParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/shutdown`, params, opts);
  }
  stop(params: G.QemuStopParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/stop`, params, opts);
  }
  reboot(params: G.QemuRebootParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/reboot`, params, opts);
  }
  /** Destroy the VM (`purge` removes it from jobs/HA, `destroy-unreferenced-disks`). */
  delete(params: G.QemuDeleteParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('DELETE', this.base, params, opts);
  }
  clone(params: G.QemuCloneParams, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/clone`, params, opts);
  }
  /** `size` like `+10G` or `40G` (grow only). */
  resize(params: G.QemuResizeParams, opts?: CallOptions): Promise<Upid> {
    return this.call('PUT', `${this.base}/resize`, params, opts);
  }
  /** Unlink/delete disk images (`idlist` like `unused0,scsi1`). */
  unlink(params: G.QemuUnlinkParams, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/unlink`, params, opts);
  }
  rrddata(params: G.QemuRrdDataParams, opts?: CallOptions): Promise<G.QemuRrdDataResult> {
    return this.call('GET', `${this.base}/rrddata`, params, opts);
  }
  vncproxy(params: G.QemuVncProxyParams = {}, opts?: CallOptions): Promise<G.QemuVncProxyResult> {
    return this.call('POST', `${this.base}/vncproxy`, params, opts);
  }
  termproxy(params: G.QemuTermProxyParams = {}, opts?: CallOptions): Promise<G.QemuTermProxyResult> {
    return this.call('POST', `${this.base}/termproxy`, params, opts);
  }
}

/* ------------------------------------------------------------------ LXC */

export class LxcApi extends Rest {
  readonly kind = 'lxc' as const;
  readonly node: string;
  readonly vmid: number;
  private readonly base: string;
  readonly snapshots: {
    list(opts?: CallOptions): Promise<G.LxcSnapshotListResult>;
    create(params: G.LxcSnapshotCreateParams, opts?: CallOptions): Promise<Upid>;
    delete(name: string, params?: G.LxcSnapshotDeleteParams, opts?: CallOptions): Promise<Upid>;
    rollback(name: string, params?: G.LxcSnapshotRollbackParams, opts?: CallOptions): Promise<Upid>;
  };
  readonly firewall: {
    rules: FirewallRulesApi<
      G.LxcFirewallRulesListResult,
      G.LxcFirewallRuleGetResult,
      G.LxcFirewallRuleCreateParams,
      G.LxcFirewallRuleUpdateParams
    >;
    options: OptionsApi<G.LxcFirewallOptionsGetResult, G.LxcFirewallOptionsUpdateParams>;
  };

  constructor(t: Transport, node: string, vmid: number) {
    super(t);
    this.node = node;
    this.vmid = vmid;
    this.base = `/nodes/${seg(node)}/lxc/${seg(vmid)}`;
    const b = this.base;
    this.snapshots = {
      list: (opts) => this.call('GET', `${b}/snapshot`, undefined, opts),
      create: (params, opts) => this.call('POST', `${b}/snapshot`, params, opts),
      delete: (name, params = {}, opts) => this.call('DELETE', `${b}/snapshot/${seg(name)}`, params, opts),
      rollback: (name, params = {}, opts) =>
        this.call('POST', `${b}/snapshot/${seg(name)}/rollback`, params, opts),
    };
    this.firewall = {
      rules: new FirewallRulesApi(t, `${b}/firewall/rules`),
      options: new OptionsApi(t, `${b}/firewall/options`),
    };
  }

  config(params: G.LxcConfigGetParams = {}, opts?: CallOptions): Promise<G.LxcConfigGetResult> {
    return this.call('GET', `${this.base}/config`, params, opts);
  }
  /** LXC has only the synchronous `PUT …/config` (returns null). */
  updateConfig(params: G.LxcConfigUpdateParams, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/config`, params, opts);
  }
  status(opts?: CallOptions): Promise<G.LxcStatusCurrentResult> {
    return this.call('GET', `${this.base}/status/current`, undefined, opts);
  }
  start(params: G.LxcStartParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/start`, params, opts);
  }
  shutdown(params: G.LxcShutdownParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/shutdown`, params, opts);
  }
  stop(params: G.LxcStopParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/stop`, params, opts);
  }
  reboot(params: G.LxcRebootParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/reboot`, params, opts);
  }
  delete(params: G.LxcDeleteParams = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('DELETE', this.base, params, opts);
  }
  clone(params: G.LxcCloneParams, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/clone`, params, opts);
  }
  resize(params: G.LxcResizeParams, opts?: CallOptions): Promise<Upid> {
    return this.call('PUT', `${this.base}/resize`, params, opts);
  }
  rrddata(params: G.LxcRrdDataParams, opts?: CallOptions): Promise<G.LxcRrdDataResult> {
    return this.call('GET', `${this.base}/rrddata`, params, opts);
  }
  vncproxy(params: G.LxcVncProxyParams = {}, opts?: CallOptions): Promise<G.LxcVncProxyResult> {
    return this.call('POST', `${this.base}/vncproxy`, params, opts);
  }
  termproxy(params: G.LxcTermProxyParams = {}, opts?: CallOptions): Promise<G.LxcTermProxyResult> {
    return this.call('POST', `${this.base}/termproxy`, params, opts);
  }
  /** Container interfaces with their addresses (from inside the container). */
  interfaces(opts?: CallOptions): Promise<G.LxcInterfacesResult> {
    return this.call('GET', `${this.base}/interfaces`, undefined, opts);
  }
}

/* ------------------------------------------------------------------ either guest */

/** PVE's guest types, and ProxiCloud's names for them ('vm' = QEMU, 'ct' = LXC). */
export type GuestType = 'qemu' | 'lxc' | 'vm' | 'ct';

/**
 * What a QEMU VM and an LXC container have in common, for code that handles either (the guest
 * type known only at run time): `client.node(n).guest(type, vmid)`. Parameters are the union of
 * both types' parameters, so a field only one type knows (`forceStop`, `destroy-unreferenced-disks`,
 * disk names) type-checks without casts, and PVE validates it against the actual guest. Use
 * `vm()` / `ct()` (or narrow on `kind`) for the type-specific API.
 */
export type GuestResizeParams = Omit<G.QemuResizeParams, 'disk'> & {
  disk: G.QemuResizeParams['disk'] | G.LxcResizeParams['disk'];
};

export interface GuestApi {
  readonly kind: 'qemu' | 'lxc';
  readonly node: string;
  readonly vmid: number;
  config(
    params?: G.QemuConfigGetParams & G.LxcConfigGetParams,
    opts?: CallOptions,
  ): Promise<G.QemuConfigGetResult | G.LxcConfigGetResult>;
  updateConfig(
    params: QemuWritable<G.QemuConfigUpdateParams> | G.LxcConfigUpdateParams,
    opts?: CallOptions,
  ): Promise<null>;
  status(opts?: CallOptions): Promise<G.QemuStatusCurrentResult | G.LxcStatusCurrentResult>;
  start(params?: G.QemuStartParams | G.LxcStartParams, opts?: CallOptions): Promise<Upid>;
  shutdown(params?: G.QemuShutdownParams | G.LxcShutdownParams, opts?: CallOptions): Promise<Upid>;
  stop(params?: G.QemuStopParams | G.LxcStopParams, opts?: CallOptions): Promise<Upid>;
  reboot(params?: G.QemuRebootParams | G.LxcRebootParams, opts?: CallOptions): Promise<Upid>;
  delete(params?: G.QemuDeleteParams | G.LxcDeleteParams, opts?: CallOptions): Promise<Upid>;
  clone(params: G.QemuCloneParams | G.LxcCloneParams, opts?: CallOptions): Promise<Upid>;
  /** `disk` is either type's disk name (`scsi0`, `rootfs`, …); PVE checks it against the guest. */
  resize(params: GuestResizeParams, opts?: CallOptions): Promise<Upid>;
  rrddata(
    params: G.QemuRrdDataParams | G.LxcRrdDataParams,
    opts?: CallOptions,
  ): Promise<G.QemuRrdDataResult | G.LxcRrdDataResult>;
  vncproxy(
    params?: G.QemuVncProxyParams | G.LxcVncProxyParams,
    opts?: CallOptions,
  ): Promise<G.QemuVncProxyResult | G.LxcVncProxyResult>;
  termproxy(
    params?: G.QemuTermProxyParams | G.LxcTermProxyParams,
    opts?: CallOptions,
  ): Promise<G.QemuTermProxyResult | G.LxcTermProxyResult>;
  readonly snapshots: {
    list(opts?: CallOptions): Promise<G.QemuSnapshotListResult | G.LxcSnapshotListResult>;
    create(params: G.QemuSnapshotCreateParams | G.LxcSnapshotCreateParams, opts?: CallOptions): Promise<Upid>;
    delete(
      name: string,
      params?: G.QemuSnapshotDeleteParams | G.LxcSnapshotDeleteParams,
      opts?: CallOptions,
    ): Promise<Upid>;
    rollback(
      name: string,
      params?: G.QemuSnapshotRollbackParams | G.LxcSnapshotRollbackParams,
      opts?: CallOptions,
    ): Promise<Upid>;
  };
}

/* ------------------------------------------------------------------ storage */

export class StorageApi extends Rest {
  private readonly base: string;
  constructor(t: Transport, node: string, storage: string) {
    super(t);
    this.base = `/nodes/${seg(node)}/storage/${seg(storage)}`;
  }
  status(opts?: CallOptions): Promise<G.StorageStatusResult> {
    return this.call('GET', `${this.base}/status`, undefined, opts);
  }
  content(params: G.StorageContentListParams = {}, opts?: CallOptions): Promise<G.StorageContentListResult> {
    return this.call('GET', `${this.base}/content`, params, opts);
  }
  /** Allocate a volume (`filename` like `vm-100-disk-1`, `size` like `4G` or KiB). Sync; returns the volid. */
  allocate(params: G.StorageContentAllocateParams, opts?: CallOptions): Promise<string> {
    return this.call('POST', `${this.base}/content`, params, opts);
  }
  /** Delete a volume (`local:iso/x.iso` or `vm-100-disk-1`). Returns a UPID (or null on old versions). */
  deleteVolume(
    volume: string,
    params: G.StorageContentDeleteParams = {},
    opts?: CallOptions,
  ): Promise<Upid | null> {
    return this.call('DELETE', `${this.base}/content/${seg(volume)}`, params, opts);
  }
}

/* ------------------------------------------------------------------ node */

export class NodeApi extends Rest {
  readonly name: string;
  private readonly base: string;
  readonly qemu: {
    list(params?: G.QemuListParams, opts?: CallOptions): Promise<G.QemuListResult>;
    /** `POST /nodes/{node}/qemu` → UPID. `sshkeys` may be given raw; it is encoded once for you. */
    create(params: QemuWritable<G.QemuCreateParams>, opts?: CallOptions): Promise<Upid>;
  };
  readonly lxc: {
    list(opts?: CallOptions): Promise<G.LxcListResult>;
    create(params: G.LxcCreateParams, opts?: CallOptions): Promise<Upid>;
  };
  readonly storage: {
    list(params?: G.StorageListParams, opts?: CallOptions): Promise<G.StorageListResult>;
  };

  constructor(t: Transport, node: string) {
    super(t);
    this.name = node;
    this.base = `/nodes/${seg(node)}`;
    const b = this.base;
    this.qemu = {
      list: (params = {}, opts) => this.call('GET', `${b}/qemu`, params, opts),
      create: (params, opts) => this.call('POST', `${b}/qemu`, qemuParams(params), opts),
    };
    this.lxc = {
      list: (opts) => this.call('GET', `${b}/lxc`, undefined, opts),
      create: (params, opts) => this.call('POST', `${b}/lxc`, params, opts),
    };
    this.storage = {
      list: (params = {}, opts) => this.call('GET', `${b}/storage`, params, opts),
    };
  }

  status(opts?: CallOptions): Promise<G.NodeStatusResult> {
    return this.call('GET', `${this.base}/status`, undefined, opts);
  }
  rrddata(params: G.NodeRrdDataParams, opts?: CallOptions): Promise<G.NodeRrdDataResult> {
    return this.call('GET', `${this.base}/rrddata`, params, opts);
  }
  network(params: G.NodeNetworkParams = {}, opts?: CallOptions): Promise<G.NodeNetworkResult> {
    return this.call('GET', `${this.base}/network`, params, opts);
  }
  /** One backup run now → UPID. */
  vzdump(params: G.VzdumpParams, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/vzdump`, params, opts);
  }
  vm(vmid: Id): QemuVmApi {
    return new QemuVmApi(this.t, this.name, parseVmid(vmid));
  }
  ct(vmid: Id): LxcApi {
    return new LxcApi(this.t, this.name, parseVmid(vmid));
  }
  /** A VM or a container by type ('qemu'/'vm' or 'lxc'/'ct'), through their common API. */
  guest(type: GuestType, vmid: Id): GuestApi {
    if (type === 'qemu' || type === 'vm') return this.vm(vmid);
    if (type === 'lxc' || type === 'ct') return this.ct(vmid);
    throw new TypeError(`unknown guest type ${JSON.stringify(type)}`);
  }
  storageOf(storage: string): StorageApi {
    return new StorageApi(this.t, this.name, storage);
  }
}

/* ------------------------------------------------------------------ cluster */

class CrudApi<TList, TGet, TCreate, TUpdate> extends Rest {
  constructor(
    t: Transport,
    private readonly base: string,
  ) {
    super(t);
  }
  list(params: object = {}, opts?: CallOptions): Promise<TList> {
    return this.call('GET', this.base, params, opts);
  }
  get(id: string, params: object = {}, opts?: CallOptions): Promise<TGet> {
    return this.call('GET', `${this.base}/${seg(id)}`, params, opts);
  }
  create(params: TCreate, opts?: CallOptions): Promise<null> {
    return this.call('POST', this.base, params as object, opts);
  }
  update(id: string, params: TUpdate, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/${seg(id)}`, params as object, opts);
  }
  delete(id: string, params: object = {}, opts?: CallOptions): Promise<null> {
    return this.call('DELETE', `${this.base}/${seg(id)}`, params, opts);
  }
}

export class ClusterApi extends Rest {
  readonly firewall: {
    groups: {
      list(opts?: CallOptions): Promise<G.FirewallGroupsListResult>;
      create(params: G.FirewallGroupCreateParams, opts?: CallOptions): Promise<null>;
      delete(group: string, opts?: CallOptions): Promise<null>;
      /** Rules of one security group. */
      rules(
        group: string,
      ): FirewallRulesApi<
        G.FirewallGroupRulesListResult,
        G.FirewallGroupRuleGetResult,
        G.FirewallGroupRuleCreateParams,
        G.FirewallGroupRuleUpdateParams
      >;
    };
    options: OptionsApi<G.FirewallClusterOptionsGetResult, G.FirewallClusterOptionsUpdateParams>;
  };
  readonly sdn: {
    /** Apply pending SDN changes (`PUT /cluster/sdn`) → UPID. */
    apply(params?: G.SdnApplyParams, opts?: CallOptions): Promise<Upid>;
    zones: CrudApi<G.SdnZonesListResult, G.SdnZoneGetResult, G.SdnZoneCreateParams, G.SdnZoneUpdateParams>;
    vnets: CrudApi<G.SdnVnetsListResult, G.SdnVnetGetResult, G.SdnVnetCreateParams, G.SdnVnetUpdateParams>;
    subnets(
      vnet: string,
    ): CrudApi<
      G.SdnSubnetsListResult,
      G.SdnSubnetGetResult,
      G.SdnSubnetCreateParams,
      G.SdnSubnetUpdateParams
    >;
  };
  readonly backup: CrudApi<
    G.BackupJobsListResult,
    G.BackupJobGetResult,
    G.BackupJobCreateParams,
    G.BackupJobUpdateParams
  >;

  constructor(t: Transport) {
    super(t);
    this.firewall = {
      groups: {
        list: (opts) => this.call('GET', '/cluster/firewall/groups', undefined, opts),
        create: (params, opts) => this.call('POST', '/cluster/firewall/groups', params, opts),
        delete: (group, opts) =>
          this.call('DELETE', `/cluster/firewall/groups/${seg(group)}`, undefined, opts),
        rules: (group) => new FirewallRulesApi(t, `/cluster/firewall/groups/${seg(group)}`),
      },
      options: new OptionsApi(t, '/cluster/firewall/options'),
    };
    this.sdn = {
      apply: (params = {}, opts) => this.call('PUT', '/cluster/sdn', params, opts),
      zones: new CrudApi(t, '/cluster/sdn/zones'),
      vnets: new CrudApi(t, '/cluster/sdn/vnets'),
      subnets: (vnet) => new CrudApi(t, `/cluster/sdn/vnets/${seg(vnet)}/subnets`),
    };
    this.backup = new CrudApi(t, '/cluster/backup');
  }

  resources(params: G.ClusterResourcesParams = {}, opts?: CallOptions): Promise<G.ClusterResourcesResult> {
    return this.call('GET', '/cluster/resources', params, opts);
  }
  /** Next free VMID as a number (PVE answers a string). `vmid` checks that one id is free (400 if taken). */
  async nextId(params: G.ClusterNextIdParams = {}, opts?: CallOptions): Promise<number> {
    return parseVmid(await this.call<unknown>('GET', '/cluster/nextid', params, opts));
  }
  status(opts?: CallOptions): Promise<G.ClusterStatusResult> {
    return this.call('GET', '/cluster/status', undefined, opts);
  }
}

/* ------------------------------------------------------------------ client */

/**
 * Typed Proxmox VE REST client. The node is always explicit:
 * `client.node('pve1').vm(100).start()` → UPID; `client.tasks.wait('pve1', upid)`.
 */
export class ProxmoxClient {
  private readonly t: Transport;
  /**
   * A typed method for every endpoint ProxiCloud may use (generated table, see PVE_API):
   * `client.api.getClusterHaResources()`, `client.api.postNodesQemuMigrate({node, vmid, target})`.
   */
  readonly api: PveApi;
  readonly cluster: ClusterApi;
  readonly tasks: TasksApi;
  readonly nodes: { list(opts?: CallOptions): Promise<G.NodesListResult> };
  readonly storage: {
    /** `GET /storage/{storage}`: the storage's configuration (type, path, content, content-dirs …). */
    config(storage: string, opts?: CallOptions): Promise<G.StorageConfigGetResult>;
  };
  readonly access: {
    /** Effective permissions of the authenticated user/token (`path` to narrow). */
    permissions(params?: G.AccessPermissionsParams, opts?: CallOptions): Promise<G.AccessPermissionsResult>;
  };

  constructor(opts: ProxmoxClientOptions) {
    this.t = new Transport(opts);
    this.api = createPveApi(this.t);
    this.cluster = new ClusterApi(this.t);
    this.tasks = new TasksApi(this.t);
    this.nodes = { list: (o) => this.t.request('GET', '/nodes', undefined, o) };
    this.storage = {
      config: (storage, o) => this.t.request('GET', `/storage/${seg(storage)}`, undefined, o),
    };
    this.access = {
      permissions: (params = {}, o) => this.t.request('GET', '/access/permissions', params, o),
    };
  }

  /** `https://host:8006/api2/json`. */
  get baseUrl(): string {
    return this.t.baseUrl;
  }

  version(opts?: CallOptions): Promise<G.VersionResult> {
    return this.t.request('GET', '/version', undefined, opts);
  }

  node(name: string): NodeApi {
    return new NodeApi(this.t, name);
  }

  /** Ticket auth: log in now (otherwise the first request does). No-op with an API token. */
  login(signal?: AbortSignal): Promise<void> {
    return this.t.ensureAuth(signal);
  }

  /**
   * Low-level typed call for any endpoint the client knows:
   * `client.request('GET /nodes/{node}/qemu', {node: 'pve1'}, {full: true})`.
   */
  request<K extends G.EndpointKey>(
    key: K,
    pathParams: PathOf<K>,
    params?: ParamsOf<K>,
    opts?: CallOptions,
  ): Promise<ResultOf<K>> {
    const { method, path } = resolveEndpoint(key, pathParams as Record<string, unknown>);
    return this.t.request(method, path, params as object | undefined, opts);
  }

  /**
   * `GET /nodes/{node}/{qemu|lxc}/{vmid}/vncwebsocket?port&vncticket` upgraded to a WebSocket: the
   * console stream of a `vncproxy`/`termproxy` ticket (RFB, or PVE's terminal protocol). Same TLS
   * policy and credentials as the REST calls; subprotocol `binary` like PVE's own consoles. The
   * socket comes back paused (see `openWebSocket`): attach listeners, then `resume()`.
   */
  async vncWebSocket(
    node: string,
    kind: 'qemu' | 'lxc',
    vmid: number,
    params: { port: number | string; vncticket: string },
    opts: OpenWebSocketOptions = {},
  ) {
    const path = `/nodes/${Transport.segment(node)}/${kind}/${Transport.segment(vmid)}/vncwebsocket`;
    const target = await this.t.upgradeTarget(
      path,
      { port: String(params.port), vncticket: params.vncticket },
      opts.signal,
    );
    return openWebSocket(target, { protocols: ['binary'], ...opts });
  }

  /** Close idle connections. */
  close(): Promise<void> {
    return this.t.close();
  }
}
