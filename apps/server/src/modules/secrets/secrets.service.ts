/**
 * The vault: secrets with encrypted versions, soft delete, policies. Authorization, audit (in the
 * same transaction as each change; value reads audited too) and events live here; SQL in the
 * repository, cryptography in secrets.crypto.ts. Values never reach logs, errors, audit details
 * or events: only names, ids and version numbers do.
 */

import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { isUniqueViolation } from '../../platform/db/values.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import { type Keyring, openValue, sealValue } from './secrets.crypto.ts';
import {
  accessFor,
  checkSecretName,
  decodeValue,
  encodeValue,
  type GrantAccess,
  SECRET_ID,
  type SecretAccess,
  type SecretEncoding,
} from './secrets.policy.ts';
import type { SecretGrantRow, SecretListFilter, SecretRow, SecretsRepository } from './secrets.repository.ts';

export interface Secret {
  id: string;
  name: string;
  ownerId: string;
  description: string;
  tags: Record<string, string>;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  purgeAt: string | null;
  /** How the caller relates to the secret: owner, admin, or a grant (manage/read). */
  access: SecretAccess['relation'];
  /** Whether the caller may read the value (the console hides Reveal otherwise). */
  canReadValue: boolean;
  canManage: boolean;
}

export interface SecretValue {
  id: string;
  name: string;
  version: number;
  value: unknown;
  encoding: SecretEncoding;
  createdAt: string;
}

export interface SecretVersion {
  version: number;
  encoding: SecretEncoding;
  sizeBytes: number;
  createdAt: string;
  createdBy: string | null;
  current: boolean;
}

export interface SecretGrant {
  principal: string;
  access: GrantAccess;
}

export const DEFAULT_RECOVERY_DAYS = 7;
export const MAX_SECRETS_PER_USER = 1000;
export const MAX_GRANTS = 100;

export interface SecretsServiceDeps {
  db: Database;
  repo: SecretsRepository;
  audit: AuditService;
  clock: Clock;
  bus: EventBus;
  /** The current keyring (rotation swaps its primary in place). */
  keyring: () => Keyring;
  /** Called after every change to a secret (the injection cache forgets resolved values). */
  onChange?: () => void;
}

function toSecret(row: SecretRow, access: SecretAccess): Secret {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    description: row.description,
    tags: JSON.parse(row.tags) as Record<string, string>,
    currentVersion: Number(row.current_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    purgeAt: row.purge_at,
    access: access.relation,
    canReadValue: access.readValue,
    canManage: access.write,
  };
}

export class SecretsService {
  constructor(private readonly deps: SecretsServiceDeps) {}

  /** Secret by name (the caller's own namespace) or by id (`sec-…`, e.g. one shared with the caller). */
  async find(
    actor: Actor,
    ref: string,
    repo: SecretsRepository = this.deps.repo,
  ): Promise<{ row: SecretRow; grants: SecretGrantRow[]; access: SecretAccess }> {
    const row = SECRET_ID.test(ref) ? await repo.findById(ref) : await repo.findByName(actor.id, ref);
    if (!row) throw new NotFoundError('Secret', ref);
    const grants = await repo.grants(row.id);
    const access = accessFor(actor, row, grants);
    if (!access.visible) throw new NotFoundError('Secret', ref);
    return { row, grants, access };
  }

  private live(row: SecretRow): void {
    if (row.deleted_at)
      throw new ConflictError(
        `Secret '${row.name}' is scheduled for deletion at ${row.purge_at}; restore it first`,
        { purgeAt: row.purge_at },
        'secret_deleted',
      );
  }

  async list(actor: Actor, filter: SecretListFilter, page: Page): Promise<ListResult<Secret>> {
    authorize(actor, 'secrets', 'read');
    const { rows, total } = await this.deps.repo.list(actor, filter, page);
    const items: Secret[] = [];
    for (const row of rows)
      items.push(toSecret(row, accessFor(actor, row, await this.deps.repo.grants(row.id))));
    return { items, total, ...page };
  }

  async describe(actor: Actor, ref: string): Promise<Secret> {
    authorize(actor, 'secrets', 'read');
    const { row, access } = await this.find(actor, ref);
    return toSecret(row, access);
  }

