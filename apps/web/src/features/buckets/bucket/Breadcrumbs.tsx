import { Link } from 'react-router';
import { ChevronRightIcon } from '../../../components/icons.tsx';
import { folderPath } from '../api.ts';

// ---------------------------------------------------------------- breadcrumbs

export function Breadcrumbs({ bucket, prefix }: { bucket: string; prefix: string }) {
  const parts = prefix.split('/').filter(Boolean);
  const crumbs = [
    { label: 'Buckets', to: '/storage/buckets' },
    { label: bucket, to: folderPath(bucket) },
    ...parts.map((p, i) => ({ label: p, to: folderPath(bucket, `${parts.slice(0, i + 1).join('/')}/`) })),
  ];
  return (
    <nav aria-label="Breadcrumb" className="mb-2 min-w-0">
      <ol className="flex flex-wrap items-center gap-1 text-sm text-muted">
        {crumbs.map((c, i) => (
          <li key={c.to} className="flex min-w-0 items-center gap-1">
            {i > 0 ? <ChevronRightIcon aria-hidden className="shrink-0" /> : null}
            {i === crumbs.length - 1 ? (
              <span aria-current="page" className="truncate font-medium text-fg">
                {c.label}
              </span>
            ) : (
              <Link to={c.to} className="truncate hover:text-fg hover:underline">
                {c.label}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
