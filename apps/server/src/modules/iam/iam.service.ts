import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import { createSecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import { AccessKeysService } from './iam.access-keys.service.ts';
import { AuthService } from './iam.auth.service.ts';
import { Authenticator } from './iam.authenticator.ts';
import { type BootstrapOutcome, bootstrapAdmin } from './iam.bootstrap.ts';
import { OwnershipRegistry } from './iam.ownership.ts';
import { DummyHash } from './iam.passwords.ts';
import { FailureWindow } from './iam.ratelimit.ts';
import { IamRepository } from './iam.repository.ts';
import { TokenSigner } from './iam.tokens.ts';
import { UsersService } from './iam.users.service.ts';

export interface IamDeps {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
}

/** The IAM services wired together (built once per app by buildApp). */
export interface Iam {
  repo: IamRepository;
  authenticator: Authenticator;
  auth: AuthService;
  users: UsersService;
  accessKeys: AccessKeysService;
  ownership: OwnershipRegistry;
  bootstrap(): Promise<BootstrapOutcome>;
}

export function createIam(deps: IamDeps): Iam {
  const { config, db, clock, logger, audit } = deps;
  const a = config.auth;
  const repo = new IamRepository(db.kysely);
  const box = createSecretBox(config.masterKey);
  const signer = new TokenSigner(config.jwtSecret, a.accessTokenTtlSeconds, clock);
  const authenticator = new Authenticator(repo, signer, box, clock, a.principalCacheMs);
  const ownership = new OwnershipRegistry();
  const auth = new AuthService({
    db,
    repo,
    clock,
    audit,
    authenticator,
    signer,
    dummyHash: new DummyHash(a.bcryptCost),
    ipFailures: new FailureWindow(db.kysely, a.ipMaxFailures, a.ipWindowSeconds * 1000),
    bcryptCost: a.bcryptCost,
    refreshTtlSeconds: a.refreshTokenTtlSeconds,
    lockoutThreshold: a.lockoutThreshold,
    lockoutSeconds: a.lockoutSeconds,
    dataDir: config.dataDir,
  });
  const users = new UsersService({
    db,
    repo,
    clock,
    audit,
    authenticator,
    ownership,
    bcryptCost: a.bcryptCost,
    dataDir: config.dataDir,
  });
  const accessKeys = new AccessKeysService({ db, repo, clock, audit, authenticator, box });
  return {
    repo,
    authenticator,
    auth,
    users,
    accessKeys,
    ownership,
    bootstrap: () =>
      bootstrapAdmin({
        db,
        repo,
        clock,
        logger,
        audit,
        adminPassword: config.adminPassword,
        bcryptCost: a.bcryptCost,
        dataDir: config.dataDir,
      }),
  };
}
