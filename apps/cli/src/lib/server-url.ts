import { UsageError } from './errors.ts';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/**
 * Normalise a server URL given by the user: http(s) only, no credentials, no query; trailing
 * slashes and an `/api/v1` suffix are dropped (people paste the API base).
 */
export function normaliseServerUrl(value: string, source = '--server'): string {
  let url: URL;
  const text = value.trim();
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new UsageError(
      `Invalid server URL from ${source}: "${value}"`,
      'Example: --server https://cloud.home.lan',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid server URL from ${source}: only http:// and https:// are supported`);
  }
  if (url.username || url.password) {
    throw new UsageError(`Invalid server URL from ${source}: do not put credentials in the URL`);
  }
  if (url.search || url.hash) {
    throw new UsageError(`Invalid server URL from ${source}: no query string or fragment`);
  }
  const pathname = url.pathname.replace(/\/+$/, '').replace(/\/api(\/v1)?$/, '');
  return `${url.protocol}//${url.host}${pathname}`;
}
