/** Stacks with networks and security groups: instances get NICs and groups by name; groups change in place. */
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

const file = (groups: string) => `
networks:
  - name: lan
    cidr: 10.88.0.0/24
securityGroups:
  - name: ssh
    rules:
      - {direction: inbound, protocol: tcp, fromPort: 22, toPort: 22, cidr: 0.0.0.0/0}
  - name: web
    rules:
      - {direction: inbound, protocol: tcp, fromPort: 443, toPort: 443, cidr: 0.0.0.0/0}
      - {direction: inbound, protocol: tcp, fromPort: 5432, toPort: 5432, sourceSecurityGroupId: "\${securityGroups.ssh.id}"}
instances:
  - name: netbox
    type: lxc
    template: ${LXC_TEMPLATE}
    memory: 256
    networks: [lan]
    securityGroups: [${groups}]
`;

interface Instance {
  id: string;
  name: string;
  nics: { networkId: string }[];
  securityGroupIds: string[];
}

describe('stacks: networks and security groups', () => {
  it('applies, changes an instance’s groups in place, and destroys in dependency order', async () => {
    const first = await runStack(alice, 'netstack', 'apply', { document: file('web') });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    const groups = (await alice.get<{ items: { id: string; name: string }[] }>('/api/v1/security-groups'))
      .body.items;
    const id = (n: string) => groups.find((g) => g.name === n)?.id;
    const net = (
      await alice.get<{ items: { id: string; name: string; tags: Record<string, string> }[] }>(
        '/api/v1/networks',
      )
    ).body.items.find((n) => n.name === 'lan');
    // labelled with the stack, like its instances
    expect(net?.tags['proxicloud:stack']).toBe('netstack');
    const inst = async () =>
      (await alice.get<{ items: Instance[] }>('/api/v1/instances')).body.items.find(
        (i) => i.name === 'netbox',
      );
    const before = await inst();
    expect(before?.nics.map((n) => n.networkId)).toEqual([net?.id]);
    expect(before?.securityGroupIds).toEqual([id('web')]);

    const plan = await alice.post<{ plan: { changes: { address: string; action: string }[] } }>(
      '/api/v1/stacks/netstack/plan',
      { document: file('web, ssh') },
    );
    expect(plan.body.plan.changes.find((c) => c.address === 'instances.netbox')?.action).toBe('update');
    const second = await runStack(alice, 'netstack', 'apply', { document: file('web, ssh') });
    expect(second.body.result).toBe('succeeded');
    const after = await inst();
    expect(after?.id).toBe(before?.id);
    expect([...(after?.securityGroupIds ?? [])].sort()).toEqual([id('ssh'), id('web')].sort());

    const gone = await runStack(alice, 'netstack', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect((await alice.get<{ items: unknown[] }>('/api/v1/security-groups')).body.items).toEqual([]);
    const nets = (await alice.get<{ items: { status: string }[] }>('/api/v1/networks')).body.items;
    expect(nets.filter((n) => n.status !== 'deleted')).toEqual([]);
  });
});
