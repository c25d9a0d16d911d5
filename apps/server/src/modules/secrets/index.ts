/** Secrets vault: encrypted, versioned key-value secrets with policies, audit and env injection. */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import { loadMasterKey } from './secrets.keyfile.ts';
import type { KeyWrapPortImpl } from './secrets.keywrap.ts';
import { secretsMigrations as migrations } from './secrets.migrations.ts';
import { SecretsPortImpl } from './secrets.port.ts';
import { SecretsRepository } from './secrets.repository.ts';
import { MasterKeyRotation } from './secrets.rotation.ts';
import { secretsRoutes } from './secrets.routes.ts';
import { SecretsService } from './secrets.service.ts';

export { MasterKeyError } from './secrets.keyfile.ts';
export { type KeyWrapPort, KeyWrapPortImpl, type WrappedKey } from './secrets.keywrap.ts';
export {
  type InjectedSecret,
  RESOLVE_CACHE_MS,
  type ResolvedSecretEnv,
  type SecretConsumer,
  type SecretEnv,
  type SecretEnvRef,
  type SecretsPort,
} from './secrets.port.ts';
export type { Secret, SecretsService } from './secrets.service.ts';

export interface SecretsExports {
  service: SecretsService;
  port: SecretsPortImpl;
  rotation: MasterKeyRotation;
}

export const secretsModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'bus' | 'ownership' | 'config' | 'logger' | 'jobs'> & {
    /** The master key for other modules' data keys (object storage SSE-S3): bound here. */
    keyWrap: KeyWrapPortImpl;
  },
  SecretsExports
> = {
  name: 'secrets',
  tags: [
    { name: 'secrets', description: 'Encrypted, versioned secrets; values only on explicit, audited reads' },
  ],
  migrations,
  async register(app, deps) {
    // Refuses to start (throws) when the key file is group/other-accessible or unreadable.
    const master = loadMasterKey(deps.config.secretsMasterKey);
    if (master.source === 'generated')
      deps.logger.info({ file: master.file }, 'secrets: created a new master key file (0600); back it up');
    deps.bus.registerResource('secret');
    const repo = new SecretsRepository(deps.db.kysely);
    const keyring = () => master.keyring;
    const port = new SecretsPortImpl({ repo, audit: deps.audit, clock: deps.clock, keyring });
    const service = new SecretsService({
      db: deps.db,
      repo,
      audit: deps.audit,
      clock: deps.clock,
      bus: deps.bus,
      keyring,
      onChange: () => port.invalidate(),
    });
    const keyWrap = deps.keyWrap;
    keyWrap.bind(keyring);
    const rotation = new MasterKeyRotation({
      db: deps.db,
      repo,
      audit: deps.audit,
      logger: deps.logger,
      master,
      clock: deps.clock,
      onRotated: () => port.invalidate(),
      keyWrap,
    });
    // modules mounted earlier (storage) registered their re-wrappers on keyWrap already
    await rotation.resume();
    await secretsRoutes(app, service, rotation);
    deps.jobs.register({
      name: 'secrets.purge',
      intervalMs: 60 * 60 * 1000,
      async run() {
        const n = await service.purgeExpired(systemContext(systemActor, 'job-secrets-purge'));
        if (n > 0) deps.logger.info({ purged: n }, 'secrets: removed secrets whose recovery window ended');
      },
    });
    deps.ownership.register({
      resourceType: 'secrets',
      count: (userId, k) => new SecretsRepository(k).countOwned(userId),
      reassign: (from, to, k) => new SecretsRepository(k).reassign(from, to),
    });
    return { service, port, rotation };
  },
};
