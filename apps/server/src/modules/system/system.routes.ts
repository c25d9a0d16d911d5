import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type {} from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '../../deps.ts';
import { UnavailableError } from '../../platform/errors.ts';
import { errorBody } from '../../platform/http/core.plugin.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { DOCS_HTML, DOCS_JS } from './system.docs.ts';

const SystemInfo = Type.Object(
  {
    version: Type.String(),
    mode: Type.Union([Type.Literal('demo'), Type.Literal('proxmox')]),
    proxmox: Type.Union([
      Type.Object({ nodes: Type.Array(Type.String()) }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { $id: 'SystemInfo', additionalProperties: false },
);

/** Health, readiness, system info, the OpenAPI document and its viewer. */
export async function systemRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  app.addSchema(SystemInfo);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const pub = { public: true, audit: false as const };

  r.get(
    '/healthz',
    {
      config: pub,
      schema: {
        tags: ['system'],
        operationId: 'healthz',
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/readyz',
    {
      config: pub,
      schema: {
        tags: ['system'],
        operationId: 'readyz',
        summary: 'Readiness: the database answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...errorResponses(503) },
      },
    },
    async (request) => {
      try {
        await deps.db.ping();
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new UnavailableError('Database is not reachable');
      }
      return { status: 'ready' as const };
    },
  );

  r.get(
    '/api/v1/system/info',
    {
      config: pub,
      schema: {
        tags: ['system'],
        operationId: 'getSystemInfo',
        summary: 'Version and mode (demo or proxmox)',
        security: [],
        response: { 200: Type.Ref(SystemInfo), ...errorResponses() },
      },
    },
    async (request) => {
      let proxmox: { nodes: string[] } | null = null;
      if (deps.proxmox) {
        try {
          proxmox = { nodes: await deps.proxmox.listNodes() };
        } catch (err) {
          request.log.warn({ err }, 'could not list Proxmox nodes');
          proxmox = { nodes: [] };
        }
      }
      return {
        version: deps.config.version,
        mode: deps.proxmox?.mode ?? (deps.config.proxmox ? ('proxmox' as const) : ('demo' as const)),
        proxmox,
      };
    },
  );

  r.get('/api/openapi.json', { config: pub, schema: { hide: true } }, async () => app.swagger());
  r.get('/api/docs', { config: pub, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(DOCS_HTML),
  );
  r.get('/api/docs/viewer.js', { config: pub, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(DOCS_JS),
  );

  // The web console (apps/web/dist) with SPA fallback, or a short note when it is not built.
  const webDir = deps.config.webDir;
  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      index: ['index.html'],
      setHeaders(res, path) {
        res.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.get('/', { config: pub, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ProxiCloud</title></head><body>` +
            `<h1>ProxiCloud</h1><p>The web console is not built (looked in <code>${escapeHtml(webDir)}</code>). ` +
            `Run <code>npm run build -w @proxicloud/web</code> or <code>npm start</code>.</p>` +
            `<p>The API is up: see <a href="/api/docs">/api/docs</a>.</p></body></html>`,
        ),
    );
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (hasWeb && request.method === 'GET' && !path.startsWith('/api/') && wantsHtml) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send(errorBody(request, 'not_found', `No route for ${request.method} ${path}`));
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
