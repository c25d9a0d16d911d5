import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Navigate, useLocation } from 'react-router';
import { CloudIcon } from '../../components/icons.tsx';
import { Alert, Button, Skeleton } from '../../components/index.ts';
import { ApiError, describeError } from '../../lib/api/errors.ts';
import { makeSession, meQuery, SessionContext } from './session.tsx';

/**
 * Placeholder with the shell's geometry, so the page does not jump when the session arrives. The brand
 * is real content: `index.html` carries the same markup as a boot shell, painted before any script runs.
 * Keep the two in step.
 */
export function ShellSkeleton() {
  return (
    <div className="min-h-dvh" role="status" aria-busy="true" aria-label="Loading the console">
      <div className="flex h-14 items-center gap-2 border-b border-line bg-panel px-3 sm:px-4">
        <span className="size-9 lg:hidden" />
        <span className="flex items-center gap-2 px-1 font-semibold tracking-tight">
          <span className="flex size-7 items-center justify-center rounded-md bg-primary text-lg text-primary-fg">
            <CloudIcon />
          </span>
          <span className="hidden sm:inline">ProxiCloud</span>
        </span>
        <Skeleton className="ml-auto h-7 w-24" />
      </div>
      <div className="flex">
        <div className="hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 flex-col gap-3 border-r border-line bg-nav p-4 lg:flex">
          {Array.from({ length: 10 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders
            <Skeleton key={i} className="h-4 w-36" />
          ))}
        </div>
        <div className="flex-1 px-4 py-6 sm:px-6 lg:px-8">
          <Skeleton className="h-7 w-48" />
          <Skeleton className="mt-3 h-4 w-80 max-w-full" />
        </div>
      </div>
    </div>
  );
}

/** Renders its children only for a signed-in user; otherwise sends them to /login?next=<this URL>. */
export function RequireAuth({ children }: { children: React.ReactNode }) {
  const me = useQuery(meQuery);
  const location = useLocation();
  const session = useMemo(() => (me.data ? makeSession(me.data) : null), [me.data]);

  if (session) return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  if (me.isPending) return <ShellSkeleton />;
  if (me.error instanceof ApiError && (me.error.status === 401 || me.error.status === 403)) {
    const next = location.pathname + location.search + location.hash;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-4">
      <Alert tone="error" title="The console could not load your session.">
        {describeError(me.error)}
      </Alert>
      <Button onClick={() => me.refetch()} loading={me.isFetching}>
        Try again
      </Button>
    </main>
  );
}
