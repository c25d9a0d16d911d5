// @ts-check
/**
 * The Go runtime: a function is a `package main` (stdlib only) with a handler function named by
 * `handler` (`Handler`); the runner compiles it once per code hash + handler together with a
 * generated bootstrap (bootstrap/go.go.tmpl, which provides main()) and caches the binary under
 * `<runner dir>/go/bin/<key>/bootstrap`; every sandbox of that function runs the binary.
 *
 * The build runs in a bubblewrap sandbox like a function (no network, seccomp, cgroup limits,
 * an unprivileged uid) with a time limit: the source read-only at /var/task, the output dir and the
 * runner's GOCACHE writable, GOPROXY=off, CGO_ENABLED=0, GOFLAGS=-mod=vendor when the code ships a
 * vendor/ dir (else nothing can be downloaded: a missing module is a build error). Debian's
 * toolchain ships the standard library precompiled, so a first build takes about a second.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BOOTSTRAP_DIR, destroyCgroups, oomKilled, sandboxId, startSandbox } from './sandbox.mjs';

const OUTPUT_CAP = 64 * 1024;
const TEMPLATE = join(BOOTSTRAP_DIR, 'go.go.tmpl');
/** The generated file's name: sorts before the function's own files (its first variable runs first). */
export const GO_BOOTSTRAP_FILE = '0000_proxicloud_bootstrap.go';

/** @returns {{ go: string, version: string } | null} Debian's (or any) `go` on PATH under /usr. */
export function goToolchain() {
  const r = spawnSync('go', ['env', 'GOVERSION', 'GOROOT'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', GOENV: 'off', GOTOOLCHAIN: 'local' },
  });
  if (r.status !== 0) return null;
  const [version, goroot] = r.stdout.trim().split('\n');
  if (!version || !goroot) return null;
  const go = realpathSync(join(goroot, 'bin', 'go'));
  return { go, version: version.replace(/^go/, '') };
}

