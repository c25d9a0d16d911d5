import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { PlusIcon, ServerIcon } from '../../components/icons.tsx';
import {
  Badge,
  Button,
  buttonClasses,
  type Column,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
} from '../../components/index.ts';
import { formatBytes } from '../../lib/format.ts';
import { useUrlFilters, useUrlSearch } from '../../lib/useUrlFilters.ts';
import { useSession } from '../auth/session.tsx';
import {
  actionAllowed,
  actionLabels,
  actionPermission,
  formatMiB,
  INSTANCE_STATUSES,
  INSTANCES_PAGE_SIZE,
  type Instance,
  type InstanceAction,
  type InstanceSort,
  instancesFilterFromParams,
  instancesQuery,
  statusLabel,
} from './api.ts';
import { useLiveEvents } from './events.ts';
import { ActionDialog, OperationProgress, StatusBadge, UsageBar } from './parts.tsx';

const ACTIONS: InstanceAction[] = ['start', 'stop', 'reboot', 'terminate'];
const SORTS: ReadonlyArray<{ value: InstanceSort; label: string }> = [
  { value: 'createdAt', label: 'Newest first' },
  { value: 'name', label: 'Name' },
  { value: 'status', label: 'Status' },
  { value: 'node', label: 'Node' },
  { value: 'vcpu', label: 'vCPU' },
  { value: 'memory', label: 'Memory' },
];

export function LiveIndicator({ live }: { live: boolean }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted" aria-live="polite">
      <span aria-hidden="true" className={`size-2 rounded-full ${live ? 'bg-green-500' : 'bg-amber-500'}`} />
      {live ? 'Live' : 'Refreshing every 5 s'}
    </span>
  );
}

let interactiveMarked = false;
/**
 * `performance.mark('pc:instances:interactive')` once per page load, in the effect after the first
 * commit that rendered the rows (their links, checkboxes and menus have their handlers by then).
 * `npm run bench:web` reads it as the instances page's time to interactive.
 */
function useInteractiveMark(ready: boolean) {
  useEffect(() => {
    if (!ready || interactiveMarked) return;
    interactiveMarked = true;
    performance.mark('pc:instances:interactive');
  }, [ready]);
}

export function useCanAct() {
  const { can } = useSession();
  return (a: InstanceAction) => can(actionPermission[a]);
}

