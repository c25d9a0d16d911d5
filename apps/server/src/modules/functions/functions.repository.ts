import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface FunctionsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  runtime: string;
  handler: string;
  memory_mb: number;
  timeout_seconds: number;
  env: string;
  secrets: string;
  network: number;
  concurrency: number;
  failure_webhook: string | null;
  latest_version: number;
  url_id: string | null;
  url_auth: string | null;
  url_cors: string | null;
  last_invoked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface FunctionVersionsTable {
  function_id: string;
  version: number;
  code_sha256: string;
  code_size: number;
  /** JSON {path: base64} of the normalized code. */
  code: string;
  /** JSON snapshot of runtime, handler, memoryMb, timeoutSeconds, env, secrets, network. */
  config: string;
  description: string;
  created_at: string;
}

export interface FunctionAliasesTable {
  function_id: string;
  name: string;
  version: number;
  updated_at: string;
}

export interface FunctionInvocationsTable {
  id: string;
  function_id: string;
  owner_id: string;
  version: number;
  trigger: string;
  async: number;
  status: string;
  payload: string | null;
  attempts: number;
  next_attempt_at: string | null;
  claimed_by: string | null;
  cold: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  billed_ms: number | null;
  memory_used_mb: number | null;
  result: string | null;
  error: string | null;
  logs: string | null;
  logs_truncated: number;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    functions: FunctionsTable;
    function_versions: FunctionVersionsTable;
    function_aliases: FunctionAliasesTable;
    function_invocations: FunctionInvocationsTable;
  }
}

export type FunctionRow = Selectable<FunctionsTable>;
export type VersionRow = Selectable<FunctionVersionsTable>;
export type AliasRow = Selectable<FunctionAliasesTable>;
export type InvocationRow = Selectable<FunctionInvocationsTable>;

const INVOCATION_SUMMARY = [
  'id',
  'function_id',
  'owner_id',
  'version',
  'trigger',
  'async',
  'status',
  'attempts',
  'cold',
  'started_at',
  'finished_at',
  'duration_ms',
  'billed_ms',
  'memory_used_mb',
  'error',
  'logs_truncated',
  'created_at',
] as const;

