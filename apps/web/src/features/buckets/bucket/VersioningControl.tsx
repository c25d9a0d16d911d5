import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Button, ConfirmDialog, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { bucketObjectLockQuery } from '../objectlock.ts';
import { useSetVersioning } from '../versions.ts';

/** The bucket's versioning status, with Enable / Suspend for users who may change buckets. */
export function VersioningControl({
  bucket,
  status,
  canUpdate,
}: {
  bucket: string;
  status: 'Enabled' | 'Suspended' | null;
  canUpdate: boolean;
}) {
  const set = useSetVersioning(bucket);
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  // S3 refuses to change versioning on a bucket with object lock: do not offer Suspend there
  const lock = useQuery({ ...bucketObjectLockQuery(bucket), enabled: status === 'Enabled' && canUpdate });
  const locked = lock.data?.enabled === true;
  const label =
    status === 'Enabled'
      ? 'Versioning on'
      : status === 'Suspended'
        ? 'Versioning suspended'
        : 'Versioning off';
  return (
    <span className="inline-flex items-center gap-2">
      <Badge tone={status === 'Enabled' ? 'green' : status === 'Suspended' ? 'amber' : 'neutral'}>
        {label}
      </Badge>
      {canUpdate ? (
        status === 'Enabled' ? (
          locked ? null : (
            <Button size="sm" onClick={() => setConfirming(true)}>
              Suspend versioning
            </Button>
          )
        ) : (
          <Button
            size="sm"
            disabled={set.isPending}
            onClick={() =>
              set.mutate('Enabled', {
                onSuccess: () =>
                  toast.success(
                    'Versioning enabled',
                    'Every overwrite and delete now keeps the previous version.',
                  ),
                onError: (e) => toast.error('Could not enable versioning', describeError(e)),
              })
            }
          >
            Enable versioning
          </Button>
        )
      ) : null}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        tone="primary"
        title={`Suspend versioning on ${bucket}?`}
        confirmLabel="Suspend versioning"
        pending={set.isPending}
        error={set.error}
        onConfirm={() => set.mutate('Suspended', { onSuccess: () => setConfirming(false) })}
      >
        Existing versions are kept. From now on an overwrite replaces the object’s “null” version instead of
        keeping the previous one. You can enable versioning again at any time.
      </ConfirmDialog>
    </span>
  );
}
