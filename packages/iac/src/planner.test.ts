import { describe, expect, it } from 'vitest';
import { memoryCloud, memoryProvider } from '../test/memory-provider.ts';
import {
  applyPlan,
  computePlan,
  IacError,
  loadFile,
  type Plan,
  type Provider,
  type ProviderContext,
  readCurrent,
  registry,
  type StackState,
  UNKNOWN,
} from './index.ts';

const ctx = { api: {} as ProviderContext['api'], stack: 's' } as ProviderContext;

function setup(opts: { instanceForceNew?: string[] } = {}) {
  const cloud = memoryCloud();
  const providers = registry([
    memoryProvider(cloud, 'networks', { forceNew: ['name', 'cidr'] }),
    memoryProvider(cloud, 'instances', { forceNew: opts.instanceForceNew ?? ['name', 'type', 'template'] }),
    memoryProvider(cloud, 'volumes', { forceNew: 'all' }),
    memoryProvider(cloud, 'attachments', { forceNew: 'all', updatable: false }),
  ]);
  let state: StackState = { resources: {} };
  const saves: StackState[] = [];
  const plan = async (text: string): Promise<Plan> => {
    const file = loadFile(text, { defaultStack: 's' });
    return computePlan(file, state, await readCurrent(state, providers, ctx), providers);
  };
  const apply = async (text: string) => {
    const p = await plan(text);
    const result = await applyPlan(p, state, providers, ctx, {
      save: async (s) => {
        saves.push(s);
        state = s;
      },
    });
    state = result.state;
    return { plan: p, result };
  };
  return { cloud, providers, plan, apply, saves, getState: () => state };
}

const actions = (p: Plan) => Object.fromEntries(p.changes.map((c) => [c.address, c.action]));

const FILE = `networks:
  - name: lan
    cidr: 10.0.0.0/24
instances:
  - name: web
    type: vm
    template: debian-12
    vcpu: 2
    tags: {subnet: "\${networks.lan.cidr}"}
volumes:
  - name: data
    size: 10GiB
attachments:
  - volume: \${volumes.data.id}
    instance: \${instances.web.id}
`;

