import { Link } from 'react-router';
import { buttonClasses } from '../../components/index.ts';
import { useSession } from '../auth/session.tsx';

/** "Console" on the instance page: opens the console page (middle-click or the ↗ link: a new tab). */
export function ConsoleButton({ instance }: { instance: { id: string; status: string } }) {
  const { can } = useSession();
  if (!can('instances:console')) return null;
  const to = `/compute/instances/${instance.id}/console`;
  if (instance.status !== 'running')
    return (
      <span
        className={buttonClasses('secondary', 'md', 'cursor-not-allowed opacity-50')}
        title="Start the instance to open its console"
      >
        Console
      </span>
    );
  return (
    <span className="inline-flex">
      <Link to={to} className={buttonClasses('secondary', 'md', 'rounded-r-none')}>
        Console
      </Link>
      <a
        href={to}
        target="_blank"
        rel="noopener"
        className={buttonClasses('secondary', 'md', '-ml-px rounded-l-none px-2')}
        aria-label="Open the console in a new tab"
        title="Open in a new tab"
      >
        ↗
      </a>
    </span>
  );
}
