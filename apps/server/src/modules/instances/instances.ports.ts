/**
 * What other modules may do with instances (exported through index.ts): find one, take and give
 * back its operation slot, publish its change — and, the other way round, what instances ask of
 * the modules whose resources hang off an instance (volumes today): they register an
 * `InstanceDependent`, and terminate/reconcile call every registered one. Neither side builds
 * the other's repository, and the dependency points one way (volumes → instances).
 */
import type { Executor } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/db/repository.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { LockRegistry } from '../operations/index.ts';
import { type InstanceRow, InstancesRepository } from './instances.repository.ts';

/** A module whose resources are attached to instances. */
export interface InstanceDependent {
  /** Detach everything attached to the instance (the resources are kept); returns their ids. */
  detachAll(
    instance: InstanceRow,
    signal: AbortSignal,
    progress: (text: string) => Promise<void>,
  ): Promise<string[]>;
  /** The instance's guest was deleted outside ProxiCloud (what was attached went with it). */
  instanceGone(instanceId: string, reason: string): Promise<void>;
}

/** An instance's NICs on ProxiCloud networks and its security groups (kept by the networks module). */
export interface InstanceNetworkView {
  nics: { networkId: string; mac: string; ip: string; ip6?: string }[];
  securityGroupIds: string[];
}

export function networkViewOf(row: Pick<InstanceRow, 'net_view'>): InstanceNetworkView {
  try {
    const v = row.net_view ? (JSON.parse(row.net_view) as Partial<InstanceNetworkView>) : {};
    return { nics: v.nics ?? [], securityGroupIds: v.securityGroupIds ?? [] };
  } catch {
    return { nics: [], securityGroupIds: [] };
  }
}

/** What a launch asks of the networks module (registered through the port). */
export interface InstanceNetworking {
  /** At request time: the owner's networks and security groups exist and may be used (throws 4xx). */
  checkLaunch(ownerId: string, networkIds: string[], securityGroupIds: string[]): Promise<void>;
  /** In the launch operation once the guest exists, before it starts: NICs, IPAM, firewall. */
  attachLaunch(
    instance: InstanceRow,
    networkIds: string[],
    securityGroupIds: string[],
    progress: (text: string) => Promise<void>,
  ): Promise<void>;
  /** A launch failed and its guest is gone: free what attachLaunch took (addresses, memberships). */
  launchFailed(instanceId: string): Promise<void>;
  /**
   * A launch without networks, bridge or address: the id of the caller's default network (created
   * through its operation on first need), or null when default networks are switched off.
   */
  defaultNetwork?(ctx: AuthenticatedContext): Promise<string | null>;
  /**
   * A launch whose net0 goes on a plain Proxmox bridge (vmbr0, the "external" LAN): throws 403 when
   * the caller may not (PROXICLOUD_BRIDGE_LAUNCH=admin, the default, lets admins only).
   */
  checkBridgeLaunch?(ctx: AuthenticatedContext, bridge: string | undefined): void;
}

/** Every registered dependent, called in registration order. */
export class InstanceDependents implements InstanceDependent {
  private readonly list: InstanceDependent[] = [];
  /** The networks module's launch hook (none: launches with networkIds are refused). */
  networking: InstanceNetworking | undefined;

  register(dependent: InstanceDependent): void {
    this.list.push(dependent);
  }

  async detachAll(
    instance: InstanceRow,
    signal: AbortSignal,
    progress: (text: string) => Promise<void>,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const d of this.list) ids.push(...(await d.detachAll(instance, signal, progress)));
    return ids;
  }

  async instanceGone(instanceId: string, reason: string): Promise<void> {
    for (const d of this.list) await d.instanceGone(instanceId, reason);
  }
}

/** The instance-access port. `db` is the caller's transaction when it has one. */
export interface InstancesPort {
  find(id: string, db?: Executor): Promise<InstanceRow | undefined>;
  /** Owner-scoped (admins: any); undefined when the actor may not see it. */
  findScoped(actor: Actor, id: string): Promise<InstanceRow | undefined>;
  /** Take the instance's operation slot for `holder` (an operation id or a sync token). */
  lock(id: string, holder: string, db?: Executor): Promise<boolean>;
  unlock(id: string, holder: string, db?: Executor): Promise<void>;
  /** Publish the instance's current state on the event bus. */
  publish(id: string): Promise<void>;
  /** Register a module whose resources attach to instances. */
  registerDependent(dependent: InstanceDependent): void;
  /** The networks module: launch hook, and the NIC/security-group view it keeps on each instance. */
  registerNetworking(networking: InstanceNetworking): void;
  setNetworkView(id: string, view: InstanceNetworkView, db?: Executor): Promise<void>;
  /** The owner's instances that are not terminated (backup policies select them by tag). */
  listLive(ownerId: string): Promise<InstanceRow[]>;
  /**
   * Make a guest another module created for `ownerId` an instance (a restored backup): the row,
   * the audit entry and our tag, as an admin's adoption does. `id` pre-chosen by the caller.
   */
  adoptRestored(
    ctx: AuthenticatedContext,
    input: { node: string; vmid: number; ownerId: string; name: string; id: string; restoredFrom: string },
  ): Promise<void>;
  /** Every instance that is not terminated (metrics labels, the health map). */
  liveRows(): Promise<InstanceRow[]>;
}

export function instancesPort(deps: {
  db: Executor;
  locks: LockRegistry;
  publish(id: string): Promise<void>;
  dependents: InstanceDependents;
  adopt: InstancesPort['adoptRestored'];
}): InstancesPort {
  const repo = (db?: Executor) => new InstancesRepository(db ?? deps.db);
  return {
    find: (id, db) => repo(db).find(id),
    findScoped: (actor, id) => repo().findScoped(actor, id),
    lock: (id, holder, db) => deps.locks.lock(db ?? deps.db, 'instances', id, holder),
    unlock: (id, holder, db) => deps.locks.unlock(db ?? deps.db, 'instances', id, holder),
    publish: (id) => deps.publish(id),
    registerDependent: (d) => deps.dependents.register(d),
    registerNetworking: (n) => {
      deps.dependents.networking = n;
    },
    setNetworkView: (id, view, db) => repo(db).setNetView(id, JSON.stringify(view)),
    listLive: (ownerId) => repo().liveOf(ownerId),
    adoptRestored: (ctx, input) => deps.adopt(ctx, input),
    liveRows: () => repo().liveRows(),
  };
}
