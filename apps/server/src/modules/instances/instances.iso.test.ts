/** Installer ISOs launch (empty disk + CD-ROM); cloud images found in ISO storage are classified. */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  type Op,
  useComputeContext,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

interface Image {
  id: string;
  kind: string;
  os: string;
  version: string | null;
  instanceType: string | null;
  launchable: boolean;
  note: string | null;
}

describe('installer ISOs and cloud images in ISO storage', () => {
  it('launches a cloud image found in ISO storage by hard-linking it into the import storage first', async () => {
    const res = await alice.get<{ items: Image[] }>('/api/v1/catalog', { query: { limit: 100 } });
    const byId = new Map(res.body.items.map((i) => [i.id, i]));
    expect(byId.get('local:iso/jammy-server-cloudimg-amd64.img')).toMatchObject({
      kind: 'cloud-image',
      os: 'ubuntu',
      version: '22.04',
      instanceType: 'vm',
      launchable: true,
      note: null,
    });
    expect(byId.get('local:iso/debian-12.8.0-amd64-netinst.iso')).toMatchObject({
      kind: 'iso',
      instanceType: 'vm',
      launchable: true,
      note: null,
    });
    expect(byId.has('local:import/jammy-server-cloudimg-amd64.img')).toBe(false);
    const { instance, op } = await launch(alice, {
      name: 'jammy',
      template: 'local:iso/jammy-server-cloudimg-amd64.img',
      keyPairIds: [],
    });
    expect(instance).toMatchObject({
      status: 'running',
      template: 'local:iso/jammy-server-cloudimg-amd64.img',
    });
    expect(instance.user).toBe('ubuntu');
    expect(op.steps[0]).toMatchObject({
      name: 'import-link',
      status: 'succeeded',
      detail: 'linked as local:import/jammy-server-cloudimg-amd64.img',
    });
    const content = t.sim.inspect().storageContent.pve1!.local!.map((v) => v.volid);
    expect(content).toContain('local:import/jammy-server-cloudimg-amd64.img');
    const g = t.sim.inspect().guests.find((x) => x.vmid === instance.vmid)!;
    expect(g.config.scsi0).toMatch(/size=4G$/); // imported (3.5 GiB), grown to t.nano's 4 GB
    // again: the link exists already (step says so), or the import copy is used directly
    const again = await launch(alice, {
      name: 'jammy-2',
      template: 'jammy-server-cloudimg-amd64.img',
      start: false,
    });
    expect(again.op.status).toBe('succeeded');
    // by file name, an existing import copy wins over the ISO-storage file
    const noble = await launch(alice, {
      name: 'noble',
      template: 'noble-server-cloudimg-amd64.img',
      start: false,
    });
    expect(noble.instance.template).toBe('local:import/noble-server-cloudimg-amd64.img');
    expect(noble.op.steps.some((s) => s.name === 'import-link')).toBe(false);
  });

  it('launches an ISO as an empty root disk plus the ISO as CD-ROM, booting from it; no cloud-init', async () => {
    const { instance, op } = await launch(alice, {
      name: 'installer',
      template: 'debian-12.8.0-amd64-netinst.iso',
      sizeGib: 12,
    });
    expect(instance).toMatchObject({
      status: 'running',
      template: 'local:iso/debian-12.8.0-amd64-netinst.iso',
    });
    expect(instance.user).toBeNull();
    expect(op.steps.find((s) => s.name === 'network')?.status).toBe('skipped');
    const g = t.sim.inspect().guests.find((x) => x.vmid === instance.vmid)!;
    expect(g.config.scsi0).toMatch(/^[a-z-]+:vm-\d+-disk-0,discard=on,iothread=1,size=12G$/);
    expect(g.config.ide2).toBe('local:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom');
    expect(g.config.boot).toBe('order=ide2;scsi0');
    for (const k of ['ciuser', 'sshkeys', 'ipconfig0', 'cicustom', 'vga'])
      expect(g.config[k]).toBeUndefined();
    const ud = await alice.post<ErrorBody>('/api/v1/instances', {
      name: 'installer-ud',
      type: 'vm',
      template: 'debian-12.8.0-amd64-netinst.iso',
      userData: '#cloud-config\n',
    });
    expect(ud.status).toBe(422);
    expect(ud.body.error.code).toBe('user_data_not_applicable');
    const term = await alice.delete<{ operation: Op; instance: Inst }>(`/api/v1/instances/${instance.id}`, {
      query: { confirm: 'installer' },
    });
    expect(term.status).toBe(202);
    await t.compute.engine.idle();
    // every finished operation is audited: owner as actor, the originating request's id
    type Entry = {
      action: string;
      result: string;
      userId: string | null;
      username: string | null;
      requestId: string;
      details: Record<string, unknown> | null;
    };
    const audit = await t.ctx.admin.get<{ items: Entry[] }>('/api/v1/logs/audit', {
      query: { resourceId: instance.id, limit: 50 },
    });
    const by = (a: string) => audit.body.items.find((e) => e.action === a);
    const launched = by('instances.launch')!;
    const done = by('instances.launch.completed')!;
    expect(done).toMatchObject({ result: 'success', userId: launched.userId, requestId: launched.requestId });
    expect(done.username).toBe(launched.username);
    expect(done.details).toMatchObject({ operationId: op.id, status: 'succeeded' });
    const terminated = by('instances.terminate.completed')!;
    expect(terminated).toMatchObject({ result: 'success', requestId: by('instances.terminate')!.requestId });
  });

  it('a failed operation is audited as a failure with its error code', async () => {
    t.sim.faults.failTask({ type: 'qmcreate', message: 'unable to create VM - out of cheese' });
    const res = await alice.post<{ instance: Inst; operation: Op }>('/api/v1/instances', {
      name: 'cheese',
      type: 'vm',
      template: 'debian-12.8.0-amd64-netinst.iso',
      instanceType: 't.nano',
    });
    expect(res.status, res.text).toBe(202);
    await t.compute.engine.idle();
    const audit = await t.ctx.admin.get<{
      items: { action: string; result: string; details: { error?: { code: string } } | null }[];
    }>('/api/v1/logs/audit', {
      query: { resourceId: res.body.instance.id, action: 'instances.launch.completed' },
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      result: 'failure',
      details: { error: { code: 'pve_task_failed' } },
    });
  });
});
