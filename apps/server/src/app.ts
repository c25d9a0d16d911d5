import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { AppDeps, ModuleDeps } from './deps.ts';
import { AuditService, auditHook, auditSharedSchemas } from './modules/audit/index.ts';
import { EventBus } from './modules/events/index.ts';
import { authPlugin, createIam, iamSharedSchemas, PERMISSIONS } from './modules/iam/index.ts';
import { modules, registerModules } from './modules/index.ts';
import { createOperations } from './modules/operations/index.ts';
import { createProxmoxAccess, operationErrorOf } from './modules/proxmox/index.ts';
import { systemClock } from './platform/clock.ts';
import type { Executor } from './platform/db/database.ts';
import { corePlugin, errorBody, genRequestId } from './platform/http/core.plugin.ts';
import { compileTrust } from './platform/http/proxy.ts';
import { RawMounts } from './platform/http/raw-mounts.ts';
import { sharedSchemas } from './platform/http/schemas.ts';
import { lazySerializerFactory } from './platform/http/serialization.ts';
import type { TlsMaterial } from './platform/http/tls.ts';
import { validatorCompiler } from './platform/http/validation.ts';
import { JobScheduler } from './platform/jobs.ts';
import { createLogger } from './platform/logger.ts';
import { mountOn } from './platform/module.ts';
import { Scheduler } from './platform/schedules/scheduler.ts';

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

interface OpenApiDoc {
  paths?: Record<
    string,
    Record<
      string,
      { requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: unknown } }> } }
    >
  >;
}

/** The permission catalogue (iam) as an OpenAPI enum: the SDK exports it, the web checks against it. */
const PermissionSchema = Type.Unsafe<string>({
  $id: 'Permission',
  type: 'string',
  enum: Object.entries(PERMISSIONS).flatMap(([resource, actions]) => actions.map((a) => `${resource}:${a}`)),
  description: 'A permission of the catalogue (resource:action)',
});

export interface BuildAppOptions {
  /** Create the first admin if this is a fresh install (default true). */
  bootstrap?: boolean;
  /** Serve HTTPS with this certificate (server.ts loads it from config.tls). */
  tls?: TlsMaterial | null;
}

