import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type Page, pageOf } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface SecretsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  /** JSON object of string tags. */
  tags: string;
  current_version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  purge_at: string | null;
}

export interface SecretVersionsTable {
  secret_id: string;
  version: number;
  encoding: 'text' | 'base64' | 'json';
  size_bytes: number;
  ciphertext: string;
  wrapped_key: string;
  kek_id: string;
  created_at: string;
  created_by: string | null;
}

export interface SecretGrantsTable {
  secret_id: string;
  /** `user:ID`, `role:NAME`, `instance:ID` or `function:ID`. */
  principal: string;
  access: 'read' | 'manage';
  created_at: string;
}

export interface SecretEnvRefsTable {
  /** `instance:ID` or `function:ID`. */
  consumer: string;
  env_name: string;
  /** A secret name (in the owner's namespace) or a secret id. */
  secret_ref: string;
  owner_id: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    secrets: SecretsTable;
    secret_versions: SecretVersionsTable;
    secret_grants: SecretGrantsTable;
    secret_env_refs: SecretEnvRefsTable;
  }
}

export type SecretRow = Selectable<SecretsTable>;
export type SecretVersionRow = Selectable<SecretVersionsTable>;
export type SecretGrantRow = Selectable<SecretGrantsTable>;

/** Principals an actor matches in grants. */
export function principalsOf(actor: Pick<Actor, 'id' | 'role'>): string[] {
  return [`user:${actor.id}`, `role:${actor.role}`];
}

export interface SecretListFilter {
  q?: string | undefined;
  prefix?: string | undefined;
  includeDeleted?: boolean;
}

