import { type Clock, iso } from '../../platform/clock.ts';
import { randomBase32, randomString, type SecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { Authenticator } from './iam.authenticator.ts';
import { authorize } from './iam.permissions.ts';
import type { AccessKeyRow, IamRepository } from './iam.repository.ts';

export interface AccessKey {
  accessKeyId: string;
  userId: string;
  description: string;
  status: 'active' | 'inactive';
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedAccessKey extends AccessKey {
  /** Shown once, never again. */
  secretAccessKey: string;
}

export const MAX_ACTIVE_KEYS_PER_USER = 10;

function toAccessKey(row: AccessKeyRow): AccessKey {
  return {
    accessKeyId: row.id,
    userId: row.owner_id,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export interface AccessKeysServiceDeps {
  db: Database;
  repo: IamRepository;
  clock: Clock;
  audit: AuditService;
  authenticator: Authenticator;
  box: SecretBox;
}

/**
 * Personal access keys: `AKPC` + 16 base32 chars, with a 40-character secret. The secret is
 * stored encrypted (AES-256-GCM under the master key, bound to the key id) because the S3
 * endpoint must recompute SigV4 HMACs with the plaintext secret.
 */
export class AccessKeysService {
  constructor(private readonly deps: AccessKeysServiceDeps) {}

  /** The caller's keys; an admin may pass another userId. Owner scoping is in the repository. */
  async list(actor: Actor, userId: string | undefined, page: Page): Promise<ListResult<AccessKey>> {
    authorize(actor, 'access_keys', 'read');
    const { rows, total } = await this.deps.repo.listAccessKeys(actor, userId ?? actor.id, page);
    return { items: rows.map(toAccessKey), total, limit: page.limit, offset: page.offset };
  }

  async create(ctx: AuthenticatedContext, description: string): Promise<CreatedAccessKey> {
    authorize(ctx.actor, 'access_keys', 'create');
    const id = `AKPC${randomBase32(16)}`;
    const secret = randomString(40);
    const row: AccessKeyRow = {
      id,
      owner_id: ctx.actor.id,
      description,
      secret_enc: this.deps.box.seal(secret, id),
      status: 'active',
      created_at: iso(this.deps.clock.now()),
      last_used_at: null,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if ((await repo.countActiveAccessKeys(ctx.actor.id)) >= MAX_ACTIVE_KEYS_PER_USER) {
        throw new ConflictError(`You already have ${MAX_ACTIVE_KEYS_PER_USER} access keys; delete one first`);
      }
      await repo.insertAccessKey(row);
      await this.deps.audit.record(
        ctx,
        {
          action: 'access_keys.create',
          resourceType: 'access_key',
          resourceId: id,
          details: { description },
        },
        trx,
      );
    });
    ctx.resourceId = id;
    return { ...toAccessKey(row), secretAccessKey: secret };
  }

  async delete(ctx: AuthenticatedContext, accessKeyId: string): Promise<void> {
    authorize(ctx.actor, 'access_keys', 'delete');
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const row = await repo.findAccessKeyScoped(ctx.actor, accessKeyId);
      if (!row) throw new NotFoundError('Access key', accessKeyId);
      await repo.deleteAccessKeyScoped(ctx.actor, accessKeyId);
      await this.deps.audit.record(
        ctx,
        {
          action: 'access_keys.delete',
          resourceType: 'access_key',
          resourceId: accessKeyId,
          details: { ownerId: row.owner_id, description: row.description },
        },
        trx,
      );
    });
    this.deps.authenticator.invalidate();
  }
}