/**
 * Build the Fastify app (does not listen, does not start jobs): platform plugins, then each
 * module's register(). The database must already be migrated.
 */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config, db } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? systemClock;

  // Protocols that are not JSON APIs (S3 under /s3) take the request before Fastify parses it:
  // their own error documents (XML) for any URL or Content-Type, bodies streamed untouched.
  const rawMounts = new RawMounts();
  const app = Fastify({
    serverFactory: (fastifyHandler) => {
      const handler = (req: IncomingMessage, res: ServerResponse) => {
        if (!rawMounts.dispatch(req, res)) fastifyHandler(req, res);
      };
      const server = options.tls
        ? (createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) as unknown as Server)
        : createServer(handler);
      return rawMounts.attachExpect(server, fastifyHandler);
    },
    // A URL Fastify cannot decode (e.g. '%zz') gets our error shape like everything else.
    frameworkErrors: (error, request, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send(errorBody(request, 'bad_request', `Malformed request URL: ${error.message}`));
    },
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: genRequestId,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // Only the listed proxies' X-Forwarded-* count: request.ip is the right-most untrusted hop.
    trustProxy: config.trustProxy.length > 0 ? compileTrust(config.trustProxy) : false,
    return503OnClosing: true,
    // One access-log line per request (core.plugin's onResponse) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // The validator factory (not setValidatorCompiler): Fastify rebuilds the compiler whenever a
    // context adds shared schemas, and would silently fall back to Ajv with type coercion.
    schemaController: {
      compilersFactory: {
        buildValidator: (() => validatorCompiler) as unknown as ValidatorFactory,
        // response serializers compiled on first use (idle memory, docs/benchmarks.md)
        buildSerializer: lazySerializerFactory(),
      },
    },
  });

  const jobs = new JobScheduler(logger);
  // Several servers on one PostgreSQL: the scheduler lease also elects the leader that runs the
  // leader-only jobs (reconcilers); it moves to another server clusterLeaseSeconds after a crash.
  const leaseTtlMs = (config.clusterLeaseSeconds ?? 30) * 1000;
  const scheduler = new Scheduler({
    db,
    clock,
    logger,
    leaseTtlMs,
    tickMs: Math.min(5_000, Math.floor(leaseTtlMs / 3)),
  });
  scheduler.attach(jobs);
  jobs.setLeadership(() => scheduler.holdsLease());
  const audit = new AuditService({ db, clock, logger });
  const iam = createIam({ config, db, clock, logger, audit });
  // The shared core, built once: every module gets these through its deps.
  const users = {
    username: async (id: string, k?: Executor) =>
      (await (k ? iam.repo.with(k) : iam.repo).findUserById(id))?.username ?? null,
  };
  const bus = new EventBus(2000, () => clock.now());
  const operations = createOperations({
    db,
    clock,
    logger,
    bus,
    audit,
    users,
    mapError: (e) => operationErrorOf(e, logger),
    version: config.version,
    cluster: { ttlMs: leaseTtlMs, sweepMs: Math.min(5_000, Math.floor(leaseTtlMs / 3)) },
  });
  const pve = createProxmoxAccess(deps.proxmox);
  const moduleDeps: ModuleDeps = {
    config,
    db,
    logger,
    clock,
    jobs,
    scheduler,
    audit,
    authenticator: iam.authenticator,
    ownership: iam.ownership,
    proxmox: deps.proxmox,
    iam,
    rawMounts,
    users,
    bus,
    engine: operations.engine,
    locks: operations.locks,
    operations: operations.service,
    pve: pve.pve,
    cache: pve.cache,
    inventory: pve.inventory,
  };
  app.decorate('services', moduleDeps);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ProxiCloud API',
        version: config.version,
        description:
          'AWS-style services for Proxmox VE homelabs. Errors: {"error": {code, message, details?, requestId}}. ' +
          'Lists: {items, total, limit, offset} with limit (1..1000, default 50) and offset.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      tags: modules.flatMap((m) => m.tags ?? []),
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'Access JWT from /api/v1/auth/login',
          },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pc_access',
            description: 'Web console session; mutating calls also need X-CSRF-Token = pc_csrf cookie',
          },
          accessKey: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'Authorization: AccessKey <accessKeyId>:<secretAccessKey>',
          },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }, { accessKey: [] }],
    },
    // A request body whose fields are all optional may be omitted (see core.plugin preValidation).
    transformObject: (doc) => {
      const spec = (doc as { openapiObject: OpenApiDoc }).openapiObject;
      // Fastify's wildcard segment (`/objects/*`, an object key that may contain '/') is a path
      // parameter named '*'; clients (openapi-fetch among them) read a trailing '*' as "explode".
      // Publish it as {key}: the client percent-encodes it and the server decodes it back.
      if (spec.paths) {
        spec.paths = Object.fromEntries(
          Object.entries(spec.paths).map(([path, item]) => {
            if (!path.endsWith('/{*}')) return [path, item];
            for (const op of Object.values(item) as { parameters?: { in?: string; name?: string }[] }[]) {
              for (const p of op?.parameters ?? []) if (p.in === 'path' && p.name === '*') p.name = 'key';
            }
            return [`${path.slice(0, -'{*}'.length)}{key}`, item];
          }),
        );
      }
      for (const item of Object.values(spec.paths ?? {})) {
        for (const op of Object.values(item)) {
          const body = op?.requestBody;
          const schema = body?.content?.['application/json']?.schema;
          if (body && schema && !(Array.isArray(schema.required) && schema.required.length > 0))
            body.required = false;
        }
      }
      return spec;
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(fastifyCookie);
  await app.register(corePlugin);
  if (config.hstsMaxAgeSeconds > 0) {
    // Only on HTTPS (direct, or X-Forwarded-Proto from a trusted proxy): HSTS over HTTP is ignored.
    const hsts = `max-age=${config.hstsMaxAgeSeconds}`;
    app.addHook('onSend', async (request, reply) => {
      if (request.protocol === 'https') reply.header('strict-transport-security', hsts);
    });
  }
  for (const schema of [
    ...sharedSchemas,
    ...iamSharedSchemas,
    ...auditSharedSchemas,
    ...modules.flatMap((m) => m.schemas ?? []),
    PermissionSchema,
  ])
    app.addSchema(schema);
  await app.register(authPlugin(iam.authenticator, config));
  await app.register(auditHook(audit));

  app.decorate('modules', await registerModules(mountOn(app), moduleDeps));

  app.addHook('onClose', async () => {
    await jobs.stop();
    await scheduler.stop();
  });

  if (options.bootstrap ?? true) await iam.bootstrap();
  return app;
}
