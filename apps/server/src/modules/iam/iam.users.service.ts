import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { VersionedCache } from '../../platform/db/versioned-cache.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { Authenticator } from './iam.authenticator.ts';
import { removeInitialPassword } from './iam.initial-password.ts';
import type { OwnershipRegistry } from './iam.ownership.ts';
import { assertPasswordAllowed, hashPassword } from './iam.passwords.ts';
import { authorize, can, type RoleName } from './iam.permissions.ts';
import type { IamRepository, PublicUserRow, UserFilter, UserRow } from './iam.repository.ts';

export interface User {
  id: string;
  username: string;
  fullName: string;
  role: RoleName;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export function toUser(row: PublicUserRow): User {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  };
}

export interface CreateUserInput {
  username: string;
  fullName?: string;
  password: string;
  role: RoleName;
}

export interface UpdateUserInput {
  fullName?: string;
  role?: RoleName;
  status?: 'active' | 'disabled';
}

export interface UsersServiceDeps {
  db: Database;
  repo: IamRepository;
  clock: Clock;
  audit: AuditService;
  authenticator: Authenticator;
  ownership: OwnershipRegistry;
  bcryptCost: number;
  /** The first-run password file (`initial-admin-password`) is deleted when admin's password changes. */
  dataDir: string;
}

