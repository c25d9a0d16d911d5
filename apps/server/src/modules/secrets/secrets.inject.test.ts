/**
 * secretEnv end to end on the simulator (real HTTPS API + SSH host agent): a VM gets the values
 * through a 0600 vendor-data snippet that is gone from the node right after the start (the guest
 * keeps what its cloud-init drive got), a container through `pct push`; a new version reaches the
 * guest at the next start; launch validation; references dropped at terminate. Then the leak test:
 * after the whole scenario no plaintext value is in the database file, the server log, the audit
 * log, the operations table or the event stream (only in the simulated guests).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  LXC_TEMPLATE,
  launch,
  launchAccepted,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import type { Secret } from './secrets.service.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let bobsSecret: Secret;
const events: string[] = [];
/** What the SSE endpoint (/api/v1/events) sent over real HTTP, raw, to alice and to the admin. */
const sse: { text: string; close: () => void }[] = [];

async function rawStream(base: string, token: string): Promise<{ text: string; close: () => void }> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ac.signal,
  });
  expect(res.status).toBe(200);
  const out = { text: '', close: () => ac.abort() };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        out.text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return out;
}

const PW1 = 'Inj3cted-pw-one-"$x`\\';
const PW2 = 'Inj3cted-pw-two-after-rotate';
const TOKEN = 'tok-7781-inj3cted';
const BOBS = 'bobs-private-inj3cted';

