/**
 * `proxicloud admin backup --to FILE` / `admin restore --from FILE`: ProxiCloud's own state, so an
 * upgrade can be undone. Run on the server host with the server's configuration (like admin unlock).
 *
 * The archive (tar.gz, made with the system's tar) holds:
 *   manifest.json         format, version, database kind, applied migrations, row counts,
 *                         the master key's fingerprint (never the key), what is included
 *   db/proxicloud.db      SQLite: a consistent copy made with SQLite's online backup API
 *   db/proxicloud.pgdump  PostgreSQL: pg_dump --format=custom
 *   objects/              with includeObjects: the S3 object data (<dataDir>/objects)
 *   secrets/              with includeSecrets: <dataDir>/secrets (JWT key, master key files)
 * Object *metadata* (buckets, objects, versions, multipart state) lives in the database, so it is
 * always in the backup; object *data* is large and usually backed up by the file system (ZFS
 * snapshot, restic) — hence opt-in.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { AdminCommandError } from './admin.ts';
import { migrate } from './migrate.ts';
import { allMigrations } from './modules/index.ts';
import { type Config, type LoadConfigOptions, loadConfig } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { appliedMigrations, SchemaTooNewError } from './platform/db/migrations.ts';

export const BACKUP_FORMAT = 'proxicloud-backup/1';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  proxicloudVersion: string;
  createdAt: string;
  database: { kind: 'sqlite' | 'postgres'; file: string; migrations: string[] };
  /** Rows per table at backup time (restore reports the same numbers to compare). */
  rowCounts: Record<string, number>;
  /** sha256 of the master key, first 16 hex digits: which key the stored secrets need. */
  masterKeyFingerprint: string;
  includes: { objects: boolean; secrets: boolean };
}

export interface BackupOptions extends LoadConfigOptions {
  config?: Config;
  includeObjects?: boolean;
  includeSecrets?: boolean;
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** Things the operator must know (e.g. the master key is not in the archive). */
  warnings: string[];
}

export interface RestoreOptions extends LoadConfigOptions {
  config?: Config;
  /** Replace a database that already has data (the CLI asks, or takes --yes). */
  force?: boolean;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations applied after the restore (a backup from an older version is brought up to date). */
  migrated: string[];
  rowCounts: Record<string, number>;
  warnings: string[];
}

export function masterKeyFingerprint(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function tool(cmd: string, args: string[], env?: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: env ?? process.env, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) {
    throw new AdminCommandError(
      `${cmd} is needed for this and could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install it (apt-get install ${cmd === 'tar' ? 'tar' : 'postgresql-client'})`,
    );
  }
  if (r.status !== 0)
    throw new AdminCommandError(`${cmd} failed (exit ${r.status}): ${r.stderr.trim().slice(0, 2000)}`);
}

/** pg tools take the connection as environment variables, so the password never shows in `ps`. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432' };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Rows per ProxiCloud table (everything but the migration bookkeeping). */
export async function tableRowCounts(db: Database): Promise<Record<string, number>> {
  const tables = (await db.kysely.introspection.getTables()).map((t) => t.name).sort();
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (t.startsWith('schema_migrations')) continue;
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db.kysely);
    counts[t] = Number(r.rows[0]?.n ?? 0);
  }
  return counts;
}

function checkSqliteFile(config: Config): void {
  if (config.database.kind === 'sqlite' && !existsSync(config.database.sqlitePath)) {
    throw new AdminCommandError(
      `No ProxiCloud database at ${config.database.sqlitePath}: set PROXICLOUD_DATA_DIR (or the config file) as the server has it`,
    );
  }
}

