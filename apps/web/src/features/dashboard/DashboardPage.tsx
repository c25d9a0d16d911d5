import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  ChevronRightIcon,
  KeyIcon,
  ListIcon,
  LockIcon,
  ServerIcon,
  ShieldIcon,
  UsersIcon,
} from '../../components/icons.tsx';
import { Badge, Card, cx, PageHeader, Skeleton } from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { formatRelative } from '../../lib/format.ts';
import { accessKeysKey } from '../access-keys/api.ts';
import { auditKey } from '../audit/api.ts';
import { P } from '../auth/permissions.ts';
import { roleLabels, useSession, useSystemInfo } from '../auth/session.tsx';
import { usersKey } from '../users/api.ts';
import { ComputeOverview } from './ComputeOverview.tsx';

const roleSummary = {
  admin: 'You can manage users and see and change every resource.',
  operator: 'You can create and manage your own resources.',
  readonly: 'You can look at your resources but not change them.',
} as const;

function Stat({
  label,
  value,
  to,
  loading,
}: {
  label: string;
  value: ReactNode;
  to?: string;
  loading: boolean;
}) {
  const inner = (
    <>
      <p className="text-sm text-muted">{label}</p>
      <p className="mt-1 h-8 text-2xl font-semibold tabular-nums">
        {loading ? <Skeleton className="mt-1 h-6 w-12" /> : value}
      </p>
    </>
  );
  return to ? (
    <Link
      to={to}
      className="block rounded-lg border border-line bg-panel p-4 shadow-sm transition-colors hover:border-line-strong"
    >
      {inner}
    </Link>
  ) : (
    <div className="rounded-lg border border-line bg-panel p-4 shadow-sm">{inner}</div>
  );
}

function NextStep({
  to,
  icon,
  title,
  children,
}: {
  to: string;
  icon: ReactNode;
  title: string;
  children: ReactNode;
}) {
  return (
    <li>
      <Link
        to={to}
        className="group flex items-start gap-3 rounded-md p-3 transition-colors hover:bg-panel-muted"
      >
        <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-md bg-nav-active text-lg text-nav-active-fg">
          {icon}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block text-sm font-medium">{title}</span>
          <span className="block text-sm text-muted">{children}</span>
        </span>
        <ChevronRightIcon className="mt-2 shrink-0 text-muted group-hover:text-fg" />
      </Link>
    </li>
  );
}

