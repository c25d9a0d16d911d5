import type { Kysely } from 'kysely';
import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { hashJson, isUniqueViolation, jsonParse } from '../../platform/db/values.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  UnprocessableError,
  ValidationError,
} from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { DEADLINE_PASSED, PVE_REQUEST_DEADLINE_MS, withinDeadline } from '../../platform/proxmox.ts';
import type { AuditService } from '../audit/index.ts';
import { type CatalogImage, type CatalogService, isoCloudImage } from '../catalog/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { KeyPairsService } from '../key-pairs/index.ts';
import type { OperationEngine, OperationsService, OperationView, StepDef } from '../operations/index.ts';
import type { NodeInventory } from '../proxmox/index.ts';
import {
  apiErrorOf,
  type ClusterSnapshot,
  guestTags,
  isUnreachable,
  onlineNodes,
  parseTags,
  type ResourceCache,
  requireOnlineNode,
  taggedInstanceId,
} from '../proxmox/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { SecretsPort } from '../secrets/index.ts';
import { type GuestRef, type NetworkConfig, setTags } from './instances.driver.ts';
import {
  checkImage,
  checkLaunchInput,
  type LaunchInput,
  type LaunchParams,
  type LaunchPlan,
  type LaunchSizing,
  type LaunchTarget,
  loginUser,
  type PlacedParams,
  placedParams,
  planLaunch,
  sizeLaunch,
  withNetworking,
} from './instances.launch-plan.ts';
import type { ComputeSettings } from './instances.operations.ts';
import { type InstanceDependents, type InstanceNetworkView, networkViewOf } from './instances.ports.ts';
import {
  INSTANCE_STATUSES,
  type InstanceFilter,
  type InstanceRow,
  type InstanceStatus,
  type InstancesRepository,
} from './instances.repository.ts';
import { storeLaunchSecretEnv } from './instances.secret-env.ts';
import { snippetTarget } from './instances.userdata.ts';

export interface InstanceUsage {
  cpu: number;
  memoryBytes: number;
  memoryMaxBytes: number;
  diskBytes: number;
  diskMaxBytes: number;
  uptimeSeconds: number;
  netInBytes: number;
  netOutBytes: number;
  sampledAt: string;
}

export interface Instance {
  id: string;
  name: string;
  ownerId: string;
  type: 'vm' | 'lxc';
  instanceType: string | null;
  template: string;
  os: string | null;
  status: InstanceStatus;
  statusReason: string | null;
  node: string | null;
  vmid: number | null;
  vcpu: number;
  memory: number;
  sizeGib: number;
  storage: string;
  bridge: string;
  network: NetworkConfig;
  user: string | null;
  keyPairIds: string[];
  tags: Record<string, string>;
  protected: boolean;
  ipAddresses: string[];
  nics: InstanceNetworkView['nics'];
  securityGroupIds: string[];
  usage: InstanceUsage | null;
  activeOperationId: string | null;
  managed: 'created' | 'adopted';
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  terminatedAt: string | null;
}

export interface InstanceSummary {
  total: number;
  byStatus: Record<Exclude<InstanceStatus, 'terminated'>, number>;
  byType: { vm: number; lxc: number };
  byNode: { node: string; instances: number; running: number }[];
  allocated: { vcpu: number; memoryMib: number; diskGib: number };
  busiest: Instance[];
  /** When the usage of `busiest` was read from Proxmox (null: no running instance or PVE unreachable). */
  sampledAt: string | null;
}

export interface InstanceOperation {
  instance: Instance;
  operation: OperationView;
}

export type { LaunchInput, LaunchParams } from './instances.launch-plan.ts';
export { IMPORT_LINK_STEP, LAUNCH_STEPS, PLACE_STEP, USER_DATA_STEP } from './instances.launch-plan.ts';

export const START_STEPS: StepDef[] = [
  { name: 'start', title: 'Start the instance' },
  { name: 'network', title: 'Wait for an IP address' },
];
export const STOP_STEPS: StepDef[] = [{ name: 'stop', title: 'Shut down (graceful, then forced)' }];
export const REBOOT_STEPS: StepDef[] = [{ name: 'reboot', title: 'Reboot' }];
export const TERMINATE_STEPS: StepDef[] = [
  { name: 'stop', title: 'Power off' },
  { name: 'detach-volumes', title: 'Detach volumes (they are kept)' },
  { name: 'destroy', title: 'Delete the guest and its root disk' },
];

/** Up to this many running instances in scope, `summary` ranks all of them (else it walks PVE's busiest). */
export const SUMMARY_SCAN_RUNNING = 200;
const NON_TERMINAL: InstanceStatus[] = ['running', 'stopped', 'error'];

export interface InstancesServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  bus: EventBus;
  engine: OperationEngine;
  operations: Pick<OperationsService, 'find'>;
  repo: InstancesRepository;
  keyPairs: KeyPairsService;
  catalog: CatalogService;
  quotas: QuotasService;
  inventory: NodeInventory;
  cache: ResourceCache;
  proxmox: () => ProxmoxConnection;
  /** Shared tunables (the request deadline); optional so the module wiring may omit it. */
  settings?: ComputeSettings;
  /** secretEnv references (the secrets module's port); absent in wirings without it. */
  secrets?: SecretsPort;
  /** Registered dependents; `networking` checks a launch's networkIds/securityGroupIds. */
  dependents?: InstanceDependents;
}

