import type { ClusterResourcesResult, ProxmoxClient } from '@proxicloud/proxmox-client';
import { UnprocessableError } from '../../platform/errors.ts';

export type ResourceEntry = ClusterResourcesResult[number];

export interface ClusterSnapshot {
  fetchedAt: number;
  nodes: Map<string, ResourceEntry>;
  /** qemu and lxc guests by vmid */
  guests: Map<number, ResourceEntry>;
  /** `${node}/${storage}` */
  storages: Map<string, ResourceEntry>;
}

/** The names of the nodes that are online. */
export function onlineNodes(snap: ClusterSnapshot): string[] {
  return [...snap.nodes.values()].filter((n) => n.status === 'online').map((n) => n.node!);
}

/** A node the caller asked for by name: 422 `unknown_node` or `node_offline` unless it can be used. */
export function requireOnlineNode(snap: ClusterSnapshot, node: string): void {
  const n = snap.nodes.get(node);
  if (!n)
    throw new UnprocessableError(
      `Node '${node}' is not part of the cluster`,
      { field: 'node' },
      'unknown_node',
    );
  if (n.status !== 'online')
    throw new UnprocessableError(`Node '${node}' is offline`, { field: 'node' }, 'node_offline');
}

/**
 * One `GET /cluster/resources` serves every list/get/placement/reconcile within `maxAgeMs`
 * (single-flight: concurrent callers share one request).
 */
export class ResourceCache {
  private current: ClusterSnapshot | null = null;
  private inflight: Promise<ClusterSnapshot> | null = null;

  constructor(
    private readonly client: () => ProxmoxClient,
    private readonly maxAgeMs = 2000,
  ) {}

  invalidate(): void {
    this.current = null;
  }

  peek(): ClusterSnapshot | null {
    return this.current;
  }

  /**
   * A snapshot at most `maxAgeMs` old. With `staleOkMs`, an older one (up to that age) is returned
   * at once while a refresh runs in the background (list pages never wait for PVE).
   */
  async get(maxAgeMs = this.maxAgeMs, staleOkMs = 0): Promise<ClusterSnapshot> {
    const age = this.current ? Date.now() - this.current.fetchedAt : Number.POSITIVE_INFINITY;
    if (this.current && age <= maxAgeMs) return this.current;
    const refresh = () =>
      (this.inflight ??= this.fetch().finally(() => {
        this.inflight = null;
      }));
    if (this.current && age <= staleOkMs) {
      refresh().catch(() => undefined);
      return this.current;
    }
    return refresh();
  }

  private async fetch(): Promise<ClusterSnapshot> {
    const list = await this.client().cluster.resources();
    const snap: ClusterSnapshot = {
      fetchedAt: Date.now(),
      nodes: new Map(),
      guests: new Map(),
      storages: new Map(),
    };
    for (const r of list) {
      if (r.type === 'node' && r.node) snap.nodes.set(r.node, r);
      else if ((r.type === 'qemu' || r.type === 'lxc') && typeof r.vmid === 'number')
        snap.guests.set(r.vmid, r);
      else if (r.type === 'storage' && r.node && r.storage) snap.storages.set(`${r.node}/${r.storage}`, r);
    }
    this.current = snap;
    return snap;
  }
}
