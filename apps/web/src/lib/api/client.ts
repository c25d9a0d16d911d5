import { type ApiClient, createApiClient } from '@proxicloud/sdk';
import { readCookie, sessionMiddleware } from './session-middleware.ts';

/**
 * Same-origin (the server serves the console; `vite dev` proxies /api to it). Cookie session:
 * the SDK sends the pc_csrf cookie as X-CSRF-Token on every mutating call.
 */
const options = { baseUrl: '', credentials: 'same-origin' as const, csrfToken: () => readCookie('pc_csrf') };

/** Bare client for the refresh call itself (no retry-on-401 loop). */
const bare = createApiClient(options);

type ExpiredHandler = (info: { hadSession: boolean }) => void;
let sessionExpired: ExpiredHandler = () => {};

/** The app registers what happens when the session cannot be renewed (go to login, keep the URL). */
export function onSessionExpired(handler: ExpiredHandler): void {
  sessionExpired = handler;
}

/** The typed API client (@proxicloud/sdk) every console call goes through. */
export const api: ApiClient = createApiClient(options);

api.use(
  sessionMiddleware({
    refresh: async () => (await bare.POST('/api/v1/auth/refresh', { body: {} })).response.ok,
    onSessionExpired: (info) => sessionExpired(info),
  }),
);
