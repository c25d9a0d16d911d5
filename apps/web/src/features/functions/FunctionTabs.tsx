import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  ConfirmDialog,
  CopyableId,
  Input,
  Select,
  Spinner,
} from '../../components/index.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import { SecretEnvPicker } from '../secrets/SecretEnvPicker.tsx';
import {
  type Fn,
  invocationQuery,
  invocationsQuery,
  metricsQuery,
  schedulesQuery,
  useAddSchedule,
  useDeleteSchedule,
  useDeleteUrl,
  useSetAlias,
  useSetUrl,
  useUpdateFunction,
  versionsQuery,
} from './api.ts';

const statusTone = (s: string) =>
  s === 'success'
    ? 'green'
    : s === 'queued' || s === 'running'
      ? 'blue'
      : s === 'throttled'
        ? 'amber'
        : 'red';

function InvocationLogs({ id }: { id: string }) {
  const inv = useQuery(invocationQuery(id));
  if (!inv.data) return <Spinner label="Loading logs" />;
  return (
    <pre className="mt-1 max-h-56 overflow-auto rounded bg-panel-muted p-2 font-mono text-xs">
      {inv.data.logs || '(no output)'}
      {inv.data.error ? `\n${inv.data.error.type}: ${inv.data.error.message}` : ''}
    </pre>
  );
}

