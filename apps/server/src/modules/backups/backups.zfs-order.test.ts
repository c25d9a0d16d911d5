import type { ZfsAgent } from '@proxicloud/proxmox-client';
import { describe, expect, it } from 'vitest';
import { copyVolumeSnapshot } from './backups.zfs.ts';

/** A ZfsAgent that lists snapshots as zfs does: in creation order, `creation` in whole seconds. */
function fakeZfs(snaps: Record<string, string[]>) {
  const sends: { snapshot: string; to: string; incrementalFrom?: string }[] = [];
  const zfs = {
    async list(opts: { root: string }) {
      const names = snaps[opts.root];
      if (!names)
        throw Object.assign(new Error('x'), { stderr: `cannot open '${opts.root}': dataset does not exist` });
      return names.map((n) => ({ name: `${opts.root}@${n}`, type: 'snapshot', creation: 1_800_000_000 }));
    },
    async sendTo(snapshot: string, to: string, opts?: { incrementalFrom?: string }) {
      sends.push({ snapshot, to, ...opts });
      return `${to}@${snapshot.split('@')[1]}`;
    },
    async destroy() {},
  };
  return { zfs: zfs as unknown as ZfsAgent, sends };
}

describe('zfs send copies', () => {
  it('sends incrementally from the newest common snapshot when several were taken in the same second', async () => {
    // names that sort the other way round from their creation order
    const { zfs, sends } = fakeZfs({
      'tank/vol': ['pc-z', 'pc-a', 'pc-new'],
      'backup/vol-1': ['pc-z', 'pc-a'],
    });
    const res = await copyVolumeSnapshot(zfs, 'tank/vol@pc-new', 'backup', 'vol-1');
    expect(res.incrementalFrom).toBe('pc-a');
    expect(sends).toEqual([{ snapshot: 'tank/vol@pc-new', to: 'backup/vol-1', incrementalFrom: 'pc-a' }]);
  });
});
