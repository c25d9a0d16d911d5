import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { newId } from '../../platform/crypto.ts';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { lockRow, unlockRow } from '../operations/index.ts';

export type VolumeStatus =
  | 'creating'
  | 'available'
  | 'attaching'
  | 'in-use'
  | 'detaching'
  | 'deleting'
  | 'deleted'
  | 'error';

export interface VolumeTypesTable {
  name: string;
  storage: string;
  zfs_pool: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface VolumesTable {
  id: string;
  owner_id: string;
  name: string;
  size_gb: number;
  volume_type: string;
  storage: string;
  zfs_pool: string;
  node: string;
  format: 'block' | 'filesystem';
  pve_volid: string | null;
  status: VolumeStatus;
  status_reason: string | null;
  instance_id: string | null;
  /** scsiN (VM) or mpN (LXC) */
  device: string | null;
  /** /dev/sdX or the mount path */
  device_name: string | null;
  mount_path: string | null;
  source_snapshot_id: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface VolumeSnapshotsTable {
  id: string;
  owner_id: string;
  volume_id: string;
  name: string;
  description: string;
  zfs_name: string;
  size_bytes: number;
  status: 'available' | 'deleted';
  created_at: string;
  deleted_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    volume_types: VolumeTypesTable;
    volumes: VolumesTable;
    volume_snapshots: VolumeSnapshotsTable;
  }
}

export type VolumeTypeRow = Selectable<VolumeTypesTable>;
export type VolumeRow = Selectable<VolumesTable>;

/** What a new volume is made of; the rest of its row starts as `creating`, detached, unlocked. */
export type NewVolume = Pick<
  VolumeRow,
  | 'owner_id'
  | 'name'
  | 'size_gb'
  | 'volume_type'
  | 'storage'
  | 'zfs_pool'
  | 'node'
  | 'format'
  | 'source_snapshot_id'
>;

/** The row of a volume about to be created (create, clone). */
export function newVolumeRow(fields: NewVolume, now: string): VolumeRow {
  return {
    ...fields,
    id: newId('vol'),
    pve_volid: null,
    status: 'creating',
    status_reason: null,
    instance_id: null,
    device: null,
    device_name: null,
    mount_path: null,
    active_operation_id: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}
export type SnapshotRow = Selectable<VolumeSnapshotsTable>;

export interface VolumeFilter {
  status?: VolumeStatus[];
  q?: string;
  instanceId?: string;
  includeDeleted?: boolean;
}

export class VolumesRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): VolumesRepository {
    return new VolumesRepository(trx);
  }

