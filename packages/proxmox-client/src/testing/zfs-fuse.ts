/**
 * Test fixture: a real ZFS pool in a file, on zfs-fuse (Debian package `zfs-fuse`), for the tests
 * that run the host agent's ZFS commands for real. Starts the zfs-fuse daemon when none runs (CI
 * starts one up front) and stops it again only when it started it and no pool is left, so test
 * files running side by side don't pull the daemon from under each other.
 *
 *   const skip = zfsFuseSkipReason();            // null when usable, else the reason
 *   const pool = await createZfsFusePool('pcbk', ['data', 'backup']);
 *   ...
 *   await pool.destroy();
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function which(cmd: string): string | undefined {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'])
    if (existsSync(join(d, cmd))) return join(d, cmd);
  return undefined;
}

/** Absolute paths of the zfs-fuse binaries (undefined when not installed). */
export const zfsBins = { zfsFuse: which('zfs-fuse'), zpool: which('zpool'), zfs: which('zfs') };

/** Why the real-ZFS tests can't run here, or null when they can. */
export function zfsFuseSkipReason(): string | null {
  if (!zfsBins.zfsFuse || !zfsBins.zpool || !zfsBins.zfs)
    return 'zfs-fuse is not installed (apt-get install -y zfs-fuse)';
  if (process.getuid?.() !== 0) return 'zfs-fuse needs root';
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing';
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const daemonUp = () => spawnSync(zfsBins.zpool!, ['list', '-H'], { encoding: 'utf8' }).status === 0;

export interface ZfsFusePool {
  /** The pool's name: `<prefix>-<8 hex>`. */
  name: string;
  /** A temporary directory holding the pool file and its mountpoint (`<dir>/mnt`). */
  dir: string;
  /** Absolute path of `zfs`. */
  zfs: string;
  /** `zfs list -H -o name -t <type> -r <root>` (empty when the root does not exist). */
  list(root: string, type?: 'snapshot' | 'filesystem' | 'volume'): string[];
  exists(dataset: string): boolean;
  /** `zfs get -H -o value <property> <dataset>` */
  get(property: string, dataset: string): string;
  /** `zfs destroy -r`, retried while zfs-fuse answers "dataset is busy" after a mount was used. */
  destroyDataset(dataset: string): Promise<void>;
  /** Destroy the pool (retried while busy), stop a daemon we started, remove the directory. */
  destroy(): Promise<void>;
}

/** Create a 256 MiB pool in a file with the given child datasets (`<pool>/<child>`). */
export async function createZfsFusePool(prefix: string, children: string[] = []): Promise<ZfsFusePool> {
  const reason = zfsFuseSkipReason();
  if (reason) throw new Error(reason);
  const zfsFuse = zfsBins.zfsFuse!;
  const zpool = zfsBins.zpool!;
  const zfs = zfsBins.zfs!;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  let startedDaemon: number | undefined;
  if (!daemonUp()) {
    const pidFile = join(dir, 'zfs-fuse.pid');
    execFileSync(zfsFuse, ['-p', pidFile, '--no-kstat-mount']);
    for (let i = 0; i < 50 && !daemonUp(); i++) await sleep(100);
    startedDaemon = Number(readFileSync(pidFile, 'utf8').trim());
  }
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  execFileSync('truncate', ['-s', '256M', join(dir, 'pool.img')]);
  execFileSync(zpool, ['create', '-f', '-m', join(dir, 'mnt'), name, join(dir, 'pool.img')], {
    stdio: 'pipe',
  });
  for (const c of children) execFileSync(zfs, ['create', '-p', `${name}/${c}`]);

  const exists = (ds: string) => spawnSync(zfs, ['list', '-H', ds]).status === 0;
  return {
    name,
    dir,
    zfs,
    list(root, type = 'snapshot') {
      const r = spawnSync(zfs, ['list', '-H', '-o', 'name', '-t', type, '-r', root], { encoding: 'utf8' });
      return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
    },
    exists,
    get(property, dataset) {
      return execFileSync(zfs, ['get', '-H', '-o', 'value', property, dataset], { encoding: 'utf8' }).trim();
    },
    async destroyDataset(dataset) {
      for (
        let i = 0;
        i < 20 && exists(dataset) && spawnSync(zfs, ['destroy', '-r', dataset]).status !== 0;
        i++
      )
        await sleep(250);
    },
    async destroy() {
      for (let i = 0; i < 20 && spawnSync(zpool, ['destroy', '-f', name]).status !== 0; i++) await sleep(250);
      const poolsLeft = spawnSync(zpool, ['list', '-H', '-o', 'name'], { encoding: 'utf8' }).stdout?.trim();
      if (startedDaemon && !poolsLeft) {
        process.kill(startedDaemon, 'SIGTERM');
        for (let i = 0; i < 50; i++) {
          try {
            process.kill(startedDaemon, 0);
            await sleep(100);
          } catch {
            break;
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
