import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PlusIcon, ServerIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  type Column,
  CopyableId,
  Dialog,
  DialogActions,
  Input,
  MutationDialog,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import { OperationProgress } from '../instances/parts.tsx';
import { nodesQuery } from '../monitoring/api.ts';
import {
  type FunctionRunner,
  runnersQuery,
  useCreateRunner,
  useDeleteRunner,
  useRecreateRunner,
  useUpgradeRunner,
} from './runners-api.ts';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function HealthBadge({ r }: { r: FunctionRunner }) {
  const tone = r.health === 'healthy' ? 'green' : r.health === 'unknown' ? 'neutral' : 'red';
  return (
    <Badge tone={tone} dot>
      {r.health}
    </Badge>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateRunner();
  const toast = useToast();
  const [name, setName] = useState('');
  const [node, setNode] = useState('');
  const [memory, setMemory] = useState('1024');
  const nodes = useQuery(nodesQuery());
  const problem = name && !NAME.test(name) ? 'Lower-case letters, digits and dashes (a hostname)' : null;
  const mem = Number(memory);
  const memProblem = !Number.isInteger(mem) || mem < 256 ? 'At least 256 MiB' : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Create function runner"
      description="An unprivileged Debian container on a Proxmox node with Node.js, Python 3, Go and bubblewrap; invocations are scheduled on it once it answers its health check."
      dismissible={!create.isPending}
      onSubmit={() => {
        if (!name || problem || memProblem) return;
        create.mutate(
          { name, memoryMib: mem, ...(node ? { node } : {}) },
          {
            onSuccess: (r) => {
              toast.success('Function runner creating', r.name);
              onClose();
            },
          },
        );
      }}
      footer={
        <DialogActions
          onCancel={onClose}
          pending={create.isPending}
          submitLabel="Create runner"
          submitDisabled={!name || !!problem || !!memProblem}
        />
      }
    >
      <div className="flex flex-col gap-4">
        {create.error ? (
          <Alert title="Could not create the runner">{describeError(create.error)}</Alert>
        ) : null}
        <Input
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="runner-1"
          autoFocus
          error={problem}
          hint="Also the container's hostname"
        />
        <Select
          label="Node"
          value={node}
          onChange={(e) => setNode(e.target.value)}
          options={[
            { value: '', label: 'Any node (the first that can hold it)' },
            ...(nodes.data?.items ?? []).map((n) => ({
              value: n.node,
              label: n.status === 'online' ? n.node : `${n.node} (${n.status})`,
            })),
          ]}
        />
        <Input
          label="Memory (MiB)"
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
          inputMode="numeric"
          error={memProblem}
        />
      </div>
    </Dialog>
  );
}

