/** The peerings kind (issue 20): schema, references to both networks, replace-only changes. */
import { describe, expect, it } from 'vitest';
import { memoryCloud, memoryProvider } from '../test/memory-provider.ts';
import {
  applyPlan,
  computePlan,
  IacError,
  loadFile,
  type Plan,
  type ProviderContext,
  peeringsProvider,
  readCurrent,
  registry,
  type StackState,
} from './index.ts';

const ctx = { api: {} as ProviderContext['api'], stack: 's' } as ProviderContext;

const file = (allowed: string) => `networks:
  - name: a
    cidr: 10.1.0.0/24
  - name: b
    cidr: 10.2.0.0/24
peerings:
  - name: a-b
    networkId: "\${networks.a.id}"
    peerNetworkId: "\${networks.b.id}"
    allowedCidrs: ${allowed}
`;

function setup() {
  const cloud = memoryCloud();
  const providers = registry([
    memoryProvider(cloud, 'networks', { forceNew: ['cidr'] }),
    // the real provider's comparison rules over an in-memory cloud
    {
      ...memoryProvider(cloud, 'peerings'),
      forceNew: peeringsProvider.forceNew,
      normalize: peeringsProvider.normalize,
    },
  ]);
  let state: StackState = { resources: {} };
  const plan = async (text: string): Promise<Plan> =>
    computePlan(
      loadFile(text, { defaultStack: 's' }),
      state,
      await readCurrent(state, providers, ctx),
      providers,
    );
  const apply = async (text: string) => {
    const p = await plan(text);
    state = (await applyPlan(p, state, providers, ctx, { save: async () => {} })).state;
    return p;
  };
  return { cloud, plan, apply };
}

const actions = (p: Plan) => Object.fromEntries(p.changes.map((c) => [c.address, c.action]));

describe('peerings kind', () => {
  it('is in the schema and refuses a peering without its peer or with unknown fields', () => {
    expect(() => loadFile(file('[10.1.0.0/28]'), { defaultStack: 's' })).not.toThrow();
    const refused = (text: string) => {
      try {
        loadFile(text, { defaultStack: 's' });
      } catch (err) {
        if (err instanceof IacError) return err.issues.map((i) => i.message).join('\n');
        throw err;
      }
      return '';
    };
    expect(refused('peerings:\n  - name: x\n    networkId: net-1\n')).toContain('peerNetworkId');
    expect(
      refused('peerings:\n  - name: x\n    networkId: a\n    peerNetworkId: b\n    routes: []\n'),
    ).toMatch(/routes/);
  });

  it('creates after both networks, ignores the order of ranges, replaces on a range change, deletes first', async () => {
    const s = setup();
    const first = await s.apply(file('[10.1.0.16/28, 10.1.0.0/28]'));
    expect(first.changes.map((c) => c.address)).toEqual(['networks.a', 'networks.b', 'peerings.a-b']);
    const [pcx] = [...s.cloud.objects.values()].filter((o) => o.kind === 'peerings');
    const nets = [...s.cloud.objects.entries()].filter(([, o]) => o.kind === 'networks').map(([id]) => id);
    expect(pcx?.spec).toMatchObject({ networkId: nets[0], peerNetworkId: nets[1] });
    expect(pcx?.spec.allowedCidrs).toEqual(['10.1.0.0/28', '10.1.0.16/28']);

    expect(actions(await s.plan(file('[10.1.0.0/28, 10.1.0.16/28]')))['peerings.a-b']).toBe('no-op');
    expect(actions(await s.plan(file('[10.1.0.0/28]')))['peerings.a-b']).toBe('replace');
    // the peer side's ranges: order ignored, a change replaces, a range of the wrong shape is refused
    const peer = (ranges: string) =>
      `${file('[10.1.0.16/28, 10.1.0.0/28]')}    peerAllowedCidrs: ${ranges}\n`;
    await s.apply(peer('[10.2.0.16/28, 10.2.0.0/28]'));
    const [pcx2] = [...s.cloud.objects.values()].filter((o) => o.kind === 'peerings');
    expect(pcx2?.spec.peerAllowedCidrs).toEqual(['10.2.0.0/28', '10.2.0.16/28']);
    expect(actions(await s.plan(peer('[10.2.0.0/28, 10.2.0.16/28]')))['peerings.a-b']).toBe('no-op');
    expect(actions(await s.plan(peer('[10.2.0.0/28]')))['peerings.a-b']).toBe('replace');
    expect(() => loadFile(peer('10.2.0.0/28'), { defaultStack: 's' })).toThrow(/peerAllowedCidrs/);

    const gone = await s.plan('networks: []\n');
    expect(gone.changes.filter((c) => c.action === 'delete').map((c) => c.address)).toEqual([
      'peerings.a-b',
      'networks.b',
      'networks.a',
    ]);
  });
});
