import {
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Updateable,
} from 'kysely';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { RoleName } from './iam.permissions.ts';

export interface UsersTable {
  id: string;
  username: string;
  full_name: string;
  password_hash: string;
  role: RoleName;
  status: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  password_changed_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AuthSessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  ip: string;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  spent_at: string | null;
}

export interface LoginLockoutsTable {
  username: string;
  /** Source address the failures came from: a lock holds for this username from this address only. */
  source: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

/** Row versions of tables whose reads are cached, bumped by triggers (migration 0105). */
export interface TableVersionsTable {
  name: string;
  /** A bigint: PostgreSQL returns it as a string, SQLite as a number; compare with String(). */
  version: number | string;
}

export interface AccessKeysTable {
  id: string;
  owner_id: string;
  description: string;
  secret_enc: string;
  status: 'active' | 'inactive';
  created_at: string;
  last_used_at: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    settings: SettingsTable;
    users: UsersTable;
    auth_sessions: AuthSessionsTable;
    refresh_tokens: RefreshTokensTable;
    login_lockouts: LoginLockoutsTable;
    access_keys: AccessKeysTable;
    table_versions: TableVersionsTable;
  }
}

export type UserRow = Selectable<UsersTable>;
/** What lists need: no password hash (less to read and nothing secret in memory). */
export const PUBLIC_USER_COLUMNS = [
  'id',
  'username',
  'full_name',
  'role',
  'status',
  'created_at',
  'updated_at',
  'last_login_at',
] as const;
export type PublicUserRow = Pick<UserRow, (typeof PUBLIC_USER_COLUMNS)[number]>;
export type SessionRow = Selectable<AuthSessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type AccessKeyRow = Selectable<AccessKeysTable>;
export type LockoutRow = Selectable<LoginLockoutsTable>;

export interface UserFilter {
  role?: RoleName;
  status?: 'active' | 'disabled';
  q?: string;
}

/** Principal lookup for authentication: the session joined with its user. */
export interface SessionPrincipal {
  session_id: string;
  revoked_at: string | null;
  expires_at: string;
  user_id: string;
  username: string;
  role: RoleName;
  status: 'active' | 'disabled';
}

