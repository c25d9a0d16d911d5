/** examples/iac: every example plans, applies and re-applies with no changes on the simulator. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadFile } from '@proxicloud/iac';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComputeTestContext, useComputeContext } from '../../testing/compute-kit.ts';
import { testSshPublicKey } from '../../testing/ssh-key.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runStack } from './stacks.test-helpers.ts';

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';
const dir = fileURLToPath(new URL('../../../../../examples/iac/', import.meta.url));
const read = (f: string) => fs.readFileSync(`${dir}${f}`, 'utf8');

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

interface Run {
  result: string;
  error: unknown;
  plan: { summary: Record<string, number> };
  stack: { resourceCount: number };
}

async function applyTwice(
  name: string,
  document: string,
  variables: Record<string, unknown>,
  expected: number,
) {
  const plan = await alice.post<{ plan: Run['plan'] }>(`/api/v1/stacks/${name}/plan`, {
    document,
    variables,
  });
  expect(plan.status, plan.text).toBe(200);
  expect(plan.body.plan.summary.create).toBe(expected);
  const run = await runStack(alice, name, 'apply', { document, variables });
  expect(run.status, run.text).toBe(202);
  expect(run.body.result, JSON.stringify(run.body.error)).toBe('succeeded');
  expect(run.body.stack.resourceCount).toBe(expected);
  const again = await runStack(alice, name, 'apply', { document, variables });
  expect(again.body.result).toBe('no-changes');
}

describe('examples/iac', () => {
  it('the seed example (US-018) plans and applies as written: the instance gets a NIC on the network', async () => {
    const file = loadFile(read('seed.yaml'), { defaultStack: 'seed' });
    expect(file.resources.map((r) => r.address)).toContain('networks.production');
    // network + instance + inline volume + its attachment
    await applyTwice('seed', read('seed.yaml'), {}, 4);
    const nets = (
      await alice.get<{ items: { id: string; name: string; cidr: string }[] }>('/api/v1/networks')
    ).body.items;
    const production = nets.find((n) => n.name === 'production');
    expect(production?.cidr).toBe('10.0.1.0/24');
    const web = (
      await alice.get<{ items: { name: string; nics: { networkId: string; ip: string }[] }[] }>(
        '/api/v1/instances',
      )
    ).body.items.find((i) => i.name === 'web-server');
    expect(web?.nics.map((n) => n.networkId)).toEqual([production?.id]);
    expect(web?.nics[0]?.ip).toMatch(/^10\.0\.1\./);
  });

  it('the 3-tier homelab plans, applies and re-applies with no changes', async () => {
    await applyTwice('homelab', read('homelab.yaml'), { admin_key: testSshPublicKey() }, 11);
    const names = (
      await alice.get<{ items: { name: string; tags: Record<string, string> }[] }>('/api/v1/instances')
    ).body.items;
    const proxy = names.find((i) => i.name === 'proxy');
    expect(proxy?.tags.upstream).toMatch(/^i-/);
  });

  it('the two-environment file applies dev and prod as two stacks', async () => {
    for (const env of ['dev', 'prod']) {
      const vars = parse(read(`${env}.vars.yaml`)) as Record<string, unknown>;
      await applyTwice(`shop-${env}`, read('environments.yaml'), vars, 4);
    }
    const list = await alice.get<{ items: { name: string }[] }>('/api/v1/stacks');
    expect(list.body.items.map((s) => s.name)).toEqual(
      expect.arrayContaining(['shop-dev', 'shop-prod', 'homelab']),
    );
  });
});
