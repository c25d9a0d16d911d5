import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../platform/config.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { Authenticator } from './iam.authenticator.ts';
import { ACCESS_COOKIE, assertCsrf } from './iam.cookies.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Authentication for every /api/ route not marked `config.public`: Bearer JWT, AccessKey, or
 * the pc_access cookie (which also requires the CSRF header on mutating methods). Public routes
 * still learn the caller when valid credentials are present. Runs in onRequest, before the body
 * is read, so unauthenticated callers get 401 without any parsing.
 */
export function authPlugin(authenticator: Authenticator, config: Config) {
  async function resolve(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const space = header.indexOf(' ');
      const scheme = (space > 0 ? header.slice(0, space) : header).toLowerCase();
      const value = space > 0 ? header.slice(space + 1).trim() : '';
      if (scheme === 'bearer' && value) return authenticator.fromAccessToken(value, 'jwt');
      if (scheme === 'accesskey' && value) return authenticator.fromAccessKey(value);
      throw new UnauthorizedError(
        'Unsupported Authorization header (use Bearer <token> or AccessKey <id>:<secret>)',
      );
    }
    const cookie = request.cookies[ACCESS_COOKIE];
    if (cookie) {
      const actor = await authenticator.fromAccessToken(cookie, 'cookie');
      if (MUTATING.has(request.method)) assertCsrf(request, config, actor.sessionId);
      return actor;
    }
    return null;
  }

  return fp(
    async (app: FastifyInstance) => {
      app.addHook('onRequest', async (request, reply) => {
        const isApi = request.url.startsWith('/api/');
        if (!isApi) return;
        const required = request.routeOptions.config?.public !== true;
        let actor: Actor | null = null;
        try {
          actor = await resolve(request);
        } catch (err) {
          if (required) {
            if (err instanceof UnauthorizedError)
              reply.header('www-authenticate', 'Bearer realm="proxicloud"');
            throw err;
          }
        }
        if (!actor && required) {
          reply.header('www-authenticate', 'Bearer realm="proxicloud"');
          throw new UnauthorizedError('Authentication required (Bearer token, AccessKey or session cookie)');
        }
        request.actor = actor;
        request.callContext.actor = actor;
      });
    },
    { name: 'proxicloud-auth', dependencies: ['proxicloud-core'] },
  );
}
