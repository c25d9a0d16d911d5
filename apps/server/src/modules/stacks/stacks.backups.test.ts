/** Stacks with backup policies: a policy targets an instance of the same file and changes in place. */
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, LXC_TEMPLATE, useComputeContext } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runStack } from './stacks.test-helpers.ts';

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

const file = (schedule: string, keepDaily: number) => `
instances:
  - name: web
    type: lxc
    template: ${LXC_TEMPLATE}
    memory: 256
backupPolicies:
  - name: nightly
    schedule: "${schedule}"
    targets:
      - instanceId: \${instances.web.id}
    retention:
      keepDaily: ${keepDaily}
`;

interface Policy {
  id: string;
  name: string;
  schedule: string;
  targets: { instanceId?: string }[];
  retention: Record<string, number>;
}

const policies = async () => (await alice.get<{ items: Policy[] }>('/api/v1/backup-policies')).body.items;

describe('stacks: backup policies', () => {
  it('applies, re-applies with no changes, updates in place and destroys', async () => {
    expect(t.ctx.app).toBeDefined();
    const first = await runStack(alice, 'bkpstack', 'apply', { document: file('daily', 7) });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    const inst = (
      await alice.get<{ items: { id: string; name: string }[] }>('/api/v1/instances')
    ).body.items.find((i) => i.name === 'web');
    const [created, ...more] = await policies();
    expect(more).toEqual([]);
    expect(created?.name).toBe('nightly');
    expect(created?.targets).toEqual([{ instanceId: inst?.id }]);
    expect(created?.retention).toEqual({ keepDaily: 7 });

    const again = await runStack(alice, 'bkpstack', 'apply', { document: file('daily', 7) });
    expect(again.status).toBe(200);
    expect(again.body.plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });

    const plan = await alice.post<{ plan: { changes: { address: string; action: string }[] } }>(
      '/api/v1/stacks/bkpstack/plan',
      { document: file('30 2 * * *', 3) },
    );
    const actions = Object.fromEntries(plan.body.plan.changes.map((c) => [c.address, c.action]));
    expect(actions).toEqual({ 'instances.web': 'no-op', 'backupPolicies.nightly': 'update' });
    const second = await runStack(alice, 'bkpstack', 'apply', { document: file('30 2 * * *', 3) });
    expect(second.body.result, JSON.stringify(second.body.error)).toBe('succeeded');
    const [updated] = await policies();
    expect(updated?.id).toBe(created?.id);
    expect(updated?.schedule).toBe('30 2 * * *');
    expect(updated?.retention).toEqual({ keepDaily: 3 });

    const gone = await runStack(alice, 'bkpstack', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect(await policies()).toEqual([]);
  });
});
