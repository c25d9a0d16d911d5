/**
 * The `function_runners` table: one row per ProxiCloud-managed runner container. The shared secret
 * is stored sealed (AES-256-GCM under the master key, bound to the row id); it is never part of a
 * view, an operation's params, a log line or an audit entry.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import type { Tables } from '../../platform/db/schema.ts';

/**
 * creating → ready ⇄ upgrading / draining (→ deleting → deleted); `error` when a create or
 * re-create failed (the container is gone; re-create tries again).
 */
export type RunnerStatusName =
  | 'creating'
  | 'ready'
  | 'upgrading'
  | 'draining'
  | 'deleting'
  | 'error'
  | 'deleted';
/** healthy: answers /v1/status; unhealthy: the container runs, the runner does not answer; lost: the container is gone or stopped */
export type RunnerHealth = 'unknown' | 'healthy' | 'unhealthy' | 'lost';

export interface FunctionRunnersTable {
  id: string;
  name: string;
  /** the node asked for (null: any); `node` is where the container is */
  requested_node: string | null;
  node: string | null;
  vmid: number | null;
  ip: string | null;
  port: number;
  status: RunnerStatusName;
  status_reason: string | null;
  health: RunnerHealth;
  health_checked_at: string | null;
  health_reason: string | null;
  /** the version installed (runner bundle version) */
  version: string | null;
  /** what /v1/status last reported: {bwrap, limits, seccomp, runtimes} as JSON */
  sandbox: string | null;
  secret_enc: string;
  memory_mib: number;
  cores: number;
  created_by: string;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    function_runners: FunctionRunnersTable;
  }
}

export type FunctionRunnerRow = Selectable<FunctionRunnersTable>;

export const functionRunnersMigrations: ModuleMigration[] = [
  {
    name: '0185_function_runners',
    async up(db) {
      await db.schema
        .createTable('function_runners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('requested_node', 'text')
        .addColumn('node', 'text')
        .addColumn('vmid', 'integer')
        .addColumn('ip', 'text')
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('health', 'text', (c) => c.notNull())
        .addColumn('health_checked_at', 'text')
        .addColumn('health_reason', 'text')
        .addColumn('version', 'text')
        .addColumn('sandbox', 'text')
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('memory_mib', 'integer', (c) => c.notNull())
        .addColumn('cores', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('active_operation_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createIndex('function_runners_status')
        .on('function_runners')
        .column('status')
        .execute();
    },
  },
];

export class FunctionRunnersRepository {
  constructor(readonly db: Kysely<Tables>) {}

  find(id: string): Promise<FunctionRunnerRow | undefined> {
    return this.db.selectFrom('function_runners').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Live runners (not deleted), by name. */
  live(): Promise<FunctionRunnerRow[]> {
    return this.db
      .selectFrom('function_runners')
      .selectAll()
      .where('status', '<>', 'deleted')
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  byName(name: string, db: Kysely<Tables> = this.db): Promise<FunctionRunnerRow | undefined> {
    return db
      .selectFrom('function_runners')
      .selectAll()
      .where('name', '=', name)
      .where('status', '<>', 'deleted')
      .executeTakeFirst();
  }

  async patch(id: string, patch: Updateable<FunctionRunnersTable>): Promise<void> {
    await this.db.updateTable('function_runners').set(patch).where('id', '=', id).execute();
  }
}
