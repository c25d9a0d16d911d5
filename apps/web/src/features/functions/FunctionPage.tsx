import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  ConfirmDialog,
  CopyableId,
  PageHeader,
  Spinner,
  useToast,
} from '../../components/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  codeQuery,
  type Fn,
  functionQuery,
  type InvokeResult,
  invocationsQuery,
  invokeFunction,
  useDeleteFunction,
  useUpdateFunction,
} from './api.ts';
import { BuildError } from './BuildError.tsx';
import { ConfigurationTab, InvocationsList, MetricsTab, TriggersTab, VersionsTab } from './FunctionTabs.tsx';

const CodeEditor = lazy(() => import('./CodeEditor.tsx'));
const TABS = ['Code', 'Triggers', 'Versions', 'Configuration', 'Metrics'] as const;
type Tab = (typeof TABS)[number];

function TestPanel({ fn }: { fn: Fn }) {
  const [payload, setPayload] = useState('{\n  "name": "Ada"\n}');
  const [result, setResult] = useState<InvokeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const qc = useQueryClient();
  const run = async () => {
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      setError('The payload is not valid JSON.');
      return;
    }
    setRunning(true);
    try {
      setResult(await invokeFunction(fn.id, parsed));
      void qc.invalidateQueries({ queryKey: invocationsQuery(fn.id).queryKey });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Card
      title="Test"
      actions={
        <Button variant="primary" size="sm" onClick={run} loading={running}>
          Test
        </Button>
      }
    >
      <label className="mb-1 block text-sm font-medium" htmlFor="fn-payload">
        Event (JSON)
      </label>
      <textarea
        id="fn-payload"
        className="h-28 w-full rounded-md border border-line-strong bg-panel p-2 font-mono text-sm"
        value={payload}
        onChange={(e) => setPayload(e.target.value)}
      />
      {error ? <Alert className="mt-3">{error}</Alert> : null}
      {result ? (
        <div className="mt-4 flex flex-col gap-2" data-testid="test-result">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={result.status === 'success' ? 'green' : 'red'}>{result.status}</Badge>
            <span>{result.durationMs ?? '–'} ms</span>
            <span className="text-muted">billed {result.billedDurationMs ?? '–'} ms</span>
            <span className="text-muted">{result.memoryUsedMb ?? '–'} MiB used</span>
            {result.coldStart ? <Badge tone="blue">cold start</Badge> : null}
            <CopyableId value={result.invocationId} label="invocation id" />
          </div>
          <pre
            className="max-h-64 overflow-auto rounded-md bg-panel-muted p-2 font-mono text-xs"
            data-testid="test-output"
          >
            {result.status === 'success'
              ? JSON.stringify(result.result, null, 2)
              : `${result.error?.type}: ${result.error?.message}`}
          </pre>
          <p className="text-sm font-medium">Logs</p>
          <pre
            className="max-h-64 overflow-auto rounded-md bg-panel-muted p-2 font-mono text-xs"
            data-testid="test-logs"
          >
            {result.logTail || '(no output)'}
          </pre>
        </div>
      ) : null}
    </Card>
  );
}

