/** A plan as a diff: + create, ~ update, -/+ replace, - delete, with the changed fields and drift. */
import { Badge, type BadgeTone } from '../../components/index.ts';
import type { StackPlan } from './api.ts';

const LOOK: Record<string, { sign: string; tone: BadgeTone; verb: string; line: string }> = {
  create: { sign: '+', tone: 'green', verb: 'create', line: 'text-green-700 dark:text-green-400' },
  update: { sign: '~', tone: 'amber', verb: 'update in place', line: 'text-amber-700 dark:text-amber-300' },
  replace: { sign: '-/+', tone: 'violet', verb: 'replace', line: 'text-violet-700 dark:text-violet-300' },
  delete: { sign: '-', tone: 'red', verb: 'delete', line: 'text-red-700 dark:text-red-400' },
};

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

export function summaryText(plan: StackPlan): string {
  const s = plan.summary;
  if (s.create + s.update + s.replace + s.delete === 0) return 'No changes: what exists matches the file.';
  return `${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`;
}

export function PlanView({ plan }: { plan: StackPlan }) {
  const changes = plan.changes.filter((c) => c.action !== 'no-op');
  const drifted = plan.changes.filter((c) => c.drift.length > 0);
  return (
    <div className="space-y-3" data-testid="plan">
      <p className="font-medium">{summaryText(plan)}</p>
      {drifted.length > 0 && (
        <div className="rounded-md border border-amber-300 p-3 text-sm dark:border-amber-700">
          <p className="font-medium">Changed outside ProxiCloud since the last apply</p>
          <ul className="mt-1 font-mono text-xs">
            {drifted.map((c) =>
              c.drift.map((f) => (
                <li key={`${c.address}.${f.field}`}>
                  {c.address}.{f.field}: {show(f.before)} → {show(f.after)}
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      <ul className="space-y-2">
        {changes.map((c) => {
          const look = LOOK[c.action] ?? (LOOK.update as (typeof LOOK)['update']);
          return (
            <li key={c.address} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
              <div className="flex flex-wrap items-center gap-2">
                <span className={`font-mono font-bold ${look.line}`} aria-hidden>
                  {look.sign}
                </span>
                <span className="font-mono font-medium break-all">{c.address}</span>
                <Badge tone={look.tone}>{look.verb}</Badge>
                {c.id && <span className="font-mono text-xs text-muted">{c.id}</span>}
                {c.reason && <span className="text-xs text-muted">— {c.reason}</span>}
              </div>
              {c.changes.length > 0 && (
                <pre className={`mt-2 overflow-x-auto text-xs ${look.line}`}>
                  {c.changes
                    .map((f) =>
                      c.action === 'create'
                        ? `+ ${f.field} = ${show(f.after)}`
                        : `~ ${f.field} = ${show(f.before)} → ${show(f.after)}${f.forcesReplacement && c.action === 'replace' ? '  # forces replacement' : ''}`,
                    )
                    .join('\n')}
                </pre>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
