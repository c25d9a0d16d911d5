/** /iac: write or upload an infrastructure file, see the plan as a diff, apply it; stacks, resources, history. */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  type Column,
  ConfirmDialog,
  EmptyState,
  Input,
  PageHeader,
  Spinner,
  Table,
} from '../../components/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  resourceLink,
  type Stack,
  type StackDetail,
  type StackPlan,
  stackNameOf,
  stackQuery,
  stacksQuery,
  useApplyStack,
  useDestroyStack,
  usePlanStack,
} from './api.ts';
import { PlanView } from './PlanView.tsx';
import { RunProgress } from './RunProgress.tsx';

const YamlEditor = lazy(() => import('./YamlEditor.tsx'));

const STARTER = `# Describe resources, press Plan, review the diff, then Apply.
stack: my-lab
instances:
  - name: web
    type: lxc
    template: debian-12
    vcpu: 1
    memory: 512MiB
    volumes:
      - size: 1GiB
        mount: /srv/data
`;

const STATUS_TONE: Record<Stack['status'], 'green' | 'red' | 'amber' | 'neutral' | 'blue'> = {
  applied: 'green',
  failed: 'red',
  applying: 'blue',
  destroyed: 'neutral',
  empty: 'neutral',
};

function StackResources({ stack }: { stack: StackDetail }) {
  const columns: Column<StackDetail['resources'][number]>[] = [
    {
      key: 'address',
      header: 'Resource',
      cell: (r) => <span className="font-mono break-all">{r.address}</span>,
    },
    {
      key: 'id',
      header: 'Id',
      cell: (r) => {
        const to = resourceLink(r.kind, r.id);
        return to ? (
          <Link className="font-mono text-blue-700 underline dark:text-blue-400" to={to}>
            {r.id}
          </Link>
        ) : (
          <span className="font-mono">{r.id}</span>
        );
      },
    },
  ];
  const history: Column<StackDetail['history'][number]>[] = [
    { key: 'when', header: 'When', cell: (h) => formatDateTime(h.startedAt) },
    { key: 'who', header: 'Who', cell: (h) => h.username },
    { key: 'action', header: 'Action', cell: (h) => h.action },
    {
      key: 'status',
      header: 'Result',
      cell: (h) => (
        <Badge tone={h.status === 'succeeded' ? 'green' : h.status === 'failed' ? 'red' : 'blue'}>
          {h.status}
        </Badge>
      ),
    },
    {
      key: 'what',
      header: 'What',
      className: 'hidden md:table-cell',
      cell: (h) => (
        <span className="text-xs">
          {h.changes.map((c) => `${c.action} ${c.address}`).join(', ') || '—'}
          {h.error ? <span className="block text-red-700 dark:text-red-400">{h.error}</span> : null}
        </span>
      ),
    },
  ];
  return (
    <div className="space-y-4">
      <Table
        caption={`Resources of ${stack.name}`}
        columns={columns}
        rows={stack.resources}
        rowKey={(r) => r.address}
        empty="This stack owns nothing."
      />
      <Table
        caption={`History of ${stack.name}`}
        columns={history}
        rows={stack.history}
        rowKey={(h) => h.id}
        empty="Not applied yet."
      />
    </div>
  );
}