  async create(
    ctx: AuthenticatedContext,
    input: {
      name: string;
      value: unknown;
      encoding?: SecretEncoding | undefined;
      description?: string | undefined;
      tags?: Record<string, string> | undefined;
    },
  ): Promise<Secret> {
    authorize(ctx.actor, 'secrets', 'create');
    checkSecretName(input.name);
    const { bytes, encoding } = encodeValue(input.value, input.encoding);
    const now = iso(this.deps.clock.now());
    const row: SecretRow = {
      id: newId('sec'),
      owner_id: ctx.actor.id,
      name: input.name,
      description: input.description ?? '',
      tags: JSON.stringify(input.tags ?? {}),
      current_version: 1,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      purge_at: null,
    };
    try {
      await this.tx(async (repo, trx) => {
        const existing = await repo.findByName(ctx.actor.id, input.name);
        if (existing?.deleted_at)
          throw new ConflictError(
            `Secret '${input.name}' is scheduled for deletion at ${existing.purge_at}; restore it or delete it with force=true first`,
            { id: existing.id, purgeAt: existing.purge_at },
            'secret_deleted',
          );
        if (existing)
          throw new ConflictError(`You already have a secret named '${input.name}'`, { id: existing.id });
        if ((await repo.countOwned(ctx.actor.id)) >= MAX_SECRETS_PER_USER)
          throw new ConflictError(`You already have ${MAX_SECRETS_PER_USER} secrets; delete one first`);
        await repo.insert(row);
        await this.storeVersion(repo, row.id, 1, bytes, encoding, ctx.actor.id, now);
        await this.deps.audit.record(
          ctx,
          {
            action: 'secrets.create',
            resourceType: 'secret',
            resourceId: row.id,
            details: { name: row.name, version: 1, encoding, sizeBytes: bytes.length },
          },
          trx,
        );
      });
    } finally {
      bytes.fill(0);
    }
    ctx.resourceId = row.id;
    return this.changed(row, ctx.actor, 'created');
  }

  async getValue(ctx: AuthenticatedContext, ref: string, version?: number): Promise<SecretValue> {
    authorize(ctx.actor, 'secrets', 'read');
    const { row, access } = await this.find(ctx.actor, ref);
    if (!access.readValue)
      throw new ForbiddenError(
        `Your role (${ctx.actor.role}) may see this secret's name but not its value; ask its owner for a read grant`,
        'secret_value_forbidden',
      );
    this.live(row);
    const v = version ?? Number(row.current_version);
    const ver = await this.deps.repo.findVersion(row.id, v);
    if (!ver) throw new NotFoundError(`Version ${v} of secret`, row.name);
    const bytes = openValue(this.deps.keyring(), row.id, v, {
      ciphertext: ver.ciphertext,
      wrappedKey: ver.wrapped_key,
      kekId: ver.kek_id,
    });
    await this.deps.audit.record(ctx, {
      action: 'secrets.read_value',
      resourceType: 'secret',
      resourceId: row.id,
      details: { name: row.name, ownerId: row.owner_id, version: v, access: access.relation },
    });
    const value = decodeValue(bytes, ver.encoding);
    bytes.fill(0);
    return {
      id: row.id,
      name: row.name,
      version: v,
      value,
      encoding: ver.encoding,
      createdAt: ver.created_at,
    };
  }

  /** A new version (and optionally new description/tags); `expectedVersion` is a check-and-set. */
  async putValue(
    ctx: AuthenticatedContext,
    ref: string,
    input: {
      value: unknown;
      encoding?: SecretEncoding | undefined;
      expectedVersion?: number | undefined;
      description?: string | undefined;
      tags?: Record<string, string> | undefined;
    },
  ): Promise<Secret> {
    authorize(ctx.actor, 'secrets', 'read');
    const { bytes, encoding } = encodeValue(input.value, input.encoding);
    let saved: SecretRow | undefined;
    try {
      await this.tx(async (repo, trx) => {
        const { row, access } = await this.find(ctx.actor, ref, repo);
        if (!access.write) throw new ForbiddenError(`You may read but not change secret '${row.name}'`);
        this.live(row);
        const current = Number(row.current_version);
        if (input.expectedVersion !== undefined && input.expectedVersion !== current)
          throw new ConflictError(
            `Secret '${row.name}' is at version ${current}, not ${input.expectedVersion}`,
            { currentVersion: current, expectedVersion: input.expectedVersion },
            'version_conflict',
          );
        const next = current + 1;
        const now = iso(this.deps.clock.now());
        await this.storeVersion(repo, row.id, next, bytes, encoding, ctx.actor.id, now);
        if (!(await repo.bumpVersion(row.id, current, next, now)))
          throw new ConflictError(`Secret '${row.name}' changed concurrently; retry`, {}, 'version_conflict');
        const meta: Partial<SecretRow> = {};
        if (input.description !== undefined) meta.description = input.description;
        if (input.tags !== undefined) meta.tags = JSON.stringify(input.tags);
        if (Object.keys(meta).length) await repo.update(row.id, meta);
        await this.deps.audit.record(
          ctx,
          {
            action: 'secrets.put_version',
            resourceType: 'secret',
            resourceId: row.id,
            details: {
              name: row.name,
              ownerId: row.owner_id,
              version: next,
              encoding,
              sizeBytes: bytes.length,
            },
          },
          trx,
        );
        saved = await repo.findById(row.id);
      });
    } catch (e) {
      // PostgreSQL: a concurrent writer inserted the same next version first
      if (isUniqueViolation(e))
        throw new ConflictError('The secret changed concurrently; retry', {}, 'version_conflict');
      throw e;
    } finally {
      bytes.fill(0);
    }
    ctx.resourceId = saved!.id;
    return this.changed(saved!, ctx.actor, 'updated');
  }

