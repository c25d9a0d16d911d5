import type { ReactNode } from 'react';
import { describeError } from '../lib/api/errors.ts';
import { cx } from './cx.ts';
import { Dialog, DialogActions, type DialogProps } from './Dialog.tsx';
import { Alert } from './Field.tsx';

export interface FormDialogProps extends Omit<DialogProps, 'footer' | 'dismissible' | 'onSubmit'> {
  /** Enter or the submit button; validate here and run the mutation. */
  onSubmit: () => void;
  /** The request behind the form (a TanStack mutation): its progress and its last error. */
  mutation: { isPending: boolean; error: unknown };
  /** Title of the error shown above the fields, e.g. "Could not create the volume". */
  errorTitle: string;
  /** Show the mutation's error (default true; false when a field explains it instead). */
  showError?: boolean;
  submitLabel: ReactNode;
  submitDisabled?: boolean;
  tone?: 'primary' | 'danger';
  /** Space between the fields. */
  gap?: 'gap-3' | 'gap-4';
}

/**
 * The console's form dialog: Cancel and a submit button, not dismissible while the request runs,
 * and the request's error in plain words above the fields.
 */
export function FormDialog({
  onClose,
  mutation,
  errorTitle,
  showError = true,
  submitLabel,
  submitDisabled,
  tone,
  gap = 'gap-4',
  children,
  ...rest
}: FormDialogProps) {
  return (
    <Dialog
      {...rest}
      onClose={onClose}
      dismissible={!mutation.isPending}
      footer={
        <DialogActions
          onCancel={onClose}
          pending={mutation.isPending}
          submitLabel={submitLabel}
          submitDisabled={submitDisabled}
          tone={tone}
        />
      }
    >
      <div className={cx('flex flex-col', gap)}>
        {showError && mutation.error ? (
          <Alert title={errorTitle}>{describeError(mutation.error)}</Alert>
        ) : null}
        {children}
      </div>
    </Dialog>
  );
}
