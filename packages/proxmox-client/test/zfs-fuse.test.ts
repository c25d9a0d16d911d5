/**
 * Real ZFS: runs the host agent's commands through LocalExecutor against a pool in a file, using
 * zfs-fuse (Debian package `zfs-fuse`). Skipped, with the reason printed, when it is not installed
 * or we are not root. Starts the zfs-fuse daemon if it is not running and stops it afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostAgentCommandError, LocalExecutor, ZfsAgent } from '../src/index.ts';

function which(cmd: string): string | undefined {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    if (existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

const zfsFuse = which('zfs-fuse');
const zpool = which('zpool');
const zfs = which('zfs');
const isRoot = process.getuid?.() === 0;
const skipReason =
  !zfsFuse || !zpool || !zfs
    ? 'zfs-fuse is not installed (apt-get install -y zfs-fuse)'
    : !isRoot
      ? 'zfs-fuse needs root'
      : !existsSync('/dev/fuse')
        ? '/dev/fuse is missing'
        : undefined;
if (skipReason) console.log(`[proxmox-client] SKIP real ZFS test: ${skipReason}`);

describe.skipIf(!!skipReason)('host agent against a real ZFS pool (zfs-fuse)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-zfs-'));
  const pool = `pc-test-${randomBytes(4).toString('hex')}`;
  const mnt = join(dir, 'mnt');
  let startedDaemon: number | undefined;
  const agent = new ZfsAgent(new LocalExecutor(), { zfsPath: zfs });

  const daemonUp = () => spawnSync(zpool!, ['list', '-H'], { encoding: 'utf8' }).status === 0;

  beforeAll(async () => {
    if (!daemonUp()) {
      const pidFile = join(dir, 'zfs-fuse.pid');
      execFileSync(zfsFuse!, ['-p', pidFile, '--no-kstat-mount']);
      for (let i = 0; i < 50 && !daemonUp(); i++) await new Promise((r) => setTimeout(r, 100));
      startedDaemon = Number(readFileSync(pidFile, 'utf8').trim());
    }
    const file = join(dir, 'pool.img');
    execFileSync('truncate', ['-s', '256M', file]);
    execFileSync(zpool!, ['create', '-m', mnt, pool, file], { stdio: 'pipe' });
  });

  afterAll(async () => {
    spawnSync(zpool!, ['destroy', '-f', pool]);
    if (startedDaemon) {
      process.kill(startedDaemon, 'SIGTERM');
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(startedDaemon, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('create / snapshot / clone / rollback / promote / set / destroy', async () => {
    const ds = `${pool}/buckets/b1`;
    await agent.create(ds, {
      parents: true,
      compression: 'gzip-9',
      properties: { quota: '64M', 'proxicloud:owner': 'usr-1' },
    });
    const props = await agent.get(ds, ['compression', 'quota', 'proxicloud:owner', 'type']);
    expect(props.compression).toEqual({ value: 'gzip-9', source: 'local' });
    expect(props.quota?.value).toBe(String(64 * 1024 * 1024));
    expect(props['proxicloud:owner']?.value).toBe('usr-1');
    expect(props.type?.value).toBe('filesystem');

    const file = join(mnt, 'buckets/b1/object.txt');
    writeFileSync(file, 'version 1');
    expect(await agent.snapshot(ds, 'pc-1')).toBe(`${ds}@pc-1`);
    writeFileSync(file, 'version 2');

    await agent.clone(`${ds}@pc-1`, `${pool}/buckets/b1-clone`);
    expect(readFileSync(join(mnt, 'buckets/b1-clone/object.txt'), 'utf8')).toBe('version 1');

    const all = await agent.list({ root: pool, recursive: true, type: 'all' });
    const byName = new Map(all.map((d) => [d.name, d]));
    expect(byName.get(`${ds}@pc-1`)?.type).toBe('snapshot');
    expect(byName.get(`${pool}/buckets/b1-clone`)?.origin).toBe(`${ds}@pc-1`);
    expect(byName.get(ds)?.mountpoint).toBe(join(mnt, 'buckets/b1'));
    expect(byName.get(pool)!.available).toBeGreaterThan(0);
    const fsOnly = await agent.list({ root: pool, recursive: true });
    expect(fsOnly.every((d) => d.type === 'filesystem')).toBe(true);

    await agent.rollback(`${ds}@pc-1`);
    expect(readFileSync(file, 'utf8')).toBe('version 1');

    // (readonly is not used here: zfs-fuse reports it overridden by a temporary mount option)
    await agent.set(`${pool}/buckets/b1-clone`, { atime: 'off', quota: '32M' });
    const set = await agent.get(`${pool}/buckets/b1-clone`, ['atime', 'quota']);
    expect(set.atime).toEqual({ value: 'off', source: 'local' });
    expect(set.quota?.value).toBe(String(32 * 1024 * 1024));

    // promote the clone: the snapshot moves to it, the original becomes its dependent
    await agent.promote(`${pool}/buckets/b1-clone`);
    const after = await agent.list({ root: pool, recursive: true, type: 'all' });
    expect(after.some((d) => d.name === `${pool}/buckets/b1-clone@pc-1`)).toBe(true);
    expect(after.find((d) => d.name === ds)?.origin).toBe(`${pool}/buckets/b1-clone@pc-1`);

    // errors from zfs carry the command, exit code and stderr
    const err = await agent.snapshot(`${pool}/nope`, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostAgentCommandError);
    expect((err as HostAgentCommandError).command).toBe('zfs snapshot');
    expect((err as HostAgentCommandError).stderr).toMatch(/does not exist/);

    await agent.destroy(ds);
    await agent.destroy(`${pool}/buckets/b1-clone`, { recursive: true });
    const left = await agent.list({ root: pool, recursive: true, type: 'all' });
    expect(left.map((d) => d.name).sort()).toEqual([pool, `${pool}/buckets`]);
  });
});
