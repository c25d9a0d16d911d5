import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../migrate.ts';
import { allMigrations } from '../../modules/index.ts';
import { createTestDatabase } from '../../testing/test-kit.ts';
import { type Database, likeContains, openDatabase, withStatementCache } from './database.ts';
import { collectMigrations, runMigrations } from './migrations.ts';
import { type Actor, scope } from './repository.ts';

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = openDatabase(t.database);
});
afterAll(async () => {
  await db?.close();
  await drop?.();
});

describe('migrations', () => {
  it('apply in order once; a second run has nothing to do', async () => {
    const first = await migrate(db);
    expect(first.applied).toEqual(collectMigrations(allMigrations).map((m) => m.name));
    expect(first.pending).toEqual([]);
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
  });

  it('reject badly named or duplicated migrations', () => {
    const up = async () => undefined;
    expect(() => collectMigrations([{ name: 'users', up }])).toThrow(/0001_module_what/);
    expect(() =>
      collectMigrations([
        { name: '0001_a_x', up },
        { name: '0001_b_y', up },
      ]),
    ).toThrow(/duplicate/);
    expect(
      collectMigrations([
        { name: '0002_b_y', up },
        { name: '0001_a_x', up },
      ]).map((m) => m.name),
    ).toEqual(['0001_a_x', '0002_b_y']);
  });

  it('report which migration failed', async () => {
    await expect(
      runMigrations(db, [
        ...allMigrations,
        {
          name: '9999_test_broken',
          async up() {
            throw new Error('syntax error near nothing');
          },
        },
      ]),
    ).rejects.toThrow(/9999_test_broken failed: syntax error near nothing/);
  });
});

describe('owner scoping', () => {
  const operator: Actor = { id: 'usr-00000000000000001', username: 'op', role: 'operator', via: 'jwt' };
  const readonly: Actor = { ...operator, role: 'readonly' };
  const admin: Actor = { ...operator, role: 'admin' };

  it('adds owner_id = actor for everyone but admins, on select, update and delete', () => {
    const k = db.kysely;
    const sel = scope(k.selectFrom('access_keys').selectAll(), operator).compile();
    expect(sel.sql).toMatch(/where "owner_id" = (\?|\$1)/);
    expect(sel.parameters).toEqual([operator.id]);
    expect(scope(k.selectFrom('access_keys').selectAll(), readonly).compile().parameters).toEqual([
      operator.id,
    ]);
    expect(scope(k.selectFrom('access_keys').selectAll(), admin).compile().sql).not.toContain('where');
    const upd = scope(k.updateTable('access_keys').set({ description: 'x' }), operator).compile();
    expect(upd.sql).toMatch(/where "owner_id" =/);
    const del = scope(k.deleteFrom('audit_log'), operator, 'user_id').compile();
    expect(del.sql).toMatch(/where "user_id" =/);
  });

  it('escapes LIKE wildcards', () => {
    expect(likeContains('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('SQLite statement cache', () => {
  it('reuses prepared statements, and prepares a fresh one while the cached one is mid-iteration', () => {
    const raw = new BetterSqlite3(':memory:');
    const cached = withStatementCache(raw, 2);
    raw.exec('create table t (n integer)');
    raw.exec('insert into t values (1), (2), (3)');
    const a = cached.prepare('select n from t order by n');
    expect(cached.prepare('select n from t order by n')).toBe(a);
    // a streamed query holds its statement: the same SQL meanwhile gets its own statement
    const seen: unknown[] = [];
    for (const row of (a as BetterSqlite3.Statement).iterate()) {
      const inner = cached.prepare('select n from t order by n') as BetterSqlite3.Statement;
      expect(inner).not.toBe(a);
      seen.push(row, inner.all().length);
    }
    expect(seen).toEqual([{ n: 1 }, 3, { n: 2 }, 3, { n: 3 }, 3]);
    // least recently used statements are evicted beyond the limit
    cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select n from t order by n')).not.toBe(a);
    cached.close();
  });
});
