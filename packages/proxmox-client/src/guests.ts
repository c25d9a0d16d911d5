// QEMU VMs and LXC containers: the endpoints both have (one generic class typed per guest type),
// what only one of them has, and \`GuestApi\` for code that handles either.
import type * as G from './generated/endpoints.ts';
import { FirewallRulesApi, OptionsApi, type QemuWritable, qemuParams, Rest, seg, type Upid } from './rest.ts';
import type { CallOptions, Transport } from './transport.ts';

/* ------------------------------------------------------------------ QEMU and LXC: the shared part */

/** The parameter and result types of one guest type's endpoints that QEMU and LXC share. */
interface GuestTypes {
  ConfigParams: object;
  Config: unknown;
  Status: unknown;
  Start: object;
  Shutdown: object;
  Stop: object;
  Reboot: object;
  Delete: object;
  Clone: object;
  Resize: object;
  RrdParams: object;
  Rrd: unknown;
  VncParams: object;
  Vnc: unknown;
  TermParams: object;
  Term: unknown;
  SnapshotList: unknown;
  SnapshotCreate: object;
  SnapshotDelete: object;
  SnapshotRollback: object;
  RuleList: unknown;
  RuleGet: unknown;
  RuleCreate: unknown;
  RuleUpdate: unknown;
  OptionsGet: unknown;
  OptionsUpdate: unknown;
}

interface QemuTypes extends GuestTypes {
  ConfigParams: G.QemuConfigGetParams;
  Config: G.QemuConfigGetResult;
  Status: G.QemuStatusCurrentResult;
  Start: G.QemuStartParams;
  Shutdown: G.QemuShutdownParams;
  Stop: G.QemuStopParams;
  Reboot: G.QemuRebootParams;
  Delete: G.QemuDeleteParams;
  Clone: G.QemuCloneParams;
  Resize: G.QemuResizeParams;
  RrdParams: G.QemuRrdDataParams;
  Rrd: G.QemuRrdDataResult;
  VncParams: G.QemuVncProxyParams;
  Vnc: G.QemuVncProxyResult;
  TermParams: G.QemuTermProxyParams;
  Term: G.QemuTermProxyResult;
  SnapshotList: G.QemuSnapshotListResult;
  SnapshotCreate: G.QemuSnapshotCreateParams;
  SnapshotDelete: G.QemuSnapshotDeleteParams;
  SnapshotRollback: G.QemuSnapshotRollbackParams;
  RuleList: G.QemuFirewallRulesListResult;
  RuleGet: G.QemuFirewallRuleGetResult;
  RuleCreate: G.QemuFirewallRuleCreateParams;
  RuleUpdate: G.QemuFirewallRuleUpdateParams;
  OptionsGet: G.QemuFirewallOptionsGetResult;
  OptionsUpdate: G.QemuFirewallOptionsUpdateParams;
}

interface LxcTypes extends GuestTypes {
  ConfigParams: G.LxcConfigGetParams;
  Config: G.LxcConfigGetResult;
  Status: G.LxcStatusCurrentResult;
  Start: G.LxcStartParams;
  Shutdown: G.LxcShutdownParams;
  Stop: G.LxcStopParams;
  Reboot: G.LxcRebootParams;
  Delete: G.LxcDeleteParams;
  Clone: G.LxcCloneParams;
  Resize: G.LxcResizeParams;
  RrdParams: G.LxcRrdDataParams;
  Rrd: G.LxcRrdDataResult;
  VncParams: G.LxcVncProxyParams;
  Vnc: G.LxcVncProxyResult;
  TermParams: G.LxcTermProxyParams;
  Term: G.LxcTermProxyResult;
  SnapshotList: G.LxcSnapshotListResult;
  SnapshotCreate: G.LxcSnapshotCreateParams;
  SnapshotDelete: G.LxcSnapshotDeleteParams;
  SnapshotRollback: G.LxcSnapshotRollbackParams;
  RuleList: G.LxcFirewallRulesListResult;
  RuleGet: G.LxcFirewallRuleGetResult;
  RuleCreate: G.LxcFirewallRuleCreateParams;
  RuleUpdate: G.LxcFirewallRuleUpdateParams;
  OptionsGet: G.LxcFirewallOptionsGetResult;
  OptionsUpdate: G.LxcFirewallOptionsUpdateParams;
}

