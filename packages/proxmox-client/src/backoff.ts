/** Exponential backoff with "full jitter" between `min(cap, base·2^attempt)·(1-jitter)` and that bound. */
export interface BackoffOptions {
  /** First delay in ms (attempt 0). */
  baseMs: number;
  /** Upper bound for any delay. */
  maxMs: number;
  /** 0 = deterministic, 1 = anywhere in [0, bound]. Default 0.5. */
  jitter?: number;
  /** Random source in [0,1); injectable for tests. */
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const bound = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  const r = (opts.random ?? Math.random)();
  return Math.round(bound * (1 - jitter) + bound * jitter * r);
}

/** Sleep that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