/** SQL for the IAM tables (Kysely only; no rules). Bind to a transaction with `with(trx)`. */
export class IamRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): IamRepository {
    return new IamRepository(trx);
  }

  // settings
  async getSetting(key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value ?? null;
  }

  async putSetting(key: string, value: string, now: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  // users
  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return toCount(row?.n);
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .executeTakeFirst();
    return toCount(row?.n);
  }

  findUserById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /**
   * The users table's version (bumped by a trigger on every insert, update and delete, by any
   * connection): a list read after this call reflects at least this version.
   */
  async usersVersion(): Promise<string> {
    // Compiled once: this runs on every list request, and building the query cost more than running it.
    this.usersVersionQuery ??= this.db
      .selectFrom('table_versions')
      .select('version')
      .where('name', '=', 'users')
      .compile();
    const { rows } = await this.db.executeQuery(this.usersVersionQuery);
    return String(rows[0]?.version ?? 0); // no row yet: no write since the migration
  }
  private usersVersionQuery?: CompiledQuery<{ version: number | string }>;

  async listUsers(filter: UserFilter, page: Page): Promise<{ rows: PublicUserRow[]; total: number }> {
    let q = this.db.selectFrom('users');
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.q) {
      const pattern = likeContains(filter.q.toLowerCase());
      q = q.where(
        sql<boolean>`(lower(username) like ${pattern} escape '\\' or lower(full_name) like ${pattern} escape '\\')`,
      );
    }
    const [rows, count] = await Promise.all([
      q.select(PUBLIC_USER_COLUMNS).orderBy('username').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: toCount(count?.n) };
  }

  async insertUser(row: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  async updateUser(id: string, patch: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async deleteUser(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  // sessions & refresh tokens
  async insertSession(row: Insertable<AuthSessionsTable>): Promise<void> {
    await this.db.insertInto('auth_sessions').values(row).execute();
  }

  async insertRefreshToken(row: Insertable<RefreshTokensTable>): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(row).execute();
  }

  findRefreshToken(hash: string) {
    return this.db
      .selectFrom('refresh_tokens as t')
      .innerJoin('auth_sessions as s', 's.id', 't.session_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        't.id',
        't.session_id',
        't.expires_at',
        't.spent_at',
        's.revoked_at as session_revoked_at',
        's.expires_at as session_expires_at',
        'u.id as user_id',
        'u.username',
        'u.status',
      ])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
  }

  /** Marks a token spent if it was not; false when someone else spent it first. */
  async spendRefreshToken(id: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('refresh_tokens')
      .set({ spent_at: now })
      .where('id', '=', id)
      .where('spent_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async touchSession(id: string, now: string): Promise<void> {
    await this.db.updateTable('auth_sessions').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async revokeSession(id: string, now: string, reason: string): Promise<void> {
    await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revoke all of a user's sessions, optionally keeping one (the caller's). Returns how many. */
  async revokeUserSessions(
    userId: string,
    now: string,
    reason: string,
    exceptSessionId?: string,
  ): Promise<number> {
    let q = this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  findSessionPrincipal(sessionId: string): Promise<SessionPrincipal | undefined> {
    return this.db
      .selectFrom('auth_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id as session_id',
        's.revoked_at',
        's.expires_at',
        'u.id as user_id',
        'u.username',
        'u.role',
        'u.status',
      ])
      .where('s.id', '=', sessionId)
      .executeTakeFirst();
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const res = await this.db.deleteFrom('auth_sessions').where('expires_at', '<', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  // lockouts
  findLockout(username: string, source: string): Promise<LockoutRow | undefined> {
    return this.db
      .selectFrom('login_lockouts')
      .selectAll()
      .where('username', '=', username)
      .where('source', '=', source)
      .executeTakeFirst();
  }

  async upsertLockout(row: LockoutRow): Promise<void> {
    await this.db
      .insertInto('login_lockouts')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['username', 'source']).doUpdateSet({
          failures: row.failures,
          locked_until: row.locked_until,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  /** Clear the lockout of one source (when given) or of every source (admin reset, break-glass unlock). */
  async clearLockout(username: string, source?: string): Promise<number> {
    let q = this.db.deleteFrom('login_lockouts').where('username', '=', username);
    if (source !== undefined) q = q.where('source', '=', source);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async deleteStaleLockouts(before: string): Promise<number> {
    const res = await this.db
      .deleteFrom('login_lockouts')
      .where('updated_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  // access keys (owner-scoped)
  async insertAccessKey(row: Insertable<AccessKeysTable>): Promise<void> {
    await this.db.insertInto('access_keys').values(row).execute();
  }

  async listAccessKeys(
    actor: Actor,
    ownerId: string,
    page: Page,
  ): Promise<{ rows: AccessKeyRow[]; total: number }> {
    const base = scope(this.db.selectFrom('access_keys'), actor).where('owner_id', '=', ownerId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: toCount(count?.n) };
  }

  async countActiveAccessKeys(ownerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('access_keys')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return toCount(row?.n);
  }

  findAccessKeyScoped(actor: Actor, id: string): Promise<AccessKeyRow | undefined> {
    return scope(this.db.selectFrom('access_keys').selectAll(), actor)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async deleteAccessKeyScoped(actor: Actor, id: string): Promise<boolean> {
    const res = await scope(this.db.deleteFrom('access_keys'), actor).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  /** Unscoped lookup for authentication (the key id is the credential's public half). */
  findAccessKeyForAuth(id: string) {
    return this.db
      .selectFrom('access_keys as k')
      .innerJoin('users as u', 'u.id', 'k.owner_id')
      .select([
        'k.id',
        'k.secret_enc',
        'k.status',
        'k.last_used_at',
        'u.id as user_id',
        'u.username',
        'u.role',
        'u.status as user_status',
      ])
      .where('k.id', '=', id)
      .executeTakeFirst();
  }

  async touchAccessKey(id: string, now: string): Promise<void> {
    await this.db.updateTable('access_keys').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
