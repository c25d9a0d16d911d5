import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import type { Tables } from './schema.ts';

export type Db = Kysely<Tables>;
export type Trx = Transaction<Tables>;
/** Either the root handle or a transaction: repositories accept both. */
export type Executor = Kysely<Tables>;
export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly kysely: Db;
  readonly dialect: Dialect;
  /** Cheap liveness query for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Database {
  if (config.kind === 'postgres') {
    if (!config.url) throw new Error('database url missing');
    const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
    // Idle-client errors (server restart) must not crash the process; queries will report them.
    pool.on('error', () => undefined);
    const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    return wrap(kysely, 'postgres');
  }
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const sqlite = new BetterSqlite3(config.sqlitePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return wrap(kysely, 'sqlite');
}

/**
 * Kysely prepares every query it runs; better-sqlite3's prepare() parses and plans the SQL each
 * time, a large share of a small query's cost. Kysely's SQL text is stable per query shape (values
 * are parameters), so keep the most recent statements. A statement that is mid-iteration (a
 * streamed query) is busy: then a fresh one is prepared for the caller.
 */
export function withStatementCache(db: BetterSqlite3.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) {
        cache.delete(sqlText); // most recently used goes last
        cache.set(sqlText, cached);
        return cached;
      }
      const stmt = db.prepare(sqlText);
      if (!cached) {
        cache.set(sqlText, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value as string);
      }
      return stmt;
    },
  };
}

function wrap(kysely: Db, dialect: Dialect): Database {
  let closed = false;
  return {
    kysely,
    dialect,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

/** count(*) as a JS number on both dialects (PostgreSQL returns bigint as string). */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Escape % _ and \ for LIKE patterns (used with `escape '\'`). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
