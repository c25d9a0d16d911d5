import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  ConfirmDialog,
  CopyableId,
  PageHeader,
  Skeleton,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  appLogsQuery,
  appQuery,
  healthBadge,
  operationQuery,
  STATUS_TONE,
  useRemoveApp,
  useUpdateApp,
} from './api.ts';

const STEP_MARK: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  running: '…',
  skipped: '–',
  pending: '·',
};

function Steps({ opId }: { opId: string | null }) {
  const op = useQuery(operationQuery(opId));
  if (!opId || !op.data) return null;
  return (
    <ol className="flex flex-wrap gap-2" aria-label="Progress">
      {op.data.steps.map((s) => (
        <li key={s.name} data-step={s.name} data-status={s.status}>
          <Badge
            tone={
              s.status === 'succeeded'
                ? 'green'
                : s.status === 'failed'
                  ? 'red'
                  : s.status === 'running'
                    ? 'blue'
                    : 'neutral'
            }
          >
            <span aria-hidden="true">{STEP_MARK[s.status] ?? ''}</span> {s.name}
          </Badge>
        </li>
      ))}
    </ol>
  );
}

export default function AppPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const app = useQuery(appQuery(id));
  const [lastOp, setLastOp] = useState<string | null>(null);
  const active = app.data?.activeOperationId ?? null;
  useEffect(() => {
    if (active) setLastOp(active);
  }, [active]);
  const logs = useQuery(appLogsQuery(id, !!active));
  const refetchLogs = logs.refetch;
  // when an operation ends, fetch the log once more: its last lines arrived after the last poll
  useEffect(() => {
    if (!active && lastOp) void refetchLogs();
  }, [active, lastOp, refetchLogs]);
  const update = useUpdateApp();
  const remove = useRemoveApp();
  const [removing, setRemoving] = useState(false);
  const [deleteVolumes, setDeleteVolumes] = useState(false);
  const logRef = useRef<HTMLPreElement>(null);
  const lines = logs.data?.items.length ?? 0;
  useEffect(() => {
    if (lines && logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight;
  }, [lines]);

  if (app.error) return <Alert title="Could not load the app">{describeError(app.error)}</Alert>;
  if (!app.data) return <Skeleton className="h-64 w-full" />;
  const a = app.data;

  return (
    <>
      <PageHeader
        eyebrow="Apps"
        title={a.name}
        description={`${a.templateName} ${a.version}`}
        actions={
          <>
            {a.updateAvailable && a.baseType === 'vm' ? (
              <span className="self-center text-sm text-muted" data-testid="app-vm-update">
                {a.latestVersion} in the catalog: a VM app updates inside the VM (or deploy it anew)
              </span>
            ) : null}
            {a.updateAvailable && a.baseType === 'lxc' && can('apps:update') ? (
              <Button onClick={() => update.mutate(a.id)} loading={update.isPending} disabled={!!active}>
                Update to {a.latestVersion}
              </Button>
            ) : null}
            {can('apps:delete') ? (
              <Button variant="danger" onClick={() => setRemoving(true)} disabled={!!active}>
                Remove
              </Button>
            ) : null}
          </>
        }
      />
      {update.error ? <Alert title="Could not update">{describeError(update.error)}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card title="Status" className="min-w-0 lg:col-span-1">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted">Status</dt>
            <dd>
              <Badge tone={STATUS_TONE[a.status] ?? 'neutral'} dot>
                <span data-testid="app-status">{a.status}</span>
              </Badge>
            </dd>
            <dt className="text-muted">Health</dt>
            <dd>
              <Badge tone={healthBadge(a).tone}>{healthBadge(a).label}</Badge>
              {a.health.detail ? <span className="ml-2 text-xs text-muted">{a.health.detail}</span> : null}
            </dd>
            <dt className="text-muted">URL</dt>
            <dd className="min-w-0 truncate">
              {a.url ? (
                <a
                  href={a.url}
                  target="_blank"
                  rel="noreferrer"
                  className="text-primary hover:underline"
                  data-testid="app-url"
                >
                  {a.url}
                </a>
              ) : (
                '—'
              )}
            </dd>
            <dt className="text-muted">App id</dt>
            <dd>
              <CopyableId value={a.id} label="app id" />
            </dd>
            <dt className="text-muted">Instance</dt>
            <dd>
              {a.instanceId ? (
                <Link className="text-primary hover:underline" to={`/compute/instances/${a.instanceId}`}>
                  {a.name}
                </Link>
              ) : (
                '—'
              )}
            </dd>
            <dt className="text-muted">Volumes</dt>
            <dd>{a.volumeIds.length ? `${a.volumeIds.length} (see Volumes)` : 'none'}</dd>
            <dt className="text-muted">Created</dt>
            <dd>{formatDateTime(a.createdAt)}</dd>
          </dl>
          {a.error ? (
            <Alert className="mt-3" title={`Failed${a.error.step ? ` at ${a.error.step}` : ''}`}>
              {a.error.message}
            </Alert>
          ) : null}
        </Card>
        <Card title="Progress and install log" className="min-w-0 lg:col-span-2">
          <Steps opId={active ?? lastOp} />
          <pre
            ref={logRef}
            data-testid="app-log"
            className="mt-3 max-h-80 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100"
          >
            {logs.data?.items.length
              ? logs.data.items.map((l) => (
                  <div
                    key={l.seq}
                    className={
                      l.stream === 'stderr'
                        ? 'text-red-300'
                        : l.stream === 'system'
                          ? 'text-zinc-400'
                          : undefined
                    }
                  >
                    [{l.step}] {l.line}
                  </div>
                ))
              : 'No log lines yet.'}
          </pre>
          {active ? (
            <p className="mt-1 text-xs text-muted" data-testid="app-log-live">
              Live: the setup script's lines appear as it prints them (checked every second).
            </p>
          ) : null}
        </Card>
      </div>
      {a.notes && a.status === 'ready' ? (
        <Card title="After installing" className="mt-4">
          <p className="text-sm whitespace-pre-line" data-testid="app-notes">
            {a.notes}
          </p>
        </Card>
      ) : null}
      <ConfirmDialog
        open={removing}
        onClose={() => {
          setRemoving(false);
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(
            { app: a, deleteVolumes },
            {
              onSuccess: () => {
                setRemoving(false);
                void navigate('/apps');
              },
            },
          )
        }
        title={`Remove app ${a.name}?`}
        confirmLabel="Remove app"
        confirmText={a.name}
        pending={remove.isPending}
        error={remove.error}
      >
        <p className="text-sm">Its instance is terminated.</p>
        {a.volumeIds.length ? (
          <label className="mt-3 flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={deleteVolumes}
              onChange={(e) => setDeleteVolumes(e.target.checked)}
            />
            Also delete its {a.volumeIds.length} volume{a.volumeIds.length === 1 ? '' : 's'} (the data is
            gone)
          </label>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
