import { allMigrations } from './modules/index.ts';
import type { Database } from './platform/db/database.ts';
import { type MigrateReport, runMigrations } from './platform/db/migrations.ts';

/** Apply every module's pending migrations (start-up, `proxicloud migrate`, tests). */
export function migrate(db: Database): Promise<MigrateReport> {
  return runMigrations(db, allMigrations);
}