/**
 * Memory (MiB) a launch not yet committed holds on a node (concurrent placement sees it). Released
 * once; a take after the release (placement that finished after its request gave up) holds nothing.
 */
class Reservation {
  private held: { node: string; mib: number } | null = null;
  private released = false;

  constructor(private readonly pool: Map<string, number>) {}

  take(node: string, mib: number): void {
    if (this.released) return;
    this.free();
    this.pool.set(node, (this.pool.get(node) ?? 0) + mib);
    this.held = { node, mib };
  }

  release(): void {
    this.released = true;
    this.free();
  }

  private free(): void {
    if (!this.held) return;
    const left = (this.pool.get(this.held.node) ?? 0) - this.held.mib;
    if (left > 0) this.pool.set(this.held.node, left);
    else this.pool.delete(this.held.node);
    this.held = null;
  }
}

export function toInstance(row: InstanceRow, snap?: ClusterSnapshot | null): Instance {
  let usage: InstanceUsage | null = null;
  const g = snap && row.vmid !== null ? snap.guests.get(Number(row.vmid)) : undefined;
  if (g && snap && row.status !== 'terminated' && taggedOrAdopted(row, g.tags)) {
    usage = {
      cpu: Number(g.cpu ?? 0),
      memoryBytes: Number(g.mem ?? 0),
      memoryMaxBytes: Number(g.maxmem ?? 0),
      diskBytes: Number(g.disk ?? 0),
      diskMaxBytes: Number(g.maxdisk ?? 0),
      uptimeSeconds: Number(g.uptime ?? 0),
      netInBytes: Number(g.netin ?? 0),
      netOutBytes: Number(g.netout ?? 0),
      sampledAt: new Date(snap.fetchedAt).toISOString(),
    };
  }
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    type: row.type,
    instanceType: row.instance_type,
    template: row.template,
    os: row.os,
    status: row.status,
    statusReason: row.status_reason,
    node: row.node,
    vmid: row.vmid === null ? null : Number(row.vmid),
    vcpu: Number(row.vcpu),
    memory: Number(row.memory_mib),
    sizeGib: Number(row.disk_gb),
    storage: row.storage,
    bridge: row.bridge,
    network: jsonParse<NetworkConfig>(row.network, { mode: 'dhcp' }),
    user: row.username,
    keyPairIds: jsonParse<string[]>(row.key_pair_ids, []),
    tags: jsonParse<Record<string, string>>(row.tags, {}),
    protected: Number(row.protected) === 1,
    ipAddresses: jsonParse<string[]>(row.ips, []),
    ...networkViewOf(row),
    usage,
    activeOperationId: row.active_operation_id,
    managed: row.managed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    launchedAt: row.launched_at,
    terminatedAt: row.terminated_at,
  };
}

function taggedOrAdopted(row: InstanceRow, tags: string | undefined): boolean {
  const tagged = taggedInstanceId(tags);
  return tagged === row.id || (tagged === null && row.managed === 'adopted');
}

export class InstancesService {
  /** Memory (MiB) placed on a node by launches not yet committed (concurrent placement). */
  private readonly reserved = new Map<string, number>();

  constructor(private readonly deps: InstancesServiceDeps) {}

  private get deadlineMs(): number {
    return this.deps.settings?.requestDeadlineMs ?? PVE_REQUEST_DEADLINE_MS;
  }

  /** Proxmox work a request cannot do without: its result, PVE's error, or 503 past the deadline. */
  private async pveWithin<T>(work: Promise<T>): Promise<T> {
    let result: T | typeof DEADLINE_PASSED;
    try {
      result = await withinDeadline(work, this.deadlineMs);
    } catch (e) {
      throw apiErrorOf(e);
    }
    if (result === DEADLINE_PASSED)
      throw new UnavailableError(
        `Proxmox VE did not answer within ${this.deadlineMs} ms; try again shortly`,
        {
          deadlineMs: this.deadlineMs,
        },
      );
    return result;
  }

  private now(): string {
    return iso(this.deps.clock.now());
  }

  /** Publish the instance as GET shows it (after a commit). */
  async publish(id: string, type: 'created' | 'updated' = 'updated'): Promise<void> {
    const row = await this.deps.repo.find(id);
    if (!row) return;
    this.deps.bus.publish({
      type: `instance.${type}`,
      resource: 'instance',
      resourceId: id,
      ownerId: row.owner_id,
      data: toInstance(row, this.deps.cache.peek()),
    });
  }

  private async snapshot(): Promise<ClusterSnapshot | null> {
    try {
      const snap = await withinDeadline(this.deps.cache.get(2000, 30_000), this.deadlineMs);
      if (snap !== DEADLINE_PASSED) return snap;
      this.deps.logger.warn(
        { deadlineMs: this.deadlineMs },
        'Proxmox did not answer /cluster/resources in time; instances shown without usage',
      );
      return null;
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not read /cluster/resources for instance usage');
      return null;
    }
  }

