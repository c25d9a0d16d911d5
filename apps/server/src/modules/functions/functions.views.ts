import type { InvocationRow } from './functions.repository.ts';

/** API view of an invocation; `full` adds logs and the stored result. */
export function invocationView(
  i: Partial<InvocationRow> &
    Pick<
      InvocationRow,
      | 'id'
      | 'function_id'
      | 'version'
      | 'trigger'
      | 'async'
      | 'status'
      | 'attempts'
      | 'cold'
      | 'started_at'
      | 'finished_at'
      | 'duration_ms'
      | 'billed_ms'
      | 'memory_used_mb'
      | 'error'
      | 'logs_truncated'
      | 'created_at'
    >,
  full: boolean,
) {
  return {
    id: i.id,
    functionId: i.function_id,
    version: Number(i.version),
    trigger: i.trigger,
    async: Number(i.async) === 1,
    status: i.status as 'success',
    attempts: Number(i.attempts),
    coldStart: Number(i.cold) === 1,
    startedAt: i.started_at,
    finishedAt: i.finished_at,
    durationMs: i.duration_ms === null ? null : Number(i.duration_ms),
    billedDurationMs: i.billed_ms === null ? null : Number(i.billed_ms),
    memoryUsedMb: i.memory_used_mb === null ? null : Number(i.memory_used_mb),
    error: i.error ? (JSON.parse(i.error) as { type: string; message: string; stack?: string[] }) : null,
    ...(full ? { logs: i.logs ?? '', ...(i.result ? { result: JSON.parse(i.result) as unknown } : {}) } : {}),
    logsTruncated: Number(i.logs_truncated) === 1,
    createdAt: i.created_at,
  };
}
