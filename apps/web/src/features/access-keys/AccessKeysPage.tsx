import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { KeyIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Badge,
  Button,
  buttonColumn,
  type Column,
  CopyableId,
  FormDialog,
  Input,
  MutationDialog,
  PageHeader,
  ResourceList,
  SecretOnceDialog,
  useToast,
} from '../../components/index.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useUrlFilters } from '../../lib/useUrlFilters.ts';
import { P } from '../auth/permissions.ts';
import { useSession } from '../auth/session.tsx';
import {
  type AccessKey,
  accessKeysQuery,
  type NewAccessKey,
  useCreateAccessKey,
  useDeleteAccessKey,
} from './api.ts';

const PAGE_SIZE = 20;

function downloadCsv(key: NewAccessKey, username: string) {
  const csv = `Access key ID,Secret access key\n${key.accessKeyId},${key.secretAccessKey}\n`;
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${username}_accessKeys.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { user } = useSession();
  const create = useCreateAccessKey();
  const [description, setDescription] = useState('');
  const created = create.data;
  const close = () => {
    setDescription('');
    create.reset();
    onClose();
  };

  if (created) {
    return (
      <SecretOnceDialog
        open={open}
        onClose={close}
        title="Access key created"
        download={{ label: 'Download .csv', onClick: () => downloadCsv(created, user.username) }}
        warning={{
          title: 'This is the only time the secret is shown',
          body: "Copy the secret access key or download it now and keep it somewhere safe. ProxiCloud keeps it encrypted with the server's master key (it needs the secret to check signed S3 requests) and never shows it again; if you lose it, delete this key and create a new one.",
        }}
      >
        <dl className="grid gap-3 text-sm">
          <div className="rounded-md border border-line p-3">
            <dt className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Access key ID</dt>
            <dd>
              <CopyableId value={created.accessKeyId} label="access key ID" />
            </dd>
          </div>
          <div className="rounded-md border border-line p-3">
            <dt className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">
              Secret access key
            </dt>
            <dd>
              <CopyableId value={created.secretAccessKey} label="secret access key" />
            </dd>
          </div>
        </dl>
        <p className="text-sm text-muted">
          Use them with the CLI or any HTTP client as{' '}
          <code className="rounded bg-panel-muted px-1 py-0.5 font-mono text-xs">
            Authorization: AccessKey &lt;id&gt;:&lt;secret&gt;
          </code>
          .
        </p>
      </SecretOnceDialog>
    );
  }

  return (
    <FormDialog
      open={open}
      onClose={close}
      mutation={create}
      errorTitle="Could not create the key"
      submitLabel="Create access key"
      title="Create access key"
      description="An access key lets the CLI, scripts and S3 tools act as you, with your role's permissions."
      onSubmit={() => create.mutate(description.trim())}
    >
      <Input
        label="Description (optional)"
        placeholder="e.g. laptop CLI, backup script"
        maxLength={200}
        autoFocus
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        hint="Helps you recognise the key later."
      />
    </FormDialog>
  );
}

function DeleteKeyDialog({ accessKey, onClose }: { accessKey: AccessKey | null; onClose: () => void }) {
  const toast = useToast();
  return (
    <MutationDialog
      target={accessKey}
      onClose={onClose}
      mutation={useDeleteAccessKey()}
      variables={(k) => k.accessKeyId}
      onSuccess={(k) => toast.success('Access key deleted', k.accessKeyId)}
      title="Delete access key?"
      confirmLabel="Delete key"
      errorTitle="Could not delete the key"
    >
      <p>
        Scripts and tools using{' '}
        <code className="rounded bg-panel-muted px-1 py-0.5 font-mono text-xs">{accessKey?.accessKeyId}</code>
        {accessKey?.description ? ` (${accessKey.description})` : ''} stop working immediately. This cannot be
        undone.
      </p>
    </MutationDialog>
  );
}

export default function AccessKeysPage() {
  const { can } = useSession();
  const { offset, setOffset } = useUrlFilters();
  const list = useQuery(accessKeysQuery(PAGE_SIZE, offset));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<AccessKey | null>(null);
  const canCreate = can(P.accessKeysCreate);
  const canDelete = can(P.accessKeysDelete);

  const columns: Column<AccessKey>[] = [
    {
      key: 'id',
      header: 'Access key ID',
      skeletonWidth: 'w-48',
      cell: (k) => <CopyableId value={k.accessKeyId} label={`access key ID ${k.accessKeyId}`} />,
    },
    {
      key: 'description',
      header: 'Description',
      skeletonWidth: 'w-32',
      cell: (k) => (k.description ? k.description : <span className="text-muted">—</span>),
    },
    {
      key: 'status',
      header: 'Status',
      skeletonWidth: 'w-14',
      cell: (k) => (
        <Badge tone={k.status === 'active' ? 'green' : 'neutral'} dot>
          {k.status.charAt(0).toUpperCase() + k.status.slice(1)}
        </Badge>
      ),
    },
    {
      key: 'created',
      header: 'Created',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (k) => <span className="text-muted">{formatDateTime(k.createdAt)}</span>,
    },
    {
      key: 'used',
      header: 'Last used',
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (k) => (
        <span className="text-muted" title={formatDateTime(k.lastUsedAt)}>
          {formatRelative(k.lastUsedAt)}
        </span>
      ),
    },
  ];
  if (canDelete) {
    columns.push(buttonColumn('Delete', (k) => `Delete access key ${k.accessKeyId}`, setDeleting));
  }

  return (
    <>
      <PageHeader
        eyebrow="IAM"
        title="Access keys"
        description="Your personal keys for the CLI, scripts and S3 tools. Each key acts with your permissions; keep secrets private."
        actions={
          canCreate ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create access key
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Access keys"
        errorTitle="Could not load access keys"
        list={list}
        columns={columns}
        rowKey={(k) => k.accessKeyId}
        skeletonRows={3}
        empty={{
          icon: <KeyIcon />,
          title: 'No access keys yet',
          body: canCreate
            ? 'Create one to use the proxicloud CLI or the API from scripts.'
            : 'Your role cannot create access keys.',
        }}
        pagination={{
          label: 'Access key pages',
          limit: PAGE_SIZE,
          offset,
          onChange: setOffset,
          onlyWhenPaged: true,
        }}
      />
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <DeleteKeyDialog key={deleting?.accessKeyId} accessKey={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
