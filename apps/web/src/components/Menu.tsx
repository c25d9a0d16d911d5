import { type CSSProperties, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { cx } from './cx.ts';

export interface MenuAction {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  hidden?: boolean;
}

/** Height of one item plus the list's padding, to decide whether the list fits below the button. */
const ITEM_PX = 34;

/**
 * A button that opens a short list of actions (ARIA menu pattern: arrow keys move, Escape closes and
 * returns focus, Tab leaves). Used for per-row actions in tables.
 *
 * The list is positioned against the viewport (`position: fixed`), not the button's box: a table's
 * scroll container would otherwise clip it (the last row's menu was cut off, on phones worst), and it
 * opens upwards when there is no room below.
 */
export function Menu({
  label,
  trigger,
  actions,
}: {
  label: string;
  trigger: ReactNode;
  actions: MenuAction[];
}) {
  const visible = actions.filter((a) => !a.hidden);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const [pos, setPos] = useState<CSSProperties>({});
  const count = visible.length;

  const place = useCallback(() => {
    const r = buttonRef.current?.getBoundingClientRect();
    if (!r) return;
    const right = Math.max(8, window.innerWidth - r.right);
    const below = window.innerHeight - r.bottom;
    const needed = count * ITEM_PX + 16;
    setPos(
      below < needed && r.top > below
        ? { bottom: window.innerHeight - r.top + 4, right }
        : { top: r.bottom + 4, right },
    );
  }, [count]);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus({ preventScroll: true });
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!listRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    // Follow the button when the page or the table scrolls, or the window changes size.
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [open, place]);

  if (visible.length === 0) return null;

  const onKeyDown = (e: React.KeyboardEvent) => {
    const items = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Home') items[0]?.focus();
    else if (e.key === 'End') items[items.length - 1]?.focus();
    else if (e.key === 'Escape') {
      setOpen(false);
      buttonRef.current?.focus();
    } else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  return (
    <div className="relative inline-block">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        onClick={() => {
          if (!open) place();
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            place();
            setOpen(true);
          }
        }}
        className="inline-flex h-8 items-center gap-1 rounded-md border border-line-strong bg-panel px-2.5 text-sm font-medium shadow-sm hover:bg-panel-muted"
      >
        {trigger}
      </button>
      {open ? (
        <div
          ref={listRef}
          id={id}
          role="menu"
          aria-label={label}
          tabIndex={-1}
          onKeyDown={onKeyDown}
          style={pos}
          className="fixed z-20 min-w-44 rounded-md border border-line bg-panel p-1 shadow-lg"
        >
          {visible.map((a) => (
            <button
              key={a.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                a.onSelect();
              }}
              className={cx(
                'flex w-full items-center rounded px-2.5 py-1.5 text-left text-sm hover:bg-panel-muted focus:bg-panel-muted',
                a.danger ? 'text-red-700 dark:text-red-400' : 'text-fg',
              )}
            >
              {a.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
