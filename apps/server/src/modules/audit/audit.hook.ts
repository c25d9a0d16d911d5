import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditResult, AuditService } from './audit.service.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function resultFor(status: number): AuditResult {
  if (status < 400) return 'success';
  if (status === 401 || status === 403 || status === 429) return 'denied';
  return 'failure';
}

/**
 * Records every mutating API call that its service did not record itself. Runs in onSend, i.e.
 * before the answer leaves, so a caller who has seen a response can rely on its audit entry
 * existing. Route metadata comes from `config.audit` ({action, resourceType, resourceIdParam});
 * `config.audit: false` marks routes whose service records every outcome (auth).
 */
export function auditHook(audit: AuditService) {
  return fp(
    async (app: FastifyInstance) => {
      app.addHook('onSend', async (request, reply, payload) => {
        if (!MUTATING.has(request.method) || !request.url.startsWith('/api/')) return payload;
        const meta = request.routeOptions.config?.audit;
        if (meta === false) return payload;
        const ctx = request.callContext;
        const status = reply.statusCode;
        if (!ctx || (ctx.audited && status < 400)) return payload;
        const routeUrl = request.routeOptions.url;
        // Unknown routes from anonymous callers are noise, not events.
        if (!routeUrl && !ctx.actor) return payload;
        const params = (request.params ?? {}) as Record<string, unknown>;
        const idParam = meta ? meta.resourceIdParam : undefined;
        const resourceId =
          ctx.resourceId ??
          (idParam && typeof params[idParam] === 'string' ? (params[idParam] as string) : null);
        try {
          await audit.record(ctx, {
            action: meta ? meta.action : 'http.request',
            resourceType: meta ? (meta.resourceType ?? null) : null,
            resourceId,
            result: resultFor(status),
            details: {
              method: request.method,
              route: routeUrl ?? request.url.split('?')[0],
              status,
              ...(ctx.errorCode ? { error: ctx.errorCode } : {}),
            },
          });
        } catch (err) {
          request.log.error({ err }, 'failed to write audit entry');
        }
        return payload;
      });
    },
    { name: 'proxicloud-audit-hook' },
  );
}
