import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Alert, Button, Skeleton, useToast } from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import type { Instance } from './api.ts';
import { instancesKey } from './api.ts';

/** The folder of /secrets that holds a secret (`app/db/password` → `?prefix=app/db/`). */
export function secretsLink(name: string | null): string {
  const slash = name ? name.lastIndexOf('/') : -1;
  return slash > 0 ? `/secrets?prefix=${encodeURIComponent(name!.slice(0, slash + 1))}` : '/secrets';
}

/**
 * The instance's secretEnv (env name → secret, never values) and, for a running container,
 * "Refresh secrets now" (POST …/secret-env/refresh; audited as an injection).
 */
export function SecretEnvCard({ instance }: { instance: Instance }) {
  const canRefresh = useSession().can('instances:update');
  const qc = useQueryClient();
  const toast = useToast();
  const base = [...instancesKey, instance.id, 'secret-env'] as const;
  const key = [...base, instance.status];
  const q = useQuery({
    queryKey: key,
    queryFn: () =>
      call(() => api.GET('/api/v1/instances/{id}/secret-env', { params: { path: { id: instance.id } } })),
  });
  const refresh = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/instances/{id}/secret-env/refresh', { params: { path: { id: instance.id } } }),
      ),
    onSuccess: (res) => {
      toast.success(
        'Secrets refreshed',
        res.injected.map((i) => `${i.envName} ← ${i.name} v${i.version}`).join(', '),
      );
      void qc.invalidateQueries({ queryKey: base });
    },
  });
  if (q.error) return <Alert title="Could not load the secrets">{describeError(q.error)}</Alert>;
  if (!q.data) return <Skeleton className="h-12 w-full" />;
  const refs = q.data.secretEnv;
  if (refs.length === 0)
    return (
      <p className="text-sm text-muted">
        No secrets. Pick some under Advanced when you launch an instance; they arrive as environment variables
        in <span className="font-mono text-xs">{q.data.file}</span>.
      </p>
    );
  return (
    <div className="flex flex-col gap-3 text-sm">
      <ul className="divide-y divide-line rounded-md border border-line" aria-label="Secret environment">
        {refs.map((r) => (
          <li key={r.envName} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
            <span className="font-mono text-xs break-all">{r.envName}</span>
            {r.name ? (
              <span>
                <Link to={secretsLink(r.name)} className="text-primary hover:underline break-all">
                  {r.name}
                </Link>{' '}
                <span className="text-muted">v{r.version}</span>
              </span>
            ) : (
              <span className="text-red-700 dark:text-red-400" title={r.problem ?? undefined}>
                {r.ref}: {r.problem ?? 'does not resolve'}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="text-xs text-muted">
        In the guest: <span className="font-mono">{q.data.file}</span> (root-only).{' '}
        {instance.type === 'vm'
          ? 'A VM gets the current versions at every boot: reboot it after changing a secret.'
          : 'A container gets the current versions at every start, or now with Refresh.'}
      </p>
      {refresh.error ? <Alert title="Could not refresh">{describeError(refresh.error)}</Alert> : null}
      {instance.type === 'lxc' && canRefresh ? (
        <div>
          <Button
            size="sm"
            loading={refresh.isPending}
            disabled={!q.data.refreshable}
            title={q.data.refreshable ? undefined : 'The container must be running'}
            onClick={() => refresh.mutate()}
          >
            Refresh secrets now
          </Button>
        </div>
      ) : null}
    </div>
  );
}
