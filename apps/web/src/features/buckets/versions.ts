/** Bucket versioning in the console: status, an object's versions, restore and delete one. */
import type { components } from '@proxicloud/sdk';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { bucketsKey, ensureSession, objectUrl } from './api.ts';

export type ObjectVersion = components['schemas']['ObjectVersion'];

/** Every version of exactly this key (newest first). */
export const objectVersionsQuery = (bucket: string, key: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'versions', bucket, key] as const,
    queryFn: async (): Promise<ObjectVersion[]> => {
      const out: ObjectVersion[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let page = 0; page < 20; page++) {
        const res = await call(() =>
          api.GET('/api/v1/buckets/{bucket}/versions', {
            params: {
              path: { bucket },
              query: {
                prefix: key,
                limit: 1000,
                ...(keyMarker ? { keyMarker } : {}),
                ...(versionIdMarker ? { versionIdMarker } : {}),
              },
            },
          }),
        );
        out.push(...res.items.filter((v) => v.key === key));
        if (!res.isTruncated || res.items.every((v) => v.key !== key)) break;
        keyMarker = res.nextKeyMarker ?? undefined;
        versionIdMarker = res.nextVersionIdMarker ?? undefined;
      }
      return out;
    },
  });

export function useSetVersioning(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (status: 'Enabled' | 'Suspended') =>
      call(() =>
        api.PUT('/api/v1/buckets/{bucket}/versioning', { params: { path: { bucket } }, body: { status } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

export function useRestoreVersion(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { key: string; versionId: string }) =>
      call(() =>
        api.POST('/api/v1/buckets/{bucket}/versions/restore', { params: { path: { bucket } }, body: v }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

export function useDeleteVersion(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { key: string; versionId: string; bypassGovernance?: boolean }) =>
      call(() =>
        api.POST('/api/v1/buckets/{bucket}/versions/delete', { params: { path: { bucket } }, body: v }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

/** Download one version of an object. */
export async function downloadVersion(bucket: string, key: string, versionId: string): Promise<void> {
  await ensureSession(bucket);
  const a = document.createElement('a');
  a.href = `${objectUrl(bucket, key)}?download=true&versionId=${encodeURIComponent(versionId)}`;
  a.download = key.split('/').pop() || 'download';
  document.body.append(a);
  a.click();
  a.remove();
}
