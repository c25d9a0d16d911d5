import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ArchiveIcon } from '../../components/icons.tsx';
import {
  Alert,
  type Column,
  ConfirmDialog,
  FormDialog,
  Input,
  MutationDialog,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { formatBytes, formatDateTime } from '../../lib/format.ts';
import { useUrlFilters } from '../../lib/useUrlFilters.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import {
  nameRule,
  type Snapshot,
  snapshotsQuery,
  useCloneSnapshot,
  useDeleteSnapshot,
  useRestoreSnapshot,
  VOLUME_NAME,
  volumesQuery,
} from '../volumes/api.ts';

const PAGE_SIZE = 20;

function RestoreDialog({
  snapshot,
  volumeName,
  onClose,
}: {
  snapshot: Snapshot | null;
  volumeName: string;
  onClose: () => void;
}) {
  const restore = useRestoreSnapshot();
  const toast = useToast();
  const [destroyNewer, setDestroyNewer] = useState(false);
  const close = () => {
    restore.reset();
    setDestroyNewer(false);
    onClose();
  };
  return (
    <ConfirmDialog
      open={snapshot !== null}
      onClose={close}
      size="md"
      title={`Restore ${volumeName} to ${snapshot?.name ?? ''}?`}
      confirmLabel="Restore volume"
      pending={restore.isPending}
      error={restore.error}
      errorTitle="Could not restore"
      onConfirm={() =>
        snapshot &&
        restore.mutate(
          { id: snapshot.id, destroyNewer },
          {
            onSuccess: (r) => {
              toast.success(
                'Volume restored',
                r.destroyedSnapshots.length
                  ? `${volumeName}; ${r.destroyedSnapshots.length} newer snapshot(s) removed`
                  : volumeName,
              );
              close();
            },
          },
        )
      }
    >
      <Alert tone="warning" title="Changes made after this snapshot are lost">
        The volume must be detached, or its instance stopped. Everything written since{' '}
        {formatDateTime(snapshot?.createdAt)} is replaced by the snapshot's content.
      </Alert>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          className="size-4 accent-primary"
          checked={destroyNewer}
          onChange={(e) => setDestroyNewer(e.target.checked)}
        />
        Also delete snapshots newer than this one (ZFS can only roll back to the latest)
      </label>
    </ConfirmDialog>
  );
}

function CloneDialog({ snapshot, onClose }: { snapshot: Snapshot | null; onClose: () => void }) {
  const clone = useCloneSnapshot();
  const toast = useToast();
  const [name, setName] = useState(snapshot ? `${snapshot.name}-copy`.slice(0, 63) : '');
  const close = () => {
    clone.reset();
    onClose();
  };
  const nameError = name && !VOLUME_NAME.test(name) ? nameRule : null;
  return (
    <FormDialog
      open={snapshot !== null}
      onClose={close}
      title={`New volume from ${snapshot?.name ?? ''}`}
      description="Creates an independent volume with the snapshot's content."
      mutation={clone}
      errorTitle="Could not create the volume"
      submitLabel="Create volume"
      gap="gap-3"
      onSubmit={() =>
        snapshot &&
        VOLUME_NAME.test(name) &&
        clone.mutate(
          { id: snapshot.id, name },
          {
            onSuccess: (v) => {
              toast.success('Volume created from snapshot', v.name);
              close();
            },
          },
        )
      }
    >
      <Input
        label="New volume name"
        autoFocus
        value={name}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
      />
    </FormDialog>
  );
}

function DeleteSnapshotDialog({ snapshot, onClose }: { snapshot: Snapshot | null; onClose: () => void }) {
  const toast = useToast();
  return (
    <MutationDialog
      target={snapshot}
      onClose={onClose}
      mutation={useDeleteSnapshot()}
      variables={(s) => s.id}
      onSuccess={(s) => toast.success('Snapshot deleted', s.name)}
      title={`Delete snapshot ${snapshot?.name ?? ''}?`}
      confirmLabel="Delete snapshot"
      errorTitle="Could not delete the snapshot"
    >
      <p>The volume is not changed; you can no longer restore it to this point.</p>
    </MutationDialog>
  );
}

