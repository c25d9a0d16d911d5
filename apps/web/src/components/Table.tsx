import type { ReactNode } from 'react';
import { cx } from './cx.ts';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Classes for the header and the cells (visibility breakpoints, widths). */
  className?: string;
  /** Classes for the body cells only (e.g. monospace values). */
  cellClassName?: string;
  /** Width hint for the skeleton bar of this column (Tailwind width class). */
  skeletonWidth?: string;
}

export interface TableProps<T> {
  /** Accessible name of the table (visually hidden caption). */
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: ReadonlyArray<T> | undefined;
  rowKey: (row: T) => string | number;
  loading?: boolean;
  /** Number of placeholder rows while loading (use the page size, so the page does not jump). */
  skeletonRows?: number;
  /** Shown in place of the body when there are no rows. */
  empty?: ReactNode;
}

export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  loading,
  skeletonRows = 5,
  empty,
}: TableProps<T>) {
  const showSkeleton = loading && !rows;
  const isEmpty = !showSkeleton && (rows?.length ?? 0) === 0;
  return (
    // `relative` keeps visually hidden (absolutely positioned) header text inside the scroll box.
    <div className="relative overflow-x-auto rounded-lg border border-line bg-panel shadow-sm">
      <table className="w-full border-collapse text-left text-sm" aria-busy={loading || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-panel-muted text-xs font-semibold tracking-wide text-muted uppercase">
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={cx('h-10 border-b border-line px-4 whitespace-nowrap', c.className)}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {showSkeleton
            ? Array.from({ length: skeletonRows }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
                <tr key={i} className="h-12">
                  {columns.map((c) => (
                    <td key={c.key} className={cx('px-4', c.className)}>
                      <span
                        className={cx(
                          'block h-3.5 animate-pulse rounded bg-panel-muted',
                          c.skeletonWidth ?? 'w-24',
                        )}
                      />
                    </td>
                  ))}
                </tr>
              ))
            : rows?.map((row) => (
                <tr key={rowKey(row)} className="h-12 hover:bg-panel-muted/50">
                  {columns.map((c) => (
                    <td key={c.key} className={cx('px-4 py-2 align-middle', c.className, c.cellClassName)}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
      {isEmpty ? (
        // Outside the table: a block in the scroll box is as wide as the box, so on a phone the message
        // is not centred across (and clipped by) a header row wider than the screen.
        <div className="border-t border-line px-4 py-2">
          {typeof empty === 'string' ? (
            <p className="py-4 text-muted">{empty}</p>
          ) : (
            (empty ?? <p className="py-8 text-center text-muted">Nothing here yet.</p>)
          )}
        </div>
      ) : null}
    </div>
  );
}
