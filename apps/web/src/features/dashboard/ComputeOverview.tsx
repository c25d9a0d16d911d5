import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Badge, Card, cx, Skeleton } from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { plural } from '../../lib/format.ts';
import { useSession, useSystemInfo } from '../auth/session.tsx';
import { formatMiB, type Instance, instancesKey, statusLabel, statusTone } from '../instances/api.ts';
import { useLiveEvents } from '../instances/events.ts';
import { myQuotaQuery } from '../quotas/api.ts';

const HISTORY = 36; // samples kept per instance (3 minutes at 5 s)
const RRD_POINTS = 60; // the last hour at Proxmox's 1-minute resolution
const BUSIEST = 5;
/** Samples survive navigation (module scope), so coming back to the dashboard keeps the curves. */
const history = new Map<string, { cpu: number[]; mem: number[] }>();

/**
 * A tiny line chart of values in 0..1, drawn as inline SVG (no chart library in the bundle). With
 * fewer than two values it says "collecting…" instead of drawing a flat line that would look like data.
 */
export function Sparkline({
  values,
  label,
  className,
}: {
  values: number[];
  label: string;
  className?: string;
}) {
  const w = 120;
  const h = 28;
  if (values.length < 2) {
    return (
      <span
        role="img"
        aria-label={`${label}: collecting samples`}
        style={{ width: w, height: h }}
        className="flex shrink-0 items-center justify-center rounded border border-dashed border-line text-xs text-muted"
      >
        collecting…
      </span>
    );
  }
  const slots = Math.max(HISTORY, values.length);
  const step = w / (slots - 1);
  const offset = (slots - values.length) * step;
  const d = values
    .map(
      (v, i) =>
        `${(offset + i * step).toFixed(1)},${(h - 2 - Math.max(0, Math.min(1, v)) * (h - 4)).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      width={w}
      height={h}
      role="img"
      aria-label={label}
      className={cx('shrink-0', className)}
    >
      <line x1="0" y1={h - 1} x2={w} y2={h - 1} className="stroke-line" strokeWidth="1" />
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}

function Meter({
  label,
  used,
  limit,
  fmt,
}: {
  label: string;
  used: number;
  limit: number | null;
  fmt: (n: number) => string;
}) {
  const pct = limit ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex justify-between text-sm">
        <span className="text-muted">{label}</span>
        <span className="tabular-nums">
          {fmt(used)} <span className="text-muted">/ {limit === null ? 'unlimited' : fmt(limit)}</span>
        </span>
      </div>
      <div className="h-1.5 overflow-hidden rounded-full bg-panel-muted" aria-hidden="true">
        <div
          className={cx('h-full', pct >= 90 ? 'bg-red-600' : pct >= 70 ? 'bg-amber-500' : 'bg-primary')}
          style={{ width: limit === null ? '0%' : `${pct}%` }}
        />
      </div>
    </div>
  );
}

const summaryKey = [...instancesKey, 'summary', { top: BUSIEST }] as const;
type Summary = Awaited<ReturnType<typeof fetchSummary>>;
const fetchSummary = () =>
  call(() => api.GET('/api/v1/instances/summary', { params: { query: { top: BUSIEST } } }));

const statusOrder = [
  'running',
  'pending',
  'creating',
  'starting',
  'stopping',
  'rebooting',
  'stopped',
  'terminating',
  'error',
] as const satisfies readonly (keyof Summary['byStatus'])[];

/**
 * Compute at a glance from `GET /instances/summary` (counts from the server, not a list of every
 * instance): instances by state and type, allocation against the quota, nodes, live usage of the busiest.
 */
export function ComputeOverview() {
  const { live } = useLiveEvents();
  const { can } = useSession();
  const canLaunch = can('instances:create');
  const info = useSystemInfo();
  const summary = useQuery({
    queryKey: summaryKey,
    queryFn: fetchSummary,
    refetchInterval: 5_000,
  });
  const quota = useQuery(myQuotaQuery);
  const [, setTick] = useState(0);

  useEffect(() => {
    if (!summary.data) return;
    const h = history;
    for (const i of summary.data.busiest) {
      if (i.status !== 'running' || !i.usage) continue;
      const e = h.get(i.id) ?? { cpu: [], mem: [] };
      e.cpu = [...e.cpu, i.usage.cpu].slice(-HISTORY);
      e.mem = [...e.mem, i.usage.memoryMaxBytes ? i.usage.memoryBytes / i.usage.memoryMaxBytes : 0].slice(
        -HISTORY,
      );
      h.set(i.id, e);
    }
    setTick((t) => t + 1);
  }, [summary.data]);

  const s = summary.data;
  const busiest = s?.busiest ?? [];
  // The last hour from Proxmox's RRD (1-minute points), so the curves have a history at once; the
  // live 5 s value is the last point. Without history (a new guest, or the call failed) the curve is
  // built from the samples this page takes.
  const metrics = useQueries({
    queries: busiest.map((i) => ({
      queryKey: [...instancesKey, 'metrics', i.id, 'hour'] as const,
      queryFn: () =>
        call(() =>
          api.GET('/api/v1/instances/{id}/metrics', {
            params: { path: { id: i.id }, query: { timeframe: 'hour' } },
          }),
        ),
      staleTime: 60_000,
      refetchInterval: 60_000,
      retry: false,
    })),
  });
  const series = (i: Instance, idx: number) => {
    const live = history.get(i.id) ?? { cpu: [], mem: [] };
    const points = (metrics[idx]?.data?.points ?? []).slice(-(RRD_POINTS - 1));
    const cpu = points.flatMap((p) => (p.cpuPercent === null ? [] : [p.cpuPercent / 100]));
    const mem = points.flatMap((p) =>
      p.memoryBytes === null || !p.memoryMaxBytes ? [] : [p.memoryBytes / p.memoryMaxBytes],
    );
    if (cpu.length === 0) return { ...live, fromRrd: false };
    return {
      cpu: [...cpu, ...live.cpu.slice(-1)],
      mem: [...mem, ...live.mem.slice(-1)],
      fromRrd: true,
    };
  };
  // Nodes Proxmox reports, plus any node that still holds instances (e.g. one that left the cluster).
  const perNode = new Map((s?.byNode ?? []).map((n) => [n.node, n]));
  const nodes = [...new Set([...(info.data?.proxmox?.nodes ?? []), ...perNode.keys()])];
  const reported = new Set(info.data?.proxmox?.nodes ?? []);

  return (
    <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-3">
      <Card
        title="Instances"
        actions={
          <Link to="/compute/instances" className="text-sm font-medium text-nav-active-fg hover:underline">
            View all
          </Link>
        }
      >
        {summary.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : !s || s.total === 0 ? (
          <p className="text-sm text-muted">
            {summary.isError
              ? 'The instance summary could not be loaded; retrying every 5 s.'
              : canLaunch
                ? 'No instances yet. '
                : 'No instances yet.'}
            {summary.isError || !canLaunch ? null : (
              <>
                <Link
                  to="/compute/instances/launch"
                  className="font-medium text-nav-active-fg hover:underline"
                >
                  Launch one
                </Link>
                .
              </>
            )}
          </p>
        ) : (
          <>
            <p className="text-3xl font-semibold tabular-nums">{s.total.toLocaleString()}</p>
            <ul className="mt-3 flex flex-wrap gap-2" aria-label="Instances by state">
              {statusOrder
                .filter((st) => s.byStatus[st] > 0)
                .map((st) => (
                  <li key={st}>
                    <Badge tone={statusTone[st]} dot>
                      {s.byStatus[st].toLocaleString()} {statusLabel(st).toLowerCase()}
                    </Badge>
                  </li>
                ))}
            </ul>
            <p className="mt-3 text-sm text-muted">
              {plural(s.byType.vm, 'VM')} · {plural(s.byType.lxc, 'container')}
            </p>
            <p className="text-sm text-muted">
              Allocated: <span className="text-fg tabular-nums">{plural(s.allocated.vcpu, 'vCPU')}</span>,{' '}
              <span className="text-fg tabular-nums">{formatMiB(s.allocated.memoryMib)}</span> memory,{' '}
              <span className="text-fg tabular-nums">{s.allocated.diskGib.toLocaleString()} GiB</span> disk
            </p>
          </>
        )}
        <div className="mt-4 border-t border-line pt-3">
          <p className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Nodes</p>
          {info.isPending || summary.isPending ? (
            <Skeleton className="h-4 w-32" />
          ) : nodes.length === 0 ? (
            <p className="text-sm text-muted">No Proxmox node reported.</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm" aria-label="Instances per node">
              {nodes.map((n) => {
                const c = perNode.get(n);
                return (
                  <li key={n} className="flex items-center justify-between gap-2">
                    <span className="flex min-w-0 items-center gap-2">
                      <span
                        aria-hidden="true"
                        className={cx(
                          'size-2 shrink-0 rounded-full',
                          reported.has(n) ? 'bg-green-500' : 'bg-gray-400',
                        )}
                      />
                      <span className="truncate">{n}</span>
                      <span className="sr-only">
                        {reported.has(n) ? '(reachable)' : '(not reported by Proxmox)'}
                      </span>
                    </span>
                    <span className="shrink-0 text-muted tabular-nums">
                      {plural(c?.instances ?? 0, 'instance')}
                      {c?.instances ? ` · ${c.running.toLocaleString()} running` : ''}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </Card>
      <Card title="Allocated vs your quota">
        {quota.data ? (
          <div className="flex flex-col gap-3">
            <Meter
              label="Instances"
              used={quota.data.usage.instances}
              limit={quota.data.limits.instances}
              fmt={String}
            />
            <Meter label="vCPUs" used={quota.data.usage.vcpu} limit={quota.data.limits.vcpu} fmt={String} />
            <Meter
              label="Memory"
              used={quota.data.usage.memory}
              limit={quota.data.limits.memory}
              fmt={formatMiB}
            />
            <Meter
              label="Disk"
              used={quota.data.usage.diskGib}
              limit={quota.data.limits.diskGib}
              fmt={(n) => `${n} GiB`}
            />
            <Meter
              label="Volumes"
              used={quota.data.usage.volumes}
              limit={quota.data.limits.volumes}
              fmt={String}
            />
          </div>
        ) : (
          <Skeleton className="h-32 w-full" />
        )}
      </Card>
      <Card
        title="Busiest instances"
        actions={
          <span className="inline-flex items-center gap-1.5 text-xs text-muted">
            <span
              aria-hidden="true"
              className={cx('size-2 rounded-full', live ? 'bg-green-500' : 'bg-amber-500')}
            />
            every 5 s
          </span>
        }
      >
        {busiest.length === 0 ? (
          <p className="text-sm text-muted">CPU and memory of running instances appear here.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {busiest.map((i, idx) => {
              const h = series(i, idx);
              return (
                <li key={i.id} className="flex flex-col gap-1">
                  <div className="flex items-center justify-between gap-2 text-sm">
                    <Link to={`/compute/instances/${i.id}`} className="truncate font-medium hover:underline">
                      {i.name}
                    </Link>
                    <span className="text-xs text-muted tabular-nums">
                      CPU {Math.round((i.usage?.cpu ?? 0) * 100)}% · RAM{' '}
                      {Math.round(((i.usage?.memoryBytes ?? 0) / (i.usage?.memoryMaxBytes || 1)) * 100)}%
                    </span>
                  </div>
                  <div className="flex gap-2">
                    <Sparkline
                      values={h.cpu}
                      label={`CPU history of ${i.name}${h.fromRrd ? ', last hour' : ''}`}
                      className="text-primary"
                    />
                    <Sparkline
                      values={h.mem}
                      label={`Memory history of ${i.name}${h.fromRrd ? ', last hour' : ''}`}
                      className="text-blue-600 dark:text-blue-400"
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </div>
  );
}
