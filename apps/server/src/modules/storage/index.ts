/** What other modules (and the server) may use from object storage. */

import { LocalExecutor, ZfsAgent } from '@proxicloud/proxmox-client';
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { compileTrust } from '../../platform/http/proxy.ts';
import type { KeyWrapPort } from '../secrets/index.ts';
import { accessRoutes, accessSchemas } from './storage.access.routes.ts';
import { StorageEngine } from './storage.engine.ts';
import { registerStorageJobs } from './storage.jobs.ts';
import { lifecycleRoutes, lifecycleSchemas } from './storage.lifecycle.routes.ts';
import { storageMigrations } from './storage.migrations.ts';
import { objectLockRoutes, objectLockSchemas } from './storage.objectlock.routes.ts';
import { StorageRepository } from './storage.repository.ts';
import { storageRoutes } from './storage.routes.ts';
import { S3Endpoint } from './storage.s3.endpoint.ts';
import { S3Handler, type S3User } from './storage.s3.handler.ts';
import { storageSharedSchemas } from './storage.schemas.ts';
import { StorageService } from './storage.service.ts';
import { encryptionRoutes, encryptionSchemas } from './storage.sse.routes.ts';
import { SseKeys } from './storage.sse.ts';
import { versionRoutes, versionSchemas } from './storage.versions.routes.ts';

export { STORAGE_CLEANUP_JOB } from './storage.jobs.ts';
export { storageMigrations } from './storage.migrations.ts';
export { S3Endpoint } from './storage.s3.endpoint.ts';
export type { BucketInfo, CleanupReport, ObjectInfo } from './storage.service.ts';
export { StorageService } from './storage.service.ts';
export { storageContext } from './storage.types.ts';

export interface Storage {
  service: StorageService;
  /** Every bucket's object count and bytes (metrics samples it once a minute). */
  bucketUsage: () => ReturnType<StorageRepository['allBucketUsage']>;
  engine: StorageEngine;
  s3: S3Handler;
  endpoint: S3Endpoint;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Object storage: the service, and the dedicated S3 listener (server.ts starts it). */
    storage: Storage;
  }
}

/** What storage needs beyond the shared dependencies: the vault's master key for SSE-S3 data keys. */
export type StorageDeps = ModuleDeps & { keyWrap: KeyWrapPort };

/** Wire the storage module's parts from the shared dependencies. */
export function createStorage(deps: StorageDeps): Storage {
  const { config, db, logger, clock, audit, iam } = deps;
  const repo = new StorageRepository(db.kysely);
  const engine = new StorageEngine({
    dataDir: config.dataDir,
    logger,
    zfs: config.s3ZfsParent
      ? { agent: new ZfsAgent(new LocalExecutor(), { timeoutMs: 60_000 }), parent: config.s3ZfsParent }
      : null,
  });
  const sse = new SseKeys(db.kysely, deps.keyWrap, () => clock.now().toISOString());
  engine.onBlobRemoved = (bucketId, blob) => sse.forget(bucketId, blob);
  deps.keyWrap.onRotate((port) => sse.rewrap(port));
  const service = new StorageService({
    db,
    repo,
    engine,
    audit,
    clock,
    logger,
    region: config.s3Region,
    uploadExpiryDays: config.s3UploadExpiryDays,
    masterKey: config.masterKey,
    sse,
  });
  const s3 = new S3Handler({
    service,
    resolveAccessKey: (id) => deps.authenticator.resolveAccessKey(id),
    markAccessKeyUsed: (id) => deps.authenticator.markAccessKeyUsed(id),
    findUser: async (id): Promise<S3User | null> => {
      try {
        const u = await iam.users.get(systemActor, id);
        return { id: u.id, username: u.username, role: u.role, status: u.status };
      } catch {
        return null;
      }
    },
    masterKey: config.masterKey,
    audit,
    clock,
    logger,
    region: config.s3Region,
    domain: config.s3Domain,
    trustProxy: compileTrust(config.trustProxy),
    keyCacheMs: config.auth.principalCacheMs,
  });
  return {
    service,
    engine,
    s3,
    endpoint: new S3Endpoint(s3.handle, logger),
    bucketUsage: () => repo.allBucketUsage(),
  };
}

export const storageModule: ServerModule<StorageDeps, Storage> = {
  name: 'storage',
  prefix: '',
  tags: [{ name: 'storage', description: 'S3-compatible object storage: buckets, objects, presigned URLs' }],
  migrations: storageMigrations,
  async register(app, deps) {
    const storage = createStorage(deps);
    for (const schema of [
      ...storageSharedSchemas,
      ...versionSchemas,
      ...lifecycleSchemas,
      ...objectLockSchemas,
      ...accessSchemas,
      ...encryptionSchemas,
    ])
      app.addSchema(schema);
    await app.register(async (scope) => storageRoutes(scope, storage.service), { prefix: '/api/v1' });
    await app.register(async (scope) => versionRoutes(scope, storage.service), { prefix: '/api/v1' });
    await app.register(async (scope) => lifecycleRoutes(scope, storage.service), { prefix: '/api/v1' });
    await app.register(async (scope) => objectLockRoutes(scope, storage.service), { prefix: '/api/v1' });
    await app.register(async (scope) => accessRoutes(scope, storage.service), { prefix: '/api/v1' });
    await app.register(async (scope) => encryptionRoutes(scope, storage.service), { prefix: '/api/v1' });
    // `/s3/…` on the main port: the same handler as the dedicated S3 port, ahead of Fastify.
    deps.rawMounts.mount('/s3', storage.s3.handle);
    app.decorate('storage', storage);
    app.addHook('onClose', async () => {
      await storage.endpoint.close();
    });
    registerStorageJobs(deps.jobs, storage.service, deps.logger);
    deps.ownership.register({
      resourceType: 'buckets',
      count: (userId, db) => new StorageRepository(db).countOwnedBuckets(userId),
      reassign: (from, to, db) => new StorageRepository(db).reassignOwner(from, to),
    });
    return storage;
  },
};
