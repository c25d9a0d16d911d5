/** Stacks with notification channels and alarms: an alarm references a channel and an instance of the file. */
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

const file = (to: string, threshold: number) => `
instances:
  - name: web
    type: lxc
    template: ${LXC_TEMPLATE}
    memory: 256
notificationChannels:
  - name: mail
    type: email
    to: [${to}]
alarms:
  - name: web-cpu
    resourceType: instance
    resourceId: \${instances.web.id}
    metric: cpu
    comparison: ">"
    threshold: ${threshold}
    durationSeconds: 60
    channelIds: ["\${notificationChannels.mail.id}"]
backupPolicies:
  - name: nightly
    schedule: daily
    targets: [{instanceId: "\${instances.web.id}"}]
    retention: {keepLast: 3}
    notifyChannelIds: ["\${notificationChannels.mail.id}"]
`;

interface Alarm {
  id: string;
  resourceId: string;
  threshold: number;
  channelIds: string[];
}
interface Channel {
  id: string;
  name: string;
  config: { to?: string[] };
}

const list = async <T>(path: string) => (await alice.get<{ items: T[] }>(path)).body.items;

describe('stacks: notification channels and alarms', () => {
  it('applies, re-applies with no changes, updates in place and destroys', async () => {
    expect(t.ctx.app).toBeDefined();
    const first = await runStack(alice, 'monstack', 'apply', { document: file('ops@example.com', 90) });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    const inst = (await list<{ id: string; name: string }>('/api/v1/instances')).find(
      (i) => i.name === 'web',
    );
    const [channel] = await list<Channel>('/api/v1/notification-channels');
    const [alarm] = await list<Alarm>('/api/v1/alarms');
    const [policy] = await list<{ notifyChannelIds: string[] }>('/api/v1/backup-policies');
    expect(channel?.config.to).toEqual(['ops@example.com']);
    expect(alarm?.resourceId).toBe(inst?.id);
    expect(alarm?.channelIds).toEqual([channel?.id]);
    expect(policy?.notifyChannelIds).toEqual([channel?.id]);

    const again = await runStack(alice, 'monstack', 'apply', { document: file('ops@example.com', 90) });
    expect(again.status).toBe(200);

    const next = file('ops@example.com, dev@example.com', 75);
    const plan = await alice.post<{ plan: { changes: { address: string; action: string }[] } }>(
      '/api/v1/stacks/monstack/plan',
      { document: next },
    );
    const actions = Object.fromEntries(plan.body.plan.changes.map((c) => [c.address, c.action]));
    expect(actions).toMatchObject({
      'instances.web': 'no-op',
      'notificationChannels.mail': 'update',
      'alarms.web-cpu': 'update',
      'backupPolicies.nightly': 'no-op',
    });
    const second = await runStack(alice, 'monstack', 'apply', { document: next });
    expect(second.body.result, JSON.stringify(second.body.error)).toBe('succeeded');
    const [channel2] = await list<Channel>('/api/v1/notification-channels');
    const [alarm2] = await list<Alarm>('/api/v1/alarms');
    expect(channel2?.id).toBe(channel?.id);
    expect(channel2?.config.to).toEqual(['ops@example.com', 'dev@example.com']);
    expect(alarm2?.id).toBe(alarm?.id);
    expect(alarm2?.threshold).toBe(75);

    const gone = await runStack(alice, 'monstack', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect(await list('/api/v1/alarms')).toEqual([]);
    expect(await list('/api/v1/notification-channels')).toEqual([]);
    expect(await list('/api/v1/backup-policies')).toEqual([]);
  });
});
