import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../platform/clock.ts';
import { randomToken } from '../../platform/crypto.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { RoleName } from './iam.permissions.ts';

const ISSUER = 'proxicloud';
const AUDIENCE = 'proxicloud-api';

export interface AccessClaims {
  sub: string;
  role: RoleName;
  jti: string;
  /** Session (refresh-token family) the token belongs to. */
  sid: string;
}

/** Access JWTs: HS256 only (alg pinned on verify — `none` and RS/ES confusion are rejected). */
export class TokenSigner {
  /** Imported once: handing jose raw bytes would re-import the HMAC key on every call. */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
  }

  get ttl(): number {
    return this.ttlSeconds;
  }

  async sign(userId: string, role: RoleName, sessionId: string): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ role, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(randomToken(12))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(await this.key);
  }

  /**
   * Verified tokens (LRU, bounded): the same token arrives on every request of a session, and
   * the signature and claims of a given token never change. Only the expiry is re-checked on a
   * hit; revocation and user status are not cached here (the authenticator checks the session).
   */
  private readonly verified = new Map<string, { claims: AccessClaims; expMs: number }>();
  private static readonly CACHE_MAX = 10_000;

  async verify(token: string): Promise<AccessClaims> {
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (hit.expMs > this.clock.now().getTime()) {
        this.verified.set(token, hit); // most recently used
        return hit.claims;
      }
      // Expired: fall through, jose gives the precise error.
    }
    const claims = await this.verifyUncached(token);
    return claims;
  }

  private async verifyUncached(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      if (
        typeof payload.sid !== 'string' ||
        typeof payload.sub !== 'string' ||
        typeof payload.role !== 'string'
      ) {
        throw new UnauthorizedError('Invalid access token');
      }
      const claims: AccessClaims = {
        sub: payload.sub,
        role: payload.role as RoleName,
        jti: String(payload.jti),
        sid: payload.sid,
      };
      if (this.verified.size >= TokenSigner.CACHE_MAX) {
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) this.verified.delete(oldest);
      }
      this.verified.set(token, { claims, expMs: (payload.exp ?? 0) * 1000 });
      return claims;
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      if (err instanceof errors.JWTExpired) throw new UnauthorizedError('Access token expired');
      throw new UnauthorizedError('Invalid access token');
    }
  }
}
