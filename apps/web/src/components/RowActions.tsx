import { Button } from './Button.tsx';
import { ChevronDownIcon } from './icons.tsx';
import { Menu, type MenuAction } from './Menu.tsx';
import type { Column } from './Table.tsx';

const actionsHeader = <span className="sr-only">Actions</span>;

/**
 * A table's last column: an "Actions ▾" menu per row (the word hides on a phone, the chevron stays).
 * `name` names the row in the menu's accessible label ("Actions for web-1").
 */
export function menuColumn<T>(name: (row: T) => string, actions: (row: T) => MenuAction[]): Column<T> {
  return {
    key: 'actions',
    header: actionsHeader,
    className: 'w-px text-right',
    skeletonWidth: 'w-16',
    cell: (row) => (
      <Menu
        label={`Actions for ${name(row)}`}
        trigger={
          <>
            <span className="hidden sm:inline">Actions</span> <ChevronDownIcon className="text-muted" />
          </>
        }
        actions={actions(row)}
      />
    ),
  };
}

/** A table's last column with one small button per row, e.g. "Delete" (`ariaLabel` names the row). */
export function buttonColumn<T>(
  label: string,
  ariaLabel: (row: T) => string,
  onClick: (row: NoInfer<T>) => void,
): Column<T> {
  return {
    key: 'actions',
    header: actionsHeader,
    className: 'w-px text-right',
    skeletonWidth: 'w-14',
    cell: (row) => (
      <Button size="sm" onClick={() => onClick(row)} aria-label={ariaLabel(row)}>
        {label}
      </Button>
    ),
  };
}