  async list(
    actor: Actor,
    filter: InstanceFilter,
    page: Page,
    withUsage = true,
  ): Promise<ListResult<Instance>> {
    authorize(actor, 'instances', 'read');
    if (filter.ownerId && !isAdmin(actor) && filter.ownerId !== actor.id)
      return { items: [], total: 0, ...page };
    const { rows, total } = await this.deps.repo.list(actor, filter, page);
    const needsUsage = withUsage && rows.some((r) => r.vmid !== null && r.status !== 'terminated');
    const snap = needsUsage ? await this.snapshot() : null;
    return { items: rows.map((r) => toInstance(r, snap)), total, ...page };
  }

  /**
   * Dashboard numbers for the actor's scope (admins: everyone, or one user with `ownerId`): counts
   * by status, type and node and the allocated sizes from SQL aggregates, plus the `top` running
   * instances by current CPU use from the cached /cluster/resources snapshot.
   */
  async summary(actor: Actor, opts: { ownerId?: string; top?: number } = {}): Promise<InstanceSummary> {
    authorize(actor, 'instances', 'read');
    const top = opts.top ?? 5;
    const byStatus = Object.fromEntries(
      INSTANCE_STATUSES.filter((s) => s !== 'terminated').map((s) => [s, 0]),
    ) as InstanceSummary['byStatus'];
    const empty: InstanceSummary = {
      total: 0,
      byStatus,
      byType: { vm: 0, lxc: 0 },
      byNode: [],
      allocated: { vcpu: 0, memoryMib: 0, diskGib: 0 },
      busiest: [],
      sampledAt: null,
    };
    if (opts.ownerId && !isAdmin(actor) && opts.ownerId !== actor.id) return empty;
    const { groups, nodes } = await this.deps.repo.summary(actor, opts.ownerId);
    const out = { ...empty, byNode: nodes };
    for (const g of groups) {
      out.total += g.n;
      if (g.status in byStatus) byStatus[g.status as keyof typeof byStatus] += g.n;
      out.byType[g.type] += g.n;
      out.allocated.vcpu += g.vcpu;
      out.allocated.memoryMib += g.memoryMib;
      out.allocated.diskGib += g.diskGb;
    }
    if (byStatus.running === 0) return out;
    const snap = await this.snapshot();
    if (!snap) return out;
    out.sampledAt = new Date(snap.fetchedAt).toISOString();
    const rank = (rows: Pick<InstanceRow, 'id' | 'vmid' | 'managed'>[]) =>
      rows.flatMap((r) => {
        const g = snap.guests.get(Number(r.vmid));
        if (g?.status !== 'running') return [];
        const tagged = taggedInstanceId(g.tags);
        if (tagged !== r.id && !(tagged === null && r.managed === 'adopted')) return [];
        return [{ id: r.id, cpu: Number(g.cpu ?? 0) }];
      });
    let ranked: { id: string; cpu: number }[] = [];
    if (byStatus.running <= SUMMARY_SCAN_RUNNING) {
      // few running instances in scope: read their ids and VMIDs, rank them by the snapshot
      ranked = rank(await this.deps.repo.runningGuests(actor, opts.ownerId));
    } else {
      // many: walk the cluster's running guests busiest first, in growing batches, until `top` of
      // them are in scope (an admin's first batch usually has them all)
      const guests = [...snap.guests.values()]
        .filter((g) => g.status === 'running' && typeof g.vmid === 'number')
        .sort((a, b) => Number(b.cpu ?? 0) - Number(a.cpu ?? 0));
      let size = top * 4;
      for (let i = 0; i < guests.length && ranked.length < top; i += size, size = Math.min(size * 4, 1000)) {
        const vmids = guests.slice(i, i + size).map((g) => Number(g.vmid));
        ranked.push(...rank(await this.deps.repo.runningGuests(actor, opts.ownerId, vmids)));
      }
    }
    ranked = ranked.sort((a, b) => b.cpu - a.cpu || (a.id < b.id ? -1 : 1)).slice(0, top);
    const rows = new Map((await this.deps.repo.findByIds(ranked.map((r) => r.id))).map((r) => [r.id, r]));
    out.busiest = ranked.flatMap((r) => {
      const row = rows.get(r.id);
      return row ? [toInstance(row, snap)] : [];
    });
    return out;
  }

  async get(actor: Actor, id: string): Promise<Instance> {
    authorize(actor, 'instances', 'read');
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Instance', id);
    const snap = row.vmid !== null && row.status !== 'terminated' ? await this.snapshot() : null;
    return toInstance(row, snap);
  }

  /* ------------------------------------------------------------------ launch */

