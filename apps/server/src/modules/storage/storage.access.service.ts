/**
 * Bucket access control, stored and cached: bucket policies, the Public Access Block, object
 * ownership and ACLs (bucket and object). The rules are in storage.access.ts; the S3 gate in
 * storage.s3.policy.ts reads `state()` on every S3 request (cached per bucket, invalidated on
 * every change made here).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import {
  type BucketPolicy,
  GROUPS,
  type Grant,
  grantsOnlyOwner,
  isPublicAcl,
  isPublicPolicy,
  NO_BLOCK,
  type PublicAccessBlock,
  parsePolicy,
} from './storage.access.ts';
import { StorageCore } from './storage.core.ts';
import { malformedPolicy, noSuchKey, notImplemented, StorageError } from './storage.errors.ts';
import type { LifecycleRule } from './storage.lifecycle.ts';
import type { BucketRow, ObjectRow } from './storage.repository.ts';
import type { StorageContext } from './storage.types.ts';

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

interface BucketAccessTable {
  bucket_id: string;
  policy: string | null;
  public_access_block: string | null;
  /** null: BucketOwnerEnforced (the S3 default). */
  object_ownership: string | null;
  /** JSON Grant[]; null: private (owner FULL_CONTROL). */
  acl: string | null;
}

interface ObjectAclsTable {
  bucket_id: string;
  key: string;
  /** Which object the ACL belongs to: a new PUT of the key makes the old ACL void. */
  stamp: string;
  acl: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    bucket_access: BucketAccessTable;
    object_acls: ObjectAclsTable;
  }
}

