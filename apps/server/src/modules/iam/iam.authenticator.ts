import type { Clock } from '../../platform/clock.ts';
import { iso } from '../../platform/clock.ts';
import { type SecretBox, safeEqual } from '../../platform/crypto.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { RoleName } from './iam.permissions.ts';
import type { IamRepository } from './iam.repository.ts';
import type { TokenSigner } from './iam.tokens.ts';

export const ACCESS_KEY_ID = /^AKPC[A-Z2-7]{16}$/;
const LAST_USED_GRANULARITY_MS = 60_000;

/** An active access key with its plaintext secret (for the S3 SigV4 verifier). */
export interface ResolvedAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userId: string;
  username: string;
  role: RoleName;
}

interface CacheEntry<T> {
  value: T;
  expires: number;
}

/**
 * Turns credentials into an Actor. User status, role and session revocation are read from the
 * database and cached for at most `cacheMs` (a few seconds); every change made through this
 * process (disable, role change, logout, password change) clears the cache at once.
 */
export class Authenticator {
  private readonly sessions = new Map<string, CacheEntry<Actor | null>>();
  private readonly keys = new Map<
    string,
    CacheEntry<Awaited<ReturnType<IamRepository['findAccessKeyForAuth']>>>
  >();

  constructor(
    private readonly repo: IamRepository,
    private readonly signer: TokenSigner,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly cacheMs: number,
  ) {}

  invalidate(): void {
    this.sessions.clear();
    this.keys.clear();
  }

  async fromAccessToken(token: string, via: 'jwt' | 'cookie'): Promise<Actor> {
    const claims = await this.signer.verify(token);
    const base = await this.sessionActor(claims.sid);
    if (!base || base.id !== claims.sub) throw new UnauthorizedError('Session is no longer valid');
    return { ...base, via };
  }

  private async sessionActor(sessionId: string): Promise<Actor | null> {
    const nowMs = Date.now();
    const hit = this.sessions.get(sessionId);
    if (hit && hit.expires > nowMs) return hit.value;
    const row = await this.repo.findSessionPrincipal(sessionId);
    const now = iso(this.clock.now());
    const value: Actor | null =
      row && row.revoked_at === null && row.expires_at > now && row.status === 'active'
        ? { id: row.user_id, username: row.username, role: row.role, via: 'jwt', sessionId: row.session_id }
        : null;
    this.remember(this.sessions, sessionId, value, nowMs);
    return value;
  }

  /**
   * Whether the credentials behind an actor still hold (session neither revoked nor expired,
   * access key active, user active): the actor as they are now (role changes show), or null.
   * Long-lived connections (consoles) call this while they run.
   */
  async recheck(actor: Actor): Promise<Actor | null> {
    if (actor.via === 'system') return actor;
    if (actor.via === 'access_key') {
      const key = actor.accessKeyId ? await this.lookupKey(actor.accessKeyId) : undefined;
      if (!key || key.status !== 'active' || key.user_status !== 'active' || key.user_id !== actor.id)
        return null;
      return { ...actor, role: key.role, username: key.username };
    }
    const base = actor.sessionId ? await this.sessionActor(actor.sessionId) : null;
    if (!base || base.id !== actor.id) return null;
    return { ...base, via: actor.via };
  }

  /** `Authorization: AccessKey <id>:<secret>` */
  async fromAccessKey(credential: string): Promise<Actor> {
    const sep = credential.indexOf(':');
    const id = sep > 0 ? credential.slice(0, sep) : '';
    const secret = sep > 0 ? credential.slice(sep + 1) : '';
    if (!ACCESS_KEY_ID.test(id) || secret.length === 0 || secret.length > 128) {
      throw new UnauthorizedError(
        'Malformed access key credential (expected AccessKey <accessKeyId>:<secret>)',
      );
    }
    const key = await this.lookupKey(id);
    if (!key) throw new UnauthorizedError('Invalid access key');
    let stored: string;
    try {
      stored = this.box.open(key.secret_enc, key.id);
    } catch {
      throw new UnauthorizedError('Invalid access key');
    }
    if (!safeEqual(stored, secret)) throw new UnauthorizedError('Invalid access key');
    if (key.status !== 'active' || key.user_status !== 'active')
      throw new UnauthorizedError('Invalid access key');
    await this.touchKey(key.id, key.last_used_at);
    return {
      id: key.user_id,
      username: key.username,
      role: key.role,
      via: 'access_key',
      accessKeyId: key.id,
    };
  }

  /**
   * For the S3 endpoint: an active key of an active user with its plaintext secret, or null.
   * Callers must verify the request signature themselves and then call markAccessKeyUsed().
   */
  async resolveAccessKey(accessKeyId: string): Promise<ResolvedAccessKey | null> {
    if (!ACCESS_KEY_ID.test(accessKeyId)) return null;
    const key = await this.repo.findAccessKeyForAuth(accessKeyId);
    if (key?.status !== 'active' || key.user_status !== 'active') return null;
    let secret: string;
    try {
      secret = this.box.open(key.secret_enc, key.id);
    } catch {
      return null;
    }
    return {
      accessKeyId: key.id,
      secretAccessKey: secret,
      userId: key.user_id,
      username: key.username,
      role: key.role,
    };
  }

  async markAccessKeyUsed(accessKeyId: string): Promise<void> {
    await this.repo.touchAccessKey(accessKeyId, iso(this.clock.now()));
    this.keys.delete(accessKeyId);
  }

  private async lookupKey(id: string) {
    const nowMs = Date.now();
    const hit = this.keys.get(id);
    if (hit && hit.expires > nowMs) return hit.value;
    const row = await this.repo.findAccessKeyForAuth(id);
    this.remember(this.keys, id, row, nowMs);
    return row;
  }

  private async touchKey(id: string, lastUsedAt: string | null): Promise<void> {
    const now = this.clock.now();
    if (lastUsedAt && now.getTime() - new Date(lastUsedAt).getTime() < LAST_USED_GRANULARITY_MS) return;
    await this.repo.touchAccessKey(id, iso(now));
    const hit = this.keys.get(id);
    if (hit?.value) hit.value = { ...hit.value, last_used_at: iso(now) };
  }

  private remember<T>(map: Map<string, CacheEntry<T>>, key: string, value: T, nowMs: number): void {
    if (this.cacheMs <= 0) return;
    if (map.size > 10_000) map.clear();
    map.set(key, { value, expires: nowMs + this.cacheMs });
  }
}
