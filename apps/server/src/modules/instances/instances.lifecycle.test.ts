import { decodeSshKeys } from '@proxicloud/proxmox-client';
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  type Op,
  useComputeContext,
  VM_IMAGE,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

interface Volume {
  id: string;
  status: string;
  instanceId: string | null;
  device: string | null;
  deviceName: string | null;
  pveVolid: string | null;
  node: string;
}
interface Snapshot {
  id: string;
  name: string;
  sizeBytes: number;
}

function guestOf(vmid: number) {
  return t.sim.inspect().guests.find((g) => g.vmid === vmid);
}

describe('catalog and instance types', () => {
  it('lists cloud images, LXC templates and ISOs with parsed OS and version', async () => {
    const res = await alice.get<{
      items: {
        id: string;
        kind: string;
        os: string;
        version: string;
        launchable: boolean;
        nodes: string[];
      }[];
      total: number;
    }>('/api/v1/catalog', { query: { limit: 100 } });
    expect(res.status, res.text).toBe(200);
    const byId = new Map(res.body.items.map((i) => [i.id, i]));
    expect(byId.get(VM_IMAGE)).toMatchObject({
      kind: 'cloud-image',
      os: 'debian',
      version: '12',
      launchable: true,
      nodes: ['pve1'],
    });
    expect(byId.get(LXC_TEMPLATE)).toMatchObject({ kind: 'lxc-template', os: 'debian', version: '12.7' });
    expect(byId.get('local:iso/debian-12.8.0-amd64-netinst.iso')).toMatchObject({
      kind: 'iso',
      launchable: true,
    });
    const lxc = await alice.get<{ items: { kind: string }[] }>('/api/v1/catalog', { query: { type: 'lxc' } });
    expect(lxc.body.items.every((i) => i.kind === 'lxc-template')).toBe(true);
    const types = await alice.get<{ items: { name: string; vcpu: number; memory: number }[] }>(
      '/api/v1/instance-types',
    );
    expect(types.body.items.map((x) => x.name)).toEqual([
      't.nano',
      't.micro',
      't.small',
      't.medium',
      't.large',
      't.xlarge',
    ]);
    expect(types.body.items.find((x) => x.name === 't.small')).toMatchObject({ vcpu: 1, memory: 1024 });
  });

  it('admins add and delete their own instance types; built-ins stay; operators cannot', async () => {
    const body = { name: 'm.big', vcpu: 4, memory: 6144, sizeGib: 30, description: 'memory heavy' };
    expect((await alice.post<ErrorBody>('/api/v1/instance-types', body)).status).toBe(403);
    expect((await t.ctx.admin.post('/api/v1/instance-types', body)).status).toBe(201);
    expect((await t.ctx.admin.post<ErrorBody>('/api/v1/instance-types', body)).status).toBe(409);
    expect((await t.ctx.admin.delete<ErrorBody>('/api/v1/instance-types/t.small')).body.error.code).toBe(
      'conflict',
    );
    expect((await t.ctx.admin.delete('/api/v1/instance-types/m.big')).status).toBe(204);
  });
});