  // ---- types
  listTypes(): Promise<VolumeTypeRow[]> {
    return this.db.selectFrom('volume_types').selectAll().orderBy('name').execute();
  }
  findType(name: string): Promise<VolumeTypeRow | undefined> {
    return this.db.selectFrom('volume_types').selectAll().where('name', '=', name).executeTakeFirst();
  }
  async upsertType(row: VolumeTypeRow): Promise<void> {
    const { name, created_at, ...rest } = row;
    await this.db
      .insertInto('volume_types')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet(rest))
      .execute();
  }
  async deleteType(name: string): Promise<void> {
    await this.db.deleteFrom('volume_types').where('name', '=', name).execute();
  }
  async countByType(name: string): Promise<number> {
    const r = await this.db
      .selectFrom('volumes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('volume_type', '=', name)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
    return toCount(r?.n);
  }

  // ---- volumes
  async insert(row: Insertable<VolumesTable>): Promise<void> {
    await this.db.insertInto('volumes').values(row).execute();
  }
  find(id: string): Promise<VolumeRow | undefined> {
    return this.db.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findScoped(actor: Actor, id: string): Promise<VolumeRow | undefined> {
    return scope(this.db.selectFrom('volumes').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }
  findLiveByName(ownerId: string, name: string): Promise<VolumeRow | undefined> {
    return this.db
      .selectFrom('volumes')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
  }
  attachedTo(instanceId: string): Promise<VolumeRow[]> {
    return this.db
      .selectFrom('volumes')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where('status', '<>', 'deleted')
      .orderBy('device')
      .execute();
  }
  async list(actor: Actor, filter: VolumeFilter, page: Page): Promise<{ rows: VolumeRow[]; total: number }> {
    let q = scope(this.db.selectFrom('volumes'), actor);
    if (filter.status?.length) q = q.where('status', 'in', filter.status);
    else if (!filter.includeDeleted) q = q.where('status', '<>', 'deleted');
    if (filter.instanceId) q = q.where('instance_id', '=', filter.instanceId);
    if (filter.q) q = q.where(sql<boolean>`name like ${likeContains(filter.q)} escape '\\'`);
    return pageOf<VolumeRow>(q, page, [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ]);
  }
  async update(id: string, patch: Updateable<VolumesTable>): Promise<void> {
    await this.db.updateTable('volumes').set(patch).where('id', '=', id).execute();
  }
  lock(id: string, operationId: string, patch: Updateable<VolumesTable> = {}): Promise<boolean> {
    return lockRow(this.db, 'volumes', id, operationId, patch);
  }
  unlock(id: string, operationId: string): Promise<void> {
    return unlockRow(this.db, 'volumes', id, operationId);
  }
  /** What the user's volumes count toward the quota (all but deleted/failed ones). */
  async usage(ownerId: string): Promise<{ diskGib: number; volumes: number }> {
    const r = await this.db
      .selectFrom('volumes')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum<number>('size_gb').as('disk')])
      .where('owner_id', '=', ownerId)
      .where('status', 'not in', ['deleted', 'error'])
      .executeTakeFirst();
    return {
      diskGib: r?.disk === null || r?.disk === undefined ? 0 : Number(r.disk),
      volumes: toCount(r?.n),
    };
  }
  async countLive(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('volumes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
    return toCount(r?.n);
  }
  async reassign(from: string, to: string): Promise<void> {
    await this.db.updateTable('volumes').set({ owner_id: to }).where('owner_id', '=', from).execute();
    await this.db
      .updateTable('volume_snapshots')
      .set({ owner_id: to })
      .where('owner_id', '=', from)
      .execute();
  }

  // ---- snapshots
  async insertSnapshot(row: Insertable<VolumeSnapshotsTable>): Promise<void> {
    await this.db.insertInto('volume_snapshots').values(row).execute();
  }
  snapshotsOf(volumeId: string): Promise<SnapshotRow[]> {
    return this.db
      .selectFrom('volume_snapshots')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .where('status', '<>', 'deleted')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }
  async listSnapshots(
    actor: Actor,
    volumeId: string | undefined,
    page: Page,
  ): Promise<{ rows: SnapshotRow[]; total: number }> {
    let q = scope(this.db.selectFrom('volume_snapshots'), actor).where('status', '<>', 'deleted');
    if (volumeId) q = q.where('volume_id', '=', volumeId);
    return pageOf<SnapshotRow>(q, page, [
      ['created_at', 'desc'],
      ['id', 'desc'],
    ]);
  }
  findSnapshotScoped(actor: Actor, id: string): Promise<SnapshotRow | undefined> {
    return scope(this.db.selectFrom('volume_snapshots').selectAll().where('id', '=', id), actor)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
  }
  findSnapshot(id: string): Promise<SnapshotRow | undefined> {
    return this.db.selectFrom('volume_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  }
  findSnapshotByName(volumeId: string, name: string): Promise<SnapshotRow | undefined> {
    return this.db
      .selectFrom('volume_snapshots')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .where('name', '=', name)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
  }
  async markSnapshotsDeleted(ids: readonly string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('volume_snapshots')
      .set({ status: 'deleted', deleted_at: at })
      .where('id', 'in', ids)
      .execute();
  }
  async updateSnapshot(id: string, patch: Updateable<VolumeSnapshotsTable>): Promise<void> {
    await this.db.updateTable('volume_snapshots').set(patch).where('id', '=', id).execute();
  }
}
