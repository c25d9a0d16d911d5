import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  type Column,
  Dialog,
  Input,
  PageHeader,
  Pagination,
  Table,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import { formatMiB } from '../instances/api.ts';
import {
  defaultQuotaQuery,
  type Quota,
  type QuotaLimits,
  quotasListQuery,
  useResetQuota,
  useSetQuota,
} from './api.ts';

const PAGE_SIZE = 25;
const FIELDS: ReadonlyArray<{
  key: keyof QuotaLimits;
  label: string;
  unit: string;
  fmt: (n: number) => string;
}> = [
  { key: 'instances', label: 'Instances', unit: '', fmt: String },
  { key: 'vcpu', label: 'vCPUs', unit: '', fmt: String },
  { key: 'memory', label: 'Memory', unit: 'MiB', fmt: formatMiB },
  { key: 'diskGib', label: 'Disk', unit: 'GiB', fmt: (n) => `${n} GiB` },
  { key: 'volumes', label: 'Volumes', unit: '', fmt: String },
  { key: 'backupGib', label: 'Backup storage', unit: 'GiB', fmt: (n) => `${n} GiB` },
  { key: 'networks', label: 'Networks', unit: '', fmt: String },
  { key: 'securityGroups', label: 'Security groups', unit: '', fmt: String },
  { key: 'functions', label: 'Functions', unit: '', fmt: String },
  { key: 'functionConcurrency', label: 'Function invocations running', unit: '', fmt: String },
  { key: 'functionMemory', label: 'Function memory running', unit: 'MiB', fmt: formatMiB },
];

function usageText(q: Quota, k: keyof QuotaLimits, fmt: (n: number) => string) {
  const limit = q.limits[k];
  return `${fmt(q.usage[k])} / ${limit === null ? '∞' : fmt(limit)}`;
}

function EditQuotaDialog({ quota, onClose }: { quota: Quota | null; onClose: () => void }) {
  const set = useSetQuota();
  const reset = useResetQuota();
  const toast = useToast();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      FIELDS.map((f) => [f.key, quota?.limits[f.key] == null ? '' : String(quota.limits[f.key])]),
    ),
  );
  const who = quota?.userId === 'default' ? 'the default quota' : (quota?.username ?? quota?.userId ?? '');
  const errors = Object.fromEntries(
    FIELDS.map((f) => {
      const v = values[f.key] ?? '';
      return [f.key, v !== '' && !/^\d+$/.test(v) ? 'A whole number, or empty for unlimited.' : null];
    }),
  );
  const invalid = Object.values(errors).some(Boolean);
  const close = () => {
    set.reset();
    reset.reset();
    onClose();
  };
  return (
    <Dialog
      open={quota !== null}
      onClose={close}
      title={`Quota for ${who}`}
      description={
        quota?.userId === 'default'
          ? 'Applies to every user without their own limits.'
          : 'Launches, new volumes, networks and functions beyond these limits are refused with a clear message; function invocations over the running limits are throttled (429).'
      }
      dismissible={!set.isPending}
      onSubmit={() => {
        if (!quota || invalid) return;
        const limits = Object.fromEntries(
          FIELDS.map((f) => [f.key, values[f.key] === '' ? null : Number(values[f.key])]),
        ) as QuotaLimits;
        set.mutate(
          { userId: quota.userId, limits },
          {
            onSuccess: () => {
              toast.success('Quota saved', who);
              close();
            },
          },
        );
      }}
      footer={
        <>
          {quota && quota.userId !== 'default' && quota.source === 'user' ? (
            <Button
              variant="ghost"
              className="mr-auto"
              loading={reset.isPending}
              onClick={() =>
                reset.mutate(quota.userId, {
                  onSuccess: () => {
                    toast.success('Default quota applies again', who);
                    close();
                  },
                })
              }
            >
              Use the default
            </Button>
          ) : null}
          <Button onClick={close} disabled={set.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={set.isPending}>
            Save quota
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        {set.error || reset.error ? (
          <Alert title="Could not save the quota">{describeError(set.error ?? reset.error)}</Alert>
        ) : null}
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {FIELDS.map((f) => (
            <Input
              key={f.key}
              label={`${f.label}${f.unit ? ` (${f.unit})` : ''}`}
              inputMode="numeric"
              placeholder="Unlimited"
              value={values[f.key] ?? ''}
              error={errors[f.key]}
              hint={quota ? `Using ${f.fmt(quota.usage[f.key])}` : undefined}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value.trim() })}
            />
          ))}
        </div>
      </div>
    </Dialog>
  );
}

