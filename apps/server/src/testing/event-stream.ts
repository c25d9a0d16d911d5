/** Tests: a client of `GET /api/v1/events` (fetch, no EventSource in Node) that collects what it receives. */
import { expect } from 'vitest';

export interface StreamedEvent {
  id: number;
  type: string;
  resourceId: string;
  ownerId: string;
  data: { status?: string };
}

/**
 * Subscribe to a server-sent event stream (`url` is the full events URL, with any `?types=`).
 * `events` fills as they arrive (the stream's `reset` event left out); `until` waits for a
 * condition on them (up to `timeoutMs`); `close` ends the stream. `lastEventId` resumes after it.
 */
export async function subscribeEvents(
  url: string,
  token: string,
  { lastEventId, timeoutMs = 10_000 }: { lastEventId?: number; timeoutMs?: number } = {},
) {
  const ac = new AbortController();
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
    },
    signal: ac.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: StreamedEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = chunk.split('\n').find((l) => l.startsWith('data: '));
          if (data && chunk.includes('event: ') && !chunk.includes('event: reset'))
            events.push(JSON.parse(data.slice(6)) as StreamedEvent);
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    async until(pred: (e: StreamedEvent[]) => boolean, ms = timeoutMs) {
      const end = Date.now() + ms;
      while (!pred(events)) {
        if (Date.now() > end) throw new Error(`events: ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      ac.abort();
      await pump;
    },
  };
}