function CodeTab({ fn }: { fn: Fn }) {
  const code = useQuery(codeQuery(fn.id, fn.liveVersion));
  const [files, setFiles] = useState<Record<string, string> | null>(null);
  const [current, setCurrent] = useState<string>('');
  const update = useUpdateFunction();
  const toast = useToast();
  const { can } = useSession();
  useEffect(() => {
    if (!code.data) return;
    const text = Object.fromEntries(
      code.data.files.filter((f) => f.text !== null).map((f) => [f.path, f.text as string]),
    );
    setFiles(text);
    setCurrent((c) => (c && c in text ? c : (Object.keys(text)[0] ?? '')));
  }, [code.data]);
  if (code.isPending || !files) return <Spinner label="Loading code" />;
  const binary = code.data?.files.filter((f) => f.text === null) ?? [];
  const dirty = code.data ? code.data.files.some((f) => f.text !== null && files[f.path] !== f.text) : false;
  const deploy = () =>
    update.mutate(
      { id: fn.id, code: { files } },
      { onSuccess: (f) => toast.success(`Deployed version ${f.version}`) },
    );
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card
        title={
          <span className="flex flex-wrap items-center gap-2">
            Code <span className="text-xs font-normal text-muted">version {fn.liveVersion}</span>
          </span>
        }
        actions={
          can('functions:update') ? (
            <Button variant="primary" size="sm" onClick={deploy} loading={update.isPending} disabled={!dirty}>
              Deploy
            </Button>
          ) : null
        }
      >
        <div className="mb-2 flex flex-wrap gap-1" role="tablist" aria-label="Files">
          {Object.keys(files).map((p) => (
            <Button
              key={p}
              size="sm"
              variant={p === current ? 'primary' : 'ghost'}
              onClick={() => setCurrent(p)}
              role="tab"
              aria-selected={p === current}
            >
              {p}
            </Button>
          ))}
        </div>
        {update.error ? (
          <Alert className="mb-2" title="Deploy failed">
            <BuildError error={update.error} />
          </Alert>
        ) : null}
        <Suspense fallback={<Spinner label="Loading editor" />}>
          <CodeEditor
            key={`${current}@${fn.liveVersion}`}
            label={`Code of ${current}`}
            language={fn.runtime === 'python3' ? 'python' : fn.runtime === 'go' ? 'go' : 'javascript'}
            value={files[current] ?? ''}
            onChange={(v) => setFiles((f) => ({ ...(f ?? {}), [current]: v }))}
          />
        </Suspense>
        {binary.length ? (
          <p className="mt-2 text-xs text-muted">
            Not shown (binary): {binary.map((b) => b.path).join(', ')}
          </p>
        ) : null}
      </Card>
      <div className="flex flex-col gap-4">
        <TestPanel fn={fn} />
        <InvocationsList fn={fn} />
      </div>
    </div>
  );
}

export default function FunctionPage() {
  const { id = '' } = useParams();
  const fn = useQuery(functionQuery(id));
  const [tab, setTab] = useState<Tab>('Code');
  const [deleting, setDeleting] = useState(false);
  const del = useDeleteFunction();
  const navigate = useNavigate();
  const { can } = useSession();
  if (fn.isPending) return <Spinner label="Loading function" />;
  if (fn.error || !fn.data)
    return (
      <Alert title="Could not load the function">
        {(fn.error as Error | null)?.message ?? 'Not found.'} <Link to="/functions">Back to functions</Link>
      </Alert>
    );
  const f = fn.data;
  return (
    <>
      <PageHeader
        eyebrow="Functions"
        title={f.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge>{f.runtime}</Badge> {f.handler} · {f.memoryMb} MiB · {f.timeoutSeconds} s · created{' '}
            {formatDateTime(f.createdAt)}
            <CopyableId value={f.id} label="function id" />
          </span>
        }
        actions={
          can('functions:delete') ? (
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          ) : null
        }
      />
      <div
        className="mb-4 flex gap-1 overflow-x-auto border-b border-line"
        role="tablist"
        aria-label="Function sections"
      >
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={t === tab}
            onClick={() => setTab(t)}
            className={`px-3 py-2 text-sm whitespace-nowrap ${t === tab ? 'border-b-2 border-primary font-medium text-fg' : 'text-muted'}`}
          >
            {t}
          </button>
        ))}
      </div>
      {tab === 'Code' ? <CodeTab fn={f} /> : null}
      {tab === 'Triggers' ? <TriggersTab fn={f} /> : null}
      {tab === 'Versions' ? <VersionsTab fn={f} /> : null}
      {tab === 'Configuration' ? <ConfigurationTab fn={f} /> : null}
      {tab === 'Metrics' ? <MetricsTab fn={f} /> : null}
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        onConfirm={() => del.mutate(f.id, { onSuccess: () => navigate('/functions') })}
        title={`Delete function ${f.name}?`}
        confirmLabel="Delete function"
        confirmText={f.name}
        pending={del.isPending}
        error={del.error}
      >
        Its versions, URL, schedules and invocation history are deleted too.
      </ConfirmDialog>
    </>
  );
}
