import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { DatabaseIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Badge,
  Button,
  type Column,
  cx,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useListParams } from '../../lib/useUrlFilters.ts';
import { useSession } from '../auth/session.tsx';
import { useBackupNow } from '../backups/api.ts';
import { useLiveEvents } from '../instances/events.ts';
import { LiveIndicator } from '../instances/InstancesPage.tsx';
import { OperationProgress } from '../instances/parts.tsx';
import { type Volume, volumeStatusTone, volumesQuery } from './api.ts';
import { useInstanceNames } from './instanceNames.ts';
import {
  AttachDialog,
  CreateVolumeDialog,
  DeleteVolumeDialog,
  DetachDialog,
  SnapshotDialog,
} from './VolumeDialogs.tsx';

const PAGE_SIZE = 20;

export default function VolumesPage() {
  const { can } = useSession();
  const { live } = useLiveEvents();
  const { update, offset, q, search, setSearch, filters, filtered, setOffset } = useListParams(['status']);
  const { status } = filters;

  const list = useQuery(
    volumesQuery({ limit: PAGE_SIZE, offset, ...(q ? { q } : {}), ...(status ? { status } : {}) }, live),
  );
  const instanceNames = useInstanceNames(list.data?.items.map((v) => v.instanceId) ?? []);
  const [creating, setCreating] = useState(false);
  const [attaching, setAttaching] = useState<Volume | null>(null);
  const [detaching, setDetaching] = useState<Volume | null>(null);
  const [snapshotting, setSnapshotting] = useState<Volume | null>(null);
  const [deleting, setDeleting] = useState<Volume | null>(null);
  const canCreate = can('volumes:create');
  const canAttach = can('volumes:attach');
  const canDetach = can('volumes:detach');
  const canDelete = can('volumes:delete');
  const canSnap = can('snapshots:create');
  const canBackup = can('backups:create');
  const backupNow = useBackupNow();
  const toast = useToast();
  const anyAction = canAttach || canDetach || canDelete || canSnap || canBackup;

  const columns: Column<Volume>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-28',
      cell: (v) => (
        <div className="flex flex-col">
          <span className="font-medium">
            {v.name}
            <span className="font-normal text-muted sm:hidden"> · {v.sizeGib} GiB</span>
          </span>
          {/* On a phone the id may break: unbroken, it pushed the row's action menu out of the table. */}
          <span className="font-mono text-xs break-all text-muted sm:break-normal sm:whitespace-nowrap">
            {v.id}
          </span>
        </div>
      ),
    },
    {
      key: 'size',
      header: 'Size',
      className: 'hidden sm:table-cell whitespace-nowrap',
      skeletonWidth: 'w-12',
      cell: (v) => <span className="tabular-nums">{v.sizeGib} GiB</span>,
    },
    {
      key: 'type',
      header: 'Type',
      className: 'hidden sm:table-cell',
      skeletonWidth: 'w-16',
      cell: (v) => (
        <span className="flex flex-col">
          <span>{v.volumeType}</span>
          <span className="text-xs text-muted">{v.format === 'block' ? 'VM disk' : 'Container dir'}</span>
        </span>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      skeletonWidth: 'w-20',
      cell: (v) => (
        <div className="flex flex-col items-start gap-1">
          <Badge tone={volumeStatusTone[v.status]} dot>
            {v.status === 'in-use' ? 'In use' : v.status.charAt(0).toUpperCase() + v.status.slice(1)}
          </Badge>
          {v.activeOperationId ? <OperationProgress id={v.activeOperationId} compact /> : null}
          {v.status === 'error' && v.statusReason ? (
            <span className="text-xs text-red-700 dark:text-red-400">{v.statusReason}</span>
          ) : null}
        </div>
      ),
    },
    {
      key: 'attached',
      header: 'Attached to',
      className: 'hidden md:table-cell',
      skeletonWidth: 'w-24',
      cell: (v) =>
        v.instanceId ? (
          <span className="flex flex-col">
            <Link
              to={`/compute/instances/${v.instanceId}`}
              title={v.instanceId}
              className={cx(
                'text-primary hover:underline',
                instanceNames.has(v.instanceId) ? 'font-medium' : 'font-mono text-xs',
              )}
            >
              {instanceNames.get(v.instanceId) ?? v.instanceId}
            </Link>
            <span className="font-mono text-xs text-muted">{v.deviceName ?? v.device}</span>
          </span>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    {
      key: 'node',
      header: 'Node',
      className: 'hidden lg:table-cell whitespace-nowrap',
      skeletonWidth: 'w-16',
      cell: (v) => v.node,
    },
    {
      key: 'created',
      header: 'Created',
      className: 'hidden xl:table-cell whitespace-nowrap',
      cell: (v) => <span className="text-muted">{formatDateTime(v.createdAt)}</span>,
    },
  ];
  if (anyAction) {
    columns.push(
      menuColumn(
        (v) => v.name,
        (v) => {
          const busy = Boolean(v.activeOperationId);
          return [
            {
              label: 'Attach',
              hidden: !canAttach || busy || v.status !== 'available',
              onSelect: () => setAttaching(v),
            },
            {
              label: 'Detach',
              hidden: !canDetach || busy || v.status !== 'in-use',
              onSelect: () => setDetaching(v),
            },
            {
              label: 'Create snapshot',
              hidden: !canSnap || busy || (v.status !== 'available' && v.status !== 'in-use'),
              onSelect: () => setSnapshotting(v),
            },
            {
              label: 'Back up now',
              hidden: !canBackup || busy || (v.status !== 'available' && v.status !== 'in-use'),
              onSelect: () =>
                backupNow.mutate(
                  { type: 'volume', id: v.id },
                  {
                    onSuccess: (r) => toast.success('Backup started', `${v.name}: run ${r.run.id}`),
                    onError: (e) => toast.error('Could not start the backup', describeError(e)),
                  },
                ),
            },
            {
              label: 'Delete',
              danger: true,
              hidden: !canDelete || busy || v.status !== 'available',
              onSelect: () => setDeleting(v),
            },
          ];
        },
      ),
    );
  }

  return (
    <>
      <PageHeader
        eyebrow="Compute"
        title="Volumes"
        description="Block storage for your instances: create, attach, detach and snapshot. Volumes live on after their instance is terminated."
        actions={
          <>
            <LiveIndicator live={live} />
            {canCreate ? (
              <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
                Create volume
              </Button>
            ) : null}
          </>
        }
      />
      <ResourceList
        caption="Volumes"
        errorTitle="Could not load volumes"
        list={list}
        columns={columns}
        rowKey={(v) => v.id}
        skeletonRows={6}
        search={{
          label: 'Search volumes',
          placeholder: 'Search by name',
          value: search,
          onChange: setSearch,
        }}
        filters={
          <Select
            label="Status"
            hideLabel
            className="w-40"
            value={status}
            onChange={(e) => update({ status: e.target.value })}
            options={[
              { value: '', label: 'Any status' },
              { value: 'available', label: 'Available' },
              { value: 'in-use', label: 'In use' },
              { value: 'error', label: 'Error' },
            ]}
          />
        }
        empty={{
          icon: <DatabaseIcon />,
          title: filtered ? 'No volumes match these filters' : 'No volumes yet',
          body: filtered
            ? 'Try another search or clear the filters.'
            : canCreate
              ? 'Create a volume to give an instance extra disk space that survives the instance.'
              : 'Volumes you can see will appear here.',
        }}
        pagination={{ label: 'Volume pages', limit: PAGE_SIZE, offset, onChange: setOffset }}
      />
      <CreateVolumeDialog open={creating} onClose={() => setCreating(false)} />
      <AttachDialog key={`a-${attaching?.id}`} volume={attaching} onClose={() => setAttaching(null)} />
      <DetachDialog key={`d-${detaching?.id}`} volume={detaching} onClose={() => setDetaching(null)} />
      <SnapshotDialog
        key={`s-${snapshotting?.id}`}
        volume={snapshotting}
        onClose={() => setSnapshotting(null)}
      />
      <DeleteVolumeDialog key={`x-${deleting?.id}`} volume={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
