/** An apply or destroy running as an operation: progress, one line per resource, the outcome. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Alert, Badge } from '../../components/index.ts';
import { operationQuery } from '../instances/api.ts';
import { stacksKey } from './api.ts';

const STEP_TONE = {
  pending: 'neutral',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  skipped: 'neutral',
} as const;

export function RunProgress({ id, stack }: { id: string; stack: string }) {
  const qc = useQueryClient();
  const op = useQuery({
    ...operationQuery(id),
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed')
        ? false
        : 1_000,
  });
  const status = op.data?.status;
  const finished = status === 'succeeded' || status === 'failed';
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: stacksKey });
  }, [finished, qc]);
  if (!op.data) return <p className="text-sm text-muted">Starting…</p>;
  const o = op.data;
  const verb = o.action === 'stack.destroy' ? 'Destroy' : 'Apply';
  return (
    <section aria-label={`${verb} of stack ${stack}`} className="space-y-2" aria-live="polite">
      {o.status === 'failed' ? (
        <Alert title={`${verb} failed`}>
          {o.error?.message ?? 'The operation failed.'} What was done is recorded in the stack; fix the cause
          and apply again to continue.
        </Alert>
      ) : o.status === 'succeeded' ? (
        <Alert tone="success" title={`${verb} complete`}>
          Stack {stack}: every change was applied.
        </Alert>
      ) : (
        <div className="space-y-1">
          <p className="text-sm">
            {verb} of stack <span className="font-medium">{stack}</span> · {o.progress}%
          </p>
          <div
            role="progressbar"
            aria-label={`${verb} progress`}
            aria-valuenow={o.progress}
            aria-valuemin={0}
            aria-valuemax={100}
            className="h-1.5 w-full overflow-hidden rounded-full bg-panel-muted"
          >
            <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${o.progress}%` }} />
          </div>
        </div>
      )}
      <ul className="space-y-1 text-sm">
        {o.steps.map((s) => (
          <li key={s.name} className="flex flex-wrap items-center gap-2">
            <Badge tone={STEP_TONE[s.status]}>{s.status}</Badge>
            <span className="font-mono break-all">{s.title}</span>
          </li>
        ))}
      </ul>
      <p className="text-xs text-muted">
        Operation <span className="font-mono select-all">{o.id}</span>
      </p>
    </section>
  );
}
