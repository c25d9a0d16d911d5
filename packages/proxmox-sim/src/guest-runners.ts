/**
 * Function runners inside simulated containers: a container whose setup script is ProxiCloud's
 * function-runner script (the line `# proxicloud-function-runner`) runs a REAL runner process
 * after a successful `install` or `update` phase, as systemd would in the container:
 *
 *  - the runner's files are the `pc_runner_file 'PATH' <<'PROXICLOUD_RUNNER_EOF'` blocks of the
 *    pushed setup.sh (base64, what `base64 -d` would write), unpacked into a temporary directory;
 *  - its environment is the pushed app.env (`KEY='value'` lines: the shared secret, the port, the
 *    version), with the listen address moved to 127.0.0.1 and any free port;
 *  - the container's `ip:PROXICLOUD_RUNNER_PORT` reaches it through `guestEndpoint` (guest-apps.ts),
 *    the same endpoint mapping the apps health checks use;
 *  - an `update` restarts it with the new files; stopping or destroying the container stops it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import type { SimContext } from './context.ts';
import type { Guest } from './state.ts';

export const RUNNER_MARKER = '# proxicloud-function-runner';
const ENV_FILE = '/root/.proxicloud/app/app.env';

interface RunnerProc {
  child: ChildProcess;
  dir: string;
  /** the port the container's runner answers on (PROXICLOUD_RUNNER_PORT of app.env) */
  guestPort: number;
  /** the real local port (null until it listens, or after it died) */
  port: number | null;
  /** the runner's stderr tail (diagnostics) */
  stderr: string;
}

const procs = new WeakMap<SimContext, Map<Guest, RunnerProc>>();
const watchers = new WeakMap<SimContext, NodeJS.Timeout>();

function procsOf(sim: SimContext): Map<Guest, RunnerProc> {
  let m = procs.get(sim);
  if (!m) {
    m = new Map();
    procs.set(sim, m);
  }
  return m;
}

/** `KEY='value'` / `KEY=value` lines of an env file (the subset the runner script writes). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) v = v.slice(1, -1).replace(/'\\''/g, "'");
    out[m[1]!] = v;
  }
  return out;
}

/** The runner's files carried by the setup script (relative path → content). */
export function runnerFiles(script: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const re = /^[ \t]*pc_runner_file '([^']+)' <<'PROXICLOUD_RUNNER_EOF'\n([\s\S]*?)^PROXICLOUD_RUNNER_EOF$/gm;
  for (const m of script.matchAll(re)) {
    const path = normalize(m[1]!);
    if (path.startsWith('..') || path.startsWith('/')) continue;
    files.set(path, Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'));
  }
  return files;
}

function stopProc(p: RunnerProc): void {
  p.port = null;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  rmSync(p.dir, { recursive: true, force: true });
}

/** Stop the runner of `g` (container stopped, destroyed, or about to be restarted). */
export function stopGuestRunner(sim: SimContext, g: Guest): void {
  const m = procsOf(sim);
  const p = m.get(g);
  if (!p) return;
  m.delete(g);
  stopProc(p);
}

/** Stop runners whose container is no longer running (or no longer exists). */
function watch(sim: SimContext): void {
  if (watchers.has(sim)) return;
  const timer = setInterval(() => {
    for (const g of [...procsOf(sim).keys()])
      if (sim.world.guests.get(g.vmid) !== g || g.status !== 'running') stopGuestRunner(sim, g);
  }, 100);
  timer.unref();
  watchers.set(sim, timer);
}

/**
 * After a successful install/update phase of the runner script: (re)start the runner from the
 * pushed files and env, and wait (up to 15 s) until it listens. Returns a line for the script's
 * output (what `systemctl status` would tell).
 */
export async function startGuestRunner(sim: SimContext, g: Guest, script: string): Promise<string> {
  stopGuestRunner(sim, g);
  const files = runnerFiles(script);
  const env = parseEnvFile(g.guestFiles?.[ENV_FILE]?.data ?? '');
  if (!files.has('runner.mjs')) return '[sim] no runner.mjs in the setup script: runner not started';
  const dir = mkdtempSync(join(tmpdir(), `sim-runner-${g.vmid}-`));
  // the sandboxes' uids read the code below it, as in the container's /var/lib
  chmodSync(dir, 0o755);
  for (const [path, data] of files) {
    mkdirSync(dirname(join(dir, 'app', path)), { recursive: true });
    writeFileSync(join(dir, 'app', path), data);
  }
  const child = spawn(process.execPath, [join(dir, 'app', 'runner.mjs')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...env,
      PROXICLOUD_RUNNER_HOST: '127.0.0.1',
      PROXICLOUD_RUNNER_PORT: '0',
      PROXICLOUD_RUNNER_DIR: join(dir, 'work'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: RunnerProc = {
    child,
    dir,
    guestPort: Number(env.PROXICLOUD_RUNNER_PORT ?? 8790),
    port: null,
    stderr: '',
  };
  procsOf(sim).set(g, proc);
  watch(sim);
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    proc.stderr = (proc.stderr + d).slice(-2000);
  });
  child.on('exit', () => {
    proc.port = null;
  });
  return new Promise<string>((resolve) => {
    let buf = '';
    const timer = setTimeout(() => resolve('[sim] function runner did not start within 15 s'), 15_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      if (proc.port !== null) return;
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        proc.port = (JSON.parse(buf.slice(0, nl)) as { port: number }).port;
        clearTimeout(timer);
        resolve(`[sim] proxicloud-function-runner.service: started (pid ${child.pid})`);
      } catch {
        /* not the ready line */
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(`[sim] proxicloud-function-runner.service: exited (${code ?? signal}) ${proc.stderr.trim()}`);
    });
  });
}

/** The runner's real local port for `port` of container `g`, or null (none, not that port, dead). */
export function guestRunnerPort(sim: SimContext, g: Guest, port: number): number | null {
  const p = procsOf(sim).get(g);
  if (!p || p.guestPort !== port) return null;
  return p.port;
}

/** The runner process of container `vmid` (tests kill it to make a runner fault). */
export function guestRunnerPid(sim: SimContext, vmid: number): number | null {
  const g = sim.world.guests.get(vmid);
  const p = g ? procsOf(sim).get(g) : undefined;
  return p?.port != null ? (p.child.pid ?? null) : null;
}

export function closeGuestRunners(sim: SimContext): void {
  const t = watchers.get(sim);
  if (t) clearInterval(t);
  watchers.delete(sim);
  for (const g of [...procsOf(sim).keys()]) stopGuestRunner(sim, g);
}