export function InvocationsList({ fn }: { fn: Fn }) {
  const list = useQuery(invocationsQuery(fn.id));
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card title="Recent invocations">
      {!list.data ? (
        <Spinner label="Loading invocations" />
      ) : list.data.items.length === 0 ? (
        <p className="text-sm text-muted">
          No invocations yet. Use Test above, the function URL or a schedule.
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-line text-sm">
          {list.data.items.map((i) => (
            <li key={i.id} className="py-2">
              <button
                type="button"
                className="flex w-full flex-wrap items-center gap-2 text-left"
                onClick={() => setOpen(open === i.id ? null : i.id)}
                aria-expanded={open === i.id}
              >
                <Badge tone={statusTone(i.status)}>{i.status}</Badge>
                <span>{i.trigger}</span>
                <span className="text-muted">v{i.version}</span>
                <span>{i.durationMs !== null ? `${i.durationMs} ms` : ''}</span>
                {i.coldStart ? <span className="text-xs text-muted">cold</span> : null}
                <span className="ml-auto text-xs text-muted">{formatRelative(i.createdAt)}</span>
              </button>
              {open === i.id ? <InvocationLogs id={i.id} /> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function TriggersTab({ fn }: { fn: Fn }) {
  const { can } = useSession();
  const setUrl = useSetUrl();
  const delUrl = useDeleteUrl();
  const schedules = useQuery(schedulesQuery(fn.id));
  const add = useAddSchedule();
  const del = useDeleteSchedule();
  const [auth, setAuth] = useState<'none' | 'iam'>(fn.url?.auth ?? 'iam');
  const [origins, setOrigins] = useState((fn.url?.cors?.allowOrigins ?? []).join(', '));
  const [cron, setCron] = useState('*/5 * * * *');
  const [tz, setTz] = useState('UTC');
  const [payload, setPayload] = useState('{}');
  const [removing, setRemoving] = useState<string | null>(null);
  const editable = can('functions:update');
  const full = fn.url ? new URL(fn.url.url, window.location.origin).toString() : null;
  let payloadError: string | null = null;
  try {
    JSON.parse(payload);
  } catch {
    payloadError = 'Not valid JSON';
  }
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Function URL">
        {full ? (
          <div className="mb-3 flex flex-col gap-1 text-sm">
            <CopyableId value={full} label="function URL" />
            <span className="text-muted">
              Auth: {fn.url?.auth === 'none' ? 'none (public)' : 'IAM (Bearer token or access key)'}
            </span>
          </div>
        ) : (
          <p className="mb-3 text-sm text-muted">
            No URL yet. A URL calls the function for every HTTP request to it.
          </p>
        )}
        {setUrl.error ? <Alert className="mb-2">{(setUrl.error as Error).message}</Alert> : null}
        {editable ? (
          <div className="flex flex-col gap-3">
            <Select
              label="Auth"
              value={auth}
              onChange={(e) => setAuth(e.target.value as 'none' | 'iam')}
              options={[
                { value: 'iam', label: 'IAM (token or access key)' },
                { value: 'none', label: 'None (public)' },
              ]}
            />
            <Input
              label="CORS origins"
              value={origins}
              onChange={(e) => setOrigins(e.target.value)}
              placeholder="https://app.example.com"
              hint="Comma-separated; * for any; empty: no CORS"
            />
            <div className="flex gap-2">
              <Button
                variant="primary"
                loading={setUrl.isPending}
                onClick={() =>
                  setUrl.mutate({
                    id: fn.id,
                    auth,
                    origins: origins
                      .split(',')
                      .map((s) => s.trim())
                      .filter(Boolean),
                  })
                }
              >
                {fn.url ? 'Save URL' : 'Create URL'}
              </Button>
              {fn.url ? <Button onClick={() => setRemoving('url')}>Remove URL</Button> : null}
            </div>
          </div>
        ) : null}
      </Card>
      <Card title="Schedules">
        {!schedules.data ? (
          <Spinner label="Loading schedules" />
        ) : schedules.data.items.length === 0 ? (
          <p className="mb-3 text-sm text-muted">
            No schedules. Add a cron expression to run the function regularly.
          </p>
        ) : (
          <ul className="mb-3 flex flex-col divide-y divide-line text-sm">
            {schedules.data.items.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2 py-2">
                <code>{s.cron}</code>
                <span className="text-muted">{s.timezone}</span>
                <span className="text-xs text-muted">next {formatDateTime(s.nextRunAt)}</span>
                {s.lastStatus ? (
                  <Badge tone={s.lastStatus === 'succeeded' ? 'green' : 'amber'}>{s.lastStatus}</Badge>
                ) : null}
                {editable ? (
                  <Button
                    size="sm"
                    className="ml-auto"
                    onClick={() => setRemoving(s.id)}
                    aria-label={`Delete schedule ${s.cron}`}
                  >
                    Delete
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {add.error ? <Alert className="mb-2">{(add.error as Error).message}</Alert> : null}
        {editable ? (
          <div className="flex flex-col gap-3">
            <Input
              label="Cron expression"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              hint="5 fields (minute hour day month weekday), or 6 with seconds first"
            />
            <Input label="Time zone" value={tz} onChange={(e) => setTz(e.target.value)} />
            <Input
              label="Payload (JSON)"
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
              error={payloadError}
            />
            <Button
              variant="primary"
              disabled={!!payloadError}
              loading={add.isPending}
              onClick={() => add.mutate({ id: fn.id, cron, timezone: tz, payload: JSON.parse(payload) })}
            >
              Add schedule
            </Button>
          </div>
        ) : null}
      </Card>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing === 'url' ? 'Remove the function URL?' : 'Delete this schedule?'}
        confirmLabel={removing === 'url' ? 'Remove URL' : 'Delete schedule'}
        pending={delUrl.isPending || del.isPending}
        onConfirm={() => {
          const done = { onSuccess: () => setRemoving(null) };
          if (removing === 'url') delUrl.mutate(fn.id, done);
          else if (removing) del.mutate({ id: fn.id, scheduleId: removing }, done);
        }}
      >
        {removing === 'url'
          ? 'Requests to the URL will answer 404. A new URL gets a new address.'
          : 'The function stops running on this schedule.'}
      </ConfirmDialog>
    </div>
  );
}

export function VersionsTab({ fn }: { fn: Fn }) {
  const versions = useQuery(versionsQuery(fn.id));
  const alias = useSetAlias();
  const { can } = useSession();
  if (!versions.data) return <Spinner label="Loading versions" />;
  return (
    <Card title="Versions">
      {alias.error ? <Alert className="mb-2">{(alias.error as Error).message}</Alert> : null}
      <ul className="flex flex-col divide-y divide-line text-sm">
        {versions.data.versions.map((v) => {
          const names = versions.data.aliases.filter((a) => a.version === v.version).map((a) => a.name);
          return (
            <li key={v.version} className="flex flex-wrap items-center gap-2 py-2">
              <span className="font-medium">Version {v.version}</span>
              {names.map((n) => (
                <Badge key={n} tone="blue">
                  {n}
                </Badge>
              ))}
              <span className="text-muted">
                {v.runtime} · {v.memoryMb} MiB · {v.codeSize} bytes
              </span>
              <span className="text-xs text-muted">{formatDateTime(v.createdAt)}</span>
              {can('functions:update') && !names.includes('live') ? (
                <Button
                  size="sm"
                  className="ml-auto"
                  loading={alias.isPending}
                  onClick={() => alias.mutate({ id: fn.id, name: 'live', version: v.version })}
                >
                  Make live
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

export function ConfigurationTab({ fn }: { fn: Fn }) {
  const update = useUpdateFunction();
  const { can } = useSession();
  const [memory, setMemory] = useState(String(fn.memoryMb));
  const [timeout, setTimeoutS] = useState(String(fn.timeoutSeconds));
  const [env, setEnv] = useState(
    Object.entries(fn.env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  const [network, setNetwork] = useState(fn.network);
  const [secretEnv, setSecretEnv] = useState<Record<string, string>>(fn.secrets);
  const save = () =>
    update.mutate({
      id: fn.id,
      memoryMb: Number(memory),
      timeoutSeconds: Number(timeout),
      network,
      secretEnv,
      env: Object.fromEntries(
        env
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      ),
    });
  return (
    <Card title="Configuration">
      {update.error ? <Alert className="mb-2">{(update.error as Error).message}</Alert> : null}
      <div className="grid max-w-xl gap-3">
        <Input
          label="Memory (MiB)"
          type="number"
          min={64}
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
        />
        <Input
          label="Timeout (seconds)"
          type="number"
          min={1}
          max={900}
          value={timeout}
          onChange={(e) => setTimeoutS(e.target.value)}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={network} onChange={(e) => setNetwork(e.target.checked)} /> Outbound
          network
        </label>
        <label className="text-sm font-medium" htmlFor="fn-env">
          Environment (NAME=value per line)
        </label>
        <textarea
          id="fn-env"
          className="h-24 rounded-md border border-line-strong bg-panel p-2 font-mono text-sm"
          value={env}
          onChange={(e) => setEnv(e.target.value)}
        />
        <SecretEnvPicker
          value={secretEnv}
          onChange={setSecretEnv}
          disabled={!can('functions:update')}
          hint="Read from the secret's current version at each invocation (cached 10 s) and audited; the function stores only the names."
        />
        {can('functions:update') ? (
          <Button variant="primary" onClick={save} loading={update.isPending}>
            Save (new version)
          </Button>
        ) : null}
      </div>
    </Card>
  );
}

export function MetricsTab({ fn }: { fn: Fn }) {
  const [hours, setHours] = useState(24);
  const m = useQuery(metricsQuery(fn.id, hours));
  if (!m.data) return <Spinner label="Loading metrics" />;
  const d = m.data;
  const max = Math.max(1, ...d.series.map((s) => s.invocations + s.throttles));
  const w = 600;
  const h = 140;
  const bw = w / Math.max(1, d.series.length);
  return (
    <Card
      title="Metrics"
      actions={
        <Select
          label="Window"
          hideLabel
          value={String(hours)}
          onChange={(e) => setHours(Number(e.target.value))}
          options={[1, 6, 24, 168].map((x) => ({
            value: String(x),
            label: x < 24 ? `${x} h` : `${x / 24} d`,
          }))}
        />
      }
    >
      <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        {[
          ['Invocations', d.invocations],
          ['Errors', `${d.errors} (${Math.round(d.errorRate * 1000) / 10}%)`],
          ['Throttles', d.throttles],
          ['Duration p50 / p95', `${d.p50Ms ?? '–'} / ${d.p95Ms ?? '–'} ms`],
        ].map(([k, v]) => (
          <div key={String(k)}>
            <dt className="text-muted">{k}</dt>
            <dd className="text-lg font-semibold">{v}</dd>
          </div>
        ))}
      </dl>
      <svg
        viewBox={`0 0 ${w} ${h}`}
        className="h-36 w-full"
        role="img"
        aria-label={`Invocations per interval over ${hours} hours`}
      >
        {d.series.map((s, i) => {
          const ok = ((s.invocations - s.errors) / max) * (h - 10);
          const err = (s.errors / max) * (h - 10);
          const thr = (s.throttles / max) * (h - 10);
          return (
            <g key={s.t}>
              <title>{`${formatDateTime(s.t)}: ${s.invocations} invocations, ${s.errors} errors, ${s.throttles} throttled, p50 ${s.p50Ms ?? '–'} ms`}</title>
              <rect
                x={i * bw}
                y={h - ok}
                width={Math.max(1, bw - 1)}
                height={ok}
                className="fill-green-500"
              />
              <rect
                x={i * bw}
                y={h - ok - err}
                width={Math.max(1, bw - 1)}
                height={err}
                className="fill-red-500"
              />
              <rect
                x={i * bw}
                y={h - ok - err - thr}
                width={Math.max(1, bw - 1)}
                height={thr}
                className="fill-amber-400"
              />
            </g>
          );
        })}
      </svg>
      <p className="mt-2 text-xs text-muted">
        Green: succeeded, red: errors (incl. timeouts and out-of-memory), amber: throttled. {d.coldStarts}{' '}
        {d.coldStarts === 1 ? 'cold start' : 'cold starts'}.
      </p>
    </Card>
  );
}
