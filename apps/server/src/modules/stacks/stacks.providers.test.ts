/**
 * The provider contract, one suite run over every built-in provider against the real API and the
 * simulator: create reports an id and reads back what the file said; readAll finds it with list
 * calls and leaves out ids that do not exist; update (where there is one) changes in place;
 * delete removes it and a second delete is a no-op; lookup finds it by name.
 */
import { builtinProviders, type Provider, type ProviderContext, type Spec } from '@proxicloud/iac';
import { createApiClient } from '@proxicloud/sdk';
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, LXC_TEMPLATE, useComputeContext } from '../../testing/compute-kit.ts';
import { testSshPublicKey } from '../../testing/ssh-key.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let admin: TestClient;
let alice: TestClient;
let shared: { volumeId: string; instanceId: string; networkId: string; peerNetworkId: string };

function clientFor(user: TestClient): ProviderContext {
  return {
    stack: 'contract',
    pollMs: 10,
    api: createApiClient({
      baseUrl: 'http://in-process',
      token: user.token,
      fetch: async (req: Request) => {
        const url = new URL(req.url);
        const headers: Record<string, string> = {};
        req.headers.forEach((v, k) => {
          headers[k] = v;
        });
        const body = req.method === 'GET' ? undefined : await req.text();
        const res = await t.ctx.app.inject({
          method: req.method as 'GET',
          url: url.pathname + url.search,
          headers,
          ...(body ? { payload: body } : {}),
        });
        return new Response(
          res.statusCode === 204 || res.rawPayload.length === 0 ? null : new Uint8Array(res.rawPayload),
          {
            status: res.statusCode,
            headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') },
          },
        );
      },
    }),
  };
}

interface Case {
  /** who runs it (quotas: an administrator) */
  as: () => TestClient;
  spec: () => Spec;
  /** a change the provider applies in place, if it can */
  update?: (spec: Spec) => Spec;
  /** fields create must read back exactly */
  readBack: string[];
}

const cases: Record<string, Case> = {
  keyPairs: {
    as: () => alice,
    spec: () => ({ name: 'contract-key', publicKey: testSshPublicKey() }),
    readBack: ['name', 'publicKey'],
  },
  instances: {
    as: () => alice,
    spec: () => ({
      name: 'contract-inst',
      type: 'lxc',
      template: LXC_TEMPLATE,
      vcpu: 1,
      memory: 256,
      tags: { a: '1' },
    }),
    update: (s) => ({ ...s, tags: { a: '2' }, protected: false }),
    readBack: ['name', 'type', 'vcpu', 'memory', 'tags'],
  },
  volumes: {
    as: () => alice,
    spec: () => ({ name: 'contract-vol', size: 1, format: 'filesystem' }),
    readBack: ['name', 'size', 'format'],
  },
  attachments: {
    as: () => alice,
    spec: () => ({
      name: 'contract-att',
      volume: shared.volumeId,
      instance: shared.instanceId,
      mount: '/mnt/c',
    }),
    readBack: ['volume', 'instance'],
  },
  snapshots: {
    as: () => alice,
    spec: () => ({ name: 'contract-snap', volume: shared.volumeId, description: 'contract' }),
    readBack: ['name', 'volume', 'description'],
  },
  networks: {
    as: () => alice,
    spec: () => ({ name: 'contract-net', cidr: '10.77.0.0/24', dhcp: true, snat: false, tags: { a: '1' } }),
    update: (s) => ({ ...s, tags: { a: '2' }, snat: true }),
    readBack: ['name', 'cidr', 'dhcp', 'snat', 'tags'],
  },
  natGateways: {
    as: () => alice,
    spec: () => ({ name: 'contract-nat', networkId: shared.networkId }),
    readBack: ['name', 'networkId', 'kind'],
  },
  routeTables: {
    as: () => alice,
    spec: () => ({ name: 'contract-rt', networkIds: [], routes: [] }),
    update: (s) => ({ ...s, networkIds: [shared.networkId] }),
    readBack: ['name', 'networkIds', 'routes'],
  },
  peerings: {
    as: () => alice,
    spec: () => ({
      name: 'contract-pcx',
      networkId: shared.networkId,
      peerNetworkId: shared.peerNetworkId,
      allowedCidrs: ['10.66.0.0/28'],
    }),
    readBack: ['name', 'networkId', 'peerNetworkId', 'allowedCidrs'],
  },
  securityGroups: {
    as: () => alice,
    spec: () => ({
      name: 'contract-sg',
      description: 'contract',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    }),
    update: (s) => ({
      ...s,
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '10.0.0.0/8' }],
    }),
    readBack: ['name', 'description', 'rules'],
  },
  buckets: {
    as: () => alice,
    spec: () => ({ name: 'contract-bucket', versioning: false }),
    update: (s) => ({ ...s, versioning: true }),
    readBack: ['name', 'versioning'],
  },
  backupPolicies: {
    as: () => alice,
    spec: () => ({
      name: 'contract-bkp',
      schedule: 'daily',
      timezone: 'UTC',
      targets: [{ instanceId: shared.instanceId }, { volumeId: shared.volumeId }] as Spec[],
      retention: { keepDaily: 7 },
      mode: 'snapshot',
      enabled: true,
    }),
    update: (s) => ({
      ...s,
      schedule: '30 2 * * *',
      retention: { keepDaily: 3, keepWeekly: 4 },
      enabled: false,
    }),
    readBack: ['name', 'schedule', 'timezone', 'targets', 'retention', 'mode', 'enabled'],
  },
  notificationChannels: {
    as: () => alice,
    spec: () => ({ name: 'contract-mail', type: 'email', enabled: true, to: ['ops@example.com'] }),
    update: (s) => ({ ...s, to: ['ops@example.com', 'dev@example.com'], enabled: false }),
    readBack: ['name', 'type', 'enabled', 'to'],
  },
  alarms: {
    as: () => alice,
    spec: () => ({
      name: 'contract-alarm',
      resourceType: 'instance',
      resourceId: shared.instanceId,
      metric: 'cpu',
      comparison: '>',
      threshold: 90,
      durationSeconds: 60,
      channelIds: [],
    }),
    update: (s) => ({ ...s, threshold: 75, comparison: '>=', durationSeconds: 120 }),
    readBack: ['name', 'resourceType', 'resourceId', 'metric', 'comparison', 'threshold', 'durationSeconds'],
  },
  secrets: {
    as: () => alice,
    spec: () => ({ name: 'contract/secret', value: 'contract-value-1', description: 'contract' }),
    update: (s) => ({ ...s, value: 'contract-value-2', description: 'contract v2' }),
    readBack: ['name', 'description'],
  },
  quotas: {
    as: () => admin,
    spec: () => ({
      name: alice.user.username,
      vcpu: 64,
      memory: 65536,
      disk: null,
      instances: 10,
      volumes: null,
    }),
    update: (s) => ({ ...s, vcpu: 32 }),
    readBack: ['name', 'vcpu', 'memory', 'instances'],
  },
};