export default function InstancesPage() {
  const { can } = useSession();
  const canAct = useCanAct();
  const { live } = useLiveEvents();
  const { params, update, setOffset } = useUrlFilters();
  const filter = instancesFilterFromParams(params);
  const q = filter.q ?? '';
  const status = filter.status ?? '';
  const sort = filter.sort ?? 'createdAt';
  const offset = filter.offset;
  const [search, setSearch] = useUrlSearch(q, update);

  const list = useQuery(instancesQuery(filter, live));
  const rows = list.data?.items;
  useInteractiveMark(rows !== undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<{ action: InstanceAction; instances: Instance[] } | null>(null);

  const anyAction = ACTIONS.some(canAct);
  const filtered = Boolean(q || status);

  const columns: Column<Instance>[] = [];
  columns.push(
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-32',
      cell: (i) => (
        <div className="flex flex-col">
          <Link to={`/compute/instances/${i.id}`} className="font-medium text-primary hover:underline">
            {i.name}
          </Link>
          <span className="font-mono text-xs whitespace-nowrap text-muted">{i.id}</span>
        </div>
      ),
    },
    {
      key: 'type',
      header: 'Type',
      className: 'hidden sm:table-cell',
      skeletonWidth: 'w-10',
      cell: (i) => <Badge tone={i.type === 'vm' ? 'violet' : 'blue'}>{i.type === 'vm' ? 'VM' : 'LXC'}</Badge>,
    },
    {
      key: 'status',
      header: 'Status',
      skeletonWidth: 'w-20',
      cell: (i) => (
        <div className="flex flex-col items-start gap-1">
          <StatusBadge status={i.status} />
          {i.activeOperationId ? <OperationProgress id={i.activeOperationId} compact /> : null}
          {i.status === 'error' && i.statusReason ? (
            <span className="max-w-56 text-xs text-red-700 dark:text-red-400">{i.statusReason}</span>
          ) : null}
        </div>
      ),
    },
    {
      key: 'node',
      header: 'Node',
      className: 'hidden lg:table-cell whitespace-nowrap',
      skeletonWidth: 'w-16',
      cell: (i) => i.node ?? <span className="text-muted">—</span>,
    },
    {
      key: 'ips',
      header: 'IP addresses',
      className: 'hidden md:table-cell',
      skeletonWidth: 'w-24',
      cell: (i) =>
        i.ipAddresses.length ? (
          <span className="font-mono text-xs">{i.ipAddresses.join(', ')}</span>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    {
      key: 'size',
      header: 'vCPU / RAM',
      className: 'hidden md:table-cell whitespace-nowrap',
      skeletonWidth: 'w-20',
      cell: (i) => (
        <span className="tabular-nums">
          {i.vcpu} · {formatMiB(i.memory)}
        </span>
      ),
    },
    {
      key: 'usage',
      header: 'CPU / RAM use',
      className: 'hidden xl:table-cell',
      skeletonWidth: 'w-24',
      cell: (i) =>
        i.usage && i.status === 'running' ? (
          <div className="flex gap-3">
            <UsageBar
              value={i.usage.cpu}
              label={`CPU use of ${i.name}`}
              text={`CPU ${Math.round(i.usage.cpu * 100)}%`}
            />
            <UsageBar
              value={i.usage.memoryMaxBytes ? i.usage.memoryBytes / i.usage.memoryMaxBytes : 0}
              label={`Memory use of ${i.name}`}
              text={formatBytes(i.usage.memoryBytes)}
            />
          </div>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
  );
  if (anyAction) {
    columns.push(
      menuColumn(
        (i) => i.name,
        (i) =>
          ACTIONS.map((a) => ({
            label: actionLabels[a],
            danger: a === 'terminate',
            hidden: !canAct(a) || !actionAllowed(a, i),
            onSelect: () => setPending({ action: a, instances: [i] }),
          })),
      ),
    );
  }

  const canLaunch = can('instances:create');
  const launchLink = (
    <Link to="/compute/instances/launch" className={buttonClasses('primary')}>
      <PlusIcon className="text-base" /> Launch instance
    </Link>
  );

  return (
    <>
      <PageHeader
        eyebrow="Compute"
        title="Instances"
        description="Virtual machines and LXC containers on your Proxmox nodes."
        actions={
          <>
            <LiveIndicator live={live} />
            {canLaunch ? launchLink : null}
          </>
        }
      />
      <ResourceList
        caption="Instances"
        errorTitle="Could not load instances"
        list={list}
        columns={columns}
        rowKey={(i) => i.id}
        skeletonRows={8}
        search={{
          label: 'Search instances',
          placeholder: 'Search by name',
          value: search,
          onChange: setSearch,
        }}
        filters={
          <>
            <Select
              label="Status"
              hideLabel
              className="w-40"
              value={status}
              onChange={(e) => update({ status: e.target.value })}
              options={[
                { value: '', label: 'Any status' },
                ...INSTANCE_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
              ]}
            />
            <Select
              label="Sort by"
              hideLabel
              className="w-40"
              value={sort}
              onChange={(e) =>
                update({ sort: e.target.value === 'createdAt' ? '' : e.target.value, order: '' })
              }
              options={SORTS}
            />
            <Button
              size="md"
              onClick={() =>
                update({
                  order: filter.order === 'asc' ? 'desc' : 'asc',
                })
              }
              aria-label={`Sort order: ${filter.order === 'asc' ? 'ascending' : 'descending'}`}
            >
              {filter.order === 'asc' ? '↑ Asc' : '↓ Desc'}
            </Button>
          </>
        }
        selection={
          anyAction
            ? {
                selected,
                onChange: setSelected,
                rowLabel: (i) => `Select ${i.name}`,
                allLabel: 'Select all instances on this page',
                actions: (selectedRows) =>
                  ACTIONS.filter(canAct).map((a) => {
                    const targets = selectedRows.filter((r) => actionAllowed(a, r));
                    return (
                      <Button
                        key={a}
                        size="sm"
                        variant={a === 'terminate' ? 'danger' : 'secondary'}
                        disabled={targets.length === 0}
                        onClick={() => setPending({ action: a, instances: targets })}
                      >
                        {actionLabels[a]}
                        {targets.length && targets.length !== selectedRows.length
                          ? ` (${targets.length})`
                          : ''}
                      </Button>
                    );
                  }),
              }
            : undefined
        }
        empty={{
          icon: <ServerIcon />,
          title: filtered ? 'No instances match these filters' : 'No instances yet',
          action: !filtered && canLaunch ? launchLink : undefined,
          body: filtered
            ? 'Try another search or clear the filters.'
            : canLaunch
              ? 'Launch your first virtual machine or container: pick an image, a size and a key pair, and it is running in about a minute.'
              : 'Instances you can see will appear here. Your role cannot launch new ones.',
        }}
        pagination={{
          label: 'Instance pages',
          limit: INSTANCES_PAGE_SIZE,
          offset,
          onChange: setOffset,
        }}
      />
      <ActionDialog
        action={pending?.action ?? null}
        instances={pending?.instances ?? []}
        onClose={() => {
          setPending(null);
          setSelected(new Set());
        }}
      />
    </>
  );
}
