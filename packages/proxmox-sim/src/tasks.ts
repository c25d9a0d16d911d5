/**
 * Asynchronous PVE tasks ("workers"): UPIDs in PVE's exact format, a log of `{n, t}` lines ending
 * with "TASK OK" / "TASK ERROR: …", realistic configurable durations, and failure injection.
 * A task's `work` runs when its time is up; if it throws (or a failTask fault matches, or its node
 * goes offline) the task ends with `exitstatus` = the error text and `onFail` undoes its effects.
 */
import type { Faults } from './faults.ts';
import type { Task, World } from './state.ts';

/** Realistic defaults (ms) per task type; anything not listed takes 500 ms. */
export const DEFAULT_TASK_MS: Record<string, number> = {
  qmcreate: 1500,
  vzcreate: 2500,
  qmstart: 800,
  vzstart: 600,
  qmstop: 300,
  vzstop: 300,
  qmshutdown: 1500,
  vzshutdown: 1200,
  qmreboot: 2000,
  vzreboot: 1800,
  qmdestroy: 600,
  vzdestroy: 600,
  qmclone: 2000,
  vzclone: 2000,
  qmconfig: 200,
  resize: 300,
  qmsnapshot: 1000,
  vzsnapshot: 800,
  qmdelsnapshot: 800,
  vzdelsnapshot: 600,
  qmrollback: 1000,
  vzrollback: 800,
  qmtemplate: 800,
  vztemplate: 800,
  vzdump: 3000,
  imgdel: 200,
  reloadnetworkall: 1000,
  download: 2000,
};

export class TaskFailure extends Error {}

export interface TaskContext {
  log(line: string): void;
  task: Task;
}

export interface StartTaskOptions {
  node: string;
  type: string;
  /** the task id field (usually the vmid, '' for none) */
  id: string;
  user: string;
  /** ms; defaults to the configured duration of `type` */
  durationMs?: number;
  /** lines logged right away */
  startLog?: string[];
  /** applied when the task finishes; throw to fail the task */
  work?: (ctx: TaskContext) => void;
  /** undo after a failure (runs after work threw, or instead of it) */
  onFail?: (message: string) => void;
  /** always runs at the end (e.g. to clear a guest lock) */
  finally?: () => void;
  /** a task that ends only when `finishTask` is called (consoles) */
  manual?: boolean;
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

export function formatUpid(
  t: Pick<Task, 'node' | 'pid' | 'pstart' | 'starttime' | 'type' | 'id' | 'user'>,
): string {
  return `UPID:${t.node}:${hex8(t.pid)}:${hex8(t.pstart)}:${hex8(t.starttime)}:${t.type}:${t.id}:${t.user}:`;
}

export function parseUpid(upid: string): Omit<Task, 'upid' | 'status' | 'log'> | undefined {
  const m =
    /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/.exec(
      upid,
    );
  if (!m) return undefined;
  return {
    node: m[1]!,
    pid: Number.parseInt(m[3]!, 16),
    pstart: Number.parseInt(m[4]!, 16),
    starttime: Number.parseInt(m[5]!, 16),
    type: m[6]!,
    id: m[7]!,
    user: m[8]!,
  };
}

interface Pending {
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  opts: StartTaskOptions;
  failWith?: string;
}

export class TaskManager {
  private readonly pending = new Map<string, Pending>();
  private lastStart = 0;

  constructor(
    private readonly world: World,
    private readonly faults: Faults,
    private readonly durations: (type: string) => number,
  ) {}

  start(opts: StartTaskOptions): string {
    const w = this.world;
    const node = w.nodes.get(opts.node)!;
    // PVE's starttime has second resolution; keep UPIDs unique and ordered within a second
    let starttime = Math.floor(Date.now() / 1000);
    if (starttime < this.lastStart) starttime = this.lastStart;
    this.lastStart = starttime;
    const pid = w.nextPid();
    const pstart = Math.floor((Date.now() - node.bootTime) / 10) & 0x7fffffff;
    const base = { node: opts.node, pid, pstart, starttime, type: opts.type, id: opts.id, user: opts.user };
    const task: Task = { ...base, upid: formatUpid(base), status: 'running', log: [] };
    w.addTask(task);
    for (const line of opts.startLog ?? []) this.log(task, line);

    const injected = this.faults.takeTaskFailure(opts.type, opts.id);
    const entry: Pending = { timer: undefined, opts };
    if (injected) entry.failWith = injected.message;
    this.pending.set(task.upid, entry);
    if (opts.manual && !injected) return task.upid;
    const ms = injected?.afterMs ?? opts.durationMs ?? this.durations(opts.type);
    entry.timer =
      ms <= 0 ? setImmediate(() => this.complete(task.upid)) : setTimeout(() => this.complete(task.upid), ms);
    return task.upid;
  }

  log(task: Task, line: string): void {
    task.log.push({ n: task.log.length + 1, t: line });
  }

  isRunning(upid: string): boolean {
    return this.pending.has(upid);
  }

  /** Ends a task now: successfully (running its work) or with the given error. */
  complete(upid: string, error?: string): void {
    const entry = this.pending.get(upid);
    const task = this.world.tasks.get(upid);
    if (!entry || !task) return;
    this.pending.delete(upid);
    if (entry.timer) {
      clearTimeout(entry.timer as NodeJS.Timeout);
      clearImmediate(entry.timer as NodeJS.Immediate);
    }
    const ctx: TaskContext = { log: (l) => this.log(task, l), task };
    let failure = error ?? entry.failWith;
    if (failure === undefined) {
      try {
        entry.opts.work?.(ctx);
      } catch (e) {
        failure = (e as Error).message.replace(/\n$/, '');
      }
    }
    if (failure !== undefined) {
      try {
        entry.opts.onFail?.(failure);
      } catch {
        // cleanup problems do not change the reported failure
      }
      for (const line of failure.split('\n')) if (line) this.log(task, line);
      this.log(task, `TASK ERROR: ${failure}`);
      task.exitstatus = failure;
    } else {
      this.log(task, 'TASK OK');
      task.exitstatus = 'OK';
    }
    entry.opts.finally?.();
    task.status = 'stopped';
    task.endtime = Math.max(task.starttime, Math.floor(Date.now() / 1000));
    this.world.touch();
  }

  /** Fails every running task of a node (node went offline). */
  failNode(node: string, message: string): void {
    for (const [upid, e] of [...this.pending]) if (e.opts.node === node) this.complete(upid, message);
  }

  /** Stops timers (simulator shutdown); running tasks stay "running" in memory. */
  stopAll(): void {
    for (const e of this.pending.values()) {
      if (e.timer) {
        clearTimeout(e.timer as NodeJS.Timeout);
        clearImmediate(e.timer as NodeJS.Immediate);
      }
    }
    this.pending.clear();
  }
}
