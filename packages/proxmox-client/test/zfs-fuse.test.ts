/**
 * Real ZFS: runs the host agent's commands through LocalExecutor against a pool in a file, using
 * zfs-fuse (Debian package `zfs-fuse`). Skipped, with the reason printed, when it is not installed
 * or we are not root. Starts the zfs-fuse daemon if it is not running and stops it afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostAgentCommandError, LocalExecutor, ZfsAgent } from '../src/index.ts';
import { createZfsFusePool, type ZfsFusePool, zfsBins, zfsFuseSkipReason } from '../src/testing/zfs-fuse.ts';

const skipReason = zfsFuseSkipReason();
if (skipReason) console.log(`[proxmox-client] SKIP real ZFS test: ${skipReason}`);

describe.skipIf(!!skipReason)('host agent against a real ZFS pool (zfs-fuse)', () => {
  let zp: ZfsFusePool;
  let pool: string;
  let mnt: string;
  const agent = new ZfsAgent(new LocalExecutor(), { zfsPath: zfsBins.zfs });

  beforeAll(async () => {
    zp = await createZfsFusePool('pc-test');
    pool = zp.name;
    mnt = join(zp.dir, 'mnt');
  });

  afterAll(async () => {
    await zp?.destroy();
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
