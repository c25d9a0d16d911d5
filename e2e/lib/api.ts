import { createApiClient } from '@proxicloud/sdk';

/** A Bearer token for `username` (for raw requests the SDK does not make, e.g. object uploads). */
export async function accessTokenFor(baseUrl: string, username: string, password: string): Promise<string> {
  const anon = createApiClient({ baseUrl });
  const { data, response } = await anon.POST('/api/v1/auth/login', { body: { username, password } });
  if (!response.ok || !data) throw new Error(`API login as ${username} failed: HTTP ${response.status}`);
  return data.accessToken;
}

/** An SDK client authenticated as `username` with a Bearer token (for seeding and for assertions). */
export async function apiAs(baseUrl: string, username: string, password: string) {
  return createApiClient({ baseUrl, token: await accessTokenFor(baseUrl, username, password) });
}

/**
 * Polls `probe` until it returns a non-undefined value (assert through the API, never sleep).
 * Fails with the last error or a timeout message.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Uploads a small text object through the REST API as `username` (the console's own upload path). */
export async function putTextObject(
  baseUrl: string,
  user: { username: string; password: string },
  bucket: string,
  key: string,
  body: string,
): Promise<Response> {
  const accessToken = await accessTokenFor(baseUrl, user.username, user.password);
  return fetch(`${baseUrl}/api/v1/buckets/${bucket}/objects/${key}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/plain' },
    body,
  });
}
