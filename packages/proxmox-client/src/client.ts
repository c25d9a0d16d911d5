import {
  createPveApi,
  type ParamsOf,
  type PathOf,
  type PveApi,
  type ResultOf,
  resolveEndpoint,
} from './api.ts';
import { parseVmid } from './encoding.ts';
import type * as G from './generated/endpoints.ts';
import { type GuestApi, type GuestType, LxcApi, QemuVmApi } from './guests.ts';
import { FirewallRulesApi, OptionsApi, type QemuWritable, qemuParams, Rest, seg, type Upid } from './rest.ts';
import { TasksApi } from './tasks.ts';
import { type CallOptions, type ProxmoxClientOptions, Transport } from './transport.ts';
import { type OpenWebSocketOptions, openWebSocket } from './websocket.ts';

export { type GuestApi, type GuestResizeParams, type GuestType, LxcApi, QemuVmApi } from './guests.ts';
export { FirewallRulesApi, type Upid } from './rest.ts';

type Id = string | number;

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
