import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { ApiError, call } from '../../lib/api/errors.ts';
import { instancesKey } from '../instances/api.ts';
import { quotasKey } from '../quotas/api.ts';

export interface VolumesFilter {
  q?: string;
  status?: string;
  limit: number;
  offset: number;
}

const fetchVolumes = (f: VolumesFilter) => call(() => api.GET('/api/v1/volumes', { params: { query: f } }));
export type Volume = Awaited<ReturnType<typeof fetchVolumes>>['items'][number];

const fetchSnapshots = (f: { volumeId?: string; limit: number; offset: number }) =>
  call(() => api.GET('/api/v1/snapshots', { params: { query: f } }));
export type Snapshot = Awaited<ReturnType<typeof fetchSnapshots>>['items'][number];

export const volumesKey = ['volumes'] as const;
export const snapshotsKey = ['snapshots'] as const;

export const volumesQuery = (f: VolumesFilter, live: boolean) =>
  queryOptions({
    queryKey: [...volumesKey, 'list', f] as const,
    queryFn: () => fetchVolumes(f),
    placeholderData: keepPreviousData,
    refetchInterval: live ? false : 5_000,
  });

export const snapshotsQuery = (f: { volumeId?: string; limit: number; offset: number }, live: boolean) =>
  queryOptions({
    queryKey: [...snapshotsKey, 'list', f] as const,
    queryFn: () => fetchSnapshots(f),
    placeholderData: keepPreviousData,
    refetchInterval: live ? false : 5_000,
  });

export const volumeTypesKey = ['volume-types'] as const;

export const volumeTypesQuery = queryOptions({
  queryKey: volumeTypesKey,
  queryFn: () => call(() => api.GET('/api/v1/volume-types')),
  staleTime: 5 * 60_000,
});

function useInvalidate() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: volumesKey }),
      qc.invalidateQueries({ queryKey: snapshotsKey }),
      qc.invalidateQueries({ queryKey: quotasKey }),
      qc.invalidateQueries({ queryKey: instancesKey }),
    ]);
}

export function useCreateVolume() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: {
      name: string;
      sizeGib: number;
      volumeType?: string;
      format: 'block' | 'filesystem';
    }) => call(() => api.POST('/api/v1/volumes', { body })),
    onSuccess: invalidate,
  });
}

export function useAttachVolume() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, instanceId, mountPath }: { id: string; instanceId: string; mountPath?: string }) =>
      call(() =>
        api.POST('/api/v1/volumes/{id}/attach', {
          params: { path: { id } },
          body: { instanceId, ...(mountPath ? { mountPath } : {}) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDetachVolume() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force: boolean }) =>
      call(() =>
        api.POST('/api/v1/volumes/{id}/detach', { params: { path: { id } }, body: force ? { force } : {} }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteVolume() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => call(() => api.DELETE('/api/v1/volumes/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useCreateSnapshot() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, name, description }: { id: string; name: string; description?: string }) =>
      call(() =>
        api.POST('/api/v1/volumes/{id}/snapshot', {
          params: { path: { id } },
          body: { name, ...(description ? { description } : {}) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useRestoreSnapshot() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, destroyNewer }: { id: string; destroyNewer: boolean }) =>
      call(() =>
        api.POST('/api/v1/snapshots/{id}/restore', {
          params: { path: { id } },
          body: destroyNewer ? { destroyNewer } : {},
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useCloneSnapshot() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) =>
      call(() => api.POST('/api/v1/snapshots/{id}/clone', { params: { path: { id } }, body: { name } })),
    onSuccess: invalidate,
  });
}

export function useDeleteSnapshot() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      call(() => api.DELETE('/api/v1/snapshots/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const nameRule =
  'Letters, digits, dots, hyphens, underscores (1–63), starting with a letter or digit.';

export const volumeStatusTone = {
  creating: 'blue',
  available: 'green',
  attaching: 'blue',
  'in-use': 'violet',
  detaching: 'amber',
  deleting: 'orange',
  deleted: 'neutral',
  error: 'red',
} as const satisfies Record<Volume['status'], string>;

/** A detach refused because the disk is, or may be, mounted in the running guest (409 from the API). */
export interface DetachConflict {
  code: 'volume_mounted' | 'volume_maybe_mounted';
  /** Plain words for the dialog's title. */
  title: string;
  /** What to do instead of forcing. */
  advice: string;
  /** The API's own message (names the instance and the reason). */
  message: string;
}

export function detachConflict(error: unknown, device = 'the disk'): DetachConflict | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  if (error.code === 'volume_mounted') {
    const mp = typeof error.details?.mountpoint === 'string' ? error.details.mountpoint : null;
    return {
      code: error.code,
      title: `${device} is mounted${mp ? ` at ${mp}` : ''} inside the instance`,
      advice: `Unmount it in the guest first${mp ? ` (sudo umount ${mp})` : ''}, then detach again.`,
      message: error.message,
    };
  }
  if (error.code === 'volume_maybe_mounted') {
    return {
      code: error.code,
      title: `ProxiCloud cannot tell whether ${device} is still mounted`,
      advice:
        'The instance is running and its QEMU guest agent did not say. Unmount it in the guest, or stop the instance, then detach again.',
      message: error.message,
    };
  }
  return null;
}
