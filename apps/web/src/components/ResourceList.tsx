import type { ReactNode } from 'react';
import { describeError } from '../lib/api/errors.ts';
import { Button } from './Button.tsx';
import { EmptyState } from './EmptyState.tsx';
import { Alert } from './Field.tsx';
import { Pagination } from './Pagination.tsx';
import { SearchField } from './SearchField.tsx';
import { type Column, Table } from './Table.tsx';

/** What a list page needs of its query (a TanStack `useQuery` result of a paged list). */
export interface ListQuery<T> {
  data?: { items: T[]; total: number } | undefined;
  error: unknown;
  isPending: boolean;
}

export interface ListSelection<T> {
  selected: ReadonlySet<string>;
  onChange: (selected: ReadonlySet<string>) => void;
  /** Accessible name of a row's checkbox, e.g. `Select web-1`. */
  rowLabel: (row: T) => string;
  /** Accessible name of the header checkbox, e.g. `Select all instances on this page`. */
  allLabel: string;
  /** The bulk actions for the selected rows (shown in a toolbar while some are selected). */
  actions: (rows: T[]) => ReactNode;
}

export interface ResourceListProps<T> {
  /** Table caption, e.g. "Volumes". */
  caption: string;
  /** Title of the load error, e.g. "Could not load volumes". */
  errorTitle: string;
  list: ListQuery<T>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  skeletonRows?: number;
  /** The search box (its text is usually kept in the URL's `q`, see `useUrlSearch`). */
  search?: { label: string; placeholder: string; value: string; onChange: (value: string) => void };
  /** More filter controls next to the search box (selects kept in the URL). */
  filters?: ReactNode;
  /** What shows instead of rows: say why it is empty and offer the next step. */
  empty: { icon?: ReactNode; title: ReactNode; body?: ReactNode; action?: ReactNode };
  pagination?: {
    label: string;
    limit: number;
    offset: number;
    onChange: (offset: number) => void;
    /** Only when there is more than one page. */
    onlyWhenPaged?: boolean;
  };
  /** Bulk selection: a checkbox column (from sm up) and a toolbar of actions. */
  selection?: ListSelection<T>;
}

/**
 * The scaffold of a resource list page below its header: search and filters, the load error, the
 * table with an empty state, pagination, and optional bulk selection.
 */
export function ResourceList<T>({
  caption,
  errorTitle,
  list,
  columns,
  rowKey,
  skeletonRows = 5,
  search,
  filters,
  empty,
  pagination,
  selection,
}: ResourceListProps<T>) {
  const rows = list.data?.items;
  const selectedRows = selection ? (rows ?? []).filter((r) => selection.selected.has(rowKey(r))) : [];
  const allColumns = selection
    ? [selectionColumn(selection, rows, rowKey, selectedRows.length), ...columns]
    : columns;
  const total = list.data?.total;
  return (
    <>
      {search || filters ? (
        <search className="mb-4 flex flex-wrap items-end gap-3">
          {search ? <SearchField {...search} /> : null}
          {filters}
        </search>
      ) : null}
      {selection && selectedRows.length > 0 ? (
        <div
          role="toolbar"
          aria-label="Bulk actions"
          className="mb-3 flex flex-wrap items-center gap-2 rounded-md border border-line bg-panel-muted px-3 py-2 text-sm"
        >
          <span className="mr-2 font-medium">{selectedRows.length} selected</span>
          {selection.actions(selectedRows)}
          <Button size="sm" variant="ghost" onClick={() => selection.onChange(new Set())}>
            Clear
          </Button>
        </div>
      ) : null}
      {list.error ? (
        <Alert title={errorTitle} className="mb-4">
          {describeError(list.error)}
        </Alert>
      ) : null}
      <Table
        caption={caption}
        columns={allColumns}
        rows={rows}
        rowKey={rowKey}
        loading={list.isPending}
        skeletonRows={skeletonRows}
        empty={
          <EmptyState icon={empty.icon} title={empty.title} action={empty.action}>
            {empty.body}
          </EmptyState>
        }
      />
      {pagination && (!pagination.onlyWhenPaged || (total !== undefined && total > pagination.limit)) ? (
        <Pagination
          label={pagination.label}
          total={total}
          limit={pagination.limit}
          offset={pagination.offset}
          onChange={pagination.onChange}
        />
      ) : null}
    </>
  );
}

function selectionColumn<T>(
  selection: ListSelection<T>,
  rows: T[] | undefined,
  rowKey: (row: T) => string,
  selectedCount: number,
): Column<T> {
  const { selected, onChange } = selection;
  return {
    key: 'select',
    header: (
      <input
        type="checkbox"
        aria-label={selection.allLabel}
        className="size-4 accent-primary"
        checked={!!rows?.length && selectedCount === rows.length}
        onChange={(e) => onChange(new Set(e.target.checked ? (rows ?? []).map(rowKey) : []))}
      />
    ),
    // Bulk selection from sm up: on a phone the row's Actions menu needs the room.
    className: 'hidden w-px sm:table-cell',
    skeletonWidth: 'w-4',
    cell: (row) => (
      <input
        type="checkbox"
        aria-label={selection.rowLabel(row)}
        className="size-4 accent-primary"
        checked={selected.has(rowKey(row))}
        onChange={(e) => {
          const next = new Set(selected);
          if (e.target.checked) next.add(rowKey(row));
          else next.delete(rowKey(row));
          onChange(next);
        }}
      />
    ),
  };
}
