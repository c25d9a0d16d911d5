/** An API failure in the server's error shape, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
  /** Seconds from the Retry-After header (429), if any. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown> | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown };
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const fallbackMessages: Record<number, string> = {
  401: 'Your session has ended. Sign in again.',
  403: 'You do not have permission to do this.',
  404: 'Not found.',
  429: 'Too many requests. Try again shortly.',
  502: 'The Proxmox host did not answer correctly.',
  503: 'The server is not ready yet. Try again in a moment.',
};

export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const err = (body as ErrorBody | undefined)?.error;
  const message =
    typeof err?.message === 'string' && err.message
      ? err.message
      : (fallbackMessages[response.status] ??
        `The server answered ${response.status} ${response.statusText}.`);
  return new ApiError({
    status: response.status,
    code: typeof err?.code === 'string' ? err.code : `http_${response.status}`,
    message,
    details:
      err?.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : undefined,
    requestId:
      (typeof err?.requestId === 'string' ? err.requestId : undefined) ??
      response.headers.get('x-request-id') ??
      undefined,
    retryAfter: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/**
 * Turns an openapi-fetch result into its data or a thrown ApiError, so React Query sees failures.
 * Usage: `unwrap(await api.GET('/api/v1/users', {...}))`.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw apiErrorFrom(result.response, result.error);
  return result.data as T;
}

/** Wraps a call so a network failure becomes an ApiError with a human message. */
export async function call<T>(
  fn: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'Cannot reach the ProxiCloud server. Check that it is running and your network connection.',
    });
  }
  return unwrap(result);
}

/** A sentence for the user; includes the request id for support when the server gave one. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}

/** "4 minutes", "1 minute", "30 seconds" — for lockout and rate-limit messages. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
