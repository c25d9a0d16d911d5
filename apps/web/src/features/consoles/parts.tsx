import { type ReactNode, type RefObject, useEffect, useState } from 'react';
import { Button, cx } from '../../components/index.ts';
import type { ConsoleStatus } from './useConsoleConnection.ts';

/** The connection's state in words (a live region: screen readers hear changes). */
export function StatusLine({ status, onReconnect }: { status: ConsoleStatus; onReconnect: () => void }) {
  const [dot, text] =
    status.state === 'connected'
      ? ['bg-green-600', 'Connected']
      : status.state === 'connecting'
        ? ['bg-blue-600 animate-pulse', 'Connecting…']
        : status.state === 'reconnecting'
          ? ['bg-amber-500 animate-pulse', `${status.text}. Reconnecting in ${status.inSeconds} s…`]
          : ['bg-red-600', status.text];
  return (
    <div className="flex min-w-0 items-center gap-2 text-sm" data-testid="console-status">
      <span aria-hidden="true" className={cx('size-2.5 shrink-0 rounded-full', dot)} />
      <span role="status" aria-live="polite" className="min-w-0 truncate" data-state={status.state}>
        {text}
      </span>
      {status.state === 'closed' || status.state === 'reconnecting' ? (
        <Button size="sm" onClick={onReconnect}>
          Reconnect
        </Button>
      ) : null}
    </div>
  );
}

/** Full screen for the console's frame (Escape leaves, as browsers do). */
export function FullscreenButton({ target }: { target: RefObject<HTMLElement | null> }) {
  const [full, setFull] = useState(false);
  useEffect(() => {
    const on = () => setFull(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  if (!document.fullscreenEnabled) return null;
  return (
    <Button
      size="sm"
      onClick={() =>
        full
          ? void document.exitFullscreen()
          : void target.current?.requestFullscreen().catch(() => undefined)
      }
    >
      {full ? 'Exit full screen' : 'Full screen'}
    </Button>
  );
}

/** The console's frame: toolbar above, the screen filling the rest (also in full screen). */
export function ConsoleFrame({
  frameRef,
  toolbar,
  children,
}: {
  frameRef: RefObject<HTMLDivElement | null>;
  toolbar: ReactNode;
  children: ReactNode;
}) {
  return (
    <div
      ref={frameRef}
      className="flex h-[calc(100dvh-13rem)] min-h-80 flex-col overflow-hidden rounded-lg border border-line bg-panel fullscreen:h-dvh fullscreen:rounded-none"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-2 py-1.5">{toolbar}</div>
      <div className="relative min-h-0 flex-1 bg-[#101014]">{children}</div>
    </div>
  );
}
