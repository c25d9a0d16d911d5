import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { DatabaseIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  type Column,
  ConfirmDialog,
  cx,
  FormDialog,
  Input,
  MutationDialog,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useListParams } from '../../lib/useUrlFilters.ts';
import { useSession } from '../auth/session.tsx';
import { useBackupNow } from '../backups/api.ts';
import { instancesKey } from '../instances/api.ts';
import { useLiveEvents } from '../instances/events.ts';
import { LiveIndicator } from '../instances/InstancesPage.tsx';
import { OperationProgress } from '../instances/parts.tsx';
import {
  detachConflict,
  nameRule,
  useAttachVolume,
  useCreateSnapshot,
  useCreateVolume,
  useDeleteVolume,
  useDetachVolume,
  VOLUME_NAME,
  type Volume,
  volumeStatusTone,
  volumesQuery,
  volumeTypesQuery,
} from './api.ts';
import { useInstanceNames } from './instanceNames.ts';

const PAGE_SIZE = 20;

function CreateVolumeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateVolume();
  const toast = useToast();
  const types = useQuery({ ...volumeTypesQuery, enabled: open });
  const [name, setName] = useState('');
  const [size, setSize] = useState(10);
  const [volumeType, setVolumeType] = useState('');
  const [format, setFormat] = useState<'block' | 'filesystem'>('block');
  const [touched, setTouched] = useState(false);
  const close = () => {
    setName('');
    setTouched(false);
    create.reset();
    onClose();
  };
  const nameError = touched && !VOLUME_NAME.test(name) ? nameRule : null;
  const sizeError = !Number.isInteger(size) || size < 1 || size > 16_384 ? '1 to 16,384 GiB.' : null;
  return (
    <FormDialog
      open={open}
      onClose={close}
      title="Create volume"
      description="A block device you can attach to an instance, detach and attach elsewhere. It outlives the instance."
      mutation={create}
      errorTitle="Could not create the volume"
      submitLabel="Create volume"
      onSubmit={() => {
        setTouched(true);
        if (!VOLUME_NAME.test(name) || sizeError) return;
        create.mutate(
          { name, sizeGib: size, format, ...(volumeType ? { volumeType } : {}) },
          {
            onSuccess: (v) => {
              toast.success('Volume created', `${v.name} · ${v.sizeGib} GiB`);
              close();
            },
          },
        );
      }}
    >
      <Input
        label="Volume name"
        autoFocus
        value={name}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => setTouched(true)}
        placeholder="e.g. data"
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Input
          label="Size (GiB)"
          type="number"
          min={1}
          max={16384}
          value={size}
          error={sizeError}
          onChange={(e) => setSize(Number(e.target.value))}
        />
        <Select
          label="Volume type"
          value={volumeType}
          onChange={(e) => setVolumeType(e.target.value)}
          options={[
            { value: '', label: 'Default (ssd)' },
            ...(types.data?.items ?? []).map((t) => ({
              value: t.name,
              label: t.description ? `${t.name} · ${t.description}` : t.name,
            })),
          ]}
        />
      </div>
      <Select
        label="Used by"
        value={format}
        onChange={(e) => setFormat(e.target.value as 'block' | 'filesystem')}
        options={[
          { value: 'block', label: 'Virtual machines (a raw disk, /dev/sdX)' },
          { value: 'filesystem', label: 'Containers (a mounted directory)' },
        ]}
      />
    </FormDialog>
  );
}

function AttachDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
  const attach = useAttachVolume();
  const toast = useToast();
  const want = volume?.format === 'filesystem' ? 'lxc' : 'vm';
  const instances = useQuery({
    queryKey: [...instancesKey, 'list', { attach: want }],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/instances', {
          params: {
            query: { type: want, status: 'running,stopped', limit: 200, usage: false, sort: 'name' },
          },
        }),
      ),
    enabled: volume !== null,
  });
  const [instanceId, setInstanceId] = useState('');
  const [mountPath, setMountPath] = useState('');
  const close = () => {
    attach.reset();
    onClose();
  };
  const items = instances.data?.items ?? [];
  const chosen = instanceId || items[0]?.id || '';
  return (
    <FormDialog
      open={volume !== null}
      onClose={close}
      title={`Attach ${volume?.name ?? ''}`}
      description={
        want === 'vm'
          ? 'Appears in the VM as the next free disk (/dev/sdX). Running and stopped VMs on the same node are listed.'
          : 'Mounted into the container at the path you choose.'
      }
      mutation={attach}
      errorTitle="Could not attach the volume"
      submitLabel="Attach volume"
      submitDisabled={!chosen}
      onSubmit={() =>
        volume &&
        chosen &&
        attach.mutate(
          { id: volume.id, instanceId: chosen, ...(mountPath ? { mountPath } : {}) },
          {
            onSuccess: () => {
              toast.success('Attaching volume', volume.name);
              close();
            },
          },
        )
      }
    >
      {instances.data && items.length === 0 ? (
        <Alert tone="info" title={`No ${want === 'vm' ? 'VMs' : 'containers'} to attach to`}>
          {want === 'vm'
            ? 'This volume is a raw disk for virtual machines. Launch a VM first.'
            : 'This volume is a directory for containers. Launch an LXC container first.'}
        </Alert>
      ) : (
        <Select
          label="Instance"
          value={chosen}
          onChange={(e) => setInstanceId(e.target.value)}
          options={items.map((i) => ({
            value: i.id,
            label: `${i.name} (${i.id}) · ${i.status}${i.node && volume && i.node !== volume.node ? ` · other node ${i.node}` : ''}`,
          }))}
        />
      )}
      {want === 'lxc' ? (
        <Input
          label="Mount path (optional)"
          value={mountPath}
          placeholder={`/mnt/${volume?.name ?? 'data'}`}
          onChange={(e) => setMountPath(e.target.value)}
        />
      ) : null}
    </FormDialog>
  );
}

