import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NetworkIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Button,
  type Column,
  CopyableId,
  Dialog,
  DialogActions,
  Input,
  MutationDialog,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import {
  type Network,
  natGatewaysQuery,
  networksQuery,
  type RouteTable,
  routerCandidatesQuery,
  routeTablesQuery,
  useDeleteRouteTable,
  useSaveRouteTable,
} from './api.ts';
import { type RouteDraft, routeProblem } from './routes.ts';

function TableEditor({
  table,
  onClose,
  networks,
  tables,
}: {
  table: RouteTable | null;
  onClose: () => void;
  networks: Network[];
  tables: RouteTable[];
}) {
  const save = useSaveRouteTable();
  const toast = useToast();
  const instances = useQuery(routerCandidatesQuery);
  const gateways = useQuery(natGatewaysQuery());
  const [name, setName] = useState(table?.name ?? '');
  const [routes, setRoutes] = useState<RouteDraft[]>(
    table?.routes.map((r) => ({ destinationCidr: r.destinationCidr, targetId: r.targetId ?? '' })) ?? [],
  );
  const [networkIds, setNetworkIds] = useState<string[]>(table?.networkIds ?? []);
  const candidates = (instances.data?.items ?? []).filter((i) => i.status !== 'terminated');
  const nats = (gateways.data?.items ?? []).filter((g) => g.status !== 'deleting');
  const reach = (id: string) => {
    const gw = nats.find((g) => g.id === id);
    if (gw) return { kind: 'natGateway' as const, networkIds: [gw.networkId] };
    return {
      kind: 'instance' as const,
      networkIds: candidates.find((i) => i.id === id)?.nics.map((n) => n.networkId) ?? [],
    };
  };
  // the networks the routes must work on: the default table keeps every unassociated network
  const tableNetworks = table?.isDefault
    ? [...(table.effectiveNetworks ?? []), ...networks.filter((n) => networkIds.includes(n.id))]
    : networks.filter((n) => networkIds.includes(n.id));
  const problems = routes.map((_, i) => routeProblem(routes, i, tableNetworks, reach));
  const invalid = !name || problems.some(Boolean);
  const close = () => {
    save.reset();
    onClose();
  };
  const owner = (netId: string) =>
    tables.find((t) => t.id !== table?.id && t.effectiveNetworks.some((n) => n.id === netId))?.name ?? null;
  return (
    <Dialog
      open
      onClose={close}
      size="lg"
      title={table ? `Edit route table ${table.name}` : 'Create route table'}
      description="Routes send traffic for a CIDR through a router instance. Running guests on the table's networks get a change at once, without a restart."
      dismissible={!save.isPending}
      onSubmit={() => {
        if (invalid) return;
        save.mutate(
          {
            ...(table ? { id: table.id } : {}),
            name,
            networkIds,
            routes: routes.map((r) => ({
              destinationCidr: r.destinationCidr.trim(),
              targetType: r.targetId.startsWith('nat-') ? ('natGateway' as const) : ('instance' as const),
              targetId: r.targetId,
            })),
          },
          {
            onSuccess: (t) => {
              toast.success(table ? 'Route table saved' : 'Route table created', t.name);
              close();
            },
          },
        );
      }}
      footer={
        <DialogActions onCancel={close} pending={save.isPending} submitLabel={table ? 'Save' : 'Create'} />
      }
    >
      <div className="flex flex-col gap-3">
        {save.error ? (
          <Alert title="Could not save the route table">{describeError(save.error)}</Alert>
        ) : null}
        <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">Networks that use this table</legend>
          {networks.length === 0 ? <p className="text-sm text-muted">You have no networks yet.</p> : null}
          {networks.map((n) => {
            const from = owner(n.id);
            return (
              <label key={n.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={networkIds.includes(n.id)}
                  onChange={(e) =>
                    setNetworkIds(
                      e.target.checked ? [...networkIds, n.id] : networkIds.filter((x) => x !== n.id),
                    )
                  }
                />
                {n.name} <span className="font-mono text-xs text-muted">{n.cidr}</span>
                {from && !networkIds.includes(n.id) ? (
                  <span className="text-xs text-muted">(now on {from})</span>
                ) : null}
              </label>
            );
          })}
        </fieldset>
        <div className="flex items-center justify-between">
          <span className="text-sm font-medium">Routes</span>
          <Button size="sm" onClick={() => setRoutes([...routes, { destinationCidr: '', targetId: '' }])}>
            Add route
          </Button>
        </div>
        {routes.length === 0 ? (
          <p className="text-sm text-muted">
            No routes: guests reach their own network and their gateway only.
          </p>
        ) : null}
        {routes.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: routes have no id until saved
          <div key={i} className="flex flex-wrap items-end gap-2 border-b border-line pb-2">
            <Input
              label="Destination"
              className="w-44"
              placeholder="10.30.0.0/16"
              value={r.destinationCidr}
              onChange={(e) =>
                setRoutes(routes.map((x, j) => (j === i ? { ...x, destinationCidr: e.target.value } : x)))
              }
            />
            <Select
              label="Through"
              value={r.targetId}
              onChange={(e) =>
                setRoutes(routes.map((x, j) => (j === i ? { ...x, targetId: e.target.value } : x)))
              }
              options={[
                { value: '', label: 'Pick a router or NAT gateway…' },
                ...candidates.map((c) => ({ value: c.id, label: `Instance ${c.name} (${c.id})` })),
                ...nats.map((g) => ({
                  value: g.id,
                  label: `NAT gateway ${g.name} (${g.networkName ?? g.networkId})`,
                })),
              ]}
            />
            <Button
              size="sm"
              onClick={() => setRoutes(routes.filter((_, j) => j !== i))}
              aria-label="Remove route"
            >
              Remove
            </Button>
            {problems[i] ? <p className="w-full text-xs text-red-600">{problems[i]}</p> : null}
          </div>
        ))}
      </div>
    </Dialog>
  );
}