  async versions(actor: Actor, ref: string): Promise<SecretVersion[]> {
    authorize(actor, 'secrets', 'read');
    const { row } = await this.find(actor, ref);
    const rows = await this.deps.repo.listVersions(row.id);
    return rows.map((v) => ({
      version: Number(v.version),
      encoding: v.encoding,
      sizeBytes: Number(v.size_bytes),
      createdAt: v.created_at,
      createdBy: v.created_by,
      current: Number(v.version) === Number(row.current_version),
    }));
  }

  /** Soft delete with a recovery window (1–30 days), or `force` for immediate, unrecoverable removal. */
  async delete(
    ctx: AuthenticatedContext,
    ref: string,
    opts: { force?: boolean | undefined; recoveryDays?: number | undefined },
  ): Promise<Secret | null> {
    authorize(ctx.actor, 'secrets', 'read');
    let result: SecretRow | null = null;
    let removed: SecretRow | undefined;
    await this.tx(async (repo, trx) => {
      const { row, access } = await this.find(ctx.actor, ref, repo);
      if (!access.deleteSecret) throw new ForbiddenError(`You may not delete secret '${row.name}'`);
      const details = { name: row.name, ownerId: row.owner_id, versions: Number(row.current_version) };
      if (opts.force) {
        await repo.delete(row.id);
        removed = row;
        await this.deps.audit.record(
          ctx,
          { action: 'secrets.purge', resourceType: 'secret', resourceId: row.id, details },
          trx,
        );
        return;
      }
      if (row.deleted_at) {
        result = row;
        return;
      }
      const now = this.deps.clock.now();
      const days = opts.recoveryDays ?? DEFAULT_RECOVERY_DAYS;
      const purgeAt = iso(new Date(now.getTime() + days * 86_400_000));
      await repo.update(row.id, { deleted_at: iso(now), purge_at: purgeAt, updated_at: iso(now) });
      await this.deps.audit.record(
        ctx,
        {
          action: 'secrets.delete',
          resourceType: 'secret',
          resourceId: row.id,
          details: { ...details, recoveryDays: days, purgeAt },
        },
        trx,
      );
      result = (await repo.findById(row.id)) ?? null;
    });
    if (removed) {
      this.deps.onChange?.();
      this.deps.bus.publish({
        type: 'secret.deleted',
        resource: 'secret',
        resourceId: removed.id,
        ownerId: removed.owner_id,
        data: { id: removed.id },
      });
      return null;
    }
    return this.changed(result!, ctx.actor, 'updated');
  }

  async restore(ctx: AuthenticatedContext, ref: string): Promise<Secret> {
    authorize(ctx.actor, 'secrets', 'read');
    let saved: SecretRow | undefined;
    await this.tx(async (repo, trx) => {
      const { row, access } = await this.find(ctx.actor, ref, repo);
      if (!access.deleteSecret) throw new ForbiddenError(`You may not restore secret '${row.name}'`);
      if (!row.deleted_at) throw new ConflictError(`Secret '${row.name}' is not deleted`, {}, 'not_deleted');
      await repo.update(row.id, { deleted_at: null, purge_at: null, updated_at: iso(this.deps.clock.now()) });
      await this.deps.audit.record(
        ctx,
        {
          action: 'secrets.restore',
          resourceType: 'secret',
          resourceId: row.id,
          details: { name: row.name, ownerId: row.owner_id },
        },
        trx,
      );
      saved = await repo.findById(row.id);
    });
    return this.changed(saved!, ctx.actor, 'updated');
  }

