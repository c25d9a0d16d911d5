import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface BackupPoliciesTable {
  id: string;
  owner_id: string;
  name: string;
  schedule: string;
  cron: string;
  timezone: string;
  /** JSON PolicyTarget[] */
  targets: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  storage: string | null;
  /** JSON Retention */
  retention: string;
  enabled: number;
  missed_run_policy: 'run_once' | 'skip';
  notify_channel_ids: string;
  notify_on: string;
  /** 1: volume snapshots are also copied to the backup dataset (`zfs send`) */
  zfs_send: number;
  created_at: string;
  updated_at: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'skipped';

export interface BackupRunsTable {
  id: string;
  owner_id: string;
  policy_id: string | null;
  policy_name: string | null;
  trigger: 'schedule' | 'missed' | 'manual';
  status: RunStatus;
  scheduled_for: string | null;
  operation_id: string | null;
  /** JSON ResolvedTarget[] (what the run backs up) */
  targets: string;
  /** JSON TargetOutcome[] */
  outcomes: string;
  /** JSON string[]: recovery point ids removed by retention */
  pruned: string;
  size_bytes: number | string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type PointStatus = 'available' | 'deleted';

export interface RecoveryPointsTable {
  id: string;
  owner_id: string;
  policy_id: string | null;
  run_id: string | null;
  resource_type: 'instance' | 'volume';
  resource_id: string;
  resource_name: string;
  node: string;
  storage: string;
  volid: string | null;
  snapshot_id: string | null;
  guest_type: 'vm' | 'lxc' | null;
  vmid: number | null;
  mode: string | null;
  size_bytes: number | string;
  /** JSON of the backed-up guest configuration (shown before a restore) */
  config: string | null;
  status: PointStatus;
  /** volume points: the `zfs send` copy (`<backup dataset>@<snapshot>`), if made */
  copy_ref: string | null;
  /** volume points: JSON VolumeSpec of the volume at backup time */
  volume_spec: string | null;
  active_operation_id: string | null;
  created_at: string;
  deleted_at: string | null;
}

export interface BackupNodeSlotsTable {
  node: string;
  slot: number;
  /** the operation (backup run) holding the slot */
  holder: string;
  expires_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    backup_node_slots: BackupNodeSlotsTable;
    backup_policies: BackupPoliciesTable;
    backup_runs: BackupRunsTable;
    recovery_points: RecoveryPointsTable;
  }
}

export type PolicyRow = Selectable<BackupPoliciesTable>;
export type RunRow = Selectable<BackupRunsTable>;
export type PointRow = Selectable<RecoveryPointsTable>;

/** Told about every run and recovery point change made outside a transaction (live events). */
export interface BackupsRepoHooks {
  changed(resource: 'backup_run' | 'recovery_point', id: string, type: 'created' | 'updated'): void;
}

export class BackupsRepository {
  constructor(
    readonly db: Executor,
    private readonly hooks?: BackupsRepoHooks,
  ) {}

  /** A repository on a transaction: no hooks (call `changed` after the commit). */
  with(db: Executor): BackupsRepository {
    return new BackupsRepository(db);
  }

  changed(resource: 'backup_run' | 'recovery_point', id: string, type: 'created' | 'updated'): void {
    this.hooks?.changed(resource, id, type);
  }

  /* policies */
  insertPolicy(row: Insertable<BackupPoliciesTable>) {
    return this.db.insertInto('backup_policies').values(row).execute();
  }
  updatePolicy(id: string, patch: Updateable<BackupPoliciesTable>) {
    return this.db.updateTable('backup_policies').set(patch).where('id', '=', id).execute();
  }
  deletePolicy(id: string) {
    return this.db.deleteFrom('backup_policies').where('id', '=', id).execute();
  }
  findPolicy(id: string): Promise<PolicyRow | undefined> {
    return this.db.selectFrom('backup_policies').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findPolicyScoped(actor: Actor, id: string): Promise<PolicyRow | undefined> {
    return scope(
      this.db.selectFrom('backup_policies').selectAll().where('id', '=', id),
      actor,
    ).executeTakeFirst();
  }
  findPolicyByName(ownerId: string, name: string): Promise<PolicyRow | undefined> {
    return this.db
      .selectFrom('backup_policies')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }
  listPolicies(actor: Actor, page: Page) {
    return pageOf<PolicyRow>(scope(this.db.selectFrom('backup_policies'), actor), page, [['name'], ['id']]);
  }

  /* runs */
  async insertRun(row: Insertable<BackupRunsTable>): Promise<void> {
    await this.db.insertInto('backup_runs').values(row).execute();
    this.changed('backup_run', row.id, 'created');
  }
  async updateRun(id: string, patch: Updateable<BackupRunsTable>): Promise<void> {
    await this.db.updateTable('backup_runs').set(patch).where('id', '=', id).execute();
    this.changed('backup_run', id, 'updated');
  }
  findRun(id: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('backup_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findRunScoped(actor: Actor, id: string): Promise<RunRow | undefined> {
    return scope(
      this.db.selectFrom('backup_runs').selectAll().where('id', '=', id),
      actor,
    ).executeTakeFirst();
  }
  listRuns(actor: Actor, filter: { policyId?: string; status?: RunStatus }, page: Page) {
    let q = scope(this.db.selectFrom('backup_runs'), actor);
    if (filter.policyId) q = q.where('policy_id', '=', filter.policyId);
    if (filter.status) q = q.where('status', '=', filter.status);
    return pageOf<RunRow>(q, page, [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ]);
  }
  /** A run of the policy that has not finished (no self-overlap). */
  activeRunOf(policyId: string): Promise<RunRow | undefined> {
    return this.db
      .selectFrom('backup_runs')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
  }
  lastRunOf(policyId: string): Promise<RunRow | undefined> {
    return this.db
      .selectFrom('backup_runs')
      .selectAll()
      .where('policy_id', '=', policyId)
      .where('status', '<>', 'skipped')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  /** A manual or scheduled backup of this resource that has not finished. */
  async activeRunFor(resourceId: string): Promise<RunRow | undefined> {
    const rows = await this.db
      .selectFrom('backup_runs')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .execute();
    return rows.find((r) => (JSON.parse(r.targets) as { id: string }[]).some((t) => t.id === resourceId));
  }

  /* recovery points */
  async insertPoint(row: Insertable<RecoveryPointsTable>): Promise<void> {
    await this.db.insertInto('recovery_points').values(row).execute();
    this.changed('recovery_point', row.id, 'created');
  }
  async updatePoint(id: string, patch: Updateable<RecoveryPointsTable>): Promise<void> {
    await this.db.updateTable('recovery_points').set(patch).where('id', '=', id).execute();
    this.changed('recovery_point', id, 'updated');
  }
  findPoint(id: string): Promise<PointRow | undefined> {
    return this.db.selectFrom('recovery_points').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findPointScoped(actor: Actor, id: string): Promise<PointRow | undefined> {
    return scope(
      this.db
        .selectFrom('recovery_points')
        .selectAll()
        .where('id', '=', id)
        .where('status', '=', 'available'),
      actor,
    ).executeTakeFirst();
  }
  listPoints(actor: Actor, filter: { resourceId?: string; policyId?: string }, page: Page) {
    let q = scope(this.db.selectFrom('recovery_points'), actor).where('status', '=', 'available');
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.policyId) q = q.where('policy_id', '=', filter.policyId);
    return pageOf<PointRow>(q, page, [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ]);
  }
  /** The available recovery points of one resource made by one policy (a retention group). */
  pointsOf(resourceId: string, policyId: string | null): Promise<PointRow[]> {
    let q = this.db
      .selectFrom('recovery_points')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'available');
    q = policyId === null ? q.where('policy_id', 'is', null) : q.where('policy_id', '=', policyId);
    return q.orderBy('created_at', 'desc').execute();
  }
  latestPointOf(resourceId: string): Promise<PointRow | undefined> {
    return this.db
      .selectFrom('recovery_points')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'available')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  /** Bytes of backups a user keeps (quota usage). */
  async storedBytes(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('recovery_points')
      .select((eb) => eb.fn.sum<number | string>('size_bytes').as('n'))
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'available')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async countPolicies(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('backup_policies')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async reassign(from: string, to: string): Promise<void> {
    for (const t of ['backup_policies', 'backup_runs', 'recovery_points'] as const)
      await this.db.updateTable(t).set({ owner_id: to }).where('owner_id', '=', from).execute();
  }
}

export type { Tables };
