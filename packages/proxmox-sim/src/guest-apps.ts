/**
 * Apps inside simulated containers (the apps module's deploy flow), as faithfully as the host
 * commands allow:
 *
 *  - `pct exec <vmid> -- /bin/bash <script> [args…]`: runs a script that was `pct push`ed into the
 *    RUNNING container ("CT <vmid> not running" otherwise, a missing file is bash's exit 127). The
 *    simulator does not interpret bash: it records the run (`guestExecs`), prints the script's
 *    `pc_*`/`echo` progress lines of the phase ONE BY ONE over time (`lineDelayMs` apart, like a
 *    script that works between its messages), and exits 0, or with what `guestApp(…).fail` asks.
 *    `hold` stops a phase after its first line until the hold is lifted (tests watch the output
 *    arrive while the script still runs).
 *  - VMs run their cloud-init user-data at boot: a running VM whose cloud-init drive carried
 *    user-data (`cicustom user=…`) has its app installed, unless `fail.phase` is `cloud-init`.
 *  - A function runner's script (`# proxicloud-function-runner`) starts a real runner process after
 *    its install/update phase instead (guest-runners.ts), reachable through `guestEndpoint` too.
 *  - A successful `configure` or `update` leaves the app "installed": its service then answers on
 *    every port of the guest's IP through `guestEndpoint(ip, port)`, a real local listener (HTTP
 *    status `health`, default 200, for any path; or no listener with `health: 'closed'`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimContext } from './context.ts';
import { guestRunnerPort, RUNNER_MARKER, startGuestRunner } from './guest-runners.ts';
import type { Guest } from './state.ts';
import type { ExecResult } from './zfs.ts';

export interface GuestAppControl {
  /** Make `pct exec … <script> <phase>` exit non-zero (phase omitted: every phase). */
  fail?: { phase?: string; code?: number; stderr?: string } | null;
  /** HTTP status the app answers with, or 'closed' (connection refused). */
  health?: number | 'closed';
  /** Pause `pct exec … <script> <phase>` after its first output line until set to null. */
  hold?: { phase?: string } | null;
  /** Time between two output lines of a script (default 100 ms). */
  lineDelayMs?: number;
}

const DEFAULT_LINE_DELAY_MS = 100;

interface AppState {
  control: GuestAppControl;
  installed: boolean;
}

/** Per guest object: a new container that reuses a vmid starts with a clean app. */
const apps = new WeakMap<Guest, AppState>();
const listeners = new WeakMap<SimContext, Map<Guest, Map<number, Promise<Server>>>>();
/** Control every guest's app starts with (tests arrange a phase before the container exists). */
const defaults = new WeakMap<SimContext, GuestAppControl>();

function stateOf(g: Guest, sim?: SimContext): AppState {
  let s = apps.get(g);
  if (!s) {
    s = { control: { ...(sim ? defaults.get(sim) : undefined) }, installed: false };
    apps.set(g, s);
  }
  return s;
}

export function setGuestAppDefaults(sim: SimContext, control: GuestAppControl): void {
  defaults.set(sim, { ...defaults.get(sim), ...control });
}

export function setGuestApp(sim: SimContext, vmid: number, control: GuestAppControl): void {
  const g = sim.world.guests.get(vmid);
  if (!g) throw new Error(`no guest ${vmid}`);
  const s = stateOf(g, sim);
  s.control = { ...s.control, ...control };
}