/** `/nodes/{node}/{qemu|lxc}/{vmid}`: the endpoints both guest types have, typed per type by `M`. */
abstract class GuestBaseApi<M extends GuestTypes> extends Rest {
  readonly node: string;
  readonly vmid: number;
  protected readonly base: string;
  readonly snapshots: {
    list(opts?: CallOptions): Promise<M['SnapshotList']>;
    create(params: M['SnapshotCreate'], opts?: CallOptions): Promise<Upid>;
    delete(name: string, params?: M['SnapshotDelete'], opts?: CallOptions): Promise<Upid>;
    rollback(name: string, params?: M['SnapshotRollback'], opts?: CallOptions): Promise<Upid>;
  };
  readonly firewall: {
    rules: FirewallRulesApi<M['RuleList'], M['RuleGet'], M['RuleCreate'], M['RuleUpdate']>;
    options: OptionsApi<M['OptionsGet'], M['OptionsUpdate']>;
  };

  constructor(t: Transport, type: 'qemu' | 'lxc', node: string, vmid: number) {
    super(t);
    this.node = node;
    this.vmid = vmid;
    this.base = `/nodes/${seg(node)}/${type}/${seg(vmid)}`;
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

  config(params: M['ConfigParams'] = {}, opts?: CallOptions): Promise<M['Config']> {
    return this.call('GET', `${this.base}/config`, params, opts);
  }
  status(opts?: CallOptions): Promise<M['Status']> {
    return this.call('GET', `${this.base}/status/current`, undefined, opts);
  }
  start(params: M['Start'] = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/start`, params, opts);
  }
  /** ACPI shutdown; `forceStop` stops the guest when `timeout` (s) passes. */
  shutdown(params: M['Shutdown'] = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/shutdown`, params, opts);
  }
  stop(params: M['Stop'] = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/stop`, params, opts);
  }
  reboot(params: M['Reboot'] = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/status/reboot`, params, opts);
  }
  /** Destroy the guest (`purge` removes it from jobs/HA; QEMU: `destroy-unreferenced-disks`). */
  delete(params: M['Delete'] = {}, opts?: CallOptions): Promise<Upid> {
    return this.call('DELETE', this.base, params, opts);
  }
  clone(params: M['Clone'], opts?: CallOptions): Promise<Upid> {
    return this.call('POST', `${this.base}/clone`, params, opts);
  }
  /** `size` like `+10G` or `40G` (grow only). */
  resize(params: M['Resize'], opts?: CallOptions): Promise<Upid> {
    return this.call('PUT', `${this.base}/resize`, params, opts);
  }
  rrddata(params: M['RrdParams'], opts?: CallOptions): Promise<M['Rrd']> {
    return this.call('GET', `${this.base}/rrddata`, params, opts);
  }
  vncproxy(params: M['VncParams'] = {}, opts?: CallOptions): Promise<M['Vnc']> {
    return this.call('POST', `${this.base}/vncproxy`, params, opts);
  }
  termproxy(params: M['TermParams'] = {}, opts?: CallOptions): Promise<M['Term']> {
    return this.call('POST', `${this.base}/termproxy`, params, opts);
  }
}

/* ------------------------------------------------------------------ QEMU */

export class QemuVmApi extends GuestBaseApi<QemuTypes> {
  readonly kind = 'qemu' as const;
  readonly agent: {
    networkGetInterfaces(opts?: CallOptions): Promise<G.QemuAgentNetworkGetInterfacesResult>;
    /** `GET …/agent/get-fsinfo`: `{result: [{name, mountpoint, type, disk: [{serial, bus-type, target, …}]}]}`. */
    getFsinfo(opts?: CallOptions): Promise<G.QemuAgentGetFsinfoResult>;
    /** `POST …/agent/ping`: resolves when the guest agent answers; PVE errors (500) when it does not. */
    ping(opts?: CallOptions): Promise<G.QemuAgentPingResult>;
  };

  constructor(t: Transport, node: string, vmid: number) {
    super(t, 'qemu', node, vmid);
    const b = this.base;
    this.agent = {
      networkGetInterfaces: (opts) => this.call('GET', `${b}/agent/network-get-interfaces`, undefined, opts),
      getFsinfo: (opts) => this.call('GET', `${b}/agent/get-fsinfo`, undefined, opts),
      ping: (opts) => this.call('POST', `${b}/agent/ping`, undefined, opts),
    };
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
  /** Unlink/delete disk images (`idlist` like `unused0,scsi1`). */
  unlink(params: G.QemuUnlinkParams, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/unlink`, params, opts);
  }
}

/* ------------------------------------------------------------------ LXC */

export class LxcApi extends GuestBaseApi<LxcTypes> {
  readonly kind = 'lxc' as const;

  constructor(t: Transport, node: string, vmid: number) {
    super(t, 'lxc', node, vmid);
  }

  /** LXC has only the synchronous `PUT …/config` (returns null). */
  updateConfig(params: G.LxcConfigUpdateParams, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/config`, params, opts);
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
