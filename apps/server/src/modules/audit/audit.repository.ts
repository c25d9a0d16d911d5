import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface AuditLogTable {
  id: number;
  timestamp: string;
  user_id: string | null;
  username: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  source_ip: string;
  result: 'success' | 'failure' | 'denied';
  request_id: string;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainTable {
  id: number;
  last_id: number;
  last_hash: string;
}

export interface AuditCheckpointsTable {
  id: string;
  last_id: number;
  last_hash: string;
  deleted: number;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
}

export type AuditRow = Selectable<AuditLogTable>;
export type CheckpointRow = Selectable<AuditCheckpointsTable>;

export interface AuditFilter {
  userId?: string;
  username?: string;
  /** Exact action, or a prefix when it ends with `*` (e.g. `auth.*`). */
  action?: string;
  resourceType?: string;
  resourceId?: string;
  result?: 'success' | 'failure' | 'denied';
  /** Inclusive ISO bounds. */
  from?: string;
  to?: string;
}

export class AuditRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: Dialect,
  ) {}

  with(trx: Kysely<Tables>): AuditRepository {
    return new AuditRepository(trx, this.dialect);
  }

  /** Reads the chain head; on PostgreSQL it takes the row lock that serialises appends. */
  async lockHead(): Promise<Selectable<AuditChainTable>> {
    const q = this.db.selectFrom('audit_chain').selectAll().where('id', '=', 1);
    const row = await (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
    if (!row) throw new Error('audit chain head missing (migrations not applied?)');
    return row;
  }

  readHead(): Promise<Selectable<AuditChainTable> | undefined> {
    return this.db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  async append(row: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
    await this.db
      .updateTable('audit_chain')
      .set({ last_id: row.id, last_hash: row.hash })
      .where('id', '=', 1)
      .execute();
  }

  private filtered(actor: Actor, filter: AuditFilter) {
    let q = scope(this.db.selectFrom('audit_log'), actor, 'user_id');
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.username) q = q.where('username', '=', filter.username);
    if (filter.action) {
      if (filter.action.endsWith('*')) {
        const prefix = filter.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
        q = q.where(sql<boolean>`action like ${`${prefix}%`} escape '\\'`);
      } else {
        q = q.where('action', '=', filter.action);
      }
    }
    if (filter.resourceType) q = q.where('resource_type', '=', filter.resourceType);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.result) q = q.where('result', '=', filter.result);
    if (filter.from) q = q.where('timestamp', '>=', filter.from);
    if (filter.to) q = q.where('timestamp', '<=', filter.to);
    return q;
  }

  async list(actor: Actor, filter: AuditFilter, page: Page): Promise<{ rows: AuditRow[]; total: number }> {
    const q = this.filtered(actor, filter);
    return pageOf<AuditRow>(q, page, [['id', 'desc']]);
  }

  /** Keyset batch for streaming exports: rows with id > afterId, ascending. */
  batch(actor: Actor, filter: AuditFilter, afterId: number, size: number): Promise<AuditRow[]> {
    return this.filtered(actor, filter)
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(size)
      .execute();
  }

  /** Unscoped chain walk for verification. */
  chainBatch(afterId: number, upToId: number, size: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .where('id', '<=', upToId)
      .orderBy('id', 'asc')
      .limit(size)
      .execute();
  }

  latestCheckpoint(): Promise<CheckpointRow | undefined> {
    return this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('last_id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Newest row older than the cutoff (ids grow with time). */
  lastRowBefore(cutoff: string): Promise<Pick<AuditRow, 'id' | 'hash'> | undefined> {
    return this.db
      .selectFrom('audit_log')
      .select(['id', 'hash'])
      .where('timestamp', '<', cutoff)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertCheckpoint(row: Insertable<AuditCheckpointsTable>): Promise<void> {
    await this.db.insertInto('audit_checkpoints').values(row).execute();
  }

  async deleteUpTo(id: number): Promise<number> {
    const res = await this.db.deleteFrom('audit_log').where('id', '<=', id).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
