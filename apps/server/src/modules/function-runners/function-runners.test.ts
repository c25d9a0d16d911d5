/**
 * Managed function runners end to end on the simulator (HTTPS API + SSH host agent): the
 * simulator runs the REAL runner pushed into each container (guest-runners.ts), so a function
 * invoked through the API runs on it. Create → register → invoke → upgrade (new version, rolling)
 * → runner faults (killed process: failover; lost container: health + re-create) → delete;
 * a failed install rolls back; admin only; the secret never shows in operations or audit.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ComputeTestContext } from '../../testing/compute-kit.ts';
import { type ErrorBody, type Op, useComputeContext, waitOp } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runnerEntry } from '../functions/index.ts';
import { waitTask } from '../instances/index.ts';
import { forgetRunnerBundle } from './function-runners.bundle.ts';
import type { FunctionRunnerView } from './function-runners.service.ts';

// the runner package the server carries: a copy, so the test can make a "new version" of it
const pkg = mkdtempSync(join(tmpdir(), 'fnr-pkg-'));
cpSync(join(runnerEntry(), '..', '..'), pkg, { recursive: true, filter: (p) => !p.includes('node_modules') });
process.env.PROXICLOUD_FUNCTION_RUNNER_SRC = join(pkg, 'src');
forgetRunnerBundle();
afterAll(() => {
  delete process.env.PROXICLOUD_FUNCTION_RUNNER_SRC;
  forgetRunnerBundle();
  rmSync(pkg, { recursive: true, force: true });
});

let t: ComputeTestContext;
let admin: TestClient;
let alice: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  admin = t.ctx.admin;
  alice = await t.ctx.newUser({ role: 'operator' });
});

const ENV = '/root/.proxicloud/app/app.env';
const guest = (vmid: number | null | undefined) => t.sim.inspect().guests.find((g) => g.vmid === vmid);
const secretIn = (vmid: number | null) =>
  /PROXICLOUD_RUNNER_SECRET='([^']+)'/.exec(guest(vmid)?.guestFiles?.[ENV]?.data ?? '')?.[1];
const get = async (id: string) =>
  (await admin.get<FunctionRunnerView>(`/api/v1/functions/runners/${id}`)).body;

async function createRunner(name: string): Promise<{ runner: FunctionRunnerView; op: Op }> {
  const res = await admin.post<FunctionRunnerView & ErrorBody>('/api/v1/functions/runners', { name });
  expect(res.status, res.text).toBe(201);
  expect(res.body.status).toBe('creating');
  const op = await waitOp(admin, res.body.activeOperationId!, 60_000);
  return { runner: await get(res.body.id), op };
}

let fnId: string;
const invoke = (payload: unknown) =>
  alice.post<{ status: string; result: unknown; error?: { type: string } }>(
    `/api/v1/functions/${fnId}/invoke`,
    {
      payload,
    },
  );

describe('managed function runners', () => {
  let a: FunctionRunnerView;
  let b: FunctionRunnerView;

  it('is admin only', async () => {
    expect((await alice.get('/api/v1/functions/runners')).status).toBe(403);
    expect((await alice.post('/api/v1/functions/runners', { name: 'mine' })).status).toBe(403);
    expect((await alice.get('/api/v1/functions/runners/fnr-x')).status).toBe(403);
    expect((await alice.post('/api/v1/functions/runners/fnr-x/upgrade', {})).status).toBe(403);
    expect((await alice.delete('/api/v1/functions/runners/fnr-x')).status).toBe(403);
    const reader = await t.ctx.newUser({ role: 'readonly' });
    expect((await reader.get('/api/v1/functions/runners')).status).toBe(403);
    expect((await admin.get('/api/v1/functions/runners', { anonymous: true })).status).toBe(401);
    expect((await admin.get('/api/v1/functions/runners/fnr-x')).status).toBe(404);
    const empty = await admin.get<{ items: unknown[] }>('/api/v1/functions/runners');
    expect(empty.body.items).toEqual([]);
  });

  it('creates a runner container, installs and health-checks the runner, registers it', async () => {
    const made = await createRunner('runner-a');
    a = made.runner;
    expect(made.op.status, JSON.stringify(made.op.error)).toBe('succeeded');
    expect(a).toMatchObject({
      status: 'ready',
      health: 'healthy',
      upgradeAvailable: false,
      activeInvocations: 0,
    });
    expect(a.version).toBe(a.latestVersion);
    expect(a.sandbox?.bwrap).toBe(true);
    expect(a.address).toMatch(/^\d+\.\d+\.\d+\.\d+:8790$/);
    const g = guest(a.vmid)!;
    expect(g.type).toBe('lxc');
    expect(g.status).toBe('running');
    expect(g.config).toMatchObject({ unprivileged: '1', features: 'nesting=1', hostname: 'runner-a' });
    expect(g.config.ostemplate ?? g.config.description).toBeTruthy();
    // the runner files, its unit and the apt packages travel in setup.sh; the secret only in app.env (0600)
    const setup = g.guestFiles?.['/root/.proxicloud/app/setup.sh']?.data ?? '';
    expect(setup).toContain("pc_runner_file 'runner.mjs'");
    expect(setup).toContain('pc_apt nodejs bubblewrap python3');
    expect(g.guestFiles?.[ENV]?.mode).toBe('0600');
    const secret = secretIn(a.vmid)!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(setup).not.toContain(secret);
    expect(g.guestExecs?.map((e) => e.argv.at(-1))).toEqual(['install']);
    expect(t.sim.guestRunnerPid(a.vmid!)).toBeGreaterThan(0);
    // never in the operation (params, steps) nor the audit log
    const op = await admin.get(`/api/v1/operations/${made.op.id}`);
    expect(op.text).not.toContain(secret);
    const audit = await admin.get('/api/v1/logs/audit?limit=200');
    expect(audit.text).toContain('function_runners.create');
    expect(audit.text).not.toContain(secret);
    const row = await t.ctx.app.services.db.kysely
      .selectFrom('operations')
      .select('params')
      .where('id', '=', made.op.id)
      .executeTakeFirstOrThrow();
    expect(typeof row.params === 'string' ? JSON.parse(row.params) : row.params).toEqual({});
    const list = await admin.get<{ items: FunctionRunnerView[] }>('/api/v1/functions/runners');
    expect(list.body.items.map((r) => r.name)).toEqual(['runner-a']);
  }, 90_000);

  it('runs invocations on the managed runner (the local runner never starts)', async () => {
    const fn = await alice.post<{ id: string }>('/api/v1/functions', {
      name: 'where',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 5,
      code: { files: { 'index.mjs': 'export const handler = async (e) => ({ echo: e.n });' } },
    });
    expect(fn.status, fn.text).toBe(201);
    fnId = fn.body.id;
    const r = await invoke({ n: 1 });
    expect(r.status, r.text).toBe(200);
    expect(r.body, r.text).toMatchObject({ status: 'success', result: { echo: 1 } });
    const runners = t.ctx.app.modules.functions.runners;
    expect(runners.clients.map((c) => c.label)).toEqual(['runner-a']);
    expect(runners.local?.pid).toBeUndefined();
  }, 60_000);

  it('upgrades to a new runner version one runner at a time, invocations keep working', async () => {
    b = (await createRunner('runner-b')).runner;
    expect(b.status).toBe('ready');
    // a new runner version on this server
    writeFileSync(join(pkg, 'src', 'index.mjs'), '\n// a new version\n', { flag: 'a' });
    forgetRunnerBundle();
    const before = await get(a.id);
    expect(before.upgradeAvailable).toBe(true);
    const pid = t.sim.guestRunnerPid(a.vmid!);
    const up = await admin.post<Op>(`/api/v1/functions/runners/${a.id}/upgrade`, {});
    expect(up.status, up.text).toBe(202);
    // rolling: the other runner waits for this one
    const other = await admin.post<ErrorBody>(`/api/v1/functions/runners/${b.id}/upgrade`, {});
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('upgrade_in_progress');
    expect((await invoke({ n: 2 })).body).toMatchObject({ status: 'success', result: { echo: 2 } });
    const op = await waitOp(admin, up.body.id, 60_000);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    a = await get(a.id);
    expect(a).toMatchObject({ status: 'ready', health: 'healthy', upgradeAvailable: false });
    expect(a.version).toBe(before.latestVersion);
    expect(a.version).not.toBe(before.version);
    expect(t.sim.guestRunnerPid(a.vmid!)).not.toBe(pid);
    expect(guest(a.vmid)?.guestExecs?.map((e) => e.argv.at(-1))).toEqual(['install', 'update']);
    const opB = await admin.post<Op>(`/api/v1/functions/runners/${b.id}/upgrade`, {});
    expect((await waitOp(admin, opB.body.id, 60_000)).status).toBe('succeeded');
    expect(t.ctx.app.modules.functions.runners.clients.map((c) => c.label).sort()).toEqual([
      'runner-a',
      'runner-b',
    ]);
  }, 120_000);

  it('drains a runner before restarting it: its running invocation finishes', async () => {
    const slow = await alice.post<{ id: string }>('/api/v1/functions', {
      name: 'slow',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 10,
      code: {
        files: {
          'index.mjs':
            'export const handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "done"; };',
        },
      },
    });
    expect(slow.status, slow.text).toBe(201);
    const running = alice.post<{ status: string; result: unknown }>(
      `/api/v1/functions/${slow.body.id}/invoke`,
      {
        payload: {},
      },
    );
    const runners = t.ctx.app.modules.functions.runners;
    let busy: FunctionRunnerView | undefined;
    await expect
      .poll(() => {
        busy = [a, b].find((r) => (runners.managedClient(r.id)?.active ?? 0) > 0);
        return busy?.name;
      })
      .toBeTruthy();
    const pid = t.sim.guestRunnerPid(busy!.vmid!);
    const up = await admin.post<Op>(`/api/v1/functions/runners/${busy!.id}/upgrade`, {});
    expect(up.status, up.text).toBe(202);
    // the runner is out of scheduling while its invocation still runs on it
    expect(runners.clients.map((c) => c.label)).not.toContain(busy!.name);
    expect((await get(busy!.id)).activeInvocations).toBe(1);
    expect((await running).body).toMatchObject({ status: 'success', result: 'done' });
    const op = await waitOp(admin, up.body.id, 60_000);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.find((s) => s.name === 'drain')?.detail).toBe('drained');
    expect(t.sim.guestRunnerPid(busy!.vmid!)).not.toBe(pid);
    expect(runners.clients.map((c) => c.label).sort()).toEqual(['runner-a', 'runner-b']);
  }, 60_000);

  it('survives a runner dying: at most one invocation fails, the next ones run on the other', async () => {
    process.kill(t.sim.guestRunnerPid(a.vmid!)!, 'SIGKILL');
    const results: string[] = [];
    for (let i = 0; i < 4; i++) results.push((await invoke({ n: i })).body.status);
    expect(results.filter((s) => s !== 'success').length).toBeLessThanOrEqual(1);
    expect(results.slice(-3)).toEqual(['success', 'success', 'success']);
    // the health pass reports the runner that stopped answering and takes it out of scheduling
    await t.ctx.app.modules.functionRunners.service.checkHealth();
    expect(await get(a.id)).toMatchObject({ health: 'unhealthy', status: 'ready' });
    expect(t.ctx.app.modules.functions.runners.clients.map((c) => c.label)).toEqual(['runner-b']);
  }, 60_000);

  it('reports a lost container and re-creates it (new container, new secret)', async () => {
    const oldSecret = secretIn(a.vmid);
    expect(oldSecret).toBeTruthy();
    const client = t.ctx.app.services.pve().client;
    const g = client.node(a.node!).guest('lxc', a.vmid!);
    await waitTask(client, a.node!, await g.stop({}), new AbortController().signal);
    await waitTask(client, a.node!, await g.delete({ purge: true }), new AbortController().signal);
    await t.ctx.app.modules.functionRunners.service.checkHealth();
    const lost = await get(a.id);
    expect(lost.health).toBe('lost');
    expect(lost.healthReason).toBe(`container ${a.vmid} is gone`);
    const re = await admin.post<Op>(`/api/v1/functions/runners/${a.id}/recreate`, {});
    expect(re.status, re.text).toBe(202);
    const op = await waitOp(admin, re.body.id, 60_000);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const back = await get(a.id);
    expect(back).toMatchObject({ status: 'ready', health: 'healthy' });
    // a new container (the vmid may be reused): only the install ran in it
    expect(guest(back.vmid)?.guestExecs?.map((e) => e.argv.at(-1))).toEqual(['install']);
    expect(secretIn(back.vmid)).not.toBe(oldSecret);
    expect(t.ctx.app.modules.functions.runners.clients.map((c) => c.label).sort()).toEqual([
      'runner-a',
      'runner-b',
    ]);
    expect((await invoke({ n: 9 })).body).toMatchObject({ status: 'success' });
    a = back;
  }, 90_000);

  it('rolls back a failed install: no container left, the operation carries the error', async () => {
    const before = new Set(t.sim.inspect().guests.map((g) => g.vmid));
    t.sim.guestAppDefaults({
      fail: { phase: 'install', code: 100, stderr: 'E: Unable to locate package bubblewrap' },
    });
    try {
      const res = await admin.post<FunctionRunnerView>('/api/v1/functions/runners', { name: 'runner-c' });
      expect(res.status).toBe(201);
      const op = await waitOp(admin, res.body.activeOperationId!, 60_000);
      expect(op.status).toBe('failed');
      expect(op.error?.code).toBe('setup_failed');
      expect(op.error?.message).toMatch(/exited with status 100: E: Unable to locate package bubblewrap/);
      expect(t.sim.inspect().guests.filter((g) => !before.has(g.vmid))).toEqual([]);
      expect((await admin.get(`/api/v1/functions/runners/${res.body.id}`)).status).toBe(404);
      expect(t.ctx.app.modules.functions.runners.clients).toHaveLength(2);
    } finally {
      t.sim.guestAppDefaults({ fail: null });
    }
  }, 60_000);

  it('deletes a runner: drained, container destroyed, no longer scheduled', async () => {
    const res = await admin.delete<Op>(`/api/v1/functions/runners/${b.id}`);
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(admin, res.body.id, 60_000);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(guest(b.vmid)).toBeUndefined();
    expect(t.sim.guestRunnerPid(b.vmid!)).toBeNull();
    expect((await admin.get(`/api/v1/functions/runners/${b.id}`)).status).toBe(404);
    expect(t.ctx.app.modules.functions.runners.clients.map((c) => c.label)).toEqual(['runner-a']);
    expect((await invoke({ n: 10 })).body).toMatchObject({ status: 'success' });
    const last = await admin.delete<Op>(`/api/v1/functions/runners/${a.id}`);
    expect((await waitOp(admin, last.body.id, 60_000)).status).toBe('succeeded');
  }, 60_000);
});