  /**
   * Launch: check the request (pure, `planLaunch`), resolve the template and place the instance
   * within the request deadline, commit the row and the operation; the operation does the rest.
   * When Proxmox is slow the launch is accepted unplaced and its operation's `place` step does the
   * placement with normal timeouts and retries. A PVE error answers with PVE's status.
   */
  async launch(
    ctx: AuthenticatedContext,
    input: LaunchInput,
    idempotencyKey?: string,
  ): Promise<InstanceOperation> {
    const { actor } = ctx;
    authorize(actor, 'instances', 'create');
    const requestHash = hashJson(input);
    if (idempotencyKey) {
      const replay = await this.replay(actor, idempotencyKey, requestHash);
      if (replay) return replay;
    }
    const typeName = checkLaunchInput(input, { hostAgent: () => this.deps.proxmox().hostAgent !== null });
    const preset = typeName ? await this.deps.catalog.getType(typeName) : null;
    const sizing = sizeLaunch(input, typeName, preset);
    const keyPairIds = input.keyPairIds ?? [];
    const keys = await this.deps.keyPairs.publicKeysFor(actor.id, keyPairIds);
    const nets = await this.checkNetworking(ctx, input);
    this.deps.proxmox(); // 503 without a Proxmox connection

    const id = newId('i');
    const hasAgent = this.deps.proxmox().hostAgent !== null;
    await storeLaunchSecretEnv(this.deps.secrets, hasAgent, { id, ownerId: actor.id }, input.secretEnv);
    const reservation = new Reservation(this.reserved);
    let operation: OperationView;
    let row: InstanceRow;
    try {
      const target = await this.targetWithinDeadline(input, sizing, id, reservation);
      const plan = planLaunch({
        id,
        ownerId: actor.id,
        now: this.now(),
        input,
        sizing,
        keyPairIds,
        sshKeys: keys.map((k) => k.publicKey),
        target,
      });
      if (nets) withNetworking(plan, nets);
      const committed = await this.commitLaunch(ctx, plan, idempotencyKey, requestHash);
      if ('instance' in committed) return committed; // an idempotent retry won the race
      operation = committed;
      row = plan.row;
    } finally {
      // from here the pending row accounts for the memory
      reservation.release();
    }
    ctx.resourceId = id;
    this.deps.engine.wake();
    await this.publish(id, 'created');
    const fresh = (await this.deps.repo.find(id)) ?? row;
    return { instance: toInstance(fresh), operation };
  }

  /** networkIds/securityGroupIds of a launch, checked by the networks module (null: none given). */
  private async checkNetworking(
    ctx: AuthenticatedContext,
    input: LaunchInput,
  ): Promise<{ networkIds: string[]; securityGroupIds: string[] } | null> {
    const ownerId = ctx.actor.id;
    const networkIds = input.networkIds ?? [];
    const securityGroupIds = input.securityGroupIds ?? [];
    const networking = this.deps.dependents?.networking;
    // like AWS's default VPC: no network, bridge or address asked for → the caller's default network
    if (!networkIds.length && !input.bridge && !input.network && networking?.defaultNetwork) {
      const def = await networking.defaultNetwork(ctx);
      if (def) {
        await networking.checkLaunch(ownerId, [], securityGroupIds);
        return { networkIds: [def], securityGroupIds };
      }
    }
    // net0 on a plain bridge (the "external" LAN): admins only unless PROXICLOUD_BRIDGE_LAUNCH=all
    if (!networkIds.length) networking?.checkBridgeLaunch?.(ctx, input.bridge);
    if (!networkIds.length && !securityGroupIds.length) return null;
    if (!networking)
      throw new UnprocessableError(
        'Networks are not available on this server',
        undefined,
        'networks_unavailable',
      );
    await networking.checkLaunch(ownerId, networkIds, securityGroupIds);
    return { networkIds, securityGroupIds };
  }

  /** The launch's target, or null when Proxmox did not answer within the request deadline. */
  private async targetWithinDeadline(
    input: LaunchInput,
    sizing: Pick<LaunchSizing, 'memory' | 'sizeGb'>,
    id: string,
    reservation: Reservation,
  ): Promise<LaunchTarget | null> {
    let found: LaunchTarget | typeof DEADLINE_PASSED;
    try {
      found = await withinDeadline(this.target(input, sizing, id, reservation), this.deadlineMs);
    } catch (e) {
      throw apiErrorOf(e);
    }
    if (found !== DEADLINE_PASSED) return found;
    reservation.release(); // a placement finishing later must not hold memory
    this.deps.logger.warn(
      { instance: id, deadlineMs: this.deadlineMs },
      'Proxmox is slow: the launch is accepted and placed by its operation',
    );
    return null;
  }

