import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema.d.ts';

export { EVENT_RESOURCES, type EventResource, PERMISSIONS, type Permission } from './catalog.ts';
export type { components, operations, paths };

type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type Me = Schemas['Me'];
export type Role = Schemas['Role'];
export type AccessKey = Schemas['AccessKey'];
export type CreatedAccessKey = Schemas['CreatedAccessKey'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditVerifyReport = Schemas['AuditVerifyReport'];
export type SystemInfo = Schemas['SystemInfo'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type RoleName = User['role'];

/** Every list endpoint answers this shape. */
export interface ListResponse<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type ApiClient = Client<paths>;

export interface AccessKeyCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ApiClientOptions {
  /** Server origin, e.g. "http://localhost:8080" (paths in the spec start with /api/v1). Use "" in the browser. */
  baseUrl: string;
  /** Access JWT, or a function returning the current one (so a refresher can swap it). */
  token?: string | (() => string | null | undefined);
  /** Personal access key: sent as `Authorization: AccessKey <id>:<secret>`. */
  accessKey?: AccessKeyCredential;
  /**
   * Cookie sessions (web console): return the pc_csrf cookie value; it is sent as X-CSRF-Token
   * on POST/PUT/PATCH/DELETE. Also set `credentials: 'same-origin'` (the default).
   */
  csrfToken?: () => string | null | undefined;
  credentials?: RequestInit['credentials'];
  fetch?: (input: Request) => Promise<Response>;
  /** Called on every 401 answer (e.g. to refresh or redirect to login). */
  onUnauthorized?: (response: Response) => void | Promise<void>;
  headers?: Record<string, string>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Typed client for the ProxiCloud API (openapi-fetch over the generated `paths`). */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    credentials: options.credentials ?? 'same-origin',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      if (!request.headers.has('authorization')) {
        const token = typeof options.token === 'function' ? options.token() : options.token;
        if (token) request.headers.set('authorization', `Bearer ${token}`);
        else if (options.accessKey) {
          const { accessKeyId, secretAccessKey } = options.accessKey;
          request.headers.set('authorization', `AccessKey ${accessKeyId}:${secretAccessKey}`);
        }
      }
      if (options.csrfToken && MUTATING.has(request.method)) {
        const csrf = options.csrfToken();
        if (csrf) request.headers.set('x-csrf-token', csrf);
      }
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401 && options.onUnauthorized) await options.onUnauthorized(response);
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** An error answer from the API, unwrapped from `{error: {code, message, details?, requestId}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
  /** Seconds from Retry-After on 429. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
    requestId?: string,
    retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** Build from a response and its parsed body (whatever shape it has). */
  static from(response: Response, body: unknown): ApiError {
    const err = (body as { error?: Partial<ErrorResponse['error']> } | null | undefined)?.error;
    const retry = response.headers.get('retry-after');
    return new ApiError(
      response.status,
      typeof err?.code === 'string' ? err.code : `http_${response.status}`,
      typeof err?.message === 'string' ? err.message : response.statusText || `HTTP ${response.status}`,
      err?.details as Record<string, unknown> | undefined,
      typeof err?.requestId === 'string'
        ? err.requestId
        : (response.headers.get('x-request-id') ?? undefined),
      retry && /^\d+$/.test(retry) ? Number(retry) : undefined,
    );
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/**
 * Await an openapi-fetch call and return its data, or throw ApiError.
 *   const me = await unwrap(api.GET('/api/v1/auth/me'));
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  const result = await call;
  if (!result.response.ok) throw ApiError.from(result.response, result.error);
  return result.data as Exclude<T, undefined>;
}
