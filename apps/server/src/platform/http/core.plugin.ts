import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type AppError, isAppError, ValidationError } from '../errors.ts';
import type { CallContext } from './context.ts';
import { headerBytes, publishHttpResponse } from './observe.ts';
import type { ErrorResponse } from './schemas.ts';
import { findIllFormed } from './unicode.ts';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accept a sane incoming x-request-id (so logs correlate across proxies), else generate one. */
export function genRequestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  if (typeof incoming === 'string' && REQUEST_ID.test(incoming)) return incoming;
  return `req-${randomUUID()}`;
}

/** Content-Security-Policy for the SPA and the API docs page (no inline scripts, no framing). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const STATUS_CODES: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'unavailable',
};

export function errorBody(
  request: FastifyRequest,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ErrorResponse {
  if (request.callContext) request.callContext.errorCode = code;
  return { error: { code, message, ...(details ? { details } : {}), requestId: request.id } };
}

interface ValidationIssue {
  field: string;
  message: string;
}

function validationIssues(err: FastifyError): ValidationIssue[] {
  const where = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const params = (v.params ?? {}) as Record<string, unknown>;
    let path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    let message = v.message ?? 'is invalid';
    if (typeof params.missingProperty === 'string') {
      path = path ? `${path}.${params.missingProperty}` : params.missingProperty;
      message = 'is required';
    } else if (typeof params.additionalProperty === 'string') {
      path = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
      message = 'is not an allowed field';
    }
    return { field: path ? `${where}.${path}` : where, message };
  });
}

/**
 * Platform HTTP behaviour shared by every route: request ids (echoed in `x-request-id`), the
 * per-request CallContext, security headers, and the one error handler that turns domain
 * errors, validation errors and parser errors into the contract's error body. Unknown errors
 * become 500 internal_error without internals (they are logged with the request id).
 */
export const corePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('callContext', null as unknown as CallContext);

    app.addHook('onRequest', async (request, reply) => {
      request.log.trace({ method: request.method, url: request.url }, 'incoming request');
      reply.header('x-request-id', request.id);
      const ua = request.headers['user-agent'];
      request.callContext = {
        actor: null,
        ip: request.ip,
        requestId: request.id,
        userAgent: typeof ua === 'string' ? ua.slice(0, 256) : null,
        audited: false,
      };
    });

    // A POST/PUT/PATCH without a body is validated as {} (routes whose fields are all optional
    // accept it; others answer which fields are required instead of "body must be object").
    app.addHook('preValidation', async (request) => {
      if (request.body === undefined && BODY_METHODS.has(request.method)) request.body = {};
      // Text must be well-formed Unicode (no lone UTF-16 surrogates) in the body, query and path
      // parameters. Header values need no check: Node decodes them as Latin-1 bytes.
      const bad =
        findIllFormed(request.body, 'body') ??
        findIllFormed(request.query, 'query') ??
        findIllFormed(request.params, 'params');
      if (bad) {
        throw new ValidationError(
          `Invalid request: ${bad} is not well-formed Unicode (lone UTF-16 surrogate)`,
          {
            issues: [{ field: bad, message: 'is not well-formed Unicode (lone UTF-16 surrogate)' }],
          },
        );
      }
    });

    // The access log: one line per request, after the response went out. Fastify's request
    // serializer is not used (it would add headers); the query string is kept (no secrets travel
    // in API query strings; S3 presigned URLs never reach Fastify).
    app.addHook('onResponse', async (request, reply) => {
      const status = reply.statusCode;
      const line = {
        method: request.method,
        url: request.url,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(request.actor ? { user: request.actor.id } : {}),
      };
      if (status >= 500) request.log.error(line, 'request completed');
      else request.log.info(line, 'request completed');
      publishHttpResponse({
        mount: 'api',
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status,
        seconds: reply.elapsedTime / 1000,
        bytesIn: headerBytes(request.headers['content-length']),
        bytesOut: headerBytes(reply.getHeader('content-length')),
      });
    });

    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('x-request-id', request.id);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      reply.header('cross-origin-resource-policy', 'same-origin');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
        reply.header('cache-control', 'no-store');
      }
      return payload;
    });

    app.setErrorHandler(
      (err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
        if (isAppError(err)) {
          for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
          if (err.status >= 500) request.log.error({ err }, 'request failed');
          return reply.status(err.status).send(errorBody(request, err.code, err.message, err.details));
        }
        const fe = err as FastifyError;
        if (fe.validation) {
          const issues = validationIssues(fe);
          const summary = issues.map((i) => `${i.field} ${i.message}`).join('; ');
          return reply
            .status(400)
            .send(errorBody(request, 'validation_error', `Invalid request: ${summary}`, { issues }));
        }
        switch (fe.code) {
          case 'FST_ERR_CTP_BODY_TOO_LARGE':
            return reply
              .status(413)
              .send(errorBody(request, 'payload_too_large', 'Request body is too large'));
          case 'FST_ERR_CTP_INVALID_JSON_BODY':
          case 'FST_ERR_CTP_EMPTY_JSON_BODY':
            return reply.status(400).send(errorBody(request, 'validation_error', 'Malformed JSON body'));
          case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
            return reply
              .status(415)
              .send(
                errorBody(
                  request,
                  'unsupported_media_type',
                  'Unsupported Content-Type; send application/json',
                ),
              );
        }
        const status = fe.statusCode ?? 500;
        if (status >= 400 && status < 500) {
          // Framework/parser errors (e.g. prototype poisoning, bad URL): their messages are ours to show.
          const message = err instanceof SyntaxError ? 'Malformed JSON body' : fe.message || 'Bad request';
          return reply
            .status(status)
            .send(errorBody(request, STATUS_CODES[status] ?? 'bad_request', message));
        }
        request.log.error({ err }, 'unhandled error');
        return reply.status(500).send(errorBody(request, 'internal_error', 'Internal server error'));
      },
    );
  },
  { name: 'proxicloud-core' },
);
