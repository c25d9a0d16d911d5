import { EVENT_RESOURCES, type EventResource } from '@proxicloud/sdk';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { type Instance, instancesKey, type Operation, operationsKey, patchInstance } from './api.ts';

/**
 * One shared EventSource on /api/v1/events (cookies go with it: same origin) for every page that
 * shows compute resources. Events patch or invalidate the TanStack Query caches; while the stream
 * is down, the queries poll every 5 s (see `useLiveEvents().live`) and the stream is retried with
 * a growing delay (the session middleware refreshes an expired access token on the next poll).
 */

interface DomainEvent {
  type: string;
  resource: EventResource;
  resourceId: string;
  data: unknown;
}

const RESOURCES = EVENT_RESOURCES;
const KINDS = ['created', 'updated', 'deleted'] as const;

let users = 0;
let source: EventSource | null = null;
let live = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 2_000;
let client: QueryClient | null = null;
const listeners = new Set<() => void>();
const pending = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function setLive(v: boolean) {
  if (live === v) return;
  live = v;
  for (const l of listeners) l();
}

/** Lists are re-read at most every 300 ms however many events arrive (a bulk action sends many). */
function invalidateSoon(key: string) {
  pending.add(key);
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    const keys = [...pending];
    pending.clear();
    for (const k of keys) {
      if (k === 'instances') {
        void client?.invalidateQueries({ queryKey: [...instancesKey, 'list'] });
        void client?.invalidateQueries({ queryKey: [...instancesKey, 'summary'] });
      } else void client?.invalidateQueries({ queryKey: [k] });
    }
  }, 300);
}

function handle(e: DomainEvent) {
  const qc = client;
  if (!qc) return;
  switch (e.resource) {
    case 'instance':
      if (e.type !== 'instance.deleted' && e.data && typeof e.data === 'object' && 'status' in e.data) {
        patchInstance(qc, e.data as Instance);
      }
      invalidateSoon('instances');
      invalidateSoon('quotas');
      break;
    case 'operation':
      if (e.data && typeof e.data === 'object' && 'status' in e.data) {
        const op = e.data as Operation;
        qc.setQueryData([...operationsKey, 'one', op.id], op);
      }
      invalidateSoon('operations');
      break;
    case 'volume':
      invalidateSoon('volumes');
      invalidateSoon('quotas');
      break;
    case 'snapshot':
      invalidateSoon('snapshots');
      break;
    case 'key_pair':
      invalidateSoon('key-pairs');
      break;
    case 'backup_run':
    case 'recovery_point':
      invalidateSoon('backups');
      invalidateSoon('quotas');
      break;
  }
}

function connect() {
  if (source || users === 0 || typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/v1/events');
  source = es;
  es.onopen = () => {
    retryDelay = 2_000;
    setLive(true);
  };
  es.onerror = () => {
    // The browser retries by itself while readyState is CONNECTING; a refused stream (401, 5xx)
    // ends in CLOSED: poll meanwhile and try again later.
    setLive(false);
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      source = null;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60_000);
    }
  };
  const onMessage = (m: MessageEvent<string>) => {
    try {
      handle(JSON.parse(m.data) as DomainEvent);
    } catch {
      // malformed event: ignore it, the next poll catches up
    }
  };
  for (const r of RESOURCES) for (const k of KINDS) es.addEventListener(`${r}.${k}`, onMessage);
  es.addEventListener('reset', () => {
    for (const k of ['instances', 'operations', 'volumes', 'snapshots', 'key-pairs', 'quotas', 'backups'])
      invalidateSoon(k);
  });
}

function disconnect() {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  setLive(false);
}

/** Subscribes the page to live compute events; `live` is false while the stream is down. */
export function useLiveEvents(): { live: boolean } {
  const qc = useQueryClient();
  useEffect(() => {
    client = qc;
    users++;
    connect();
    return () => {
      users--;
      if (users === 0) disconnect();
    };
  }, [qc]);
  const isLive = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => live,
  );
  return { live: isLive };
}