describe('plan and apply', () => {
  it('creates everything in dependency order, then re-plans to all no-ops with zero writes', async () => {
    const t = setup();
    const first = await t.plan(FILE);
    expect(first.summary).toMatchObject({ create: 4, update: 0, replace: 0, delete: 0 });
    const att = first.changes.find((c) => c.address === 'attachments.data');
    expect(att?.changes.find((c) => c.field === 'volume')?.after).toBe(UNKNOWN);
    const { result } = await t.apply(FILE);
    expect(result.failed).toBeUndefined();
    expect(t.cloud.writes).toBe(4);
    const web = t.getState().resources['instances.web'];
    expect(web?.spec.tags).toEqual({ subnet: '10.0.0.0/24' });
    expect(t.getState().resources['attachments.data']?.spec.instance).toBe(web?.id);

    const writes = t.cloud.writes;
    const again = await t.apply(FILE);
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, noop: 4 });
    expect(t.cloud.writes).toBe(writes);
  });

  it('reads the state with one list call per kind, not one per resource', async () => {
    const t = setup();
    const many = `volumes:\n${Array.from({ length: 50 }, (_, i) => `  - {name: v${i}, size: 1}`).join('\n')}\n`;
    await t.apply(many);
    t.cloud.listCalls = 0;
    const p = await t.plan(many);
    expect(p.summary.noop).toBe(50);
    expect(t.cloud.listCalls).toBe(1);
  });

  it('updates in place when only updatable fields change, naming the fields', async () => {
    const t = setup();
    await t.apply(FILE);
    const p = await t.plan(FILE.replace('vcpu: 2', 'vcpu: 4'));
    expect(actions(p)).toMatchObject({
      'instances.web': 'update',
      'volumes.data': 'no-op',
      'attachments.data': 'no-op',
    });
    expect(p.changes.find((c) => c.address === 'instances.web')?.changes).toEqual([
      { field: 'vcpu', before: 2, after: 4, forcesReplacement: false },
    ]);
    const id = t.getState().resources['instances.web']?.id;
    await t.apply(FILE.replace('vcpu: 2', 'vcpu: 4'));
    expect(t.getState().resources['instances.web']?.id).toBe(id);
    expect(t.cloud.objects.get(id as string)?.spec.vcpu).toBe(4);
  });

  it('replaces when a replace-forcing field changes, and replaces dependents whose references change', async () => {
    const t = setup();
    await t.apply(FILE);
    const oldId = t.getState().resources['instances.web']?.id as string;
    const text = FILE.replace('template: debian-12', 'template: ubuntu-24.04');
    const p = await t.plan(text);
    expect(actions(p)).toMatchObject({
      'instances.web': 'replace',
      'attachments.data': 'replace',
      'volumes.data': 'no-op',
    });
    expect(p.changes.find((c) => c.address === 'instances.web')?.changes[0]).toMatchObject({
      field: 'template',
      forcesReplacement: true,
    });
    const { result } = await t.apply(text);
    expect(result.failed).toBeUndefined();
    const newId = t.getState().resources['instances.web']?.id as string;
    expect(newId).not.toBe(oldId);
    expect(t.cloud.objects.has(oldId)).toBe(false);
    expect(t.getState().resources['attachments.data']?.spec.instance).toBe(newId);
  });

  it('deletes what left the file, dependents first, and never touches objects it does not own', async () => {
    const t = setup();
    t.cloud.objects.set('ins-999', { kind: 'instances', spec: { name: 'pet' } });
    await t.apply(FILE);
    const p = await t.plan('networks:\n  - name: lan\n    cidr: 10.0.0.0/24\n');
    const deletes = p.changes.filter((c) => c.action === 'delete').map((c) => c.address);
    expect(deletes.indexOf('attachments.data')).toBeLessThan(deletes.indexOf('instances.web'));
    expect(deletes.indexOf('attachments.data')).toBeLessThan(deletes.indexOf('volumes.data'));
    await t.apply('networks:\n  - name: lan\n    cidr: 10.0.0.0/24\n');
    expect([...t.cloud.objects.keys()].sort()).toEqual(
      ['ins-999', t.getState().resources['networks.lan']?.id].sort(),
    );
  });

  it('shows drift made outside the file and plans to correct it; re-creates what was deleted outside', async () => {
    const t = setup();
    await t.apply(FILE);
    const id = t.getState().resources['instances.web']?.id as string;
    (t.cloud.objects.get(id) as { spec: Record<string, unknown> }).spec.vcpu = 8;
    const p = await t.plan(FILE);
    const web = p.changes.find((c) => c.address === 'instances.web');
    expect(web?.drift).toEqual([{ field: 'vcpu', before: 2, after: 8, forcesReplacement: false }]);
    expect(web?.action).toBe('update');
    t.cloud.objects.delete(t.getState().resources['volumes.data']?.id as string);
    const p2 = await t.plan(FILE);
    expect(p2.changes.find((c) => c.address === 'volumes.data')).toMatchObject({
      action: 'create',
      reason: 'deleted outside ProxiCloud',
    });
  });

  it('records partial progress when an apply fails and the next apply continues without duplicates', async () => {
    const t = setup();
    t.cloud.failCreateOf = 'data';
    const { result } = await t.apply(FILE);
    expect(result.failed).toMatchObject({ address: 'volumes.data', message: 'create of data failed' });
    // the state holds exactly what exists
    const recorded = Object.values(t.getState().resources).map((r) => r.id);
    expect(recorded.sort()).toEqual([...t.cloud.objects.keys()].sort());
    expect(recorded.length).toBeGreaterThan(0);
    const again = await t.apply(FILE);
    expect(again.plan.summary).toMatchObject({ create: 4 - recorded.length, noop: recorded.length });
    expect(t.cloud.objects.size).toBe(4);
    expect(Object.keys(t.getState().resources)).toHaveLength(4);
  });

  it('refuses kinds no provider manages, at their line', async () => {
    const t = setup();
    const file = loadFile('buckets:\n  - name: logs-bucket\n', { defaultStack: 's' });
    expect(() => computePlan(file, { resources: {} }, new Map(), t.providers)).toThrow(IacError);
    try {
      computePlan(file, { resources: {} }, new Map(), t.providers);
    } catch (err) {
      expect((err as IacError).issues[0]).toMatchObject({ code: 'provider', line: 2, column: 5 });
    }
  });

  it('treats a changed state as a different plan base (saved plans can detect it)', async () => {
    const t = setup();
    const before = await t.plan(FILE);
    await t.apply(FILE);
    const after = await t.plan(FILE);
    expect(after.stateHash).not.toBe(before.stateHash);
    expect(after.specHash).toBe(before.specHash);
  });

  it('skips deleting an object whose parent goes in the same apply (deletedWith)', async () => {
    const t = setup();
    const att = t.providers.get('attachments') as Provider;
    const deleted: string[] = [];
    const original = att.delete.bind(att);
    (att as { deletedWith?: string }).deletedWith = 'instance';
    att.delete = async (c, id) => {
      deleted.push(id);
      await original(c, id);
    };
    await t.apply(FILE);
    await t.apply(FILE.replace('template: debian-12', 'template: ubuntu-24.04'));
    expect(deleted).toEqual([]);
    expect(t.getState().resources['attachments.data']?.spec.instance).toBe(
      t.getState().resources['instances.web']?.id,
    );
  });

  it('an apply killed after a create reported its id resumes without creating it again', async () => {
    const t = setup();
    const vol = t.providers.get('volumes') as Provider;
    const original = vol.create.bind(vol);
    vol.create = async (c, spec, meta) => {
      const obs = await original(c, spec, meta);
      throw new Error(`process killed after creating ${obs.id}`);
    };
    const { result } = await t.apply(FILE);
    expect(result.failed?.message).toMatch(/killed/);
    const volId = t.getState().resources['volumes.data']?.id;
    expect(volId).toBeDefined();
    vol.create = original;
    const again = await t.apply(FILE);
    expect(again.plan.changes.find((c) => c.address === 'volumes.data')?.action).toBe('no-op');
    expect([...t.cloud.objects.values()].filter((o) => o.kind === 'volumes')).toHaveLength(1);
  });
});
