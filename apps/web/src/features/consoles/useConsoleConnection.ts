import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/api/errors.ts';
import { type ConsoleType, createConsoleSession } from './api.ts';
import { closeText, reconnectDelayMs, shouldReconnect } from './reconnect.ts';

export type ConsoleStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; inSeconds: number; text: string }
  | { state: 'closed'; text: string };

/** Opens the session's websocket; calls `closed` once when it ends; returns a disposer. */
export type Attach = (
  url: string,
  events: { opened(): void; closed(code: number, reason: string): void },
) => () => void;

/**
 * One console connection with its life cycle: a fresh one-time session per attempt (the server's
 * tokens are single use), status for the status line, reconnect with backoff after a lost
 * connection, none after a final close (idle, access ended, instance stopped).
 */
export function useConsoleConnection(instanceId: string, type: ConsoleType, attach: Attach | null) {
  const [status, setStatus] = useState<ConsoleStatus>({ state: 'connecting' });
  const [generation, setGeneration] = useState(0);
  const attachRef = useRef(attach);
  attachRef.current = attach;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation restarts the connection on demand
  useEffect(() => {
    if (!attach) return;
    let disposed = false;
    let attempt = 0;
    let dispose: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (text: string) => {
      const delay = reconnectDelayMs(attempt++);
      setStatus({ state: 'reconnecting', inSeconds: Math.round(delay / 1000), text });
      timer = setTimeout(connect, delay);
    };
    const connect = async () => {
      setStatus({ state: 'connecting' });
      let url: string;
      try {
        url = (await createConsoleSession(instanceId, type)).url;
      } catch (e) {
        if (disposed) return;
        const status = (e as { status?: number }).status ?? 0;
        // the server or the network is away: try again; a refusal (403/404/409/422) is final
        if ((status === 0 || status >= 500) && shouldReconnect(1006, attempt)) retryLater(describeError(e));
        else setStatus({ state: 'closed', text: describeError(e) });
        return;
      }
      if (disposed || !attachRef.current) return;
      dispose = attachRef.current(url, {
        opened: () => {
          attempt = 0;
          setStatus({ state: 'connected' });
        },
        closed: (code, reason) => {
          dispose = null;
          if (disposed) return;
          const text = closeText(code, reason);
          if (shouldReconnect(code, attempt)) retryLater(text);
          else setStatus({ state: 'closed', text });
        },
      });
    };
    void connect();
    return () => {
      disposed = true;
      clearTimeout(timer);
      dispose?.();
    };
  }, [instanceId, type, attach !== null, generation]);

  return { status, reconnect: () => setGeneration((g) => g + 1) };
}