/**
 * Detach: first a normal detach. When the API answers 409 because the disk is (or may be) mounted in
 * the running guest, the dialog says so in plain words and offers "Force detach" (`force: true`).
 */
function DetachDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
  const detach = useDetachVolume();
  const toast = useToast();
  const close = () => {
    detach.reset();
    onClose();
  };
  const device = volume?.deviceName ?? 'the disk';
  const conflict = detachConflict(detach.error, device);
  return (
    <ConfirmDialog
      open={volume !== null}
      onClose={close}
      title={`Detach ${volume?.name ?? ''}?`}
      tone={conflict ? 'danger' : 'primary'}
      confirmLabel={conflict ? 'Force detach' : 'Detach volume'}
      pending={detach.isPending}
      error={conflict ? null : detach.error}
      errorTitle="Could not detach the volume"
      onConfirm={() =>
        volume &&
        detach.mutate(
          { id: volume.id, force: conflict !== null },
          {
            onSuccess: () => {
              toast.success('Detaching volume', volume.name);
              close();
            },
          },
        )
      }
    >
      {conflict ? (
        <Alert tone="warning" title={conflict.title}>
          <p>
            {conflict.advice} Force detach unplugs it anyway: programs writing to it can lose data that is not
            on the disk yet.
          </p>
          <p className="mt-1 text-xs opacity-80">{conflict.message}</p>
        </Alert>
      ) : (
        <Alert tone="warning" title="Unmount it in the guest first">
          If {device} is still mounted inside the instance, programs writing to it can lose data. ProxiCloud
          checks with the guest agent and asks before it detaches a disk that is, or may be, mounted.
        </Alert>
      )}
    </ConfirmDialog>
  );
}

function SnapshotDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
  const snap = useCreateSnapshot();
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const close = () => {
    snap.reset();
    setName('');
    setDescription('');
    setTouched(false);
    onClose();
  };
  const nameError = touched && !VOLUME_NAME.test(name) ? nameRule : null;
  return (
    <FormDialog
      open={volume !== null}
      onClose={close}
      title={`Snapshot ${volume?.name ?? ''}`}
      description="A point-in-time copy (ZFS snapshot): instant, and it only grows as the volume changes."
      mutation={snap}
      errorTitle="Could not create the snapshot"
      submitLabel="Create snapshot"
      onSubmit={() => {
        setTouched(true);
        if (!volume || !VOLUME_NAME.test(name)) return;
        snap.mutate(
          { id: volume.id, name, description: description.trim() },
          {
            onSuccess: (s) => {
              toast.success('Snapshot created', s.name);
              close();
            },
          },
        );
      }}
    >
      <Input
        label="Snapshot name"
        autoFocus
        value={name}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
        placeholder="e.g. before-upgrade"
      />
      <Input
        label="Description (optional)"
        value={description}
        maxLength={500}
        onChange={(e) => setDescription(e.target.value)}
      />
    </FormDialog>
  );
}

function DeleteVolumeDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
  const toast = useToast();
  return (
    <MutationDialog
      target={volume}
      onClose={onClose}
      mutation={useDeleteVolume()}
      variables={(v) => v.id}
      onSuccess={(v) => toast.success('Volume deleted', v.name)}
      title={`Delete volume ${volume?.name ?? ''}?`}
      confirmLabel="Delete volume"
      confirmText={volume?.name}
      errorTitle="Could not delete the volume"
    >
      <p>
        Destroys the {volume?.sizeGib} GiB volume <strong>{volume?.name}</strong> (
        <span className="whitespace-nowrap">{volume?.id}</span>) and every snapshot of it. The data cannot be
        recovered.
      </p>
    </MutationDialog>
  );
}

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
