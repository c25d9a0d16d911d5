import type { ReactNode } from 'react';
import { Button } from './Button.tsx';
import { cx } from './cx.ts';
import { Dialog } from './Dialog.tsx';
import { Alert } from './Field.tsx';
import { DownloadIcon } from './icons.tsx';

/**
 * After creating a credential whose secret is shown only once (an access key, a private key): a
 * warning that says so, the secret, a download button and Done.
 */
export function SecretOnceDialog({
  open,
  onClose,
  title,
  warning,
  download,
  className = 'gap-4',
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** The warning's title and text: where the secret is kept (if at all) and what to do with it. */
  warning: { title: string; body: ReactNode };
  download: { label: string; onClick: () => void };
  /** Classes of the body (its gap, text size). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      size="lg"
      footer={
        <>
          <Button icon={<DownloadIcon />} onClick={download.onClick}>
            {download.label}
          </Button>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </>
      }
    >
      <div className={cx('flex flex-col', className)}>
        <Alert tone="warning" title={warning.title}>
          {warning.body}
        </Alert>
        {children}
      </div>
    </Dialog>
  );
}