/** Lines of the phase's function (or the whole script) worth printing as progress. */
function progressLines(script: string, phase: string): string[] {
  const fn = new RegExp(`^${phase}_app\\(\\) \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(script);
  const body = fn?.[1] ?? script;
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(pc_apt|pc_fetch|pc_unit|pc_log|echo)\b/.test(l))
    .map((l) => `[sim] ${l.replace(/\s+/g, ' ').slice(0, 160)}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `pct exec <vmid> -- /bin/bash <script> [args…]` on a running container: the output follows over
 * time (`follow`); the run is recorded with its exit code when it ends.
 */
export function execScript(sim: SimContext, g: Guest, argv: string[]): ExecResult {
  const [script, ...args] = argv;
  const file = script ? g.guestFiles?.[script] : undefined;
  const at = new Date().toISOString();
  g.guestExecs ??= [];
  if (!file) {
    g.guestExecs.push({ argv: ['/bin/bash', ...argv], code: 127, at });
    return { stdout: '', stderr: `/bin/bash: ${script}: No such file or directory\n`, code: 127 };
  }
  const phase = args[0] ?? 'install';
  const s = stateOf(g, sim);
  const fail = s.control.fail;
  const failing = !!fail && (!fail.phase || fail.phase === phase);
  const all = progressLines(file.data, phase);
  const lines = failing ? all.slice(0, 1) : all;
  const code = failing ? (fail?.code ?? 1) : 0;
  const result: ExecResult = { stdout: '', stderr: '', code };
  result.follow = async (write) => {
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) await sleep(s.control.lineDelayMs ?? DEFAULT_LINE_DELAY_MS);
      write('stdout', `${lines[i]}\n`);
      // held after the first line until the test lifts the hold (or the container goes away)
      while (
        s.control.hold &&
        (!s.control.hold.phase || s.control.hold.phase === phase) &&
        sim.world.guests.get(g.vmid) === g
      )
        await sleep(10);
    }
    if (failing) write('stderr', `${fail?.stderr ?? `${phase} failed`}\n`);
    else if ((phase === 'install' || phase === 'update') && file.data.includes(RUNNER_MARKER))
      // a function runner container: its service starts for real (guest-runners.ts)
      write('stdout', `${await startGuestRunner(sim, g, file.data)}\n`);
    else if (phase === 'configure' || phase === 'update') s.installed = true;
    g.guestExecs!.push({ argv: ['/bin/bash', ...argv], code, at });
  };
  return result;
}

/**
 * Where a client reaches `ip:port` of a simulated guest: a local listener standing in for the app,
 * or null (nothing listens: the guest is unknown, stopped, the app not installed, or 'closed').
 */
export async function guestEndpoint(
  sim: SimContext,
  ip: string,
  port: number,
): Promise<{ host: string; port: number } | null> {
  const g = [...sim.world.guests.values()].find((x) => x.ip === ip);
  if (g?.status !== 'running') return null;
  const s = stateOf(g, sim);
  const runner = guestRunnerPort(sim, g, port);
  if (runner !== null) return { host: '127.0.0.1', port: runner };
  if (g.type === 'qemu') {
    // cloud-init ran the user-data at boot (unless told to fail)
    const fail = s.control.fail;
    s.installed =
      g.cloudinitDrive?.user !== undefined && !(fail && (!fail.phase || fail.phase === 'cloud-init'));
  }
  if (!s.installed || s.control.health === 'closed') return null;
  let all = listeners.get(sim);
  if (!all) {
    all = new Map();
    listeners.set(sim, all);
  }
  let m = all.get(g);
  if (!m) {
    m = new Map();
    all.set(g, m);
  }
  const key = port;
  let server = m.get(key);
  if (!server) {
    server = new Promise<Server>((resolve, reject) => {
      const srv = createServer((_req, res) => {
        const status = stateOf(g).control.health;
        res.writeHead(typeof status === 'number' ? status : 200, { 'content-type': 'text/plain' });
        res.end(`simulated app in CT ${g.vmid} on port ${port}\n`);
      });
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => resolve(srv));
      srv.unref();
    });
    m.set(key, server);
  }
  const srv = await server;
  return { host: '127.0.0.1', port: (srv.address() as AddressInfo).port };
}

export async function closeGuestApps(sim: SimContext): Promise<void> {
  const all = listeners.get(sim);
  if (!all) return;
  const servers = await Promise.allSettled([...all.values()].flatMap((m) => [...m.values()]));
  for (const r of servers) if (r.status === 'fulfilled') r.value.close();
  all.clear();
}
