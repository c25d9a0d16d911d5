/**
 * Function URLs: `/fn/{urlId}/…` on the main port, a raw mount (no Fastify body parsing, so any
 * content type and binary bodies pass through). The request becomes an event shaped like AWS
 * Lambda function URLs (payload format 2.0); the handler's `{statusCode, headers, body,
 * isBase64Encoded, cookies}` becomes the response (any other result: 200 with the JSON).
 * Auth per function: `none`, or `iam` (Bearer token or AccessKey of the owner or an admin with
 * functions:invoke). CORS per function, preflights answered here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../../platform/crypto.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import type { Authenticator } from '../iam/index.ts';
import { authorize } from '../iam/index.ts';
import type { FunctionsInvoker } from './functions.invoker.ts';
import type { FunctionRow, FunctionsRepository } from './functions.repository.ts';
import type { Cors } from './functions.schemas.ts';

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+(json|xml))/i;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function corsHeaders(cors: Cors | null, origin: string | undefined): Record<string, string> {
  if (!cors || !origin) return {};
  const allowed = cors.allowOrigins.includes('*') || cors.allowOrigins.includes(origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': cors.allowOrigins.includes('*') ? '*' : origin,
    vary: 'Origin',
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.resume();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The Lambda-URL-style event of a request. */
export function toEvent(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  body: Buffer,
  requestId: string,
) {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'authorization') continue;
    if (k === 'cookie') cookies.push(...String(v).split(/;\s*/));
    else headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const params = new URLSearchParams(rawQuery);
  const query: Record<string, string> = {};
  for (const k of new Set(params.keys())) query[k] = params.getAll(k).join(',');
  const text = TEXT_TYPES.test(headers['content-type'] ?? '') || body.length === 0;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      timeEpoch: Date.now(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !text,
  };
}

/** Map the handler's result to a response (Lambda function URL rules). */
export function fromResult(result: unknown): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  cookies: string[];
} {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode?: number;
      headers?: Record<string, unknown>;
      body?: unknown;
      isBase64Encoded?: boolean;
      cookies?: string[];
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const raw =
      r.body === undefined || r.body === null
        ? ''
        : typeof r.body === 'string'
          ? r.body
          : JSON.stringify(r.body);
    const body = r.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    const status =
      Number.isInteger(r.statusCode) && r.statusCode! >= 100 && r.statusCode! <= 599 ? r.statusCode! : 200;
    return { status, headers, body, cookies: Array.isArray(r.cookies) ? r.cookies.map(String) : [] };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(result ?? null)),
    cookies: [],
  };
}

export function functionUrlHandler(deps: {
  repo: FunctionsRepository;
  invoker: FunctionsInvoker;
  authenticator: Authenticator;
  maxBodyBytes: number;
}) {
  const authorizeCaller = async (req: IncomingMessage, row: FunctionRow): Promise<string | null> => {
    const header = String(req.headers.authorization ?? '');
    const sp = header.indexOf(' ');
    const scheme = header.slice(0, sp).toLowerCase();
    const value = header.slice(sp + 1).trim();
    try {
      const actor =
        scheme === 'bearer'
          ? await deps.authenticator.fromAccessToken(value, 'jwt')
          : scheme === 'accesskey'
            ? await deps.authenticator.fromAccessKey(value)
            : null;
      if (!actor) return 'Authentication required (Bearer token or AccessKey)';
      authorize(actor, 'functions', 'invoke');
      if (actor.id !== row.owner_id && !isAdmin(actor)) return 'Not allowed to invoke this function';
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q >= 0 ? url.slice(0, q) : url;
      const rawQuery = q >= 0 ? url.slice(q + 1) : '';
      const m = /^\/fn\/([a-z0-9]{8,64})(\/.*)?$/.exec(path);
      const row = m ? await deps.repo.findByUrlId(m[1]!) : undefined;
      if (!m || !row) return send(res, 404, { message: 'Not Found' });
      const cors = row.url_cors ? (JSON.parse(row.url_cors) as Cors) : null;
      const ch = corsHeaders(cors, req.headers.origin);
      if (req.method === 'OPTIONS' && cors && req.headers['access-control-request-method']) {
        res.writeHead(204, {
          ...ch,
          'access-control-allow-methods': (cors.allowMethods ?? ['*']).join(','),
          'access-control-allow-headers': (cors.allowHeaders ?? ['*']).join(','),
          'access-control-max-age': String(cors.maxAgeSeconds ?? 0),
        });
        return res.end();
      }
      if (row.url_auth === 'iam') {
        const denied = await authorizeCaller(req, row);
        if (denied) return send(res, 403, { message: 'Forbidden' }, ch);
      }
      const body = await readBody(req, deps.maxBodyBytes);
      if (!body) return send(res, 413, { message: 'Request Entity Too Large' }, ch);
      const requestId = newId('req');
      const event = toEvent(req, m[2] ?? '/', rawQuery, body, requestId);
      const out = await deps.invoker.invoke(row, event, 'http');
      if (out.status === 'throttled')
        return send(
          res,
          429,
          { message: 'Too Many Requests' },
          { ...ch, 'x-invocation-id': out.invocationId },
        );
      if (out.status !== 'success')
        return send(
          res,
          out.status === 'timeout' ? 504 : 502,
          { message: 'Internal Server Error' },
          { ...ch, 'x-invocation-id': out.invocationId },
        );
      const r = fromResult(out.result);
      const headers: Record<string, string | string[]> = {
        ...r.headers,
        ...ch,
        'x-invocation-id': out.invocationId,
      };
      if (r.cookies.length) headers['set-cookie'] = r.cookies;
      headers['content-length'] = String(r.body.length);
      headers['content-type'] ??= 'application/json';
      res.writeHead(r.status, headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  };
}
