/**
 * Backups end to end on the simulator: policy → runs (vzdump tasks) → retention prunes the
 * oldest archive on "Proxmox" → restore to a new instance (the restored guest has the original's
 * configuration) and over the original (typed confirmation, stopped first) → a failing vzdump
 * (full backup storage) is recorded with its task log and prunes nothing. Plus validation,
 * owner scoping and the audit trail.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let web: Inst;

useComputeContext({ sim: { nodes: 1 } }, async (c) => {
  t = c;
  alice = await t.ctx.newUser();
  bob = await t.ctx.newUser();
  web = (await launch(alice, { name: 'bk-web', node: 'pve1', instanceType: 't.small' })).instance;
});

interface Policy {
  id: string;
  name: string;
  cron: string;
  scheduleDescription: string;
  nextRuns: string[];
  storage: string;
  lastRun: { id: string; status: string } | null;
}
interface Outcome {
  resourceId: string;
  status: string;
  sizeBytes: number | null;
  recoveryPointId: string | null;
  upid: string | null;
  log: string[];
  error: string | null;
}
interface Run {
  id: string;
  status: string;
  operationId: string | null;
  targets: Outcome[];
  prunedRecoveryPointIds: string[];
  error: string | null;
}
interface Point {
  id: string;
  resourceId: string;
  volid: string | null;
  sizeBytes: number;
  config: Record<string, string> | null;
}

const archives = (vmid: number) =>
  (t.sim.inspect().volumes.pve1 ?? [])
    .filter((v) => v.content === 'backup' && v.vmid === vmid)
    .map((v) => v.volid)
    .sort();

async function runNow(policyId: string): Promise<Run> {
  const res = await alice.post<{ run: Run; operation: Op }>(`/api/v1/backup-policies/${policyId}/run`);
  expect(res.status, res.text).toBe(202);
  expect(res.body.run.status).toBe('queued');
  await waitOp(alice, res.body.operation.id);
  return (await alice.get<Run>(`/api/v1/backup-runs/${res.body.run.id}`)).body;
}

describe('backup policies', () => {
  let policy: Policy;

  it('validates and creates a policy: schedule in words, next 5 runs in the time zone', async () => {
    const bad = await alice.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'nightly',
      schedule: 'every day',
      targets: [{ instanceId: web.id }],
      retention: { keepLast: 2 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: 'schedule' });
    const hidden = await bob.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'steal',
      schedule: 'daily',
      targets: [{ instanceId: web.id }],
      retention: {},
    });
    expect(hidden.status).toBe(422);
    expect(hidden.body.error.code).toBe('unknown_target');
    const badStorage = await alice.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'x',
      schedule: 'daily',
      storage: 'local-zfs',
      targets: [{ instanceId: web.id }],
      retention: {},
    });
    expect(badStorage.status).toBe(422);
    expect(badStorage.body.error.code).toBe('invalid_storage');
    // zfs send needs the admin's backup dataset (not configured here)
    const noDataset = await alice.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'x',
      schedule: 'daily',
      targets: [{ instanceId: web.id }],
      retention: {},
      zfsSend: true,
    });
    expect(noDataset.status).toBe(422);
    expect(noDataset.body.error).toMatchObject({
      code: 'zfs_send_unavailable',
      details: { field: 'zfsSend' },
    });

    const res = await alice.post<Policy>('/api/v1/backup-policies', {
      name: 'nightly',
      schedule: 'daily',
      timezone: 'Europe/Berlin',
      targets: [{ instanceId: web.id }],
      retention: { keepLast: 2 },
      notifyOn: ['failure'],
    });
    expect(res.status, res.text).toBe(201);
    policy = res.body;
    expect(policy).toMatchObject({ cron: '0 3 * * *', storage: 'local', lastRun: null });
    expect(policy.scheduleDescription).toBe('At 03:00 (Europe/Berlin)');
    expect(policy.nextRuns).toHaveLength(5);
    // 03:00 in Berlin in December is 02:00 UTC
    for (const r of policy.nextRuns) expect(r).toMatch(/T02:00:00\.000Z$/);
    const dup = await alice.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'nightly',
      schedule: 'weekly',
      targets: [{ instanceId: web.id }],
      retention: {},
    });
    expect(dup.status).toBe(409);
    // the schedule is persisted for the scheduler
    const sched = await t.ctx.app.services.scheduler.find('backups.run', policy.id);
    expect(sched).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      enabled: true,
      missedRunPolicy: 'run_once',
    });
  });

  it('others see nothing of it', async () => {
    expect((await bob.get(`/api/v1/backup-policies/${policy.id}`)).status).toBe(404);
    expect((await bob.get<{ total: number }>('/api/v1/backup-policies')).body.total).toBe(0);
    expect((await bob.post(`/api/v1/backup-policies/${policy.id}/run`)).status).toBe(404);
  });

  it('runs: vzdump task, recovery point with size and config; retention prunes the oldest after a success', async () => {
    const first = await runNow(policy.id);
    expect(first.status, first.error ?? '').toBe('succeeded');
    const [o] = first.targets;
    expect(o).toMatchObject({ resourceId: web.id, status: 'succeeded' });
    expect(o!.upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzdump:/);
    expect(o!.sizeBytes).toBeGreaterThan(0);
    expect(o!.log.at(-1)).toBe('TASK OK');
    expect(archives(web.vmid!)).toHaveLength(1);
    const point = (await alice.get<Point>(`/api/v1/recovery-points/${o!.recoveryPointId}`)).body;
    expect(point.volid).toBe(archives(web.vmid!)[0]);
    expect(point.config).toMatchObject({ name: 'bk-web' });

    await runNow(policy.id);
    const third = await runNow(policy.id);
    expect(third.status).toBe('succeeded');
    // keep-last=2: the first archive went, on Proxmox and in the list
    expect(third.prunedRecoveryPointIds).toEqual([o!.recoveryPointId]);
    expect(archives(web.vmid!)).toHaveLength(2);
    expect(archives(web.vmid!)).not.toContain(point.volid);
    const points = await alice.get<{ items: Point[] }>('/api/v1/recovery-points', {
      query: { instanceId: web.id },
    });
    expect(points.body.items.map((p) => p.volid).sort()).toEqual(archives(web.vmid!));
    const got = (await alice.get<Policy>(`/api/v1/backup-policies/${policy.id}`)).body;
    expect(got.lastRun).toMatchObject({ id: third.id, status: 'succeeded' });
    const runs = await alice.get<{ items: Run[] }>('/api/v1/backup-runs', { query: { policyId: policy.id } });
    expect(runs.body.items.map((r) => r.id)[0]).toBe(third.id);
  });

  it("live progress: run and recovery point changes go to the owner's event stream", async () => {
    const events: { type: string; resourceId: string; ownerId: string; data: Record<string, unknown> }[] = [];
    const off = t.ctx.app.services.bus.subscribe((e) => events.push(e as unknown as (typeof events)[number]));
    try {
      const run = await runNow(policy.id);
      expect(run.status).toBe('succeeded');
      const mine = async () => {
        for (let i = 0; i < 100; i++) {
          const list = events.filter((e) => e.resourceId === run.id);
          if (list.some((e) => e.data.status === 'succeeded')) return list;
          await new Promise((r) => setTimeout(r, 20));
        }
        return events.filter((e) => e.resourceId === run.id);
      };
      const list = await mine();
      expect(list[0]).toMatchObject({ type: 'backup_run.created', ownerId: alice.user.id });
      const statuses = list.map((e) => e.data.status);
      expect(statuses).toContain('running');
      expect(statuses.at(-1)).toBe('succeeded');
      // per-target progress while it runs
      const targetStates = list.flatMap((e) =>
        ((e.data.targets as { status: string }[] | undefined) ?? []).map((x) => x.status),
      );
      expect(targetStates).toContain('running');
      const pointId = run.targets[0]!.recoveryPointId!;
      expect(events.find((e) => e.resourceId === pointId)).toMatchObject({
        type: 'recovery_point.created',
        ownerId: alice.user.id,
      });
    } finally {
      off();
    }
  });

  it('a failing vzdump (backup storage full) is recorded with its log and prunes nothing', async () => {
    const before = archives(web.vmid!);
    t.sim.faults.storageFull('local', true);
    let run: Run;
    try {
      run = await runNow(policy.id);
    } finally {
      t.sim.faults.storageFull('local', false);
    }
    expect(run.status).toBe('failed');
    expect(run.targets[0]!.error).toBe('job errors');
    expect(run.targets[0]!.log.join('\n')).toContain('No space left on device');
    expect(run.prunedRecoveryPointIds).toEqual([]);
    expect(archives(web.vmid!)).toEqual(before);
    const op = (await alice.get<Op>(`/api/v1/operations/${run.operationId}`)).body;
    expect(op.status).toBe('failed');
    expect(op.error!.code).toBe('backup_failed');
  });

  it('restores to a new instance with the original configuration', async () => {
    const [latest] = (
      await alice.get<{ items: Point[] }>('/api/v1/recovery-points', { query: { instanceId: web.id } })
    ).body.items;
    const res = await alice.post<{ operation: Op; targetResourceId: string } & ErrorBody>(
      `/api/v1/recovery-points/${latest!.id}/restore`,
      { name: 'bk-web-copy' },
    );
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const copy = (await alice.get<Inst>(`/api/v1/instances/${res.body.targetResourceId}`)).body;
    expect(copy).toMatchObject({ name: 'bk-web-copy', node: 'pve1' });
    expect(copy.vmid).not.toBe(web.vmid);
    const guests = t.sim.inspect().guests;
    const orig = guests.find((g) => g.vmid === web.vmid)!;
    const restored = guests.find((g) => g.vmid === copy.vmid)!;
    expect(restored.config.memory).toBe(orig.config.memory);
    expect(restored.config.cores).toBe(orig.config.cores);
    expect(restored.config.tags).toContain(copy.id);
    expect(restored.config.tags).not.toContain(web.id);
    expect(restored.config.name).toBe('bk-web-copy');
  });

  it('restores over the original only with typed confirmation and once it is stopped', async () => {
    const [latest] = (
      await alice.get<{ items: Point[] }>('/api/v1/recovery-points', { query: { instanceId: web.id } })
    ).body.items;
    const noConfirm = await alice.post<ErrorBody>(`/api/v1/recovery-points/${latest!.id}/restore`, {
      mode: 'replace',
    });
    expect(noConfirm.status).toBe(422);
    expect(noConfirm.body.error.code).toBe('confirmation_required');
    const running = await alice.post<ErrorBody>(`/api/v1/recovery-points/${latest!.id}/restore`, {
      mode: 'replace',
      confirm: 'bk-web',
    });
    expect(running.status).toBe(409);
    expect(running.body.error.code).toBe('instance_running');
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${web.id}/stop`, {});
    await waitOp(alice, stop.body.operation.id);
    const ok = await alice.post<{ operation: Op }>(`/api/v1/recovery-points/${latest!.id}/restore`, {
      mode: 'replace',
      confirm: 'bk-web',
    });
    expect(ok.status, ok.text).toBe(202);
    const op = await waitOp(alice, ok.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    // the instance lock is released by the operation's onFinish hook, right after its status is final
    let inst = (await alice.get<Inst>(`/api/v1/instances/${web.id}`)).body;
    for (let i = 0; i < 100 && inst.activeOperationId !== null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      inst = (await alice.get<Inst>(`/api/v1/instances/${web.id}`)).body;
    }
    expect(inst.activeOperationId).toBeNull();
    expect(t.sim.inspect().guests.find((g) => g.vmid === web.vmid)!.config.tags).toContain(web.id);
  });

  it('"Back up now" for one instance; audit records policy changes, runs and restores', async () => {
    const res = await alice.post<{ run: Run; operation: Op }>(`/api/v1/instances/${web.id}/backup`, {});
    expect(res.status, res.text).toBe(202);
    await waitOp(alice, res.body.operation.id);
    const run = (await alice.get<Run>(`/api/v1/backup-runs/${res.body.run.id}`)).body;
    expect(run.status).toBe('succeeded');
    expect((await bob.post(`/api/v1/instances/${web.id}/backup`, {})).status).toBe(404);
    const audit = await t.ctx.admin.get<{ items: { action: string }[] }>('/api/v1/logs/audit', {
      query: { limit: 200 },
    });
    const actions = new Set(audit.body.items.map((a) => a.action));
    for (const a of ['backups.policy.create', 'backups.run', 'backups.restore']) expect(actions).toContain(a);
  });

  it('backup storage counts toward the quota; a run beyond it is refused', async () => {
    const q = await alice.get<{ usage: { backupGib: number } }>('/api/v1/quotas/me');
    expect(q.body.usage.backupGib).toBeGreaterThan(0);
    const set = await t.ctx.admin.put(`/api/v1/quotas/${alice.user.id}`, { backupGib: 0 });
    expect(set.status, set.text).toBe(200);
    const refused = await alice.post<ErrorBody>(`/api/v1/instances/${web.id}/backup`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('quota_exceeded');
    expect(refused.body.error.message).toContain('backup storage (GiB)');
    await t.ctx.admin.put(`/api/v1/quotas/${alice.user.id}`, {});
  });

  it('updates and deletes a policy (its schedule goes with it)', async () => {
    const up = await alice.put<Policy>(`/api/v1/backup-policies/${policy.id}`, {
      name: 'nightly',
      schedule: '30 1 * * 1-5',
      timezone: 'UTC',
      targets: [{ tag: 'env=prod' }],
      retention: { keepDaily: 7, keepWeekly: 4 },
      enabled: false,
    });
    expect(up.status, up.text).toBe(200);
    expect(up.body.nextRuns).toEqual([]);
    expect(up.body.scheduleDescription).toMatch(/01:30, Monday through Friday/);
    expect(await t.ctx.app.services.scheduler.find('backups.run', policy.id)).toMatchObject({
      enabled: false,
    });
    expect((await alice.delete(`/api/v1/backup-policies/${policy.id}`)).status).toBe(204);
    expect(await t.ctx.app.services.scheduler.find('backups.run', policy.id)).toBeUndefined();
  });
});

describe('volume backups (ZFS snapshots through the host agent)', () => {
  it('policy → snapshots on the pool → retention destroys the oldest → restore into a new volume', async () => {
    const vol = await alice.post<{ id: string; status: string }>('/api/v1/volumes', {
      name: 'bk-data',
      sizeGib: 1,
    });
    expect(vol.status, vol.text).toBe(201);
    const snaps = () =>
      (t.sim.inspect().zfs.pve1 ?? [])
        .filter((d) => d.type === 'snapshot' && /@pc-/.test(d.name))
        .map((d) => d.name);
    const before = snaps().length;
    const p = await alice.post<Policy>('/api/v1/backup-policies', {
      name: 'data-hourly',
      schedule: '0 * * * *',
      targets: [{ volumeId: vol.body.id }],
      retention: { keepLast: 1 },
    });
    expect(p.status, p.text).toBe(201);
    const first = await runNow(p.body.id);
    expect(first.status, first.error ?? '').toBe('succeeded');
    expect(snaps()).toHaveLength(before + 1);
    const second = await runNow(p.body.id);
    expect(second.status).toBe('succeeded');
    expect(second.prunedRecoveryPointIds).toEqual([first.targets[0]!.recoveryPointId]);
    expect(snaps()).toHaveLength(before + 1); // the first snapshot was destroyed on the pool
    const points = (
      await alice.get<{ items: Point[] }>('/api/v1/recovery-points', { query: { volumeId: vol.body.id } })
    ).body.items;
    expect(points.map((x) => x.id)).toEqual([second.targets[0]!.recoveryPointId]);
    const res = await alice.post<{ operation: Op }>(`/api/v1/recovery-points/${points[0]!.id}/restore`, {
      name: 'bk-data-copy',
    });
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const vols = (await alice.get<{ items: { name: string }[] }>('/api/v1/volumes')).body.items.map(
      (v) => v.name,
    );
    expect(vols).toContain('bk-data-copy');
    // Back up now for a volume
    const now = await alice.post<{ run: Run; operation: Op }>(`/api/v1/volumes/${vol.body.id}/backup`, {});
    expect(now.status, now.text).toBe(202);
    await waitOp(alice, now.body.operation.id);
    expect((await alice.get<Run>(`/api/v1/backup-runs/${now.body.run.id}`)).body.status).toBe('succeeded');
  });
});
