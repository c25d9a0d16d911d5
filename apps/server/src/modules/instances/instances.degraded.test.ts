/**
 * Proxmox degraded or changed under ProxiCloud's feet: requests do not hang on a slow PVE and
 * report PVE's own status; a failed action leaves the guest's real state (not `error`) and the
 * reconciler clears the stale reason; a launch resumed after a crash checks that its guest still
 * exists before continuing past `create`.
 */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { describe, expect, it } from 'vitest';
import { connectSimulator } from '../../platform/proxmox.ts';
import {
  computeOf,
  createComputeContext,
  type ErrorBody,
  type Inst,
  launch,
  launchAccepted,
  type Op,
  VM_IMAGE,
  waitOp,
  waitStepRunning,
} from '../../testing/compute-kit.ts';
import { createTestContext } from '../../testing/test-kit.ts';

describe('failed actions and stale status', () => {
  it('a stop that fails because the node is offline keeps the instance running; the reconciler clears the reason once the node is back', async () => {
    const c = await createComputeContext({ sim: { nodes: 2 } });
    c.compute.settings.unreachableMs = 300;
    try {
      const u = await c.ctx.newUser();
      const { instance } = await launch(u, { name: 'steady', node: 'pve2' });
      expect(instance.status).toBe('running');
      c.sim.faults.nodeOffline('pve2', true);
      const res = await u.post<{ operation: Op } & ErrorBody>(`/api/v1/instances/${instance.id}/stop`, {});
      expect(res.status, res.text).toBe(202);
      const op = await waitOp(u, res.body.operation.id);
      expect(op.status).toBe('failed');
      const failed = (await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body;
      // PVE cannot say otherwise: the last known state stays, with the failure as the reason
      expect(failed.status).toBe('running');
      expect(failed.statusReason).toMatch(/^stop failed: /);
      expect(failed.activeOperationId).toBeNull();

      // while the node is down the reason stays (nothing is known yet)
      await c.compute.reconciler.pass();
      expect((await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body.statusReason).toMatch(
        /^stop failed/,
      );

      c.sim.faults.nodeOffline('pve2', false);
      c.compute.cache.invalidate();
      await c.compute.reconciler.pass();
      const healthy = (await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body;
      expect(healthy).toMatchObject({ status: 'running', statusReason: null });
    } finally {
      await c.close();
    }
  });

  it('a failed action on a healthy guest shows the state PVE reports, not error', async () => {
    const c = await createComputeContext();
    try {
      const u = await c.ctx.newUser();
      const { instance } = await launch(u, { name: 'stubborn' });
      c.sim.faults.failTask({ type: 'qmreboot', message: 'reboot refused by the guest' });
      const res = await u.post<{ operation: Op }>(`/api/v1/instances/${instance.id}/reboot`, {});
      expect(res.status, res.text).toBe(202);
      expect((await waitOp(u, res.body.operation.id)).status).toBe('failed');
      const after = (await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body;
      expect(after.status).toBe('running');
      expect(after.statusReason).toMatch(/^reboot failed: .*reboot refused/);
      await c.compute.reconciler.pass();
      expect((await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body).toMatchObject({
        status: 'running',
        statusReason: null,
      });
    } finally {
      await c.close();
    }
  });

  it('an instance in error whose guest runs again loses the old reason', async () => {
    const c = await createComputeContext();
    try {
      const u = await c.ctx.newUser();
      const { instance } = await launch(u, { name: 'recovered' });
      await c.ctx.db.kysely
        .updateTable('instances')
        .set({ status: 'error', status_reason: 'terminate failed: Proxmox is not reachable' })
        .where('id', '=', instance.id)
        .execute();
      await c.compute.reconciler.pass();
      expect((await u.get<Inst>(`/api/v1/instances/${instance.id}`)).body).toMatchObject({
        status: 'running',
        statusReason: null,
      });
    } finally {
      await c.close();
    }
  });
});

describe('a launch resumed after a crash', () => {
  it('fails with a clear reason and rolls back when its guest disappeared while the server was down', async () => {
    const sim = await startSimulator({ port: 0, taskDurationMs: { qmstart: 1500 } });
    const pve = connectSimulator(sim);
    const first = await createTestContext({ proxmox: connectSimulator(sim) });
    try {
      const u = await first.newUser({ username: 'resume9' });
      const accepted = await launchAccepted(u, { name: 'vanishing' });
      // past `create`: the start task runs; stop the server abruptly (the operation stays 'running')
      await waitStepRunning(u, accepted.operation.id, 'start');
      await computeOf(first.app).engine.stop();
      const vmid = (
        await first.db.kysely
          .selectFrom('instances')
          .select('vmid')
          .where('id', '=', accepted.instance.id)
          .executeTakeFirstOrThrow()
      ).vmid;
      expect(vmid).not.toBeNull();
      // meanwhile the guest is deleted (with its disks) outside ProxiCloud
      const vm = pve.client.node('pve1').vm(Number(vmid));
      for (let i = 0; i < 200; i++) {
        const s = (await vm.status()) as { lock?: string };
        if (!s.lock) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      try {
        await pve.client.tasks.wait('pve1', await vm.stop({}));
      } catch {
        // already stopped
      }
      await pve.client.tasks.wait('pve1', await vm.delete({ purge: true }));
      expect(sim.inspect().guests).toEqual([]);

      const second = await createTestContext({
        proxmox: connectSimulator(sim),
        configure: (cfg) => ({ ...cfg, database: first.config.database }),
      });
      try {
        await computeOf(second.app).engine.idle();
        const op = (await second.admin.get<Op>(`/api/v1/operations/${accepted.operation.id}`)).body;
        expect(op.status).toBe('failed');
        expect(op.error).toMatchObject({ code: 'guest_gone' });
        expect(op.error!.message).toMatch(/no longer exists in Proxmox.*rolled back/);
        expect(op.error!.message).not.toMatch(/does not exist/);
        const inst = (await second.admin.get<Inst>(`/api/v1/instances/${accepted.instance.id}`)).body;
        expect(inst).toMatchObject({ status: 'error', vmid: null, activeOperationId: null });
        expect(inst.statusReason).toMatch(/no longer exists/);
        expect(sim.inspect().guests).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await pve.close();
      await sim.close();
    }
  });
});

describe('requests while Proxmox is degraded', () => {
  it("every PVE call answering 503: the launch answers 503 naming PVE's status and message, not a timeout", async () => {
    const c = await createComputeContext();
    try {
      const u = await c.ctx.newUser();
      c.sim.faults.httpError({ status: 503, message: 'pveproxy is restarting' });
      const res = await u.post<ErrorBody>('/api/v1/instances', {
        name: 'during-503',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
      });
      expect(res.status, res.text).toBe(503);
      expect(res.body.error.message).toMatch(
        /^Proxmox VE answered GET \/\S+ with 503 pveproxy is restarting/,
      );
      expect(res.body.error.message).not.toMatch(/timed out|not reachable/);
      expect(res.body.error.details).toMatchObject({ pveStatus: 503, pveMessage: 'pveproxy is restarting' });
      c.sim.faults.reset();
      // nothing was created
      expect((await u.get<{ total: number }>('/api/v1/instances')).body.total).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a slow PVE: the launch is accepted at once and its operation does the placement', async () => {
    const c = await createComputeContext({ sim: { nodes: 2 } });
    c.compute.settings.requestDeadlineMs = 100;
    try {
      const u = await c.ctx.newUser();
      c.compute.catalog.invalidate();
      c.compute.cache.invalidate();
      c.compute.inventory.invalidate();
      c.sim.faults.latency(400);
      const res = await u.post<{ instance: Inst; operation: Op } & ErrorBody>('/api/v1/instances', {
        name: 'patient',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
        userData: '#cloud-config\npackages: [htop]\n',
      });
      expect(res.status, res.text).toBe(202);
      // not placed yet: the operation starts with the placement
      expect(res.body.instance.node).toBeNull();
      expect(res.body.operation.steps.map((s) => s.name)).toEqual([
        'place',
        'import-link',
        'user-data',
        'allocate',
        'create',
        'resize',
        'networks', // the default network's NIC (no networkIds given)
        'start',
        'network',
      ]);
      c.sim.faults.latency(0);
      const op = await waitOp(u, res.body.operation.id, 60_000);
      expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
      expect(op.steps.find((s) => s.name === 'place')?.status).toBe('succeeded');
      expect(op.steps.find((s) => s.name === 'import-link')?.status).toBe('skipped');
      const inst = (await u.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body;
      expect(inst).toMatchObject({ status: 'running', template: VM_IMAGE, user: 'debian' });
      expect(['pve1', 'pve2']).toContain(inst.node);
      expect(inst.storage).not.toBe('');
      const guest = c.sim.inspect().guests.find((g) => g.vmid === inst.vmid)!;
      expect(guest.config.cicustom).toMatch(/proxicloud-.*-user\.yaml/);
      // the placement the request gave up on holds no memory (nor does the operation's, once committed)
      expect((c.compute.instances as unknown as { reserved: Map<string, number> }).reserved.size).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a deferred launch that cannot be placed fails in its operation with the placement error', async () => {
    const c = await createComputeContext();
    c.compute.settings.requestDeadlineMs = 50;
    try {
      const u = await c.ctx.newUser();
      // a non-admin asking for a plain bridge needs PROXICLOUD_BRIDGE_LAUNCH=all
      c.ctx.app.modules.networks.settings.bridgeLaunch = 'all';
      c.compute.cache.invalidate();
      c.compute.inventory.invalidate();
      c.sim.faults.latency(300);
      const res = await u.post<{ instance: Inst; operation: Op }>('/api/v1/instances', {
        name: 'nowhere',
        type: 'vm',
        template: VM_IMAGE,
        instanceType: 't.nano',
        bridge: 'vmbr9',
      });
      expect(res.status, res.text).toBe(202);
      c.sim.faults.latency(0);
      const op = await waitOp(u, res.body.operation.id, 60_000);
      expect(op.status).toBe('failed');
      expect(op.error).toMatchObject({ code: 'no_capacity' });
      expect(op.error!.message).toMatch(/bridge 'vmbr9' does not exist/);
      const inst = (await u.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body;
      expect(inst).toMatchObject({ status: 'error', vmid: null });
      expect(c.sim.inspect().guests).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('a slow /cluster/resources does not hold up the instance list: usage is left out', async () => {
    const c = await createComputeContext();
    c.compute.settings.requestDeadlineMs = 200;
    try {
      const u = await c.ctx.newUser();
      await launch(u, { name: 'listed' });
      c.compute.cache.invalidate();
      c.sim.faults.latency(5000);
      const list = await u.get<{ items: Inst[] }>('/api/v1/instances');
      expect(list.status).toBe(200);
      expect(list.body.items.map((i) => [i.name, i.usage])).toEqual([['listed', null]]);
      c.sim.faults.latency(0);
    } finally {
      await c.close();
    }
  }, 120_000); // a whole compute context and a launch: more than 30 s on a busy CI machine
});
