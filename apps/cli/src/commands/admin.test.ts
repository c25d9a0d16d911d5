/** `proxicloud admin unlock`: the break-glass command against the server's database, no API. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, migrate, openDatabase } from '@proxicloud/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliRunner, cliRunner } from '../testing/harness.ts';

let r: CliRunner;
let dataDir: string;

async function withDb<T>(fn: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: { PROXICLOUD_DATA_DIR: dataDir } });
  const db = openDatabase(config.database, { poolSize: 1 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  r = cliRunner();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-admin-'));
  await withDb(async (db) => {
    await migrate(db);
    const now = new Date().toISOString();
    const k = db.kysely;
    await k
      .insertInto('users')
      .values({
        id: 'usr_locked1',
        username: 'root-admin',
        full_name: '',
        password_hash: 'x',
        role: 'admin',
        status: 'active',
        created_at: now,
        updated_at: now,
        last_login_at: null,
        password_changed_at: now,
      })
      .execute();
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    await k
      .insertInto('login_lockouts')
      .values([
        { username: 'root-admin', source: '192.0.2.1', failures: 0, locked_until: until, updated_at: now },
        { username: 'root-admin', source: '198.51.100.7', failures: 3, locked_until: null, updated_at: now },
      ])
      .execute();
  });
});
afterAll(() => {
  r?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('admin unlock clears the lockouts in the database (server config resolution) and audits it', async () => {
  // The data dir comes from the config file named by PROXICLOUD_CONFIG, as for the server.
  const configFile = path.join(r.home, 'server.json');
  fs.writeFileSync(configFile, JSON.stringify({ dataDir }));
  const res = await r.run(['admin', 'unlock', 'root-admin', '-o', 'json'], {
    env: { PROXICLOUD_CONFIG: configFile },
  });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(JSON.parse(res.stdout)).toMatchObject({ username: 'root-admin', clearedLockouts: 2 });
  await withDb(async (db) => {
    const rows = await db.kysely.selectFrom('login_lockouts').selectAll().execute();
    expect(rows).toEqual([]);
    const audit = await db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.unlock')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ resource_id: 'usr_locked1' });
  });

  const again = await r.run(['admin', 'unlock', 'root-admin', '--data-dir', dataDir]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('nothing to clear');
});

it('admin unlock names what is wrong: unknown user, missing database, bad configuration', async () => {
  const unknown = await r.run(['admin', 'unlock', 'nobody', '--data-dir', dataDir]);
  expect(unknown.code).toBe(5);
  expect(unknown.stderr).toContain('No user named "nobody"');
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-admin-empty-'));
  const missing = await r.run(['admin', 'unlock', 'admin', '--data-dir', empty]);
  expect(missing.code).toBe(5);
  expect(missing.stderr).toContain('No ProxiCloud database');
  fs.rmSync(empty, { recursive: true, force: true });
  const bad = await r.run(['admin', 'unlock', 'admin'], { env: { DATABASE_URL: 'mysql://nope' } });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('DATABASE_URL');
});

it('admin backup / restore: round trip through the CLI; restore asks for --yes without a terminal', async () => {
  const file = path.join(r.home, 'pc-backup.tar.gz');
  const made = await r.run(['admin', 'backup', '--to', file, '--data-dir', dataDir]);
  expect(made.code).toBe(0);
  expect(made.stdout).toContain(`to ${file}`);
  expect(made.stderr).toContain('master key is NOT in this backup');
  expect(fs.existsSync(file)).toBe(true);

  await withDb((db) => db.kysely.deleteFrom('users').where('id', '=', 'usr_locked1').execute());
  const refused = await r.run(['admin', 'restore', '--from', file, '--data-dir', dataDir]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--yes');
  expect(
    await withDb((db) =>
      db.kysely.selectFrom('users').select('id').where('id', '=', 'usr_locked1').execute(),
    ),
  ).toEqual([]);

  const restored = await r.run([
    'admin',
    'restore',
    '--from',
    file,
    '--data-dir',
    dataDir,
    '--yes',
    '-o',
    'json',
  ]);
  expect(restored.code).toBe(0);
  expect(JSON.parse(restored.stdout)).toMatchObject({
    migrated: [],
    manifest: { format: 'proxicloud-backup/1' },
  });
  const back = await withDb((db) =>
    db.kysely.selectFrom('users').select('username').where('id', '=', 'usr_locked1').execute(),
  );
  expect(back).toEqual([{ username: 'root-admin' }]);

  const missing = await r.run([
    'admin',
    'restore',
    '--from',
    path.join(r.home, 'nope.tar.gz'),
    '--data-dir',
    dataDir,
    '--yes',
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('No such backup file');
});