  /**
   * The image, placement, import link and snippet location of a launch (Proxmox calls with the
   * client's normal timeouts; errors are raw). Places memory in `reservation`.
   */
  private async target(
    input: LaunchInput,
    sizing: Pick<LaunchSizing, 'memory' | 'sizeGb'>,
    instanceId: string,
    reservation: Reservation,
  ): Promise<LaunchTarget> {
    const image = await this.deps.catalog.resolve(input.template, input.type);
    checkImage(image, input.userData !== undefined);
    const placement = await this.place(
      image,
      {
        type: input.type,
        memoryMib: sizing.memory,
        diskGb: sizing.sizeGb,
        ...(input.node ? { node: input.node } : {}),
        ...(input.storage ? { storage: input.storage } : {}),
        ...(input.bridge ? { bridge: input.bridge } : {}),
      },
      reservation,
    );
    const target: LaunchTarget = { image, ...placement };
    const conn = this.deps.proxmox();
    if (isoCloudImage(image)) {
      if (!conn.hostAgent)
        throw new UnprocessableError(
          image.note ?? 'needs the SSH host agent',
          { field: 'template' },
          'template_not_launchable',
        );
      await conn.hostAgent.images(placement.node);
      const cfg = (await conn.client.storage.config(image.storage)) as { path?: string };
      if (!cfg.path) {
        throw new UnprocessableError(
          `Storage '${image.storage}' has no directory to link the image in; put it on an import storage`,
          { field: 'template' },
          'template_not_launchable',
        );
      }
      const base = cfg.path.replace(/\/+$/, '');
      target.importLink = {
        src: `${base}/template/iso/${image.name}`,
        dst: `${base}/import/${image.name}`,
        volid: `${image.storage}:import/${image.name}`,
      };
    }
    if (input.userData !== undefined) {
      if (!conn.hostAgent) checkLaunchInput(input, { hostAgent: () => false }); // throws host_agent_required
      // the host agent must reach the chosen node (a single-host SSH agent reaches only its own)
      await conn.hostAgent!.snippets(placement.node);
      const snippet = await snippetTarget(conn.client, placement.node, instanceId);
      if (!snippet) {
        throw new UnprocessableError(
          `Node '${placement.node}' has no directory storage with the 'snippets' content type for the ` +
            'user-data file: enable it (Datacenter → Storage → local → Content: Snippets, or ' +
            '`pvesm set local --content iso,vztmpl,backup,snippets,import`)',
          { field: 'userData', node: placement.node },
          'no_snippets_storage',
        );
      }
      target.snippet = snippet;
    }
    return target;
  }

  /**
   * The `place` step of a launch accepted without placement: the same checks and placement as a
   * request makes, with normal timeouts; records node, storage, bridge, template and login user.
   */
  async placeDeferred(row: InstanceRow, params: LaunchParams): Promise<PlacedParams> {
    const d = params.deferred;
    if (!d) return {};
    const input: LaunchInput = {
      name: row.name,
      type: row.type,
      template: d.template,
      ...(d.node ? { node: d.node } : {}),
      ...(d.storage ? { storage: d.storage } : {}),
      ...(d.bridge ? { bridge: d.bridge } : {}),
      ...(d.user !== undefined ? { user: d.user } : {}),
      ...(d.userData !== undefined ? { userData: d.userData } : {}),
    };
    const reservation = new Reservation(this.reserved);
    try {
      const target = await this.target(
        input,
        { memory: Number(row.memory_mib), sizeGb: Number(row.disk_gb) },
        row.id,
        reservation,
      );
      const user = loginUser(row.type, d.user, target.image);
      const image = target.image;
      await this.patch(row.id, {
        node: target.node,
        storage: target.storage,
        bridge: target.bridge,
        template: image.id,
        os: image.version ? `${image.os} ${image.version}` : image.os,
        username: user,
      });
      return placedParams(target, {
        name: row.name,
        user,
        sshKeys: params.sshKeys,
        ...(d.userData !== undefined ? { userData: d.userData } : {}),
      });
    } finally {
      reservation.release();
    }
  }

