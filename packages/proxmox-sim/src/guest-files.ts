/**
 * Files ProxiCloud places for guests (secrets env files), simulated as faithfully as the host
 * commands allow:
 *
 *  - `install -m <mode> /dev/null <snippet path>`: creates an empty snippet file with that mode
 *    (then `tee` fills it; tee keeps the mode of an existing file, as on Linux);
 *  - `pct exec <vmid> -- mkdir -p [-m <mode>] <dir>`: runs in the container, which must be running
 *    on this node ("CT <vmid> not running"), like PVE;
 *  - `pct push <vmid> <file> <destination> [--perms <mode>] [--user <uid>] [--group <gid>]`: copies a
 *    host file (here only `/dev/stdin`) into a RUNNING container ("can only push files to a running
 *    CT"); the destination's directory must exist in the container;
 *  - at VM start qemu-server builds the cloud-init drive from the `cicustom` snippets it references
 *    (`recordCloudinitDrive`): the guest sees that content even after the snippet file is removed.
 */
import type { SimContext } from './context.ts';
import { execScript } from './guest-apps.ts';
import { ipBatch } from './guest-routes.ts';
import type { Guest } from './state.ts';
import { snippetTarget } from './storage.ts';
import type { ExecResult } from './zfs.ts';

const fail = (stderr: string, code = 1): ExecResult => ({ stdout: '', stderr: `${stderr}\n`, code });
const ok: ExecResult = { stdout: '', stderr: '', code: 0 };
const MODE = /^0?[0-7]{3}$/;
const ABS = /^\/[A-Za-z0-9_.\-/]*$/;

/** `install -m MODE /dev/null <snippet>` → an empty snippet file with MODE. */
export function install(sim: SimContext, node: string, args: string[]): ExecResult {
  if (args.length !== 4 || args[0] !== '-m' || !MODE.test(args[1]!) || args[2] !== '/dev/null')
    return fail('install: only `install -m MODE /dev/null FILE` is available on this host');
  const path = args[3]!;
  const t = snippetTarget(sim, path);
  if (!t) return fail(`install: cannot create regular file '${path}': Permission denied`);
  sim.world.putVolume(node, {
    volid: t.volid,
    storage: t.storage.storage,
    content: 'snippets',
    format: 'snippet',
    size: 0,
    ctime: Math.floor(Date.now() / 1000),
    data: '',
    mode: args[1]!.padStart(4, '0'),
  });
  return ok;
}

function runningCt(sim: SimContext, node: string, vmidArg: string | undefined): Guest | ExecResult {
  const vmid = Number(vmidArg);
  const g = Number.isInteger(vmid) ? sim.world.guests.get(vmid) : undefined;
  if (!g || g.node !== node || g.type !== 'lxc')
    return fail(`Configuration file 'nodes/${node}/lxc/${vmidArg}.conf' does not exist`, 2);
  return g;
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** `pct exec|push …` */
export function pct(sim: SimContext, node: string, args: string[], stdin: string): ExecResult {
  const [sub, vmidArg, ...rest] = args;
  const g = runningCt(sim, node, vmidArg);
  if (!('vmid' in g)) return g;
  if (sub === 'exec') {
    if (g.status !== 'running') return fail(`CT ${g.vmid} not running`, 255);
    // `-- /bin/bash SCRIPT [ARGS]` (app setup scripts, guest-apps.ts) or `-- mkdir -p [-m MODE] DIR`
    if (rest[0] === '--' && rest[1] === '/bin/bash') return execScript(sim, g, rest.slice(2));
    // `-- ip -force -batch -`: routes inside the container (guest-routes.ts), lines on stdin
    if (rest.join(' ') === '-- ip -force -batch -') return ipBatch(g, stdin);
    const [dd, cmd, p, ...more] = rest;
    let mode = '0755';
    if (more[0] === '-m' && MODE.test(more[1] ?? '')) {
      mode = more[1]!.padStart(4, '0');
      more.splice(0, 2);
    }
    if (dd !== '--' || cmd !== 'mkdir' || p !== '-p' || more.length !== 1 || !ABS.test(more[0]!))
      return fail('pct exec: only `pct exec <vmid> -- mkdir -p [-m MODE] DIR` is simulated');
    g.guestDirs ??= {};
    let path = '';
    for (const part of more[0]!.split('/').filter(Boolean)) {
      path += `/${part}`;
      g.guestDirs[path] ??= path === more[0]!.replace(/\/+$/, '') ? mode : '0755';
    }
    return ok;
  }
  if (sub === 'push') {
    const [src, dest, ...opts] = rest;
    if (src !== '/dev/stdin') return fail(`failed to open ${src}: No such file or directory`);
    if (!dest || !ABS.test(dest)) return fail(`invalid destination '${dest}'`);
    const o: Record<string, string> = {};
    for (let i = 0; i < opts.length; i += 2) {
      const k = opts[i]!;
      if (!['--perms', '--user', '--group'].includes(k) || opts[i + 1] === undefined)
        return fail(`Unknown option: ${k.replace(/^--/, '')}`, 255);
      o[k.slice(2)] = opts[i + 1]!;
    }
    if (o.perms !== undefined && !MODE.test(o.perms)) return fail(`invalid perms '${o.perms}'`, 255);
    if (g.status !== 'running') return fail('can only push files to a running CT', 255);
    const dir = dirOf(dest);
    if (dir !== '/' && !g.guestDirs?.[dir]) return fail(`failed to open ${dest}: No such file or directory`);
    g.guestFiles ??= {};
    g.guestFiles[dest] = {
      data: stdin,
      mode: (o.perms ?? '0644').padStart(4, '0'),
      uid: Number(o.user ?? 0),
      gid: Number(o.group ?? 0),
    };
    return ok;
  }
  return fail(`pct: unknown or unsimulated command '${sub}'`, 255);
}

/** Whether a host command line reads standard input (`pct push <vmid> /dev/stdin …`). */
export function pctReadsStdin(argv: string[]): boolean {
  return (
    (argv[0] === 'pct' && argv[1] === 'push' && argv[3] === '/dev/stdin') ||
    (argv[0] === 'pct' && argv[1] === 'exec' && argv.slice(3).join(' ') === '-- ip -force -batch -')
  );
}

/** At VM start: the cloud-init drive gets the current content of the snippets `cicustom` names. */
export function recordCloudinitDrive(sim: SimContext, node: string, g: Guest): void {
  const drive: Record<string, string> = {};
  for (const part of (g.config.cicustom ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const vol = sim.world.volumes.get(node)?.get(part.slice(eq + 1));
    if (vol?.data !== undefined) drive[part.slice(0, eq).trim()] = vol.data;
  }
  g.cloudinitDrive = drive;
}
