import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, type RouteObject, useLocation } from 'react-router';
import LoginPage from '../features/auth/LoginPage.tsx';
import { RequireAuth, ShellSkeleton } from '../features/auth/RequireAuth.tsx';
import { meQuery } from '../features/auth/session.tsx';
import { ComingSoonPage } from '../features/coming-soon/ComingSoonPage.tsx';
import { NotFoundPage } from '../features/coming-soon/NotFoundPage.tsx';
import DashboardPage from '../features/dashboard/DashboardPage.tsx';
import { instancesFilterFromParams, instancesQuery } from '../features/instances/api.ts';
import { onSessionExpired } from '../lib/api/client.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { comingSoonItems } from './nav.ts';
import { RouteError } from './RouteError.tsx';
import { redirectTarget, seedPathRedirects } from './seedPaths.ts';

// Login and the dashboard ship in the initial bundle (they are where every visit starts); every
// other page is a lazily loaded chunk.
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});

/** Replaces the address with `to`, keeping its query string and fragment. */
function RedirectTo({ to }: { to: string }) {
  const location = useLocation();
  return <Navigate to={redirectTarget(to, location)} replace />;
}

const appRoutes = (queryClient: QueryClient): RouteObject[] => [
  { index: true, element: <DashboardPage /> },
  { path: 'iam/users', lazy: page(() => import('../features/users/UsersPage.tsx')) },
  { path: 'iam/access-keys', lazy: page(() => import('../features/access-keys/AccessKeysPage.tsx')) },
  { path: 'profile', lazy: page(() => import('../features/profile/ProfilePage.tsx')) },
  { path: 'monitoring/audit', lazy: page(() => import('../features/audit/AuditPage.tsx')) },
  { path: 'monitoring/metrics', lazy: page(() => import('../features/monitoring/MetricsPage.tsx')) },
  { path: 'monitoring/health', lazy: page(() => import('../features/monitoring/HealthPage.tsx')) },
  { path: 'monitoring/alarms', lazy: page(() => import('../features/monitoring/AlarmsPage.tsx')) },
  { path: 'storage/buckets', lazy: page(() => import('../features/buckets/BucketsPage.tsx')) },
  { path: 'storage/buckets/:bucket/*', lazy: page(() => import('../features/buckets/BucketPage.tsx')) },
  {
    path: 'compute/instances',
    // Starts the list request while the page's chunk and the session load (not awaited: no waterfall).
    loader: ({ request }) => {
      void queryClient.prefetchQuery(
        instancesQuery(instancesFilterFromParams(new URL(request.url).searchParams), true),
      );
      return null;
    },
    lazy: page(() => import('../features/instances/InstancesPage.tsx')),
  },
  { path: 'compute/instances/launch', lazy: page(() => import('../features/launch/LaunchPage.tsx')) },
  { path: 'compute/instances/:id/console', lazy: page(() => import('../features/consoles/ConsolePage.tsx')) },
  { path: 'compute/instances/:id', lazy: page(() => import('../features/instances/InstancePage.tsx')) },
  { path: 'compute/key-pairs', lazy: page(() => import('../features/key-pairs/KeyPairsPage.tsx')) },
  { path: 'networking/networks', lazy: page(() => import('../features/networking/NetworksPage.tsx')) },
  {
    path: 'networking/security-groups',
    lazy: page(() => import('../features/networking/SecurityGroupsPage.tsx')),
  },
  {
    path: 'networking/route-tables',
    lazy: page(() => import('../features/networking/RouteTablesPage.tsx')),
  },
  {
    path: 'networking/nat-gateways',
    lazy: page(() => import('../features/networking/NatGatewaysPage.tsx')),
  },
  { path: 'networking/peerings', lazy: page(() => import('../features/networking/PeeringsPage.tsx')) },
  { path: 'networking/topology', lazy: page(() => import('../features/networking/TopologyPage.tsx')) },
  { path: 'networking/designer', lazy: page(() => import('../features/networking/DesignerPage.tsx')) },
  { path: 'compute/volumes', lazy: page(() => import('../features/volumes/VolumesPage.tsx')) },
  { path: 'compute/snapshots', lazy: page(() => import('../features/snapshots/SnapshotsPage.tsx')) },
  { path: 'backups', lazy: page(() => import('../features/backups/BackupsPage.tsx')) },
  { path: 'iam/quotas', lazy: page(() => import('../features/quotas/QuotasPage.tsx')) },
  { path: 'secrets', lazy: page(() => import('../features/secrets/SecretsPage.tsx')) },
  { path: 'iac', lazy: page(() => import('../features/iac/StacksPage.tsx')) },
  { path: 'apps', lazy: page(() => import('../features/apps/AppsPage.tsx')) },
  { path: 'apps/:id', lazy: page(() => import('../features/apps/AppPage.tsx')) },
  { path: 'functions', lazy: page(() => import('../features/functions/FunctionsPage.tsx')) },
  { path: 'functions/:id', lazy: page(() => import('../features/functions/FunctionPage.tsx')) },
  { path: 'functions/runners', lazy: page(() => import('../features/functions/RunnersPage.tsx')) },
  ...comingSoonItems.map<RouteObject>((item) => ({
    path: item.to.slice(1),
    element: <ComingSoonPage group={item.group} title={item.label} summary={item.soon.summary} />,
  })),
  // The product plan's page addresses (/dashboard, /instances/create, …) lead to the same pages here.
  ...Object.entries(seedPathRedirects).map<RouteObject>(([path, to]) => ({
    path,
    element: <RedirectTo to={to} />,
  })),
  { path: '*', element: <NotFoundPage /> },
];

export function createRouter(queryClient: QueryClient) {
  // The session check starts now, in parallel with the first page's chunk, not after it.
  if (window.location.pathname !== '/login') void queryClient.prefetchQuery(meQuery);
  const router = createBrowserRouter([
    { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      errorElement: <RouteError />,
      // While the first page's chunk loads (lazy routes render nothing until then): the shell, as the
      // boot shell in index.html showed it.
      hydrateFallbackElement: <ShellSkeleton />,
      children: [{ errorElement: <RouteError />, children: appRoutes(queryClient) }],
    },
  ]);

  // The session could not be renewed: go to the login page and come back here afterwards.
  onSessionExpired(({ hadSession }) => {
    const { pathname, search, hash } = router.state.location;
    if (pathname === '/login') return;
    const next = pathname + search + hash;
    const qs = new URLSearchParams();
    if (hadSession) qs.set('expired', '1');
    if (next !== '/') qs.set('next', next);
    const query = qs.toString();
    void router.navigate(`/login${query ? `?${query}` : ''}`, { replace: true }).then(() => {
      queryClient.removeQueries();
    });
  });

  return router;
}