export default function DashboardPage() {
  const { user, can } = useSession();
  const info = useSystemInfo();
  const isAdmin = can(P.usersRead);
  const users = useQuery({
    queryKey: [...usersKey, 'count'],
    queryFn: () => call(() => api.GET('/api/v1/users', { params: { query: { limit: 1, offset: 0 } } })),
    enabled: isAdmin,
  });
  const keys = useQuery({
    queryKey: [...accessKeysKey, 'count'],
    queryFn: () => call(() => api.GET('/api/v1/access-keys', { params: { query: { limit: 1, offset: 0 } } })),
  });
  const canAudit = can(P.auditRead);
  const recent = useQuery({
    queryKey: [...auditKey, 'recent'],
    queryFn: () => call(() => api.GET('/api/v1/logs/audit', { params: { query: { limit: 6, offset: 0 } } })),
    enabled: canAudit,
  });

  return (
    <>
      <PageHeader
        title={`Welcome, ${user.fullName || user.username}`}
        description="ProxiCloud turns your Proxmox VE host into a small cloud: instances, volumes, storage and more, with users, access keys and an audit trail."
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div className="rounded-lg border border-line bg-panel p-4 shadow-sm">
          <p className="text-sm text-muted">Your role</p>
          <p className="mt-1 flex h-8 items-center">
            <Badge tone="blue">{roleLabels[user.role]}</Badge>
          </p>
          <p className="mt-1 text-xs text-muted">{roleSummary[user.role]}</p>
        </div>
        <div className="rounded-lg border border-line bg-panel p-4 shadow-sm">
          <p className="text-sm text-muted">Proxmox</p>
          <p className="mt-1 flex h-8 items-center text-sm font-medium">
            {info.isPending ? (
              <Skeleton className="h-5 w-28" />
            ) : info.data?.mode === 'demo' ? (
              <Badge tone="amber" dot>
                Demo — simulated node
              </Badge>
            ) : info.data ? (
              `${info.data.proxmox?.nodes.length ?? 0} node${info.data.proxmox?.nodes.length === 1 ? '' : 's'}`
            ) : (
              '—'
            )}
          </p>
          <p className="mt-1 truncate text-xs text-muted">
            {info.data ? `ProxiCloud ${info.data.version}` : '\u00a0'}
          </p>
        </div>
        {isAdmin ? (
          <Stat label="Users" value={users.data?.total ?? '—'} to="/iam/users" loading={users.isPending} />
        ) : null}
        <Stat
          label="Your access keys"
          value={keys.data?.total ?? '—'}
          to="/iam/access-keys"
          loading={keys.isPending}
        />
      </div>

      {can('instances:read') ? <ComputeOverview /> : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card title="What to do next" className="lg:col-span-3">
          <ul className="-m-2 flex flex-col gap-1">
            {isAdmin && can(P.usersCreate) ? (
              <NextStep to="/iam/users" icon={<UsersIcon />} title="Add the people who use this homelab">
                Create a user for each person, with the role they need: Admin, Operator or ReadOnly.
              </NextStep>
            ) : null}
            {can(P.accessKeysCreate) ? (
              <NextStep to="/iam/access-keys" icon={<KeyIcon />} title="Create an access key for the CLI">
                Run <code className="font-mono text-xs">proxicloud login</code> or use the key from scripts.
              </NextStep>
            ) : null}
            <NextStep to="/profile#password" icon={<LockIcon />} title="Choose a strong password">
              Change the password you were given for one only you know.
            </NextStep>
            {canAudit ? (
              <NextStep to="/monitoring/audit" icon={<ShieldIcon />} title="Review the audit log">
                {isAdmin
                  ? 'See every sign-in and change, and check that the log is intact.'
                  : 'See your sign-ins and changes.'}
              </NextStep>
            ) : null}
            {can('instances:create') ? (
              <NextStep to="/compute/instances/launch" icon={<ServerIcon />} title="Launch an instance">
                Pick an image and a size; a container or VM runs on your Proxmox node in about a minute.
              </NextStep>
            ) : (
              <NextStep to="/compute/instances" icon={<ServerIcon />} title="Look at your instances">
                Virtual machines and containers, their state and live usage.
              </NextStep>
            )}
          </ul>
        </Card>
        {canAudit ? (
          <Card
            title="Recent activity"
            className="lg:col-span-2"
            actions={
              <Link to="/monitoring/audit" className="text-sm font-medium text-nav-active-fg hover:underline">
                View all
              </Link>
            }
          >
            {recent.isPending ? (
              <ul className="flex flex-col gap-3">
                {Array.from({ length: 5 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders
                  <li key={i} className="flex h-9 flex-col justify-center gap-1.5">
                    <Skeleton className="h-3.5 w-40" />
                    <Skeleton className="h-3 w-24" />
                  </li>
                ))}
              </ul>
            ) : recent.data && recent.data.items.length > 0 ? (
              <ul className="flex flex-col gap-3">
                {recent.data.items.map((e) => (
                  <li key={e.id} className="flex h-9 items-start gap-2.5 text-sm">
                    <span
                      aria-hidden="true"
                      className={cx(
                        'mt-1.5 size-2 shrink-0 rounded-full',
                        e.result === 'success'
                          ? 'bg-green-500'
                          : e.result === 'denied'
                            ? 'bg-amber-500'
                            : 'bg-red-500',
                      )}
                    />
                    <span className="min-w-0">
                      <span className="block truncate">
                        <span className="font-medium">{e.username ?? 'anonymous'}</span>{' '}
                        <code className="font-mono text-[13px]">{e.action}</code>
                        {e.result !== 'success' ? <span className="text-muted"> ({e.result})</span> : null}
                      </span>
                      <span className="block text-xs text-muted">{formatRelative(e.timestamp)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="flex items-center gap-2 text-sm text-muted">
                <ListIcon /> No activity yet.
              </p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
