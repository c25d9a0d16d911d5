import { type Clock, iso } from '../../platform/clock.ts';
import { newId, randomToken, sha256Hex } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { RateLimitedError, UnauthorizedError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext, CallContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { Authenticator } from './iam.authenticator.ts';
import { removeInitialPassword } from './iam.initial-password.ts';
import { assertPasswordAllowed, type DummyHash, hashPassword, verifyPassword } from './iam.passwords.ts';
import { type Permission, permissionsOf } from './iam.permissions.ts';
import type { FailureWindow } from './iam.ratelimit.ts';
import type { IamRepository, UserRow } from './iam.repository.ts';
import type { TokenSigner } from './iam.tokens.ts';
import { toUser, type User } from './iam.users.service.ts';

export interface Session {
  /** Internal (not in the response schema): binds the CSRF cookie to this session. */
  sessionId: string;
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: User;
}

export interface AuthServiceDeps {
  db: Database;
  repo: IamRepository;
  clock: Clock;
  audit: AuditService;
  authenticator: Authenticator;
  signer: TokenSigner;
  dummyHash: DummyHash;
  ipFailures: FailureWindow;
  bcryptCost: number;
  refreshTtlSeconds: number;
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** The first-run password file (`initial-admin-password`) is deleted when admin's password changes. */
  dataDir: string;
}

const INVALID_CREDENTIALS = 'Invalid username or password';

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * Password login. Same answer (401 invalid_credentials) for unknown user, wrong password and
   * disabled account; bcrypt runs in every case. Per-IP failure window and per-(username, source) lockout
   * (stored in the database) answer 429 with Retry-After.
   */
  async login(ctx: CallContext, usernameInput: string, password: string): Promise<Session> {
    const { repo, audit } = this.deps;
    const username = usernameInput.trim().toLowerCase();
    const nowMs = this.nowMs();
    const now = iso(new Date(nowMs));

    const ipWait = await this.deps.ipFailures.blockedFor(ctx.ip, nowMs);
    if (ipWait > 0) {
      await audit.record(ctx, {
        action: 'auth.login_failed',
        resourceType: 'user',
        result: 'denied',
        details: { reason: 'ip_rate_limited', retryAfterSeconds: ipWait },
        user: { id: null, username: null },
      });
      throw new RateLimitedError(ipWait, 'Too many failed logins from your address; try again later');
    }

    // The lock is per username and source address: failures from one address never lock the
    // account for its owner signing in from another (no lockout denial of service).
    const lock = await repo.findLockout(username, ctx.ip);
    if (lock?.locked_until && lock.locked_until > now) {
      const wait = (new Date(lock.locked_until).getTime() - nowMs) / 1000;
      const user = await repo.findUserByUsername(username);
      await audit.record(ctx, {
        action: 'auth.login_failed',
        resourceType: 'user',
        resourceId: user?.id ?? null,
        result: 'denied',
        details: { reason: 'locked', lockedUntil: lock.locked_until },
        user: { id: user?.id ?? null, username: user?.username ?? null },
      });
      throw new RateLimitedError(
        wait,
        'Too many failed logins for this account from your address; try again later',
      );
    }

    const user = await repo.findUserByUsername(username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.deps.dummyHash.get()));
    if (!user || !ok || user.status !== 'active') {
      await this.loginFailed(
        ctx,
        username,
        user,
        ok && user ? 'disabled' : 'invalid_credentials',
        lock,
        nowMs,
      );
      throw new UnauthorizedError(INVALID_CREDENTIALS, 'invalid_credentials');
    }

    const session = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const r = repo.with(trx);
      if (lock) await r.clearLockout(username, ctx.ip);
      await r.updateUser(user.id, { last_login_at: now });
      const s = await this.startSession(r, user, ctx, now);
      await audit.record(
        ctx,
        {
          action: 'auth.login',
          resourceType: 'user',
          resourceId: user.id,
          details: { sessionId: s.sessionId },
          user: { id: user.id, username: user.username },
        },
        trx,
      );
      return s;
    });
    return this.issue({ ...user, last_login_at: now }, session.sessionId, session.refreshToken);
  }

  private async loginFailed(
    ctx: CallContext,
    username: string,
    user: UserRow | undefined,
    reason: 'invalid_credentials' | 'disabled',
    lock: { failures: number; locked_until: string | null; updated_at: string } | undefined,
    nowMs: number,
  ): Promise<void> {
    const { repo, audit } = this.deps;
    const now = iso(new Date(nowMs));
    await this.deps.ipFailures.hit(ctx.ip, nowMs);
    // Failures older than the lockout window, or before an expired lock, start a new count.
    const stale =
      !lock ||
      lock.locked_until !== null ||
      lock.updated_at < iso(new Date(nowMs - this.deps.lockoutSeconds * 1000));
    const failures = (stale ? 0 : lock.failures) + 1;
    const locks = failures >= this.deps.lockoutThreshold;
    const lockedUntil = locks ? iso(new Date(nowMs + this.deps.lockoutSeconds * 1000)) : null;
    await repo.upsertLockout({
      username,
      source: ctx.ip,
      failures: locks ? 0 : failures,
      locked_until: lockedUntil,
      updated_at: now,
    });
    const who = { id: user?.id ?? null, username: user?.username ?? null };
    await audit.record(ctx, {
      action: 'auth.login_failed',
      resourceType: 'user',
      resourceId: user?.id ?? null,
      result: 'failure',
      details: { reason: user ? reason : 'invalid_credentials', failures },
      user: who,
    });
    if (locks) {
      await audit.record(ctx, {
        action: 'auth.lockout',
        resourceType: 'user',
        resourceId: user?.id ?? null,
        result: 'denied',
        details: { lockedUntil, failures, source: ctx.ip, ...(user ? {} : { unknownUser: true }) },
        user: who,
      });
    }
  }

  private async startSession(r: IamRepository, user: UserRow, ctx: CallContext, now: string) {
    const sessionId = newId('ses');
    const expires = iso(new Date(new Date(now).getTime() + this.deps.refreshTtlSeconds * 1000));
    await r.insertSession({
      id: sessionId,
      user_id: user.id,
      created_at: now,
      last_used_at: now,
      expires_at: expires,
      revoked_at: null,
      revoked_reason: null,
      ip: ctx.ip,
      user_agent: ctx.userAgent,
    });
    const refreshToken = await this.newRefreshToken(r, sessionId, now);
    return { sessionId, refreshToken };
  }

  private async newRefreshToken(r: IamRepository, sessionId: string, now: string): Promise<string> {
    const token = randomToken(32);
    await r.insertRefreshToken({
      id: newId('rft'),
      session_id: sessionId,
      token_hash: sha256Hex(token),
      created_at: now,
      expires_at: iso(new Date(new Date(now).getTime() + this.deps.refreshTtlSeconds * 1000)),
      spent_at: null,
    });
    return token;
  }

  private async issue(user: UserRow, sessionId: string, refreshToken: string): Promise<Session> {
    const accessToken = await this.deps.signer.sign(user.id, user.role, sessionId);
    return {
      sessionId,
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.deps.signer.ttl,
      refreshToken,
      user: toUser(user),
    };
  }

  /**
   * Rotate a refresh token. The presented token is spent; presenting a spent token again means
   * it leaked (or a client raced itself): the whole family (session) is revoked.
   */
  async refresh(ctx: CallContext, refreshToken: string): Promise<Session> {
    const { repo, audit } = this.deps;
    const now = iso(this.deps.clock.now());
    const invalid = () =>
      new UnauthorizedError('Refresh token is invalid or expired', 'invalid_refresh_token');
    const row =
      refreshToken.length > 0 && refreshToken.length <= 256
        ? await repo.findRefreshToken(sha256Hex(refreshToken))
        : undefined;
    const who = row ? { id: row.user_id, username: row.username } : { id: null, username: null };
    const fail = async (reason: string) => {
      await audit.record(ctx, {
        action: 'auth.refresh_failed',
        resourceType: 'session',
        resourceId: row?.session_id ?? null,
        result: 'denied',
        details: { reason },
        user: who,
      });
      return invalid();
    };
    if (!row) throw await fail('unknown_token');
    if (row.spent_at !== null) {
      await this.revokeFamily(ctx, row.session_id, who, 'refresh_token_reuse');
      throw invalid();
    }
    if (row.session_revoked_at !== null) throw await fail('session_revoked');
    if (row.expires_at <= now || row.session_expires_at <= now) throw await fail('expired');
    if (row.status !== 'active') throw await fail('user_disabled');

    const result = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const r = repo.with(trx);
      if (!(await r.spendRefreshToken(row.id, now))) return null; // lost a race: treat as reuse
      const token = await this.newRefreshToken(r, row.session_id, now);
      await r.touchSession(row.session_id, now);
      await audit.record(
        ctx,
        { action: 'auth.refresh', resourceType: 'session', resourceId: row.session_id, user: who },
        trx,
      );
      const user = await r.findUserById(row.user_id);
      return { token, user: user! };
    });
    if (!result) {
      await this.revokeFamily(ctx, row.session_id, who, 'refresh_token_reuse');
      throw invalid();
    }
    return this.issue(result.user, row.session_id, result.token);
  }

  private async revokeFamily(
    ctx: CallContext,
    sessionId: string,
    who: { id: string | null; username: string | null },
    reason: string,
  ): Promise<void> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).revokeSession(sessionId, iso(this.deps.clock.now()), reason);
      await this.deps.audit.record(
        ctx,
        {
          action: 'auth.refresh_reuse',
          resourceType: 'session',
          resourceId: sessionId,
          result: 'denied',
          details: { reason },
          user: who,
        },
        trx,
      );
    });
    this.deps.authenticator.invalidate();
  }

  /** The session a refresh token belongs to (spent or not), for the CSRF check; null when unknown. */
  async sessionOfRefreshToken(refreshToken: string): Promise<string | null> {
    if (refreshToken.length === 0 || refreshToken.length > 256) return null;
    const row = await this.deps.repo.findRefreshToken(sha256Hex(refreshToken));
    return row?.session_id ?? null;
  }

  /** Revoke the session of the given refresh token and/or the caller's own session. Idempotent. */
  async logout(ctx: CallContext, refreshToken: string | null): Promise<void> {
    const { repo } = this.deps;
    const sessions = new Set<string>();
    let who: { id: string | null; username: string | null } = {
      id: ctx.actor?.id ?? null,
      username: ctx.actor?.username ?? null,
    };
    if (ctx.actor?.sessionId) sessions.add(ctx.actor.sessionId);
    if (refreshToken && refreshToken.length <= 256) {
      const row = await repo.findRefreshToken(sha256Hex(refreshToken));
      // Only when it is the caller's token (or the caller is anonymous, i.e. the token is the credential).
      if (row && (!ctx.actor || ctx.actor.id === row.user_id)) {
        sessions.add(row.session_id);
        who = { id: row.user_id, username: row.username };
      }
    }
    if (sessions.size === 0) return;
    const now = iso(this.deps.clock.now());
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const r = repo.with(trx);
      for (const id of sessions) await r.revokeSession(id, now, 'logout');
      await this.deps.audit.record(
        ctx,
        { action: 'auth.logout', resourceType: 'session', resourceId: [...sessions][0] ?? null, user: who },
        trx,
      );
    });
    this.deps.authenticator.invalidate();
  }

  async me(actor: Actor): Promise<{ user: User; permissions: Permission[] }> {
    const row = await this.deps.repo.findUserById(actor.id);
    if (!row) throw new UnauthorizedError('User no longer exists');
    return { user: toUser(row), permissions: permissionsOf(row.role) };
  }

  /** Change own password; other sessions are revoked, the caller's stays. */
  async changePassword(
    ctx: AuthenticatedContext,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const { repo, audit } = this.deps;
    const user = await repo.findUserById(ctx.actor.id);
    if (!user) throw new UnauthorizedError('User no longer exists');
    if (!(await verifyPassword(currentPassword, user.password_hash))) {
      await audit.record(ctx, {
        action: 'auth.password_change',
        resourceType: 'user',
        resourceId: user.id,
        result: 'failure',
        details: { reason: 'wrong_current_password' },
      });
      throw new UnprocessableError('Current password is incorrect', { field: 'currentPassword' });
    }
    assertPasswordAllowed(newPassword, user.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword, this.deps.bcryptCost);
    const now = iso(this.deps.clock.now());
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const r = repo.with(trx);
      await r.updateUser(user.id, { password_hash: passwordHash, password_changed_at: now, updated_at: now });
      const revoked = await r.revokeUserSessions(user.id, now, 'password_changed', ctx.actor.sessionId);
      await audit.record(
        ctx,
        {
          action: 'auth.password_change',
          resourceType: 'user',
          resourceId: user.id,
          details: { sessionsRevoked: revoked },
        },
        trx,
      );
    });
    if (user.username === 'admin') removeInitialPassword(this.deps.dataDir);
    this.deps.authenticator.invalidate();
  }
}
