import { type ReactNode, useEffect, useState } from 'react';
import { describeError } from '../lib/api/errors.ts';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';
import { Alert, Input } from './Field.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  /** Runs the action; the caller closes the dialog on success (usually in the mutation's onSuccess). */
  onConfirm: () => void;
  /** Names the thing, e.g. "Delete volume data-1?". */
  title: ReactNode;
  /** What happens: what is destroyed, what is kept. */
  children?: ReactNode;
  /** The confirm button, e.g. "Delete volume". */
  confirmLabel: ReactNode;
  /** 'danger' (default) for destructive actions, 'primary' for the rest. */
  tone?: 'danger' | 'primary';
  /** A request is running: buttons disabled, Escape and the backdrop do not close. */
  pending?: boolean;
  /** The last failure, shown in plain words above the body (null/undefined: none). */
  error?: unknown;
  errorTitle?: string;
  /**
   * Type-the-name confirmation for destructive actions that cannot be undone: the confirm button stays
   * disabled until the user typed exactly this text.
   */
  confirmText?: string;
  /** Extra reason to keep the confirm button disabled (e.g. a required choice is missing). */
  confirmDisabled?: boolean;
  /** Hide the confirm button (e.g. after a partial failure only "Close" makes sense). */
  hideConfirm?: boolean;
  cancelLabel?: string;
  size?: 'sm' | 'md';
  confirmIcon?: ReactNode;
}

/**
 * The one confirmation dialog of the console: names what will be changed or destroyed, shows the
 * request's progress and its error, and optionally asks to type the resource's name first.
 */
export function ConfirmDialog({
  open,
  onClose,
  onConfirm,
  title,
  children,
  confirmLabel,
  tone = 'danger',
  pending = false,
  error,
  errorTitle = 'That did not work',
  confirmText,
  confirmDisabled = false,
  hideConfirm = false,
  cancelLabel = 'Cancel',
  size = 'sm',
  confirmIcon,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  // A new question starts with an empty field.
  useEffect(() => {
    if (!open) setTyped('');
  }, [open]);
  const typedOk = confirmText === undefined || typed.trim() === confirmText;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size={size}
      title={title}
      dismissible={!pending}
      onSubmit={() => {
        if (pending || !typedOk || confirmDisabled || hideConfirm) return;
        onConfirm();
      }}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            {cancelLabel}
          </Button>
          {hideConfirm ? null : (
            <Button
              type="submit"
              variant={tone}
              loading={pending}
              disabled={!typedOk || confirmDisabled}
              icon={confirmIcon}
            >
              {confirmLabel}
            </Button>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm">
        {error ? <Alert title={errorTitle}>{describeError(error)}</Alert> : null}
        {children}
        {confirmText !== undefined ? (
          <Input
            label={
              <>
                Type <strong className="font-mono font-semibold break-all">{confirmText}</strong> to confirm
              </>
            }
            autoComplete="off"
            autoFocus
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            disabled={pending}
            inputClassName="font-mono"
          />
        ) : null}
      </div>
    </Dialog>
  );
}
