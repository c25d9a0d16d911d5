/**
 * Stacks end to end on the simulator: apply → 0-change re-apply (0 PVE writes) → update in place →
 * replace → drift → destroy → nothing left; an interrupted apply converges; locks; ownership.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type Inst,
  LXC_TEMPLATE,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import { testSshPublicKey } from '../../testing/ssh-key.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { type RunOutcome, runStack } from './stacks.test-helpers.ts';

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
});

const KEY = testSshPublicKey('iac@test');

function file(opts: { tier?: string; memory?: number; extraVolume?: boolean } = {}) {
  return `stack: lab
variables:
  tier: {type: string, default: web}
keyPairs:
  - name: deploy
    publicKey: ${KEY}
instances:
  - name: iac-web
    type: lxc
    template: ${LXC_TEMPLATE}
    vcpu: 1
    memory: ${opts.memory ?? 512}
    keyPairs: [deploy]
    tags: {tier: "\${var.tier}"}
    volumes:
      - size: 1GiB
        mount: /srv/data
${opts.extraVolume ? 'volumes:\n  - name: iac-extra\n    size: 2\n    format: filesystem\n' : ''}`;
}

type RunBody = RunOutcome;

async function apply(client: TestClient, document: string, extra: Record<string, unknown> = {}) {
  return runStack(client, 'lab', 'apply', { document, ...extra });
}

async function instances(client: TestClient): Promise<Inst[]> {
  return (await client.get<{ items: Inst[] }>('/api/v1/instances', { query: { limit: 1000 } })).body.items;
}

function writesFault(on: boolean) {
  t.sim.faults.reset();
  if (!on) return;
  for (const method of ['POST', 'PUT', 'DELETE'])
    t.sim.faults.httpError({ method, status: 500, count: 1000, message: 'write during a no-op apply' });
}
const writesSeen = () =>
  t.sim.faults.snapshot().httpErrors.reduce((n, f) => n + (1000 - (f.count ?? 1000)), 0);

describe('stacks on the simulator', () => {
  let webId = '';

  it('plans then applies a file: key pair, instance with cloud-init keys, volume and attachment, labelled with the stack', async () => {
    const plan = await alice.post<{ plan: RunBody['plan']; stack: null }>('/api/v1/stacks/lab/plan', {
      document: file(),
    });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.body.plan.summary).toMatchObject({ create: 4 });
    expect(plan.body.stack).toBeNull();

    const res = await apply(alice, file());
    expect(res.status, res.text).toBe(202);
    expect(res.body.result, JSON.stringify(res.body.error)).toBe('succeeded');
    expect(res.body.stack).toMatchObject({ resourceCount: 4, status: 'applied', locked: false });
    // one operation step per resource, in order, all done
    expect(res.body.operation?.steps.map((st) => [st.name, st.status])).toEqual([
      ['apply:keyPairs.deploy', 'succeeded'],
      ['apply:volumes.iac-web-vol-0', 'succeeded'],
      ['apply:instances.iac-web', 'succeeded'],
      ['apply:attachments.iac-web-vol-0', 'succeeded'],
    ]);

    const web = (await instances(alice)).find((i) => i.name === 'iac-web') as Inst & {
      tags: Record<string, string>;
      keyPairIds: string[];
    };
    expect(web.status).toBe('running');
    expect(web.tags).toEqual({ tier: 'web', 'proxicloud:stack': 'lab' });
    expect(web.keyPairIds).toHaveLength(1);
    webId = web.id;
    const vols = (
      await alice.get<{ items: { name: string; instanceId: string | null }[] }>('/api/v1/volumes')
    ).body.items;
    expect(vols.find((v) => v.name === 'iac-web-vol-0')?.instanceId).toBe(web.id);

    const detail = await alice.get<{
      resources: { address: string; id: string }[];
      history: { action: string; status: string; username: string; operationId: string | null }[];
    }>('/api/v1/stacks/lab');
    expect(detail.body.resources.map((r) => r.address).sort()).toEqual([
      'attachments.iac-web-vol-0',
      'instances.iac-web',
      'keyPairs.deploy',
      'volumes.iac-web-vol-0',
    ]);
    expect(detail.body.history[0]).toMatchObject({
      action: 'apply',
      status: 'succeeded',
      username: alice.user.username,
      operationId: res.body.operation?.id,
    });
  });

  it('re-applying the unchanged file changes nothing and writes nothing to Proxmox', async () => {
    writesFault(true);
    try {
      const res = await apply(alice, file());
      expect(res.status, res.text).toBe(200);
      expect(res.body.result).toBe('no-changes');
      expect(res.body.plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, noop: 4 });
      expect(writesSeen()).toBe(0);
    } finally {
      writesFault(false);
    }
  });

  it('updates a tag in place (same instance), through a variable', async () => {
    const res = await apply(alice, file(), { variables: { tier: 'frontend' } });
    expect(res.body.result, res.text).toBe('succeeded');
    const web = res.body.plan.changes.find((c) => c.address === 'instances.iac-web');
    expect(web?.action).toBe('update');
    expect(web?.changes.map((c) => c.field)).toEqual(['tags']);
    const now = (await instances(alice)).find((i) => i.name === 'iac-web') as Inst & {
      tags: Record<string, string>;
    };
    expect(now.id).toBe(webId);
    expect(now.tags.tier).toBe('frontend');
  });

  it('replaces the instance when a replace-forcing field changes, and re-attaches its volume; a second apply meanwhile is refused', async () => {
    const body = { document: file({ memory: 1024 }), variables: { tier: 'frontend' } };
    const started = await alice.post<{ operation: { id: string } }>('/api/v1/stacks/lab/apply', body);
    expect(started.status, started.text).toBe(202);
    const during = await alice.get<{ locked: boolean; operationId: string; status: string }>(
      '/api/v1/stacks/lab',
    );
    expect(during.body).toMatchObject({ locked: true, operationId: started.body.operation.id });
    const second = await alice.post<{ error: { code: string } }>('/api/v1/stacks/lab/apply', body);
    expect(second.status, second.text).toBe(409);
    expect(second.body.error.code).toBe('stack_locked');
    const op = await waitOp(alice, started.body.operation.id, 120_000);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect(op.steps.map((st) => st.name)).toEqual([
      'remove:attachments.iac-web-vol-0',
      'remove:instances.iac-web',
      'apply:instances.iac-web',
      'apply:attachments.iac-web-vol-0',
    ]);
    const res = await apply(alice, file({ memory: 1024 }), { variables: { tier: 'frontend' } });
    expect(res.body.result).toBe('no-changes');
    const replanned = await alice.post<{ plan: RunBody['plan'] }>('/api/v1/stacks/lab/plan', body);
    expect(replanned.body.plan.summary).toMatchObject({ noop: 4 });
    const actions = Object.fromEntries(
      (started.body as unknown as RunBody).plan.changes.map((c) => [c.address, c.action]),
    );
    expect(actions).toMatchObject({
      'instances.iac-web': 'replace',
      'attachments.iac-web-vol-0': 'replace',
      'volumes.iac-web-vol-0': 'no-op',
    });
    const live = (await instances(alice)).filter((i) => i.name === 'iac-web');
    expect(live).toHaveLength(1);
    expect(live[0]?.id).not.toBe(webId);
    expect((live[0] as Inst & { memory: number }).memory).toBe(1024);
    webId = live[0]?.id as string;
  });

  it('shows drift made outside the stack and puts it back', async () => {
    const put = await alice.put(`/api/v1/instances/${webId}`, { tags: { tier: 'hacked' } });
    expect(put.status, put.text).toBe(200);
    const plan = await alice.post<{ plan: RunBody['plan'] }>('/api/v1/stacks/lab/plan', {
      document: file({ memory: 1024 }),
      variables: { tier: 'frontend' },
    });
    const web = plan.body.plan.changes.find((c) => c.address === 'instances.iac-web');
    expect(web?.drift).toEqual([
      { field: 'tags', before: { tier: 'frontend' }, after: { tier: 'hacked' }, forcesReplacement: false },
    ]);
    expect(web?.action).toBe('update');
    const res = await apply(alice, file({ memory: 1024 }), { variables: { tier: 'frontend' } });
    expect(res.body.result).toBe('succeeded');
  });

  it('refuses a saved plan when the state moved, and another user sees no stack', async () => {
    const res = await apply(alice, file({ memory: 1024 }), {
      variables: { tier: 'frontend' },
      expectedStateHash: 'f'.repeat(64),
    });
    expect(res.status).toBe(409);
    expect((res.body as unknown as { error: { code: string } }).error.code).toBe('state_moved');
    expect((await bob.get('/api/v1/stacks/lab')).status).toBe(404);
    expect((await bob.get<{ total: number }>('/api/v1/stacks')).body.total).toBe(0);
  });

  it('an apply interrupted after some creates records them and the next apply converges without duplicates', async () => {
    t.sim.faults.storageFull('local-lvm', true);
    t.sim.faults.storageFull('local-zfs', true);
    t.sim.faults.storageFull('local', true);
    let res: Awaited<ReturnType<typeof apply>>;
    try {
      res = await apply(alice, file({ memory: 1024, extraVolume: true }), {
        variables: { tier: 'frontend' },
      });
    } finally {
      t.sim.faults.reset();
    }
    expect(res.status, res.text).toBe(202);
    expect(res.body.result).toBe('failed');
    expect(res.body.error).toMatchObject({ address: 'volumes.iac-extra', code: 'stack_step_failed' });
    expect(res.body.stack).toMatchObject({ status: 'failed', locked: false });
    const again = await apply(alice, file({ memory: 1024, extraVolume: true }), {
      variables: { tier: 'frontend' },
    });
    expect(again.body.result, again.text).toBe('succeeded');
    const extras = (
      await alice.get<{ items: { name: string; status: string }[] }>('/api/v1/volumes')
    ).body.items.filter((v) => v.name === 'iac-extra' && v.status !== 'deleted');
    expect(extras).toHaveLength(1);
  });

  it('destroy removes everything the stack owns and nothing else', async () => {
    const pet = await alice.post<{ id: string }>('/api/v1/volumes', { name: 'iac-pet', sizeGib: 1 });
    expect(pet.status, pet.text).toBe(201);
    const res = await runStack(alice, 'lab', 'destroy');
    expect(res.status, res.text).toBe(202);
    expect(res.body.operation?.steps.every((st) => st.name.startsWith('remove:'))).toBe(true);
    expect(res.body.result, JSON.stringify(res.body.error)).toBe('succeeded');
    expect(res.body.stack).toMatchObject({ resourceCount: 0, status: 'destroyed' });
    expect((await instances(alice)).filter((i) => i.name === 'iac-web')).toHaveLength(0);
    const vols = (
      await alice.get<{ items: { name: string; status: string }[] }>('/api/v1/volumes')
    ).body.items.filter((v) => v.status !== 'deleted');
    expect(vols.map((v) => v.name)).toEqual(['iac-pet']);
    const keys = (await alice.get<{ items: { name: string }[] }>('/api/v1/key-pairs')).body.items;
    expect(keys.map((k) => k.name)).not.toContain('deploy');
  });

  it('answers invalid files with positions and read-only users cannot apply', async () => {
    const res = await alice.post<{
      error: { code: string; details: { issues: { line: number; column: number }[] } };
    }>('/api/v1/stacks/lab/plan', {
      document: 'instances:\n  - name: x\n    type: vm\n    template: debian-12\n    vcpu: lots\n',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_document');
    expect(res.body.error.details.issues[0]).toMatchObject({ line: 5, column: 11 });
    const ro = await t.ctx.newUser({ role: 'readonly' });
    expect((await ro.post('/api/v1/stacks/lab/apply', { document: file() })).status).toBe(403);
  });
});

describe('stacks: import and the apply lock', () => {
  const FILE = 'stack: bobs\nvolumes:\n  - name: bob-data\n    size: 1\n';

  it('imports an existing volume by name (no writes), then plans it as a no-op', async () => {
    const created = await bob.post<{ id: string }>('/api/v1/volumes', { name: 'bob-data', sizeGib: 1 });
    expect(created.status, created.text).toBe(201);
    const res = await bob.post<{ imported: { address: string; id: string }[]; notFound: string[] }>(
      '/api/v1/stacks/bobs/import',
      {
        document: FILE,
      },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.imported).toEqual([{ address: 'volumes.bob-data', id: created.body.id }]);
    const plan = await bob.post<{ plan: RunBody['plan'] }>('/api/v1/stacks/bobs/plan', { document: FILE });
    expect(plan.body.plan.summary).toMatchObject({ noop: 1, create: 0 });
  });

  it('a held lock answers 409 stack_locked; an expired one (a crashed server) is taken over', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    await t.ctx.db.kysely
      .updateTable('stacks')
      .set({ lock_id: 'lck-other', lock_until: future })
      .where('name', '=', 'bobs')
      .execute();
    const locked = await bob.post<{ error: { code: string } }>('/api/v1/stacks/bobs/apply', {
      document: FILE,
    });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('stack_locked');
    const past = new Date(Date.now() - 1000).toISOString();
    // expired, but its operation still runs (one slow step outlasted the TTL): still held
    const now = new Date().toISOString();
    await t.ctx.db.kysely
      .insertInto('operations')
      .values({
        id: 'op-slowstep0000000',
        owner_id: bob.user.id,
        action: 'stack.apply',
        resource_type: 'stack',
        resource_id: 'stk-x',
        status: 'running',
        progress: 50,
        message: null,
        steps: '[]',
        params: '{}',
        state: '{}',
        error: null,
        attempts: 1,
        worker_id: 'wrk-elsewhere',
        request_id: null,
        created_at: now,
        updated_at: now,
        started_at: now,
        finished_at: null,
      })
      .execute();
    await t.ctx.db.kysely
      .updateTable('stacks')
      .set({ lock_until: past, operation_id: 'op-slowstep0000000' })
      .where('name', '=', 'bobs')
      .execute();
    const held = await bob.post<{ error: { code: string } }>('/api/v1/stacks/bobs/apply', { document: FILE });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('stack_locked');
    // once that operation ended, the expired lock is taken over
    await t.ctx.db.kysely
      .updateTable('operations')
      .set({ status: 'failed', finished_at: now })
      .where('id', '=', 'op-slowstep0000000')
      .execute();
    const ok = await bob.post<RunBody>('/api/v1/stacks/bobs/apply', { document: FILE });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.result).toBe('no-changes');
    const destroyed = await runStack(bob, 'bobs', 'destroy');
    expect(destroyed.body.result).toBe('succeeded');
  });
});
