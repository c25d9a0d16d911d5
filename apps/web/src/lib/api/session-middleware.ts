import type { Middleware } from 'openapi-fetch';

/** Reads a (non-httpOnly) cookie, e.g. the CSRF token `pc_csrf`. */
export function readCookie(name: string, cookieString: string = document.cookie): string | null {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Calls whose 401 means "wrong credentials" or "refresh failed", never "access token expired". */
const NO_RETRY = /\/auth\/(login|refresh|logout)$/;
const REFRESHED_AT_KEY = 'pc-session-refreshed-at';

export interface SessionMiddlewareOptions {
  /** POST /auth/refresh (cookie-based); resolves true when a new session was issued. */
  refresh: () => Promise<boolean>;
  /**
   * Called when the session cannot be renewed (the refresh token is gone, expired or revoked).
   * `hadSession` is false when the browser holds no session cookies at all (first visit, signed out).
   */
  onSessionExpired: (info: { hadSession: boolean }) => void;
  /** Cross-tab lock; defaults to the Web Locks API when the browser has it. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Shared "last refreshed" stamp so tabs do not refresh twice with the same (single-use) token. */
  store?: Pick<Storage, 'getItem' | 'setItem'>;
  readCsrf?: () => string | null;
  now?: () => number;
}

function defaultLock<T>(fn: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks?.request) {
    return navigator.locks.request('proxicloud-session-refresh', fn) as Promise<T>;
  }
  return fn();
}

/**
 * The console's session middleware, added to the SDK client (whose own middleware already sends
 * `X-CSRF-Token` from the `pc_csrf` cookie on mutating calls):
 * 1. a 401 on any call but login/refresh/logout triggers one silent POST /auth/refresh and one retry
 *    of the request (with the CSRF token the refresh rotated). Refresh tokens are single-use and
 *    re-using a spent one revokes the whole family, so refreshes are single-flight inside the tab and
 *    serialised across tabs (Web Locks + a shared timestamp: a tab whose request left before another
 *    tab's refresh just retries);
 * 2. if the session cannot be renewed, `onSessionExpired` runs (the app goes to the login page).
 */
export function sessionMiddleware(opts: SessionMiddlewareOptions): Middleware {
  const withLock = opts.withLock ?? defaultLock;
  const store = opts.store ?? (typeof localStorage !== 'undefined' ? localStorage : undefined);
  const readCsrf = opts.readCsrf ?? (() => readCookie('pc_csrf'));
  const now = opts.now ?? Date.now;
  const pending = new Map<string, { retry: Request; sentAt: number }>();
  let inflight: Promise<boolean> | null = null;
  let localRefreshedAt = 0;

  const refreshedAt = () => Math.max(localRefreshedAt, Number(store?.getItem(REFRESHED_AT_KEY) ?? 0) || 0);

  function refreshAfter(sentAt: number): Promise<boolean> {
    if (refreshedAt() > sentAt) return Promise.resolve(true);
    if (!inflight) {
      inflight = withLock(async () => {
        // Another tab may have refreshed while this one waited for the lock.
        if (refreshedAt() > sentAt) return true;
        const ok = await opts.refresh();
        if (ok) {
          localRefreshedAt = now();
          store?.setItem(REFRESHED_AT_KEY, String(localRefreshedAt));
        }
        return ok;
      }).finally(() => {
        inflight = null;
      });
    }
    return inflight;
  }

  // The replay skips the SDK's middleware: put the current (possibly rotated) token on it.
  // Headers of a script-made Request are mutable (guard "request"), so set it in place.
  function withCsrf(request: Request): Request {
    if (!MUTATING.has(request.method)) return request;
    const token = readCsrf();
    if (token) request.headers.set('X-CSRF-Token', token);
    return request;
  }

  return {
    onRequest({ request, id }) {
      if (!NO_RETRY.test(new URL(request.url).pathname)) {
        pending.set(id, { retry: request.clone(), sentAt: now() });
      }
      return undefined;
    },
    async onResponse({ response, id, options }) {
      const entry = pending.get(id);
      pending.delete(id);
      if (response.status !== 401 || !entry) return undefined;
      // No CSRF cookie means no refresh cookie either (they are issued and cleared together).
      if (!readCsrf() && refreshedAt() <= entry.sentAt) {
        opts.onSessionExpired({ hadSession: false });
        return undefined;
      }
      let ok = false;
      try {
        ok = await refreshAfter(entry.sentAt);
      } catch {
        ok = false;
      }
      if (!ok) {
        opts.onSessionExpired({ hadSession: true });
        return undefined;
      }
      // The CSRF cookie may have been rotated by the refresh: send the current one.
      const retried = await options.fetch(withCsrf(entry.retry));
      if (retried.status === 401) opts.onSessionExpired({ hadSession: true });
      return retried;
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
  };
}
