// @ts-check
/**
 * One sandbox = one bubblewrap process tree running a runtime bootstrap for one function version.
 *
 * Namespaces: user, mount, PID, IPC, UTS, cgroup and network (`--unshare-all`; `--share-net` only
 * when the function is configured with network). The root file system is the host's /usr (read
 * only, the runtimes live there), the function code read-only at /var/task, the bootstrap at
 * /var/runtime, a private size-capped tmpfs at /tmp, a fresh /proc and a minimal /dev. Nothing else
 * of the host (no /etc, /home, /root, /var, data dirs, other functions' code) exists inside.
 *
 * Limits: cgroup v2 (memory.max, pids.max, cpu.max) when the runner can create and delegate a
 * cgroup, else cgroup v1 (memory, pids, cpu controllers), else `prlimit` only (RLIMIT_NPROC per
 * sandbox uid, RLIMIT_AS) — `limitsMode()` says which one is in force. As root the runner drops to
 * an unprivileged uid per sandbox (setpriv) before bwrap starts; bwrap sets no_new_privs.
 * seccomp: a deny-list filter (seccomp.mjs, generated at start-up) loaded by bwrap before the
 * runtime starts (`--seccomp 4`), where bwrap and the kernel support it (`seccompMode()`);
 * PROXICLOUD_RUNNER_SECCOMP=0 turns it off.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostArch, seccompProgram } from './seccomp.mjs';

export const BOOTSTRAP_DIR = join(dirname(fileURLToPath(import.meta.url)), 'bootstrap');
const CG_NAME = 'proxicloud-fn';
/**
 * Sandbox cgroup names: `sbx-<runner pid>-<random tag of this runner process>-<n>`. The tag keeps a
 * runner whose pid was used before (pids wrap at pid_max, 32768 on many hosts) from colliding with
 * a directory an earlier runner left behind (mkdir EEXIST: its first sandbox failed to start).
 */
const RUN_TAG = randomBytes(4).toString('hex');
let sandboxCounter = 0;

/** A new sandbox id (its cgroup directory name). */
export function sandboxId() {
  return `sbx-${process.pid}-${RUN_TAG}-${++sandboxCounter}`;
}

/** @typedef {'cgroup-v2' | 'cgroup-v1' | 'prlimit'} LimitsMode */

/** @type {{ mode: LimitsMode, v2?: string, v1?: Record<string, string> } | undefined} */
let detected;

