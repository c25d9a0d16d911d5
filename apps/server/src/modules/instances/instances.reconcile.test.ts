/**
 * Reconciler and adoption: the database follows Proxmox's truth (guests deleted or stopped
 * outside ProxiCloud, orphans of interrupted launches), guests we did not create are left alone
 * until an admin adopts them. Also: the doctor endpoint and the SSE event stream.
 */
import type { AddressInfo } from 'node:net';
import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type Inst,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import { subscribeEvents } from '../../testing/event-stream.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let client: ProxmoxClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser();
  client = t.ctx.app.services.proxmox!.client;
});

async function pveCreate(vmid: number, extra: Record<string, string> = {}) {
  const upid = await client
    .node('pve1')
    .qemu.create({ vmid, name: `outside-${vmid}`, memory: '512', scsi0: 'local-lvm:1', ...extra });
  await client.tasks.wait('pve1', upid);
}

describe('reconciler', () => {
  it('marks instances deleted outside ProxiCloud terminated, corrects drift, deletes orphans, leaves foreign guests', async () => {
    const a = (await launch(alice, { name: 'gone-soon', userData: '#cloud-config\n' })).instance;
    const snippet = () =>
      t.sim
        .inspect()
        .storageContent.pve1!.local!.some((v) => v.volid === `local:snippets/proxicloud-${a.id}-user.yaml`);
    expect(snippet()).toBe(true);
    const b = (await launch(alice, { name: 'drifter' })).instance;
    const vol = await alice.post<{ id: string }>('/api/v1/volumes', { name: 'on-a', sizeGib: 1 });
    const att = await alice.post<{ operation: Op }>(`/api/v1/volumes/${vol.body.id}/attach`, {
      instanceId: a.id,
    });
    expect((await waitOp(alice, att.body.operation.id)).status).toBe('succeeded');

    // outside ProxiCloud: delete A (and its disks), stop B
    await client.tasks.wait('pve1', await client.node('pve1').vm(a.vmid!).stop({}));
    await client.tasks.wait('pve1', await client.node('pve1').vm(a.vmid!).delete({ purge: true }));
    await client.tasks.wait('pve1', await client.node('pve1').vm(b.vmid!).stop({}));
    // a guest another ProxiCloud tagged, and a plain one
    await pveCreate(900, { tags: 'proxicloud;i-0123456789abcdef0' });
    await pveCreate(901);

    const report = await t.compute.reconciler.pass();
    expect(report).toMatchObject({ gone: 1, corrected: 1, orphansDeleted: 0 });
    expect(report.unmanaged).toBeGreaterThanOrEqual(2);
    const ga = (await alice.get<Inst>(`/api/v1/instances/${a.id}`)).body;
    expect(ga).toMatchObject({ status: 'terminated', statusReason: 'deleted outside ProxiCloud' });
    // its user-data snippet does not stay behind on the node
    expect(snippet()).toBe(false);
    const gb = (await alice.get<Inst>(`/api/v1/instances/${b.id}`)).body;
    expect(gb).toMatchObject({
      status: 'stopped',
      statusReason: 'stopped outside ProxiCloud',
      ipAddresses: [],
    });
    const v = (
      await alice.get<{ status: string; instanceId: string | null; statusReason: string }>(
        `/api/v1/volumes/${vol.body.id}`,
      )
    ).body;
    expect(v).toMatchObject({ status: 'error', instanceId: null });
    expect(v.statusReason).toContain(a.id);

    // an orphan: a guest tagged with the id of an instance that is terminated (interrupted launch)
    await pveCreate(902, { tags: `proxicloud;${a.id}` });
    const second = await t.compute.reconciler.pass();
    expect(second.orphansDeleted).toBe(1);
    const vmids = t.sim.inspect().guests.map((g) => g.vmid);
    expect(vmids).not.toContain(902);
    expect(vmids).toEqual(expect.arrayContaining([900, 901, b.vmid]));
    // started again outside: drift back to running
    await client.tasks.wait('pve1', await client.node('pve1').vm(b.vmid!).start({}));
    await t.compute.reconciler.pass();
    expect((await alice.get<Inst>(`/api/v1/instances/${b.id}`)).body.status).toBe('running');
    // steady state: nothing to do
    const idle = await t.compute.reconciler.pass();
    expect(idle).toMatchObject({ gone: 0, corrected: 0, orphansDeleted: 0, cleanedUp: 0 });
  });

  it('admins adopt unmanaged guests for a user; the guest gets our tag and behaves like any instance', async () => {
    const res = await t.ctx.admin.post<Inst>('/api/v1/instances/adopt', {
      node: 'pve1',
      vmid: 901,
      ownerId: alice.user.id,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name: 'outside-901',
      vmid: 901,
      managed: 'adopted',
      ownerId: alice.user.id,
      status: 'stopped',
    });
    expect(t.sim.inspect().guests.find((g) => g.vmid === 901)!.config.tags).toBe(`proxicloud;${res.body.id}`);
    const again = await t.ctx.admin.post('/api/v1/instances/adopt', {
      node: 'pve1',
      vmid: 901,
      ownerId: alice.user.id,
    });
    expect(again.status).toBe(409);
    const missing = await t.ctx.admin.post('/api/v1/instances/adopt', {
      node: 'pve1',
      vmid: 4242,
      ownerId: alice.user.id,
    });
    expect(missing.status).toBe(422);
    const start = await alice.post<{ operation: Op }>(`/api/v1/instances/${res.body.id}/start`);
    expect((await waitOp(alice, start.body.operation.id)).status).toBe('succeeded');
    const term = await alice.delete<{ operation: Op }>(`/api/v1/instances/${res.body.id}`, {
      query: { confirm: res.body.id },
    });
    expect((await waitOp(alice, term.body.operation.id)).status).toBe('succeeded');
    expect(t.sim.inspect().guests.map((g) => g.vmid)).not.toContain(901);
  });
});

