import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { AppsIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  PageHeader,
  SearchField,
  Select,
  Skeleton,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import {
  type App,
  type AppTemplateSummary,
  appsQuery,
  appTemplatesQuery,
  CATEGORY_LABELS,
  HEALTH_TONE,
  memoryLabel,
  STATUS_TONE,
} from './api.ts';
import { DeployDialog } from './DeployDialog.tsx';

function AppCard({ app }: { app: App }) {
  return (
    <li className="flex items-center gap-3 rounded-lg border border-line bg-panel p-3">
      <img
        src={`/api/v1/app-templates/${app.templateId}/logo`}
        alt=""
        className="size-10 shrink-0 rounded-md"
      />
      <div className="min-w-0 flex-1">
        <Link to={`/apps/${app.id}`} className="font-medium text-fg hover:underline">
          {app.name}
        </Link>
        <div className="truncate text-xs text-muted">
          {app.templateName} {app.version}
          {app.updateAvailable ? ` · ${app.latestVersion} available` : ''}
        </div>
        {app.url && app.status === 'ready' ? (
          <a
            href={app.url}
            target="_blank"
            rel="noreferrer"
            className="block truncate text-xs text-primary hover:underline"
          >
            {app.url}
          </a>
        ) : null}
      </div>
      <div className="flex flex-col items-end gap-1">
        <Badge tone={STATUS_TONE[app.status] ?? 'neutral'} dot>
          {app.status}
        </Badge>
        {app.status === 'ready' ? (
          <Badge tone={HEALTH_TONE[app.health.status]}>{app.health.status}</Badge>
        ) : null}
      </div>
    </li>
  );
}

function TemplateCard({
  t,
  onDeploy,
  canDeploy,
}: {
  t: AppTemplateSummary;
  onDeploy: () => void;
  canDeploy: boolean;
}) {
  return (
    <li
      className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4"
      data-testid={`template-${t.id}`}
    >
      <div className="flex items-center gap-3">
        <img src={t.logo} alt="" className="size-12 shrink-0 rounded-lg" loading="lazy" />
        <div className="min-w-0">
          <h3 className="truncate font-semibold text-fg">{t.name}</h3>
          <div className="text-xs text-muted">
            {t.version} · {CATEGORY_LABELS[t.category] ?? t.category}
            {t.builtin ? '' : t.shared ? ' · shared' : ' · yours'}
          </div>
        </div>
      </div>
      {/* the clamp on an inner element: a stretched (flex-1) clamped box shows a cut 4th line */}
      <div className="flex-1">
        <p className="line-clamp-3 text-sm text-muted">{t.description}</p>
      </div>
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-muted">
          {t.minimums.vcpu} vCPU · {memoryLabel(t.minimums.memoryMib)} · {t.minimums.diskGib} GiB
        </span>
        {canDeploy ? (
          <Button size="sm" variant="primary" onClick={onDeploy} aria-label={`Deploy ${t.name}`}>
            Deploy
          </Button>
        ) : null}
      </div>
    </li>
  );
}

export default function AppsPage() {
  useLiveEvents();
  const { can } = useSession();
  const templates = useQuery(appTemplatesQuery());
  const apps = useQuery(appsQuery());
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [deploying, setDeploying] = useState<AppTemplateSummary | null>(null);
  const canDeploy = can('apps:create');

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (templates.data?.items ?? []).filter(
      (t) =>
        (!category || t.category === category) &&
        (!needle || `${t.name} ${t.description} ${t.id}`.toLowerCase().includes(needle)),
    );
  }, [templates.data, q, category]);

  return (
    <>
      <PageHeader
        title="Apps"
        description="Self-hosted apps in one step: pinned versions, parameters checked up front, progress you can watch and a health check at the end."
      />
      <section aria-labelledby="my-apps" className="mb-8">
        <h2 id="my-apps" className="mb-3 text-base font-semibold text-fg">
          Your apps
        </h2>
        {apps.error ? <Alert title="Could not load your apps">{describeError(apps.error)}</Alert> : null}
        {apps.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : apps.data && apps.data.items.length > 0 ? (
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
            {apps.data.items.map((a) => (
              <AppCard key={a.id} app={a} />
            ))}
          </ul>
        ) : (
          <Card>
            <EmptyState icon={<AppsIcon />} title="No apps deployed yet">
              Pick one from the catalog below.
            </EmptyState>
          </Card>
        )}
      </section>
      <section aria-labelledby="catalog">
        <div className="mb-3 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
          <h2 id="catalog" className="text-base font-semibold text-fg">
            Catalog
          </h2>
          <div className="flex flex-col gap-2 sm:flex-row">
            <SearchField value={q} onChange={setQ} label="Search apps" placeholder="Search apps" />
            <Select
              label="Category"
              hideLabel
              value={category}
              onChange={(e) => setCategory(e.target.value)}
              options={[
                { value: '', label: 'All categories' },
                ...Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
              ]}
            />
          </div>
        </div>
        {templates.error ? (
          <Alert title="Could not load the catalog">{describeError(templates.error)}</Alert>
        ) : null}
        {templates.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : shown.length === 0 ? (
          <Card>
            <EmptyState icon={<AppsIcon />} title="No app matches">
              Try another search or category.
            </EmptyState>
          </Card>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
            {shown.map((t) => (
              <TemplateCard key={t.id} t={t} canDeploy={canDeploy} onDeploy={() => setDeploying(t)} />
            ))}
          </ul>
        )}
      </section>
      <DeployDialog template={deploying} onClose={() => setDeploying(null)} />
    </>
  );
}
