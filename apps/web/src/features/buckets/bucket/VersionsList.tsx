import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DownloadIcon } from '../../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  ConfirmDialog,
  CopyableId,
  Spinner,
  useToast,
} from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useSession } from '../../auth/session.tsx';
import { formatBytes } from '../api.ts';
import { bucketObjectLockQuery, type DeleteGate, deleteGate, versionLockQuery } from '../objectlock.ts';
import { BP } from '../shared.tsx';
import {
  downloadVersion,
  type ObjectVersion,
  objectVersionsQuery,
  useDeleteVersion,
  useRestoreVersion,
} from '../versions.ts';

/** The versions of one object (newest first): download, restore as current, delete for good. */
export function VersionsList({
  bucket,
  objectKey,
  canWrite,
  canDelete,
}: {
  bucket: string;
  objectKey: string;
  canWrite: boolean;
  canDelete: boolean;
}) {
  const versions = useQuery(objectVersionsQuery(bucket, objectKey));
  const restore = useRestoreVersion(bucket);
  const remove = useDeleteVersion(bucket);
  const toast = useToast();
  const [deleting, setDeleting] = useState<{ v: ObjectVersion; gate: DeleteGate } | null>(null);
  const lockCfg = useQuery(bucketObjectLockQuery(bucket));
  const lockEnabled = lockCfg.data?.enabled === true;
  const mayBypass = useSession().can(BP.objectsBypassGovernance);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Versions</h3>
      {versions.error ? (
        <Alert title="Could not load the versions">{describeError(versions.error)}</Alert>
      ) : null}
      {versions.isPending ? <Spinner className="size-5" /> : null}
      {versions.data && versions.data.length === 0 ? (
        <p className="text-sm text-muted">No versions yet.</p>
      ) : null}
      <ul
        className="flex flex-col divide-y divide-zinc-200 text-sm dark:divide-zinc-700"
        aria-label="Versions"
      >
        {versions.data?.map((v) => (
          <li key={v.versionId} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
            <span className="min-w-0 grow">
              <span className="flex flex-wrap items-center gap-2">
                <span>{formatDateTime(v.lastModified)}</span>
                {v.isLatest ? <Badge tone="green">Current</Badge> : null}
                {v.isDeleteMarker ? <Badge tone="red">Delete marker</Badge> : null}
                {!v.isDeleteMarker ? <span className="text-muted">{formatBytes(v.size)}</span> : null}
              </span>
              <CopyableId value={v.versionId} label="version id" />
            </span>
            {!v.isDeleteMarker ? (
              <Button
                size="sm"
                icon={<DownloadIcon />}
                aria-label={`Download version ${v.versionId}`}
                onClick={() =>
                  downloadVersion(bucket, objectKey, v.versionId).catch((e) =>
                    toast.error('Download failed', describeError(e)),
                  )
                }
              >
                Download
              </Button>
            ) : null}
            {canWrite && !v.isLatest && !v.isDeleteMarker ? (
              <Button
                size="sm"
                disabled={restore.isPending}
                onClick={() =>
                  restore.mutate(
                    { key: objectKey, versionId: v.versionId },
                    {
                      onSuccess: () =>
                        toast.success('Version restored', 'A copy of it is now the current version.'),
                      onError: (e) => toast.error('Could not restore the version', describeError(e)),
                    },
                  )
                }
              >
                Restore
              </Button>
            ) : null}
            {canDelete ? (
              <VersionDeleteButton
                bucket={bucket}
                objectKey={objectKey}
                version={v}
                lockEnabled={lockEnabled}
                mayBypass={mayBypass}
                onDelete={(gate) => setDeleting({ v, gate })}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={deleting?.v.isDeleteMarker ? 'Remove this delete marker?' : 'Delete this version for good?'}
        confirmLabel={deleting?.v.isDeleteMarker ? 'Remove marker' : 'Delete version'}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            {
              key: objectKey,
              versionId: deleting.v.versionId,
              ...(deleting.gate.bypass ? { bypassGovernance: true } : {}),
            },
            { onSuccess: () => setDeleting(null) },
          )
        }
      >
        {deleting?.v.isDeleteMarker
          ? 'The newest version before the marker becomes the current one again.'
          : 'This version’s bytes are deleted and cannot be recovered. If it is the current version, the next newest becomes current.'}
        {deleting?.gate.bypass
          ? ` ${deleting.gate.reason}: as an admin you delete it anyway, bypassing the governance retention.`
          : null}
      </ConfirmDialog>
    </div>
  );
}

/**
 * A version's Delete button. In a bucket with object lock it asks for that version's lock: a legal
 * hold or unexpired retention disables it (with the reason), except GOVERNANCE for users who may bypass.
 */
function VersionDeleteButton({
  bucket,
  objectKey,
  version,
  lockEnabled,
  mayBypass,
  onDelete,
}: {
  bucket: string;
  objectKey: string;
  version: ObjectVersion;
  lockEnabled: boolean;
  mayBypass: boolean;
  onDelete: (gate: DeleteGate) => void;
}) {
  const check = lockEnabled && !version.isDeleteMarker;
  const lock = useQuery({ ...versionLockQuery(bucket, objectKey, version.versionId), enabled: check });
  const gate = deleteGate(check ? lock.data : undefined, Date.now(), mayBypass, formatDateTime);
  const hintId = `lock-${version.versionId}`;
  return (
    <>
      {gate.reason ? (
        <span id={hintId} className="text-xs text-muted">
          {gate.reason}
        </span>
      ) : null}
      <Button
        size="sm"
        variant="danger"
        disabled={gate.disabled || (check && lock.isPending)}
        title={gate.reason ?? undefined}
        aria-describedby={gate.reason ? hintId : undefined}
        onClick={() => onDelete(gate)}
      >
        Delete
      </Button>
    </>
  );
}
