// @ts-check
/**
 * The runner's state: function code by content hash (written under `dir/code/<sha256>/`), the
 * runtimes this host has, and the warm pool (idle workers per function version + config key).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { GoBuilder, goToolchain } from './gobuild.mjs';
import { bwrapAvailable, cgroupsRemoved, limitsMode, seccompMode, sweepStaleCgroups } from './sandbox.mjs';
import { Worker } from './worker.mjs';

function versionOf(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : null;
}

/** The runtimes on this host. Node: the runner's own binary; Python: /usr/bin/python3; Go: `go`. */
export function detectRuntimes() {
  const node = process.execPath;
  const nodeUnderUsr = node.startsWith('/usr/');
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : null;
  const go = goToolchain();
  return {
    nodejs: {
      available: true,
      version: process.versions.node,
      command: (memoryMb) => [
        node,
        `--max-old-space-size=${Math.max(16, Math.floor(memoryMb * 0.75))}`,
        '/var/runtime/node.cjs',
      ],
      extraRoBinds: nodeUnderUsr ? [] : [dirname(dirname(node))],
    },
    python3: {
      available: python !== null,
      version: python ? (versionOf(python, ['--version']) ?? '').replace(/^Python /, '') : null,
      command: () => [python ?? 'python3', '-u', '-I', '/var/runtime/python.py'],
      extraRoBinds: [],
    },
    go: {
      available: go !== null,
      version: go?.version ?? null,
      ...(go ? {} : { reason: 'No Go toolchain on the runner (install the Debian package golang-go)' }),
      toolchain: go,
      // per function: its built binary, bound read-only at /var/build (see goRuntime)
      command: () => [],
      extraRoBinds: [],
    },
  };
}

/** How a built Go function runs: its binary (the memory limit as argument for the GC). */
function goRuntime(binDir) {
  return {
    command: (memoryMb) => ['/var/build/bootstrap', String(memoryMb)],
    extraRoBinds: [],
    binds: [{ src: binDir, dest: '/var/build' }],
  };
}

/** A relative path inside the code dir, or null (absolute, `..`, empty). */
export function safeRelative(p) {
  if (typeof p !== 'string' || p.length === 0 || p.length > 512 || p.includes('\0')) return null;
  const n = normalize(p).replace(/^\.\/+/, '');
  if (n.startsWith('/') || n === '..' || n.startsWith('../') || n.includes('/../')) return null;
  return n;
}

export class Pool {
  /** @param {{ dir: string, maxWorkers: number, pids: number, tmpMb: number, uidBase: number, spares?: number, maxStarts?: number, goBuildMb?: number, goBuildSeconds?: number }} opts */
  constructor(opts) {
    this.opts = opts;
    this.runtimes = detectRuntimes();
    this.bwrap = bwrapAvailable();
    this.limits = limitsMode().mode;
    this.seccomp = this.bwrap ? seccompMode() : { enabled: false, reason: 'no bwrap' };
    const toolchain = this.runtimes.go.toolchain;
    /** Go functions are built once per code hash + handler (in a sandbox) and cached. */
    this.go = toolchain
      ? new GoBuilder({
          dir: opts.dir,
          uid: opts.uidBase + 1000, // outside the range of the function sandboxes' uids
          toolchain,
          memoryMb: opts.goBuildMb,
          timeoutMs: opts.goBuildSeconds ? opts.goBuildSeconds * 1000 : undefined,
        })
      : null;
    /** @type {Map<string, Worker[]>} */
    this.idle = new Map();
    /** @type {Set<Worker>} */
    this.all = new Set();
    /** @type {Map<string, { waiters: ((got: any) => void)[], starting: number, busy: number }>} */
    this.queues = new Map();
    /** Pre-booted sandboxes (runtime started, no code yet) per runtime/memory/network. */
    /** @type {Map<string, Worker[]>} */
    this.spares = new Map();
    this.slotCounter = 0;
    mkdirSync(join(opts.dir, 'code'), { recursive: true, mode: 0o711 });
    mkdirSync(join(opts.dir, 'slots'), { recursive: true, mode: 0o711 });
    /** Stale sandbox cgroups of runners that are gone, removed at start (how many). */
    this.swept = sweepStaleCgroups();
  }

