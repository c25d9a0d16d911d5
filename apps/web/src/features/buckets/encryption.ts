/** Bucket default encryption (SSE-S3) through the REST API. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { bucketsKey } from './api.ts';

export const bucketEncryptionQuery = (bucket: string) =>
  queryOptions({
    queryKey: [...bucketsKey, 'encryption', bucket] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/buckets/{bucket}/encryption', { params: { path: { bucket } } })),
  });

/** Turn the default on (AES256) or off (null). */
export function useSetBucketEncryption(bucket: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (algorithm: 'AES256' | null) =>
      algorithm
        ? call(() =>
            api.PUT('/api/v1/buckets/{bucket}/encryption', {
              params: { path: { bucket } },
              body: { algorithm },
            }),
          )
        : call(() => api.DELETE('/api/v1/buckets/{bucket}/encryption', { params: { path: { bucket } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: bucketsKey }),
  });
}

/** An object's encryption as the details dialog shows it. */
export function encryptionText(mode: 'AES256' | 'SSE-C' | null | undefined): string {
  if (mode === 'AES256') return 'AES256 (SSE-S3, encrypted at rest)';
  if (mode === 'SSE-C') return 'SSE-C (customer key: read it with an S3 client that sends the key)';
  return 'None';
}