export default function QuotasPage() {
  const { can } = useSession();
  const isAdmin = can('quotas:update');
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const list = useQuery(quotasListQuery(PAGE_SIZE, offset));
  const [editing, setEditing] = useState<Quota | null>(null);
  const defaults = useQuery({ ...defaultQuotaQuery, enabled: isAdmin });

  const columns: Column<Quota>[] = [
    {
      key: 'user',
      header: 'User',
      // 11 limits do not fit a phone (nor a laptop): the user and the Edit button stay in sight
      // while the limits scroll sideways
      className: 'sticky left-0 z-[1] bg-panel [thead_&]:bg-panel-muted',
      skeletonWidth: 'w-24',
      cell: (q) => (
        <span className="flex items-center gap-3">
          <span className="flex flex-col">
            <span className="font-medium">
              {q.userId === 'default' ? 'Default' : (q.username ?? q.userId)}
            </span>
            <span className="text-xs whitespace-nowrap text-muted">
              {q.source === 'user' ? 'Own limits' : q.source === 'default' ? 'Default limits' : 'Unlimited'}
            </span>
          </span>
          {isAdmin ? (
            <Button
              size="sm"
              onClick={() => setEditing(q)}
              aria-label={`Edit quota of ${q.userId === 'default' ? 'default' : (q.username ?? q.userId)}`}
            >
              Edit
            </Button>
          ) : null}
        </span>
      ),
    },
    ...FIELDS.map<Column<Quota>>((f) => ({
      key: f.key,
      header: f.label,
      className:
        f.key === 'volumes' || f.key === 'diskGib'
          ? 'hidden md:table-cell whitespace-nowrap'
          : 'whitespace-nowrap',
      skeletonWidth: 'w-16',
      cell: (q) => {
        const limit = q.limits[f.key];
        const over = limit !== null && q.usage[f.key] > limit;
        return (
          <span className={over ? 'font-medium text-red-700 dark:text-red-400' : 'tabular-nums'}>
            {usageText(q, f.key, f.fmt)}
          </span>
        );
      },
    })),
  ];
  return (
    <>
      <PageHeader
        eyebrow="IAM"
        title="Quotas"
        description={
          isAdmin
            ? 'How much each user may allocate: compute, volumes and backups, networks and functions. Empty means unlimited.'
            : 'What you have allocated and how much your admin allows.'
        }
        actions={
          isAdmin ? (
            <Button disabled={!defaults.data} onClick={() => defaults.data && setEditing(defaults.data)}>
              Edit default quota
            </Button>
          ) : null
        }
      />
      {list.error ? (
        <Alert title="Could not load quotas" className="mb-4">
          {describeError(list.error)}
        </Alert>
      ) : null}
      {isAdmin ? (
        <p className="mb-3 text-sm text-muted">
          <Badge tone="blue">used / limit</Badge> for each user; ∞ is unlimited. The table scrolls sideways.
        </p>
      ) : null}
      <Table
        caption="Quotas"
        columns={columns}
        rows={list.data?.items}
        rowKey={(q) => q.userId}
        loading={list.isPending}
        skeletonRows={4}
      />
      {list.data && list.data.total > PAGE_SIZE ? (
        <Pagination
          label="Quota pages"
          total={list.data.total}
          limit={PAGE_SIZE}
          offset={offset}
          onChange={(o) => setParams(o ? { offset: String(o) } : {}, { replace: true })}
        />
      ) : null}
      <EditQuotaDialog key={editing?.userId} quota={editing} onClose={() => setEditing(null)} />
    </>
  );
}