export class SecretsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): SecretsRepository {
    return new SecretsRepository(trx);
  }

  /** Secrets the actor may see: admins all, others their own plus those granted to them. */
  async list(
    actor: Actor,
    filter: SecretListFilter,
    page: Page,
  ): Promise<{ rows: SecretRow[]; total: number }> {
    let query = this.db.selectFrom('secrets');
    if (!isAdmin(actor)) {
      const principals = principalsOf(actor);
      query = query.where((eb) =>
        eb.or([
          eb('owner_id', '=', actor.id),
          eb(
            'id',
            'in',
            eb.selectFrom('secret_grants').select('secret_id').where('principal', 'in', principals),
          ),
        ]),
      );
    }
    if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
    if (filter.q) query = query.where(sql<boolean>`name like ${likeContains(filter.q)} escape '\\'`);
    if (filter.prefix) {
      const escaped = filter.prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
      query = query.where(sql<boolean>`name like ${`${escaped}%`} escape '\\'`);
    }
    return pageOf<SecretRow>(query, page, [['name'], ['id']]);
  }

  findById(id: string): Promise<SecretRow | undefined> {
    return this.db.selectFrom('secrets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(ownerId: string, name: string): Promise<SecretRow | undefined> {
    return this.db
      .selectFrom('secrets')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: SecretRow): Promise<void> {
    await this.db.insertInto('secrets').values(row).execute();
  }

  async update(id: string, set: Partial<Omit<SecretRow, 'id'>>): Promise<void> {
    await this.db.updateTable('secrets').set(set).where('id', '=', id).execute();
  }

  /** Compare-and-set the current version (concurrent PUTs: exactly one wins). */
  async bumpVersion(id: string, from: number, to: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('secrets')
      .set({ current_version: to, updated_at: at })
      .where('id', '=', id)
      .where('current_version', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('secret_grants').where('secret_id', '=', id).execute();
    await this.db.deleteFrom('secret_versions').where('secret_id', '=', id).execute();
    await this.db.deleteFrom('secrets').where('id', '=', id).execute();
  }

  async insertVersion(row: SecretVersionRow): Promise<void> {
    await this.db.insertInto('secret_versions').values(row).execute();
  }

  findVersion(secretId: string, version: number): Promise<SecretVersionRow | undefined> {
    return this.db
      .selectFrom('secret_versions')
      .selectAll()
      .where('secret_id', '=', secretId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  listVersions(secretId: string): Promise<SecretVersionRow[]> {
    return this.db
      .selectFrom('secret_versions')
      .selectAll()
      .where('secret_id', '=', secretId)
      .orderBy('version', 'desc')
      .execute();
  }

  /** Versions whose data key is wrapped by another master key than `kekId` (rotation). */
  versionsNotWrappedBy(kekId: string, limit: number): Promise<SecretVersionRow[]> {
    return this.db
      .selectFrom('secret_versions')
      .selectAll()
      .where('kek_id', '!=', kekId)
      .orderBy('secret_id')
      .orderBy('version')
      .limit(limit)
      .execute();
  }

  async rewrap(secretId: string, version: number, fromKek: string, wrappedKey: string, kekId: string) {
    await this.db
      .updateTable('secret_versions')
      .set({ wrapped_key: wrappedKey, kek_id: kekId })
      .where('secret_id', '=', secretId)
      .where('version', '=', version)
      .where('kek_id', '=', fromKek)
      .execute();
  }

  async countVersions(): Promise<number> {
    const r = await this.db
      .selectFrom('secret_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return toCount(r?.n);
  }

  grants(secretId: string): Promise<SecretGrantRow[]> {
    return this.db
      .selectFrom('secret_grants')
      .selectAll()
      .where('secret_id', '=', secretId)
      .orderBy('principal')
      .execute();
  }

  async replaceGrants(secretId: string, grants: readonly SecretGrantRow[]): Promise<void> {
    await this.db.deleteFrom('secret_grants').where('secret_id', '=', secretId).execute();
    if (grants.length)
      await this.db
        .insertInto('secret_grants')
        .values([...grants])
        .execute();
  }

  async deleteGrantsFor(principal: string): Promise<void> {
    await this.db.deleteFrom('secret_grants').where('principal', '=', principal).execute();
  }

  /** Soft-deleted secrets whose recovery window ended. */
  purgeable(now: string, limit: number): Promise<SecretRow[]> {
    return this.db
      .selectFrom('secrets')
      .selectAll()
      .where('purge_at', 'is not', null)
      .where('purge_at', '<=', now)
      .limit(limit)
      .execute();
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('secrets')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return toCount(r?.n);
  }

  /** Reassign on user deletion; a clashing name gets the secret id appended. */
  async reassign(from: string, to: string): Promise<void> {
    const rows = await this.db.selectFrom('secrets').selectAll().where('owner_id', '=', from).execute();
    for (const row of rows) {
      const clash = await this.findByName(to, row.name);
      await this.db
        .updateTable('secrets')
        .set({ owner_id: to, ...(clash ? { name: `${row.name}-${row.id}` } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
    await this.db.updateTable('secret_env_refs').set({ owner_id: to }).where('owner_id', '=', from).execute();
    await this.deleteGrantsFor(`user:${from}`);
  }

  // --- secretEnv references of consumers (instances, functions) ---

  envRefs(consumer: string): Promise<{ env_name: string; secret_ref: string; owner_id: string }[]> {
    return this.db
      .selectFrom('secret_env_refs')
      .select(['env_name', 'secret_ref', 'owner_id'])
      .where('consumer', '=', consumer)
      .orderBy('env_name')
      .execute();
  }

  async setEnvRefs(consumer: string, ownerId: string, refs: Record<string, string>): Promise<void> {
    await this.db.deleteFrom('secret_env_refs').where('consumer', '=', consumer).execute();
    const rows = Object.entries(refs).map(([env_name, secret_ref]) => ({
      consumer,
      env_name,
      secret_ref,
      owner_id: ownerId,
    }));
    if (rows.length) await this.db.insertInto('secret_env_refs').values(rows).execute();
  }

  /** Consumers referencing a secret (by name in the owner's namespace, or by id). */
  consumersOf(ownerId: string, name: string, id: string): Promise<{ consumer: string; env_name: string }[]> {
    return this.db
      .selectFrom('secret_env_refs')
      .select(['consumer', 'env_name'])
      .where((eb) =>
        eb.or([
          eb.and([eb('owner_id', '=', ownerId), eb('secret_ref', '=', name)]),
          eb('secret_ref', '=', id),
        ]),
      )
      .orderBy('consumer')
      .execute();
  }
}
