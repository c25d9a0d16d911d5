/**
 * Break-glass administration on the server host, without the API: `proxicloud admin unlock <user>`.
 * Opens the server's own database with the server's own configuration (the same environment
 * variables and config file resolution as `npm start`), so it works while every admin is locked out.
 */
import { existsSync } from 'node:fs';
import { AuditService } from './modules/audit/index.ts';
import { IamRepository } from './modules/iam/index.ts';
import { systemClock } from './platform/clock.ts';
import { type Config, describeConfig, type LoadConfigOptions, loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/database.ts';
import { createLogger } from './platform/logger.ts';

/** A break-glass command could not do its work (no database, no such user); message is for people. */
export class AdminCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminCommandError';
  }
}

export interface UnlockUserOptions extends LoadConfigOptions {
  /** A configuration already loaded (tests); else loadConfig(options). */
  config?: Config;
  /** Who ran it, for the audit entry (default: the OS user). */
  operator?: string;
}

export interface UnlockUserResult {
  userId: string;
  username: string;
  /** Lockout records removed (one per source address that was counting or locked). */
  clearedLockouts: number;
  database: Record<string, unknown>;
}

/**
 * Clear every login lockout of `username` (all source addresses) and write an `auth.unlock`
 * audit entry. Throws ConfigError for a bad configuration and AdminCommandError when the database has
 * no such user (or no database is at the configured place).
 */
export async function unlockUser(
  username: string,
  options: UnlockUserOptions = {},
): Promise<UnlockUserResult> {
  const config = options.config ?? loadConfig(options);
  const where = describeConfig(config).database as Record<string, unknown>;
  if (config.database.kind === 'sqlite' && config.database.sqlitePath !== ':memory:') {
    if (!existsSync(config.database.sqlitePath)) {
      throw new AdminCommandError(
        `No ProxiCloud database at ${config.database.sqlitePath}: set PROXICLOUD_DATA_DIR (or the config file) as the server has it`,
      );
    }
  }
  const name = username.trim().toLowerCase();
  const db = openDatabase(config.database, { poolSize: 1 });
  try {
    const repo = new IamRepository(db.kysely);
    const user = await repo.findUserByUsername(name).catch((err: Error) => {
      throw new AdminCommandError(
        `The database has no ProxiCloud users table (${err.message}); is it the right one?`,
      );
    });
    if (!user) throw new AdminCommandError(`No user named "${name}"`);
    const clearedLockouts = await repo.clearLockout(user.username);
    const audit = new AuditService({ db, clock: systemClock, logger: createLogger('silent') });
    const operator = options.operator ?? process.env.SUDO_USER ?? process.env.USER ?? 'unknown';
    await audit.record(
      {
        actor: null,
        ip: '127.0.0.1',
        requestId: 'cli-admin-unlock',
        userAgent: 'proxicloud admin unlock',
        audited: false,
      },
      {
        action: 'auth.unlock',
        resourceType: 'user',
        resourceId: user.id,
        details: { clearedLockouts, via: 'proxicloud admin unlock', hostUser: operator },
        user: { id: null, username: 'system' },
      },
    );
    return { userId: user.id, username: user.username, clearedLockouts, database: where };
  } finally {
    await db.close();
  }
}