useComputeContext({}, async (c) => {
  t = c;
  admin = t.ctx.admin;
  alice = await t.ctx.newUser({ role: 'operator' });
  // fixtures for the kinds that hang off others: a stopped container and a filesystem volume
  const ctx = clientFor(alice);
  const vol = await ctx.api.POST('/api/v1/volumes', {
    body: { name: 'contract-fixture', sizeGib: 1, format: 'filesystem' },
  });
  const inst = await ctx.api.POST('/api/v1/instances', {
    body: {
      name: 'contract-host',
      type: 'lxc',
      template: LXC_TEMPLATE,
      vcpu: 1,
      memory: 256,
      start: false,
    } as never,
  });
  // and a network for the kinds that hang off networks (NAT gateways, route tables)
  const net = await ctx.api.POST('/api/v1/networks', {
    body: { name: 'contract-fixnet', cidr: '10.66.0.0/24' },
  });
  // and a second one to peer with
  const peer = await ctx.api.POST('/api/v1/networks', {
    body: { name: 'contract-fixpeer', cidr: '10.67.0.0/24' },
  });
  if (!vol.data || !inst.data || !net.data || !peer.data)
    throw new Error(`fixtures failed: ${JSON.stringify(vol.error ?? inst.error ?? net.error ?? peer.error)}`);
  for (const id of [inst.data.operation.id, net.data.activeOperationId!, peer.data.activeOperationId!])
    for (;;) {
      const op = await ctx.api.GET('/api/v1/operations/{id}', { params: { path: { id } } });
      if (op.data?.status === 'succeeded') break;
      if (op.data?.status === 'failed') throw new Error(JSON.stringify(op.data.error));
      await new Promise((r) => setTimeout(r, 10));
    }
  shared = {
    volumeId: vol.data.id,
    instanceId: inst.data.instance.id,
    networkId: net.data.id,
    peerNetworkId: peer.data.id,
  };
});

describe.each(builtinProviders.map((p) => [p.kind, p] as [string, Provider]))(
  'provider contract: %s',
  (kind, provider) => {
    it('has a case here, a schema, and replace rules', () => {
      expect(cases[kind], `add a contract case for ${kind}`).toBeDefined();
      expect(provider.schema).toHaveProperty('properties');
      expect(provider.forceNew === 'all' || Array.isArray(provider.forceNew)).toBe(true);
    });

    it('create → readAll → update → lookup → delete → delete again', async () => {
      const c = cases[kind] as Case;
      const ctx = clientFor(c.as());
      const spec = provider.normalize ? provider.normalize(c.spec()) : c.spec();
      let reported: string | undefined;
      const created = await provider.create(ctx, spec, {
        address: `${kind}.x`,
        idempotencyKey: `contract-${kind}-0001`,
        onId: (id) => (reported = id),
      });
      expect(reported).toBe(created.id);
      for (const f of c.readBack)
        expect(created.spec[f], `${kind}.${f} read back after create`).toEqual(spec[f]);

      const read = await provider.readAll(ctx, [created.id, 'missing-id']);
      expect([...read.keys()]).toEqual([created.id]);
      for (const f of c.readBack) expect(read.get(created.id)?.spec[f]).toEqual(spec[f]);

      if (c.update && provider.update) {
        const next = c.update(spec);
        const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(spec[k]));
        for (const f of changed)
          expect(provider.forceNew === 'all' || provider.forceNew.includes(f)).toBe(false);
        const updated = await provider.update(ctx, created.id, next, changed);
        expect(updated.id).toBe(created.id);
        for (const f of changed) if (f in updated.spec) expect(updated.spec[f]).toEqual(next[f]);
      }

      if (provider.lookup) {
        const found = await provider.lookup(ctx, String(spec.name), spec);
        expect(found?.id).toBe(created.id);
      }

      await provider.delete(ctx, created.id);
      const after = await provider.readAll(ctx, [created.id]);
      if (kind === 'quotas') expect(after.get(created.id)?.outputs.source).not.toBe('user');
      else expect(after.has(created.id)).toBe(false);
      await provider.delete(ctx, created.id); // already gone: not an error
    });
  },
);
