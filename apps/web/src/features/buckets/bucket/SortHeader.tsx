import { cx } from '../../../components/index.ts';
import type { SortKey } from './types.ts';

// ---------------------------------------------------------------- the page

export function SortHeader({
  label,
  col,
  sort,
  onSort,
  className,
}: {
  label: string;
  col: SortKey;
  sort: { key: SortKey; dir: 1 | -1 };
  onSort: (k: SortKey) => void;
  className?: string;
}) {
  const active = sort.key === col;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
      className={cx('h-10 border-b border-line px-4 whitespace-nowrap', className)}
    >
      <button
        type="button"
        onClick={() => onSort(col)}
        className="inline-flex items-center gap-1 uppercase hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
      >
        {label}
        <span aria-hidden className={cx('text-[10px]', !active && 'opacity-0')}>
          {sort.dir === 1 ? '▲' : '▼'}
        </span>
      </button>
    </th>
  );
}
