import { Button } from './Button.tsx';
import { ChevronLeftIcon, ChevronRightIcon } from './icons.tsx';

export function Pagination({
  total,
  limit,
  offset,
  onChange,
  label = 'Pagination',
}: {
  total: number | undefined;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  label?: string;
}) {
  const known = total !== undefined;
  const from = known && total > 0 ? offset + 1 : 0;
  const to = known ? Math.min(offset + limit, total) : 0;
  const page = Math.floor(offset / limit) + 1;
  const pages = known ? Math.max(1, Math.ceil(total / limit)) : 1;
  return (
    <nav
      aria-label={label}
      className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm text-muted"
    >
      <p aria-live="polite" className="min-w-40 tabular-nums">
        {known ? (total === 0 ? 'No results' : `${from}–${to} of ${total}`) : '\u00a0'}
      </p>
      <div className="flex items-center gap-2">
        <span className="tabular-nums">
          Page {page} of {pages}
        </span>
        <Button
          size="sm"
          icon={<ChevronLeftIcon />}
          aria-label="Previous page"
          disabled={offset === 0}
          onClick={() => onChange(Math.max(0, offset - limit))}
        />
        <Button
          size="sm"
          icon={<ChevronRightIcon />}
          aria-label="Next page"
          disabled={!known || offset + limit >= total}
          onClick={() => onChange(offset + limit)}
        />
      </div>
    </nav>
  );
}
