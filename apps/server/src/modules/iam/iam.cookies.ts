import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { randomToken, safeEqual } from '../../platform/crypto.ts';
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
  reply.setCookie(CSRF_COOKIE, randomToken(24), {
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

/** Double-submit check: header X-CSRF-Token must equal the pc_csrf cookie. */
export function assertCsrf(request: FastifyRequest): void {
  const cookie = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || header.length === 0 || !safeEqual(cookie, header)) {
    throw new ForbiddenError(
      'Missing or wrong X-CSRF-Token header (must equal the pc_csrf cookie) for cookie-authenticated requests',
      'csrf_failed',
    );
  }
}
