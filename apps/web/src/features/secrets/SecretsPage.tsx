import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ChevronRightIcon, LockIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  type Column,
  Dialog,
  DialogActions,
  Input,
  PageHeader,
  ResourceList,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import { folderView, SECRET_NAME, type Secret, secretsQuery, useCreateSecret } from './api.ts';
import { SecretDialog } from './SecretDialog.tsx';

type Row = { kind: 'folder'; name: string } | { kind: 'secret'; secret: Secret };

export default function SecretsPage() {
  const { can } = useSession();
  useLiveEvents();
  const [params, setParams] = useSearchParams();
  const prefix = params.get('prefix') ?? '';
  const showDeleted = params.get('deleted') === '1';
  const list = useQuery(secretsQuery(prefix, showDeleted));
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const canCreate = can('secrets:create');
  const go = (p: string) =>
    setParams({ ...(p ? { prefix: p } : {}), ...(showDeleted ? { deleted: '1' } : {}) });

  const view = folderView(list.data?.items ?? [], prefix);
  const rows: Row[] = [
    ...view.folders.map((f): Row => ({ kind: 'folder', name: f })),
    ...view.secrets.map((s): Row => ({ kind: 'secret', secret: s })),
  ];
  const opened = list.data?.items.find((s) => s.id === openId) ?? null;
  const crumbs = prefix.split('/').filter(Boolean);

  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-32',
      cell: (r) =>
        r.kind === 'folder' ? (
          <button
            type="button"
            className="inline-flex items-center gap-1 font-medium text-primary hover:underline"
            onClick={() => go(prefix + r.name)}
          >
            <ChevronRightIcon className="h-4 w-4" aria-hidden="true" />
            {r.name}
          </button>
        ) : (
          <div className="flex flex-col">
            <button
              type="button"
              className="text-left font-medium text-primary hover:underline"
              onClick={() => setOpenId(r.secret.id)}
            >
              {r.secret.name.slice(prefix.length)}
            </button>
            {r.secret.description ? <span className="text-xs text-muted">{r.secret.description}</span> : null}
          </div>
        ),
    },
    {
      key: 'version',
      header: 'Version',
      className: 'hidden sm:table-cell',
      cell: (r) => (r.kind === 'secret' ? `v${r.secret.currentVersion}` : ''),
    },
    {
      key: 'access',
      header: 'Access',
      cell: (r) =>
        r.kind === 'secret' ? (
          r.secret.deletedAt ? (
            <Badge tone="red">deleted</Badge>
          ) : (
            <Badge>{r.secret.access}</Badge>
          )
        ) : null,
    },
    {
      key: 'updated',
      header: 'Updated',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (r) =>
        r.kind === 'secret' ? <span className="text-muted">{formatDateTime(r.secret.updatedAt)}</span> : null,
    },
  ];

  return (
    <>
      <PageHeader
        eyebrow="Secrets"
        title="Secrets"
        description="Passwords, API keys and certificates, encrypted at rest. Values show only when you reveal them, and every reveal is recorded in the audit log. Instances get them as environment variables."
        actions={
          canCreate ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create secret
            </Button>
          ) : null
        }
      />
      <nav aria-label="Folder" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
        <button type="button" className="text-primary hover:underline" onClick={() => go('')}>
          All secrets
        </button>
        {crumbs.map((c, i) => (
          <span key={crumbs.slice(0, i + 1).join('/')} className="flex items-center gap-1">
            <span className="text-muted">/</span>
            <button
              type="button"
              className="text-primary hover:underline"
              onClick={() => go(`${crumbs.slice(0, i + 1).join('/')}/`)}
            >
              {c}
            </button>
          </span>
        ))}
        <label className="ml-auto flex items-center gap-2 text-muted">
          <input
            type="checkbox"
            checked={showDeleted}
            onChange={(e) =>
              setParams({ ...(prefix ? { prefix } : {}), ...(e.target.checked ? { deleted: '1' } : {}) })
            }
          />
          Show deleted
        </label>
      </nav>
      <ResourceList
        caption="Secrets"
        errorTitle="Could not load secrets"
        list={{
          error: list.error,
          isPending: list.isPending,
          data: list.data ? { items: rows, total: rows.length } : undefined,
        }}
        columns={columns}
        rowKey={(r) => (r.kind === 'folder' ? `f:${r.name}` : r.secret.id)}
        skeletonRows={4}
        empty={{
          icon: <LockIcon />,
          title: prefix ? `Nothing in ${prefix}` : 'No secrets yet',
          body: canCreate
            ? 'Create a secret, then pick it in the launch wizard to hand it to an instance as an environment variable.'
            : 'Secrets shared with you appear here.',
        }}
      />
      <CreateSecretDialog open={creating} prefix={prefix} onClose={() => setCreating(false)} />
      {opened ? <SecretDialog key={opened.id} secret={opened} onClose={() => setOpenId(null)} /> : null}
    </>
  );
}

function CreateSecretDialog({
  open,
  prefix,
  onClose,
}: {
  open: boolean;
  prefix: string;
  onClose: () => void;
}) {
  const create = useCreateSecret();
  const toast = useToast();
  const [name, setName] = useState(prefix);
  const [value, setValue] = useState('');
  const [description, setDescription] = useState('');
  const [json, setJson] = useState(false);
  const [touched, setTouched] = useState(false);
  const close = () => {
    setName(prefix);
    setValue('');
    setDescription('');
    setTouched(false);
    create.reset();
    onClose();
  };
  const nameError =
    touched && !SECRET_NAME.test(name)
      ? "Path segments of letters, digits, '.', '_', '-' separated by '/'."
      : null;
  let jsonError: string | null = null;
  if (json && touched) {
    try {
      JSON.parse(value);
    } catch {
      jsonError = 'Not valid JSON.';
    }
  }
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title="Create secret"
      description="The value is encrypted before it is stored. Use folders in the name, e.g. app/db/password."
      dismissible={!create.isPending}
      onSubmit={() => {
        setTouched(true);
        if (!SECRET_NAME.test(name) || !value) return;
        let v: unknown = value;
        if (json) {
          try {
            v = JSON.parse(value);
          } catch {
            return;
          }
        }
        create.mutate(
          { name, value: v, encoding: json ? 'json' : 'text', ...(description ? { description } : {}) },
          {
            onSuccess: (s) => {
              toast.success('Secret created', `${s.name} · version 1`);
              close();
            },
          },
        );
      }}
      footer={<DialogActions onCancel={close} pending={create.isPending} submitLabel="Create secret" />}
    >
      <div className="flex flex-col gap-4">
        {create.error ? (
          <Alert title="Could not create the secret">{describeError(create.error)}</Alert>
        ) : null}
        <Input
          label="Name"
          autoFocus
          value={name}
          error={nameError}
          onChange={(e) => setName(e.target.value)}
          placeholder="app/db/password"
        />
        <div className="flex flex-col gap-1.5">
          <label htmlFor="secret-value" className="text-sm font-medium">
            Value
          </label>
          <textarea
            id="secret-value"
            rows={4}
            value={value}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setValue(e.target.value)}
            className="block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs text-fg shadow-sm focus-visible:outline-2 focus-visible:outline-ring"
          />
          {jsonError ? <p className="text-sm text-red-700 dark:text-red-400">{jsonError}</p> : null}
          <label className="flex items-center gap-2 text-sm text-muted">
            <input type="checkbox" checked={json} onChange={(e) => setJson(e.target.checked)} /> The value is
            JSON
          </label>
        </div>
        <Input
          label="Description (optional)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
    </Dialog>
  );
}
