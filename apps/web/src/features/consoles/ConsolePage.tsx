import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ChevronLeftIcon } from '../../components/icons.tsx';
import { Alert, Badge, cx, PageHeader, Skeleton } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import { instanceQuery } from '../instances/api.ts';
import { type ConsoleType, consoleTypesOf } from './api.ts';

// noVNC and xterm.js load with this page only, each with the view that needs it.
const VncView = lazy(() => import('./VncView.tsx'));
const TermView = lazy(() => import('./TermView.tsx'));

/** `/compute/instances/:id/console[?type=vnc|serial|terminal]`: the instance's console. */
export default function ConsolePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { can } = useSession();
  const instance = useQuery(instanceQuery(id, false));
  const i = instance.data;
  const types = i ? consoleTypesOf(i.type) : [];
  const asked = params.get('type') as ConsoleType | null;
  const type = types.find((t) => t.type === asked)?.type ?? types[0]?.type;

  const back = (
    <Link
      to={`/compute/instances/${id}`}
      className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
    >
      <ChevronLeftIcon /> {i?.name ?? 'Instance'}
    </Link>
  );
  if (instance.error)
    return (
      <>
        {back}
        <Alert title="Could not load the instance">{describeError(instance.error)}</Alert>
      </>
    );
  if (!i || !type)
    return (
      <>
        {back}
        <Skeleton className="h-96 w-full" />
      </>
    );
  return (
    <>
      {back}
      <PageHeader
        eyebrow="Compute · Console"
        title={`${i.name} console`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <Badge tone={i.type === 'vm' ? 'violet' : 'blue'}>{i.type === 'vm' ? 'VM' : 'LXC'}</Badge>
            <span className="font-mono text-xs">{i.id}</span>
          </span>
        }
        actions={
          types.length > 1 ? (
            <div
              role="tablist"
              aria-label="Console kind"
              className="flex rounded-md border border-line p-0.5"
            >
              {types.map((t) => (
                <button
                  key={t.type}
                  type="button"
                  role="tab"
                  aria-selected={t.type === type}
                  className={cx(
                    'rounded px-3 py-1 text-sm',
                    t.type === type ? 'bg-primary text-white' : 'text-muted hover:text-fg',
                  )}
                  onClick={() => setParams({ type: t.type }, { replace: true })}
                >
                  {t.label}
                </button>
              ))}
            </div>
          ) : null
        }
      />
      {!can('instances:console') ? (
        <Alert title="Your role cannot open consoles">
          A console gives full control of the instance, so read-only users cannot open one.
        </Alert>
      ) : i.status !== 'running' ? (
        <Alert title={`The instance is ${i.status}`}>Start it to open its console.</Alert>
      ) : (
        <Suspense fallback={<Skeleton className="h-96 w-full" />}>
          {type === 'vnc' ? (
            <VncView key={`${i.id}-vnc`} instanceId={i.id} />
          ) : (
            <TermView key={`${i.id}-${type}`} instanceId={i.id} type={type} />
          )}
        </Suspense>
      )}
      {type === 'serial' ? (
        <p className="mt-2 text-xs text-muted">
          Cloud images print their boot log and a login prompt on the serial port. Press Enter if the screen
          stays empty.
        </p>
      ) : null}
    </>
  );
}
