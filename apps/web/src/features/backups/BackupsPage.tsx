import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ArchiveIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  type Column,
  ConfirmDialog,
  CopyableId,
  Input,
  Menu,
  PageHeader,
  ResourceList,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatBytes, formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import {
  type BackupPolicy,
  type BackupRun,
  pointsQuery,
  policiesQuery,
  type RecoveryPoint,
  retentionText,
  runsQuery,
  runTone,
  useDeletePolicy,
  useRestorePoint,
  useRunPolicy,
} from './api.ts';
import { PolicyEditor } from './PolicyEditor.tsx';

const PAGE = 20;
const TABS = [
  ['policies', 'Policies'],
  ['runs', 'Runs'],
  ['points', 'Recovery points'],
] as const;

function RestoreDialog({ point, onClose }: { point: RecoveryPoint | null; onClose: () => void }) {
  const restore = useRestorePoint();
  const toast = useToast();
  const [mode, setMode] = useState<'new' | 'replace'>('new');
  const [name, setName] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fromCopy, setFromCopy] = useState(false);
  const close = () => {
    restore.reset();
    setFromCopy(false);
    onClose();
  };
  return (
    <ConfirmDialog
      open={point !== null}
      onClose={close}
      size="md"
      title={`Restore ${point?.resourceName ?? ''} from ${formatDateTime(point?.createdAt)}`}
      confirmLabel={mode === 'new' ? 'Restore as new' : 'Overwrite'}
      pending={restore.isPending}
      error={restore.error}
      errorTitle="Could not restore"
      onConfirm={() =>
        point &&
        restore.mutate(
          {
            id: point.id,
            mode,
            name: name || undefined,
            confirm: mode === 'replace' ? confirm : undefined,
            from: point.copyRef && mode === 'new' && fromCopy ? 'copy' : undefined,
          },
          {
            onSuccess: (r) => {
              toast.success('Restore started', `operation ${r.operation.id}`);
              close();
            },
          },
        )
      }
    >
      <fieldset className="flex flex-col gap-2 text-sm">
        <label className="flex items-center gap-2">
          <input type="radio" name="mode" checked={mode === 'new'} onChange={() => setMode('new')} />
          As a new {point?.resourceType ?? 'resource'} (the original is not touched)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="mode" checked={mode === 'replace'} onChange={() => setMode('replace')} />
          Over the original (it must be stopped; its current data is lost)
        </label>
      </fieldset>
      {mode === 'new' ? (
        <>
          <Input
            label="New name (optional)"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={`${point?.resourceName ?? ''}-restore`}
          />
          {point?.copyRef ? (
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-primary"
                checked={fromCopy}
                onChange={(e) => setFromCopy(e.target.checked)}
              />
              <span>
                From the copy in the backup dataset
                <span className="block break-all text-muted">
                  {point.copyRef} (used anyway when the volume is gone)
                </span>
              </span>
            </label>
          ) : null}
        </>
      ) : (
        <>
          <Alert tone="warning" title="This overwrites the original">
            Type <strong>{point?.resourceName}</strong> to confirm.
          </Alert>
          <Input label="Name of the resource" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </>
      )}
    </ConfirmDialog>
  );
}