/** User administration. Authorization and audit live here; SQL in IamRepository. */
export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  /** Loads a user the actor may see: self, or anyone with users:read. Others → 404. */
  private async visible(actor: Actor, id: string): Promise<UserRow> {
    if (actor.id !== id && !can(actor, 'users', 'read')) throw new NotFoundError('User', id);
    const row = await this.deps.repo.findUserById(id);
    if (!row) throw new NotFoundError('User', id);
    return row;
  }

  /**
   * Pages of the users list by filter and window, valid while the users table's version (bumped
   * by a trigger on every write, from any process) is unchanged: a list costs one primary-key
   * read instead of a page and a count (issue 10 item 20).
   */
  private readonly listCache = new VersionedCache<ListResult<User>>(16);

  async list(actor: Actor, filter: UserFilter, page: Page): Promise<ListResult<User>> {
    authorize(actor, 'users', 'read');
    const version = await this.deps.repo.usersVersion(); // before the page: see VersionedCache
    const key = `${filter.role ?? ''}|${filter.status ?? ''}|${page.limit}|${page.offset}|${filter.q ?? ''}`;
    const hit = this.listCache.get(key, version);
    if (hit) return hit;
    const { rows, total } = await this.deps.repo.listUsers(filter, page);
    return this.listCache.set(key, version, {
      items: rows.map(toUser),
      total,
      limit: page.limit,
      offset: page.offset,
    });
  }

  async get(actor: Actor, id: string): Promise<User> {
    return toUser(await this.visible(actor, id));
  }

  async create(ctx: AuthenticatedContext, input: CreateUserInput): Promise<User> {
    authorize(ctx.actor, 'users', 'create');
    if (await this.deps.repo.findUserByUsername(input.username)) {
      throw new ConflictError(`Username '${input.username}' is already taken`, { field: 'username' });
    }
    assertPasswordAllowed(input.password, input.username, 'password');
    const passwordHash = await hashPassword(input.password, this.deps.bcryptCost);
    const now = this.now();
    const row: UserRow = {
      id: newId('usr'),
      username: input.username,
      full_name: input.fullName ?? '',
      password_hash: passwordHash,
      role: input.role,
      status: 'active',
      created_at: now,
      updated_at: now,
      last_login_at: null,
      password_changed_at: now,
    };
    try {
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        await this.deps.repo.with(trx).insertUser(row);
        await this.deps.audit.record(
          ctx,
          {
            action: 'users.create',
            resourceType: 'user',
            resourceId: row.id,
            details: { username: row.username, role: row.role },
          },
          trx,
        );
      });
    } catch (err) {
      // Two admins creating the same username at once: the unique index decides.
      if (await this.deps.repo.findUserByUsername(input.username)) {
        throw new ConflictError(`Username '${input.username}' is already taken`, { field: 'username' });
      }
      throw err;
    }
    ctx.resourceId = row.id;
    return toUser(row);
  }

  async update(ctx: AuthenticatedContext, id: string, input: UpdateUserInput): Promise<User> {
    const { actor } = ctx;
    const current = await this.visible(actor, id);
    const isSelf = actor.id === id;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.fullName !== undefined && input.fullName !== current.full_name) {
      changes.fullName = { from: current.full_name, to: input.fullName };
    }
    if (input.role !== undefined && input.role !== current.role)
      changes.role = { from: current.role, to: input.role };
    if (input.status !== undefined && input.status !== current.status) {
      changes.status = { from: current.status, to: input.status };
    }
    const adminOnly = changes.role !== undefined || changes.status !== undefined;
    if (!isSelf || adminOnly) authorize(actor, 'users', 'update');
    if (isSelf && adminOnly) {
      throw new ConflictError('You cannot change your own role or status; ask another admin');
    }
    if (Object.keys(changes).length === 0) return toUser(current);

    const now = this.now();
    const removesAdmin =
      current.role === 'admin' &&
      current.status === 'active' &&
      (changes.role !== undefined || changes.status?.to === 'disabled');
    const result = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (removesAdmin && (await repo.countActiveAdmins()) <= 1) {
        throw new ConflictError('This is the last active admin; promote another admin first');
      }
      await repo.updateUser(id, {
        ...(changes.fullName ? { full_name: input.fullName } : {}),
        ...(changes.role ? { role: input.role } : {}),
        ...(changes.status ? { status: input.status } : {}),
        updated_at: now,
      });
      if (changes.status?.to === 'disabled') await repo.revokeUserSessions(id, now, 'user_disabled');
      await this.deps.audit.record(
        ctx,
        {
          action: 'users.update',
          resourceType: 'user',
          resourceId: id,
          details: { username: current.username, changes },
        },
        trx,
      );
      return repo.findUserById(id);
    });
    this.deps.authenticator.invalidate();
    return toUser(result!);
  }

  async delete(ctx: AuthenticatedContext, id: string, reassignTo?: string): Promise<void> {
    const { actor } = ctx;
    const target = await this.visible(actor, id);
    authorize(actor, 'users', 'delete');
    if (actor.id === id) throw new ConflictError('You cannot delete yourself');
    if (reassignTo !== undefined) {
      if (reassignTo === id)
        throw new ValidationError('reassignTo must be another user', { field: 'reassignTo' });
      if (!(await this.deps.repo.findUserById(reassignTo))) {
        throw new ValidationError(`reassignTo: user '${reassignTo}' does not exist`, { field: 'reassignTo' });
      }
    }
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (target.role === 'admin' && target.status === 'active' && (await repo.countActiveAdmins()) <= 1) {
        throw new ConflictError('This is the last active admin; it cannot be deleted');
      }
      const counts = await this.deps.ownership.counts(id, trx);
      if (Object.keys(counts).length > 0) {
        if (reassignTo === undefined) {
          throw new ConflictError(
            `User '${target.username}' owns resources; pass reassignTo=<userId> to hand them over`,
            { counts },
            'user_owns_resources',
          );
        }
        await this.deps.ownership.reassign(id, reassignTo, trx);
      }
      await repo.deleteUser(id);
      await this.deps.audit.record(
        ctx,
        {
          action: 'users.delete',
          resourceType: 'user',
          resourceId: id,
          details: { username: target.username, ...(reassignTo ? { reassignTo, reassigned: counts } : {}) },
        },
        trx,
      );
    });
    this.deps.authenticator.invalidate();
  }

  async resetPassword(ctx: AuthenticatedContext, id: string, password: string): Promise<void> {
    const { actor } = ctx;
    const target = await this.visible(actor, id);
    authorize(actor, 'users', 'update');
    if (actor.id === id) {
      throw new ForbiddenError('Use PUT /api/v1/auth/password to change your own password');
    }
    assertPasswordAllowed(password, target.username, 'password');
    const passwordHash = await hashPassword(password, this.deps.bcryptCost);
    const now = this.now();
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      await repo.updateUser(id, { password_hash: passwordHash, password_changed_at: now, updated_at: now });
      const revoked = await repo.revokeUserSessions(id, now, 'password_reset');
      await repo.clearLockout(target.username);
      await this.deps.audit.record(
        ctx,
        {
          action: 'users.reset_password',
          resourceType: 'user',
          resourceId: id,
          details: { username: target.username, sessionsRevoked: revoked },
        },
        trx,
      );
    });
    if (target.username === 'admin') removeInitialPassword(this.deps.dataDir);
    this.deps.authenticator.invalidate();
  }
}
