import { useState } from 'react';
import { Alert, Button, CopyableId, Dialog, Select } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { presign } from '../api.ts';

const EXPIRY_CHOICES = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
];

export function ShareDialog({
  bucket,
  objectKey,
  onClose,
}: {
  bucket: string;
  objectKey: string | null;
  onClose: () => void;
}) {
  const [expires, setExpires] = useState('3600');
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setLink(null);
    setError(null);
    onClose();
  };
  return (
    <Dialog
      open={objectKey !== null}
      onClose={close}
      title="Share link"
      description="Anyone with the link can download this object until it expires, without signing in."
      onSubmit={async () => {
        if (!objectKey) return;
        setBusy(true);
        setError(null);
        try {
          const r = await presign(bucket, objectKey, Number(expires));
          setLink({ url: r.url, expiresAt: r.expiresAt });
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
      footer={
        <>
          <Button onClick={close}>Close</Button>
          <Button type="submit" variant="primary" loading={busy}>
            {link ? 'Create another link' : 'Create link'}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="truncate font-mono text-xs text-muted" title={objectKey ?? ''}>
          s3://{bucket}/{objectKey}
        </p>
        <Select
          label="Expires after"
          value={expires}
          onChange={(e) => {
            setExpires(e.target.value);
            setLink(null);
          }}
          options={EXPIRY_CHOICES}
        />
        {error ? <Alert title="Could not create the link">{describeError(error)}</Alert> : null}
        {link ? (
          <div className="rounded-md border border-line p-3">
            <p className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Link</p>
            <CopyableId value={link.url} label="share link" />
            <p className="mt-2 text-xs text-muted">
              Expires {formatDateTime(link.expiresAt)}. The link cannot be revoked early except by deleting or
              renaming the object.
            </p>
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
