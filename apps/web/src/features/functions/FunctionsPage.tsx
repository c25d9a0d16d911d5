import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { BoltIcon, PlusIcon } from '../../components/icons.tsx';
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
  Select,
} from '../../components/index.ts';
import { formatRelative } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  type Fn,
  functionsQuery,
  metricsQuery,
  type Runtime,
  runtimesQuery,
  STARTER,
  useCreateFunction,
} from './api.ts';
import { BuildError } from './BuildError.tsx';

const PAGE_SIZE = 20;

function ErrorRate({ id }: { id: string }) {
  const m = useQuery(metricsQuery(id));
  if (!m.data) return <span className="text-muted">–</span>;
  if (m.data.invocations === 0) return <span className="text-muted">no invocations</span>;
  const pct = Math.round(m.data.errorRate * 1000) / 10;
  return (
    <Badge tone={pct > 5 ? 'red' : pct > 0 ? 'amber' : 'green'}>{`${pct}% of ${m.data.invocations}`}</Badge>
  );
}

function CreateFunctionDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [runtime, setRuntime] = useState<Runtime>('nodejs');
  const [memory, setMemory] = useState('128');
  const create = useCreateFunction();
  const runtimes = useQuery(runtimesQuery);
  const navigate = useNavigate();
  const valid = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/.test(name);
  const submit = () =>
    create.mutate(
      {
        name,
        runtime,
        handler: STARTER[runtime].handler,
        memoryMb: Number(memory),
        timeoutSeconds: 10,
        code: { files: STARTER[runtime].files },
      },
      { onSuccess: (fn) => navigate(`/functions/${fn.id}`) },
    );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create function"
      onSubmit={() => {
        if (valid) submit();
      }}
      footer={
        <DialogActions
          onCancel={onClose}
          pending={create.isPending}
          submitLabel="Create function"
          submitDisabled={!valid}
        />
      }
    >
      <div className="flex flex-col gap-4">
        {create.error ? (
          <Alert title="Could not create the function">
            <BuildError error={create.error} />
          </Alert>
        ) : null}
        <Input
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="hello"
          autoFocus
          hint="Letters, digits, - and _"
        />
        <Select
          label="Runtime"
          value={runtime}
          onChange={(e) => setRuntime(e.target.value as Runtime)}
          options={(
            runtimes.data?.runtimes ?? [
              { name: 'nodejs' as const, available: true, version: null },
              { name: 'python3' as const, available: true, version: null },
            ]
          )
            .filter((r) => r.available)
            .map((r) => ({
              value: r.name,
              label: `${r.name === 'nodejs' ? 'Node.js' : r.name === 'python3' ? 'Python 3' : 'Go'}${r.version ? ` ${r.version}` : ''}`,
            }))}
        />
        <Select
          label="Memory"
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
          options={['128', '256', '512', '1024'].map((m) => ({ value: m, label: `${m} MiB` }))}
        />
        <p className="text-sm text-muted">
          The function starts with a small example handler; edit it in the code editor next.
        </p>
      </div>
    </Dialog>
  );
}

export default function FunctionsPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const list = useQuery(functionsQuery(PAGE_SIZE, offset));
  const sandbox = useQuery(runtimesQuery).data?.sandbox;
  const [creating, setCreating] = useState(false);
  const canCreate = can('functions:create');

  const columns: Column<Fn>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-24',
      cell: (f) => (
        <div className="flex flex-col">
          <Link to={`/functions/${f.id}`} className="font-medium text-primary hover:underline">
            {f.name}
          </Link>
          <span className="font-mono text-xs whitespace-nowrap text-muted">{f.id}</span>
        </div>
      ),
    },
    { key: 'runtime', header: 'Runtime', skeletonWidth: 'w-16', cell: (f) => <Badge>{f.runtime}</Badge> },
    {
      key: 'last',
      header: 'Last invoked',
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (f) => (
        <span className="text-muted">{f.lastInvokedAt ? formatRelative(f.lastInvokedAt) : 'never'}</span>
      ),
    },
    {
      key: 'errors',
      header: 'Errors (24 h)',
      className: 'hidden md:table-cell',
      cell: (f) => <ErrorRate id={f.id} />,
    },
  ];

  return (
    <>
      <PageHeader
        eyebrow="Functions"
        title="Functions"
        description="Code that runs on demand, from a URL or on a schedule, each invocation in its own sandbox."
        actions={
          <div className="flex gap-2">
            {can('function_runners:read') ? (
              <Link to="/functions/runners" className="self-center text-sm text-primary hover:underline">
                Runners
              </Link>
            ) : null}
            {canCreate ? (
              <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
                Create function
              </Button>
            ) : null}
          </div>
        }
      />
      {sandbox?.bwrap ? (
        <p className="mb-3 text-xs text-muted">
          Sandboxes: bubblewrap namespaces, limits by {sandbox.limits}, seccomp filter{' '}
          {sandbox.seccomp ? 'on' : 'off'}.
        </p>
      ) : null}
      <ResourceList
        caption="Functions"
        errorTitle="Could not load functions"
        list={list}
        columns={columns}
        rowKey={(f) => f.id}
        skeletonRows={4}
        empty={{
          icon: <BoltIcon />,
          title: 'No functions yet',
          body: canCreate
            ? 'Create a function, edit its handler in the browser and test it here.'
            : 'Your role cannot create functions.',
        }}
        pagination={{
          label: 'Function pages',
          limit: PAGE_SIZE,
          offset,
          onChange: (o) => setParams(o ? { offset: String(o) } : {}, { replace: true }),
          onlyWhenPaged: true,
        }}
      />
      <CreateFunctionDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