describe('doctor endpoint', () => {
  it('reports the simulator connection to admins', async () => {
    const res = await t.ctx.admin.get<{
      ok: boolean;
      mode: string;
      checks: { name: string; status: string }[];
    }>('/api/v1/system/proxmox-check');
    expect(res.status, res.text).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['version', 'nodes', 'storage:pve1', 'bridges:pve1', 'host-agent:pve1']),
    );
  });
});

describe('server-sent events', () => {
  it("streams the owner's instance and operation changes, not other users'; resumes with Last-Event-ID", async () => {
    await t.ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.ctx.app.server.address() as AddressInfo).port}`;
    const bob = await t.ctx.newUser();
    const aliceStream = await subscribeEvents(`${base}/api/v1/events`, alice.token);
    const bobStream = await subscribeEvents(`${base}/api/v1/events?types=instance`, bob.token);
    const adminStream = await subscribeEvents(`${base}/api/v1/events`, t.ctx.admin.token);
    const { instance } = await launch(alice, { name: 'evented' });
    await aliceStream.until((e) =>
      e.some(
        (x) => x.type === 'instance.updated' && x.resourceId === instance.id && x.data.status === 'running',
      ),
    );
    const types = new Set(aliceStream.events.map((e) => e.type));
    expect(types).toEqual(new Set(['instance.created', 'instance.updated', 'operation.updated']));
    await adminStream.until((e) => e.some((x) => x.resourceId === instance.id));
    const own = await launch(bob, { name: 'bobs', start: false });
    await bobStream.until((e) => e.some((x) => x.resourceId === own.instance.id));
    expect(bobStream.events.every((e) => e.ownerId === bob.user.id && e.type.startsWith('instance.'))).toBe(
      true,
    );
    const cut = aliceStream.events[2]!.id;
    const seen = aliceStream.events.filter((e) => e.id > cut).map((e) => e.id);
    await Promise.all([aliceStream.close(), bobStream.close(), adminStream.close()]);
    const resumed = await subscribeEvents(`${base}/api/v1/events`, alice.token, { lastEventId: cut });
    await resumed.until((e) => e.length >= seen.length);
    expect(resumed.events.map((e) => e.id).slice(0, seen.length)).toEqual(seen);
    await resumed.close();
    const anon = await fetch(`${base}/api/v1/events`);
    expect(anon.status).toBe(401);
  });
});
