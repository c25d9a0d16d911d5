import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { lockRow, unlockRow } from '../operations/index.ts';

export type InstanceStatus =
  | 'pending'
  | 'creating'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'rebooting'
  | 'terminating'
  | 'terminated'
  | 'error';

export const INSTANCE_STATUSES: readonly InstanceStatus[] = [
  'pending',
  'creating',
  'starting',
  'running',
  'stopping',
  'stopped',
  'rebooting',
  'terminating',
  'terminated',
  'error',
];

export interface InstancesTable {
  id: string;
  owner_id: string;
  name: string;
  type: 'vm' | 'lxc';
  instance_type: string | null;
  /** PVE volume id of the cloud image / template */
  template: string;
  os: string | null;
  node: string | null;
  vmid: number | null;
  status: InstanceStatus;
  status_reason: string | null;
  vcpu: number;
  memory_mib: number;
  disk_gb: number;
  storage: string;
  bridge: string;
  /** JSON NetworkConfig */
  network: string;
  username: string | null;
  /** JSON string[] */
  key_pair_ids: string;
  /** JSON Record<string,string> */
  tags: string;
  protected: number;
  /** JSON string[] */
  ips: string;
  /** JSON InstanceNetworkView (NICs on ProxiCloud networks, security groups), kept by the networks module */
  net_view?: string | null;
  active_operation_id: string | null;
  /** 1: a guest may still exist in PVE and must be removed by the reconciler */
  needs_cleanup: number;
  managed: 'created' | 'adopted';
  created_at: string;
  updated_at: string;
  launched_at: string | null;
  terminated_at: string | null;
}

export interface IdempotencyKeysTable {
  owner_id: string;
  key: string;
  request_hash: string;
  resource_id: string;
  operation_id: string;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    instances: InstancesTable;
    idempotency_keys: IdempotencyKeysTable;
  }
}

export type InstanceRow = Selectable<InstancesTable>;

export type InstanceSort = 'name' | 'createdAt' | 'status' | 'vcpu' | 'memory' | 'node';
const SORT_COLUMNS: Record<InstanceSort, keyof InstancesTable> = {
  name: 'name',
  createdAt: 'created_at',
  status: 'status',
  vcpu: 'vcpu',
  memory: 'memory_mib',
  node: 'node',
};

export interface InstanceFilter {
  status?: InstanceStatus[];
  /** name contains */
  q?: string;
  type?: 'vm' | 'lxc';
  ownerId?: string;
  /** include terminated instances (default: only when filtering by status) */
  includeTerminated?: boolean;
  sort?: InstanceSort;
  order?: 'asc' | 'desc';
}

/** Live instances of one status and type: how many, and their summed sizes. */
export interface SummaryGroup {
  status: InstanceStatus;
  type: 'vm' | 'lxc';
  n: number;
  vcpu: number;
  memoryMib: number;
  diskGb: number;
}

