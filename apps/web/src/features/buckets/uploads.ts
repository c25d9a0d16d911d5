import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/api/errors.ts';
import { bucketsKey, isAbort, type UploadHandle, uploadFile } from './api.ts';

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'error' | 'cancelled';

export interface UploadItem {
  id: number;
  bucket: string;
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: UploadStatus;
  part?: { number: number; count: number };
  error?: string;
}

const CONCURRENCY = 3;
let nextId = 1;

/**
 * The upload queue of the bucket browser: files go up CONCURRENCY at a time, each with its own
 * progress (bytes, and the part for multipart uploads), and can be cancelled one by one.
 */
export function useUploads() {
  const qc = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const files = useRef(new Map<number, File>());
  const handles = useRef(new Map<number, UploadHandle>());
  const running = useRef(0);

  const patch = useCallback((id: number, change: Partial<UploadItem>) => {
    setItems((all) => all.map((i) => (i.id === id ? { ...i, ...change } : i)));
  }, []);

  const pump = useCallback(() => {
    setItems((all) => {
      let free = CONCURRENCY - running.current;
      const startNow: UploadItem[] = [];
      const next = all.map((item) => {
        if (free > 0 && item.status === 'queued') {
          free--;
          startNow.push(item);
          return { ...item, status: 'uploading' as const };
        }
        return item;
      });
      // Start outside the state updater (it must stay pure): next microtask.
      queueMicrotask(() => {
        for (const item of startNow) {
          const file = files.current.get(item.id);
          if (!file || handles.current.has(item.id)) continue;
          running.current++;
          const handle = uploadFile(item.bucket, item.key, file, (p) =>
            patch(item.id, { loaded: p.loaded, ...(p.part ? { part: p.part } : {}) }),
          );
          handles.current.set(item.id, handle);
          handle.done
            .then(() => patch(item.id, { status: 'done', loaded: item.size }))
            .catch((e: unknown) =>
              patch(
                item.id,
                isAbort(e) ? { status: 'cancelled' } : { status: 'error', error: describeError(e) },
              ),
            )
            .finally(() => {
              running.current--;
              handles.current.delete(item.id);
              files.current.delete(item.id);
              void qc.invalidateQueries({ queryKey: bucketsKey });
              pump();
            });
        }
      });
      return next;
    });
  }, [patch, qc]);

  const add = useCallback(
    (bucket: string, prefix: string, list: Iterable<File>) => {
      const added: UploadItem[] = [];
      for (const file of list) {
        const id = nextId++;
        const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
        files.current.set(id, file);
        added.push({
          id,
          bucket,
          key: `${prefix}${rel}`,
          name: rel,
          size: file.size,
          loaded: 0,
          status: 'queued',
        });
      }
      if (!added.length) return;
      setItems((all) => [...all, ...added]);
      pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (id: number) => {
      const handle = handles.current.get(id);
      if (handle) handle.abort();
      else {
        files.current.delete(id);
        patch(id, { status: 'cancelled' });
      }
    },
    [patch],
  );

  const clearFinished = useCallback(() => {
    setItems((all) => all.filter((i) => i.status === 'queued' || i.status === 'uploading'));
  }, []);

  // Closing or reloading the tab while files are going up asks first.
  const active = items.some((i) => i.status === 'queued' || i.status === 'uploading');
  useEffect(() => {
    if (!active) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);

  // Leaving the page cancels what is still running (the server discards unfinished uploads).
  useEffect(() => {
    const map = handles.current;
    return () => {
      for (const h of map.values()) h.abort();
    };
  }, []);

  return { items, add, cancel, clearFinished };
}
