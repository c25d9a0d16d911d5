/** Bucket access control and tags in the console: policy, Public Access Block, ownership/ACL, tags. */
import type { components } from '@proxicloud/sdk';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { bucketsKey } from './api.ts';

export type PublicAccessBlock = components['schemas']['PublicAccessBlock'];
export type Acl = components['schemas']['Acl'];
export type Tag = { key: string; value: string };
export type CannedAcl = 'private' | 'public-read' | 'public-read-write' | 'authenticated-read';

export const policyQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'policy', bucket] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets/{bucket}/policy', { params: { path: { bucket } } })),
  });

export const publicAccessBlockQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'public-access-block', bucket] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/buckets/{bucket}/public-access-block', { params: { path: { bucket } } })),
  });

export const bucketAclQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'acl', bucket] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets/{bucket}/acl', { params: { path: { bucket } } })),
  });

export const bucketTagsQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'tags', bucket] as const,
    queryFn: () => call(() => api.GET('/api/v1/buckets/{bucket}/tags', { params: { path: { bucket } } })),
  });

export const objectTagsQuery = (bucket: string, key: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'object-tags', bucket, key] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/buckets/{bucket}/object-tags/{key}', { params: { path: { bucket, key } } }),
      ),
  });

function useInvalidating<T>(fn: (v: T) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }) });
}

/** Parse the editor's text; the server validates the policy itself and says what is wrong. */
export function parsePolicyText(text: string): Record<string, unknown> | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return 'A policy is a JSON object: {"Version": "2012-10-17", "Statement": [...]}';
  return doc as Record<string, unknown>;
}

export function publicReadTemplate(bucket: string, prefix = ''): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
        },
      ],
    },
    null,
    2,
  );
}

export const useSetPolicy = (bucket: string) =>
  useInvalidating((policy: Record<string, unknown> | null) =>
    policy
      ? call(() =>
          api.PUT('/api/v1/buckets/{bucket}/policy', { params: { path: { bucket } }, body: { policy } }),
        )
      : call(() => api.DELETE('/api/v1/buckets/{bucket}/policy', { params: { path: { bucket } } })),
  );

export const useSetPublicAccessBlock = (bucket: string) =>
  useInvalidating((block: Omit<PublicAccessBlock, 'bucket' | 'configured'> | null) =>
    block
      ? call(() =>
          api.PUT('/api/v1/buckets/{bucket}/public-access-block', {
            params: { path: { bucket } },
            body: block,
          }),
        )
      : call(() =>
          api.DELETE('/api/v1/buckets/{bucket}/public-access-block', { params: { path: { bucket } } }),
        ),
  );

export const useSetOwnership = (bucket: string) =>
  useInvalidating((ownership: Acl['ownership']) =>
    call(() =>
      api.PUT('/api/v1/buckets/{bucket}/ownership', { params: { path: { bucket } }, body: { ownership } }),
    ),
  );

export const useSetBucketAcl = (bucket: string) =>
  useInvalidating((acl: CannedAcl) =>
    call(() => api.PUT('/api/v1/buckets/{bucket}/acl', { params: { path: { bucket } }, body: { acl } })),
  );

export const useSetBucketTags = (bucket: string) =>
  useInvalidating((tags: Tag[]) =>
    call(() => api.PUT('/api/v1/buckets/{bucket}/tags', { params: { path: { bucket } }, body: { tags } })),
  );

export const useSetObjectTags = (bucket: string, key: string) =>
  useInvalidating((tags: Tag[]) =>
    call(() =>
      api.PUT('/api/v1/buckets/{bucket}/object-tags/{key}', {
        params: { path: { bucket, key } },
        body: { tags },
      }),
    ),
  );

/** "team=web, env=prod" ↔ tags. */
export function parseTagsText(text: string): Tag[] | string {
  const tags: Tag[] = [];
  for (const part of text.split(/[,\n]/)) {
    const t = part.trim();
    if (!t) continue;
    const i = t.indexOf('=');
    if (i <= 0) return `"${t}" is not a tag: write key=value.`;
    tags.push({ key: t.slice(0, i).trim(), value: t.slice(i + 1).trim() });
  }
  return tags;
}

export function tagsText(tags: Tag[]): string {
  return tags.map((t) => `${t.key}=${t.value}`).join(', ');
}

/** How the bucket ACL reads in words. */
export function describeAcl(acl: Acl): string {
  const groups = acl.grants.filter((g) => g.grantee.type === 'Group');
  const users = acl.grants.filter((g) => g.grantee.type === 'CanonicalUser' && g.grantee.id !== acl.owner.id);
  const parts = [
    ...groups.map(
      (g) =>
        `${g.grantee.uri?.endsWith('/AllUsers') ? 'everyone' : g.grantee.uri?.endsWith('/AuthenticatedUsers') ? 'every signed-in user' : (g.grantee.uri ?? '')}: ${g.permission}`,
    ),
    ...users.map((g) => `${g.grantee.username ?? g.grantee.id}: ${g.permission}`),
  ];
  return parts.length ? parts.join('; ') : 'Private (only the owner)';
}
