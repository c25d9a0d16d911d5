import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { CallContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import { authorize } from '../iam/index.ts';
import { type ChainedFields, entryHash, GENESIS_HASH } from './audit.chain.ts';
import { type AuditFilter, AuditRepository, type AuditRow } from './audit.repository.ts';

export type AuditResult = 'success' | 'failure' | 'denied';

/** What a service or hook records. The user and source come from the CallContext. */
export interface AuditEvent {
  /** `<module>.<verb>`, e.g. "users.create", "auth.login_failed". */
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  result?: AuditResult;
  /** Never put secrets here; keys that look secret are redacted anyway. */
  details?: Record<string, unknown> | null;
  /** Override the user (e.g. login, where the caller is not authenticated yet). */
  user?: { id: string | null; username: string | null };
}

export interface AuditEntry extends Omit<ChainedFields, 'result' | 'details'> {
  result: AuditResult;
  details: Record<string, unknown> | null;
  hash: string;
  prevHash: string;
}

export interface VerifyReport {
  valid: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
  checkpoint: { id: number; hash: string } | null;
}

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|credential/i;
const MAX_DETAIL_STRING = 2000;

/** Deep copy with secret-looking keys replaced; long strings truncated. */
export function sanitizeDetails(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[truncated]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => sanitizeDetails(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : sanitizeDetails(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && value.length > MAX_DETAIL_STRING)
    return `${value.slice(0, MAX_DETAIL_STRING)}…`;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    timestamp: row.timestamp,
    userId: row.user_id,
    username: row.username,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    sourceIp: row.source_ip,
    result: row.result,
    requestId: row.request_id,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

function chainedFields(row: AuditRow): ChainedFields {
  const { hash: _hash, prevHash: _prevHash, ...fields } = toEntry(row);
  return fields;
}

export interface AuditServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
}

/**
 * The append-only, hash-chained audit trail. Appends are serialised: an in-process mutex for
 * standalone appends plus the chain-head row (locked FOR UPDATE on PostgreSQL; SQLite has one
 * writer connection) inside a transaction. Services that change data pass their transaction to
 * record() so the audit row commits or rolls back with the change.
 */
export class AuditService {
  private readonly repo: AuditRepository;
  private readonly mutex = new Mutex();

  constructor(private readonly deps: AuditServiceDeps) {
    this.repo = new AuditRepository(deps.db.kysely, deps.db.dialect);
  }

  /**
   * Append an entry. With `trx` the entry joins that transaction (use this for domain changes);
   * without, it is written in its own transaction. Marks the context as audited.
   */
  async record(ctx: CallContext, event: AuditEvent, trx?: Kysely<Tables>): Promise<AuditEntry> {
    const entry = trx
      ? await this.appendWithin(trx, ctx, event)
      : await this.mutex.run(() =>
          this.deps.db.kysely.transaction().execute((t) => this.appendWithin(t, ctx, event)),
        );
    ctx.audited = true;
    return entry;
  }

  /**
   * For module services: run `fn` in a transaction and append its audit entry in the same
   * transaction, so the change and its record commit (or roll back) together.
   *
   *   const vol = await audit.change(ctx, (trx) => repo.with(trx).insert(row),
   *     (v) => ({ action: 'volumes.create', resourceType: 'volume', resourceId: v.id }));
   */
  async change<T>(
    ctx: CallContext,
    fn: (trx: Kysely<Tables>) => Promise<T>,
    event: AuditEvent | ((result: T) => AuditEvent),
  ): Promise<T> {
    return this.deps.db.kysely.transaction().execute(async (trx) => {
      const result = await fn(trx);
      const e = typeof event === 'function' ? event(result) : event;
      await this.record(ctx, e, trx);
      if (e.resourceId && !ctx.resourceId) ctx.resourceId = e.resourceId;
      return result;
    });
  }

  private async appendWithin(trx: Kysely<Tables>, ctx: CallContext, event: AuditEvent): Promise<AuditEntry> {
    const repo = this.repo.with(trx);
    const head = await repo.lockHead();
    const user = event.user ?? {
      id: ctx.actor?.id ?? null,
      username: ctx.actor?.username ?? null,
    };
    const details = event.details ? (sanitizeDetails(event.details) as Record<string, unknown>) : null;
    const fields: ChainedFields = {
      id: Number(head.last_id) + 1,
      timestamp: iso(this.deps.clock.now()),
      userId: user.id,
      username: user.username,
      action: event.action,
      resourceType: event.resourceType ?? null,
      resourceId: event.resourceId ?? null,
      sourceIp: ctx.ip,
      result: event.result ?? 'success',
      requestId: ctx.requestId,
      details,
    };
    const prevHash = head.last_hash;
    const hash = entryHash(prevHash, fields);
    await repo.append({
      id: fields.id,
      timestamp: fields.timestamp,
      user_id: fields.userId,
      username: fields.username,
      action: fields.action,
      resource_type: fields.resourceType,
      resource_id: fields.resourceId,
      source_ip: fields.sourceIp,
      result: fields.result as AuditResult,
      request_id: fields.requestId,
      details: details === null ? null : JSON.stringify(details),
      prev_hash: prevHash,
      hash,
    });
    return { ...fields, result: fields.result as AuditResult, details, hash, prevHash };
  }

  async list(actor: Actor, filter: AuditFilter, page: Page): Promise<ListResult<AuditEntry>> {
    authorize(actor, 'audit', 'read');
    const { rows, total } = await this.repo.list(actor, filter, page);
    return { items: rows.map(toEntry), total, limit: page.limit, offset: page.offset };
  }

  /** Streams matching entries oldest-first in batches (never loads the whole table). */
  stream(actor: Actor, filter: AuditFilter, batchSize = 500): AsyncGenerator<AuditEntry> {
    authorize(actor, 'audit', 'read'); // eagerly, before any byte is sent
    return this.batches(actor, filter, batchSize);
  }

  private async *batches(actor: Actor, filter: AuditFilter, batchSize: number): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.repo.batch(actor, filter, after, batchSize);
      for (const row of rows) yield toEntry(row);
      if (rows.length < batchSize) return;
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  /**
   * Walk the chain from the latest checkpoint to the head. Reports the first broken link:
   * an edited row fails its own hash; a deleted row shows up as a gap at the next id.
   */
  async verify(actor: Actor, batchSize = 1000): Promise<VerifyReport> {
    authorize(actor, 'audit', 'verify');
    for (let attempt = 0; ; attempt++) {
      const report = await this.walk(batchSize);
      if (report.valid || attempt >= 2) return report;
      // Retention may have moved the checkpoint while we walked; re-check once it settles.
      const latest = await this.repo.latestCheckpoint();
      if ((latest ? Number(latest.last_id) : null) === (report.checkpoint?.id ?? null)) return report;
    }
  }

  private async walk(batchSize: number): Promise<VerifyReport> {
    const checkpointRow = await this.repo.latestCheckpoint();
    const head = await this.repo.readHead();
    const checkpoint = checkpointRow
      ? { id: Number(checkpointRow.last_id), hash: checkpointRow.last_hash }
      : null;
    let expectedId = (checkpoint?.id ?? 0) + 1;
    let expectedPrev = checkpoint?.hash ?? GENESIS_HASH;
    const headId = Number(head?.last_id ?? 0);
    let checked = 0;
    const broken = (id: number, reason: string): VerifyReport => ({
      valid: false,
      checked,
      firstBrokenId: id,
      reason,
      checkpoint,
    });
    for (;;) {
      const rows = await this.repo.chainBatch(expectedId - 1, headId, batchSize);
      for (const row of rows) {
        const id = Number(row.id);
        if (id !== expectedId) {
          return broken(id, `entries ${expectedId}..${id - 1} are missing (deleted) before entry ${id}`);
        }
        if (row.prev_hash !== expectedPrev) {
          return broken(id, `prevHash of entry ${id} does not match the hash of the entry before it`);
        }
        let computed: string;
        try {
          computed = entryHash(row.prev_hash, chainedFields(row));
        } catch {
          return broken(id, `entry ${id} has unreadable details`);
        }
        if (computed !== row.hash) return broken(id, `hash mismatch: entry ${id} was modified`);
        expectedPrev = row.hash;
        expectedId = id + 1;
        checked++;
      }
      if (rows.length < batchSize) break;
    }
    if (expectedId - 1 !== headId) {
      return broken(
        expectedId,
        `entries ${expectedId}..${headId} are missing (deleted) at the end of the chain`,
      );
    }
    if (headId > 0 && head && head.last_hash !== expectedPrev) {
      return broken(headId, `chain head hash does not match entry ${headId}`);
    }
    return { valid: true, checked, firstBrokenId: null, reason: null, checkpoint };
  }

  /**
   * Delete entries older than `days`, first writing a checkpoint (id + hash of the last deleted
   * entry) so verification continues from there. Returns how many rows were deleted.
   */
  async applyRetention(days: number, ctx: CallContext): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = iso(new Date(this.deps.clock.now().getTime() - days * 86_400_000));
    return this.mutex.run(() =>
      this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.repo.with(trx);
        await repo.lockHead();
        const last = await repo.lastRowBefore(cutoff);
        if (!last) return 0;
        const deleted = await repo.deleteUpTo(Number(last.id));
        await repo.insertCheckpoint({
          id: newId('chk'),
          last_id: Number(last.id),
          last_hash: last.hash,
          deleted,
          created_at: iso(this.deps.clock.now()),
        });
        await this.appendWithin(trx, ctx, {
          action: 'audit.retention',
          resourceType: 'audit',
          details: { deleted, checkpointId: Number(last.id), cutoff, retentionDays: days },
        });
        return deleted;
      }),
    );
  }
}