  /**
   * Spares make a cold start cheap: the sandbox and the runtime are already up, waiting for
   * `init`; claiming one copies the code into its (live-bound, read-only inside) slot dir and
   * loads the handler. One spare is kept per runtime/memory/network seen recently.
   */
  spareKey(req) {
    return `${req.runtime}:${req.memoryMb}:${req.network ? 1 : 0}`;
  }

  newWorker(req, codeDir, runtime = this.runtimes[req.runtime]) {
    return new Worker({
      key: req.key,
      runtime,
      codeDir,
      handler: req.handler,
      memoryMb: req.memoryMb,
      network: !!req.network,
      env: req.env ?? {},
      pids: this.opts.pids,
      tmpMb: this.opts.tmpMb,
      uidBase: this.opts.uidBase,
    });
  }

  claimSpare(req) {
    if (req.runtime === 'go') return null; // the runtime is the function's own binary
    const list = this.spares.get(this.spareKey(req)) ?? [];
    while (list.length) {
      const w = /** @type {Worker} */ (list.shift());
      if (!w.dead && w.booted) return w;
      this.discard(w);
    }
    return null;
  }

  topUpSpares(req) {
    const max = this.opts.spares ?? 1;
    if (max <= 0 || req.runtime === 'go') return; // a Go binary starts in about a millisecond
    const sk = this.spareKey(req);
    const list = this.spares.get(sk) ?? [];
    this.spares.delete(sk);
    this.spares.set(sk, list); // most recently used last
    while (this.spares.size > 4) {
      const [oldest, olds] = /** @type {[string, Worker[]]} */ (this.spares.entries().next().value);
      for (const w of [...olds]) this.discard(w);
      this.spares.delete(oldest);
    }
    if (list.length >= max || this.all.size >= this.opts.maxWorkers) return;
    const slot = join(this.opts.dir, 'slots', `slot-${process.pid}-${++this.slotCounter}`);
    mkdirSync(slot, { mode: 0o755 });
    const w = this.newWorker({ ...req, key: '' }, slot);
    w.slot = slot;
    w.booted = false;
    list.push(w);
    this.all.add(w);
    w.boot().then(
      () => {
        w.booted = true;
      },
      () => this.discard(w),
    );
  }