  /** Insert the row and enqueue its operation in one transaction; a replay when a retry won. */
  private async commitLaunch(
    ctx: AuthenticatedContext,
    plan: LaunchPlan,
    idempotencyKey: string | undefined,
    requestHash: string,
  ): Promise<InstanceOperation | OperationView> {
    const { actor } = ctx;
    const { row } = plan;
    try {
      return await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (await repo.findLiveByName(actor.id, row.name)) {
          throw new ConflictError(`You already have an instance named '${row.name}'`, { field: 'name' });
        }
        await this.deps.quotas.assertWithin(trx, actor.id, {
          vcpu: Number(row.vcpu),
          memory: Number(row.memory_mib),
          diskGib: Number(row.disk_gb),
          instances: 1,
        });
        await repo.insert(row);
        const op = await this.deps.engine.enqueue(trx, {
          action: 'instance.launch',
          ownerId: actor.id,
          resourceType: 'instance',
          resourceId: row.id,
          params: plan.params,
          steps: plan.steps,
          requestId: ctx.requestId,
        });
        await repo.lock(row.id, op.id);
        if (idempotencyKey) {
          await repo.insertIdempotency({
            owner_id: actor.id,
            key: idempotencyKey,
            request_hash: requestHash,
            resource_id: row.id,
            operation_id: op.id,
            created_at: row.created_at,
          });
        }
        await this.deps.audit.record(
          ctx,
          {
            action: 'instances.launch',
            resourceType: 'instance',
            resourceId: row.id,
            details: { ...plan.details, operationId: op.id },
          },
          trx,
        );
        return op;
      });
    } catch (e) {
      // A concurrent retry with the same Idempotency-Key won the race: answer with its result.
      if (idempotencyKey && (isUniqueViolation(e) || e instanceof ConflictError)) {
        const replay = await this.replay(actor, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      if (isUniqueViolation(e))
        throw new ConflictError(`You already have an instance named '${row.name}'`, { field: 'name' });
      throw e;
    }
  }

  private async replay(actor: Actor, key: string, requestHash: string): Promise<InstanceOperation | null> {
    const found = await this.deps.repo.findIdempotency(actor.id, key);
    if (!found) return null;
    if (found.request_hash !== requestHash) {
      throw new UnprocessableError(
        'This Idempotency-Key was already used with a different request body',
        { header: 'Idempotency-Key' },
        'idempotency_key_reused',
      );
    }
    const row = await this.deps.repo.find(found.resource_id);
    const op = await this.deps.operations.find(found.operation_id);
    if (!row || !op) return null;
    return { instance: toInstance(row), operation: op };
  }

  /**
   * Where to run: an online node that has the template, a storage with room for the root disk and
   * the bridge; automatic placement picks the most free memory (minus launches in flight).
   */
  private async place(
    image: CatalogImage,
    want: {
      type: 'vm' | 'lxc';
      memoryMib: number;
      diskGb: number;
      node?: string;
      storage?: string;
      bridge?: string;
    },
    reservation: Reservation,
  ): Promise<{ node: string; storage: string; bridge: string }> {
    const snap = await this.deps.cache.get(1000);
    if (want.node) requireOnlineNode(snap, want.node);
    const online = onlineNodes(snap);
    const candidates = want.node ? [want.node] : online;
    const content = want.type === 'vm' ? 'images' : 'rootdir';
    const needBytes = want.diskGb * 1024 ** 3;
    const reasons: string[] = [];
    const feasible: { node: string; storage: string; bridge: string }[] = [];
    // per-node storages and bridges, loaded in parallel (cached by the inventory)
    const inventories = await Promise.all(
      candidates.map(async (node) => {
        if (!image.nodes.includes(node)) return { node, skip: `template ${image.name} is not on this node` };
        try {
          const [storages, bridges] = await Promise.all([
            this.deps.inventory.storagesOf(node),
            this.deps.inventory.bridgesOf(node),
          ]);
          return { node, storages, bridges };
        } catch (e) {
          if (!isUnreachable(e)) throw e;
          if (want.node)
            throw new UnprocessableError(`Node '${node}' does not answer`, { field: 'node' }, 'node_offline');
          return { node, skip: 'does not answer' };
        }
      }),
    );
    for (const inv of inventories) {
      const { node } = inv;
      if (inv.skip !== undefined || !inv.storages || !inv.bridges) {
        reasons.push(`${node}: ${inv.skip}`);
        continue;
      }
      const nodeStorages = inv.storages;
      const bridges = inv.bridges;
      const storages = nodeStorages.filter(
        (s) =>
          String(s.content ?? '')
            .split(',')
            .includes(content) && s.active !== 0,
      );
      let storage: (typeof storages)[number] | undefined;
      if (want.storage) {
        storage = storages.find((s) => s.storage === want.storage);
        if (!storage) {
          reasons.push(
            `${node}: storage '${want.storage}' does not exist or does not hold ${want.type === 'vm' ? 'VM disks' : 'containers'}`,
          );
          continue;
        }
      } else {
        storage = [...storages].sort((a, b) => Number(b.avail ?? 0) - Number(a.avail ?? 0))[0];
        if (!storage) {
          reasons.push(`${node}: no storage holds ${want.type === 'vm' ? 'VM disks' : 'containers'}`);
          continue;
        }
      }
      const avail = Number(storage.avail ?? 0);
      if (avail < needBytes) {
        reasons.push(
          `${node}: storage '${storage.storage}' has ${Math.floor(avail / 1024 ** 3)} GiB free, ${want.diskGb} GiB needed`,
        );
        continue;
      }
      const bridge = want.bridge ?? (bridges.includes('vmbr0') ? 'vmbr0' : bridges[0]);
      if (!bridge || !bridges.includes(bridge)) {
        reasons.push(
          `${node}: bridge '${want.bridge ?? 'vmbr0'}' does not exist (bridges: ${bridges.join(', ') || 'none'})`,
        );
        continue;
      }
      feasible.push({ node, storage: storage.storage, bridge });
    }
    // Score synchronously (no await between reading and taking a reservation): concurrent
    // launches see each other's placements and spread by free memory.
    const pending = await this.deps.repo.pendingMemoryByNode();
    let best: { node: string; storage: string; bridge: string; score: number } | null = null;
    for (const f of feasible) {
      const n = snap.nodes.get(f.node)!;
      const freeMem =
        Number(n.maxmem ?? 0) -
        Number(n.mem ?? 0) -
        ((pending.get(f.node) ?? 0) + (this.reserved.get(f.node) ?? 0)) * 1024 ** 2;
      if (freeMem < want.memoryMib * 1024 ** 2 && want.node === undefined) {
        reasons.push(`${f.node}: not enough free memory`);
        continue;
      }
      if (!best || freeMem > best.score) best = { ...f, score: freeMem };
    }
    if (!best) {
      throw new UnprocessableError(
        `No node can run this instance: ${reasons.join('; ') || 'no online nodes'}`,
        { reasons },
        'no_capacity',
      );
    }
    // reserved until the launch is committed (then the pending row accounts for it)
    reservation.take(best.node, want.memoryMib);
    return { node: best.node, storage: best.storage, bridge: best.bridge };
  }

  /* ------------------------------------------------------------------ actions */

  private async act(
    ctx: AuthenticatedContext,
    id: string,
    spec: {
      action: 'start' | 'stop' | 'reboot' | 'terminate';
      allowed: InstanceStatus[];
      transitional: InstanceStatus;
      steps: StepDef[];
      params?: unknown;
      check?: (row: InstanceRow) => void;
    },
  ): Promise<InstanceOperation> {
    const { actor } = ctx;
    const permission = spec.action === 'terminate' ? 'delete' : spec.action;
    authorize(actor, 'instances', permission);
    const operation = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const row = await repo.findScoped(actor, id);
      if (!row || row.status === 'terminated') throw new NotFoundError('Instance', id);
      spec.check?.(row);
      if (row.active_operation_id) {
        throw new ConflictError(
          `Instance ${id} is busy (operation ${row.active_operation_id}); try again when it finishes`,
          { operationId: row.active_operation_id },
          'instance_busy',
        );
      }
      if (!spec.allowed.includes(row.status)) {
        throw new ConflictError(
          `Instance ${id} is ${row.status}; it cannot ${spec.action} now`,
          { status: row.status },
          'invalid_state',
        );
      }
      const op = await this.deps.engine.enqueue(trx, {
        action: `instance.${spec.action}`,
        ownerId: row.owner_id,
        resourceType: 'instance',
        resourceId: id,
        params: spec.params ?? {},
        steps: spec.steps,
        requestId: ctx.requestId,
      });
      const locked = await repo.lock(id, op.id, {
        status: spec.transitional,
        status_reason: null,
        updated_at: this.now(),
      });
      if (!locked) throw new ConflictError(`Instance ${id} is busy; try again`, undefined, 'instance_busy');
      await this.deps.audit.record(
        ctx,
        {
          action: `instances.${spec.action}`,
          resourceType: 'instance',
          resourceId: id,
          details: {
            name: row.name,
            from: row.status,
            operationId: op.id,
            ...(spec.params ? { params: spec.params } : {}),
          },
        },
        trx,
      );
      return op;
    });
    this.deps.engine.wake();
    await this.publish(id);
    const fresh = await this.deps.repo.find(id);
    return { instance: toInstance(fresh!), operation };
  }

  start(ctx: AuthenticatedContext, id: string): Promise<InstanceOperation> {
    return this.act(ctx, id, {
      action: 'start',
      allowed: ['stopped'],
      transitional: 'starting',
      steps: START_STEPS,
    });
  }

  stop(
    ctx: AuthenticatedContext,
    id: string,
    opts: { force?: boolean; timeoutSeconds?: number },
  ): Promise<InstanceOperation> {
    return this.act(ctx, id, {
      action: 'stop',
      allowed: ['running'],
      transitional: 'stopping',
      steps: STOP_STEPS,
      params: { force: opts.force ?? false, timeoutSeconds: opts.timeoutSeconds ?? 60 },
    });
  }

  reboot(ctx: AuthenticatedContext, id: string): Promise<InstanceOperation> {
    return this.act(ctx, id, {
      action: 'reboot',
      allowed: ['running'],
      transitional: 'rebooting',
      steps: REBOOT_STEPS,
    });
  }

  terminate(ctx: AuthenticatedContext, id: string, confirm: string | undefined): Promise<InstanceOperation> {
    return this.act(ctx, id, {
      action: 'terminate',
      allowed: NON_TERMINAL,
      transitional: 'terminating',
      steps: TERMINATE_STEPS,
      check: (row) => {
        if (confirm !== row.id && confirm !== row.name) {
          throw new ValidationError(
            `Terminating deletes the instance and its root disk. Confirm with ?confirm=${row.id} (or its name)`,
            { field: 'confirm' },
            'confirmation_required',
          );
        }
        if (Number(row.protected) === 1) {
          throw new ConflictError(
            `Instance ${row.id} is protected against termination; unset "protected" first`,
            undefined,
            'instance_protected',
          );
        }
      },
    });
  }

  async update(
    ctx: AuthenticatedContext,
    id: string,
    patch: { tags?: Record<string, string>; protected?: boolean },
  ): Promise<Instance> {
    authorize(ctx.actor, 'instances', 'update');
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const row = await repo.findScoped(ctx.actor, id);
      if (!row || row.status === 'terminated') throw new NotFoundError('Instance', id);
      await repo.update(id, {
        ...(patch.tags !== undefined ? { tags: JSON.stringify(patch.tags) } : {}),
        ...(patch.protected !== undefined ? { protected: patch.protected ? 1 : 0 } : {}),
        updated_at: this.now(),
      });
      await this.deps.audit.record(
        ctx,
        { action: 'instances.update', resourceType: 'instance', resourceId: id, details: patch },
        trx,
      );
    });
    await this.publish(id);
    return this.get(ctx.actor, id);
  }

  /* ------------------------------------------------------------------ adoption */

  /** Admin: take an existing guest ProxiCloud did not create under management for `ownerId`. */
  async adopt(
    ctx: AuthenticatedContext,
    input: { node: string; vmid: number; ownerId: string; name?: string; id?: string; restoredFrom?: string },
    /** trusted: a module adopting a guest it made for the owner (a backup restore), no admin check */
    opts: { trusted?: boolean } = {},
  ): Promise<Instance> {
    if (!opts.trusted) {
      authorize(ctx.actor, 'instances', 'adopt');
      if (!isAdmin(ctx.actor)) throw new ForbiddenError('Only admins adopt guests');
    }
    const { client } = this.deps.proxmox();
    const snap = await this.pveWithin(this.deps.cache.get(0));
    const g = snap.guests.get(input.vmid);
    if (!g || g.node !== input.node) {
      throw new UnprocessableError(
        `There is no guest ${input.vmid} on node ${input.node}`,
        { field: 'vmid' },
        'unknown_guest',
      );
    }
    if (Number(g.template ?? 0) === 1)
      throw new UnprocessableError(`Guest ${input.vmid} is a template`, undefined, 'guest_is_template');
    const owner = await this.deps.db.kysely
      .selectFrom('users')
      .select(['id'])
      .where('id', '=', input.ownerId)
      .executeTakeFirst();
    if (!owner)
      throw new UnprocessableError(
        `User ${input.ownerId} does not exist`,
        { field: 'ownerId' },
        'unknown_user',
      );
    if (await this.deps.repo.findLiveByVmid(input.vmid)) {
      throw new ConflictError(
        `Guest ${input.vmid} is already managed by ProxiCloud`,
        undefined,
        'already_managed',
      );
    }
    const type: 'vm' | 'lxc' = g.type === 'qemu' ? 'vm' : 'lxc';
    const ref: GuestRef = { type, node: input.node, vmid: input.vmid };
    const cfg = await this.pveWithin<Record<string, unknown>>(
      client.node(input.node).guest(type, input.vmid).config(),
    );
    const rawName = String(input.name ?? g.name ?? `guest-${input.vmid}`)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    const name = rawName.replace(/^-+|-+$/g, '').slice(0, 63) || `guest-${input.vmid}`;
    const memory =
      Number(
        String(cfg.memory ?? '')
          .replace(/^current=/, '')
          .split(',')[0],
      ) || Math.round(Number(g.maxmem ?? 0) / 1024 ** 2);
    const vcpu =
      Number(cfg.cores ?? 1) * (type === 'vm' ? Number(cfg.sockets ?? 1) : 1) || Number(g.maxcpu ?? 1);
    const diskGb = Math.max(1, Math.round(Number(g.maxdisk ?? 0) / 1024 ** 3));
    const diskKey = type === 'vm' ? 'scsi0' : 'rootfs';
    const storage = String(cfg[diskKey] ?? cfg.virtio0 ?? cfg.sata0 ?? '').split(':')[0] || 'unknown';
    const netText = String(cfg.net0 ?? '');
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(netText)?.[1] ?? 'unknown';
    const now = this.now();
    const id = input.id ?? newId('i');
    const row: InstanceRow = {
      id,
      owner_id: input.ownerId,
      name,
      type,
      instance_type: null,
      template: 'adopted',
      os: null,
      node: input.node,
      vmid: input.vmid,
      status: g.status === 'running' ? 'running' : 'stopped',
      status_reason: null,
      vcpu,
      memory_mib: memory,
      disk_gb: diskGb,
      storage,
      bridge,
      network: JSON.stringify({ mode: 'dhcp' }),
      username: typeof cfg.ciuser === 'string' ? cfg.ciuser : null,
      key_pair_ids: '[]',
      tags: '{}',
      protected: 0,
      ips: '[]',
      net_view: null,
      active_operation_id: null,
      needs_cleanup: 0,
      managed: 'adopted',
      created_at: now,
      updated_at: now,
      launched_at: now,
      terminated_at: null,
    };
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (await repo.findLiveByName(input.ownerId, name)) {
          throw new ConflictError(
            `User ${input.ownerId} already has an instance named '${name}'; pass another name`,
            { field: 'name' },
          );
        }
        await repo.insert(row);
        await this.deps.audit.record(
          ctx,
          {
            action: 'instances.adopt',
            resourceType: 'instance',
            resourceId: id,
            details: {
              node: input.node,
              vmid: input.vmid,
              ownerId: input.ownerId,
              name,
              ...(input.restoredFrom ? { restoredFrom: input.restoredFrom } : {}),
            },
          },
          trx,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new ConflictError(
          `Guest ${input.vmid} is already managed by ProxiCloud`,
          undefined,
          'already_managed',
        );
      throw e;
    }
    // Tag the guest as ours (keeping its own tags) so the reconciler recognises it.
    try {
      const tags = [...new Set([...parseTags(String(cfg.tags ?? '')), ...parseTags(guestTags(id))])].join(
        ';',
      );
      await setTags(client, ref, tags);
      this.deps.cache.invalidate();
    } catch (err) {
      this.deps.logger.warn({ err, instance: id }, 'adopted guest could not be tagged');
    }
    ctx.resourceId = id;
    await this.publish(id, 'created');
    return this.get(ctx.actor, id);
  }

  /** For the reconciler and operations: write and publish. */
  async patch(id: string, patch: Partial<InstanceRow>, trx?: Kysely<Tables>): Promise<void> {
    await (trx ? this.deps.repo.with(trx) : this.deps.repo).update(id, { ...patch, updated_at: this.now() });
    if (!trx) await this.publish(id);
  }
}