function tryMkdir(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

/** Which resource-limit mechanism this runner can use (decided once). */
export function limitsMode() {
  if (detected) return detected;
  const force = process.env.PROXICLOUD_RUNNER_LIMITS;
  const isRoot = process.getuid?.() === 0;
  if (force !== 'prlimit' && isRoot) {
    // cgroup v2 (unified hierarchy mounted at /sys/fs/cgroup with controllers we may delegate)
    const ctl = '/sys/fs/cgroup/cgroup.controllers';
    if (existsSync(ctl) && force !== 'cgroup-v1') {
      const base = join('/sys/fs/cgroup', CG_NAME);
      try {
        if (tryMkdir(base)) {
          writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +pids +cpu');
          detected = { mode: 'cgroup-v2', v2: base };
          return detected;
        }
      } catch {
        /* no delegation: fall through */
      }
    }
    const v1 = {};
    for (const c of ['memory', 'pids', 'cpu']) {
      const root = join('/sys/fs/cgroup', c);
      if (existsSync(join(root, 'cgroup.procs')) && tryMkdir(join(root, CG_NAME)))
        v1[c] = join(root, CG_NAME);
    }
    if (v1.memory && v1.pids) {
      detected = { mode: 'cgroup-v1', v1 };
      return detected;
    }
  }
  detected = { mode: 'prlimit' };
  return detected;
}

/** Whether bwrap is installed and can create namespaces here. */
export function bwrapAvailable() {
  const r = spawnSync('bwrap', ['--unshare-all', ...rootBinds(), '--', '/usr/bin/true'], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** @type {{ enabled: boolean, file?: string, arch?: string, reason?: string } | undefined} */
let seccompDetected;

/**
 * Whether sandboxes get the seccomp filter: the program for this architecture is written to a
 * private file once, and a probe sandbox must start with it (bwrap with --seccomp, a kernel with
 * seccomp filters).
 */
export function seccompMode() {
  if (seccompDetected) return seccompDetected;
  const arch = hostArch();
  if (process.env.PROXICLOUD_RUNNER_SECCOMP === '0')
    seccompDetected = { enabled: false, reason: 'turned off (PROXICLOUD_RUNNER_SECCOMP=0)' };
  else if (!arch) seccompDetected = { enabled: false, reason: `no filter for ${process.arch}` };
  else {
    const dir = mkdtempSync(join(tmpdir(), 'proxicloud-seccomp-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, `${arch}.bpf`);
    writeFileSync(file, seccompProgram(arch), { mode: 0o600 });
    const fd = openSync(file, 'r');
    try {
      const r = spawnSync(
        'bwrap',
        ['--seccomp', '3', '--unshare-all', ...rootBinds(), '--', '/usr/bin/true'],
        {
          stdio: ['ignore', 'ignore', 'pipe', fd],
          encoding: 'utf8',
        },
      );
      seccompDetected =
        r.status === 0
          ? { enabled: true, file, arch }
          : { enabled: false, reason: `bwrap refused the filter: ${(r.stderr ?? '').trim().slice(0, 200)}` };
    } finally {
      closeSync(fd);
    }
  }
  return seccompDetected;
}

/** Host paths that make /usr-merged and split layouts work inside the sandbox. */
function rootBinds() {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const d of ['/bin', '/lib', '/lib64', '/sbin']) {
    if (!existsSync(d)) continue;
    const st = lstatSync(d);
    if (st.isSymbolicLink()) args.push('--symlink', `usr${d}`, d);
    else args.push('--ro-bind', d, d);
  }
  return args;
}

/**
 * @typedef {object} SandboxSpec
 * @property {string} id          unique sandbox id (cgroup name)
 * @property {string} codeDir     host dir bound read-only at /var/task
 * @property {string[]} command   runtime command inside the sandbox
 * @property {number} memoryMb
 * @property {boolean} network
 * @property {number} pids        max processes/threads
 * @property {number} tmpMb       /tmp size cap
 * @property {number} uid         unprivileged uid (used when the runner is root)
 * @property {string[]} [extraRoBinds] host dirs bound read-only at the same path (a runtime outside /usr)
 * @property {boolean} [seccomp]  false: without the seccomp filter (tests, benchmarks); default: when available
 * @property {{ src: string, dest: string, rw?: boolean }[]} [binds] more host dirs (a Go function's binary; a build's dirs)
 * @property {Record<string, string>} [env] more environment variables (not secrets: they are on bwrap's command line)
 */

/** cgroup dirs for one sandbox, created with its limits; [] in prlimit mode. */
function makeCgroups(spec) {
  /** @type {string[]} */
  const made = [];
  try {
    return createCgroups(spec, made);
  } catch (e) {
    void destroyCgroups(made); // none left behind by a start that failed half-way
    throw e;
  }
}

/** @param {string[]} made the dirs created so far (for the caller's clean-up) */
function createCgroups(spec, made) {
  const lim = limitsMode();
  const bytes = spec.memoryMb * 1024 * 1024;
  const cpuShare = Math.max(0.25, Math.min(4, spec.memoryMb / 1769)); // Lambda: 1769 MB = 1 vCPU
  const period = 100000;
  if (lim.mode === 'cgroup-v2' && lim.v2) {
    const dir = join(lim.v2, spec.id);
    mkdirSync(dir);
    made.push(dir);
    writeFileSync(join(dir, 'memory.max'), String(bytes));
    try {
      writeFileSync(join(dir, 'memory.swap.max'), '0');
    } catch {}
    writeFileSync(join(dir, 'pids.max'), String(spec.pids));
    try {
      writeFileSync(join(dir, 'cpu.max'), `${Math.round(cpuShare * period)} ${period}`);
    } catch {}
    return [dir];
  }
  if (lim.mode === 'cgroup-v1' && lim.v1) {
    const dirs = [];
    const mem = join(lim.v1.memory, spec.id);
    mkdirSync(mem);
    made.push(mem);
    writeFileSync(join(mem, 'memory.limit_in_bytes'), String(bytes));
    try {
      writeFileSync(join(mem, 'memory.memsw.limit_in_bytes'), String(bytes));
    } catch {}
    dirs.push(mem);
    const pids = join(lim.v1.pids, spec.id);
    mkdirSync(pids);
    made.push(pids);
    writeFileSync(join(pids, 'pids.max'), String(spec.pids));
    dirs.push(pids);
    if (lim.v1.cpu) {
      const cpu = join(lim.v1.cpu, spec.id);
      try {
        mkdirSync(cpu);
        made.push(cpu);
        writeFileSync(join(cpu, 'cpu.cfs_period_us'), String(period));
        writeFileSync(join(cpu, 'cpu.cfs_quota_us'), String(Math.round(cpuShare * period)));
        dirs.push(cpu);
      } catch {
        // no CPU limit then; not left behind
        try {
          rmdirSync(cpu);
          made.pop();
        } catch {}
      }
    }
    return dirs;
  }
  return [];
}

/** Whether the kernel's OOM killer fired in this sandbox's memory cgroup. */
export function oomKilled(cgroups) {
  for (const dir of cgroups) {
    try {
      if (existsSync(join(dir, 'memory.events'))) {
        const m = /oom_kill (\d+)/.exec(readFileSync(join(dir, 'memory.events'), 'utf8'));
        if (m && Number(m[1]) > 0) return true;
      }
      if (existsSync(join(dir, 'memory.oom_control'))) {
        const m = /oom_kill (\d+)/.exec(readFileSync(join(dir, 'memory.oom_control'), 'utf8'));
        if (m && Number(m[1]) > 0) return true;
        if (Number(readFileSync(join(dir, 'memory.failcnt'), 'utf8')) > 0) return true;
      }
    } catch {}
  }
  return false;
}

/** Removals still waiting for a sandbox's last processes to exit (see `cgroupsRemoved`). */
const removing = new Set();

/** Kill every process in these cgroup dirs (cgroup.kill on v2, SIGKILL per pid otherwise). */
function killCgroups(cgroups) {
  for (const dir of cgroups) {
    try {
      if (existsSync(join(dir, 'cgroup.kill'))) writeFileSync(join(dir, 'cgroup.kill'), '1');
      else
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {}
    } catch {}
  }
}

/**
 * Kill every process left in the sandbox's cgroups and remove the dirs: at once when empty, else
 * retried every 50 ms while the kernel still counts exiting processes (EBUSY), for up to 10 s.
 * Resolves when done (the runner's shutdown waits for it: `cgroupsRemoved`).
 */
export function destroyCgroups(cgroups) {
  killCgroups(cgroups);
  const until = Date.now() + 10_000;
  const done = new Promise((resolve) => {
    const removeLater = (left) => {
      const still = left.filter((dir) => {
        try {
          rmdirSync(dir);
          return false;
        } catch (e) {
          const code = /** @type {NodeJS.ErrnoException} */ (e).code;
          if (code === 'EBUSY') killCgroups([dir]); // a process that was forking when it was killed
          return code === 'EBUSY';
        }
      });
      if (still.length && Date.now() < until) setTimeout(() => removeLater(still), 50).unref();
      else resolve(undefined);
    };
    removeLater(cgroups);
  });
  removing.add(done);
  void done.then(() => removing.delete(done));
  return done;
}

/** Wait (at most `ms`) until the cgroup removals in progress are done. */
export async function cgroupsRemoved(ms = 2000) {
  let timer;
  await Promise.race([
    Promise.all([...removing]),
    new Promise((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** The dirs under which sandbox cgroups are created (none in prlimit mode). */
export function cgroupBases() {
  const lim = limitsMode();
  if (lim.mode === 'cgroup-v2' && lim.v2) return [lim.v2];
  if (lim.mode === 'cgroup-v1' && lim.v1) return Object.values(lim.v1);
  return [];
}

/**
 * Remove the sandbox cgroups that runners which are gone left behind (a runner killed with
 * SIGKILL cannot clean up): every `sbx-<pid>-…` dir whose runner pid no longer exists, or is this
 * process's pid with another tag (an earlier process with our pid). Dirs of runners that are alive
 * (another runner on this host) are left alone. Processes still inside are killed first. Called
 * when the pool starts; returns how many dirs it removed.
 */
export async function sweepStaleCgroups() {
  const stale = [];
  for (const base of cgroupBases()) {
    let names = [];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^sbx-(\d+)-(?:([0-9a-f]{8})-)?\d+$/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      const ours = pid === process.pid && m[2] === RUN_TAG;
      if (ours || (pid !== process.pid && pidAlive(pid))) continue;
      stale.push(join(base, name));
    }
  }
  if (stale.length) await destroyCgroups(stale);
  return stale.filter((d) => !existsSync(d)).length;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code !== 'ESRCH';
  }
}

/**
 * Start a sandbox. stdio: 0 = requests (JSON lines), 1/2 = the function's stdout/stderr,
 * 3 = the bootstrap's answers (JSON lines). Returns the child and its cgroup dirs.
 * @param {SandboxSpec} spec
 */
export function startSandbox(spec) {
  const cgroups = makeCgroups(spec);
  const mode = limitsMode().mode;
  const seccomp = spec.seccomp === false ? { enabled: false } : seccompMode();
  // fd 4 of the sandbox's start-up chain: the filter program, read by bwrap (its own open file
  // description per sandbox, so concurrent starts do not share a file offset)
  const seccompFd = seccomp.enabled && seccomp.file ? openSync(seccomp.file, 'r') : null;
  const bwrap = [
    'bwrap',
    ...(seccompFd !== null ? ['--seccomp', '4'] : []),
    '--unshare-all',
    ...(spec.network ? ['--share-net'] : []),
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
    ...rootBinds(),
    ...(spec.extraRoBinds ?? []).flatMap((d) => ['--ro-bind', d, d]),
    ...(spec.network
      ? ['/etc/resolv.conf', '/etc/hosts', '/etc/ssl', '/etc/ca-certificates', '/etc/nsswitch.conf'].flatMap(
          (p) => ['--ro-bind-try', p, p],
        )
      : []),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(spec.tmpMb * 1024 * 1024),
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    spec.codeDir,
    '/var/task',
    '--ro-bind',
    BOOTSTRAP_DIR,
    '/var/runtime',
    ...(spec.binds ?? []).flatMap((b) => [b.rw ? '--bind' : '--ro-bind', b.src, b.dest]),
    '--remount-ro',
    '/',
    '--chdir',
    '/var/task',
    '--clearenv',
    '--setenv',
    'PATH',
    '/usr/local/bin:/usr/bin:/bin',
    '--setenv',
    'HOME',
    '/tmp',
    '--setenv',
    'TMPDIR',
    '/tmp',
    '--setenv',
    'LANG',
    'C.UTF-8',
    ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--setenv', k, v]),
    '--',
    ...spec.command,
  ];
  const isRoot = process.getuid?.() === 0;
  const drop = isRoot
    ? ['setpriv', `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups', '--inh-caps=-all']
    : [];
  // prlimit always caps core dumps and open files; in prlimit mode also processes (per uid) and
  // address space (memory + headroom for the runtime's reservations).
  const limits = ['prlimit', '--core=0', '--nofile=1024'];
  if (mode === 'prlimit') {
    if (isRoot) limits.push(`--nproc=${spec.pids}`);
    limits.push(`--as=${(spec.memoryMb + 1024) * 1024 * 1024}`);
  }
  limits.push('--');
  // A root shell joins the cgroups first, so everything after it (bwrap, the runtime) is inside.
  const script = 'for d in $PC_CGROUPS; do echo $$ > "$d/cgroup.procs" || exit 97; done; exec "$@"';
  /** @type {import('node:child_process').StdioOptions} */
  const stdio = ['pipe', 'pipe', 'pipe', 'pipe', ...(seccompFd !== null ? [seccompFd] : [])];
  try {
    const child = spawn('/bin/sh', ['-c', script, 'sh', ...limits, ...drop, ...bwrap], {
      stdio,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', PC_CGROUPS: cgroups.join(' ') },
      detached: true,
    });
    return { child, cgroups };
  } finally {
    if (seccompFd !== null) closeSync(seccompFd);
  }
}
