import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './Button.tsx';
import { cx } from './cx.ts';
import { CloseIcon } from './icons.tsx';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** When false, Escape and backdrop clicks do not close it (e.g. while a request runs). */
  dismissible?: boolean;
  /** Render the body inside a <form> so Enter submits; footer buttons of type=submit submit it. */
  onSubmit?: () => void;
}

const widths = { sm: 'max-w-md', md: 'max-w-lg', lg: 'max-w-2xl' } as const;

/**
 * Modal dialog on the native <dialog> element: showModal() makes the rest of the page inert (focus stays
 * inside), Escape closes it, focus returns to the element that opened it.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = 'md',
  dismissible = true,
  onSubmit,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      document.documentElement.style.overflow = 'hidden';
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(
    () => () => {
      document.documentElement.style.overflow = '';
    },
    [],
  );

  const restoreFocus = () => {
    document.documentElement.style.overflow = '';
    const el = opener.current;
    opener.current = null;
    if (el?.isConnected) el.focus();
  };

  const body = (
    <>
      <div className="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold text-fg">
            {title}
          </h2>
          {description ? (
            <div id={descId} className="mt-1 text-sm text-muted">
              {description}
            </div>
          ) : null}
        </div>
        <button
          type="button"
          onClick={() => dismissible && onClose()}
          disabled={!dismissible}
          className="-m-1 rounded p-1 text-xl text-muted hover:bg-panel-muted hover:text-fg disabled:opacity-40"
          aria-label="Close dialog"
        >
          <CloseIcon />
        </button>
      </div>
      <div className="max-h-[65vh] overflow-y-auto px-5 py-4">{children}</div>
      {footer ? (
        <div className="flex flex-wrap justify-end gap-2 border-t border-line bg-panel-muted/60 px-5 py-3">
          {footer}
        </div>
      ) : null}
    </>
  );

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissible) onClose();
      }}
      onClose={restoreFocus}
      onMouseDown={(e) => {
        // A press on the backdrop targets the <dialog> itself (the panel fills its box).
        if (e.target === e.currentTarget && dismissible) onClose();
      }}
      className={cx(
        'm-auto w-[calc(100%-2rem)] rounded-lg border border-line bg-panel p-0 text-fg shadow-2xl',
        'backdrop:bg-black/50 backdrop:backdrop-blur-[1px]',
        widths[size],
      )}
    >
      {open ? (
        onSubmit ? (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )
      ) : null}
    </dialog>
  );
}

/**
 * The usual footer of a form dialog: Cancel, and the submit button (Enter submits too). While the
 * request runs the submit button spins and Cancel is disabled.
 */
export function DialogActions({
  onCancel,
  pending,
  submitLabel,
  submitDisabled = false,
  tone = 'primary',
}: {
  onCancel: () => void;
  pending: boolean;
  submitLabel: ReactNode;
  submitDisabled?: boolean;
  tone?: 'primary' | 'danger';
}) {
  return (
    <>
      <Button onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" variant={tone} loading={pending} disabled={submitDisabled}>
        {submitLabel}
      </Button>
    </>
  );
}