export class FunctionsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): FunctionsRepository {
    return new FunctionsRepository(trx);
  }

  list(actor: Actor, q: string | undefined, page: Page): Promise<{ rows: FunctionRow[]; total: number }> {
    let query = scope(this.db.selectFrom('functions'), actor);
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    return pageOf<FunctionRow>(query, page, [['name'], ['id']]);
  }

  findScoped(actor: Actor, id: string): Promise<FunctionRow | undefined> {
    return scope(this.db.selectFrom('functions').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  find(id: string): Promise<FunctionRow | undefined> {
    return this.db.selectFrom('functions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUrlId(urlId: string): Promise<FunctionRow | undefined> {
    return this.db.selectFrom('functions').selectAll().where('url_id', '=', urlId).executeTakeFirst();
  }

  findByName(ownerId: string, name: string): Promise<FunctionRow | undefined> {
    return this.db
      .selectFrom('functions')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('functions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return toCount(r?.n);
  }

  async insert(row: Insertable<FunctionsTable>): Promise<void> {
    await this.db.insertInto('functions').values(row).execute();
  }

  async update(id: string, set: Updateable<FunctionsTable>): Promise<void> {
    await this.db.updateTable('functions').set(set).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('function_invocations').where('function_id', '=', id).execute();
    await this.db.deleteFrom('function_aliases').where('function_id', '=', id).execute();
    await this.db.deleteFrom('function_versions').where('function_id', '=', id).execute();
    await this.db.deleteFrom('functions').where('id', '=', id).execute();
  }

  async insertVersion(row: Insertable<FunctionVersionsTable>): Promise<void> {
    await this.db.insertInto('function_versions').values(row).execute();
  }

  version(functionId: string, version: number): Promise<VersionRow | undefined> {
    return this.db
      .selectFrom('function_versions')
      .selectAll()
      .where('function_id', '=', functionId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  versions(functionId: string) {
    return this.db
      .selectFrom('function_versions')
      .select(['function_id', 'version', 'code_sha256', 'code_size', 'config', 'description', 'created_at'])
      .where('function_id', '=', functionId)
      .orderBy('version', 'desc')
      .execute();
  }

  aliases(functionId: string): Promise<AliasRow[]> {
    return this.db
      .selectFrom('function_aliases')
      .selectAll()
      .where('function_id', '=', functionId)
      .orderBy('name')
      .execute();
  }

  alias(functionId: string, name: string): Promise<AliasRow | undefined> {
    return this.db
      .selectFrom('function_aliases')
      .selectAll()
      .where('function_id', '=', functionId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async putAlias(row: AliasRow): Promise<void> {
    await this.db
      .deleteFrom('function_aliases')
      .where('function_id', '=', row.function_id)
      .where('name', '=', row.name)
      .execute();
    await this.db.insertInto('function_aliases').values(row).execute();
  }

  async deleteAlias(functionId: string, name: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('function_aliases')
      .where('function_id', '=', functionId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- invocations

  async insertInvocation(row: Insertable<FunctionInvocationsTable>): Promise<void> {
    await this.db.insertInto('function_invocations').values(row).execute();
  }

  /** Insert unless an invocation with this id exists (false then). */
  async insertInvocationOnce(row: Insertable<FunctionInvocationsTable>): Promise<boolean> {
    const r = await this.db
      .insertInto('function_invocations')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateInvocation(id: string, set: Updateable<FunctionInvocationsTable>): Promise<void> {
    await this.db.updateTable('function_invocations').set(set).where('id', '=', id).execute();
  }

  invocation(id: string): Promise<InvocationRow | undefined> {
    return this.db.selectFrom('function_invocations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  invocations(functionId: string, opts: { limit: number; since?: string; status?: string }) {
    let q = this.db
      .selectFrom('function_invocations')
      .select([...INVOCATION_SUMMARY])
      .where('function_id', '=', functionId);
    if (opts.since) q = q.where('created_at', '>', opts.since);
    if (opts.status) q = q.where('status', '=', opts.status);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /** Invocations after `since` with logs (for `logs --follow`), oldest first. */
  finishedSince(functionId: string, since: string, limit: number): Promise<InvocationRow[]> {
    return this.db
      .selectFrom('function_invocations')
      .selectAll()
      .where('function_id', '=', functionId)
      .where('finished_at', 'is not', null)
      .where('finished_at', '>', since)
      .orderBy('finished_at')
      .limit(limit)
      .execute();
  }

  /** Finished invocations since `since` (metrics). */
  stats(functionId: string, since: string) {
    return this.db
      .selectFrom('function_invocations')
      .select(['status', 'duration_ms', 'created_at', 'cold'])
      .where('function_id', '=', functionId)
      .where('created_at', '>=', since)
      .where('status', 'not in', ['queued', 'running'])
      .orderBy('created_at')
      .execute();
  }

  /** Async invocations due now (queued, next attempt reached). */
  due(now: string, limit: number): Promise<InvocationRow[]> {
    return this.db
      .selectFrom('function_invocations')
      .selectAll()
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  /** Compare-and-set: take a queued invocation (false when another server took it). */
  async claim(id: string, holder: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('function_invocations')
      .set({ status: 'running', claimed_by: holder, started_at: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Async invocations left running by a server that died: queue them again. */
  async requeueStale(before: string, now: string): Promise<number> {
    const r = await this.db
      .updateTable('function_invocations')
      .set({ status: 'queued', next_attempt_at: now, claimed_by: null })
      .where('status', '=', 'running')
      .where('async', '=', 1)
      .where('started_at', '<', before)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Servers holding running async invocations. */
  async runningHolders(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('function_invocations')
      .select('claimed_by')
      .distinct()
      .where('status', '=', 'running')
      .where('async', '=', 1)
      .where('claimed_by', 'is not', null)
      .execute();
    return rows.map((r) => r.claimed_by!);
  }

  /** Queue again the running async invocations of a server that is gone. */
  async requeueHolder(holder: string, now: string): Promise<number> {
    const r = await this.db
      .updateTable('function_invocations')
      .set({ status: 'queued', next_attempt_at: now, claimed_by: null })
      .where('status', '=', 'running')
      .where('async', '=', 1)
      .where('claimed_by', '=', holder)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async purgeBefore(before: string): Promise<number> {
    const r = await this.db
      .deleteFrom('function_invocations')
      .where('created_at', '<', before)
      .where('status', 'not in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async reassign(from: string, to: string): Promise<void> {
    const rows = await this.db.selectFrom('functions').selectAll().where('owner_id', '=', from).execute();
    for (const row of rows) {
      const clash = await this.findByName(to, row.name);
      await this.db
        .updateTable('functions')
        .set({ owner_id: to, ...(clash ? { name: `${row.name.slice(0, 40)}-${row.id}` } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
    await this.db
      .updateTable('function_invocations')
      .set({ owner_id: to })
      .where('owner_id', '=', from)
      .execute();
  }
}
