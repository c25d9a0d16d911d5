// The volumes page's dialogs: create, attach, detach (with force after a 409), snapshot, delete.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  ConfirmDialog,
  FormDialog,
  Input,
  MutationDialog,
  Select,
  useToast,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { instancesKey } from '../instances/api.ts';
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
  volumeTypesQuery,
} from './api.ts';

export function CreateVolumeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
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

export function AttachDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
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
export function DetachDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
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

export function SnapshotDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
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

export function DeleteVolumeDialog({ volume, onClose }: { volume: Volume | null; onClose: () => void }) {
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