useComputeContext({}, async (c) => {
  t = c;
  t.ctx.app.services.bus.subscribe((e) => events.push(JSON.stringify(e)));
  await t.ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.ctx.app.server.address() as AddressInfo).port}`;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  expect((await alice.post('/api/v1/secrets', { name: 'app/db/password', value: PW1 })).status).toBe(201);
  expect((await alice.post('/api/v1/secrets', { name: 'app/api/token', value: TOKEN })).status).toBe(201);
  sse.push(await rawStream(base, alice.token), await rawStream(base, t.ctx.admin.token));
  bobsSecret = (await bob.post<Secret>('/api/v1/secrets', { name: 'bob/only', value: BOBS })).body;
});

const guest = (vmid: number | null) => t.sim.inspect().guests.find((g) => g.vmid === vmid)!;
const snippets = (node: string) =>
  Object.values(t.sim.inspect().storageContent[node] ?? {})
    .flat()
    .filter((v) => v.content === 'snippets')
    .map((v) => v.volid);

/** The env file the VM's bootcmd writes: decoded from its cloud-init drive's vendor-data. */
function vmEnvFile(vmid: number | null): string {
  const vendor = guest(vmid).cloudinitDrive?.vendor ?? '';
  const line = vendor.split('\n').find((l) => l.trimStart().startsWith('- ["sh"'));
  expect(line, vendor).toBeDefined();
  const argv = JSON.parse(line!.trim().slice(2)) as string[];
  return Buffer.from(argv[3]!, 'base64').toString('utf8');
}

const env = { DB_PASSWORD: 'app/db/password', API_TOKEN: 'app/api/token' };
let vm: Inst;
let ct: Inst;

describe('VM: vendor-data snippet lifecycle', () => {
  it('launch writes the values into the guest and leaves no snippet on the node', async () => {
    const { instance, op } = await launch(alice, { name: 'sec-vm', secretEnv: env });
    vm = instance;
    const names = op.steps.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['secret-env', 'start', 'secret-env-cleanup']));
    expect(names.indexOf('secret-env')).toBeLessThan(names.indexOf('start'));
    expect(names.indexOf('secret-env-cleanup')).toBeGreaterThan(names.indexOf('start'));
    const detail = op.steps.find((s) => s.name === 'secret-env')!.detail!;
    expect(detail).toContain('DB_PASSWORD ← app/db/password v1');
    const file = vmEnvFile(vm.vmid);
    expect(file).toContain('DB_PASSWORD="Inj3cted-pw-one-\\"\\$x\\`\\\\"');
    expect(file).toContain(`API_TOKEN="${TOKEN}"`);
    expect(guest(vm.vmid).cloudinitDrive?.vendor).toContain('umask 077');
    expect(snippets(vm.node!).filter((v) => v.includes('secrets'))).toEqual([]);
    expect(guest(vm.vmid).config.cicustom ?? '').not.toContain('vendor=');
  });

  it('a new version reaches the VM at the next start (and the snippet is gone again)', async () => {
    expect((await alice.put('/api/v1/secrets/app/db/password', { value: PW2 })).status).toBe(200);
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${vm.id}/stop`);
    expect((await waitOp(alice, stop.body.operation.id)).status).toBe('succeeded');
    const start = await alice.post<{ operation: Op }>(`/api/v1/instances/${vm.id}/start`);
    const op = await waitOp(alice, start.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.find((s) => s.name === 'secret-env')!.detail).toContain('app/db/password v2');
    expect(vmEnvFile(vm.vmid)).toContain(`DB_PASSWORD="${PW2}"`);
    expect(snippets(vm.node!).filter((v) => v.includes('secrets'))).toEqual([]);
  });

  it('keeps a user-data snippet and the secrets vendor-data apart', async () => {
    const { instance } = await launch(alice, {
      name: 'sec-vm-ud',
      userData: '#cloud-config\npackages: [htop]\n',
      secretEnv: { DB_PASSWORD: 'app/db/password' },
    });
    const g = guest(instance.vmid);
    expect(g.config.cicustom).toMatch(/^user=local:snippets\/proxicloud-i-[0-9a-f]+-user\.yaml$/);
    expect(g.cloudinitDrive?.user).toContain('packages: [htop]');
    expect(g.cloudinitDrive?.user).not.toContain(PW2);
    expect(vmEnvFile(instance.vmid)).toContain(`DB_PASSWORD="${PW2}"`);
  });
});

describe('container: pct push', () => {
  it('places a root-only env file after the start', async () => {
    const { instance, op } = await launch(alice, {
      name: 'sec-ct',
      type: 'lxc',
      template: LXC_TEMPLATE,
      secretEnv: env,
    });
    ct = instance;
    expect(op.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['start', 'secret-env']));
    const g = guest(ct.vmid);
    expect(g.guestDirs?.['/etc/proxicloud']).toBe('0700');
    const f = g.guestFiles?.['/etc/proxicloud/secrets.env'];
    expect(f).toMatchObject({ mode: '0600', uid: 0, gid: 0 });
    expect(f!.data).toContain(`DB_PASSWORD="${PW2}"`);
    expect(f!.data).toContain(`API_TOKEN="${TOKEN}"`);
  });

  it('a start after an update pushes the new value', async () => {
    expect((await alice.put('/api/v1/secrets/app/api/token', { value: 'tok-second-inj3cted' })).status).toBe(
      200,
    );
    const stop = await alice.post<{ operation: Op }>(`/api/v1/instances/${ct.id}/stop`);
    await waitOp(alice, stop.body.operation.id);
    const start = await alice.post<{ operation: Op }>(`/api/v1/instances/${ct.id}/start`);
    expect((await waitOp(alice, start.body.operation.id)).status).toBe('succeeded');
    expect(guest(ct.vmid).guestFiles?.['/etc/proxicloud/secrets.env']?.data).toContain(
      'API_TOKEN="tok-second-inj3cted"',
    );
  });
});

describe('launch validation', () => {
  it('rejects unknown secrets, other users’ secrets and bad variable names; nothing is created', async () => {
    const before = t.sim.inspect().guests.length;
    for (const [secretEnv, status, code] of [
      [{ X: 'no/such/secret' }, 422, 'secret_env_unresolved'],
      [{ X: 'bob/only' }, 422, 'secret_env_unresolved'],
      [{ X: bobsSecret.id }, 422, 'secret_env_unresolved'],
      [{ '1BAD': 'app/db/password' }, 400, 'invalid_env_name'],
    ] as const) {
      const res = await alice.post<ErrorBody>('/api/v1/instances', {
        name: 'sec-bad',
        type: 'vm',
        template: 'local:import/debian-12-genericcloud-amd64.qcow2',
        instanceType: 't.nano',
        secretEnv,
      });
      expect(res.status, res.text).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.text).not.toContain(BOBS);
    }
    expect(t.sim.inspect().guests.length).toBe(before);
  });

  it('a secret shared with a user (by id) can be injected into their instance', async () => {
    expect(
      (
        await bob.put(`/api/v1/secrets/${bobsSecret.id}/policy`, {
          grants: [{ principal: `user:${alice.user.id}`, access: 'read' }],
        })
      ).status,
    ).toBe(200);
    const accepted = await launchAccepted(alice, {
      name: 'sec-shared',
      type: 'lxc',
      template: LXC_TEMPLATE,
      secretEnv: { BOB: bobsSecret.id },
    });
    const op = await waitOp(alice, accepted.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const g = guest((await alice.get<Inst>(`/api/v1/instances/${accepted.instance.id}`)).body.vmid);
    expect(g.guestFiles?.['/etc/proxicloud/secrets.env']?.data).toContain(`BOB="${BOBS}"`);
  });

  it('injections are audited with consumer, secret names and versions', async () => {
    const audit = await t.ctx.admin.get<{
      items: {
        action: string;
        resourceId: string;
        details: { injected: { env: string; name: string; version: number }[] };
      }[];
    }>('/api/v1/logs/audit', { query: { action: 'secrets.inject', limit: 100 } });
    const forCt = audit.body.items.filter((e) => e.action === 'secrets.inject' && e.resourceId === ct.id);
    expect(forCt.length).toBeGreaterThanOrEqual(2);
    expect(forCt.flatMap((e) => e.details.injected.map((i) => `${i.env}:${i.name}:v${i.version}`))).toEqual(
      expect.arrayContaining(['API_TOKEN:app/api/token:v2', 'DB_PASSWORD:app/db/password:v2']),
    );
  });

  it('terminate drops the references', async () => {
    const term = await alice.delete<{ operation: Op }>(`/api/v1/instances/${ct.id}`, {
      query: { confirm: ct.id },
    });
    expect((await waitOp(alice, term.body.operation.id)).status).toBe('succeeded');
    expect(await t.ctx.app.modules.secrets.port.envOf({ kind: 'instance', id: ct.id })).toEqual({});
    expect(await t.ctx.app.modules.secrets.port.envOf({ kind: 'instance', id: vm.id })).toEqual(env);
  });
});

describe('host agent commands for secret files', () => {
  it('creates snippets 0600 before writing, and pct push needs a running container', async () => {
    const agent = await t.ctx.app.services.proxmox!.hostAgent!.secretFiles!(vm.node!);
    const path = '/var/lib/vz/snippets/proxicloud-i-test-secrets.yaml';
    await agent.writeSnippet(path, '#cloud-config\n');
    const vol = (t.sim.inspect().storageContent[vm.node!]?.local ?? []).find((v) =>
      v.volid.endsWith('proxicloud-i-test-secrets.yaml'),
    );
    expect(vol).toMatchObject({ mode: '0600', data: '#cloud-config\n' });
    await agent.removeSnippet(path);
    expect(snippets(vm.node!).filter((v) => v.includes('i-test'))).toEqual([]);
    const stopped = await launch(alice, {
      name: 'sec-ct-stopped',
      type: 'lxc',
      template: LXC_TEMPLATE,
      start: false,
    });
    await expect(
      agent.pushToContainer(stopped.instance.vmid!, '/etc/proxicloud/secrets.env', 'A="b"\n'),
    ).rejects.toThrow(/not running|running CT/);
    await expect(agent.pushToContainer(stopped.instance.vmid!, '/etc/../shadow', 'x')).rejects.toThrow(
      /destination/,
    );
  });
});

describe('leak test', () => {
  const plaintexts = [PW1, PW2, TOKEN, 'tok-second-inj3cted', BOBS];

  it('a function invocation gets the current value (proved by its hash, so the result holds no value)', async () => {
    const fn = await alice.post<{ id: string }>('/api/v1/functions', {
      name: 'leak-check',
      runtime: 'nodejs',
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 10,
      secretEnv: { API_TOKEN: 'app/api/token' },
      code: {
        files: {
          'index.mjs':
            "import { createHash } from 'node:crypto';\n" +
            'export const handler = async () => ({ h: createHash("sha256").update(process.env.API_TOKEN ?? "").digest("hex") });\n',
        },
      },
    });
    expect(fn.status, fn.text).toBe(201);
    const invoked = await alice.post<{ status: string; result: { h: string } }>(
      `/api/v1/functions/${fn.body.id}/invoke`,
      { payload: {} },
    );
    expect(invoked.status, invoked.text).toBe(200);
    const current = (await alice.get<{ value: string }>('/api/v1/secrets/app/api/token')).body.value;
    expect(invoked.body.result.h).toBe(createHash('sha256').update(current).digest('hex'));
    const inject = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'resource_id'])
      .where('action', '=', 'secrets.inject')
      .execute();
    expect(inject.length).toBeGreaterThan(0);
  });

  it('no value in the database file, the server log, the audit log, the operations table or the events', async () => {
    // the values did reach the guests
    expect(JSON.stringify(t.sim.inspect().guests)).toContain(BOBS);
    // the SSE streams carried this scenario's changes (so an empty stream cannot pass the check)
    for (const s of sse) {
      expect(s.text).toContain('instance.updated');
      expect(s.text).toContain('secret.updated');
      s.close();
    }
    const dbPath = t.ctx.config.database.sqlitePath;
    const files =
      t.ctx.dialect === 'sqlite'
        ? readdirSync(dirname(dbPath)).filter((f) => f.startsWith('proxicloud.db'))
        : [];
    const haystacks: [string, string][] = [
      ...files.map((f): [string, string] => [f, readFileSync(`${dirname(dbPath)}/${f}`).toString('latin1')]),
      ['server log', t.ctx.logs()],
      ['events', events.join('\n')],
      ['SSE stream (alice)', sse[0]!.text],
      ['SSE stream (admin)', sse[1]!.text],
    ];
    const audit = await t.ctx.db.kysely.selectFrom('audit_log').selectAll().execute();
    haystacks.push(['audit_log', JSON.stringify(audit)]);
    const ops = await t.ctx.db.kysely.selectFrom('operations').selectAll().execute();
    haystacks.push(['operations', JSON.stringify(ops)]);
    expect(ops.length).toBeGreaterThan(5);
    for (const [where, text] of haystacks) {
      for (const p of plaintexts) {
        expect(text.includes(p), `${where} contains a secret value`).toBe(false);
        expect(
          text.includes(Buffer.from(p).toString('base64')),
          `${where} contains a base64 secret value`,
        ).toBe(false);
      }
    }
  });
});
