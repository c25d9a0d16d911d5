import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DatabaseIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Button,
  type Column,
  Dialog,
  DialogActions,
  Input,
  MutationDialog,
  PageHeader,
  ResourceList,
  useToast,
} from '../../components/index.ts';
import { ApiError, describeError } from '../../lib/api/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  type Bucket,
  bucketNameProblem,
  bucketsQuery,
  folderPath,
  formatBytes,
  useCreateBucket,
  useDeleteBucket,
} from './api.ts';
import { BP, StorageHelp } from './shared.tsx';

function CreateBucketDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateBucket();
  const toast = useToast();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [objectLock, setObjectLock] = useState(false);
  const problem = bucketNameProblem(name);
  const close = () => {
    setName('');
    setObjectLock(false);
    setTouched(false);
    create.reset();
    onClose();
  };
  const taken = create.error instanceof ApiError && create.error.status === 409;
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create bucket"
      description="A bucket holds objects (files). Names are shared by everyone on this server and cannot be changed later."
      dismissible={!create.isPending}
      onSubmit={() => {
        setTouched(true);
        if (problem) return;
        create.mutate(objectLock ? { name, objectLockEnabled: true } : name, {
          onSuccess: (b) => {
            toast.success('Bucket created', b.name);
            close();
            void navigate(folderPath(b.name));
          },
        });
      }}
      footer={<DialogActions onCancel={close} pending={create.isPending} submitLabel="Create bucket" />}
    >
      <div className="flex flex-col gap-4">
        {create.error && !taken ? (
          <Alert title="Could not create the bucket">{describeError(create.error)}</Alert>
        ) : null}
        <Input
          label="Bucket name"
          placeholder="e.g. family-photos"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={63}
          value={name}
          aria-invalid={(touched || name.length > 0) && problem !== null ? true : undefined}
          onChange={(e) => {
            setName(e.target.value);
            if (create.error) create.reset();
          }}
          onBlur={() => setTouched(true)}
          error={
            taken
              ? `"${name}" is already taken (bucket names are unique across all users). Try another.`
              : (touched || name.length >= 3) && problem
                ? problem
                : null
          }
          hint="3–63 lowercase letters, digits, dots and hyphens; begins and ends with a letter or digit."
        />
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-primary"
            checked={objectLock}
            onChange={(e) => setObjectLock(e.target.checked)}
          />
          <span>
            Object lock (write once, read many)
            <span className="block text-xs text-muted">
              Versions can be protected from deletion by a retention period or a legal hold. Turns versioning
              on for good; object lock cannot be turned off.
            </span>
          </span>
        </label>
        <p className="text-sm text-muted">
          Tools reach it as <code className="font-mono text-xs">s3://{name || 'name'}</code>, path-style at{' '}
          <code className="font-mono text-xs">/s3/{name || 'name'}</code>.
        </p>
      </div>
    </Dialog>
  );
}

function DeleteBucketDialog({ bucket, onClose }: { bucket: Bucket | null; onClose: () => void }) {
  const del = useDeleteBucket();
  const toast = useToast();
  const notEmpty = del.error instanceof ApiError && del.error.status === 409;
  return (
    <MutationDialog
      target={bucket}
      onClose={onClose}
      mutation={del}
      variables={(b) => b.name}
      onSuccess={(b) => toast.success('Bucket deleted', b.name)}
      title={`Delete bucket ${bucket?.name ?? ''}?`}
      confirmLabel="Delete bucket"
      confirmDisabled={notEmpty}
      error={notEmpty ? null : undefined}
      errorTitle="Could not delete the bucket"
    >
      {notEmpty && bucket ? (
        <Alert title="The bucket is not empty">
          Only empty buckets can be deleted, so nothing is lost by accident. Open{' '}
          <Link className="font-medium underline" to={folderPath(bucket.name)}>
            {bucket.name}
          </Link>
          , select everything and delete it, then try again (or use{' '}
          <code className="font-mono text-xs">proxicloud s3 rb {bucket.name} --force</code>).
        </Alert>
      ) : null}
      <p>
        {bucket && bucket.objectCount > 0
          ? `It still holds ${plural(bucket.objectCount, 'object')} (${formatBytes(bucket.sizeBytes)}); only empty buckets can be deleted.`
          : 'The bucket is empty. Its name becomes free for anyone to take.'}
      </p>
    </MutationDialog>
  );
}

export default function BucketsPage() {
  const { can, user } = useSession();
  const list = useQuery(bucketsQuery());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Bucket | null>(null);
  const canCreate = can(BP.bucketsCreate);
  const canDelete = can(BP.bucketsDelete);
  const showOwner = user.role === 'admin';

  const columns: Column<Bucket>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-40',
      cell: (b) => (
        <Link to={folderPath(b.name)} className="font-medium whitespace-nowrap text-primary hover:underline">
          {b.name}
        </Link>
      ),
    },
    {
      key: 'objects',
      header: 'Objects',
      className: 'text-right tabular-nums',
      skeletonWidth: 'w-10 ml-auto',
      cell: (b) => b.objectCount.toLocaleString(),
    },
    {
      key: 'size',
      header: 'Size',
      className: 'text-right tabular-nums whitespace-nowrap',
      skeletonWidth: 'w-14 ml-auto',
      cell: (b) => formatBytes(b.sizeBytes),
    },
    ...(showOwner
      ? [
          {
            key: 'owner',
            header: 'Owner',
            className: 'hidden md:table-cell',
            cell: (b: Bucket) => <span className="text-muted">{b.ownerUsername ?? b.ownerId}</span>,
          },
        ]
      : []),
    {
      key: 'created',
      header: 'Created',
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (b) => <span className="text-muted">{formatDateTime(b.createdAt)}</span>,
    },
  ];
  if (canDelete) {
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right',
      skeletonWidth: 'w-14',
      cell: (b) => (
        <Button size="sm" onClick={() => setDeleting(b)} aria-label={`Delete bucket ${b.name}`}>
          Delete
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeader
        eyebrow="Storage"
        title="Buckets"
        description="S3-compatible object storage. Upload and share files here, or use any S3 tool with your access keys."
        actions={
          canCreate ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create bucket
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Buckets"
        errorTitle="Could not load buckets"
        list={list}
        columns={columns}
        rowKey={(b) => b.name}
        skeletonRows={3}
        empty={{
          icon: <DatabaseIcon />,
          title: 'No buckets yet',
          action: canCreate ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create your first bucket
            </Button>
          ) : null,
          body: canCreate
            ? 'A bucket is a top-level container for files, like a drive. Create one, then drag files into it; backup tools such as restic or rclone can use it too.'
            : 'Your role can look at buckets but not create them. Ask an administrator for one.',
        }}
      />
      <StorageHelp />
      <CreateBucketDialog open={creating} onClose={() => setCreating(false)} />
      <DeleteBucketDialog key={deleting?.name} bucket={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