export default function StacksPage() {
  const { can } = useSession();
  const stacks = useQuery(stacksQuery());
  // the network designer hands its export over in the navigation state (plan first, then apply)
  const handed = (useLocation().state as { document?: unknown } | null)?.document;
  const [document, setDocument] = useState(typeof handed === 'string' ? handed : STARTER);
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [planned, setPlanned] = useState<{ plan: StackPlan; document: string; name: string } | null>(null);
  const [destroying, setDestroying] = useState(false);
  /** the apply/destroy started from this page (followed until it ends) */
  const [run, setRun] = useState<{ id: string; stack: string } | null>(null);
  const planStack = usePlanStack();
  const applyStack = useApplyStack();
  const destroyStack = useDestroyStack();
  const detail = useQuery({ ...stackQuery(selected ?? ''), enabled: selected !== null });
  const stackName = name || stackNameOf(document) || 'my-lab';
  const canApply = can('stacks:update');

  const onUpload = async (file: File | undefined) => {
    if (!file) return;
    setDocument(await file.text());
    if (!stackNameOf(await file.text()))
      setName(
        file.name
          .replace(/\.(ya?ml|json)$/i, '')
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-'),
      );
    setPlanned(null);
  };

  const onPlan = () =>
    planStack.mutate(
      { name: stackName, document },
      { onSuccess: (r) => setPlanned({ plan: r.plan, document, name: stackName }) },
    );

  const onApply = () => {
    if (!planned) return;
    applyStack.mutate(
      { name: planned.name, document: planned.document, expectedStateHash: planned.plan.stateHash },
      {
        onSuccess: (r) => {
          setSelected(planned.name);
          setPlanned(null);
          setRun(r.operation ? { id: r.operation.id, stack: planned.name } : null);
        },
      },
    );
  };

  const planError = planStack.error as {
    details?: { issues?: { line?: number; column?: number; message: string }[] };
  } | null;
  const stale = planned !== null && planned.document !== document;
  const hasChanges = planned?.plan.changes.some((c) => c.action !== 'no-op');

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow="IaC"
        title="Stacks"
        description="Describe infrastructure in a YAML file, preview the plan as a diff, then apply it. Same files as `proxicloud apply -f`."
      />

      <Card title="Your stacks">
        {stacks.isLoading ? (
          <Spinner label="Loading stacks" />
        ) : (stacks.data?.items.length ?? 0) === 0 ? (
          <EmptyState title="No stacks yet">
            Write a file below, press Plan, then Apply: the stack is created on the first apply.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {stacks.data?.items.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-3 py-2">
                <button
                  type="button"
                  className="font-medium text-blue-700 underline dark:text-blue-400"
                  onClick={() => setSelected(s.name)}
                >
                  {s.name}
                </button>
                <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge>
                <span className="text-sm text-muted">
                  {s.resourceCount} resources
                  {s.lastAppliedAt
                    ? ` · applied ${formatDateTime(s.lastAppliedAt)} by ${s.lastAppliedBy}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      {selected && (
        <Card
          title={`Stack ${selected}`}
          actions={
            <div className="flex gap-2">
              {detail.data?.document && (
                <Button
                  size="sm"
                  onClick={() => {
                    setDocument(detail.data?.document ?? '');
                    setName(selected);
                    setPlanned(null);
                  }}
                >
                  Edit file
                </Button>
              )}
              {can('stacks:delete') && (detail.data?.resources.length ?? 0) > 0 && (
                <Button size="sm" variant="danger" onClick={() => setDestroying(true)}>
                  Destroy
                </Button>
              )}
            </div>
          }
        >
          {detail.data?.operationId && detail.data.operationId !== run?.id && (
            <div className="mb-4">
              <RunProgress id={detail.data.operationId} stack={detail.data.name} />
            </div>
          )}
          {detail.data ? <StackResources stack={detail.data} /> : <Spinner label="Loading the stack" />}
        </Card>
      )}

      <Card title="File">
        <div className="space-y-3">
          <div className="flex flex-wrap items-end gap-3">
            <Input
              label="Stack name"
              value={name}
              placeholder={stackNameOf(document) ?? 'my-lab'}
              onChange={(e) => setName(e.target.value)}
            />
            <label className="text-sm">
              <span className="mb-1 block font-medium">Upload a file</span>
              <input
                type="file"
                accept=".yaml,.yml,.json"
                aria-label="Upload a YAML file"
                onChange={(e) => void onUpload(e.target.files?.[0])}
              />
            </label>
          </div>
          <Suspense fallback={<Spinner label="Loading the editor" />}>
            <YamlEditor value={document} onChange={setDocument} label="Infrastructure file (YAML)" />
          </Suspense>
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" onClick={onPlan} disabled={planStack.isPending}>
              {planStack.isPending ? 'Planning…' : 'Plan'}
            </Button>
            {canApply && (
              <Button
                onClick={onApply}
                disabled={!planned || !hasChanges || Boolean(stale) || applyStack.isPending}
              >
                {applyStack.isPending ? 'Applying…' : 'Apply this plan'}
              </Button>
            )}
          </div>
          {planStack.error && (
            <Alert title="The file cannot be planned">
              {planError?.details?.issues?.length ? (
                <ul className="font-mono text-xs">
                  {planError.details.issues.map((i) => (
                    <li key={`${i.line}:${i.column}:${i.message}`}>
                      {i.line ? `line ${i.line}:${i.column}: ` : ''}
                      {i.message}
                    </li>
                  ))}
                </ul>
              ) : (
                String((planStack.error as Error).message)
              )}
            </Alert>
          )}
          {applyStack.error && (
            <Alert title="Apply refused">{String((applyStack.error as Error).message)}</Alert>
          )}
          {applyStack.data?.result === 'no-changes' && (
            <Alert tone="success" title="No changes">
              Stack {applyStack.data.stack.name} already matches the file; nothing was written.
            </Alert>
          )}
          {run && <RunProgress key={run.id} id={run.id} stack={run.stack} />}
          {stale && (
            <Alert tone="warning">The file changed since this plan: plan again before applying.</Alert>
          )}
          {planned && <PlanView plan={planned.plan} />}
        </div>
      </Card>

      <ConfirmDialog
        open={destroying}
        onClose={() => setDestroying(false)}
        title={`Destroy stack ${selected}?`}
        confirmLabel="Destroy resources"
        confirmText={selected ?? ''}
        pending={destroyStack.isPending}
        error={destroyStack.error}
        onConfirm={() =>
          selected &&
          detail.data &&
          destroyStack.mutate(
            { name: selected, expectedStateHash: detail.data.stateHash },
            {
              onSuccess: (r) => {
                setDestroying(false);
                if (r.operation) setRun({ id: r.operation.id, stack: selected });
              },
            },
          )
        }
      >
        Every resource this stack owns ({detail.data?.resources.length ?? 0}) is deleted, dependents first.
        Nothing else is touched.
      </ConfirmDialog>
    </div>
  );
}
