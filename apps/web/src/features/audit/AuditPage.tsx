import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { CheckIcon, DownloadIcon, ListIcon, ShieldIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  type Column,
  CopyableId,
  Dialog,
  EmptyState,
  Input,
  PageHeader,
  Pagination,
  Select,
  Spinner,
  Table,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { P } from '../auth/permissions.ts';
import { meQuery, useSession } from '../auth/session.tsx';
import { type AuditEntry, type AuditFilter, auditCsvUrl, auditQuery, auditVerifyQuery } from './api.ts';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['username', 'action', 'resourceType', 'resourceId', 'result', 'from', 'to'] as const;
const resultTone = { success: 'green', failure: 'red', denied: 'amber' } as const;

/** <input type="datetime-local"> value (local time) ⇄ ISO-8601 UTC for the API. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function VerifyStatus() {
  const verify = useQuery(auditVerifyQuery);
  const qc = useQueryClient();
  const again = (
    <Button
      size="sm"
      onClick={() => qc.invalidateQueries({ queryKey: auditVerifyQuery.queryKey })}
      loading={verify.isFetching}
    >
      Verify again
    </Button>
  );
  let body: React.ReactNode;
  if (verify.isPending) {
    body = (
      <span className="flex items-center gap-2 text-muted">
        <Spinner className="size-4" /> Verifying the hash chain…
      </span>
    );
  } else if (verify.error) {
    body = (
      <span className="text-red-700 dark:text-red-400">
        Verification failed to run: {describeError(verify.error)}
      </span>
    );
  } else if (verify.data.valid) {
    body = (
      <span className="flex items-center gap-2">
        <CheckIcon className="text-lg text-green-600 dark:text-green-400" />
        <span>
          <strong className="font-semibold">Chain intact.</strong> {verify.data.checked.toLocaleString()}{' '}
          entries checked
          {verify.data.checkpoint ? `, from checkpoint #${verify.data.checkpoint.id}` : ''}.
        </span>
      </span>
    );
  } else {
    body = (
      <span className="text-red-800 dark:text-red-300">
        <strong className="font-semibold">Chain broken at entry #{verify.data.firstBrokenId ?? '?'}.</strong>{' '}
        {verify.data.reason ?? 'An entry was changed or removed after it was written.'}
      </span>
    );
  }
  const broken = verify.data && !verify.data.valid;
  return (
    <section
      aria-label="Audit chain verification"
      aria-live="polite"
      className={`mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border px-4 py-3 text-sm ${
        broken ? 'border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40' : 'border-line bg-panel'
      }`}
    >
      <span className="flex min-h-8 items-center gap-3">
        <ShieldIcon className="shrink-0 text-lg text-muted" />
        {body}
      </span>
      {again}
    </section>
  );
}

function EntryDialog({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const rows: Array<[string, React.ReactNode]> = entry
    ? [
        ['Time', formatDateTime(entry.timestamp)],
        ['User', entry.username ?? '—'],
        ['User ID', entry.userId ? <CopyableId key="u" value={entry.userId} label="user ID" /> : '—'],
        [
          'Action',
          <code key="a" className="font-mono">
            {entry.action}
          </code>,
        ],
        ['Resource', entry.resourceType ? `${entry.resourceType} ${entry.resourceId ?? ''}` : '—'],
        [
          'Result',
          <Badge key="r" tone={resultTone[entry.result]}>
            {entry.result}
          </Badge>,
        ],
        ['Source IP', entry.sourceIp],
        ['Request ID', <CopyableId key="q" value={entry.requestId} label="request ID" />],
        [
          'Hash',
          <span key="h" className="font-mono text-xs break-all">
            {entry.hash}
          </span>,
        ],
        [
          'Previous hash',
          <span key="p" className="font-mono text-xs break-all">
            {entry.prevHash}
          </span>,
        ],
      ]
    : [];
  return (
    <Dialog open={entry !== null} onClose={onClose} size="lg" title={`Audit entry #${entry?.id ?? ''}`}>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2.5 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd className="min-w-0">{v}</dd>
          </div>
        ))}
      </dl>
      {entry?.details ? (
        <>
          <h3 className="mt-5 mb-2 text-sm font-semibold">Details</h3>
          <pre className="overflow-x-auto rounded-md bg-panel-muted p-3 font-mono text-xs">
            {JSON.stringify(entry.details, null, 2)}
          </pre>
        </>
      ) : null}
    </Dialog>
  );
}

export default function AuditPage() {
  const { can } = useSession();
  const qc = useQueryClient();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const filter: AuditFilter = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) (filter as Record<string, string>)[k] = v;
  }
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const list = useQuery(auditQuery({ ...filter, limit: PAGE_SIZE, offset }));
  const [viewing, setViewing] = useState<AuditEntry | null>(null);
  const [draft, setDraft] = useState(() => ({
    username: filter.username ?? '',
    action: filter.action ?? '',
    resourceType: filter.resourceType ?? '',
    result: filter.result ?? '',
    from: toLocal(filter.from ?? null),
    to: toLocal(filter.to ?? null),
  }));
  const isAdmin = can(P.usersRead);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    const values: Record<string, string> = {
      username: draft.username.trim(),
      action: draft.action.trim(),
      resourceType: draft.resourceType.trim(),
      result: draft.result,
      from: toIso(draft.from),
      to: toIso(draft.to),
    };
    for (const [k, v] of Object.entries(values)) if (v) next.set(k, v);
    setParams(next, { replace: true });
  };
  const clear = () => {
    setDraft({ username: '', action: '', resourceType: '', result: '', from: '', to: '' });
    setParams({}, { replace: true });
  };

  // The CSV is a plain download link; make sure the session is fresh first (the SDK renews it if needed).
  const exportCsv = async () => {
    try {
      await qc.fetchQuery({ ...meQuery, staleTime: 0 });
      window.location.assign(auditCsvUrl(filter));
    } catch (e) {
      toast.error('Could not export', describeError(e));
    }
  };

  const columns: Column<AuditEntry>[] = [
    {
      key: 'time',
      header: 'Time',
      className: 'whitespace-nowrap',
      skeletonWidth: 'w-32',
      cell: (e) => <span className="tabular-nums">{formatDateTime(e.timestamp)}</span>,
    },
    {
      key: 'user',
      header: 'User',
      skeletonWidth: 'w-20',
      cell: (e) => e.username ?? <span className="text-muted">—</span>,
    },
    {
      key: 'action',
      header: 'Action',
      skeletonWidth: 'w-28',
      cell: (e) => <code className="font-mono text-[13px]">{e.action}</code>,
    },
    {
      key: 'resource',
      header: 'Resource',
      className: 'hidden md:table-cell',
      skeletonWidth: 'w-28',
      cell: (e) =>
        e.resourceType ? (
          <span className="text-[13px]">
            <span className="text-muted">{e.resourceType}</span>{' '}
            <span className="font-mono">{e.resourceId}</span>
          </span>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    {
      key: 'result',
      header: 'Result',
      skeletonWidth: 'w-16',
      cell: (e) => <Badge tone={resultTone[e.result]}>{e.result}</Badge>,
    },
    {
      key: 'ip',
      header: 'Source IP',
      className: 'hidden lg:table-cell',
      cellClassName: 'font-mono text-[13px]',
      skeletonWidth: 'w-20',
      cell: (e) => e.sourceIp,
    },
    {
      key: 'view',
      header: <span className="sr-only">Details</span>,
      className: 'w-px text-right',
      skeletonWidth: 'w-12',
      cell: (e) => (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setViewing(e)}
          aria-label={`View audit entry ${e.id}`}
        >
          View
        </Button>
      ),
    },
  ];

  const filtered = FILTER_KEYS.some((k) => params.get(k));

  return (
    <>
      <PageHeader
        eyebrow="Monitoring"
        title="Audit log"
        description={
          isAdmin
            ? 'Every sign-in and every change, by every user. Entries are hash-chained: editing or deleting one breaks the chain.'
            : 'Your sign-ins and the changes you made. Entries are hash-chained and cannot be edited.'
        }
        actions={
          <Button icon={<DownloadIcon />} onClick={exportCsv}>
            Export CSV
          </Button>
        }
      />
      {can(P.auditVerify) ? <VerifyStatus /> : null}
      <form
        onSubmit={apply}
        className="mb-4 rounded-lg border border-line bg-panel p-4"
        aria-label="Filter audit log"
      >
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          {isAdmin ? (
            <Input
              label="User"
              placeholder="username"
              value={draft.username}
              onChange={(e) => setDraft({ ...draft, username: e.target.value })}
            />
          ) : null}
          <Input
            label="Action"
            placeholder="users.create or instances.*"
            hint="An exact action, or a prefix ending in * (instances.*)"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
          <Input
            label="Resource type"
            placeholder="e.g. user"
            value={draft.resourceType}
            onChange={(e) => setDraft({ ...draft, resourceType: e.target.value })}
          />
          <Select
            label="Result"
            value={draft.result}
            onChange={(e) => setDraft({ ...draft, result: e.target.value })}
            options={[
              { value: '', label: 'Any' },
              { value: 'success', label: 'Success' },
              { value: 'failure', label: 'Failure' },
              { value: 'denied', label: 'Denied' },
            ]}
          />
          <Input
            label="From"
            className="col-span-2 sm:col-span-1"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
          <Input
            label="To"
            className="col-span-2 sm:col-span-1"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
          <div className="col-span-2 flex items-end gap-2">
            <Button type="submit" variant="primary">
              Apply filters
            </Button>
            {filtered ? <Button onClick={clear}>Clear</Button> : null}
          </div>
        </div>
      </form>
      {list.error ? (
        <Alert title="Could not load the audit log" className="mb-4">
          {describeError(list.error)}
        </Alert>
      ) : null}
      <Table
        caption="Audit log entries"
        columns={columns}
        rows={list.data?.items}
        rowKey={(e) => e.id}
        loading={list.isPending}
        skeletonRows={10}
        empty={
          <EmptyState
            icon={<ListIcon />}
            title={filtered ? 'No entries match these filters' : 'No entries yet'}
          >
            {filtered
              ? 'Widen the date range or clear the filters.'
              : 'Sign-ins and changes appear here as they happen.'}
          </EmptyState>
        }
      />
      <Pagination
        label="Audit log pages"
        total={list.data?.total}
        limit={PAGE_SIZE}
        offset={offset}
        onChange={(o) => {
          const next = new URLSearchParams(params);
          if (o) next.set('offset', String(o));
          else next.delete('offset');
          setParams(next, { replace: true });
        }}
      />
      <EntryDialog entry={viewing} onClose={() => setViewing(null)} />
    </>
  );
}
