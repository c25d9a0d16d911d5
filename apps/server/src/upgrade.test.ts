/**
 * Upgrades (issue 21 item 6): migrations are forward-only and checked on start; an older binary
 * refuses a newer schema; `admin backup` → wipe → `admin restore` gives the same data back.
 * Runs on SQLite, and on PostgreSQL with PROXICLOUD_TEST_DB=postgres (npm run test:pg).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCommandError } from './admin.ts';
import { backup, masterKeyFingerprint, restore, tableRowCounts } from './backup.ts';
import { migrate } from './migrate.ts';
import { allMigrations } from './modules/index.ts';
import { type Config, loadConfig } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import {
  appliedMigrations,
  collectMigrations,
  runMigrations,
  SchemaTooNewError,
} from './platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECT } from './testing/test-kit.ts';

let config: Config;
let drop: () => Promise<void>;
const out = mkdtempSync(join(tmpdir(), 'pc-upgrade-out-'));

function open(): Database {
  return openDatabase(config.database, { poolSize: 1 });
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function wipe(): Promise<void> {
  if (config.database.kind === 'sqlite') {
    for (const s of ['', '-wal', '-shm']) rmSync(`${config.database.sqlitePath}${s}`, { force: true });
  } else {
    await withDb(async (db) => {
      await sql`drop schema public cascade`.execute(db.kysely);
      await sql`create schema public`.execute(db.kysely);
    });
  }
}

async function insertUser(db: Database, username: string): Promise<void> {
  const now = new Date().toISOString();
  await db.kysely
    .insertInto('users')
    .values({
      id: `usr_${username}`,
      username,
      full_name: `Full ${username}`,
      password_hash: 'hash',
      role: 'admin',
      status: 'active',
      created_at: now,
      updated_at: now,
      last_login_at: null,
      password_changed_at: now,
    })
    .execute();
}

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  config = { ...loadConfig({ env: { PROXICLOUD_DATA_DIR: t.dataDir } }), database: t.database };
});
afterAll(async () => {
  await drop?.();
  rmSync(out, { recursive: true, force: true });
});

const ordered = collectMigrations(allMigrations);
const older = ordered.filter((m) => m.name < '0030');

describe(`upgrades (${TEST_DIALECT})`, () => {
  it("version N's schema with data → the current code's migrations: data intact", async () => {
    await withDb(async (db) => {
      const first = await runMigrations(db, older);
      expect(first.applied).toEqual(older.map((m) => m.name));
      await insertUser(db, 'before-upgrade');
      const second = await migrate(db);
      expect(second.applied).toEqual(ordered.filter((m) => m.name >= '0030').map((m) => m.name));
      const user = await db.kysely
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'before-upgrade')
        .executeTakeFirst();
      expect(user?.full_name).toBe('Full before-upgrade');
    });
  });

  it('an older binary refuses a newer schema, naming the migrations it does not know', async () => {
    await withDb(async (db) => {
      const err = await runMigrations(db, older).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaTooNewError);
      expect((err as SchemaTooNewError).unknown).toEqual(
        ordered.filter((m) => m.name >= '0030').map((m) => m.name),
      );
      expect((err as Error).message).toMatch(/newer than this ProxiCloud.*forward-only.*admin restore/s);
      // The start-up path (server.ts → migrate) with a migration from the future.
      await sql`insert into schema_migrations (name, timestamp) values ('9990_future_thing', '2030-01-01T00:00:00.000Z')`.execute(
        db.kysely,
      );
      await expect(migrate(db)).rejects.toThrow(/9990_future_thing/);
      await sql`delete from schema_migrations where name = '9990_future_thing'`.execute(db.kysely);
      await expect(migrate(db)).resolves.toMatchObject({ applied: [] });
    });
  });

  it('backup → wipe → restore gives the same data back', async () => {
    await withDb(async (db) => {
      await insertUser(db, 'alice-backup');
      await insertUser(db, 'bob-backup');
    });
    const before = await withDb((db) => tableRowCounts(db));
    const file = join(out, 'backup.tar.gz');
    const made = await backup(file, { config });
    expect(existsSync(file)).toBe(true);
    expect(made.manifest.database.kind).toBe(TEST_DIALECT);
    expect(made.manifest.database.migrations).toEqual(ordered.map((m) => m.name));
    expect(made.manifest.rowCounts).toEqual(before);
    expect(made.manifest.masterKeyFingerprint).toBe(masterKeyFingerprint(config.masterKey));
    expect(made.warnings.join('\n')).toMatch(/master key is NOT in this backup/);
    // The archive never holds the key itself.
    const listing = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' }).stdout;
    expect(listing).not.toMatch(/secrets|master\.key/);

    // Restoring over live data needs force (the CLI asks or takes --yes).
    await expect(restore(file, { config })).rejects.toThrow(AdminCommandError);

    await wipe();
    expect(await withDb((db) => appliedMigrations(db))).toEqual([]);
    const restored = await restore(file, { config });
    expect(restored.migrated).toEqual([]);
    expect(restored.rowCounts).toEqual(before);
    const names = await withDb((db) =>
      db.kysely
        .selectFrom('users')
        .select('username')
        .where('username', 'like', '%-backup')
        .orderBy('username')
        .execute(),
    );
    expect(names.map((n) => n.username)).toEqual(['alice-backup', 'bob-backup']);

    // Restoring over data with force replaces it: a user added after the backup is gone.
    await withDb((db) => insertUser(db, 'carol-after'));
    await restore(file, { config, force: true });
    expect(await withDb((db) => tableRowCounts(db))).toEqual(before);
  });

  it('a backup from a newer ProxiCloud is refused before anything is touched', async () => {
    const file = join(out, 'backup.tar.gz');
    const dir = mkdtempSync(join(tmpdir(), 'pc-upgrade-edit-'));
    try {
      spawnSync('tar', ['-xzf', file, '-C', dir]);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      manifest.database.migrations.push('9991_future_feature');
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const newer = join(out, 'newer.tar.gz');
      spawnSync('tar', ['-czf', newer, '-C', dir, '.']);
      const before = await withDb((db) => tableRowCounts(db));
      await expect(restore(newer, { config, force: true })).rejects.toThrow(SchemaTooNewError);
      expect(await withDb((db) => tableRowCounts(db))).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that is not a backup is refused', async () => {
    const bogus = join(out, 'bogus.tar.gz');
    const dir = mkdtempSync(join(tmpdir(), 'pc-upgrade-bogus-'));
    writeFileSync(join(dir, 'hello.txt'), 'hi');
    spawnSync('tar', ['-czf', bogus, '-C', dir, '.']);
    rmSync(dir, { recursive: true, force: true });
    await expect(restore(bogus, { config, force: true })).rejects.toThrow(/Not a ProxiCloud backup/);
  });
});
