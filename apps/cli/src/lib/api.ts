/**
 * The one place the CLI touches @proxicloud/sdk: client factory, response unwrapping into CliErrors,
 * session refresh, and paging helpers. Response types come from the SDK's generated `paths`.
 */
import { type ApiClient, createApiClient } from '@proxicloud/sdk';
import type { FetchFn, SessionTokens } from './auth.ts';
import { apiErrorFromResponse, networkError } from './errors.ts';

export type {
  AccessKey,
  ApiClient,
  AuditEntry,
  AuditVerifyReport,
  CreatedAccessKey,
  Me,
  Role,
  Session,
  User,
} from '@proxicloud/sdk';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** globalThis.fetch with connection failures mapped to exit code 9. */
export function plainFetch(serverUrl: string): FetchFn {
  return async (request) => {
    try {
      return await globalThis.fetch(request);
    } catch (err) {
      throw networkError(err, serverUrl);
    }
  };
}

/** An SDK client for `serverUrl`. `fetch` (the auth wrapper) adds credentials; without it none are sent. */
export function createClient(serverUrl: string, fetch: FetchFn | undefined): ApiClient {
  return createApiClient({ baseUrl: serverUrl, fetch: fetch ?? plainFetch(serverUrl) });
}

interface SdkResult {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/** Await an SDK call; non-2xx answers become an ApiError carrying code, message and request id. */
export async function unwrap<R extends SdkResult>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const result = await call;
  if (!result.response.ok) throw apiErrorFromResponse(result.response, result.error);
  return result.data as Exclude<R['data'], undefined>;
}

/** POST /auth/refresh through the SDK (no stored credentials: the refresh token is the credential). */
export async function refreshSession(serverUrl: string, refreshToken: string): Promise<SessionTokens> {
  const client = createClient(serverUrl, undefined);
  const session = await unwrap(client.POST('/api/v1/auth/refresh', { body: { refreshToken } }));
  return session;
}

/**
 * Fetch every page of a list endpoint (for `--all`): pages of `pageSize` until `total` is reached
 * or a page comes back short. Returns one combined page.
 */
export async function fetchAll<T>(
  fetchPage: (limit: number, offset: number) => Promise<Page<T>>,
  pageSize = 1000,
): Promise<Page<T>> {
  const items: T[] = [];
  let total = 0;
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetchPage(pageSize, offset);
    items.push(...page.items);
    total = page.total;
    if (page.items.length < pageSize || items.length >= total) break;
  }
  return { items, total, limit: items.length, offset: 0 };
}
