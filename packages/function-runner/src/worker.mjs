// @ts-check
/**
 * A warm worker: one sandbox running one function version's bootstrap, reused for sequential
 * invocations (one at a time) until it has been idle for `idleMs`, crashes, times out or runs out
 * of memory (those kill it; the next invocation starts a fresh one: a cold start).
 */
import { destroyCgroups, oomKilled, sandboxId, startSandbox } from './sandbox.mjs';

export const LOG_CAP = 64 * 1024;
export const RESULT_CAP = 6 * 1024 * 1024;

let uidCounter = 0;

/** Line splitter over a stream. */
function lines(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  return () => {
    const rest = buf;
    buf = '';
    return rest;
  };
}

export class Worker {
  /**
   * @param {{ key: string, runtime: { command: (memoryMb: number) => string[], extraRoBinds?: string[], binds?: { src: string, dest: string }[] }, codeDir: string,
   *   handler: string, memoryMb: number, network: boolean, env: Record<string,string>, pids: number, tmpMb: number,
   *   uidBase: number }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.key = opts.key;
    this.busy = false;
    this.dead = false;
    this.lastUsed = Date.now();
    /** @type {((msg: any) => void) | null} */
    this.onMessage = null;
    /** @type {((info: { code: number | null, signal: string | null }) => void) | null} */
    this.onExit = null;
    this.logs = { text: '', truncated: false, markers: 0 };
    this.stderrTail = '';
  }

  /**
   * Start the sandbox and load the handler; resolves with the init duration. `init` is written
   * right after the spawn, without waiting for `booted` (one round trip less: the pipe holds it
   * until the bootstrap reads stdin).
   */
  start() {
    this.spawn();
    return this.init(this.opts.handler, this.opts.env);
  }

  /**
   * Start the sandbox and its runtime up to the point where it waits for `init` (a spare: the code
   * dir may still be empty; it is bound live, so files copied in later are visible).
   */
  boot() {
    this.spawn();
    return new Promise((resolve, reject) => {
      this.onMessage = (msg) => {
        if (msg.type === 'booted') resolve(undefined);
      };
      this.onExit = () =>
        reject(
          Object.assign(new Error(`Runtime exited during start: ${this.stderrTail.trim().slice(-500)}`), {
            fnError: { type: 'Runtime.ExitError', message: this.stderrTail.trim().slice(-2000), stack: [] },
          }),
        );
    });
  }

  /** Start the sandbox process (its stdio wired to this worker). */
  spawn() {
    const o = this.opts;
    const id = sandboxId();
    const { child, cgroups } = startSandbox({
      id,
      codeDir: o.codeDir,
      command: o.runtime.command(o.memoryMb),
      extraRoBinds: o.runtime.extraRoBinds,
      binds: o.runtime.binds,
      memoryMb: o.memoryMb,
      network: o.network,
      pids: o.pids,
      tmpMb: o.tmpMb,
      uid: o.uidBase + (uidCounter++ % 1000),
    });
    this.child = child;
    this.cgroups = cgroups;
    const onLog = (stream) => (line) => {
      if (line.startsWith('\x1e')) {
        this.logs.markers++;
        this.maybeDone?.();
        return;
      }
      if (stream === 'stderr') this.stderrTail = (this.stderrTail + line + '\n').slice(-4096);
      this.appendLog(line + '\n');
    };
    this.flushOut = lines(/** @type {any} */ (child.stdout), onLog('stdout'));
    this.flushErr = lines(/** @type {any} */ (child.stderr), onLog('stderr'));
    lines(/** @type {any} */ (child.stdio[3]), (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      this.onMessage?.(msg);
    });
    child.stdin?.on('error', () => {});
    child.on('exit', (code, signal) => {
      this.dead = true;
      this.exitInfo = { code, signal, oom: oomKilled(this.cgroups ?? []) };
      destroyCgroups(this.cgroups ?? []);
      this.onExit?.({ code, signal });
    });
  }

  /** Load the handler with its environment; resolves with the init duration (ms). */
  init(handler, env) {
    return new Promise((resolve, reject) => {
      this.onMessage = (msg) => {
        if (msg.type === 'ready') resolve(msg.initMs);
        else if (msg.type === 'initError')
          reject(Object.assign(new Error(msg.error.message), { fnError: msg.error }));
      };
      this.onExit = () =>
        reject(
          Object.assign(new Error(`Runtime exited during init: ${this.stderrTail.trim().slice(-500)}`), {
            fnError: { type: 'Runtime.ExitError', message: this.stderrTail.trim().slice(-2000), stack: [] },
          }),
        );
      if (this.dead) this.onExit();
      else this.send({ type: 'init', handler, env });
    });
  }

  appendLog(s) {
    if (this.logs.truncated) return;
    if (this.logs.text.length + s.length > LOG_CAP) {
      this.logs.text += s.slice(0, LOG_CAP - this.logs.text.length);
      this.logs.truncated = true;
    } else this.logs.text += s;
  }

  send(msg) {
    this.child?.stdin?.write(`${JSON.stringify(msg)}\n`);
  }

  /**
   * Run one invocation. Never rejects: the outcome is a status.
   * @returns {Promise<{status: string, result?: unknown, error?: any, logs: string, logsTruncated: boolean, memoryUsedMb: number | null}>}
   */
  invoke(id, payload, context, timeoutMs) {
    this.busy = true;
    this.logs = { text: '', truncated: false, markers: 0 };
    return new Promise((resolve) => {
      let reply = null;
      let settled = false;
      const done = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.busy = false;
        this.lastUsed = Date.now();
        this.maybeDone = null;
        resolve({ ...outcome, logs: this.logs.text, logsTruncated: this.logs.truncated });
      };
      const memoryUsedMb = (kb) => (typeof kb === 'number' ? Math.round((kb / 1024) * 10) / 10 : null);
      this.maybeDone = () => {
        if (!reply || this.logs.markers < 2) return;
        // the runtime exits after this reply (a panic, an uncaught exception): not reused
        if (reply.exit) this.kill();
        if (reply.oom) {
          this.kill();
          return done({
            status: 'out-of-memory',
            error: reply.error,
            memoryUsedMb: memoryUsedMb(reply.maxRssKb),
          });
        }
        const size = JSON.stringify(reply.result ?? null).length;
        if (reply.ok && size > RESULT_CAP)
          return done({
            status: 'error',
            error: {
              type: 'ResultTooLarge',
              message: `The result is ${size} bytes (max ${RESULT_CAP})`,
              stack: [],
            },
            memoryUsedMb: memoryUsedMb(reply.maxRssKb),
          });
        done({
          status: reply.ok ? 'success' : 'error',
          ...(reply.ok ? { result: reply.result } : { error: reply.error }),
          memoryUsedMb: memoryUsedMb(reply.maxRssKb),
        });
      };
      this.onMessage = (msg) => {
        if (msg.type === 'result' && msg.id === id) {
          reply = msg;
          this.maybeDone?.();
        }
      };
      this.onExit = () => {
        // Give the pipes a moment to deliver what the runtime wrote before dying.
        setImmediate(() => {
          const tail = (this.flushErr?.() ?? '') + (this.flushOut?.() ?? '');
          if (tail) this.appendLog(tail);
          const heap =
            /heap out of memory|MemoryError|Cannot allocate memory|fatal error: runtime: out of memory/.test(
              this.stderrTail + tail,
            );
          if (this.exitInfo?.oom || heap)
            return done({
              status: 'out-of-memory',
              error: {
                type: 'Runtime.OutOfMemory',
                message: `Exceeded the memory limit (${this.opts.memoryMb} MiB)`,
                stack: [],
              },
              memoryUsedMb: this.opts.memoryMb,
            });
          if (reply) return this.maybeDone?.() ?? undefined;
          done({
            status: 'error',
            error: {
              type: 'Runtime.ExitError',
              message: `The runtime exited (code ${this.exitInfo?.code ?? 'none'}, signal ${this.exitInfo?.signal ?? 'none'})`,
              stack: [],
            },
            memoryUsedMb: null,
          });
        });
      };
      const timer = setTimeout(() => {
        this.kill();
        done({
          status: 'timeout',
          error: {
            type: 'Runtime.Timeout',
            message: `Task timed out after ${timeoutMs / 1000} seconds`,
            stack: [],
          },
          memoryUsedMb: null,
        });
      }, timeoutMs);
      this.send({ type: 'invoke', id, payload, context: { ...context, timeoutMs } });
    });
  }

  kill() {
    if (!this.child || this.dead) return;
    this.dead = true;
    try {
      process.kill(-(/** @type {number} */ (this.child.pid)), 'SIGKILL');
    } catch {}
    destroyCgroups(this.cgroups ?? []);
  }
}