  async getPolicy(actor: Actor, ref: string): Promise<{ grants: SecretGrant[] }> {
    authorize(actor, 'secrets', 'read');
    const { grants } = await this.find(actor, ref);
    return { grants: grants.map((g) => ({ principal: g.principal, access: g.access })) };
  }

  async putPolicy(
    ctx: AuthenticatedContext,
    ref: string,
    grants: readonly SecretGrant[],
  ): Promise<{ grants: SecretGrant[] }> {
    authorize(ctx.actor, 'secrets', 'read');
    const unique = new Map<string, GrantAccess>();
    for (const g of grants) {
      const prev = unique.get(g.principal);
      unique.set(g.principal, prev === 'manage' ? 'manage' : g.access);
    }
    if (unique.size > MAX_GRANTS)
      throw new ConflictError(`A secret's policy holds at most ${MAX_GRANTS} grants`, {}, 'too_many_grants');
    let row: SecretRow | undefined;
    await this.tx(async (repo, trx) => {
      const found = await this.find(ctx.actor, ref, repo);
      row = found.row;
      if (!found.access.managePolicy)
        throw new ForbiddenError(`You may not change the policy of secret '${row.name}'`);
      const now = iso(this.deps.clock.now());
      const rows = [...unique]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([principal, access]) => ({ secret_id: found.row.id, principal, access, created_at: now }));
      await repo.replaceGrants(found.row.id, rows);
      await this.deps.audit.record(
        ctx,
        {
          action: 'secrets.put_policy',
          resourceType: 'secret',
          resourceId: found.row.id,
          details: {
            name: found.row.name,
            ownerId: found.row.owner_id,
            grants: rows.map((r) => `${r.principal}=${r.access}`),
            previous: found.grants.map((g) => `${g.principal}=${g.access}`),
          },
        },
        trx,
      );
    });
    await this.changed(row!, ctx.actor, 'updated');
    return {
      grants: [...unique]
        .map(([principal, access]) => ({ principal, access }))
        .sort((a, b) => a.principal.localeCompare(b.principal)),
    };
  }

  /** Remove soft-deleted secrets whose recovery window has ended (housekeeping job). */
  async purgeExpired(ctx: AuthenticatedContext): Promise<number> {
    const due = await this.deps.repo.purgeable(iso(this.deps.clock.now()), 100);
    for (const row of due) {
      await this.tx(async (repo, trx) => {
        await repo.delete(row.id);
        await this.deps.audit.record(
          ctx,
          {
            action: 'secrets.purge',
            resourceType: 'secret',
            resourceId: row.id,
            details: { name: row.name, ownerId: row.owner_id, reason: 'recovery window ended' },
          },
          trx,
        );
      });
      this.deps.bus.publish({
        type: 'secret.deleted',
        resource: 'secret',
        resourceId: row.id,
        ownerId: row.owner_id,
        data: { id: row.id },
      });
    }
    if (due.length) this.deps.onChange?.();
    return due.length;
  }

  private async storeVersion(
    repo: SecretsRepository,
    secretId: string,
    version: number,
    bytes: Buffer,
    encoding: SecretEncoding,
    createdBy: string,
    now: string,
  ): Promise<void> {
    const sealed = sealValue(this.deps.keyring(), secretId, version, bytes);
    await repo.insertVersion({
      secret_id: secretId,
      version,
      encoding,
      size_bytes: bytes.length,
      ciphertext: sealed.ciphertext,
      wrapped_key: sealed.wrappedKey,
      kek_id: sealed.kekId,
      created_at: now,
      created_by: createdBy,
    });
  }

  private tx(fn: (repo: SecretsRepository, trx: Kysely<Tables>) => Promise<void>): Promise<void> {
    return this.deps.db.kysely.transaction().execute((trx) => fn(this.deps.repo.with(trx), trx));
  }

  /** After a committed change: forget cached injections, publish the metadata (never values). */
  private async changed(row: SecretRow, actor: Actor, kind: 'created' | 'updated'): Promise<Secret> {
    this.deps.onChange?.();
    const view = toSecret(row, accessFor(actor, row, await this.deps.repo.grants(row.id)));
    const { access: _a, canReadValue: _r, canManage: _m, ...data } = view;
    this.deps.bus.publish({
      type: `secret.${kind}`,
      resource: 'secret',
      resourceId: row.id,
      ownerId: row.owner_id,
      data,
    });
    return view;
  }
}
