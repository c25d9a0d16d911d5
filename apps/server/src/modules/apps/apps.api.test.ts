/**
 * Apps end to end on the simulator (HTTPS API + SSH host agent): deploy runs the operation's steps,
 * pushes lib.sh/app.env/setup.sh into the container and runs the phases with `pct exec` (recorded by
 * the simulator), the health check reaches the simulated app's listener; failure at each step rolls
 * back (instance terminated, volumes deleted, log kept); bad input answers 4xx and creates nothing;
 * update snapshots the volumes first; removal; custom templates.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import type { App } from './apps.schemas.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;

useComputeContext({}, async (c) => {
  t = c;
  const settings = c.ctx.app.modules.apps.settings;
  settings.pollMs = 20;
  settings.maxHealthWaitMs = 1500;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});

type Deployed = { app: App; operation: Op } & ErrorBody;

async function deploy(client: TestClient, body: Record<string, unknown>): Promise<{ app: App; op: Op }> {
  const res = await client.post<Deployed>('/api/v1/apps', body);
  expect(res.status, res.text).toBe(202);
  const op = await waitOp(client, res.body.operation.id);
  const app = (await client.get<App>(`/api/v1/apps/${res.body.app.id}`)).body;
  return { app, op };
}

const guest = (vmid: number | null | undefined) => t.sim.inspect().guests.find((g) => g.vmid === vmid);
const vmidOf = async (instanceId: string | null) =>
  (await alice.get<{ vmid: number; status: string }>(`/api/v1/instances/${instanceId}`)).body;
const counts = async () => ({
  apps: (await alice.get<{ total: number }>('/api/v1/apps')).body.total,
  instances: (await alice.get<{ items: { status: string }[] }>('/api/v1/instances')).body.items.filter(
    (i) => i.status !== 'terminated',
  ).length,
  volumes: (await alice.get<{ items: { status: string }[] }>('/api/v1/volumes')).body.items.filter(
    (v) => v.status !== 'deleted',
  ).length,
});

describe('catalog', () => {
  it('lists the 12 built-ins with logos and minimums; serves the schema and logos', async () => {
    const res = await alice.get<{ items: { id: string; logo: string; minimums: { memoryMib: number } }[] }>(
      '/api/v1/app-templates',
    );
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i) => i.id);
    for (const id of [
      'jellyfin',
      'plex',
      'nextcloud',
      'syncthing',
      'vaultwarden',
      'authentik',
      'uptime-kuma',
      'netdata',
      'gitlab',
      'code-server',
      'home-assistant',
      'node-red',
    ])
      expect(ids).toContain(id);
    const jf = res.body.items.find((i) => i.id === 'jellyfin')!;
    expect(jf.minimums.memoryMib).toBe(2048);
    const logo = await alice.get(jf.logo);
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toContain('image/svg+xml');
    const schema = await alice.get<{ properties: Record<string, unknown>; required: string[] }>(
      '/api/v1/app-templates/schema',
    );
    expect(schema.status).toBe(200);
    expect(schema.body.required).toEqual(expect.arrayContaining(['id', 'healthCheck', 'setup', 'minimums']));
    expect((await alice.get('/api/v1/app-templates/nope')).status).toBe(404);
    const one = await alice.get<{ template: { parameters: unknown[] } }>('/api/v1/app-templates/nextcloud');
    expect(one.body.template.parameters.length).toBe(3);
  });
});

describe('built-in health checks', () => {
  // The demo's simulated apps answer 200; Uptime Kuma's "/" is a 302 to the dashboard, so its check
  // is GET /api/entry-page (200, JSON) — with "/" expecting 302 the demo deploy never turned ready.
  it('Uptime Kuma turns ready (its health check expects a 200 page)', async () => {
    const { app, op } = await deploy(alice, { templateId: 'uptime-kuma', name: 'kuma' });
    expect([op.status, app.status, app.health.status], JSON.stringify(app.health)).toEqual([
      'succeeded',
      'ready',
      'healthy',
    ]);
    const del = await alice.delete<Deployed>(`/api/v1/apps/${app.id}?confirm=kuma&deleteVolumes=true`);
    expect(del.status, del.text).toBe(202);
    await waitOp(alice, del.body.operation.id);
  });
});

describe('deploy', () => {
  let app: App;

  it('runs creating → installing → configuring → health-check → ready through pct push/exec', async () => {
    const r = await deploy(alice, {
      templateId: 'netdata',
      name: 'metrics',
      params: { retentionHours: 48 },
    });
    app = r.app;
    expect(r.op.status, JSON.stringify(r.op)).toBe('succeeded');
    expect(r.op.steps.map((s) => [s.name, s.status])).toEqual([
      ['creating', 'succeeded'],
      ['installing', 'succeeded'],
      ['configuring', 'succeeded'],
      ['health-check', 'succeeded'],
      ['ready', 'succeeded'],
    ]);
    expect(app.status).toBe('ready');
    expect(app.health.status).toBe('healthy');
    expect(app.url).toBe(`http://${app.ip}:19999`);
    expect(app.notes).toContain(`http://${app.ip}:19999`);
    const inst = await vmidOf(app.instanceId);
    const g = guest(inst.vmid)!;
    expect(Object.keys(g.guestFiles ?? {}).sort()).toEqual([
      '/root/.proxicloud/app/app.env',
      '/root/.proxicloud/app/lib.sh',
      '/root/.proxicloud/app/setup.sh',
    ]);
    expect(g.guestFiles!['/root/.proxicloud/app/app.env']!.mode).toBe('0600');
    expect(g.guestFiles!['/root/.proxicloud/app/app.env']!.data).toContain("PC_PARAM_RETENTIONHOURS='48'");
    expect(g.guestExecs!.map((e) => e.argv.at(-1))).toEqual(['install', 'configure']);
    const tags = (await alice.get<{ tags: Record<string, string> }>(`/api/v1/instances/${app.instanceId}`))
      .body.tags;
    expect(tags.app).toBe('netdata');
    const logs = await alice.get<{ items: { step: string; line: string }[]; next: number }>(
      `/api/v1/apps/${app.id}/logs`,
    );
    expect(logs.body.items.some((l) => l.step === 'installing' && l.line.includes('pc_apt'))).toBe(true);
    expect(logs.body.items.some((l) => l.step === 'health-check' && l.line.includes('HTTP 200'))).toBe(true);
    const later = await alice.get<{ items: unknown[] }>(
      `/api/v1/apps/${app.id}/logs?after=${logs.body.next}`,
    );
    expect(later.body.items).toEqual([]);
    // hidden from others
    expect((await bob.get(`/api/v1/apps/${app.id}`)).status).toBe(404);
    expect((await bob.get<{ total: number }>('/api/v1/apps')).body.total).toBe(0);
  });

  it('creates and mounts the template volumes; secrets are generated, masked and kept out of the operation', async () => {
    const r = await deploy(alice, { templateId: 'code-server', name: 'ide' });
    expect(r.op.status, JSON.stringify(r.op.error)).toBe('succeeded');
    expect(r.app.params.password).toBe('********');
    expect(r.app.volumeIds).toHaveLength(1);
    const vol = (
      await alice.get<{ status: string; sizeGib: number }>(`/api/v1/volumes/${r.app.volumeIds[0]}`)
    ).body;
    expect(vol.status).toBe('in-use');
    expect(vol.sizeGib).toBe(10);
    const env = guest((await vmidOf(r.app.instanceId)).vmid)!.guestFiles!['/root/.proxicloud/app/app.env']!
      .data;
    const pw = /PC_PARAM_PASSWORD='([^']+)'/.exec(env)?.[1];
    expect(pw).toMatch(/^[A-Za-z0-9]{24}$/);
    const op = await alice.get(`/api/v1/operations/${r.op.id}`);
    expect(op.text).not.toContain(pw!);
    expect((await alice.get(`/api/v1/apps/${r.app.id}`)).text).not.toContain(pw!);
    const audit = await t.ctx.admin.get('/api/v1/audit?limit=200');
    expect(audit.text).not.toContain(pw!);
  });

  it('the periodic check sees the app go unhealthy', async () => {
    const inst = await vmidOf(app.instanceId);
    t.sim.guestApp(inst.vmid, { health: 503 });
    await t.ctx.app.modules.apps.refreshHealth();
    const now = (await alice.get<App>(`/api/v1/apps/${app.id}`)).body;
    expect(now.health.status).toBe('unhealthy');
    expect(now.health.detail).toContain('HTTP 503');
    t.sim.guestApp(inst.vmid, { health: 200 });
    await t.ctx.app.modules.apps.refreshHealth();
    expect((await alice.get<App>(`/api/v1/apps/${app.id}`)).body.health.status).toBe('healthy');
  });
});

describe('failure at each step rolls back', () => {
  for (const [step, arrange] of [
    [
      'installing',
      (vmid: number) =>
        t.sim.guestApp(vmid, { fail: { phase: 'install', stderr: 'E: Unable to locate package' } }),
    ],
    ['configuring', (vmid: number) => t.sim.guestApp(vmid, { fail: { phase: 'configure' } })],
    ['health-check', (vmid: number) => t.sim.guestApp(vmid, { health: 500 })],
  ] as const) {
    it(`fails at ${step}: instance terminated, volumes deleted, the step's log kept`, async () => {
      const before = await counts();
      const name = `fail-${step}`;
      const res = await alice.post<Deployed>('/api/v1/apps', { templateId: 'node-red', name });
      expect(res.status, res.text).toBe(202);
      // arrange the failure as soon as the container exists
      const launchOp = await waitOp(
        alice,
        (
          await alice.get<{ activeOperationId: string | null }>(
            `/api/v1/instances/${res.body.app.instanceId}`,
          )
        ).body.activeOperationId ?? res.body.operation.id,
      );
      expect(launchOp.status).toBe('succeeded');
      arrange((await vmidOf(res.body.app.instanceId)).vmid);
      const op = await waitOp(alice, res.body.operation.id);
      expect(op.status).toBe('failed');
      expect(op.steps.find((s) => s.name === step)?.status).toBe('failed');
      const app = (await alice.get<App>(`/api/v1/apps/${res.body.app.id}`)).body;
      expect(app.status).toBe('failed');
      expect(app.error?.step).toBe(step);
      const inst = await vmidOf(app.instanceId);
      expect(inst.status).toBe('terminated');
      const logs = (
        await alice.get<{ items: { step: string; line: string }[] }>(`/api/v1/apps/${app.id}/logs`)
      ).body.items;
      expect(logs.some((l) => l.step === step)).toBe(true);
      if (step === 'installing')
        expect(logs.some((l) => l.line.includes('Unable to locate package'))).toBe(true);
      expect(logs.some((l) => l.line.includes('terminated instance'))).toBe(true);
      const after = await counts();
      expect(after.instances).toBe(before.instances);
      expect(after.volumes).toBe(before.volumes);
      // a failed app can be removed
      const del = await alice.delete<Deployed>(`/api/v1/apps/${app.id}?confirm=${name}&deleteVolumes=true`);
      expect(del.status, del.text).toBe(202);
      expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
    });
  }
});

describe('bad input: clear 4xx, nothing created', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['unknown template', { templateId: 'no-such-app', name: 'x1' }, 404, 'not_found'],
    [
      'unknown parameter',
      { templateId: 'netdata', name: 'x2', params: { nope: 1 } },
      400,
      'unknown_parameter',
    ],
    [
      'wrong type',
      { templateId: 'netdata', name: 'x3', params: { retentionHours: 'a lot' } },
      400,
      'invalid_parameter',
    ],
    [
      'out of range',
      { templateId: 'netdata', name: 'x4', params: { retentionHours: 99999 } },
      400,
      'invalid_parameter',
    ],
    [
      'bad choice/pattern',
      { templateId: 'nextcloud', name: 'x5', params: { adminUser: 'Bad User' } },
      400,
      'invalid_parameter',
    ],
    [
      'memory below minimum',
      { templateId: 'gitlab', name: 'x6', instanceType: { memoryMib: 1024 } },
      422,
      'below_minimum',
    ],
    [
      'type below minimum',
      { templateId: 'gitlab', name: 'x7', instanceType: 't.nano' },
      422,
      'below_minimum',
    ],
    ['bad name', { templateId: 'netdata', name: 'Not A Label' }, 400, 'validation_error'],
  ];
  for (const [what, body, status, code] of cases) {
    it(what, async () => {
      const before = await counts();
      const res = await alice.post<ErrorBody>('/api/v1/apps', body);
      expect(res.status, res.text).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(await counts()).toEqual(before);
    });
  }

  it('over quota: the instance quota refuses, no app row', async () => {
    const before = await counts();
    const q = await t.ctx.admin.put(`/api/v1/quotas/${alice.user.id}`, { instances: before.instances });
    expect([200, 204]).toContain(q.status);
    const res = await alice.post<ErrorBody>('/api/v1/apps', { templateId: 'netdata', name: 'over' });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await counts()).toEqual(before);
    await t.ctx.admin.put(`/api/v1/quotas/${alice.user.id}`, { instances: null });
  });
});

describe('custom templates, update and removal', () => {
  const logo = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
  const yamlOf = (version: string, script = 'install_app() {\n  pc_log "install"\n}') =>
    [
      'formatVersion: 1',
      'id: my-notes',
      'name: My Notes',
      'description: A tiny notes app',
      'category: other',
      `version: "${version}"`,
      `logo: "${logo}"`,
      'base: { type: lxc, image: debian-12 }',
      'minimums: { vcpu: 1, memoryMib: 512, diskGib: 4 }',
      'parameters: []',
      'ports: [{ port: 8080, protocol: tcp, name: http }]',
      'volumes: [{ name: data, sizeGib: 1, mountPath: /srv/notes }]',
      'environment: {}',
      'downloads: []',
      'setup:',
      '  script: |',
      '    #!/bin/bash',
      '    set -euo pipefail',
      '    # shellcheck source=/dev/null',
      '    source /root/.proxicloud/app/lib.sh',
      ...script.split('\n').map((l) => `    ${l}`),
      '    case "${1:-install}" in',
      '      install) install_app ;;',
      '      configure) pc_log configure ;;',
      '      update) install_app ;;',
      '      *) exit 2 ;;',
      '    esac',
      'healthCheck: { type: tcp, port: 8080, timeoutSeconds: 60 }',
      'url: "http://{{ip}}:8080"',
      'notes: "Open http://{{ip}}:8080"',
    ].join('\n');

  it('refuses an unpinned or shellcheck-failing script with the line of the problem', async () => {
    const text = yamlOf('1.0', 'install_app() {\n  curl -o /tmp/x https://example.com/x\n  unused_var=1\n}');
    const res = await alice.post<ErrorBody>('/api/v1/app-templates', { text });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.code).toBe('invalid_template');
    const problems = res.body.error.details!.problems as { line: number; message: string }[];
    const lines = text.split('\n');
    const curl = lines.findIndex((l) => l.includes('curl')) + 1;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: curl, message: expect.stringContaining('pc_fetch') }),
      ]),
    );
    expect(problems.some((p) => p.message.startsWith('SC'))).toBe(true);
    expect((await alice.get('/api/v1/app-templates/my-notes')).status).toBe(404);
  });

  let app: App;
  it('adds a private template (others cannot see it), deploys it', async () => {
    const res = await alice.post<{ id: string; builtin: boolean; shared: boolean }>('/api/v1/app-templates', {
      text: yamlOf('1.0'),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ id: 'my-notes', builtin: false, shared: false });
    expect((await bob.get('/api/v1/app-templates/my-notes')).status).toBe(404);
    expect((await bob.post<ErrorBody>('/api/v1/apps', { templateId: 'my-notes', name: 'n' })).status).toBe(
      404,
    );
    expect((await alice.get('/api/v1/app-templates/my-notes/logo')).headers['content-type']).toContain(
      'image/svg+xml',
    );
    // sharing is for admins
    expect(
      (await alice.post('/api/v1/app-templates', { text: yamlOf('1.0'), shared: true, replace: true }))
        .status,
    ).toBe(403);
    expect((await alice.post('/api/v1/app-templates', { text: yamlOf('1.0') })).status).toBe(409);
    expect(
      (
        await alice.post('/api/v1/app-templates', {
          text: yamlOf('1.0').replace('id: my-notes', 'id: jellyfin'),
        })
      ).status,
    ).toBe(409);
    const r = await deploy(alice, { templateId: 'my-notes', name: 'notes' });
    expect(r.op.status, JSON.stringify(r.op.error)).toBe('succeeded');
    expect(r.app.health.detail).toBe('port open');
    app = r.app;
  });

  it('shows a newer catalog version; update snapshots the volumes first and runs the update phase', async () => {
    expect(app.updateAvailable).toBe(false);
    expect((await alice.post<ErrorBody>(`/api/v1/apps/${app.id}/update`)).body.error.code).toBe('up_to_date');
    expect((await alice.post('/api/v1/app-templates', { text: yamlOf('1.1'), replace: true })).status).toBe(
      201,
    );
    const now = (await alice.get<App>(`/api/v1/apps/${app.id}`)).body;
    expect(now).toMatchObject({ version: '1.0', latestVersion: '1.1', updateAvailable: true });
    const res = await alice.post<Deployed>(`/api/v1/apps/${app.id}/update`);
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.map((s) => s.name)).toEqual(['snapshot', 'updating', 'health-check', 'ready']);
    const after = (await alice.get<App>(`/api/v1/apps/${app.id}`)).body;
    expect(after).toMatchObject({ version: '1.1', updateAvailable: false, status: 'ready' });
    const snaps = await alice.get<{ items: { volumeId: string }[] }>(`/api/v1/snapshots`);
    expect(snaps.body.items.some((s) => s.volumeId === app.volumeIds[0])).toBe(true);
    const execs = guest((await vmidOf(app.instanceId)).vmid)!.guestExecs!.map((e) => e.argv.at(-1));
    expect(execs).toEqual(['install', 'configure', 'update']);
  });

  it('remove needs confirmation; keeps the volumes unless asked', async () => {
    expect((await alice.delete<ErrorBody>(`/api/v1/apps/${app.id}`)).body.error.code).toBe(
      'confirmation_required',
    );
    expect((await bob.delete(`/api/v1/apps/${app.id}?confirm=notes`)).status).toBe(404);
    const res = await alice.delete<Deployed>(`/api/v1/apps/${app.id}?confirm=notes`);
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.find((s) => s.name === 'volumes')?.status).toBe('skipped');
    expect((await alice.get(`/api/v1/apps/${app.id}`)).status).toBe(404);
    expect((await vmidOf(app.instanceId)).status).toBe('terminated');
    const vol = (await alice.get<{ status: string }>(`/api/v1/volumes/${app.volumeIds[0]}`)).body;
    expect(vol.status).toBe('available');
    expect((await alice.delete(`/api/v1/app-templates/my-notes`)).status).toBe(204);
    expect((await alice.delete(`/api/v1/app-templates/jellyfin`)).status).toBe(409);
  });
});

describe('live setup log', () => {
  it('stores each line of the setup script as it is printed, while the script still runs', async () => {
    // every new container's `install` stops after its first line until the hold is lifted
    t.sim.guestAppDefaults({ hold: { phase: 'install' } });
    let vmid = 0;
    try {
      const res = await alice.post<Deployed>('/api/v1/apps', { templateId: 'jellyfin', name: 'live-log' });
      expect(res.status, res.text).toBe(202);
      const logsOf = async () =>
        (
          await alice.get<{ items: { seq: number; step: string; stream: string; line: string }[] }>(
            `/api/v1/apps/${res.body.app.id}/logs`,
          )
        ).body.items.filter((l) => l.step === 'installing' && l.stream === 'stdout');
      await expect.poll(async () => (await logsOf()).length, { timeout: 60_000, interval: 100 }).toBe(1);
      // the line arrived while `setup.sh install` is still running: the step runs, no exit recorded
      const op = (await alice.get<Op>(`/api/v1/operations/${res.body.operation.id}`)).body;
      expect(op.steps.find((s) => s.name === 'installing')?.status).toBe('running');
      expect((await alice.get<App>(`/api/v1/apps/${res.body.app.id}`)).body.status).toBe('installing');
      vmid = (await vmidOf(res.body.app.instanceId)).vmid;
      expect(guest(vmid)!.guestExecs ?? []).toEqual([]);
      expect((await logsOf())[0]!.line).toContain('pc_apt');
      t.sim.guestAppDefaults({ hold: null });
      t.sim.guestApp(vmid, { hold: null });
      const held = vmid;
      vmid = 0;
      const done = await waitOp(alice, res.body.operation.id);
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      const lines = await logsOf();
      expect(lines.length).toBe(4);
      expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
      expect(guest(held)!.guestExecs!.map((e) => [e.argv.at(-1), e.code])).toEqual([
        ['install', 0],
        ['configure', 0],
      ]);
      const del = await alice.delete<Deployed>(
        `/api/v1/apps/${res.body.app.id}?confirm=live-log&deleteVolumes=true`,
      );
      expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
    } finally {
      t.sim.guestAppDefaults({ hold: null });
      if (vmid) t.sim.guestApp(vmid, { hold: null });
    }
  });
});

describe('a VM app (cloud-init)', () => {
  it('boots the cloud image with the rendered user-data; the health check finds the app ready', async () => {
    const r = await deploy(alice, {
      templateId: 'prometheus',
      name: 'prom',
      params: { retentionDays: 30 },
    });
    expect(r.op.status, JSON.stringify(r.op.error)).toBe('succeeded');
    expect(r.op.steps.map((s) => [s.name, s.status])).toEqual([
      ['creating', 'succeeded'],
      ['installing', 'skipped'],
      ['configuring', 'skipped'],
      ['health-check', 'succeeded'],
      ['ready', 'succeeded'],
    ]);
    expect(r.app).toMatchObject({ status: 'ready', url: `http://${r.app.ip}:9090` });
    expect(r.app.health.status).toBe('healthy');
    const inst = (
      await alice.get<{ vmid: number; type: string; tags: Record<string, string> }>(
        `/api/v1/instances/${r.app.instanceId}`,
      )
    ).body;
    expect(inst.type).toBe('vm');
    expect(inst.tags.app).toBe('prometheus');
    // what cloud-init got at first boot: the template's user-data with the parameters filled in
    const g = guest(inst.vmid)!;
    const ud = g.cloudinitDrive?.user ?? '';
    expect(ud).toContain('#cloud-config\n');
    expect(ud).toContain('--storage.tsdb.retention.time=30d');
    expect(ud).toContain('scrape_interval: 15s');
    expect(ud).toContain('[prometheus, 2.42.0+ds-5+deb12u1]');
    expect(ud).not.toContain('{{');
    expect(g.guestExecs ?? []).toEqual([]);
    const logs = (
      await alice.get<{ items: { step: string; line: string }[] }>(`/api/v1/apps/${r.app.id}/logs`)
    ).body.items;
    expect(logs.some((l) => l.step === 'health-check' && l.line.includes('HTTP 200'))).toBe(true);
    const del = await alice.delete<Deployed>(`/api/v1/apps/${r.app.id}?confirm=prom`);
    expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
  });

  it('cloud-init failing in the VM: the health check never passes, the VM is removed', async () => {
    const before = await counts();
    t.sim.guestAppDefaults({ fail: { phase: 'cloud-init' } });
    try {
      const res = await alice.post<Deployed>('/api/v1/apps', { templateId: 'prometheus', name: 'prom-bad' });
      expect(res.status, res.text).toBe(202);
      const op = await waitOp(alice, res.body.operation.id);
      expect(op.status).toBe('failed');
      expect(op.steps.find((s) => s.name === 'health-check')?.status).toBe('failed');
      const app = (await alice.get<App>(`/api/v1/apps/${res.body.app.id}`)).body;
      expect(app.error?.step).toBe('health-check');
      expect((await vmidOf(app.instanceId)).status).toBe('terminated');
      expect(await counts()).toEqual({ ...before, apps: before.apps + 1 });
      const del = await alice.delete<Deployed>(`/api/v1/apps/${app.id}?confirm=prom-bad`);
      expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
    } finally {
      t.sim.guestAppDefaults({ fail: null });
    }
  });

  it('a custom VM template deploys; a newer version cannot re-run cloud-init (409, nothing changes)', async () => {
    const doc = (await alice.get<{ template: Record<string, unknown> }>('/api/v1/app-templates/prometheus'))
      .body.template;
    const custom = { ...doc, id: 'my-prom', logo: 'data:image/svg+xml;base64,PHN2Zy8+', version: '1.0' };
    expect((await alice.post('/api/v1/app-templates', custom)).status).toBe(201);
    const r = await deploy(alice, { templateId: 'my-prom', name: 'myprom' });
    expect(r.op.status, JSON.stringify(r.op.error)).toBe('succeeded');
    expect(
      (
        await alice.post('/api/v1/app-templates', {
          text: JSON.stringify({ ...custom, version: '1.1' }),
          replace: true,
        })
      ).status,
    ).toBe(201);
    expect((await alice.get<App>(`/api/v1/apps/${r.app.id}`)).body).toMatchObject({
      updateAvailable: true,
      baseType: 'vm',
    });
    const up = await alice.post<ErrorBody>(`/api/v1/apps/${r.app.id}/update`);
    expect(up.status).toBe(409);
    expect(up.body.error.code).toBe('update_unsupported');
    expect((await alice.get<App>(`/api/v1/apps/${r.app.id}`)).body).toMatchObject({
      status: 'ready',
      version: '1.0',
    });
    const del = await alice.delete<Deployed>(`/api/v1/apps/${r.app.id}?confirm=myprom`);
    expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
    expect((await alice.delete('/api/v1/app-templates/my-prom')).status).toBe(204);
  });

  it('a parameter out of range is refused before anything is created', async () => {
    const before = await counts();
    const res = await alice.post<ErrorBody>('/api/v1/apps', {
      templateId: 'prometheus',
      name: 'prom-x',
      params: { retentionDays: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details?.field).toBe('params.retentionDays');
    expect(await counts()).toEqual(before);
  });
});

describe('container features', () => {
  it('a template that needs nesting gets it on its container', async () => {
    const r = await deploy(alice, { templateId: 'authentik', name: 'sso' });
    expect(r.op.status, JSON.stringify(r.op.error)).toBe('succeeded');
    const g = guest((await vmidOf(r.app.instanceId)).vmid)!;
    expect(g.config.features).toBe('nesting=1');
    const del = await alice.delete<Deployed>(`/api/v1/apps/${r.app.id}?confirm=sso&deleteVolumes=true`);
    expect((await waitOp(alice, del.body.operation.id)).status).toBe('succeeded');
  });

  it('flags Proxmox reserves for root@pam fail the launch with its message and roll back', async () => {
    const doc = (await alice.get<{ template: Record<string, unknown> }>('/api/v1/app-templates/netdata')).body
      .template;
    const custom = {
      ...doc,
      id: 'netdata-keyctl',
      logo: 'data:image/svg+xml;base64,PHN2Zy8+',
      base: { type: 'lxc', image: 'debian-12', features: { nesting: true, keyctl: true } },
    };
    expect((await alice.post('/api/v1/app-templates', custom)).status).toBe(201);
    const before = await counts();
    const res = await alice.post<Deployed>('/api/v1/apps', { templateId: 'netdata-keyctl', name: 'kc' });
    expect(res.status, res.text).toBe(202);
    const op = await waitOp(alice, res.body.operation.id);
    expect(op.status).toBe('failed');
    expect(op.steps.find((s) => s.name === 'creating')?.status).toBe('failed');
    const app = (await alice.get<App>(`/api/v1/apps/${res.body.app.id}`)).body;
    expect(app.error?.message).toContain('only allowed for root@pam');
    expect(op.error?.message).toContain('only allowed for root@pam');
    expect(await counts()).toEqual({ ...before, apps: before.apps + 1 });
    await alice.delete(`/api/v1/apps/${app.id}?confirm=kc`);
    await alice.delete('/api/v1/app-templates/netdata-keyctl');
  });
});
