/**
 * REST API (console, CLI) for bucket access control and tags: the bucket policy, the Public
 * Access Block, object ownership and ACLs, bucket tags and object tags. Same rules and storage as
 * the S3 operations (storage.access.service.ts, storage.tagging.service.ts).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, NoContent } from '../../platform/http/schemas.ts';
import { CANNED_ACLS, cannedGrants, type Grant, type PublicAccessBlock } from './storage.access.ts';
import { StorageError } from './storage.errors.ts';
import { BucketParams, ObjectParams } from './storage.schemas.ts';
import { type StorageContext, type StorageService, storageContext, type Tag } from './storage.service.ts';

const TAG = ['storage'];
const ctxOf = (request: FastifyRequest): StorageContext => storageContext(authContext(request), 'api');

function objectKey(request: FastifyRequest): string {
  const key = (request.params as Record<string, string>)['*'] ?? '';
  if (key === '') throw new StorageError('InvalidArgument', 'Object key must not be empty');
  return key;
}

export const BucketPolicySchema = Type.Object(
  {
    bucket: Type.String(),
    policy: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
      description: 'The policy document (IAM JSON), or null when the bucket has none',
    }),
    isPublic: Type.Boolean({
      description: 'An Allow for a wildcard principal without a restricting condition',
    }),
  },
  { $id: 'BucketPolicy', additionalProperties: false },
);

const pabProps = {
  blockPublicAcls: Type.Boolean({ description: 'Refuse ACLs that grant AllUsers/AuthenticatedUsers' }),
  ignorePublicAcls: Type.Boolean({ description: 'Disregard such grants when deciding access' }),
  blockPublicPolicy: Type.Boolean({ description: 'Refuse bucket policies that are public' }),
  restrictPublicBuckets: Type.Boolean({
    description: 'With a public policy, only the owner (and admins) get access through it',
  }),
};
export const PublicAccessBlockSchema = Type.Object(
  {
    bucket: Type.String(),
    configured: Type.Boolean({ description: 'false: no block is set (all four are off)' }),
    ...pabProps,
  },
  { $id: 'PublicAccessBlock', additionalProperties: false },
);

const GranteeSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('CanonicalUser'), Type.Literal('Group')]),
    id: Type.Optional(Type.String({ description: 'User id (CanonicalUser)' })),
    username: Type.Optional(Type.String()),
    uri: Type.Optional(Type.String({ description: 'Group URI (Group)' })),
  },
  { additionalProperties: false },
);
const Permission = Type.Union([
  Type.Literal('READ'),
  Type.Literal('WRITE'),
  Type.Literal('READ_ACP'),
  Type.Literal('WRITE_ACP'),
  Type.Literal('FULL_CONTROL'),
]);
const GrantSchema = Type.Object(
  { grantee: GranteeSchema, permission: Permission },
  { additionalProperties: false },
);

export const AclSchema = Type.Object(
  {
    bucket: Type.String(),
    key: Type.Optional(Type.String()),
    ownership: Type.Union([
      Type.Literal('BucketOwnerEnforced'),
      Type.Literal('BucketOwnerPreferred'),
      Type.Literal('ObjectWriter'),
    ]),
    owner: Type.Object({ id: Type.String(), username: Type.Union([Type.String(), Type.Null()]) }),
    grants: Type.Array(GrantSchema),
  },
  { $id: 'Acl', additionalProperties: false },
);

const AclBody = Type.Object(
  {
    acl: Type.Optional(
      Type.Union(
        CANNED_ACLS.map((a) => Type.Literal(a)),
        { description: 'A canned ACL' },
      ),
    ),
    grants: Type.Optional(
      Type.Array(
        Type.Object(
          {
            grantee: Type.Object(
              {
                type: Type.Union([Type.Literal('CanonicalUser'), Type.Literal('Group')]),
                id: Type.Optional(Type.String()),
                uri: Type.Optional(Type.String()),
              },
              { additionalProperties: false },
            ),
            permission: Permission,
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: 'Explicit grants (instead of acl); the owner keeps FULL_CONTROL' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TagsSchema = Type.Object(
  {
    bucket: Type.String(),
    key: Type.Optional(Type.String()),
    versionId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    tags: Type.Array(
      Type.Object({ key: Type.String(), value: Type.String() }, { additionalProperties: false }),
    ),
  },
  { $id: 'Tags', additionalProperties: false },
);
const TagsBody = Type.Object(
  {
    tags: Type.Array(
      Type.Object(
        { key: Type.String({ minLength: 1, maxLength: 128 }), value: Type.String({ maxLength: 256 }) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
const VersionQuery = Type.Object({ versionId: Type.Optional(Type.String({ maxLength: 128 })) });

export const accessSchemas = [BucketPolicySchema, PublicAccessBlockSchema, AclSchema, TagsSchema];

function notFoundAs<T>(codes: string[], fallback: T) {
  return (err: unknown): T => {
    if (err instanceof StorageError && codes.includes(err.s3Code)) return fallback;
    throw err;
  };
}

export async function accessRoutes(app: FastifyInstance, service: StorageService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const access = service.access;

  const aclView = async (
    ctx: StorageContext,
    bucket: string,
    view: { ownerId: string; ownerName: string | null; grants: Grant[] },
    key?: string,
  ): Promise<Static<typeof AclSchema>> => {
    const ids = view.grants.flatMap((g) => (g.grantee.type === 'CanonicalUser' ? [g.grantee.id] : []));
    const names = ids.length ? await service.usernames(ids) : new Map<string, string>();
    return {
      bucket,
      ...(key !== undefined ? { key } : {}),
      ownership: await access.getOwnership(ctx, bucket),
      owner: { id: view.ownerId, username: view.ownerName },
      grants: view.grants.map((g) => ({
        grantee:
          g.grantee.type === 'CanonicalUser'
            ? {
                type: 'CanonicalUser' as const,
                id: g.grantee.id,
                username: names.get(g.grantee.id) ?? g.grantee.id,
              }
            : { type: 'Group' as const, uri: g.grantee.uri },
        permission: g.permission,
      })),
    };
  };

  const grantsOf = async (body: Static<typeof AclBody>, ownerId: string): Promise<Grant[]> => {
    if ((body.acl === undefined) === (body.grants === undefined))
      throw new StorageError('InvalidArgument', 'Send either acl (a canned ACL) or grants');
    if (body.acl) return cannedGrants(body.acl, ownerId, ownerId);
    const resolved = await access.resolveGrants(
      (body.grants ?? []).map((g) => {
        const value = g.grantee.type === 'Group' ? g.grantee.uri : g.grantee.id;
        if (!value)
          throw new StorageError('InvalidArgument', 'A grantee needs id (CanonicalUser) or uri (Group)');
        return {
          kind: g.grantee.type === 'Group' ? ('uri' as const) : ('id' as const),
          value,
          permission: g.permission,
        };
      }),
    );
    const hasOwner = resolved.some(
      (g) =>
        g.grantee.type === 'CanonicalUser' && g.grantee.id === ownerId && g.permission === 'FULL_CONTROL',
    );
    return hasOwner
      ? resolved
      : [{ grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' }, ...resolved];
  };

  // ---------------------------------------------------------------- policy

  r.get(
    '/buckets/:bucket/policy',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketPolicy',
        summary: "The bucket's policy (null when none) and whether it makes the bucket public",
        params: BucketParams,
        response: { 200: Type.Ref(BucketPolicySchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      const text = await access.getPolicy(ctx, bucket).catch(notFoundAs(['NoSuchBucketPolicy'], null));
      if (text === null) return { bucket, policy: null, isPublic: false };
      const { isPublic } = await access.policyStatus(ctx, bucket);
      return { bucket, policy: JSON.parse(text) as Record<string, unknown>, isPublic };
    },
  );

  r.put(
    '/buckets/:bucket/policy',
    {
      config: { audit: { action: 'buckets.put_policy', resourceType: 'bucket', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'putBucketPolicy',
        summary: 'Set the bucket policy (IAM JSON; validated as S3 does, errors name the problem)',
        params: BucketParams,
        body: Type.Object(
          { policy: Type.Object({}, { additionalProperties: true, description: 'The policy document' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(BucketPolicySchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const { isPublic } = await access.putPolicy(
        ctxOf(request),
        bucket,
        JSON.stringify(request.body.policy),
      );
      return { bucket, policy: request.body.policy as Record<string, unknown>, isPublic };
    },
  );

  r.delete(
    '/buckets/:bucket/policy',
    {
      config: {
        audit: { action: 'buckets.delete_policy', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'deleteBucketPolicy',
        summary: 'Remove the bucket policy',
        params: BucketParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await access.deletePolicy(ctxOf(request), request.params.bucket);
      return reply.status(204).send(null);
    },
  );

  // ---------------------------------------------------------------- public access block

  r.get(
    '/buckets/:bucket/public-access-block',
    {
      schema: {
        tags: TAG,
        operationId: 'getPublicAccessBlock',
        summary: "The bucket's Public Access Block",
        params: BucketParams,
        response: { 200: Type.Ref(PublicAccessBlockSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const block = await access
        .getPublicAccessBlock(ctxOf(request), bucket)
        .catch(notFoundAs(['NoSuchPublicAccessBlockConfiguration'], null));
      return block
        ? { bucket, configured: true, ...block }
        : {
            bucket,
            configured: false,
            blockPublicAcls: false,
            ignorePublicAcls: false,
            blockPublicPolicy: false,
            restrictPublicBuckets: false,
          };
    },
  );

  r.put(
    '/buckets/:bucket/public-access-block',
    {
      config: {
        audit: {
          action: 'buckets.put_public_access_block',
          resourceType: 'bucket',
          resourceIdParam: 'bucket',
        },
      },
      schema: {
        tags: TAG,
        operationId: 'putPublicAccessBlock',
        summary: 'Set the Public Access Block (settings left out are off)',
        params: BucketParams,
        body: Type.Partial(Type.Object(pabProps, { additionalProperties: false })),
        response: { 200: Type.Ref(PublicAccessBlockSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const b = request.body;
      const block: PublicAccessBlock = {
        blockPublicAcls: b.blockPublicAcls ?? false,
        ignorePublicAcls: b.ignorePublicAcls ?? false,
        blockPublicPolicy: b.blockPublicPolicy ?? false,
        restrictPublicBuckets: b.restrictPublicBuckets ?? false,
      };
      await access.putPublicAccessBlock(ctxOf(request), bucket, block);
      return { bucket, configured: true, ...block };
    },
  );

  r.delete(
    '/buckets/:bucket/public-access-block',
    {
      config: {
        audit: {
          action: 'buckets.delete_public_access_block',
          resourceType: 'bucket',
          resourceIdParam: 'bucket',
        },
      },
      schema: {
        tags: TAG,
        operationId: 'deletePublicAccessBlock',
        summary: 'Remove the Public Access Block',
        params: BucketParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await access.putPublicAccessBlock(ctxOf(request), request.params.bucket, null);
      return reply.status(204).send(null);
    },
  );

  // ---------------------------------------------------------------- ownership and ACLs

  r.get(
    '/buckets/:bucket/acl',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketAcl',
        summary: "The bucket's object ownership setting and ACL",
        params: BucketParams,
        response: { 200: Type.Ref(AclSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      return aclView(ctx, bucket, await access.getBucketAcl(ctx, bucket));
    },
  );

  r.put(
    '/buckets/:bucket/acl',
    {
      config: { audit: { action: 'buckets.put_acl', resourceType: 'bucket', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'putBucketAcl',
        summary: 'Set the bucket ACL (needs ownership BucketOwnerPreferred for anything beyond the owner)',
        params: BucketParams,
        body: AclBody,
        response: { 200: Type.Ref(AclSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      const current = await access.getBucketAcl(ctx, bucket);
      await access.putBucketAcl(ctx, bucket, await grantsOf(request.body, current.ownerId));
      return aclView(ctx, bucket, await access.getBucketAcl(ctx, bucket));
    },
  );

  r.put(
    '/buckets/:bucket/ownership',
    {
      config: {
        audit: { action: 'buckets.put_ownership', resourceType: 'bucket', resourceIdParam: 'bucket' },
      },
      schema: {
        tags: TAG,
        operationId: 'putBucketOwnership',
        summary: 'Object ownership: BucketOwnerEnforced (ACLs disabled, the default) or BucketOwnerPreferred',
        params: BucketParams,
        body: Type.Object(
          {
            ownership: Type.Union([
              Type.Literal('BucketOwnerEnforced'),
              Type.Literal('BucketOwnerPreferred'),
              Type.Literal('ObjectWriter'),
            ]),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(AclSchema), ...errorResponses(404, 501) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      await access.putOwnership(ctx, bucket, request.body.ownership);
      return aclView(ctx, bucket, await access.getBucketAcl(ctx, bucket));
    },
  );

  r.get(
    '/buckets/:bucket/object-acl/*',
    {
      schema: {
        tags: TAG,
        operationId: 'getObjectAcl',
        summary: "An object's ACL",
        params: ObjectParams,
        response: { 200: Type.Ref(AclSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      const key = objectKey(request);
      return aclView(ctx, bucket, await access.getObjectAcl(ctx, bucket, key), key);
    },
  );

  r.put(
    '/buckets/:bucket/object-acl/*',
    {
      config: { audit: { action: 'objects.put_acl', resourceType: 'object', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'putObjectAcl',
        summary: "Set an object's ACL (a new upload of the key resets it to private, as on S3)",
        params: ObjectParams,
        body: AclBody,
        response: { 200: Type.Ref(AclSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      const key = objectKey(request);
      const current = await access.getObjectAcl(ctx, bucket, key);
      await access.putObjectAcl(ctx, bucket, key, await grantsOf(request.body, current.ownerId));
      return aclView(ctx, bucket, await access.getObjectAcl(ctx, bucket, key), key);
    },
  );

  // ---------------------------------------------------------------- tags

  const bucketTags = (ctx: StorageContext, bucket: string) =>
    service.getBucketTags(ctx, bucket).catch(notFoundAs<Tag[]>(['NoSuchTagSet'], []));

  r.get(
    '/buckets/:bucket/tags',
    {
      schema: {
        tags: TAG,
        operationId: 'getBucketTags',
        summary: "The bucket's tags",
        params: BucketParams,
        response: { 200: Type.Ref(TagsSchema), ...errorResponses(404) },
      },
    },
    async (request) => ({
      bucket: request.params.bucket,
      tags: await bucketTags(ctxOf(request), request.params.bucket),
    }),
  );

  r.put(
    '/buckets/:bucket/tags',
    {
      config: { audit: { action: 'buckets.put_tagging', resourceType: 'bucket', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'putBucketTags',
        summary: 'Replace the bucket tags (up to 50; an empty list removes them)',
        params: BucketParams,
        body: TagsBody,
        response: { 200: Type.Ref(TagsSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { bucket } = request.params;
      const { tags } = request.body;
      await service.putBucketTags(ctx, bucket, tags.length ? tags : null);
      return { bucket, tags };
    },
  );

  r.get(
    '/buckets/:bucket/object-tags/*',
    {
      schema: {
        tags: TAG,
        operationId: 'getObjectTags',
        summary: "An object's tags (the current version, or ?versionId=)",
        params: ObjectParams,
        querystring: VersionQuery,
        response: { 200: Type.Ref(TagsSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const key = objectKey(request);
      const result = await service.getObjectTags(ctxOf(request), bucket, key, request.query.versionId);
      return { bucket, key, versionId: result.versionId, tags: result.tags };
    },
  );

  r.put(
    '/buckets/:bucket/object-tags/*',
    {
      config: { audit: { action: 'objects.put_tagging', resourceType: 'object', resourceIdParam: 'bucket' } },
      schema: {
        tags: TAG,
        operationId: 'putObjectTags',
        summary: "Replace an object's tags (up to 10; an empty list removes them)",
        params: ObjectParams,
        querystring: VersionQuery,
        body: TagsBody,
        response: { 200: Type.Ref(TagsSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { bucket } = request.params;
      const key = objectKey(request);
      const { tags } = request.body;
      const result = await service.putObjectTags(
        ctxOf(request),
        bucket,
        key,
        tags.length ? tags : null,
        request.query.versionId,
      );
      return { bucket, key, versionId: result.versionId, tags };
    },
  );
}