  discard(w) {
    w.kill();
    this.all.delete(w);
    if (w.slot) rmSync(w.slot, { recursive: true, force: true });
    for (const list of this.spares.values()) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
    }
  }

  codeDir(sha) {
    return join(this.opts.dir, 'code', sha);
  }

  hasCode(sha) {
    return /^[a-f0-9]{64}$/.test(sha) && existsSync(this.codeDir(sha));
  }

  /** Store code (files: path → base64). The hash is over the canonical file list. */
  putCode(sha, files) {
    if (!/^[a-f0-9]{64}$/.test(sha)) throw new Error('bad sha');
    if (this.hasCode(sha)) return;
    const tmp = `${this.codeDir(sha)}.tmp-${process.pid}-${Date.now()}`;
    mkdirSync(tmp, { recursive: true, mode: 0o755 });
    const h = createHash('sha256');
    for (const path of Object.keys(files).sort()) {
      const rel = safeRelative(path);
      if (!rel) throw new Error(`unsafe path ${path}`);
      const data = Buffer.from(files[path], 'base64');
      h.update(`${rel}\0${data.length}\0`).update(data);
      const target = join(tmp, rel);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, data, { mode: 0o644 });
    }
    if (h.digest('hex') !== sha) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error('code hash mismatch');
    }
    renameSync(tmp, this.codeDir(sha));
  }

  status() {
    const runtimes = Object.fromEntries(
      Object.entries(this.runtimes).map(([k, r]) => [
        k,
        {
          available: r.available && this.bwrap,
          version: r.version,
          ...('reason' in r ? { reason: r.reason } : {}),
        },
      ]),
    );
    let idle = 0;
    for (const list of this.idle.values()) idle += list.length;
    let spares = 0;
    for (const list of this.spares.values()) spares += list.length;
    return {
      bwrap: this.bwrap,
      limits: this.limits,
      seccomp: this.seccomp.enabled,
      runtimes,
      workers: this.all.size,
      idle,
      spares,
    };
  }

  /**
   * Run one invocation on an idle worker of the same key, or on the first one that becomes
   * available. Requests that find no idle worker queue per key and start sandboxes (cold starts)
   * for the queue, at most `maxStarts` at once per key: a burst of N requests does not start N
   * sandboxes in parallel (a cold-start storm that starves the CPU) when a warm worker frees up
   * sooner; while requests keep waiting, more sandboxes start, up to the demand.
   * @param {any} req
   */
  async invoke(req) {
    const rt = this.runtimes[req.runtime];
    if (!rt?.available)
      return {
        status: 'error',
        error: {
          type: 'Runtime.Unavailable',
          message: `Runtime ${req.runtime} is not available on this runner`,
          stack: [],
        },
        logs: '',
        logsTruncated: false,
        cold: false,
      };
    const started = performance.now();
    const got = await this.acquire(req);
    if ('outcome' in got) return { ...got.outcome, initMs: Math.round(performance.now() - started) };
    const { worker, cold, initMs } = got;
    // a cold start counts from the request (it includes the start); a warm one from getting the
    // sandbox (time queued behind other invocations is not the function's duration)
    const from = cold ? started : performance.now();
    // After a cold start the spare is refilled as soon as the invocation ends (so the boot does
    // not compete with a short invocation for the CPU), or after 100 ms for a longer one: the next
    // cold start of any function with this runtime/memory/network lands on a spare.
    const refill = cold ? setTimeout(() => this.topUpSpares(req), 100) : undefined;
    const out = await worker.invoke(req.invocationId, req.payload, req.context ?? {}, req.timeoutMs);
    const durationMs = Math.round((performance.now() - from) * 100) / 100;
    if (refill) {
      clearTimeout(refill);
      setImmediate(() => this.topUpSpares(req));
    }
    this.release(worker, req);
    return { ...out, cold, initMs, durationMs };
  }

  /** The per-key queue of requests waiting for a worker, and how many sandboxes start for it. */
  demand(key) {
    let d = this.queues.get(key);
    if (!d) {
      d = { waiters: [], starting: 0, busy: 0 };
      this.queues.set(key, d);
    }
    return d;
  }

  /**
   * A worker for `req`: an idle one (warm), else a place in the key's queue.
   * @returns {Promise<{ worker: Worker, cold: boolean, initMs: number } | { outcome: any }>}
   */
  acquire(req) {
    const d = this.demand(req.key);
    const list = this.idle.get(req.key) ?? [];
    while (list.length) {
      const w = /** @type {Worker} */ (list.pop());
      if (w.dead) {
        this.all.delete(w);
        continue;
      }
      clearTimeout(w.idleTimer);
      d.busy++;
      return Promise.resolve({ worker: w, cold: false, initMs: 0 });
    }
    if (!list.length) this.idle.delete(req.key);
    return new Promise((resolve) => {
      d.waiters.push(resolve);
      this.scale(req);
    });
  }

  /** Start sandboxes for the waiting requests of `req.key` (at most `maxStarts` at once). */
  scale(req) {
    const d = this.demand(req.key);
    const maxStarts = this.opts.maxStarts ?? 2;
    while (d.waiters.length > d.starting && d.starting < maxStarts) {
      if (this.all.size >= this.opts.maxWorkers) this.evictOldest();
      if (this.all.size >= this.opts.maxWorkers) {
        // Full: requests wait for a worker of their own key if one is running or starting.
        if (d.busy + d.starting > 0) return;
        const waiter = d.waiters.shift();
        waiter({
          outcome: {
            status: 'throttled',
            error: { type: 'Runner.Busy', message: 'The runner is at its sandbox limit', stack: [] },
            logs: '',
            logsTruncated: false,
            cold: false,
          },
        });
        continue;
      }
      d.starting++;
      void this.startWorker(req).then(
        ({ worker, initMs }) => {
          d.starting--;
          d.busy++;
          this.handOff(worker, req, true, initMs);
        },
        ({ worker, error }) => {
          d.starting--;
          this.discard(worker);
          const waiter = d.waiters.shift();
          waiter?.({
            outcome: {
              status: 'error',
              error: error.fnError ?? { type: 'Runtime.InitError', message: error.message, stack: [] },
              logs: worker.logs.text,
              logsTruncated: false,
              cold: true,
            },
          });
          this.scale(req);
          this.forget(req.key);
        },
      );
    }
  }

  /**
   * Build a Go function (once per code and handler; cached): `{ok, output, durationMs, cached}`.
   * @param {{ codeSha: string, handler: string }} req
   */
  async build(req) {
    if (!this.go)
      return { ok: false, output: 'No Go toolchain on this runner', durationMs: 0, cached: false };
    const { binDir: _, ...out } = await this.go.build(this.codeDir(req.codeSha), req.codeSha, req.handler);
    return out;
  }

  /** A new sandbox with the function loaded: a pre-booted spare if one is ready, else from scratch. */
  async startWorker(req) {
    if (req.runtime === 'go' && this.go) {
      const b = await this.go.build(this.codeDir(req.codeSha), req.codeSha, req.handler);
      if (!b.ok || !b.binDir) {
        const error = Object.assign(new Error('The Go code does not build'), {
          fnError: { type: 'Runtime.BuildError', message: b.output, stack: [] },
        });
        throw { worker: this.newWorker(req, this.codeDir(req.codeSha)), error };
      }
      const worker = this.newWorker(req, this.codeDir(req.codeSha), goRuntime(b.binDir));
      this.all.add(worker);
      try {
        return { worker, initMs: await worker.start() };
      } catch (error) {
        throw { worker, error };
      }
    }
    const spare = this.claimSpare(req);
    let worker;
    if (spare) {
      cpSync(this.codeDir(req.codeSha), /** @type {string} */ (spare.slot), { recursive: true });
      spare.key = req.key;
      worker = spare;
    } else worker = this.newWorker(req, this.codeDir(req.codeSha));
    this.all.add(worker);
    try {
      const initMs = spare ? await worker.init(req.handler, req.env ?? {}) : await worker.start();
      return { worker, initMs };
    } catch (error) {
      throw { worker, error };
    }
  }

  /** A worker is free (`busy` counted): the next waiting request gets it, else it idles. */
  handOff(worker, req, cold, initMs) {
    const d = this.demand(req.key);
    const waiter = d.waiters.shift();
    if (waiter) return waiter({ worker, cold, initMs });
    d.busy--;
    const list = this.idle.get(req.key) ?? [];
    list.push(worker);
    this.idle.set(req.key, list);
    this.scheduleIdle(worker, req.idleMs ?? 300_000);
    this.forget(req.key);
  }

  release(worker, req) {
    if (!worker.dead) return this.handOff(worker, req, false, 0);
    const d = this.demand(req.key);
    d.busy--;
    this.discard(worker);
    this.scale(req); // the waiting requests need another sandbox
    this.forget(req.key);
  }

  /** Drop the queue record of a key nobody waits on and nothing runs for. */
  forget(key) {
    const d = this.queues.get(key);
    if (d && !d.waiters.length && !d.starting && !d.busy) this.queues.delete(key);
  }

  scheduleIdle(worker, idleMs) {
    clearTimeout(worker.idleTimer);
    worker.idleTimer = setTimeout(() => {
      if (worker.busy) return;
      this.drop(worker);
    }, idleMs);
    worker.idleTimer.unref?.();
  }

  drop(worker) {
    clearTimeout(worker.idleTimer);
    this.discard(worker);
    const list = this.idle.get(worker.key);
    if (list) {
      const i = list.indexOf(worker);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.idle.delete(worker.key);
    }
  }

  evictOldest() {
    let oldest;
    for (const list of this.idle.values())
      for (const w of list) if (!oldest || w.lastUsed < oldest.lastUsed) oldest = w;
    if (oldest) this.drop(oldest);
  }

  /**
   * Drop the warm workers whose key starts with `prefix` (a function was updated or deleted);
   * `spares`: the pre-booted sandboxes too (benchmarks: a cold start from scratch).
   */
  evict(prefix, spares = false) {
    for (const [key, list] of [...this.idle])
      if (key.startsWith(prefix)) for (const w of [...list]) this.drop(w);
    if (spares) for (const list of [...this.spares.values()]) for (const w of [...list]) this.discard(w);
    return true;
  }

  /** Kill every sandbox; resolves when their cgroup dirs are removed (at most `ms`). */
  async close(ms = 2000) {
    for (const w of [...this.all]) this.discard(w);
    await cgroupsRemoved(ms);
  }
}
