import { ApiError } from '@proxicloud/sdk';

export { ApiError };

const fallbackMessages: Record<number, string> = {
  401: 'Your session has ended. Sign in again.',
  403: 'You do not have permission to do this.',
  404: 'Not found.',
  429: 'Too many requests. Try again shortly.',
  502: 'The server could not reach the Proxmox host.',
  503: 'The server is not ready yet. Try again in a moment.',
};

function hasMessage(body: unknown): boolean {
  const m = (body as { error?: { message?: unknown } } | null | undefined)?.error?.message;
  return typeof m === 'string' && m.length > 0;
}

/**
 * Awaits an SDK call and returns its data; a non-2xx answer becomes the SDK's ApiError (code,
 * message, details, requestId, retryAfter) and a network failure an ApiError with status 0.
 *   const me = await call(() => api.GET('/api/v1/auth/me'));
 */
export async function call<T>(
  fn: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await fn();
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Cannot reach the ProxiCloud server. Check that it is running and your network connection.',
    );
  }
  const { response } = result;
  if (response.ok) return result.data as T;
  const err = ApiError.from(response, result.error);
  const fallback = fallbackMessages[response.status];
  if (hasMessage(result.error) || !fallback) throw err;
  // A body without the API's error shape (e.g. a proxy's HTML page): say something useful.
  throw new ApiError(err.status, err.code, fallback, err.details, err.requestId, err.retryAfter);
}

/** A sentence for the user. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}

/** "4 minutes", "1 minute", "30 seconds": for lockout and rate-limit messages. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