export async function backup(to: string, options: BackupOptions = {}): Promise<BackupResult> {
  const config = options.config ?? loadConfig(options);
  checkSqliteFile(config);
  const file = resolve(to);
  if (!existsSync(dirname(file))) throw new AdminCommandError(`Directory ${dirname(file)} does not exist`);
  const work = mkdtempSync(join(dirname(file), `.${basename(file)}.tmp-`));
  const warnings: string[] = [];
  try {
    mkdirSync(join(work, 'db'));
    const db = openDatabase(config.database, { poolSize: 1 });
    let manifest: BackupManifest;
    try {
      const migrations = await appliedMigrations(db);
      if (migrations.length === 0)
        throw new AdminCommandError('The database has no ProxiCloud schema; nothing to back up');
      let dbFile: string;
      if (config.database.kind === 'sqlite') {
        dbFile = 'db/proxicloud.db';
        // Online backup API: consistent while the server keeps writing.
        const src = new BetterSqlite3(config.database.sqlitePath, { fileMustExist: true });
        try {
          await src.backup(join(work, dbFile));
        } finally {
          src.close();
        }
      } else {
        dbFile = 'db/proxicloud.pgdump';
        tool(
          'pg_dump',
          ['--format=custom', '--no-owner', '--no-privileges', '--file', join(work, dbFile)],
          pgEnv(config.database.url as string),
        );
      }
      manifest = {
        format: BACKUP_FORMAT,
        proxicloudVersion: config.version,
        createdAt: new Date().toISOString(),
        database: { kind: config.database.kind, file: dbFile, migrations },
        rowCounts: await tableRowCounts(db),
        masterKeyFingerprint: masterKeyFingerprint(config.masterKey),
        includes: { objects: false, secrets: false },
      };
    } finally {
      await db.close();
    }
    const extra: string[] = [];
    const objects = join(config.dataDir, 'objects');
    if (options.includeObjects && existsSync(objects)) {
      manifest.includes.objects = true;
      extra.push('-C', config.dataDir, 'objects');
    } else if (!options.includeObjects && existsSync(objects) && readdirSync(objects).length > 0) {
      warnings.push(
        `S3 object data in ${objects} is not in this backup (metadata is): back it up with the file system, or pass --include-objects`,
      );
    }
    const secrets = join(config.dataDir, 'secrets');
    if (options.includeSecrets && existsSync(secrets)) {
      manifest.includes.secrets = true;
      extra.push('-C', config.dataDir, 'secrets');
      warnings.push(
        'This backup contains the secret keys: anyone with the file can decrypt the stored secrets; keep it safe',
      );
    } else {
      warnings.push(
        `The master key is NOT in this backup (fingerprint ${manifest.masterKeyFingerprint}). Stored secrets (S3 secret keys, …) ` +
          'can only be decrypted with it: keep a copy of the key file (e.g. <data dir>/secrets/master.key or ' +
          '/etc/proxicloud/master.key) or PROXICLOUD_MASTER_KEY somewhere safe, apart from the backup',
      );
    }
    writeFileSync(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const partial = `${file}.partial`;
    tool('tar', ['-czf', partial, '-C', work, 'manifest.json', 'db', ...extra]);
    renameSync(partial, file);
    return { file, manifest, warnings };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function readManifest(dir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new AdminCommandError('Not a ProxiCloud backup: manifest.json is missing or unreadable');
  }
  if (manifest.format !== BACKUP_FORMAT) {
    throw new AdminCommandError(
      `Unsupported backup format "${String(manifest.format)}" (expected ${BACKUP_FORMAT})`,
    );
  }
  return manifest;
}

export async function restore(from: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const config = options.config ?? loadConfig(options);
  const file = resolve(from);
  if (!existsSync(file)) throw new AdminCommandError(`No such backup file: ${file}`);
  mkdirSync(config.dataDir, { recursive: true });
  const work = mkdtempSync(join(config.dataDir, '.restore-'));
  const warnings: string[] = [];
  try {
    tool('tar', ['-xzf', file, '-C', work]);
    const manifest = readManifest(work);
    const known = new Set(allMigrations.map((m) => m.name));
    const unknown = manifest.database.migrations.filter((m) => !known.has(m));
    if (unknown.length > 0) throw new SchemaTooNewError(unknown);
    if (manifest.database.kind !== config.database.kind) {
      throw new AdminCommandError(
        `This is a ${manifest.database.kind} backup and the server is configured for ${config.database.kind}; restore it into the same kind of database`,
      );
    }
    // Refuse to overwrite data unless told to.
    {
      const db = openDatabase(config.database, { poolSize: 1 });
      try {
        const existing = await appliedMigrations(db);
        if (existing.length > 0 && !options.force) {
          const counts = await tableRowCounts(db);
          const rows = Object.values(counts).reduce((a, b) => a + b, 0);
          if (rows > 0) {
            throw new AdminCommandError(
              `The configured database already has data (${rows} rows); restoring replaces it (force / --yes to confirm)`,
            );
          }
        }
      } finally {
        await db.close();
      }
    }
    const dumped = join(work, manifest.database.file);
    if (config.database.kind === 'sqlite') {
      const target = config.database.sqlitePath;
      const staged = `${target}.restore`;
      cpSync(dumped, staged);
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
      renameSync(staged, target);
    } else {
      const env = pgEnv(config.database.url as string);
      // Wipe: tables a newer schema added must go too, or the migrations after the restore collide.
      const db = openDatabase(config.database, { poolSize: 1 });
      try {
        await sql`drop schema if exists public cascade`.execute(db.kysely);
        await sql`create schema public`.execute(db.kysely);
      } finally {
        await db.close();
      }
      tool(
        'pg_restore',
        ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', env.PGDATABASE as string, dumped],
        env,
      );
    }
    if (manifest.includes.objects && existsSync(join(work, 'objects'))) {
      const objects = join(config.dataDir, 'objects');
      if (existsSync(objects)) renameSync(objects, `${objects}.before-restore-${Date.now()}`);
      renameSync(join(work, 'objects'), objects);
    }
    if (manifest.includes.secrets && existsSync(join(work, 'secrets'))) {
      const secrets = join(config.dataDir, 'secrets');
      if (existsSync(secrets)) renameSync(secrets, `${secrets}.before-restore-${Date.now()}`);
      renameSync(join(work, 'secrets'), secrets);
      warnings.push(`Restored the key files into ${secrets}; restart the server to use them`);
    } else if (manifest.masterKeyFingerprint !== masterKeyFingerprint(config.masterKey)) {
      warnings.push(
        `The backup's stored secrets were encrypted with master key ${manifest.masterKeyFingerprint}, but this server's key is ` +
          `${masterKeyFingerprint(config.masterKey)}: put the original key back (PROXICLOUD_MASTER_KEY or the key file) or S3 secret keys will not decrypt`,
      );
    }
    const db = openDatabase(config.database, { poolSize: 1 });
    try {
      const report = await migrate(db);
      return { manifest, migrated: report.applied, rowCounts: await tableRowCounts(db), warnings };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
