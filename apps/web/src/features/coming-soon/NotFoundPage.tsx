import { Link } from 'react-router';
import { SearchIcon } from '../../components/icons.tsx';
import { buttonClasses, EmptyState, PageHeader } from '../../components/index.ts';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="rounded-lg border border-line bg-panel">
        <EmptyState
          icon={<SearchIcon />}
          title="There is no page at this address"
          action={
            <Link to="/" className={buttonClasses('secondary')}>
              Go to the dashboard
            </Link>
          }
        >
          Check the address, or pick a service from the navigation.
        </EmptyState>
      </div>
    </>
  );
}
