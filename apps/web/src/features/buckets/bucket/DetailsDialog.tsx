import { useQuery } from '@tanstack/react-query';
import { DownloadIcon } from '../../../components/icons.tsx';
import { Alert, Button, CopyableId, Dialog, Spinner, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { downloadObject, formatBytes, metadataQuery } from '../api.ts';
import { encryptionText } from '../encryption.ts';
import { LinkIcon } from '../shared.tsx';
import { ObjectLockPanel } from './ObjectLockPanel.tsx';
import { ObjectTags } from './ObjectTags.tsx';
import { VersionsList } from './VersionsList.tsx';

export function DetailsDialog({
  bucket,
  objectKey,
  versioned = false,
  canWrite = false,
  canDelete = false,
  onClose,
  onShare,
}: {
  bucket: string;
  objectKey: string | null;
  /** The bucket has versioning configured: show the object's versions. */
  versioned?: boolean;
  canWrite?: boolean;
  canDelete?: boolean;
  onClose: () => void;
  onShare: (key: string) => void;
}) {
  const meta = useQuery({ ...metadataQuery(bucket, objectKey ?? ''), enabled: objectKey !== null });
  const toast = useToast();
  const m = meta.data;
  const rows: [string, React.ReactNode][] = m
    ? [
        ['Key', <CopyableId key="k" value={m.key} label="object key" />],
        ['Size', `${formatBytes(m.size)} (${m.size.toLocaleString()} bytes)`],
        ['Content type', m.contentType],
        ['Last modified', formatDateTime(m.lastModified)],
        ['ETag', <CopyableId key="e" value={m.etag} label="ETag" />],
        ...(m.partsCount ? [['Parts', String(m.partsCount)] as [string, string]] : []),
        ['Encryption', encryptionText(m.encryption)],
        ...(m.cacheControl ? [['Cache-Control', m.cacheControl] as [string, string]] : []),
        ...(m.contentDisposition ? [['Content-Disposition', m.contentDisposition] as [string, string]] : []),
        ...(m.contentEncoding ? [['Content-Encoding', m.contentEncoding] as [string, string]] : []),
      ]
    : [];
  const userMeta = m ? Object.entries(m.metadata) : [];
  return (
    <Dialog
      open={objectKey !== null}
      onClose={onClose}
      size="lg"
      title={objectKey?.split('/').pop() || 'Object'}
      description={`s3://${bucket}/${objectKey ?? ''}`}
      footer={
        <>
          <Button
            icon={<DownloadIcon />}
            onClick={() =>
              objectKey &&
              downloadObject(bucket, objectKey).catch((e) => toast.error('Download failed', describeError(e)))
            }
          >
            Download
          </Button>
          <Button icon={<LinkIcon />} onClick={() => objectKey && onShare(objectKey)}>
            Share link
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {meta.error ? <Alert title="Could not load the metadata">{describeError(meta.error)}</Alert> : null}
      {meta.isPending ? (
        <div className="flex justify-center py-8">
          <Spinner className="size-6" />
        </div>
      ) : null}
      {m ? (
        <div className="flex flex-col gap-4">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            {rows.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd className="min-w-0 break-words">{value}</dd>
              </div>
            ))}
          </dl>
          <div>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">User metadata</h3>
            {userMeta.length ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 font-mono text-xs">
                {userMeta.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-muted">x-amz-meta-{k}</dt>
                    <dd className="break-all">{v}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-muted">
                None. S3 tools can attach some with <code className="font-mono text-xs">x-amz-meta-*</code>{' '}
                headers.
              </p>
            )}
          </div>
          {objectKey ? <ObjectTags bucket={bucket} objectKey={objectKey} canWrite={canWrite} /> : null}
          {versioned && objectKey ? (
            <ObjectLockPanel bucket={bucket} objectKey={objectKey} canWrite={canWrite} />
          ) : null}
          {versioned && objectKey ? (
            <VersionsList bucket={bucket} objectKey={objectKey} canWrite={canWrite} canDelete={canDelete} />
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
