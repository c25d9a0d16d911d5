import createClient from 'openapi-fetch';
import type { paths } from './provisional-paths.ts';
import { readCookie, sessionMiddleware } from './session-middleware.ts';

/** Same-origin: the server serves the console, and `vite dev` proxies /api to it. */
const options = { baseUrl: '', credentials: 'same-origin' as const };

/** Bare client for the refresh call itself (no retry-on-401 loop). */
const bare = createClient<paths>(options);

let sessionExpired: () => void = () => {};

/** The app registers what happens when the session cannot be renewed (go to login, keep the URL). */
export function onSessionExpired(handler: () => void): void {
  sessionExpired = handler;
}

/** The typed API client every console call goes through. */
export const api = createClient<paths>(options);

api.use(
  sessionMiddleware({
    refresh: async () => {
      const csrf = readCookie('pc_csrf');
      const { response } = await bare.POST('/api/v1/auth/refresh', {
        body: {},
        headers: csrf ? { 'X-CSRF-Token': csrf } : {},
      });
      return response.ok;
    },
    onSessionExpired: () => sessionExpired(),
  }),
);
