import type { Kysely } from 'kysely';
import { type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import type { Database, Dialect } from './database.ts';

/**
 * A module's migration. `up` gets the dialect so the rare non-portable statement can branch.
 * Names are `<NNNN>_<module>_<what>`; the number is global and decides the order.
 */
export interface ModuleMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

const NAME = /^\d{4}_[a-z0-9]+_[a-z0-9_]+$/;

export function collectMigrations(list: readonly ModuleMigration[]): ModuleMigration[] {
  const seen = new Set<string>();
  const numbers = new Set<string>();
  for (const m of list) {
    if (!NAME.test(m.name)) throw new Error(`migration name "${m.name}" must look like 0001_module_what`);
    const number = m.name.slice(0, 4);
    if (seen.has(m.name) || numbers.has(number)) throw new Error(`duplicate migration number in "${m.name}"`);
    seen.add(m.name);
    numbers.add(number);
  }
  return [...list].sort((a, b) => a.name.localeCompare(b.name));
}

export interface MigrateReport {
  applied: string[];
  pending: string[];
}

/**
 * The database was migrated by a newer ProxiCloud: it has migrations this code does not know.
 * Migrations are forward-only, so running older code on it could corrupt data; start refuses.
 */
export class SchemaTooNewError extends Error {
  readonly unknown: string[];
  constructor(unknown: string[]) {
    super(
      `The database schema is newer than this ProxiCloud: it has ${unknown.length} migration(s) this version does not know ` +
        `(${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}). Migrations are forward-only: ` +
        'run the newer release again, or restore the backup taken before the upgrade (proxicloud admin restore --from FILE).',
    );
    this.name = 'SchemaTooNewError';
    this.unknown = unknown;
  }
}

/** Names of the migrations already applied to this database ([] for a new database). */
export async function appliedMigrations(db: Database): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(
      db.kysely,
    );
    return r.rows.map((row) => row.name);
  } catch {
    return []; // no table yet: a new database
  }
}

/** Throws SchemaTooNewError when the database has migrations that `list` does not contain. */
export async function assertSchemaNotNewer(db: Database, list: readonly ModuleMigration[]): Promise<void> {
  const known = new Set(list.map((m) => m.name));
  const unknown = (await appliedMigrations(db)).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new SchemaTooNewError(unknown);
}

/** Apply all pending migrations in order (static provider — no filesystem scanning). */
export async function runMigrations(db: Database, list: readonly ModuleMigration[]): Promise<MigrateReport> {
  const ordered = collectMigrations(list);
  await assertSchemaNotNewer(db, ordered);
  const migrations: Record<string, Migration> = {};
  for (const m of ordered) {
    migrations[m.name] = { up: (k) => m.up(k as Kysely<unknown>, db.dialect) };
  }
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? [])
    .filter((r: MigrationResult) => r.status === 'Success')
    .map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`, { cause: error });
  }
  const all = await migrator.getMigrations();
  return { applied, pending: all.filter((m) => !m.executedAt).map((m) => m.name) };
}
