import { createHmac } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { safeEqual } from '../../platform/crypto.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { Session } from './iam.auth.service.ts';

export const ACCESS_COOKIE = 'pc_access';
export const REFRESH_COOKIE = 'pc_refresh';
export const CSRF_COOKIE = 'pc_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

function secure(config: Config, request: FastifyRequest): boolean {
  if (config.cookieSecure === 'always') return true;
  if (config.cookieSecure === 'never') return false;
  return request.protocol === 'https';
}

/** pc_access (httpOnly, /), pc_refresh (httpOnly, /api/v1/auth), pc_csrf (readable by JS); all SameSite=Strict. */
export function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  config: Config,
  session: Session,
): void {
  const base = { sameSite: 'strict' as const, secure: secure(config, request) };
  reply.setCookie(ACCESS_COOKIE, session.accessToken, {
    ...base,
    httpOnly: true,
    path: '/',
    maxAge: session.expiresIn,
  });
  reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
    ...base,
    httpOnly: true,
    path: REFRESH_COOKIE_PATH,
    maxAge: config.auth.refreshTokenTtlSeconds,
  });
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(config, session.sessionId), {
    ...base,
    httpOnly: false,
    path: '/',
    maxAge: config.auth.refreshTokenTtlSeconds,
  });
}

export function clearSessionCookies(reply: FastifyReply, request: FastifyRequest, config: Config): void {
  const base = { sameSite: 'strict' as const, secure: secure(config, request) };
  reply.clearCookie(ACCESS_COOKIE, { ...base, httpOnly: true, path: '/' });
  reply.clearCookie(REFRESH_COOKIE, { ...base, httpOnly: true, path: REFRESH_COOKIE_PATH });
  reply.clearCookie(CSRF_COOKIE, { ...base, path: '/' });
}

const csrfKeys = new WeakMap<Uint8Array, Buffer>();

/** The CSRF key: derived from the JWT secret (a separate label, so neither value reveals the other). */
function csrfKey(config: Config): Buffer {
  let key = csrfKeys.get(config.jwtSecret);
  if (!key) {
    key = createHmac('sha256', config.jwtSecret).update('proxicloud csrf key v1').digest();
    csrfKeys.set(config.jwtSecret, key);
  }
  return key;
}

/**
 * The CSRF token of a session: HMAC-SHA256(server key, session id), base64url. It is bound to the
 * session, so a cookie + header pair chosen by an attacker (e.g. planted through a sibling
 * subdomain) never matches, and it stays the same across refreshes of that session.
 */
export function csrfTokenFor(config: Config, sessionId: string): string {
  return createHmac('sha256', csrfKey(config)).update(`csrf:${sessionId}`).digest('base64url');
}

/**
 * Check for cookie-authenticated mutating requests: header X-CSRF-Token must be the token of the
 * session the cookie belongs to (the value login put into the pc_csrf cookie). `sessionId` is the
 * access token's session, or the refresh token's for /auth/refresh and /auth/logout.
 */
export function assertCsrf(
  request: FastifyRequest,
  config: Config,
  sessionId: string | null | undefined,
): void {
  const header = request.headers[CSRF_HEADER];
  if (
    !sessionId ||
    typeof header !== 'string' ||
    header.length === 0 ||
    header.length > 128 ||
    !safeEqual(csrfTokenFor(config, sessionId), header)
  ) {
    throw new ForbiddenError(
      'Missing or wrong X-CSRF-Token header (must be the pc_csrf cookie this session was given at login) for cookie-authenticated requests',
      'csrf_failed',
    );
  }
}
