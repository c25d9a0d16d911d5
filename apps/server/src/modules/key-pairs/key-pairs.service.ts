import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { KeyPairRow, KeyPairsRepository } from './key-pairs.repository.ts';
import { generateKeyPair, KeyFormatError, type PublicKeyInfo, parsePublicKey } from './key-pairs.ssh.ts';

export interface KeyPair {
  id: string;
  name: string;
  ownerId: string;
  algorithm: 'ed25519' | 'rsa' | 'ecdsa';
  bits: number;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

export interface CreatedKeyPair {
  keyPair: KeyPair;
  privateKey: string;
  privateKeyFormat: 'openssh' | 'pem';
}

export const MAX_KEY_PAIRS_PER_USER = 100;

export function toKeyPair(row: KeyPairRow): KeyPair {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    algorithm: row.algorithm,
    bits: Number(row.bits),
    publicKey: row.public_key,
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
  };
}

export interface KeyPairsServiceDeps {
  db: Database;
  repo: KeyPairsRepository;
  audit: AuditService;
  clock: Clock;
  bus: EventBus;
}

export class KeyPairsService {
  constructor(private readonly deps: KeyPairsServiceDeps) {}

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<KeyPair>> {
    authorize(actor, 'key_pairs', 'read');
    const { rows, total } = await this.deps.repo.list(actor, q, page);
    return { items: rows.map(toKeyPair), total, ...page };
  }

  async get(actor: Actor, id: string): Promise<KeyPair> {
    authorize(actor, 'key_pairs', 'read');
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Key pair', id);
    return toKeyPair(row);
  }

  /** Public keys of the owner's key pairs, in the order given; 422 names unknown ids. */
  async publicKeysFor(ownerId: string, ids: readonly string[]): Promise<KeyPair[]> {
    const rows = await this.deps.repo.findOwned(ownerId, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new ValidationError(
        `Unknown key pair(s): ${missing.join(', ')}`,
        { field: 'keyPairIds', missing },
        'unknown_key_pair',
      );
    }
    return ids.map((id) => toKeyPair(byId.get(id)!));
  }

  async generate(
    ctx: AuthenticatedContext,
    name: string,
    algorithm: 'ed25519' | 'rsa',
  ): Promise<CreatedKeyPair> {
    authorize(ctx.actor, 'key_pairs', 'create');
    await this.assertNameFree(ctx.actor.id, name);
    const generated = await generateKeyPair(algorithm, `${name}@proxicloud`);
    const keyPair = await this.store(ctx, name, generated, 'key_pairs.create');
    return { keyPair, privateKey: generated.privateKey, privateKeyFormat: generated.privateKeyFormat };
  }

  async import(ctx: AuthenticatedContext, name: string, publicKey: string): Promise<KeyPair> {
    authorize(ctx.actor, 'key_pairs', 'create');
    let parsed: PublicKeyInfo;
    try {
      parsed = parsePublicKey(publicKey);
    } catch (e) {
      if (e instanceof KeyFormatError)
        throw new ValidationError(e.message, { field: 'publicKey' }, 'invalid_public_key');
      throw e;
    }
    return this.store(ctx, name, parsed, 'key_pairs.import');
  }

  private async assertNameFree(ownerId: string, name: string): Promise<void> {
    if (await this.deps.repo.findByName(ownerId, name))
      throw new ConflictError(`You already have a key pair named '${name}'`);
  }

  private async store(
    ctx: AuthenticatedContext,
    name: string,
    key: PublicKeyInfo,
    action: string,
  ): Promise<KeyPair> {
    const row: KeyPairRow = {
      id: newId('key'),
      owner_id: ctx.actor.id,
      name,
      algorithm: key.algorithm,
      bits: key.bits,
      public_key: key.publicKey,
      fingerprint: key.fingerprint,
      created_at: iso(this.deps.clock.now()),
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.findByName(ctx.actor.id, name))
        throw new ConflictError(`You already have a key pair named '${name}'`);
      if ((await repo.countOwned(ctx.actor.id)) >= MAX_KEY_PAIRS_PER_USER)
        throw new ConflictError(`You already have ${MAX_KEY_PAIRS_PER_USER} key pairs; delete one first`);
      await repo.insert(row);
      await this.deps.audit.record(
        ctx,
        {
          action,
          resourceType: 'key_pair',
          resourceId: row.id,
          details: { name, algorithm: key.algorithm, bits: key.bits, fingerprint: key.fingerprint },
        },
        trx,
      );
    });
    ctx.resourceId = row.id;
    const view = toKeyPair(row);
    this.deps.bus.publish({
      type: 'key_pair.created',
      resource: 'key_pair',
      resourceId: row.id,
      ownerId: row.owner_id,
      data: view,
    });
    return view;
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'key_pairs', 'delete');
    let owner = '';
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const row = await repo.findScoped(ctx.actor, id);
      if (!row) throw new NotFoundError('Key pair', id);
      owner = row.owner_id;
      await repo.delete(id);
      await this.deps.audit.record(
        ctx,
        {
          action: 'key_pairs.delete',
          resourceType: 'key_pair',
          resourceId: id,
          details: { name: row.name, fingerprint: row.fingerprint },
        },
        trx,
      );
    });
    this.deps.bus.publish({
      type: 'key_pair.deleted',
      resource: 'key_pair',
      resourceId: id,
      ownerId: owner,
      data: { id },
    });
  }
}
