import { type Clock, iso } from '../../platform/clock.ts';
import { newId, randomString } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import { writeInitialPassword } from './iam.initial-password.ts';
import { hashPassword } from './iam.passwords.ts';
import type { IamRepository } from './iam.repository.ts';

export const BOOTSTRAP_SETTING = 'iam.bootstrap_admin_at';

export interface BootstrapDeps {
  db: Database;
  repo: IamRepository;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  adminPassword: string | null;
  bcryptCost: number;
  /** Where a generated password is also written (`initial-admin-password`, 0600). */
  dataDir: string;
}

export type BootstrapOutcome =
  | 'created-with-configured-password'
  | 'created-with-generated-password'
  | 'skipped';

/**
 * First run only: create `admin` with PROXICLOUD_ADMIN_PASSWORD, or with a generated password
 * printed ONCE in a banner and kept in `<dataDir>/initial-admin-password` (0600) until it is
 * changed. A settings row records that bootstrap happened, so it never runs
 * again (not even if every user is later removed).
 */
export async function bootstrapAdmin(deps: BootstrapDeps): Promise<BootstrapOutcome> {
  const { repo } = deps;
  if ((await repo.getSetting(BOOTSTRAP_SETTING)) !== null) {
    if (deps.adminPassword) {
      deps.logger.info(
        'PROXICLOUD_ADMIN_PASSWORD is only used on first run; ignoring it (admin already exists)',
      );
    }
    return 'skipped';
  }
  const now = iso(deps.clock.now());
  if ((await repo.countUsers()) > 0) {
    await repo.putSetting(BOOTSTRAP_SETTING, now, now);
    return 'skipped';
  }
  const generated = deps.adminPassword === null;
  const password = deps.adminPassword ?? randomString(24);
  const passwordHash = await hashPassword(password, deps.bcryptCost);
  const id = newId('usr');
  const created = await deps.db.kysely.transaction().execute(async (trx) => {
    const r = repo.with(trx);
    // Another process may have won the race between our checks and this transaction.
    if ((await r.getSetting(BOOTSTRAP_SETTING)) !== null || (await r.countUsers()) > 0) return false;
    await r.insertUser({
      id,
      username: 'admin',
      full_name: 'Administrator',
      password_hash: passwordHash,
      role: 'admin',
      status: 'active',
      created_at: now,
      updated_at: now,
      last_login_at: null,
      password_changed_at: now,
    });
    await r.putSetting(BOOTSTRAP_SETTING, now, now);
    await deps.audit.record(
      systemContext(systemActor, 'bootstrap'),
      {
        action: 'users.bootstrap',
        resourceType: 'user',
        resourceId: id,
        details: { username: 'admin', passwordSource: generated ? 'generated' : 'PROXICLOUD_ADMIN_PASSWORD' },
        user: { id: null, username: 'system' },
      },
      trx,
    );
    return true;
  });
  if (!created) return 'skipped';
  if (generated) {
    const line = '='.repeat(72);
    const file = writeInitialPassword(deps.dataDir, password);
    const where = file ? `  It is also in ${file} (readable only by this user) until you change it.\n` : '';
    deps.logger.warn(
      file ? { initialAdminPasswordFile: file } : {},
      `\n${line}\n  ProxiCloud first run: created user "admin"\n  Generated password: ${password}\n` +
        where +
        `  This password is shown ONCE. Log in and change it (PUT /api/v1/auth/password).\n${line}`,
    );
    return 'created-with-generated-password';
  }
  deps.logger.info('first run: created user "admin" with the password from PROXICLOUD_ADMIN_PASSWORD');
  return 'created-with-configured-password';
}