export default function RouteTablesPage() {
  const { can } = useSession();
  const list = useQuery(routeTablesQuery());
  const nets = useQuery(networksQuery());
  const toast = useToast();
  const [editing, setEditing] = useState<RouteTable | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RouteTable | null>(null);
  const tables = list.data?.items ?? [];
  const columns: Column<RouteTable>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (t) => (
        <div className="flex flex-col">
          <span className="font-medium">
            {t.name}
            {t.isDefault ? <span className="ml-2 text-xs text-muted">default</span> : null}
          </span>
          <CopyableId value={t.id} label={`ID of route table ${t.name}`} />
        </div>
      ),
    },
    {
      key: 'routes',
      header: 'Routes',
      cell: (t) => (
        <ul className="text-xs">
          {t.localRoutes.map((r) => (
            <li key={r.id} className="text-muted">
              {r.destinationCidr} → local ({r.targetName})
            </li>
          ))}
          {t.routes.map((r) => (
            <li key={r.id}>
              {r.destinationCidr} → {r.targetName ?? r.targetId}
            </li>
          ))}
        </ul>
      ),
    },
    {
      key: 'networks',
      header: 'Networks',
      cell: (t) =>
        t.effectiveNetworks.map((n) => n.name).join(', ') || <span className="text-muted">none</span>,
    },
    {
      key: 'status',
      header: 'Status',
      cell: (t) =>
        t.activeOperationId ? (
          'Updating guests…'
        ) : t.statusReason ? (
          <span className="text-xs text-red-600">{t.statusReason}</span>
        ) : t.warnings?.length ? (
          <span className="text-xs text-amber-700">{t.warnings.join(' ')}</span>
        ) : (
          'Up to date'
        ),
    },
  ];
  if (can('networks:update'))
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right whitespace-nowrap',
      cell: (t) => (
        <span className="flex gap-2">
          <Button size="sm" onClick={() => setEditing(t)} aria-label={`Edit route table ${t.name}`}>
            Edit
          </Button>
          {t.isDefault ? null : (
            <Button size="sm" onClick={() => setDeleting(t)} aria-label={`Delete route table ${t.name}`}>
              Delete
            </Button>
          )}
        </span>
      ),
    });
  return (
    <>
      <PageHeader
        eyebrow="Networking"
        title="Route tables"
        description="Send traffic for a CIDR through a router instance. Networks without a table of their own use your default table."
        actions={
          can('networks:update') ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')}>
              Create route table
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Route tables"
        errorTitle="Could not load route tables"
        list={list}
        columns={columns}
        rowKey={(t) => t.id}
        skeletonRows={2}
        empty={{
          icon: <NetworkIcon />,
          title: 'No route tables yet',
          body: 'Your default table appears here once you have a network.',
        }}
      />
      {editing ? (
        <TableEditor
          key={editing === 'new' ? 'new' : editing.id}
          table={editing === 'new' ? null : editing}
          networks={nets.data?.items ?? []}
          tables={tables}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={useDeleteRouteTable()}
        variables={(t) => t.id}
        onSuccess={(t) => toast.success('Route table deleted', t.name)}
        title={`Delete route table ${deleting?.name ?? ''}?`}
        confirmLabel="Delete route table"
        errorTitle="Could not delete the route table"
      >
        <p>Its networks go back to your default table; their running guests drop its routes at once.</p>
      </MutationDialog>
    </>
  );
}