/** `Handler` or `main.Handler` → the Go identifier, else null. */
export function goHandlerName(handler) {
  const m = /^(?:main\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(String(handler ?? ''));
  return m && m[1] !== 'main' && m[1] !== 'init' ? m[1] : null;
}

export class GoBuilder {
  /**
   * @param {{ dir: string, uid: number, memoryMb?: number, timeoutMs?: number, toolchain: { go: string, version: string } }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.root = join(opts.dir, 'go');
    this.cache = join(this.root, 'cache');
    mkdirSync(join(this.root, 'bin'), { recursive: true, mode: 0o711 });
    mkdirSync(join(this.root, 'work'), { recursive: true, mode: 0o711 });
    mkdirSync(this.cache, { recursive: true, mode: 0o700 });
    this.isRoot = process.getuid?.() === 0;
    if (this.isRoot) chownSync(this.cache, opts.uid, opts.uid);
    /** @type {Map<string, Promise<GoBuild>>} builds in progress */
    this.builds = new Map();
  }

  key(codeSha, handler) {
    return createHash('sha256')
      .update(`${codeSha}\0${handler}\0${this.opts.toolchain.version}\0`)
      .update(readFileSync(TEMPLATE))
      .digest('hex')
      .slice(0, 32);
  }

  /** Where the binary of a built function lives (a dir bound read-only into its sandboxes). */
  binDir(codeSha, handler) {
    return join(this.root, 'bin', this.key(codeSha, handler));
  }

  /**
   * Build (or find cached) the binary for `codeDir` (content `codeSha`) with `handler`. Concurrent
   * calls for the same code share one build.
   * @returns {Promise<GoBuild>}
   */
  build(codeDir, codeSha, handler) {
    const name = goHandlerName(handler);
    if (!name)
      return Promise.resolve({
        ok: false,
        output: `The Go handler must be the name of an exported function of package main (like Handler), not '${handler}'`,
        durationMs: 0,
        cached: false,
      });
    const bin = this.binDir(codeSha, handler);
    if (existsSync(join(bin, 'bootstrap')))
      return Promise.resolve({ ok: true, binDir: bin, output: '', durationMs: 0, cached: true });
    const key = this.key(codeSha, handler);
    let p = this.builds.get(key);
    if (!p) {
      p = this.compile(codeDir, name, bin).catch((e) => ({
        ok: false,
        output: `The build could not run: ${/** @type {Error} */ (e).message}`,
        durationMs: 0,
        cached: false,
      }));
      this.builds.set(key, p);
      // a success is found on disk from now on; a failure is not remembered (a build stopped at its
      // time limit on a busy host may pass later; broken code never gets past the deploy anyway)
      const done = () => this.builds.delete(key);
      void p.then(done, done);
    }
    return p;
  }

  /** @returns {Promise<GoBuild>} */
  async compile(codeDir, handlerName, bin) {
    const started = performance.now();
    const work = mkdtempSync(join(this.root, 'work', 'b-'));
    chmodSync(work, 0o755);
    const src = join(work, 'src');
    const out = join(work, 'out');
    try {
      cpSync(codeDir, src, { recursive: true });
      const template = readFileSync(TEMPLATE, 'utf8');
      writeFileSync(join(src, GO_BOOTSTRAP_FILE), template.replaceAll('{{HANDLER}}', handlerName), {
        mode: 0o644,
      });
      if (!existsSync(join(src, 'go.mod')))
        writeFileSync(
          join(src, 'go.mod'),
          `module function\n\ngo ${this.opts.toolchain.version.split('.').slice(0, 2).join('.')}\n`,
          {
            mode: 0o644,
          },
        );
      mkdirSync(out, { mode: 0o755 });
      if (this.isRoot) chownSync(out, this.opts.uid, this.opts.uid);
      const vendored = existsSync(join(src, 'vendor', 'modules.txt'));
      const res = await this.run(src, out, vendored);
      const durationMs = Math.round(performance.now() - started);
      if (!res.ok) return { ok: false, output: res.output, durationMs, cached: false };
      const binary = join(out, 'bootstrap');
      if (this.isRoot) chownSync(binary, 0, 0);
      chmodSync(binary, 0o555);
      if (this.isRoot) chownSync(out, 0, 0);
      chmodSync(out, 0o755);
      try {
        renameSync(out, bin);
      } catch (e) {
        // built at the same time by another runner process sharing the dir: use theirs
        if (!existsSync(join(bin, 'bootstrap'))) throw e;
      }
      return { ok: true, binDir: bin, output: res.output, durationMs, cached: false };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** `go build` in a sandbox; resolves with its combined output (capped). */
  run(src, out, vendored) {
    const memoryMb = this.opts.memoryMb ?? 1024;
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    const { child, cgroups } = startSandbox({
      id: sandboxId(),
      codeDir: src,
      command: [this.opts.toolchain.go, 'build', '-buildvcs=false', '-o', '/var/out/bootstrap', '.'],
      memoryMb,
      network: false,
      pids: 512,
      tmpMb: 1024,
      uid: this.opts.uid,
      binds: [
        { src: out, dest: '/var/out', rw: true },
        { src: this.cache, dest: '/var/cache/go', rw: true },
      ],
      env: {
        GOCACHE: '/var/cache/go',
        GOPATH: '/tmp/go',
        GOPROXY: 'off',
        GOSUMDB: 'off',
        GOFLAGS: vendored ? '-mod=vendor' : '',
        GOENV: 'off',
        GOWORK: 'off',
        GOTOOLCHAIN: 'local',
        GOTELEMETRY: 'off',
        CGO_ENABLED: '0',
      },
    });
    child.stdin?.end();
    return new Promise((resolve) => {
      let output = '';
      const add = (/** @type {Buffer} */ d) => {
        if (output.length < OUTPUT_CAP) output += d.toString('utf8').slice(0, OUTPUT_CAP - output.length);
      };
      child.stdout?.on('data', add);
      child.stderr?.on('data', add);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
        } catch {}
      }, timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        const oom = oomKilled(cgroups);
        void destroyCgroups(cgroups);
        // the sandbox's own paths mean nothing to the user: ./handler.go:3:1 rather than /var/task/…
        output = output.replaceAll('/var/task/', './').replaceAll('# function\n', '');
        if (timedOut) output += `\nThe build was stopped after ${timeoutMs / 1000} s (the limit).`;
        else if (oom) output += `\nThe build ran out of memory (${memoryMb} MiB).`;
        resolve({ ok: code === 0 && !timedOut && existsSync(join(out, 'bootstrap')), output: output.trim() });
      });
    });
  }
}

/**
 * @typedef {{ ok: boolean, binDir?: string, output: string, durationMs: number, cached: boolean }} GoBuild
 */
