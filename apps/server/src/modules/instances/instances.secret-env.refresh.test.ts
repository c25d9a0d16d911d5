/**
 * `GET /instances/{id}/secret-env` (references, never values) and `POST …/secret-env/refresh`
 * (re-inject into a running container now, over the real simulator's SSH `pct push`): the new
 * version reaches the guest without a restart, every refresh is audited as `secrets.inject` with
 * the caller as actor (past the resolve cache), VMs / stopped containers / instances without
 * secretEnv answer 409 with a clear code, other users get 404 and ReadOnly 403.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let reader: TestClient;
let ct: Inst;
let vm: Inst;
let plain: Inst;

const V1 = 'refresh-v1-s3cret';
const V2 = 'refresh-v2-s3cret';

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  reader = await t.ctx.newUser({ role: 'readonly' });
  expect((await alice.post('/api/v1/secrets', { name: 'rf/db', value: V1 })).status).toBe(201);
  ct = (
    await launch(alice, {
      name: 'rf-ct',
      type: 'lxc',
      template: LXC_TEMPLATE,
      secretEnv: { DB_PASSWORD: 'rf/db' },
    })
  ).instance;
  vm = (await launch(alice, { name: 'rf-vm', secretEnv: { DB_PASSWORD: 'rf/db' } })).instance;
  plain = (await launch(alice, { name: 'rf-plain', type: 'lxc', template: LXC_TEMPLATE })).instance;
});

const guestFile = (vmid: number | null) =>
  t.sim.inspect().guests.find((g) => g.vmid === vmid)?.guestFiles?.['/etc/proxicloud/secrets.env']?.data ??
  '';

interface SecretEnvView {
  file: string;
  refreshable: boolean;
  secretEnv: {
    envName: string;
    ref: string;
    name: string | null;
    version: number | null;
    problem: string | null;
  }[];
}
type Refresh = { injected: { envName: string; name: string; version: number }[]; file: string };

async function injectAudits(): Promise<{ userId: string | null; details: unknown }[]> {
  const res = await t.ctx.admin.get<{
    items: { action: string; resourceId: string; userId: string | null; details: unknown }[];
  }>('/api/v1/logs/audit', { query: { action: 'secrets.inject', limit: 200 } });
  return res.body.items.filter((e) => e.action === 'secrets.inject' && e.resourceId === ct.id);
}

describe('secretEnv of an instance', () => {
  it('shows env name → secret name and version, never values; others get 404', async () => {
    const res = await alice.get<SecretEnvView>(`/api/v1/instances/${ct.id}/secret-env`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      file: '/etc/proxicloud/secrets.env',
      refreshable: true,
      secretEnv: [{ envName: 'DB_PASSWORD', ref: 'rf/db', name: 'rf/db', version: 1, problem: null }],
    });
    expect(JSON.stringify(res.body)).not.toContain(V1);
    expect((await alice.get<SecretEnvView>(`/api/v1/instances/${vm.id}/secret-env`)).body.refreshable).toBe(
      false,
    );
    expect((await alice.get<SecretEnvView>(`/api/v1/instances/${plain.id}/secret-env`)).body).toMatchObject({
      refreshable: false,
      secretEnv: [],
    });
    expect((await bob.get(`/api/v1/instances/${ct.id}/secret-env`)).status).toBe(404);
    expect((await t.ctx.admin.get(`/api/v1/instances/${ct.id}/secret-env`)).status).toBe(200);
  });

  it('refresh pushes a new version into the running container now, audited with the caller', async () => {
    expect((await alice.put('/api/v1/secrets/rf/db', { value: V2 })).status).toBe(200);
    expect(guestFile(ct.vmid)).toContain(`DB_PASSWORD="${V1}"`);
    const before = (await injectAudits()).length;
    const res = await alice.post<Refresh>(`/api/v1/instances/${ct.id}/secret-env/refresh`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.injected).toEqual([
      expect.objectContaining({ envName: 'DB_PASSWORD', name: 'rf/db', version: 2 }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(V2);
    expect(guestFile(ct.vmid)).toContain(`DB_PASSWORD="${V2}"`);
    // a second refresh right away is read past the cache and audited again
    expect((await alice.post(`/api/v1/instances/${ct.id}/secret-env/refresh`)).status).toBe(200);
    const audits = await injectAudits();
    expect(audits.length).toBe(before + 2);
    expect(audits[0]!.userId).toBe(alice.user.id);
    expect(JSON.stringify(audits)).not.toContain(V2);
    expect(
      (await alice.get<SecretEnvView>(`/api/v1/instances/${ct.id}/secret-env`)).body.secretEnv[0]!.version,
    ).toBe(2);
  });

  it('admins may refresh; other users get 404 and ReadOnly 403', async () => {
    expect((await t.ctx.admin.post(`/api/v1/instances/${ct.id}/secret-env/refresh`)).status).toBe(200);
    expect((await bob.post(`/api/v1/instances/${ct.id}/secret-env/refresh`)).status).toBe(404);
    expect((await reader.post(`/api/v1/instances/${ct.id}/secret-env/refresh`)).status).toBe(403);
  });

  it('409 with a clear code for a VM, an instance without secretEnv and a stopped container', async () => {
    const onVm = await alice.post<ErrorBody>(`/api/v1/instances/${vm.id}/secret-env/refresh`);
    expect(onVm.status).toBe(409);
    expect(onVm.body.error.code).toBe('refresh_not_supported');
    expect(onVm.body.error.message).toMatch(/Reboot it/);
    const none = await alice.post<ErrorBody>(`/api/v1/instances/${plain.id}/secret-env/refresh`);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('no_secret_env');
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${ct.id}/stop`);
    expect((await waitOp(alice, stop.body.operation.id)).status).toBe('succeeded');
    const stopped = await alice.post<ErrorBody>(`/api/v1/instances/${ct.id}/secret-env/refresh`);
    expect(stopped.status).toBe(409);
    expect(stopped.body.error.code).toBe('invalid_state');
    expect(stopped.body.error.message).toMatch(/written when it starts/);
  });

  it('a reference that no longer resolves is shown with the reason', async () => {
    expect((await alice.delete('/api/v1/secrets/rf/db', { query: { force: 'true' } })).status).toBeLessThan(
      300,
    );
    const res = await alice.get<SecretEnvView>(`/api/v1/instances/${ct.id}/secret-env`);
    expect(res.body.secretEnv[0]).toMatchObject({ envName: 'DB_PASSWORD', name: null, version: null });
    expect(res.body.secretEnv[0]!.problem).toMatch(/does not exist/);
  });
});
