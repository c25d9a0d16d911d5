import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, type RouteObject } from 'react-router';
import LoginPage from '../features/auth/LoginPage.tsx';
import { RequireAuth } from '../features/auth/RequireAuth.tsx';
import { ComingSoonPage } from '../features/coming-soon/ComingSoonPage.tsx';
import { NotFoundPage } from '../features/coming-soon/NotFoundPage.tsx';
import DashboardPage from '../features/dashboard/DashboardPage.tsx';
import { onSessionExpired } from '../lib/api/client.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import { comingSoonItems } from './nav.ts';
import { RouteError } from './RouteError.tsx';

// Login and the dashboard ship in the initial bundle (they are where every visit starts); every
// other page is a lazily loaded chunk.
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});

const appRoutes: RouteObject[] = [
  { index: true, element: <DashboardPage /> },
  { path: 'iam/users', lazy: page(() => import('../features/users/UsersPage.tsx')) },
  { path: 'iam/access-keys', lazy: page(() => import('../features/access-keys/AccessKeysPage.tsx')) },
  { path: 'profile', lazy: page(() => import('../features/profile/ProfilePage.tsx')) },
  { path: 'monitoring/audit', lazy: page(() => import('../features/audit/AuditPage.tsx')) },
  { path: 'storage/buckets', lazy: page(() => import('../features/buckets/BucketsPage.tsx')) },
  { path: 'storage/buckets/:bucket/*', lazy: page(() => import('../features/buckets/BucketPage.tsx')) },
  { path: 'compute/instances', lazy: page(() => import('../features/instances/InstancesPage.tsx')) },
  { path: 'compute/instances/launch', lazy: page(() => import('../features/launch/LaunchPage.tsx')) },
  { path: 'compute/instances/:id', lazy: page(() => import('../features/instances/InstancePage.tsx')) },
  { path: 'compute/key-pairs', lazy: page(() => import('../features/key-pairs/KeyPairsPage.tsx')) },
  { path: 'compute/volumes', lazy: page(() => import('../features/volumes/VolumesPage.tsx')) },
  { path: 'compute/snapshots', lazy: page(() => import('../features/snapshots/SnapshotsPage.tsx')) },
  { path: 'iam/quotas', lazy: page(() => import('../features/quotas/QuotasPage.tsx')) },
  ...comingSoonItems.map<RouteObject>((item) => ({
    path: item.to.slice(1),
    element: <ComingSoonPage group={item.group} title={item.label} summary={item.soon.summary} />,
  })),
  { path: '*', element: <NotFoundPage /> },
];

export function createRouter(queryClient: QueryClient) {
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
      children: [{ errorElement: <RouteError />, children: appRoutes }],
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
