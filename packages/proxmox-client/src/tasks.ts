import { sleep } from './backoff.ts';
import { ProxmoxApiError, ProxmoxConnectionError, ProxmoxTaskError, ProxmoxTimeoutError } from './errors.ts';
import type {
  TaskLogResult,
  TaskStatusResult,
  TasksListParams,
  TasksListResult,
} from './generated/endpoints.ts';
import { type CallOptions, Transport } from './transport.ts';
import { parseUpid } from './upid.ts';

export type TaskStatus = TaskStatusResult;

export interface TaskProgress {
  node: string;
  upid: string;
  /** Last status seen (undefined while the node could not be reached). */
  status?: TaskStatus;
  elapsedMs: number;
  /** Log lines that appeared since the previous progress call (only when `followLog`). */
  newLogLines: string[];
  /** Set when the last poll failed transiently (node unreachable, 5xx); polling goes on. */
  lastError?: Error;
}

export interface WaitOptions {
  /** Give up after this long (the task keeps running on the node). Default 10 min. */
  timeoutMs?: number;
  /** First poll interval; grows ×1.5 up to `maxPollMs`. Default 100 ms. */
  pollMs?: number;
  /** Default 2000 ms. */
  maxPollMs?: number;
  onProgress?: (p: TaskProgress) => void;
  /** Read new log lines at each poll and hand them to `onProgress`. Default false. */
  followLog?: boolean;
  /** How many log lines a ProxmoxTaskError carries. Default 20. */
  logTailLines?: number;
  signal?: AbortSignal;
}

export interface TaskResult extends TaskStatus {
  /** `exitstatus` was `WARNINGS: n`: the task completed, with warnings. */
  warnings: number;
}

/**
 * PVE's task log reader answers `[{n, t: "no content"}]` instead of an empty list (an ExtJS store
 * workaround in PVE::Tools::dump_logfile); that placeholder is not a log line.
 */
function realLines(lines: TaskLogResult): TaskLogResult {
  return lines.length === 1 && lines[0]!.t === 'no content' ? [] : lines;
}

function transient(e: unknown): e is Error {
  if (e instanceof ProxmoxConnectionError) return true;
  return e instanceof ProxmoxApiError && (e.status >= 500 || e.status === 0);
}

export class TasksApi {
  constructor(private readonly t: Transport) {}

  private base(node: string, upid: string): string {
    return `/nodes/${Transport.segment(node)}/tasks/${Transport.segment(upid)}`;
  }

  list(node: string, params: TasksListParams = {}, opts?: CallOptions): Promise<TasksListResult> {
    return this.t.request('GET', `/nodes/${Transport.segment(node)}/tasks`, params, opts);
  }

  status(node: string, upid: string, opts?: CallOptions): Promise<TaskStatus> {
    return this.t.request('GET', `${this.base(node, upid)}/status`, undefined, opts);
  }

  log(
    node: string,
    upid: string,
    params: { start?: number; limit?: number } = {},
    opts?: CallOptions,
  ): Promise<TaskLogResult> {
    return this.t.request('GET', `${this.base(node, upid)}/log`, params, opts);
  }

  /** The last `lines` lines of the task log. */
  async logTail(node: string, upid: string, lines = 20, opts?: CallOptions): Promise<string[]> {
    const all = realLines(await this.log(node, upid, { start: 0, limit: 100_000 }, opts));
    return all
      .slice()
      .sort((a, b) => a.n - b.n)
      .slice(-lines)
      .map((l) => l.t);
  }

  /**
   * Poll a task until it stops. Resolves with the final status when `exitstatus` is `OK` (or
   * `WARNINGS: n`); throws ProxmoxTaskError with the log tail otherwise, ProxmoxTimeoutError when
   * `timeoutMs` passes (the task may still be running). The node is always explicit; a UPID naming
   * another node is refused. Transient failures (node offline, 5xx, connection errors) do not end
   * the wait: polling continues until the deadline.
   */
  async wait(node: string, upid: string, opts: WaitOptions = {}): Promise<TaskResult> {
    const parsed = parseUpid(upid);
    if (parsed.node !== node) {
      throw new TypeError(`task ${upid} belongs to node ${parsed.node}, not ${node}`);
    }
    const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
    const maxPoll = opts.maxPollMs ?? 2_000;
    let delay = Math.min(opts.pollMs ?? 100, maxPoll);
    const started = Date.now();
    let logPos = 0;
    let lastError: Error | undefined;
    for (;;) {
      let status: TaskStatus | undefined;
      let newLogLines: string[] = [];
      const remaining = timeoutMs - (Date.now() - started);
      try {
        status = await this.status(node, upid, {
          signal: opts.signal,
          retries: 0,
          timeoutMs: Math.max(1, Math.min(remaining, 30_000)),
        });
        lastError = undefined;
        if (opts.followLog) {
          const lines = realLines(
            await this.log(node, upid, { start: logPos, limit: 500 }, { signal: opts.signal, retries: 0 }),
          ).filter((l) => l.n > logPos);
          newLogLines = lines.map((l) => l.t);
          for (const l of lines) logPos = Math.max(logPos, l.n);
        }
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (!transient(e) && !(e instanceof ProxmoxTimeoutError)) throw e;
        lastError = e as Error;
      }
      const elapsedMs = Date.now() - started;
      opts.onProgress?.({ node, upid, status, elapsedMs, newLogLines, lastError });
      if (status?.status === 'stopped') {
        const exit = status.exitstatus ?? '';
        const warn = /^WARNINGS: (\d+)$/.exec(exit);
        if (exit === 'OK' || warn) return { ...status, warnings: warn ? Number(warn[1]) : 0 };
        let logTail: string[] = [];
        try {
          logTail = await this.logTail(node, upid, opts.logTailLines ?? 20, { signal: opts.signal });
        } catch {
          logTail = ['(task log could not be read)'];
        }
        throw new ProxmoxTaskError({ node, upid, exitstatus: exit || '(no exit status)', logTail });
      }
      if (elapsedMs >= timeoutMs) {
        throw new ProxmoxTimeoutError(
          `Proxmox task ${upid} on node ${node} did not finish within ${timeoutMs} ms; it may still be running ` +
            `(check GET /nodes/${node}/tasks/<upid>/status)` +
            (lastError ? `; last poll failed: ${lastError.message}` : ''),
          { timeoutMs, upid, node },
        );
      }
      await sleep(Math.min(delay, timeoutMs - elapsedMs), opts.signal);
      delay = Math.min(maxPoll, Math.round(delay * 1.5));
    }
  }
}
