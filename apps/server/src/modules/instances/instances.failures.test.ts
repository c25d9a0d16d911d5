/**
 * Failure paths on the simulator: a PVE task failing mid-launch, a node going offline, a full
 * storage, concurrent launches against a quota, and a server restarted in the middle of an
 * operation (resumed; or rolled back when the task is lost). Nothing may be left behind in PVE
 * or in the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSimulator } from '../../platform/proxmox.ts';
import {
  type ComputeTestContext,
  computeOf,
  createComputeContext,
  type ErrorBody,
  type Inst,
  launch,
  launchAccepted,
  type Op,
  useComputeContext,
  VM_IMAGE,
  waitOp,
  waitStepRunning,
} from '../../testing/compute-kit.ts';
import { createTestContext, type TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;

useComputeContext({ sim: { nodes: 2 } }, async (c) => {
  t = c;
  alice = await t.ctx.newUser();
});

const guests = () => t.sim.inspect().guests;
const ours = (id: string) => guests().filter((g) => (g.config.tags ?? '').includes(id));

describe('launch failures roll back', () => {
  it('a PVE task that fails mid-launch: operation failed with the task log, guest removed, instance in error', async () => {
    t.sim.faults.failTask({
      type: 'qmcreate',
      message: 'unable to create VM - zfs error: I/O error on rpool',
    });
    const { instance, operation } = await launchAccepted(alice, { name: 'doomed', node: 'pve1' });
    const op = await waitOp(alice, operation.id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ code: 'pve_task_failed' });
    expect(op.error!.message).toContain('I/O error');
    expect(op.error!.details!.upid).toMatch(/^UPID:pve1:/);
    expect((op.error!.details!.log as string[]).join('\n')).toContain('TASK ERROR');
    expect(op.steps.find((s) => s.name === 'create')?.status).toBe('failed');
    const inst = (await alice.get<Inst>(`/api/v1/instances/${instance.id}`)).body;
    expect(inst).toMatchObject({ status: 'error', vmid: null, activeOperationId: null });
    expect(inst.statusReason).toContain('I/O error');
    expect(ours(instance.id)).toEqual([]);
    // an instance in error can be terminated (frees its name)
    const term = await alice.delete<{ operation: Op }>(`/api/v1/instances/${instance.id}`, {
      query: { confirm: 'doomed' },
    });
    expect((await waitOp(alice, term.body.operation.id)).status).toBe('succeeded');
    await launch(alice, { name: 'doomed', node: 'pve1', start: false });
  });

  it('refuses to launch on an offline node or a full storage before anything is created', async () => {
    t.sim.faults.nodeOffline('pve2', true);
    try {
      const off = await alice.post<ErrorBody>('/api/v1/instances', {
        name: 'off',
        type: 'vm',
        template: VM_IMAGE,
        node: 'pve2',
      });
      expect(off.status).toBe(422);
      expect(off.body.error.code).toBe('node_offline');
    } finally {
      t.sim.faults.nodeOffline('pve2', false);
    }
    t.compute.inventory.invalidate();
    t.sim.faults.storageFull('local-zfs', true);
    try {
      const full = await alice.post<ErrorBody>('/api/v1/instances', {
        name: 'full',
        type: 'vm',
        template: VM_IMAGE,
        node: 'pve1',
        storage: 'local-zfs',
      });
      expect(full.status).toBe(422);
      expect(full.body.error.code).toBe('no_capacity');
      expect(full.body.error.message).toMatch(/local-zfs' has 0 GiB free/);
    } finally {
      t.sim.faults.storageFull('local-zfs', false);
      t.compute.inventory.invalidate();
    }
  });

  it('storage filling up during the create task: failed with the storage error, nothing left', async () => {
    const slow = await startSimulator({ port: 0, taskDurationMs: { qmcreate: 400 } });
    const c = await createComputeContext({ simulator: slow });
    try {
      const bob = await c.ctx.newUser();
      const res = await bob.post<{ instance: Inst; operation: Op }>('/api/v1/instances', {
        name: 'big',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
        storage: 'local-lvm',
      });
      expect(res.status, res.text).toBe(202);
      slow.faults.storageFull('local-lvm', true);
      const op = await waitOp(bob, res.body.operation.id);
      expect(op.status).toBe('failed');
      expect(JSON.stringify(op.error)).toMatch(/insufficient free space|out of space|No space/);
      expect(slow.inspect().guests).toEqual([]);
      expect((await bob.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body.status).toBe('error');
    } finally {
      await c.close();
      await slow.close();
    }
  });

  it('a node going offline mid-launch: the launch fails, and the reconciler cleans up once the node is back', async () => {
    const slow = await startSimulator({ port: 0, nodes: 2, taskDurationMs: { qmcreate: 300, qmstart: 300 } });
    const c = await createComputeContext({ simulator: slow });
    c.compute.settings.unreachableMs = 500;
    try {
      const bob = await c.ctx.newUser();
      const res = await bob.post<{ instance: Inst; operation: Op }>('/api/v1/instances', {
        name: 'flaky',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
        node: 'pve2',
      });
      expect(res.status, res.text).toBe(202);
      // wait until the guest exists in PVE, then pull the node
      for (let i = 0; i < 200 && !slow.inspect().guests.some((g) => g.node === 'pve2'); i++)
        await new Promise((r) => setTimeout(r, 10));
      slow.faults.nodeOffline('pve2', true);
      const op = await waitOp(bob, res.body.operation.id);
      expect(op.status).toBe('failed');
      expect(op.error?.code).toMatch(/pve_unreachable|pve_task_failed/);
      const inst = (await bob.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body;
      expect(inst.status).toBe('error');
      // while the node is down the reconciler cannot decide anything about it
      const down = await c.compute.reconciler.pass();
      expect(down.gone).toBe(0);
      slow.faults.nodeOffline('pve2', false);
      const report = await c.compute.reconciler.pass();
      expect(report.gone).toBe(0);
      expect(slow.inspect().guests.filter((g) => (g.config.tags ?? '').includes(inst.id))).toEqual([]);
      const after = (await bob.get<Inst>(`/api/v1/instances/${inst.id}`)).body;
      expect(after).toMatchObject({ status: 'error', vmid: null });
    } finally {
      await c.close();
      await slow.close();
    }
  });
});

describe('concurrency and quotas', () => {
  it('10 concurrent launches all succeed with distinct VMIDs, placed by free memory over both nodes', async () => {
    const carol = await t.ctx.newUser();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        launchAccepted(carol, { name: `par-${i}`, instanceType: 't.xlarge', sizeGib: 8, start: i % 2 === 0 }),
      ),
    );
    const ops = await Promise.all(results.map((r) => waitOp(carol, r.operation.id, 60_000)));
    expect(ops.map((o) => o.status)).toEqual(Array(10).fill('succeeded'));
    const insts = await Promise.all(
      results.map(async (r) => (await carol.get<Inst>(`/api/v1/instances/${r.instance.id}`)).body),
    );
    const vmids = insts.map((i) => i.vmid);
    expect(new Set(vmids).size).toBe(10);
    expect(new Set(insts.map((i) => i.node))).toEqual(new Set(['pve1', 'pve2']));
    for (const i of insts) expect(ours(i.id)).toHaveLength(1);
  });

  it('quota: concurrent launches never pass the limit; the answer names the limit', async () => {
    const dave = await t.ctx.newUser();
    const set = await t.ctx.admin.put(`/api/v1/quotas/${dave.user.id}`, { instances: 3, vcpu: 10 });
    expect(set.status, set.text).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        dave.post<ErrorBody>('/api/v1/instances', {
          name: `q-${i}`,
          type: 'vm',
          template: VM_IMAGE,
          instanceType: 't.nano',
          start: false,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(3);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused.every((a) => a.status === 422 && a.body.error.code === 'quota_exceeded')).toBe(true);
    expect(refused[0]!.body.error.message).toMatch(/instance count limit is 3; you use 3/);
    const mine = await dave.get<{
      limits: { instances: number };
      usage: { instances: number; vcpu: number };
    }>('/api/v1/quotas/me');
    expect(mine.body).toMatchObject({ limits: { instances: 3 }, usage: { instances: 3, vcpu: 3 } });
    const vcpu = await dave.post<ErrorBody>('/api/v1/volumes', { name: 'v', sizeGib: 1 });
    expect(vcpu.status).toBe(201);
    // disk usage is the instances' root disks plus the volumes (it read 0 when the sources' keys
    // did not match the quota's), and a volume that fits alone but not on top of it is refused
    const instDisk = (
      await dave.get<{ items: { sizeGib: number; status: string }[] }>('/api/v1/instances')
    ).body.items
      .filter((i) => i.status !== 'terminated' && i.status !== 'error')
      .reduce((sum, i) => sum + i.sizeGib, 0);
    expect(instDisk).toBeGreaterThan(0);
    const used = (await dave.get<{ usage: { diskGib: number } }>('/api/v1/quotas/me')).body.usage.diskGib;
    expect(used).toBe(instDisk + 1);
    await t.ctx.admin.put(`/api/v1/quotas/${dave.user.id}`, { diskGib: used + 1 });
    const over = await dave.post<ErrorBody>('/api/v1/volumes', { name: 'v3', sizeGib: 2 });
    expect(over.status, over.text).toBe(422);
    await t.ctx.admin.put(`/api/v1/quotas/${dave.user.id}`, { diskGib: 20 });
    const disk = await dave.post<ErrorBody>('/api/v1/volumes', { name: 'v2', sizeGib: 100 });
    expect(disk.status).toBe(422);
    expect(disk.body.error.details).toMatchObject({ limit: 'diskGib', max: 20 });
    // users cannot set quotas
    expect((await dave.put(`/api/v1/quotas/${dave.user.id}`, { instances: 100 })).status).toBe(403);
    await t.compute.engine.idle();
  });

  it('the Idempotency-Key header makes launch retries safe', async () => {
    const erin = await t.ctx.newUser();
    const body = { name: 'idem', type: 'vm', template: VM_IMAGE, instanceType: 't.nano', start: false };
    const headers = { 'idempotency-key': 'launch-idem-0001' };
    const [a, b] = await Promise.all([
      erin.post<{ instance: Inst; operation: Op }>('/api/v1/instances', body, { headers }),
      erin.post<{ instance: Inst; operation: Op }>('/api/v1/instances', body, { headers }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.instance.id).toBe(b.body.instance.id);
    expect(a.body.operation.id).toBe(b.body.operation.id);
    const other = await erin.post<ErrorBody>('/api/v1/instances', { ...body, name: 'idem-2' }, { headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    await waitOp(erin, a.body.operation.id);
  });
});

describe('server restarted mid-operation', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function startApp(
    sim: Awaited<ReturnType<typeof startSimulator>>,
    database?: Parameters<typeof createTestContext>[0],
  ) {
    return createTestContext({ proxmox: connectSimulator(sim), ...database });
  }

  it('resumes: the next server waits on the same Proxmox task and finishes the launch', async () => {
    const sim = await startSimulator({ port: 0, taskDurationMs: { qmcreate: 1500 } });
    const first = await startApp(sim);
    try {
      const u = await first.newUser({ username: 'restart1' });
      const accepted = await launchAccepted(u, { name: 'survivor' });
      // wait for the create task to be running, then stop the server abruptly (operations stay 'running')
      await waitStepRunning(u, accepted.operation.id, 'create');
      await computeOf(first.app).engine.stop();
      const row = await first.db.kysely
        .selectFrom('operations')
        .selectAll()
        .where('id', '=', accepted.operation.id)
        .executeTakeFirstOrThrow();
      // SQLite: left running for the next start; PostgreSQL (other servers may share the
      // database): a clean stop hands it back to the queue at once
      expect(row.status).toBe(first.dialect === 'postgres' ? 'pending' : 'running');

      // a second server on the same database picks the operation up
      const second = await createTestContext({
        proxmox: connectSimulator(sim),
        configure: (c) => ({ ...c, database: first.config.database }),
      });
      try {
        await computeOf(second.app).engine.idle();
        const op = (
          await second.admin.get<Op & { attempts: number }>(`/api/v1/operations/${accepted.operation.id}`)
        ).body;
        expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
        expect(op.attempts).toBe(2);
        const inst = (await second.admin.get<Inst>(`/api/v1/instances/${accepted.instance.id}`)).body;
        expect(inst.status).toBe('running');
        expect(sim.inspect().guests.filter((g) => g.vmid === inst.vmid)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await sim.close();
    }
  });

  it('a restarted server releases locks left by finished operations and interrupted synchronous actions', async () => {
    const sim = await startSimulator({ port: 0, taskDurationMs: 0 });
    const first = await startApp(sim);
    try {
      const u = await first.newUser({ username: 'locks1' });
      const { instance } = await launch(u, { name: 'locked', start: false });
      const vol = await u.post<{ id: string }>('/api/v1/volumes', { name: 'locked-vol', sizeGib: 1 });
      await first.db.kysely
        .updateTable('instances')
        .set({ active_operation_id: 'op-0000000000000dead' })
        .where('id', '=', instance.id)
        .execute();
      await first.db.kysely
        .updateTable('volumes')
        .set({ active_operation_id: 'sync-wrk-00000000000000dead-snapshot-1' })
        .where('id', '=', vol.body.id)
        .execute();
      expect((await u.post<ErrorBody>(`/api/v1/instances/${instance.id}/start`)).body.error.code).toBe(
        'instance_busy',
      );
      await computeOf(first.app).engine.stop();
      const second = await createTestContext({
        proxmox: connectSimulator(sim),
        configure: (c) => ({ ...c, database: first.config.database }),
      });
      try {
        await computeOf(second.app).engine.tick();
        const login = await second.login('locks1', 'correct-horse-battery');
        const token = login.body.accessToken;
        const start = await second.request<{ operation: Op }>(
          'POST',
          `/api/v1/instances/${instance.id}/start`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        expect(start.status, start.text).toBe(202);
        const snap = await second.request('POST', `/api/v1/volumes/${vol.body.id}/snapshot`, {
          body: { name: 'after-restart' },
          headers: { authorization: `Bearer ${token}` },
        });
        expect(snap.status, snap.text).toBe(201);
        await computeOf(second.app).engine.idle();
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await sim.close();
    }
  });

  it('rolls back when the Proxmox task was lost too: no orphan guest, no live instance', async () => {
    const stateFile = join(dir, 'state.json');
    let sim = await startSimulator({ port: 0, taskDurationMs: { qmcreate: 5000 }, stateFile });
    const first = await startApp(sim);
    try {
      const u = await first.newUser({ username: 'restart2' });
      const accepted = await launchAccepted(u, { name: 'lost' });
      await waitStepRunning(u, accepted.operation.id, 'create');
      await computeOf(first.app).engine.stop();
      // the Proxmox side restarts as well: the running task is gone, the half-made guest stays
      const { port, token } = sim;
      await sim.close();
      sim = await startSimulator({ port, token, taskDurationMs: 0, stateFile });
      expect(sim.inspect().guests).toHaveLength(1);

      const second = await createTestContext({
        proxmox: connectSimulator(sim),
        configure: (c) => ({ ...c, database: first.config.database }),
      });
      try {
        const compute = computeOf(second.app);
        await compute.engine.idle();
        const op = (await second.admin.get<Op>(`/api/v1/operations/${accepted.operation.id}`)).body;
        expect(op.status).toBe('failed');
        expect(op.error!.message).toMatch(/interrupted/);
        const inst = (await second.admin.get<Inst>(`/api/v1/instances/${accepted.instance.id}`)).body;
        expect(inst).toMatchObject({ status: 'error', vmid: null });
        expect(sim.inspect().guests).toEqual([]);
        const report = await compute.reconciler.pass();
        expect(report).toMatchObject({ gone: 0, orphansDeleted: 0 });
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await sim.close();
    }
  });
});

describe('volume creation failures', () => {
  it('an allocation Proxmox refuses: an error answer, the row marked deleted (creation failed), the name free again', async () => {
    t.sim.faults.httpError({
      method: 'POST',
      pathPattern: '/storage/local-zfs/content$',
      status: 500,
      message: 'out of space',
      count: 1,
    });
    const res = await alice.post<ErrorBody>('/api/v1/volumes', {
      name: 'doomed',
      sizeGib: 1,
      volumeType: 'ssd',
    });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.body.error.code).toBeTruthy();
    const rows = await t.ctx.db.kysely
      .selectFrom('volumes')
      .select(['status', 'status_reason', 'pve_volid', 'deleted_at'])
      .where('name', '=', 'doomed')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'deleted', status_reason: 'creation failed', pve_volid: null });
    expect(rows[0]!.deleted_at).not.toBeNull();
    const again = await alice.post<{ status: string }>('/api/v1/volumes', {
      name: 'doomed',
      sizeGib: 1,
      volumeType: 'ssd',
    });
    expect(again.status, again.text).toBe(201);
    expect(again.body.status).toBe('available');
  });
});
