import type { ReactNode } from 'react';
import { cx } from '../../components/index.ts';

/** One numbered step of the launch wizard. */
export function Section({
  n,
  title,
  children,
  hint,
}: {
  n: number;
  title: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`step-${n}`} className="rounded-lg border border-line bg-panel shadow-sm">
      <div className="border-b border-line px-5 py-3">
        <h2 id={`step-${n}`} className="text-sm font-semibold">
          <span className="mr-2 inline-flex size-5 items-center justify-center rounded-full bg-nav-active text-xs text-nav-active-fg">
            {n}
          </span>
          {title}
        </h2>
        {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
      </div>
      <div className="flex flex-col gap-4 p-5">{children}</div>
    </section>
  );
}

/** A card-like radio choice (instance type, image). */
export const radioCard = (active: boolean) =>
  cx(
    'flex min-w-0 cursor-pointer flex-col gap-0.5 rounded-md border p-3 text-left text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
    active ? 'border-primary bg-nav-active/40' : 'border-line hover:border-line-strong',
  );

export const textareaClass =
  'block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-2 focus-visible:outline-ring';
