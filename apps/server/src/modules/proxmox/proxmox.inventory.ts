import type { ProxmoxClient, StorageListResult } from '@proxicloud/proxmox-client';

export type NodeStorage = StorageListResult[number];

/**
 * Per-node storages and bridges (what launch validation and placement need), cached briefly so a
 * burst of launches costs one PVE call per node and kind.
 */
export class NodeInventory {
  private readonly storages = new Map<string, { at: number; value: Promise<NodeStorage[]> }>();
  private readonly bridges = new Map<string, { at: number; value: Promise<string[]> }>();

  constructor(
    private readonly client: () => ProxmoxClient,
    private readonly ttlMs = 15_000,
  ) {}

  invalidate(): void {
    this.storages.clear();
    this.bridges.clear();
  }

  private cached<T>(
    map: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = map.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    map.set(key, { at: Date.now(), value });
    value.catch(() => map.delete(key));
    return value;
  }

  storagesOf(node: string): Promise<NodeStorage[]> {
    return this.cached(this.storages, node, () => this.client().node(node).storage.list({ enabled: true }));
  }

  bridgesOf(node: string): Promise<string[]> {
    return this.cached(this.bridges, node, async () =>
      // SDN VNets are bridges on the node too, but they are ProxiCloud networks (reached through
      // networkIds, owned by one user): never offered or accepted as a launch bridge
      (await this.client().node(node).network({ type: 'any_bridge' }))
        .filter((i) => i.type !== 'vnet')
        .map((i) => i.iface),
    );
  }
}
