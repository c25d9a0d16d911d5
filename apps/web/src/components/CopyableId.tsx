import { useEffect, useState } from 'react';
import { copyText } from './clipboard.ts';
import { cx } from './cx.ts';
import { CheckIcon, CopyIcon } from './icons.tsx';

/** An identifier or secret in monospace with a copy button that confirms the copy. */
export function CopyableId({
  value,
  label,
  className,
  truncate = false,
}: {
  value: string;
  /** What is copied, for the button's accessible name ("Copy access key ID"). */
  label: string;
  className?: string;
  truncate?: boolean;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className={cx('inline-flex max-w-full items-center gap-1 font-mono text-[13px]', className)}>
      <span
        className={cx('min-w-0', truncate ? 'truncate' : 'break-all')}
        title={truncate ? value : undefined}
      >
        {value}
      </span>
      <button
        type="button"
        onClick={() =>
          copyText(value).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
        className="shrink-0 rounded p-1 text-muted hover:bg-panel-muted hover:text-fg"
        aria-label={`Copy ${label}`}
        title={state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : `Copy ${label}`}
      >
        {state === 'copied' ? <CheckIcon className="text-green-600 dark:text-green-400" /> : <CopyIcon />}
      </button>
      <span className="sr-only" aria-live="polite">
        {state === 'copied' ? `${label} copied` : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
