import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Button, ConfirmDialog, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { bucketEncryptionQuery, useSetBucketEncryption } from '../encryption.ts';

/** The bucket's default encryption (SSE-S3), with Encrypt / Stop encrypting for users who may change buckets. */
export function EncryptionControl({ bucket, canUpdate }: { bucket: string; canUpdate: boolean }) {
  const cfg = useQuery(bucketEncryptionQuery(bucket));
  const set = useSetBucketEncryption(bucket);
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  if (!cfg.data) return null;
  const on = cfg.data.algorithm !== null;
  return (
    <span className="inline-flex items-center gap-2">
      <Badge tone={on ? 'green' : 'neutral'}>
        {on ? 'Encrypted by default (AES256)' : 'Default encryption off'}
      </Badge>
      {canUpdate ? (
        on ? (
          <Button size="sm" onClick={() => setConfirming(true)}>
            Stop encrypting
          </Button>
        ) : (
          <Button
            size="sm"
            disabled={set.isPending}
            onClick={() =>
              set.mutate('AES256', {
                onSuccess: () =>
                  toast.success(
                    'Default encryption on',
                    'New objects are encrypted at rest (AES-256-GCM, SSE-S3). Existing objects stay as they are.',
                  ),
                onError: (e) => toast.error('Could not turn on default encryption', describeError(e)),
              })
            }
          >
            Encrypt new objects
          </Button>
        )
      ) : null}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        tone="primary"
        title={`Stop encrypting new objects in ${bucket}?`}
        confirmLabel="Stop encrypting"
        pending={set.isPending}
        error={set.error}
        onConfirm={() => set.mutate(null, { onSuccess: () => setConfirming(false) })}
      >
        Objects already encrypted stay encrypted and readable. New objects are stored as sent unless the
        upload asks for encryption (S3 clients: x-amz-server-side-encryption or SSE-C keys).
      </ConfirmDialog>
    </span>
  );
}
