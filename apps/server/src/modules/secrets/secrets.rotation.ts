/**
 * Master-key rotation without downtime. Steps, each safe to interrupt:
 *  1. generate a new key; write the key file as [new, old…] (atomic rename) and make the new key
 *     the keyring's primary — new versions are wrapped by it from here on, old rows still unwrap;
 *  2. re-wrap every version's data key under the new key, in batches (each row is a compare-and-
 *     set on its old kek id; values are never re-encrypted, so no plaintext is handled beyond the
 *     32-byte data key in memory);
 *  3. rewrite the key file with the new key only and drop the old key from memory.
 * A crash after 1 leaves a file with both keys; the next start finishes steps 2–3 (`resume`).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { AuditService } from '../audit/index.ts';
import { authorize } from '../iam/index.ts';
import { rewrapKey } from './secrets.crypto.ts';
import { type LoadedMasterKey, writeMasterKeyFile } from './secrets.keyfile.ts';
import type { KeyWrapPortImpl } from './secrets.keywrap.ts';
import type { SecretsRepository } from './secrets.repository.ts';

/** A server whose heartbeat is older than this is gone (membership's TTL is 30 s). */
const CLUSTER_LIVE_MS = 60_000;

export interface RotationResult {
  kekId: string;
  previousKekIds: string[];
  rewrapped: number;
}

export class MasterKeyRotation {
  private readonly mutex = new Mutex();

  constructor(
    private readonly deps: {
      db: Database;
      repo: SecretsRepository;
      audit: AuditService;
      logger: Logger;
      master: LoadedMasterKey;
      clock: Clock;
      /** Called before the old key is dropped (the injection cache may hold nothing stale). */
      onRotated?: () => void;
      /** Other modules' data keys (object storage SSE-S3): re-wrapped with the secrets' rows. */
      keyWrap?: KeyWrapPortImpl;
    },
  ) {}

  async rotate(ctx: AuthenticatedContext): Promise<RotationResult> {
    authorize(ctx.actor, 'secrets', 'rotate_key');
    const { master } = this.deps;
    if (!master.file)
      throw new ConflictError(
        'The secrets master key comes from PROXICLOUD_SECRETS_MASTER_KEY; rotate it by using a key file ' +
          '(PROXICLOUD_SECRETS_MASTER_KEY_FILE) instead',
        {},
        'master_key_from_env',
      );
    await this.refuseWithOtherServers();
    return this.mutex.run(async () => {
      const previous = master.keyring.kekIds;
      const oldKeys = previous.map((id) => master.keyring.key(id));
      const fresh = randomBytes(32);
      writeMasterKeyFile(master.file!, [fresh, ...oldKeys]);
      master.keyring.promote(fresh);
      const rewrapped = await this.rewrapAll();
      writeMasterKeyFile(master.file!, [fresh]);
      master.keyring.dropOlder();
      this.deps.onRotated?.();
      const result = { kekId: master.keyring.primaryKekId, previousKekIds: previous, rewrapped };
      await this.deps.audit.record(ctx, {
        action: 'secrets.rotate_master_key',
        resourceType: 'secret',
        details: { ...result },
      });
      return result;
    });
  }

  /**
   * Each server holds its master key in memory: with other servers on the same (PostgreSQL)
   * database, they would go on unwrapping with the old key (reads fail once rows are re-wrapped) and
   * wrapping new versions with it (unreadable here once the old key is dropped). Refused until they
   * are stopped; the new key file is then copied to them before they start again (docs/secrets.md).
   */
  private async refuseWithOtherServers(): Promise<void> {
    const cutoff = new Date(this.deps.clock.now().getTime() - CLUSTER_LIVE_MS).toISOString();
    const rows = await this.deps.db.kysely
      .selectFrom('cluster_servers')
      .select(['hostname', 'pid'])
      .where('heartbeat_at', '>', cutoff)
      .execute();
    const others = rows.filter((r) => !(r.hostname === hostname() && Number(r.pid) === process.pid));
    if (others.length)
      throw new ConflictError(
        `Other ProxiCloud servers share this database (${others.map((o) => `${o.hostname} pid ${o.pid}`).join(', ')}); ` +
          'they hold the current master key in memory. Stop them, rotate here, copy the new key file to them, then start them.',
        { servers: others.map((o) => o.hostname) },
        'cluster_rotation_unsupported',
      );
  }

  /** On start: finish a rotation that was interrupted (the key file still lists older keys). */
  async resume(): Promise<number> {
    const { master } = this.deps;
    if (!master.file || master.keyring.kekIds.length < 2) return 0;
    return this.mutex.run(async () => {
      const n = await this.rewrapAll();
      writeMasterKeyFile(master.file!, [master.keyring.primaryKey()]);
      master.keyring.dropOlder();
      this.deps.logger.info({ rewrapped: n }, 'secrets: finished an interrupted master-key rotation');
      return n;
    });
  }

  /** Secret versions, then every other module's data keys (the count covers both). */
  private async rewrapAll(): Promise<number> {
    const n = await this.rewrapSecrets();
    return n + ((await this.deps.keyWrap?.rewrapOthers()) ?? 0);
  }

  private async rewrapSecrets(): Promise<number> {
    const keyring = this.deps.master.keyring;
    let total = 0;
    for (;;) {
      const batch = await this.deps.repo.versionsNotWrappedBy(keyring.primaryKekId, 200);
      if (batch.length === 0) return total;
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        for (const v of batch) {
          const next = rewrapKey(keyring, v.secret_id, Number(v.version), {
            wrappedKey: v.wrapped_key,
            kekId: v.kek_id,
          });
          await repo.rewrap(v.secret_id, Number(v.version), v.kek_id, next.wrappedKey, next.kekId);
        }
      });
      total += batch.length;
    }
  }
}
