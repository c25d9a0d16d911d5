import type { Insertable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { type Executor, likeContains, toCount } from '../../platform/db/database.ts';
import { type Actor, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export interface KeyPairsTable {
  id: string;
  owner_id: string;
  name: string;
  algorithm: 'ed25519' | 'rsa' | 'ecdsa';
  bits: number;
  public_key: string;
  fingerprint: string;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    key_pairs: KeyPairsTable;
  }
}

export type KeyPairRow = Selectable<KeyPairsTable>;

export class KeyPairsRepository {
  constructor(readonly db: Executor) {}

  with(trx: Kysely<Tables>): KeyPairsRepository {
    return new KeyPairsRepository(trx);
  }

  async list(
    actor: Actor,
    q: string | undefined,
    page: Page,
  ): Promise<{ rows: KeyPairRow[]; total: number }> {
    let query = scope(this.db.selectFrom('key_pairs'), actor);
    if (q) query = query.where(sql<boolean>`name like ${likeContains(q)} escape '\\'`);
    return pageOf<KeyPairRow>(query, page, [['name'], ['id']]);
  }

  findScoped(actor: Actor, id: string): Promise<KeyPairRow | undefined> {
    return scope(this.db.selectFrom('key_pairs').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  /** Key pairs by id that `ownerId` owns (launch: keys must be the instance owner's). */
  findOwned(ownerId: string, ids: readonly string[]): Promise<KeyPairRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('key_pairs')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('id', 'in', ids)
      .execute();
  }

  findByName(ownerId: string, name: string): Promise<KeyPairRow | undefined> {
    return this.db
      .selectFrom('key_pairs')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: Insertable<KeyPairsTable>): Promise<void> {
    await this.db.insertInto('key_pairs').values(row).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('key_pairs').where('id', '=', id).execute();
  }

  async countOwned(ownerId: string): Promise<number> {
    const r = await this.db
      .selectFrom('key_pairs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return toCount(r?.n);
  }

  /** Reassign on user deletion; a clashing name gets the key id appended. */
  async reassign(from: string, to: string): Promise<void> {
    const rows = await this.db.selectFrom('key_pairs').selectAll().where('owner_id', '=', from).execute();
    for (const row of rows) {
      const clash = await this.findByName(to, row.name);
      await this.db
        .updateTable('key_pairs')
        .set({ owner_id: to, ...(clash ? { name: `${row.name.slice(0, 40)}-${row.id}` } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