export class InstancesRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): InstancesRepository {
    return new InstancesRepository(trx);
  }

  async insert(row: Insertable<InstancesTable>): Promise<void> {
    await this.db.insertInto('instances').values(row).execute();
  }

  find(id: string): Promise<InstanceRow | undefined> {
    return this.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findScoped(actor: Actor, id: string): Promise<InstanceRow | undefined> {
    return scope(this.db.selectFrom('instances').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  findByIds(ids: readonly string[]): Promise<InstanceRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('instances').selectAll().where('id', 'in', ids).execute();
  }

  findLiveByName(ownerId: string, name: string): Promise<InstanceRow | undefined> {
    return this.db
      .selectFrom('instances')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .where('status', '<>', 'terminated')
      .executeTakeFirst();
  }

  liveOf(ownerId: string): Promise<InstanceRow[]> {
    return this.db
      .selectFrom('instances')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('status', '<>', 'terminated')
      .orderBy('name')
      .execute();
  }

  findLiveByVmid(vmid: number): Promise<InstanceRow | undefined> {
    return this.db
      .selectFrom('instances')
      .selectAll()
      .where('vmid', '=', vmid)
      .where('status', '<>', 'terminated')
      .executeTakeFirst();
  }

  async list(
    actor: Actor,
    filter: InstanceFilter,
    page: Page,
  ): Promise<{ rows: InstanceRow[]; total: number }> {
    let q = scope(this.db.selectFrom('instances'), actor);
    if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.status?.length) q = q.where('status', 'in', filter.status);
    else if (!filter.includeTerminated) q = q.where('status', '<>', 'terminated');
    if (filter.type) q = q.where('type', '=', filter.type);
    if (filter.q) q = q.where(sql<boolean>`name like ${likeContains(filter.q)} escape '\\'`);
    const column = SORT_COLUMNS[filter.sort ?? 'createdAt'];
    const order = filter.order ?? (filter.sort === undefined || filter.sort === 'createdAt' ? 'desc' : 'asc');
    return pageOf<InstanceRow>(q, page, [
      [column, order],
      ['id', order],
    ]);
  }

  /**
   * Counts and allocation of the actor's live (not terminated) instances from one GROUP BY query
   * (never loads the rows): per status × type with the allocated sizes, and per node.
   */
  async summary(
    actor: Actor,
    ownerId?: string,
  ): Promise<{ groups: SummaryGroup[]; nodes: { node: string; instances: number; running: number }[] }> {
    let q = scope(this.db.selectFrom('instances'), actor).where('status', '<>', 'terminated');
    if (ownerId) q = q.where('owner_id', '=', ownerId);
    // one scan: status × type × node groups (a handful of rows), folded into both views here
    const rows = await q
      .select((eb) => [
        'status',
        'type',
        'node',
        eb.fn.countAll().as('n'),
        eb.fn.sum<number>('vcpu').as('vcpu'),
        eb.fn.sum<number>('memory_mib').as('mem'),
        eb.fn.sum<number>('disk_gb').as('disk'),
      ])
      .groupBy(['status', 'type', 'node'])
      .execute();
    const groups = new Map<string, SummaryGroup>();
    const nodes = new Map<string, { node: string; instances: number; running: number }>();
    for (const r of rows) {
      const n = toCount(r.n);
      const key = `${r.status}/${r.type}`;
      const g = groups.get(key) ?? { status: r.status, type: r.type, n: 0, vcpu: 0, memoryMib: 0, diskGb: 0 };
      g.n += n;
      g.vcpu += toCount(r.vcpu);
      g.memoryMib += toCount(r.mem);
      g.diskGb += toCount(r.disk);
      groups.set(key, g);
      if (r.node === null) continue;
      const c = nodes.get(r.node) ?? { node: r.node, instances: 0, running: 0 };
      c.instances += n;
      if (r.status === 'running') c.running += n;
      nodes.set(r.node, c);
    }
    return {
      groups: [...groups.values()],
      nodes: [...nodes.values()].sort((x, y) => (x.node < y.node ? -1 : x.node > y.node ? 1 : 0)),
    };
  }

  /**
   * id, vmid and management of the actor's running instances (what `busiest` maps PVE guests to),
   * optionally only those with one of `vmids`.
   */
  runningGuests(
    actor: Actor,
    ownerId?: string,
    vmids?: readonly number[],
  ): Promise<Pick<InstanceRow, 'id' | 'vmid' | 'managed'>[]> {
    if (vmids?.length === 0) return Promise.resolve([]);
    let q = scope(this.db.selectFrom('instances'), actor)
      .select(['id', 'vmid', 'managed'])
      .where('status', '=', 'running')
      .where('vmid', 'is not', null);
    if (ownerId) q = q.where('owner_id', '=', ownerId);
    if (vmids) q = q.where('vmid', 'in', vmids);
    return q.execute();
  }

  /** Everything the reconciler compares with PVE (not terminated). */
  liveRows(): Promise<InstanceRow[]> {
    return this.db.selectFrom('instances').selectAll().where('status', '<>', 'terminated').execute();
  }

  async update(id: string, patch: Updateable<InstancesTable>): Promise<void> {
    await this.db.updateTable('instances').set(patch).where('id', '=', id).execute();
  }

  /** Take the instance's operation slot; false when another operation holds it. */
  lock(id: string, operationId: string, patch: Updateable<InstancesTable> = {}): Promise<boolean> {
    return lockRow(this.db, 'instances', id, operationId, patch);
  }

  unlock(id: string, operationId: string): Promise<void> {
    return unlockRow(this.db, 'instances', id, operationId);
  }

  /** Is this VMID held by another live instance row? */
  async vmidTaken(vmid: number, exceptId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('instances')
      .select('id')
      .where('vmid', '=', vmid)
      .where('status', '<>', 'terminated')
      .where('id', '<>', exceptId)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Memory (MiB) of launches not yet placed into PVE, per node (placement spreads bursts). */
  async pendingMemoryByNode(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('instances')
      .select(['node', (eb) => eb.fn.sum<number>('memory_mib').as('mem')])
      .where('status', 'in', ['pending', 'creating'])
      .groupBy('node')
      .execute();
    return new Map(rows.filter((r) => r.node).map((r) => [r.node!, Number(r.mem ?? 0)]));
  }

  async countLive(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .where('status', '<>', 'terminated')
      .executeTakeFirst();
    return toCount(r?.n);
  }

  /** What the user's instances count toward the quota (all but terminated/failed ones). */
  async usage(
    ownerId: string,
  ): Promise<{ vcpu: number; memory: number; diskGib: number; instances: number }> {
    const r = await this.db
      .selectFrom('instances')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.sum<number>('vcpu').as('vcpu'),
        eb.fn.sum<number>('memory_mib').as('mem'),
        eb.fn.sum<number>('disk_gb').as('disk'),
      ])
      .where('owner_id', '=', ownerId)
      .where('status', 'not in', ['terminated', 'error'])
      .executeTakeFirst();
    const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
    return { vcpu: num(r?.vcpu), memory: num(r?.mem), diskGib: num(r?.disk), instances: toCount(r?.n) };
  }

  async reassign(from: string, to: string): Promise<void> {
    await this.db.updateTable('instances').set({ owner_id: to }).where('owner_id', '=', from).execute();
    await this.db.deleteFrom('idempotency_keys').where('owner_id', '=', from).execute();
  }

  findIdempotency(ownerId: string, key: string): Promise<Selectable<IdempotencyKeysTable> | undefined> {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  async insertIdempotency(row: Insertable<IdempotencyKeysTable>): Promise<void> {
    await this.db.insertInto('idempotency_keys').values(row).execute();
  }

  async purgeIdempotency(before: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
  }

  async setNetView(id: string, view: string): Promise<void> {
    await this.db.updateTable('instances').set({ net_view: view }).where('id', '=', id).execute();
  }
}