describe('full lifecycle: launch → attach volume → snapshot → restore → clone → detach → terminate', () => {
  let inst: Inst;
  let keyId: string;
  let vol: Volume;
  let snap: Snapshot;

  it('creates a key pair (private key once) and launches a VM with it', async () => {
    const kp = await alice.post<{
      keyPair: { id: string; publicKey: string; fingerprint: string };
      privateKey: string;
    }>('/api/v1/key-pairs', { name: 'laptop' });
    expect(kp.status, kp.text).toBe(201);
    expect(kp.body.privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');
    keyId = kp.body.keyPair.id;
    const again = await alice.get<Record<string, unknown>>(`/api/v1/key-pairs/${keyId}`);
    expect(JSON.stringify(again.body)).not.toContain('PRIVATE');

    const res = await alice.post<{ instance: Inst; operation: Op }>('/api/v1/instances', {
      name: 'web-1',
      type: 'vm',
      template: VM_IMAGE,
      instanceType: 't.small',
      sizeGib: 12,
      keyPairIds: [keyId],
      tags: { env: 'test' },
    });
    expect(res.status, res.text).toBe(202);
    // The worker may already have picked the operation up by the time the response is built.
    expect(['pending', 'creating']).toContain(res.body.instance.status);
    expect(res.body.instance).toMatchObject({
      vcpu: 1,
      memory: 1024,
      sizeGib: 12,
      node: 'pve1',
      user: 'debian',
    });
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'allocate:succeeded',
      'create:succeeded',
      'resize:succeeded',
      // no networkIds: the caller's default network (created on first need) gets the NIC
      'networks:succeeded',
      'start:succeeded',
      'network:succeeded',
    ]);
    inst = (await alice.get<Inst>(`/api/v1/instances/${res.body.instance.id}`)).body;
    expect(inst).toMatchObject({ status: 'running', type: 'vm', activeOperationId: null });
    expect(inst.ipAddresses.length).toBeGreaterThan(0);
    expect(inst.usage?.memoryMaxBytes).toBe(1024 * 1024 ** 2);

    const g = guestOf(inst.vmid!)!;
    expect(g.status).toBe('running');
    expect(g.config.tags).toBe(`proxicloud;${inst.id}`);
    expect(g.config.ciuser).toBe('debian');
    // the default network's first DHCP-range address, reserved in IPAM
    expect(g.config.ipconfig0).toBe('ip=172.31.0.10/20,gw=172.31.0.1');
    expect(g.config.scsi0).toMatch(/size=12G/);
    // sshkeys reach PVE encoded exactly once: decoding gives back the key line
    expect(decodeSshKeys(g.config.sshkeys)).toEqual([kp.body.keyPair.publicKey]);
  });

  it('creates a volume and attaches it as the next free SCSI disk', async () => {
    const created = await alice.post<Volume>('/api/v1/volumes', {
      name: 'data',
      sizeGib: 5,
      volumeType: 'ssd',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      status: 'available',
      node: 'pve1',
      pveVolid: 'local-zfs:vm-999999999-disk-0',
    });
    vol = created.body;
    const att = await alice.post<{ volume: Volume; operation: Op }>(`/api/v1/volumes/${vol.id}/attach`, {
      instanceId: inst.id,
    });
    expect(att.status, att.text).toBe(202);
    expect(att.body.volume.status).toBe('attaching');
    const op = await waitOp(alice, att.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    vol = (await alice.get<Volume>(`/api/v1/volumes/${vol.id}`)).body;
    expect(vol).toMatchObject({
      status: 'in-use',
      instanceId: inst.id,
      device: 'scsi1',
      deviceName: '/dev/sdb',
    });
    expect(vol.pveVolid).toMatch(new RegExp(`^local-zfs:vm-${inst.vmid}-disk-\\d+$`));
    expect(guestOf(inst.vmid!)!.config.scsi1).toMatch(new RegExp(`^${vol.pveVolid},`));
  });

  it('snapshots the volume; restore needs the instance stopped; clone makes a new volume', async () => {
    const s = await alice.post<Snapshot>(`/api/v1/volumes/${vol.id}/snapshot`, {
      name: 'before-upgrade',
      description: 'known good',
    });
    expect(s.status, s.text).toBe(201);
    snap = s.body;
    const ds = `rpool/data/${vol.pveVolid!.split(':')[1]}`;
    expect(t.sim.inspect().zfs.pve1!.some((d) => d.name.startsWith(`${ds}@pc-`))).toBe(true);
    const second = await alice.post<Snapshot>(`/api/v1/volumes/${vol.id}/snapshot`, { name: 'after' });
    expect(second.status).toBe(201);
    const list = await alice.get<{ items: Snapshot[] }>(`/api/v1/volumes/${vol.id}/snapshots`);
    expect(list.body.items.map((x) => x.name)).toEqual(['after', 'before-upgrade']);

    const busy = await alice.post<ErrorBody>(`/api/v1/snapshots/${snap.id}/restore`, {});
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('instance_running');
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${inst.id}/stop`, {
      timeoutSeconds: 10,
    });
    expect(stop.status, stop.text).toBe(202);
    expect((await waitOp(alice, stop.body.operation.id)).status).toBe('succeeded');
    const newer = await alice.post<ErrorBody>(`/api/v1/snapshots/${snap.id}/restore`, {});
    expect(newer.body.error.code).toBe('newer_snapshots');
    const restored = await alice.post<{ destroyedSnapshots: string[] }>(
      `/api/v1/snapshots/${snap.id}/restore`,
      { destroyNewer: true },
    );
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.destroyedSnapshots).toEqual([second.body.id]);
    expect(
      (await alice.get<{ items: Snapshot[] }>(`/api/v1/volumes/${vol.id}/snapshots`)).body.items.map(
        (x) => x.name,
      ),
    ).toEqual(['before-upgrade']);

    const clone = await alice.post<Volume>(`/api/v1/snapshots/${snap.id}/clone`, { name: 'data-copy' });
    expect(clone.status, clone.text).toBe(201);
    expect(clone.body).toMatchObject({ status: 'available', pveVolid: 'local-zfs:vm-999999999-disk-0' });
    const content = t.sim.inspect().storageContent.pve1!['local-zfs']!.map((c) => c.volid);
    expect(content).toContain('local-zfs:vm-999999999-disk-0');
    // the snapshot has a clone now: deleting it is refused
    const del = await alice.delete<ErrorBody>(`/api/v1/snapshots/${snap.id}`);
    expect(del.body.error.code).toBe('snapshot_has_clones');
    const start = await alice.post<{ operation: Op }>(`/api/v1/instances/${inst.id}/start`);
    expect((await waitOp(alice, start.body.operation.id)).status).toBe('succeeded');
  });

  it('detach from a running VM: refused while the guest agent reports it mounted (or cannot tell); force overrides; the volume goes back to the holder name and keeps its snapshots', async () => {
    expect(vol.device).toBe('scsi1');
    t.sim.guestAgent(inst.vmid!, { mounts: { scsi1: '/srv/data' } });
    const mounted = await alice.post<ErrorBody>(`/api/v1/volumes/${vol.id}/detach`, {});
    expect(mounted.status).toBe(409);
    expect(mounted.body.error.code).toBe('volume_mounted');
    expect(mounted.body.error.message).toContain('/dev/sdb is mounted at /srv/data');
    expect(mounted.body.error.details).toMatchObject({
      mountpoint: '/srv/data',
      disk: 'scsi1',
      device: '/dev/sdb',
    });
    t.sim.guestAgent(inst.vmid!, { available: false });
    const unknown = await alice.post<ErrorBody>(`/api/v1/volumes/${vol.id}/detach`, {});
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe('volume_maybe_mounted');
    expect(unknown.body.error.message).toContain('QEMU guest agent is not running');
    t.sim.guestAgent(inst.vmid!, { available: true });
    const det = await alice.post<{ operation: Op }>(`/api/v1/volumes/${vol.id}/detach`, { force: true });
    expect(det.status, det.text).toBe(202);
    const op = await waitOp(alice, det.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    vol = (await alice.get<Volume>(`/api/v1/volumes/${vol.id}`)).body;
    expect(vol).toMatchObject({ status: 'available', instanceId: null, device: null });
    expect(vol.pveVolid).toMatch(/^local-zfs:vm-999999999-disk-\d+$/);
    const g = guestOf(inst.vmid!)!;
    expect(Object.entries(g.config).filter(([k]) => /^(scsi[1-9]|unused)/.test(k))).toEqual([]);
    const snaps = await alice.get<{ items: Snapshot[] }>(`/api/v1/volumes/${vol.id}/snapshots`);
    expect(snaps.body.items.map((x) => x.name)).toEqual(['before-upgrade']);
    const leaf = vol.pveVolid!.split(':')[1];
    expect(t.sim.inspect().zfs.pve1!.some((d) => d.name.startsWith(`rpool/data/${leaf}@pc-`))).toBe(true);
  });

  it('re-attach and terminate: confirmation required, protected refuses, volumes survive termination', async () => {
    const att = await alice.post<{ operation: Op }>(`/api/v1/volumes/${vol.id}/attach`, {
      instanceId: inst.id,
    });
    expect((await waitOp(alice, att.body.operation.id)).status).toBe('succeeded');
    // freshly attached = not mounted in the guest: detach needs no force
    const det = await alice.post<{ operation: Op }>(`/api/v1/volumes/${vol.id}/detach`, {});
    expect(det.status, det.text).toBe(202);
    expect((await waitOp(alice, det.body.operation.id)).status).toBe('succeeded');
    const again = await alice.post<{ operation: Op }>(`/api/v1/volumes/${vol.id}/attach`, {
      instanceId: inst.id,
    });
    expect((await waitOp(alice, again.body.operation.id)).status).toBe('succeeded');

    const noConfirm = await alice.delete<ErrorBody>(`/api/v1/instances/${inst.id}`);
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body.error.code).toBe('confirmation_required');
    expect((await alice.put(`/api/v1/instances/${inst.id}`, { protected: true })).status).toBe(200);
    const prot = await alice.delete<ErrorBody>(`/api/v1/instances/${inst.id}`, {
      query: { confirm: inst.id },
    });
    expect(prot.status).toBe(409);
    expect(prot.body.error.code).toBe('instance_protected');
    expect((await alice.put(`/api/v1/instances/${inst.id}`, { protected: false })).status).toBe(200);

    const term = await alice.delete<{ instance: Inst; operation: Op }>(`/api/v1/instances/${inst.id}`, {
      query: { confirm: 'web-1' },
    });
    expect(term.status, term.text).toBe(202);
    expect(term.body.instance.status).toBe('terminating');
    const op = await waitOp(alice, term.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const gone = (await alice.get<Inst>(`/api/v1/instances/${inst.id}`)).body;
    expect(gone.status).toBe('terminated');
    expect(guestOf(inst.vmid!)).toBeUndefined();
    vol = (await alice.get<Volume>(`/api/v1/volumes/${vol.id}`)).body;
    expect(vol).toMatchObject({ status: 'available', instanceId: null });
    const content = t.sim.inspect().storageContent.pve1!['local-zfs']!.map((c) => c.volid);
    expect(content).toContain(vol.pveVolid);
    // the default list hides terminated instances
    const list = await alice.get<{ items: Inst[] }>('/api/v1/instances');
    expect(list.body.items.map((i) => i.id)).not.toContain(inst.id);
  });

  it('deletes volumes only when detached; a source with a clone is promoted away', async () => {
    const vols = (await alice.get<{ items: Volume[] }>('/api/v1/volumes')).body.items;
    expect(vols).toHaveLength(2);
    const del = await alice.delete(`/api/v1/volumes/${vol.id}`);
    expect(del.status, del.text).toBe(204);
    const left = (await alice.get<{ items: Volume[] }>('/api/v1/volumes')).body.items;
    expect(left.map((v) => v.id)).not.toContain(vol.id);
    const copy = left[0]!;
    expect(copy.status).toBe('available');
    expect((await alice.delete(`/api/v1/volumes/${copy.id}`)).status).toBe(204);
    const zfs = t.sim.inspect().zfs.pve1!.filter((d) => d.name.includes('999999999'));
    expect(zfs).toEqual([]);
  });

  it('launches an unprivileged LXC container with ssh-public-keys and a static address', async () => {
    const kp = await alice.post<{ id: string; publicKey: string }>('/api/v1/key-pairs/import', {
      name: 'imported',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX bob@host',
    });
    expect(kp.status, kp.text).toBe(201);
    // a static address on the plain bridge (vmbr0) is admin-only unless PROXICLOUD_BRIDGE_LAUNCH=all
    const settings = t.ctx.app.modules.networks.settings;
    const ctBody = {
      name: 'ct-1',
      type: 'lxc',
      template: LXC_TEMPLATE,
      sizeGib: 6,
      network: { mode: 'static', address: '10.20.0.5/24', gateway: '10.20.0.1' },
    };
    const refused = await alice.post<{ error: { code: string } }>('/api/v1/instances', {
      ...ctBody,
      instanceType: 't.nano',
    });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.code).toBe('bridge_launch_forbidden');
    settings.bridgeLaunch = 'all';
    const { instance } = await launch(alice, { ...ctBody, keyPairIds: [kp.body.id] });
    settings.bridgeLaunch = 'admin';
    expect(instance.status).toBe('running');
    const g = guestOf(instance.vmid!)!;
    expect(g.type).toBe('lxc');
    expect(g.config.unprivileged).toBe('1');
    expect(g.config.net0).toContain('ip=10.20.0.5/24');
    expect(g.config.net0).toContain('gw=10.20.0.1');
    expect(g.config.rootfs).toMatch(/size=6G/);
    // filesystem volumes attach to containers as mount points
    const v = await alice.post<Volume>('/api/v1/volumes', {
      name: 'ct-data',
      sizeGib: 2,
      format: 'filesystem',
      volumeType: 'hdd',
    });
    expect(v.status, v.text).toBe(201);
    const wrong = await alice.post<{ operation: Op }>(`/api/v1/volumes/${v.body.id}/attach`, {
      instanceId: instance.id,
      mountPath: '/srv/data',
    });
    expect((await waitOp(alice, wrong.body.operation.id)).status).toBe('succeeded');
    const attached = (await alice.get<Volume>(`/api/v1/volumes/${v.body.id}`)).body;
    expect(attached).toMatchObject({ device: 'mp0', deviceName: '/srv/data' });
    expect(guestOf(instance.vmid!)!.config.mp0).toMatch(/^tank:subvol-\d+-disk-\d+,mp=\/srv\/data/);
    const runningDetach = await alice.post<ErrorBody>(`/api/v1/volumes/${v.body.id}/detach`, { force: true });
    expect(runningDetach.body.error.code).toBe('instance_running');
  });
});
