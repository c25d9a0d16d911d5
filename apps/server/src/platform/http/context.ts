import type { FastifyRequest } from 'fastify';
import type { Actor } from '../db/repository.ts';

/**
 * Per-route options read by platform hooks (route `config`):
 *  - `public: true`      no authentication required (login, health, docs …)
 *  - `audit`             metadata for the audit onResponse hook of mutating routes;
 *                        `false` when the service records every outcome itself (auth routes).
 */
export interface RouteAudit {
  /** e.g. "users.create" */
  action: string;
  resourceType?: string;
  /** Route param holding the resource id (e.g. "id"). */
  resourceIdParam?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    audit?: RouteAudit | false;
  }
  interface FastifyRequest {
    /** Set by authentication; null for anonymous requests on public routes. */
    actor: Actor | null;
    /** Context handed to services (audit, authorization). */
    callContext: CallContext;
  }
}

/**
 * What a service needs to know about the call besides its arguments. `audited` is set by the
 * audit module when the service wrote its own audit record (in its transaction), so the
 * generic onResponse hook does not write a second one.
 */
export interface CallContext {
  actor: Actor | null;
  ip: string;
  requestId: string;
  userAgent: string | null;
  audited: boolean;
  /** Resource id learned during the call (e.g. the id of a created resource) for the audit hook. */
  resourceId?: string;
  /** Error code of the answer, set by the error handler (for the audit record). */
  errorCode?: string;
}

export interface AuthenticatedContext extends CallContext {
  actor: Actor;
}

export function contextOf(request: FastifyRequest): CallContext {
  return request.callContext;
}

/** The authenticated context; routes not marked public always have an actor. */
export function authContext(request: FastifyRequest): AuthenticatedContext {
  const ctx = request.callContext;
  if (!ctx.actor) throw new Error('authContext() on an unauthenticated request');
  return ctx as AuthenticatedContext;
}

export function systemContext(actor: Actor, requestId = 'system'): AuthenticatedContext {
  return { actor, ip: '127.0.0.1', requestId, userAgent: null, audited: false };
}