export const accessMigrations: ModuleMigration[] = [
  {
    // Bucket policies, Public Access Block, object ownership and ACLs.
    name: '0145_storage_bucket_access',
    async up(db: Kysely<unknown>, dialect: Dialect) {
      await db.schema
        .createTable('bucket_access')
        .addColumn('bucket_id', 'text', (c) => c.primaryKey())
        .addColumn('policy', 'text')
        .addColumn('public_access_block', 'text')
        .addColumn('object_ownership', 'text')
        .addColumn('acl', 'text')
        .execute();
      await db.schema
        .createTable('object_acls')
        .addColumn('bucket_id', 'text', (c) => c.notNull())
        .addColumn('key', dialect === 'postgres' ? sql`text collate "C"` : sql`text`, (c) => c.notNull())
        .addColumn('stamp', 'text', (c) => c.notNull())
        .addColumn('acl', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('object_acls_pk', ['bucket_id', 'key'])
        .execute();
    },
  },
];

/** What the S3 gate needs about a bucket, for every request. */
export interface AccessState {
  bucketId: string;
  ownerId: string;
  policy: BucketPolicy | null;
  policyIsPublic: boolean;
  publicAccessBlock: PublicAccessBlock | null;
  ownership: ObjectOwnership;
  /** The bucket ACL's grants (private: just the owner). */
  acl: Grant[];
  /** Enabled lifecycle rules with an expiration (for x-amz-expiration); empty: none. */
  expirationRules: LifecycleRule[];
}

export interface AclView {
  ownerId: string;
  ownerName: string | null;
  grants: Grant[];
}

const CACHE_MS = 5_000;

export function objectStamp(row: Pick<ObjectRow, 'id' | 'last_modified' | 'etag'>): string {
  return `${row.id}|${row.last_modified}|${row.etag}`;
}

function ownerGrant(ownerId: string): Grant {
  return { grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' };
}

export class AccessService extends StorageCore {
  private readonly cache = new Map<string, { state: AccessState | null; expires: number }>();

  private db(): Kysely<Tables> {
    return this.deps.db.kysely;
  }

  invalidate(bucketName?: string): void {
    if (bucketName === undefined) this.cache.clear();
    else this.cache.delete(bucketName);
  }

  /** The bucket's access settings (cached; null: no such bucket). */
  async state(bucketName: string): Promise<AccessState | null> {
    const now = Date.now();
    const hit = this.cache.get(bucketName);
    if (hit && hit.expires > now) return hit.state;
    const bucket = await this.deps.repo.findBucketByName(bucketName);
    let state: AccessState | null = null;
    if (bucket) {
      const row = await this.db()
        .selectFrom('bucket_access')
        .selectAll()
        .where('bucket_id', '=', bucket.id)
        .executeTakeFirst();
      const policy = row?.policy ? parsePolicy(row.policy, bucket.name) : null;
      state = {
        bucketId: bucket.id,
        ownerId: bucket.owner_id,
        policy,
        policyIsPublic: policy ? isPublicPolicy(policy) : false,
        publicAccessBlock: row?.public_access_block
          ? (JSON.parse(row.public_access_block) as PublicAccessBlock)
          : null,
        ownership: (row?.object_ownership as ObjectOwnership | null) ?? 'BucketOwnerEnforced',
        acl: row?.acl ? (JSON.parse(row.acl) as Grant[]) : [ownerGrant(bucket.owner_id)],
        expirationRules: bucket.lifecycle
          ? (JSON.parse(bucket.lifecycle) as LifecycleRule[]).filter(
              (r) => r.status === 'Enabled' && r.expiration && !r.expiration.expiredObjectDeleteMarker,
            )
          : [],
      };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    // a missing bucket is not cached: it may be created by the very next request
    if (state) this.cache.set(bucketName, { state, expires: now + CACHE_MS });
    return state;
  }

  /** The ACL of the current object under `key` (null: private, or no such object). */
  async objectAcl(bucketId: string, key: string): Promise<{ grants: Grant[]; row: ObjectRow } | null> {
    const row = await this.deps.repo.findObject(bucketId, key);
    if (!row) return null;
    const acl = await this.db()
      .selectFrom('object_acls')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!acl || acl.stamp !== objectStamp(row)) return { grants: [ownerGrant(row.owner_id)], row };
    return { grants: JSON.parse(acl.acl) as Grant[], row };
  }

  // ---------------------------------------------------------------- owner-only settings

  /** Policies, the Public Access Block and ownership are the bucket owner's (or an admin's). */
  private async ownedBucket(ctx: StorageContext, name: string): Promise<BucketRow> {
    const bucket = await this.bucketFor(ctx, name);
    if (bucket.owner_id !== ctx.actor.id && !isAdmin(ctx.actor))
      throw new StorageError('AccessDenied', 'Access Denied (only the bucket owner manages this setting)', {
        BucketName: name,
      });
    return bucket;
  }

  private async row(
    bucketId: string,
    trx: Kysely<Tables> = this.db(),
  ): Promise<BucketAccessTable | undefined> {
    return trx.selectFrom('bucket_access').selectAll().where('bucket_id', '=', bucketId).executeTakeFirst();
  }

  private async update(
    ctx: StorageContext,
    bucket: BucketRow,
    patch: Partial<Omit<BucketAccessTable, 'bucket_id'>>,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.db()
      .transaction()
      .execute(async (trx) => {
        const existing = await this.row(bucket.id, trx);
        if (existing)
          await trx.updateTable('bucket_access').set(patch).where('bucket_id', '=', bucket.id).execute();
        else
          await trx
            .insertInto('bucket_access')
            .values({
              bucket_id: bucket.id,
              policy: null,
              public_access_block: null,
              object_ownership: null,
              acl: null,
              ...patch,
            })
            .execute();
        await this.record(ctx, trx, action, 'bucket', bucket.name, { bucket: bucket.name, ...details });
      });
    this.invalidate(bucket.name);
  }

  async getPolicy(ctx: StorageContext, name: string): Promise<string> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.ownedBucket(ctx, name);
    const row = await this.row(bucket.id);
    if (!row?.policy)
      throw new StorageError('NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: name });
    return row.policy;
  }

  async putPolicy(ctx: StorageContext, name: string, text: string): Promise<{ isPublic: boolean }> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.ownedBucket(ctx, name);
    const policy = parsePolicy(text, bucket.name);
    if (policy.principalRefs.length > 0) {
      const users = await this.db()
        .selectFrom('users')
        .select(['id', 'username'])
        .where((eb) =>
          eb.or([eb('id', 'in', policy.principalRefs), eb('username', 'in', policy.principalRefs)]),
        )
        .execute();
      const known = new Set(users.flatMap((u) => [u.id, u.username]));
      const unknown = policy.principalRefs.find((p) => !known.has(p));
      if (unknown !== undefined)
        throw malformedPolicy('Invalid principal in policy', { field: 'Principal', value: unknown });
    }
    const isPublic = isPublicPolicy(policy);
    const pab = await this.currentBlock(bucket.id);
    if (isPublic && pab.blockPublicPolicy)
      throw new StorageError(
        'AccessDenied',
        "Access Denied (the bucket's Public Access Block has BlockPublicPolicy: this policy is public)",
        { BucketName: name },
      );
    await this.update(ctx, bucket, { policy: policy.text }, 'buckets.put_policy', {
      statements: policy.statements.length,
      public: isPublic,
    });
    return { isPublic };
  }

  async deletePolicy(ctx: StorageContext, name: string): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.ownedBucket(ctx, name);
    await this.update(ctx, bucket, { policy: null }, 'buckets.delete_policy');
  }

  async policyStatus(ctx: StorageContext, name: string): Promise<{ isPublic: boolean }> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.ownedBucket(ctx, name);
    const row = await this.row(bucket.id);
    if (!row?.policy)
      throw new StorageError('NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: name });
    return { isPublic: isPublicPolicy(parsePolicy(row.policy, bucket.name)) };
  }

  private async currentBlock(bucketId: string): Promise<PublicAccessBlock> {
    const row = await this.row(bucketId);
    return row?.public_access_block ? (JSON.parse(row.public_access_block) as PublicAccessBlock) : NO_BLOCK;
  }

  async getPublicAccessBlock(ctx: StorageContext, name: string): Promise<PublicAccessBlock> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.ownedBucket(ctx, name);
    const row = await this.row(bucket.id);
    if (!row?.public_access_block)
      throw new StorageError(
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
        { BucketName: name },
      );
    return JSON.parse(row.public_access_block) as PublicAccessBlock;
  }

  async putPublicAccessBlock(
    ctx: StorageContext,
    name: string,
    block: PublicAccessBlock | null,
  ): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.ownedBucket(ctx, name);
    await this.update(
      ctx,
      bucket,
      { public_access_block: block ? JSON.stringify(block) : null },
      block ? 'buckets.put_public_access_block' : 'buckets.delete_public_access_block',
      block ? { ...block } : {},
    );
  }

  async getOwnership(ctx: StorageContext, name: string): Promise<ObjectOwnership> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    const row = await this.row(bucket.id);
    return (row?.object_ownership as ObjectOwnership | null) ?? 'BucketOwnerEnforced';
  }

  async putOwnership(ctx: StorageContext, name: string, ownership: ObjectOwnership): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.ownedBucket(ctx, name);
    if (ownership === 'ObjectWriter')
      throw notImplemented('Object ownership ObjectWriter (objects are always owned by the bucket owner)');
    const patch: Partial<BucketAccessTable> = { object_ownership: ownership };
    if (ownership === 'BucketOwnerEnforced') {
      // S3 refuses to disable ACLs while the bucket ACL grants more than the owner
      const row = await this.row(bucket.id);
      if (row?.acl && !grantsOnlyOwner(JSON.parse(row.acl) as Grant[], bucket.owner_id))
        throw new StorageError(
          'InvalidBucketAclWithObjectOwnership',
          "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
        );
      patch.acl = null;
    }
    await this.update(ctx, bucket, patch, 'buckets.put_ownership', { ownership });
  }

  // ---------------------------------------------------------------- ACLs

  /** Resolve raw grantees (ids, group URIs, e-mail addresses) to grants, with S3's errors. */
  async resolveGrants(
    raw: Array<{ kind: 'id' | 'uri' | 'emailAddress'; value: string; permission: Grant['permission'] }>,
  ): Promise<Grant[]> {
    const ids = raw.filter((g) => g.kind === 'id').map((g) => g.value);
    const known = new Set<string>();
    if (ids.length > 0) {
      const rows = await this.db().selectFrom('users').select('id').where('id', 'in', ids).execute();
      for (const r of rows) known.add(r.id);
    }
    return raw.map((g) => {
      if (g.kind === 'emailAddress')
        // ProxiCloud users have no e-mail address, so no grant by e-mail can be resolved
        throw new StorageError(
          'UnresolvableGrantByEmailAddress',
          'The e-mail address you provided does not match any account on record.',
          { EmailAddress: g.value },
        );
      if (g.kind === 'uri') {
        if (!GROUPS.has(g.value))
          throw new StorageError('InvalidArgument', 'Invalid group uri', { ArgumentValue: g.value });
        return { grantee: { type: 'Group', uri: g.value }, permission: g.permission };
      }
      if (!known.has(g.value))
        throw new StorageError('InvalidArgument', 'Invalid id', {
          ArgumentName: 'CanonicalUser/ID',
          ArgumentValue: g.value,
        });
      return { grantee: { type: 'CanonicalUser', id: g.value }, permission: g.permission };
    });
  }

  /** May this ACL be set on the bucket? (ownership and Public Access Block) */
  async assertAclAllowed(bucketName: string, grants: Grant[], ownerId: string): Promise<void> {
    const state = await this.state(bucketName);
    if (!state) return;
    if (state.ownership === 'BucketOwnerEnforced' && !grantsOnlyOwner(grants, ownerId))
      throw new StorageError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
    if (state.publicAccessBlock?.blockPublicAcls && isPublicAcl(grants))
      throw new StorageError(
        'AccessDenied',
        "Access Denied (the bucket's Public Access Block has BlockPublicAcls: this ACL is public)",
        { BucketName: bucketName },
      );
  }

  async getBucketAcl(ctx: StorageContext, name: string): Promise<AclView> {
    this.authorize(ctx, 'buckets', 'read');
    const bucket = await this.bucketFor(ctx, name);
    const state = await this.state(name);
    const names = await this.usernamesOf([bucket.owner_id]);
    return {
      ownerId: bucket.owner_id,
      ownerName: names.get(bucket.owner_id) ?? null,
      grants: state?.acl ?? [ownerGrant(bucket.owner_id)],
    };
  }

  async putBucketAcl(ctx: StorageContext, name: string, grants: Grant[]): Promise<void> {
    this.authorize(ctx, 'buckets', 'update');
    const bucket = await this.bucketFor(ctx, name);
    await this.assertAclAllowed(name, grants, bucket.owner_id);
    const privateAcl = grantsOnlyOwner(grants, bucket.owner_id);
    await this.update(ctx, bucket, { acl: privateAcl ? null : JSON.stringify(grants) }, 'buckets.put_acl', {
      grants: grants.length,
      public: isPublicAcl(grants),
    });
  }

  async getObjectAcl(ctx: StorageContext, name: string, key: string): Promise<AclView> {
    this.authorize(ctx, 'objects', 'read');
    const bucket = await this.bucketFor(ctx, name);
    const found = await this.objectAcl(bucket.id, key);
    if (!found) throw noSuchKey(key);
    const names = await this.usernamesOf([found.row.owner_id]);
    return {
      ownerId: found.row.owner_id,
      ownerName: names.get(found.row.owner_id) ?? null,
      grants: found.grants,
    };
  }

  async putObjectAcl(ctx: StorageContext, name: string, key: string, grants: Grant[]): Promise<void> {
    this.authorize(ctx, 'objects', 'write');
    const bucket = await this.bucketFor(ctx, name);
    const row = await this.deps.repo.findObject(bucket.id, key);
    if (!row) throw noSuchKey(key);
    await this.assertAclAllowed(name, grants, row.owner_id);
    await this.db()
      .transaction()
      .execute(async (trx) => {
        await trx
          .deleteFrom('object_acls')
          .where('bucket_id', '=', bucket.id)
          .where('key', '=', key)
          .execute();
        if (!grantsOnlyOwner(grants, row.owner_id))
          await trx
            .insertInto('object_acls')
            .values({ bucket_id: bucket.id, key, stamp: objectStamp(row), acl: JSON.stringify(grants) })
            .execute();
        await this.record(ctx, trx, 'objects.put_acl', 'object', `${name}/${key}`, {
          bucket: name,
          key,
          grants: grants.length,
          public: isPublicAcl(grants),
        });
      });
  }

  private async usernamesOf(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.db()
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.username]));
  }
}
