import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.tsx';

export interface MutationDialogProps<T, V, R>
  extends Omit<ConfirmDialogProps, 'open' | 'onClose' | 'onConfirm' | 'pending' | 'error'> {
  /** What the dialog acts on; null: closed. */
  target: T | null;
  onClose: () => void;
  /** The feature's mutation hook result, e.g. `useDeleteVolume()`. */
  mutation: UseMutationResult<R, Error, V>;
  /**
   * The mutation's variables for this target (may load more first, e.g. a folder's keys). Undefined:
   * nothing to run (the function has handled it, e.g. closed the dialog).
   */
  variables: (target: T, helpers: { close: () => void }) => V | undefined | Promise<V | undefined>;
  /** After success (a toast, a navigation); the dialog closes afterwards. */
  onSuccess?: (target: T, result: R) => void;
  /** Extra state of the caller to reset when the dialog closes. */
  onReset?: () => void;
  /** Replace the mutation's error shown in the dialog (e.g. null when the body explains it). */
  error?: unknown;
}

/**
 * The console's delete/confirm dialog bound to a mutation: confirm runs it for the target, pending
 * and errors show in the dialog, success closes it; closing resets the mutation. Typed-name
 * confirmation (`confirmText`) and every other ConfirmDialog option pass through.
 */
export function MutationDialog<T, V, R>({
  target,
  onClose,
  mutation,
  variables,
  onSuccess,
  onReset,
  error,
  ...rest
}: MutationDialogProps<T, V, R>) {
  const [preparing, setPreparing] = useState(false);
  const close = () => {
    mutation.reset();
    onReset?.();
    onClose();
  };
  const confirm = async () => {
    if (!target) return;
    const t = target;
    setPreparing(true);
    let v: V | undefined;
    try {
      v = await variables(t, { close });
    } finally {
      setPreparing(false);
    }
    if (v === undefined) return;
    mutation.mutate(v, {
      onSuccess: (result) => {
        onSuccess?.(t, result);
        close();
      },
    });
  };
  return (
    <ConfirmDialog
      {...rest}
      open={target !== null}
      onClose={close}
      pending={mutation.isPending || preparing}
      error={error === undefined ? mutation.error : error}
      onConfirm={() => void confirm()}
    />
  );
}
