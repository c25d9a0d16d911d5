/**
 * Proxmox access shared by every module that talks to PVE: the connection (503 without one),
 * the cluster-resource cache (one `GET /cluster/resources` per poll), the per-node inventory
 * (storages, bridges), how PVE failures become operation/API errors, how ProxiCloud tags the
 * guests it owns, and the admin's connection check (/system/proxmox-check). The cache and the
 * inventory are built once per app (app.ts) and reach modules as `deps.cache`/`deps.inventory`.
 */
import type { ModuleDeps, ProxmoxConnection, ServerModule } from '../../deps.ts';
import { ResourceCache } from './proxmox.cache.ts';
import { NodeInventory } from './proxmox.inventory.ts';
import { requireProxmox } from './proxmox.pve.ts';
import { proxmoxRoutes } from './proxmox.routes.ts';

export {
  type ClusterSnapshot,
  onlineNodes,
  ResourceCache,
  type ResourceEntry,
  requireOnlineNode,
} from './proxmox.cache.ts';
export { NodeInventory, type NodeStorage } from './proxmox.inventory.ts';
export {
  apiErrorOf,
  ComputeError,
  guestDescription,
  guestTags,
  isGone,
  isUnreachable,
  isVmidTaken,
  operationErrorOf,
  PC_TAG,
  parseTags,
  requireProxmox,
  taggedInstanceId,
} from './proxmox.pve.ts';
export { ProxmoxCheckSchema } from './proxmox.routes.ts';

export interface ProxmoxAccess {
  /** The connection; throws 503 when the server runs without one. */
  pve: () => ProxmoxConnection;
  cache: ResourceCache;
  inventory: NodeInventory;
}

/** Built once per app: one cache and one inventory for every module. */
export function createProxmoxAccess(connection: ProxmoxConnection | undefined): ProxmoxAccess {
  const pve = () => requireProxmox(connection);
  return {
    pve,
    cache: new ResourceCache(() => pve().client, 2000),
    inventory: new NodeInventory(() => pve().client),
  };
}

export const proxmoxModule: ServerModule<Pick<ModuleDeps, 'proxmox' | 'inventory' | 'cache'>> = {
  name: 'proxmox',
  async register(app, deps) {
    await proxmoxRoutes(app, { proxmox: () => deps.proxmox, inventory: deps.inventory, cache: deps.cache });
  },
};
