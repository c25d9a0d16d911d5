/**
 * The Kysely table map. Each module adds its own tables by declaration merging from its
 * repository file, so the platform never needs to know about module tables:
 *
 *   declare module '../../platform/db/schema.ts' {
 *     interface Tables { widgets: WidgetsTable }
 *   }
 *
 * Portable subset (SQLite + PostgreSQL): text ids, ISO-8601 UTC timestamps as text,
 * integers 0/1 for booleans, JSON as text. Resource tables carry `owner_id`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module declaration merging
export interface Tables {}
