/**
 * The providers' API client on the server: the generated SDK, dispatched in-process through
 * `app.inject` with the caller's own credentials, so every change a stack makes passes the same
 * authentication, authorization, validation, quotas and audit as the caller's direct calls.
 * Credentials stay in memory for the duration of the request; they are never stored.
 */
import { type ApiClient, createApiClient } from '@proxicloud/sdk';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const FORWARDED = ['authorization', 'cookie', 'x-csrf-token'] as const;

export function inProcessClient(app: FastifyInstance, request: FastifyRequest, stack: string): ApiClient {
  const forwarded: Record<string, string> = { 'user-agent': `proxicloud-stacks/${stack}` };
  for (const h of FORWARDED) {
    const v = request.headers[h];
    if (typeof v === 'string') forwarded[h] = v;
  }
  return createApiClient({
    baseUrl: 'http://in-process',
    fetch: async (req: Request) => {
      const url = new URL(req.url);
      const headers: Record<string, string> = { ...forwarded };
      req.headers.forEach((value, key) => {
        if (key !== 'authorization' && key !== 'cookie') headers[key] = value;
      });
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.text();
      const res = await app.inject({
        method: req.method as 'GET',
        url: url.pathname + url.search,
        headers,
        ...(body ? { payload: body } : {}),
      });
      const outHeaders = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined && k !== 'set-cookie')
          outHeaders.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      }
      const empty = res.statusCode === 204 || res.statusCode === 304 || res.rawPayload.length === 0;
      return new Response(empty ? null : new Uint8Array(res.rawPayload), {
        status: res.statusCode,
        headers: outHeaders,
      });
    },
  });
}