export default function BackupsPage() {
  const { can } = useSession();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'policies';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const { live } = useLiveEvents();
  const policies = useQuery(policiesQuery(live));
  const runs = useQuery(runsQuery({ limit: PAGE, offset: tab === 'runs' ? offset : 0 }, live));
  const points = useQuery(pointsQuery({ limit: PAGE, offset: tab === 'points' ? offset : 0 }, live));
  const [editing, setEditing] = useState<BackupPolicy | null | 'new'>(null);
  const [restoring, setRestoring] = useState<RecoveryPoint | null>(null);
  const [deleting, setDeleting] = useState<BackupPolicy | null>(null);
  const runPolicy = useRunPolicy();
  const del = useDeletePolicy();
  const canCreate = can('backups:create');
  const canRestore = can('backups:restore');
  const pageTo = (o: number) => {
    const next = new URLSearchParams(params);
    if (o) next.set('offset', String(o));
    else next.delete('offset');
    setParams(next, { replace: true });
  };

  const policyColumns: Column<BackupPolicy>[] = [
    {
      key: 'name',
      header: 'Policy',
      cell: (p) => (
        <div className="flex flex-col">
          <span className="font-medium">{p.name}</span>
          <CopyableId value={p.id} label="Copy id" />
        </div>
      ),
    },
    {
      key: 'schedule',
      header: 'Schedule',
      className: 'hidden sm:table-cell',
      cell: (p) => (
        <span className="flex flex-col">
          <span>{p.scheduleDescription}</span>
          <span className="text-xs text-muted">Keep {retentionText(p.retention)}</span>
        </span>
      ),
    },
    {
      key: 'next',
      header: 'Next run',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (p) => (p.enabled ? formatDateTime(p.nextRuns[0]) : <Badge>disabled</Badge>),
    },
    {
      key: 'last',
      header: 'Last result',
      cell: (p) =>
        p.lastRun ? (
          <Badge tone={runTone(p.lastRun.status)} dot>
            {p.lastRun.status}
          </Badge>
        ) : (
          <span className="text-muted">never run</span>
        ),
    },
  ];
  if (canCreate)
    policyColumns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right',
      cell: (p) => (
        <Menu
          label={`Actions for ${p.name}`}
          trigger={<span>Actions</span>}
          actions={[
            {
              label: 'Run now',
              onSelect: () =>
                runPolicy.mutate(p.id, {
                  onSuccess: (r) => toast.success('Backup started', `${p.name}: run ${r.run.id}`),
                  onError: (e) => toast.error('Could not start the backup', describeError(e)),
                }),
            },
            { label: 'Edit', onSelect: () => setEditing(p) },
            { label: 'Delete', danger: true, onSelect: () => setDeleting(p) },
          ]}
        />
      ),
    });

  const runColumns: Column<BackupRun>[] = [
    {
      key: 'run',
      header: 'Run',
      cell: (r) => (
        <div className="flex flex-col">
          <span className="font-medium">{r.policyName ?? 'Back up now'}</span>
          <CopyableId value={r.id} label="Copy run id" />
        </div>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (r) => (
        <Badge tone={runTone(r.status)} dot>
          {r.status}
        </Badge>
      ),
    },
    {
      key: 'targets',
      header: 'Targets',
      className: 'hidden sm:table-cell',
      cell: (r) => (
        <ul className="text-sm">
          {r.targets.map((t) => (
            <li key={t.resourceId} title={t.log.join('\n')}>
              {t.resourceName}: {t.status}
              {t.sizeBytes ? ` · ${formatBytes(t.sizeBytes)}` : ''}
              {t.error ? <span className="text-red-700 dark:text-red-300"> — {t.error}</span> : null}
            </li>
          ))}
        </ul>
      ),
    },
    {
      key: 'when',
      header: 'Started',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (r) => (
        <span className="text-muted">
          {formatDateTime(r.startedAt ?? r.createdAt)} · {r.trigger}
          {r.prunedRecoveryPointIds.length ? ` · pruned ${r.prunedRecoveryPointIds.length}` : ''}
        </span>
      ),
    },
  ];

  const pointColumns: Column<RecoveryPoint>[] = [
    {
      key: 'resource',
      header: 'Resource',
      cell: (p) => (
        <div className="flex flex-col">
          <span className="font-medium">
            {p.resourceName} <span className="text-xs text-muted">({p.resourceType})</span>
          </span>
          <CopyableId value={p.id} label="Copy id" />
        </div>
      ),
    },
    {
      key: 'created',
      header: 'Taken',
      className: 'whitespace-nowrap',
      cell: (p) => formatDateTime(p.createdAt),
    },
    { key: 'size', header: 'Size', className: 'hidden sm:table-cell', cell: (p) => formatBytes(p.sizeBytes) },
    {
      key: 'where',
      header: 'Where',
      className: 'hidden lg:table-cell',
      cell: (p) => <span className="font-mono text-xs">{p.volid ?? `${p.storage} (ZFS snapshot)`}</span>,
    },
  ];
  if (canRestore)
    pointColumns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right',
      cell: (p) =>
        p.restoring ? (
          <Badge tone="blue">restoring</Badge>
        ) : (
          <Button size="sm" onClick={() => setRestoring(p)}>
            Restore
          </Button>
        ),
    });

  return (
    <>
      <PageHeader
        eyebrow="Backups"
        title="Backups"
        description="Scheduled backups of instances (Proxmox vzdump) and volumes (ZFS snapshots) with retention."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setEditing('new')}>
              New policy
            </Button>
          ) : null
        }
      />
      <div role="tablist" aria-label="Backups" className="mb-4 flex gap-2 border-b border-line">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={`px-3 py-2 text-sm ${tab === key ? 'border-b-2 border-primary font-medium' : 'text-muted'}`}
            onClick={() => setParams(key === 'policies' ? {} : { tab: key }, { replace: true })}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'policies' ? (
        <ResourceList
          caption="Backup policies"
          errorTitle="Could not load backup policies"
          list={policies}
          columns={policyColumns}
          rowKey={(p) => p.id}
          empty={{
            icon: <ArchiveIcon />,
            title: 'No backup policies',
            body: 'A policy backs up instances and volumes on a schedule and keeps as many copies as you say.',
            action: canCreate ? <Button onClick={() => setEditing('new')}>New policy</Button> : undefined,
          }}
        />
      ) : tab === 'runs' ? (
        <ResourceList
          caption="Backup runs"
          errorTitle="Could not load backup runs"
          list={runs}
          columns={runColumns}
          rowKey={(r) => r.id}
          empty={{
            icon: <ArchiveIcon />,
            title: 'No runs yet',
            body: 'Runs appear here when a policy fires or you back something up now.',
          }}
          pagination={{ label: 'Run pages', limit: PAGE, offset, onChange: pageTo }}
        />
      ) : (
        <ResourceList
          caption="Recovery points"
          errorTitle="Could not load recovery points"
          list={points}
          columns={pointColumns}
          rowKey={(p) => p.id}
          empty={{
            icon: <ArchiveIcon />,
            title: 'No recovery points',
            body: 'Every successful backup becomes a recovery point you can restore.',
          }}
          pagination={{ label: 'Recovery point pages', limit: PAGE, offset, onChange: pageTo }}
        />
      )}
      {editing !== null ? (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          policy={editing === 'new' ? null : editing}
          open
          onClose={() => setEditing(null)}
        />
      ) : null}
      <RestoreDialog key={`r-${restoring?.id}`} point={restoring} onClose={() => setRestoring(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete policy ${deleting?.name ?? ''}?`}
        confirmLabel="Delete policy"
        pending={del.isPending}
        error={del.error}
        errorTitle="Could not delete the policy"
        onConfirm={() =>
          deleting &&
          del.mutate(deleting.id, {
            onSuccess: () => {
              toast.success('Policy deleted', deleting.name);
              setDeleting(null);
            },
          })
        }
      >
        <p>Its schedule stops. Recovery points it made are kept until you delete them.</p>
      </ConfirmDialog>
    </>
  );
}