export default function RunnersPage() {
  const { can } = useSession();
  const list = useQuery({ ...runnersQuery, enabled: can('function_runners:read') });
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FunctionRunner | null>(null);
  const [upgrading, setUpgrading] = useState<FunctionRunner | null>(null);
  const [recreating, setRecreating] = useState<FunctionRunner | null>(null);
  const manage = can('function_runners:update');
  const upgrade = useUpgradeRunner();
  const recreate = useRecreateRunner();
  const remove = useDeleteRunner();
  if (!can('function_runners:read'))
    return (
      <>
        <PageHeader eyebrow="Functions" title="Function runners" />
        <Alert title="Admins only">Function runners are shared infrastructure that admins manage.</Alert>
      </>
    );

  const columns: Column<FunctionRunner>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (r) => (
        <div className="flex flex-col">
          <span className="font-medium">{r.name}</span>
          <CopyableId value={r.id} label={`ID of runner ${r.name}`} />
        </div>
      ),
    },
    {
      key: 'node',
      header: 'Node',
      className: 'hidden sm:table-cell',
      cell: (r) => (
        <span className="text-sm">
          {r.node ?? '–'}
          {r.vmid ? <span className="font-mono text-xs text-muted"> · CT {r.vmid}</span> : null}
        </span>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (r) => (
        <div className="flex flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span>{r.status}</span>
            <HealthBadge r={r} />
          </div>
          {r.healthReason || r.statusReason ? (
            <span className="text-xs text-muted">{r.healthReason ?? r.statusReason}</span>
          ) : null}
          {r.activeOperationId ? <OperationProgress id={r.activeOperationId} compact /> : null}
        </div>
      ),
    },
    {
      key: 'version',
      header: 'Version',
      className: 'hidden md:table-cell',
      cell: (r) => (
        <div className="flex flex-col text-xs">
          <span className="font-mono">{r.version ?? '–'}</span>
          {r.upgradeAvailable ? <Badge tone="amber">upgrade to {r.latestVersion}</Badge> : null}
        </div>
      ),
    },
    {
      key: 'sandbox',
      header: 'Sandbox',
      className: 'hidden lg:table-cell',
      cell: (r) =>
        r.sandbox ? (
          <span className="text-xs">
            {r.sandbox.bwrap ? 'bubblewrap' : 'none'} · {r.sandbox.limits}
            {r.sandbox.seccomp ? ' · seccomp' : ''}
          </span>
        ) : (
          <span className="text-xs text-muted">–</span>
        ),
    },
    {
      key: 'active',
      header: 'Active',
      className: 'hidden sm:table-cell',
      cell: (r) => String(r.activeInvocations),
    },
  ];
  if (manage)
    columns.push(
      menuColumn(
        (r) => r.name,
        (r) => {
          const busy = Boolean(r.activeOperationId);
          const broken = r.health === 'lost' || r.status === 'error';
          return [
            {
              label: 'Upgrade',
              hidden: broken || busy || r.status !== 'ready',
              onSelect: () => setUpgrading(r),
            },
            { label: 'Re-create', hidden: !broken || busy, onSelect: () => setRecreating(r) },
            { label: 'Delete', danger: true, hidden: busy, onSelect: () => setDeleting(r) },
          ];
        },
      ),
    );

  return (
    <>
      <PageHeader
        eyebrow="Functions"
        title="Function runners"
        description="Containers on the Proxmox nodes that run function invocations in bubblewrap sandboxes. With none, the server runs a local runner."
        actions={
          <div className="flex gap-2">
            <Link to="/functions" className="self-center text-sm text-primary hover:underline">
              Functions
            </Link>
            {can('function_runners:create') ? (
              <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
                Create runner
              </Button>
            ) : null}
          </div>
        }
      />
      <ResourceList
        caption="Function runners"
        errorTitle="Could not load the function runners"
        list={list}
        columns={columns}
        rowKey={(r) => r.id}
        skeletonRows={2}
        empty={{
          icon: <ServerIcon />,
          title: 'No managed runners',
          body: 'Invocations run on the server’s local runner. Create a runner to run them in a container on a Proxmox node.',
        }}
      />
      {creating ? <CreateDialog onClose={() => setCreating(false)} /> : null}
      <MutationDialog
        target={upgrading}
        onClose={() => setUpgrading(null)}
        mutation={upgrade}
        variables={(r) => r.id}
        onSuccess={(r) => toast.success('Runner upgrading', r.name)}
        title={`Upgrade runner ${upgrading?.name ?? ''}?`}
        confirmLabel="Upgrade"
        tone="primary"
        errorTitle="Could not upgrade the runner"
      >
        <p>
          It leaves scheduling, its running invocations finish, then version {upgrading?.latestVersion} is
          pushed and the runner restarts. Upgrade runners one at a time.
        </p>
      </MutationDialog>
      <MutationDialog
        target={recreating}
        onClose={() => setRecreating(null)}
        mutation={recreate}
        variables={(r) => r.id}
        onSuccess={(r) => toast.success('Runner re-creating', r.name)}
        title={`Re-create runner ${recreating?.name ?? ''}?`}
        confirmLabel="Re-create"
        tone="primary"
        errorTitle="Could not re-create the runner"
      >
        <p>What is left of its container is destroyed and a new one is built with a new secret.</p>
      </MutationDialog>
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={remove}
        variables={(r) => r.id}
        onSuccess={(r) => toast.success('Runner deleting', r.name)}
        title={`Delete runner ${deleting?.name ?? ''}?`}
        confirmLabel="Delete runner"
        errorTitle="Could not delete the runner"
      >
        <p>
          It leaves scheduling, its running invocations finish, then container {deleting?.vmid ?? ''} on{' '}
          {deleting?.node ?? ''} is stopped and destroyed.
        </p>
      </MutationDialog>
    </>
  );
}
