import { Link } from 'react-router';
import { ClockIcon } from '../../components/icons.tsx';
import { buttonClasses, EmptyState, PageHeader } from '../../components/index.ts';

/** The honest placeholder for a service whose pages are not built yet. No fake data, no dead buttons. */
export function ComingSoonPage({ group, title, summary }: { group: string; title: string; summary: string }) {
  return (
    <>
      <PageHeader eyebrow={group === title ? undefined : group} title={title} description={summary} />
      <div className="rounded-lg border border-dashed border-line-strong bg-panel">
        <EmptyState
          icon={<ClockIcon />}
          title="Coming in a later release"
          action={
            <Link to="/" className={buttonClasses('secondary')}>
              Back to the dashboard
            </Link>
          }
        >
          <p>
            This part of ProxiCloud is not in this version yet. The navigation already shows where it will
            live, so you will find it here when it arrives.
          </p>
        </EmptyState>
      </div>
    </>
  );
}
