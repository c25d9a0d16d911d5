import { useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ChevronLeftIcon, CodeIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  Card,
  CopyableId,
  cx,
  EmptyState,
  PageHeader,
  Skeleton,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.ts';
import { BackupCard } from '../backups/BackupCard.tsx';
import { ConsoleButton } from '../consoles/ConsoleButton.tsx';
import { keyPairsKey } from '../key-pairs/api.ts';
import { InstanceNetworkingCard } from '../networking/InstanceNetworkingCard.tsx';
import { volumesKey } from '../volumes/api.ts';
import {
  actionAllowed,
  actionLabels,
  formatMiB,
  type Instance,
  type InstanceAction,
  instanceOperationsQuery,
  instanceQuery,
  type Operation,
} from './api.ts';
import { useLiveEvents } from './events.ts';
import { LiveIndicator, useCanAct } from './InstancesPage.tsx';
import { ActionDialog, OperationFailure, OperationProgress, StatusBadge, UsageBar } from './parts.tsx';
import { SecretEnvCard } from './SecretEnvCard.tsx';

// The charts (and their library) load when the Metrics tab is first opened.
const MetricsTab = lazy(() => import('./MetricsTab.tsx'));

const TABS = ['Details', 'Activity', 'Volumes', 'Console', 'Metrics'] as const;
type Tab = (typeof TABS)[number];

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-3 sm:grid-cols-[9rem_minmax(0,1fr)] py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const opTitles: Record<string, string> = {
  'instance.launch': 'Launch',
  'instance.start': 'Start',
  'instance.stop': 'Stop',
  'instance.reboot': 'Reboot',
  'instance.terminate': 'Terminate',
  'volume.attach': 'Attach volume',
  'volume.detach': 'Detach volume',
};

function Timeline({ ops }: { ops: Operation[] }) {
  if (ops.length === 0) return <p className="text-sm text-muted">No operations yet.</p>;
  return (
    <ol className="relative flex flex-col gap-5 border-l border-line pl-5">
      {ops.map((o) => (
        <li key={o.id} className="relative">
          <span
            aria-hidden="true"
            className={cx(
              'absolute -left-[1.65rem] top-1 size-3 rounded-full ring-4 ring-panel',
              o.status === 'succeeded'
                ? 'bg-green-600'
                : o.status === 'failed'
                  ? 'bg-red-600'
                  : 'bg-blue-600',
            )}
          />
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className="font-medium">{opTitles[o.action] ?? o.action}</span>
            <Badge tone={o.status === 'succeeded' ? 'green' : o.status === 'failed' ? 'red' : 'blue'}>
              {o.status}
            </Badge>
            <span className="text-xs text-muted" title={formatDateTime(o.createdAt)}>
              {formatRelative(o.createdAt)}
            </span>
          </div>
          {o.status === 'running' || o.status === 'pending' ? (
            <div className="mt-2 max-w-sm">
              <OperationProgress id={o.id} />
            </div>
          ) : null}
          {o.status === 'failed' ? (
            <div className="mt-1">
              <OperationFailure op={o} />
            </div>
          ) : null}
          {o.steps.length ? (
            <ul className="mt-2 flex flex-col gap-0.5 text-xs text-muted">
              {o.steps.map((s) => (
                <li key={s.name}>
                  <span aria-hidden="true">
                    {s.status === 'succeeded'
                      ? '✓'
                      : s.status === 'failed'
                        ? '✗'
                        : s.status === 'running'
                          ? '…'
                          : '·'}
                  </span>{' '}
                  {s.title}
                  <span className="sr-only"> ({s.status})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function VolumesTab({ instance }: { instance: Instance }) {
  const vols = useQuery({
    queryKey: [...volumesKey, 'list', { instanceId: instance.id }],
    queryFn: () =>
      call(() => api.GET('/api/v1/volumes', { params: { query: { instanceId: instance.id, limit: 100 } } })),
  });
  if (vols.error) return <Alert title="Could not load volumes">{describeError(vols.error)}</Alert>;
  if (!vols.data) return <Skeleton className="h-16 w-full" />;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p className="text-muted">
        Root disk: {instance.sizeGib} GiB on <span className="font-mono">{instance.storage}</span>
      </p>
      {vols.data.items.length === 0 ? (
        <p>
          No volumes attached.{' '}
          <Link to="/compute/volumes" className="text-primary hover:underline">
            Attach one from the Volumes page
          </Link>
          .
        </p>
      ) : (
        <ul className="divide-y divide-line rounded-md border border-line">
          {vols.data.items.map((v) => (
            <li key={v.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span>
                <span className="font-medium">{v.name}</span>{' '}
                <span className="font-mono text-xs text-muted">{v.id}</span>
              </span>
              <span className="text-muted">
                {v.sizeGib} GiB · {v.volumeType} ·{' '}
                <span className="font-mono">{v.deviceName ?? v.device}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function KeysRow({ ids }: { ids: string[] }) {
  const keys = useQuery({
    queryKey: [...keyPairsKey, 'list', { limit: 1000 }],
    queryFn: () => call(() => api.GET('/api/v1/key-pairs', { params: { query: { limit: 1000 } } })),
    enabled: ids.length > 0,
  });
  if (ids.length === 0) return <p className="text-sm text-muted">None</p>;
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {ids.map((id) => {
        const k = keys.data?.items.find((x) => x.id === id);
        return (
          <li key={id} className="min-w-0">
            {k ? <span className="font-medium">{k.name}</span> : null}{' '}
            {/* A SHA256 fingerprint is one 50-character word: let it break anywhere on a phone. */}
            <span className="font-mono text-xs break-all text-muted">{k?.fingerprint ?? id}</span>
          </li>
        );
      })}
    </ul>
  );
}

function Placeholder({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <EmptyState icon={icon} title={title}>
      {children}
    </EmptyState>
  );
}

export default function InstancePage() {
  const { id = '' } = useParams();
  const { live } = useLiveEvents();
  const canAct = useCanAct();
  const inst = useQuery(instanceQuery(id, live));
  const ops = useQuery(instanceOperationsQuery(id));
  const [tab, setTab] = useState<Tab>('Details');
  const [pending, setPending] = useState<InstanceAction | null>(null);
  const i = inst.data;

  if (inst.error) {
    return (
      <>
        <PageHeader eyebrow="Compute · Instances" title="Instance" />
        <Alert title="Could not load this instance">{describeError(inst.error)}</Alert>
        <Link to="/compute/instances" className="mt-4 inline-block text-sm text-primary hover:underline">
          Back to instances
        </Link>
      </>
    );
  }
  const actions = (['start', 'stop', 'reboot', 'terminate'] as const).filter(canAct);
  const lastFailed = ops.data?.items.find((o) => o.status === 'failed');

  return (
    <>
      <Link
        to="/compute/instances"
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
      >
        <ChevronLeftIcon /> Instances
      </Link>
      <PageHeader
        eyebrow="Compute · Instance"
        title={i?.name ?? 'Instance'}
        description={
          i ? (
            <span className="inline-flex flex-wrap items-center gap-2">
              <StatusBadge status={i.status} />
              <Badge tone={i.type === 'vm' ? 'violet' : 'blue'}>{i.type === 'vm' ? 'VM' : 'LXC'}</Badge>
              <LiveIndicator live={live} />
            </span>
          ) : (
            <Skeleton className="h-5 w-40" />
          )
        }
        actions={
          i
            ? [
                <ConsoleButton key="console" instance={i} />,
                ...actions.map((a) => (
                  <Button
                    key={a}
                    variant={a === 'terminate' ? 'danger' : 'secondary'}
                    disabled={!actionAllowed(a, i)}
                    onClick={() => setPending(a)}
                  >
                    {actionLabels[a]}
                  </Button>
                )),
              ]
            : null
        }
      />
      {i?.activeOperationId ? (
        <Card className="mb-4">
          <OperationProgress id={i.activeOperationId} />
        </Card>
      ) : null}
      {i?.status === 'error' ? (
        <Alert title="This instance is in an error state" className="mb-4">
          <p>{i.statusReason ?? 'The last operation failed.'}</p>
          {lastFailed ? <OperationFailure op={lastFailed} /> : null}
        </Alert>
      ) : null}
      <div
        role="tablist"
        aria-label="Instance sections"
        className="mb-4 flex overflow-x-auto border-b border-line sm:gap-1"
      >
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            id={`tab-${t}`}
            aria-controls={`panel-${t}`}
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              const idx = TABS.indexOf(t);
              const next =
                e.key === 'ArrowRight'
                  ? TABS[(idx + 1) % TABS.length]
                  : e.key === 'ArrowLeft'
                    ? TABS[(idx + TABS.length - 1) % TABS.length]
                    : null;
              if (next) {
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
            tabIndex={tab === t ? 0 : -1}
            className={cx(
              '-mb-px border-b-2 px-2 py-2 text-sm font-medium whitespace-nowrap sm:px-3',
              tab === t ? 'border-primary text-fg' : 'border-transparent text-muted hover:text-fg',
            )}
          >
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {!i ? (
          <Skeleton className="h-64 w-full" />
        ) : tab === 'Details' ? (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="Instance">
              <dl className="divide-y divide-line">
                <Row label="Instance ID">
                  <CopyableId value={i.id} label="instance ID" />
                </Row>
                <Row label="Proxmox">
                  {i.node ? `${i.node} · ` : ''}
                  {i.vmid !== null ? <CopyableId value={String(i.vmid)} label="VMID" /> : '—'}
                </Row>
                <Row label="Image">
                  <span className="font-mono text-xs break-all">{i.template}</span>
                  {i.os ? <span className="text-muted"> ({i.os})</span> : null}
                </Row>
                <Row label="Size">
                  {i.instanceType ? `${i.instanceType} · ` : ''}
                  {i.vcpu} vCPU · {formatMiB(i.memory)} · {i.sizeGib} GiB disk
                </Row>
                <Row label="Storage">{i.storage}</Row>
                <Row label="Network">
                  {i.bridge} ·{' '}
                  {i.network.mode === 'dhcp'
                    ? 'DHCP'
                    : `${i.network.address} via ${i.network.gateway ?? '—'}`}
                </Row>
                <Row label="IP addresses">
                  {i.ipAddresses.length ? (
                    <span className="flex flex-col gap-1">
                      {i.ipAddresses.map((ip) => (
                        <CopyableId key={ip} value={ip} label={`IP address ${ip}`} />
                      ))}
                    </span>
                  ) : (
                    <span className="text-muted">None reported yet</span>
                  )}
                </Row>
                {i.user ? <Row label="Login user">{i.user}</Row> : null}
                <Row label="Protected">{i.protected ? 'Yes: terminate is refused' : 'No'}</Row>
                <Row label="Created">{formatDateTime(i.createdAt)}</Row>
                <Row label="Launched">{formatDateTime(i.launchedAt)}</Row>
              </dl>
            </Card>
            <div className="flex flex-col gap-4">
              <Card title="Usage">
                {i.usage && i.status === 'running' ? (
                  <div className="grid gap-4 sm:grid-cols-2">
                    <UsageBar
                      value={i.usage.cpu}
                      label="CPU use"
                      text={`CPU ${Math.round(i.usage.cpu * 100)}%`}
                    />
                    <UsageBar
                      value={i.usage.memoryMaxBytes ? i.usage.memoryBytes / i.usage.memoryMaxBytes : 0}
                      label="Memory use"
                      text={`Memory ${formatBytes(i.usage.memoryBytes)} of ${formatBytes(i.usage.memoryMaxBytes)}`}
                    />
                    {i.usage.diskMaxBytes ? (
                      <UsageBar
                        value={i.usage.diskBytes / i.usage.diskMaxBytes}
                        label="Disk use"
                        text={`Disk ${formatBytes(i.usage.diskBytes)} of ${formatBytes(i.usage.diskMaxBytes)}`}
                      />
                    ) : null}
                    <p className="text-xs text-muted">
                      Up {Math.floor(i.usage.uptimeSeconds / 3600)} h{' '}
                      {Math.floor((i.usage.uptimeSeconds % 3600) / 60)} min
                    </p>
                  </div>
                ) : (
                  <p className="text-sm text-muted">Live usage appears while the instance runs.</p>
                )}
              </Card>
              <BackupCard type="instance" id={i.id} />
              <Card title="Key pairs">
                <KeysRow ids={i.keyPairIds} />
              </Card>
              <InstanceNetworkingCard instance={i} />
              <Card title="Secrets">
                <SecretEnvCard instance={i} />
              </Card>
              <Card title="Tags">
                {Object.keys(i.tags).length ? (
                  <ul className="flex flex-wrap gap-2">
                    {Object.entries(i.tags).map(([k, v]) => (
                      <li key={k}>
                        <Badge>
                          {k}
                          {v ? `: ${v}` : ''}
                        </Badge>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="text-sm text-muted">No tags.</p>
                )}
              </Card>
            </div>
          </div>
        ) : tab === 'Activity' ? (
          <Card title="Status timeline">
            {ops.data ? <Timeline ops={ops.data.items} /> : <Skeleton className="h-24 w-full" />}
          </Card>
        ) : tab === 'Volumes' ? (
          <Card title="Attached volumes">
            <VolumesTab instance={i} />
          </Card>
        ) : tab === 'Console' ? (
          <Placeholder icon={<CodeIcon />} title={i.type === 'vm' ? 'Screen and serial console' : 'Terminal'}>
            <span className="flex flex-col items-center gap-3">
              {i.type === 'vm'
                ? 'The VM’s screen (noVNC) or its serial port, in the browser, through ProxiCloud.'
                : 'A root shell in the container, in the browser, through ProxiCloud.'}
              <ConsoleButton instance={i} />
            </span>
          </Placeholder>
        ) : (
          <Suspense fallback={<Skeleton className="h-64 w-full" />}>
            <MetricsTab instance={i} />
          </Suspense>
        )}
      </div>
      {i ? <ActionDialog action={pending} instances={[i]} onClose={() => setPending(null)} /> : null}
    </>
  );
}
