/**
 * Volume backups on a REAL ZFS pool (zfs-fuse, a pool in a file): the server runs against the
 * simulator for the PVE API, but the host agent's ZFS commands run through LocalExecutor on the
 * real pool. A volume type maps the simulator's zfspool storage to `<pool>/data`; the test creates
 * the volume's dataset on the real pool (what PVE's allocation does on a real node). Then: a
 * policy with retention keepLast=2 and zfs send → real snapshots, real copies in the backup
 * dataset (incremental after the first), retention destroys the oldest snapshot AND its copy, a
 * restore from the copy after the volume was deleted brings the data back in a new dataset.
 * Skipped, with the reason printed, when zfs-fuse is missing or we are not root.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalExecutor, ZfsAgent } from '@proxicloud/proxmox-client';
import {
  createZfsFusePool,
  type ZfsFusePool,
  zfsBins,
  zfsFuseSkipReason,
} from '@proxicloud/proxmox-client/testing';
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulator, type HostAgent, type ProxmoxConnection } from '../../platform/proxmox.ts';
import { type Op, waitOp } from '../../testing/compute-kit.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';

const skipReason = zfsFuseSkipReason();
if (skipReason) console.log(`[backups] SKIP real-ZFS volume backup test: ${skipReason}`);

interface Run {
  id: string;
  status: string;
  error: string | null;
  targets: { recoveryPointId: string | null; log: string[]; error: string | null }[];
  prunedRecoveryPointIds: string[];
}
interface Point {
  id: string;
  copyRef: string | null;
  snapshotId: string | null;
}

describe.skipIf(!!skipReason)('volume backups on a real ZFS pool (zfs-fuse)', () => {
  let zp: ZfsFusePool;
  let pool: string;
  let ctx: TestContext;
  let conn: ProxmoxConnection;
  let alice: TestClient;
  const zlist = (root: string) => zp.list(root);
  const exists = (ds: string) => zp.exists(ds);
  const mountpoint = (ds: string) => zp.get('mountpoint', ds);

  beforeAll(async () => {
    zp = await createZfsFusePool('pcbk', ['data', 'backup']);
    pool = zp.name;

    const sim = await startSimulator({ port: 0, taskDurationMs: 0, nodes: 1 });
    const simConn = connectSimulator(sim, { ownSimulator: true });
    const local = new ZfsAgent(new LocalExecutor(), { zfsPath: zfsBins.zfs });
    // the simulator's SSH agent for everything else; ZFS on the real pool
    const hostAgent: HostAgent = Object.create(simConn.hostAgent!, {
      zfs: { value: async () => local },
    });
    conn = { ...simConn, hostAgent, close: () => simConn.close() };
    ctx = await createTestContext({
      proxmox: conn,
      env: { PROXICLOUD_BACKUP_ZFS_DATASET: `${pool}/backup` },
    });
    alice = await ctx.newUser();
    const type = await ctx.admin.put('/api/v1/volume-types/realzfs', {
      storage: 'local-zfs',
      zfsPool: `${pool}/data`,
    });
    expect(type.status, type.text).toBeLessThan(300);
  });

  afterAll(async () => {
    await ctx?.close();
    await conn?.close();
    await zp?.destroy();
  });

  async function runNow(policyId: string): Promise<Run> {
    const res = await alice.post<{ run: Run; operation: Op }>(`/api/v1/backup-policies/${policyId}/run`);
    expect(res.status, res.text).toBe(202);
    await waitOp(alice, res.body.operation.id);
    return (await alice.get<Run>(`/api/v1/backup-runs/${res.body.run.id}`)).body;
  }

  it('snapshots and zfs send copies on the pool, retention prunes both, restore from the copy after the volume is gone', async () => {
    const vol = await alice.post<{ id: string; pveVolid: string; format: string }>('/api/v1/volumes', {
      name: 'realdata',
      sizeGib: 1,
      volumeType: 'realzfs',
      format: 'filesystem',
    });
    expect(vol.status, vol.text).toBe(201);
    const leaf = vol.body.pveVolid.split(':')[1]!;
    const ds = `${pool}/data/${leaf}`;
    // what PVE's allocation does on a real node: the dataset exists on the pool
    execFileSync(zp.zfs, ['create', ds]);
    const file = () => join(mountpoint(ds), 'state.txt');

    const policy = await alice.post<{ id: string; zfsSend: boolean }>('/api/v1/backup-policies', {
      name: 'real-zfs',
      schedule: 'daily',
      targets: [{ volumeId: vol.body.id }],
      retention: { keepLast: 2 },
      zfsSend: true,
    });
    expect(policy.status, policy.text).toBe(201);
    expect(policy.body.zfsSend).toBe(true);

    const runs: Run[] = [];
    for (const n of [1, 2, 3]) {
      writeFileSync(file(), `generation ${n}\n`);
      const run = await runNow(policy.body.id);
      expect(run.status, `${run.error} ${JSON.stringify(run.targets)}`).toBe('succeeded');
      runs.push(run);
    }
    // the run log names the real commands
    expect(runs[0]!.targets[0]!.log.join('\n')).toMatch(/zfs send [^-].*\| zfs receive/);
    // later copies are incremental from the previous snapshot both sides hold
    expect(runs[1]!.targets[0]!.log.join('\n')).toMatch(/zfs send -i @pc-\S+ .*\| zfs receive/);

    const copyDs = `${pool}/backup/${vol.body.id}`;
    const points = (
      await alice.get<{ items: Point[] }>('/api/v1/recovery-points', { query: { volumeId: vol.body.id } })
    ).body.items;
    // retention keepLast=2: the first point went, on the pool and in the backup dataset
    expect(runs[2]!.prunedRecoveryPointIds).toEqual([runs[0]!.targets[0]!.recoveryPointId]);
    expect(points.map((p) => p.id).sort()).toEqual(
      [runs[1]!.targets[0]!.recoveryPointId, runs[2]!.targets[0]!.recoveryPointId].sort(),
    );
    const snaps = zlist(ds).map((s) => s.slice(ds.length + 1));
    const copies = zlist(copyDs).map((s) => s.slice(copyDs.length + 1));
    expect(snaps).toHaveLength(2);
    expect(copies.sort()).toEqual([...snaps].sort());
    for (const p of points) {
      expect(p.copyRef).toMatch(new RegExp(`^${copyDs}@pc-`));
      expect(zlist(copyDs)).toContain(p.copyRef);
    }

    // the volume goes (and its snapshots with it): the copies stay and restore
    const del = await alice.delete(`/api/v1/volumes/${vol.body.id}`);
    expect(del.status, del.text).toBeLessThan(300);
    // zfs-fuse answers "dataset is busy" for a moment after a mount was used: retry as the pool teardown does
    await zp.destroyDataset(ds);
    expect(exists(ds)).toBe(false); // PVE's part of the deletion
    const newest = points.find((p) => p.id === runs[2]!.targets[0]!.recoveryPointId)!;
    const res = await alice.post<{ operation: Op }>(`/api/v1/recovery-points/${newest.id}/restore`, {
      name: 'realdata-back',
    });
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const restored = (
      await alice.get<{ items: { id: string; name: string; pveVolid: string; status: string }[] }>(
        '/api/v1/volumes',
      )
    ).body.items.find((v) => v.name === 'realdata-back');
    expect(restored?.status).toBe('available');
    const rds = `${pool}/data/${restored!.pveVolid.split(':')[1]}`;
    expect(exists(rds)).toBe(true);
    expect(zlist(rds)).toEqual([]); // the received snapshot is not left behind
    execFileSync(zp.zfs, ['mount', rds], { stdio: 'pipe' });
    expect(readFileSync(join(mountpoint(rds), 'state.txt'), 'utf8')).toBe('generation 3\n');

    // deleting a point removes its copy too
    const older = points.find((p) => p.id !== newest.id)!;
    expect((await alice.delete(`/api/v1/recovery-points/${older.id}`)).status).toBe(204);
    expect(zlist(copyDs)).not.toContain(older.copyRef);
  });
});