export default function SnapshotsPage() {
  const { can } = useSession();
  const { live } = useLiveEvents();
  const { params, update, offset, setOffset } = useUrlFilters();
  const volumeId = params.get('volumeId') ?? '';
  const list = useQuery(
    snapshotsQuery({ limit: PAGE_SIZE, offset, ...(volumeId ? { volumeId } : {}) }, live),
  );
  const vols = useQuery(volumesQuery({ limit: 1000, offset: 0 }, live));
  const volName = (id: string) => vols.data?.items.find((v) => v.id === id)?.name ?? id;
  const [restoring, setRestoring] = useState<Snapshot | null>(null);
  const [cloning, setCloning] = useState<Snapshot | null>(null);
  const [deleting, setDeleting] = useState<Snapshot | null>(null);
  const canRestore = can('snapshots:restore');
  const canClone = can('volumes:create');
  const canDelete = can('snapshots:delete');

  const columns: Column<Snapshot>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-28',
      cell: (s) => (
        <div className="flex flex-col">
          <span className="font-medium">{s.name}</span>
          <span className="text-xs text-muted sm:hidden">of {volName(s.volumeId)}</span>
          <span className="font-mono text-xs whitespace-nowrap text-muted">{s.id}</span>
        </div>
      ),
    },
    {
      key: 'volume',
      header: 'Volume',
      className: 'hidden sm:table-cell',
      skeletonWidth: 'w-24',
      cell: (s) => (
        <span className="flex flex-col">
          <span>{volName(s.volumeId)}</span>
          <span className="font-mono text-xs whitespace-nowrap text-muted">{s.volumeId}</span>
        </span>
      ),
    },
    {
      key: 'desc',
      header: 'Description',
      className: 'hidden lg:table-cell',
      cell: (s) => s.description || <span className="text-muted">—</span>,
    },
    {
      key: 'size',
      header: 'Size',
      className: 'hidden sm:table-cell whitespace-nowrap',
      skeletonWidth: 'w-12',
      cell: (s) => <span className="tabular-nums">{formatBytes(s.sizeBytes)}</span>,
    },
    {
      key: 'created',
      header: 'Taken',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (s) => <span className="text-muted">{formatDateTime(s.createdAt)}</span>,
    },
  ];
  if (canRestore || canClone || canDelete) {
    columns.push(
      menuColumn(
        (s) => s.name,
        (s) => [
          { label: 'Restore volume', hidden: !canRestore, onSelect: () => setRestoring(s) },
          { label: 'Create volume from snapshot', hidden: !canClone, onSelect: () => setCloning(s) },
          { label: 'Delete', danger: true, hidden: !canDelete, onSelect: () => setDeleting(s) },
        ],
      ),
    );
  }

  return (
    <>
      <PageHeader
        eyebrow="Compute"
        title="Snapshots"
        description="Point-in-time copies of your volumes. Restore a volume to one, or create a new volume from it."
      />
      <ResourceList
        caption="Snapshots"
        errorTitle="Could not load snapshots"
        list={list}
        columns={columns}
        rowKey={(s) => s.id}
        skeletonRows={5}
        filters={
          <Select
            label="Volume"
            hideLabel
            className="w-64"
            value={volumeId}
            onChange={(e) => update({ volumeId: e.target.value })}
            options={[
              { value: '', label: 'All volumes' },
              ...(vols.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.id})` })),
            ]}
          />
        }
        empty={{
          icon: <ArchiveIcon />,
          title: 'No snapshots yet',
          body: 'Take one from the Volumes page (Actions → Create snapshot) before a risky change.',
        }}
        pagination={{ label: 'Snapshot pages', limit: PAGE_SIZE, offset, onChange: setOffset }}
      />
      <RestoreDialog
        key={`r-${restoring?.id}`}
        snapshot={restoring}
        volumeName={restoring ? volName(restoring.volumeId) : ''}
        onClose={() => setRestoring(null)}
      />
      <CloneDialog key={`c-${cloning?.id}`} snapshot={cloning} onClose={() => setCloning(null)} />
      <DeleteSnapshotDialog key={`d-${deleting?.id}`} snapshot={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
