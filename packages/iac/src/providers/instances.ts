/**
 * instances: VMs and containers, incl. cloud-init user-data, key pairs, networks and security groups.
 * Tags, protection and security groups change in place.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, STACK_TAG, waitOperation } from './common.ts';

type Instance = components['schemas']['Instance'];

function observe(i: Instance, stack: string): Observed {
  const tags = { ...(i.tags as Record<string, string>) };
  const label = tags[STACK_TAG];
  delete tags[STACK_TAG];
  const spec: Spec = {
    name: i.name,
    type: i.type as string,
    vcpu: i.vcpu,
    memory: i.memory,
    disk: i.sizeGib,
    tags,
    protected: i.protected,
    keyPairs: [...i.keyPairIds].sort(),
    securityGroups: [...((i.securityGroupIds as string[] | undefined) ?? [])].sort(),
  };
  if (i.node) spec.node = i.node as string;
  const outputs: Record<string, Json> = {
    id: i.id,
    ipAddress: (i.ipAddresses[0] as string | undefined) ?? null,
    node: (i.node as string | null) ?? null,
    vmid: (i.vmid as number | null) ?? null,
    status: i.status as string,
  };
  const failed = i.status === 'error' ? ((i.statusReason as string | null) ?? 'error') : undefined;
  if (label !== undefined && label !== stack) outputs.stackLabel = label;
  return { id: i.id, spec, outputs, ...(failed ? { failed } : {}) };
}

async function listInstances(ctx: ProviderContext): Promise<Instance[]> {
  return listAll(
    (offset) => ctx.api.GET('/api/v1/instances', { params: { query: { limit: PAGE, offset } } }),
    'list instances',
  );
}

export const instancesProvider: Provider = {
  kind: 'instances',
  description: 'virtual machines (vm) and containers (lxc)',
  schema: KIND_SCHEMAS.instances as Record<string, unknown>,
  // the API changes tags and protection in place; anything else means a new instance
  forceNew: [
    'name',
    'type',
    'template',
    'instanceType',
    'vcpu',
    'memory',
    'disk',
    'node',
    'storage',
    'bridge',
    'network',
    'user',
    'userData',
    'keyPairs',
    'networks',
  ],
  outputs: ['id', 'ipAddress', 'node', 'vmid', 'status'],
  writeOnly: ['template', 'instanceType', 'storage', 'bridge', 'network', 'user', 'userData', 'networks'],
  normalize(spec) {
    const out = { ...spec };
    if (Array.isArray(out.keyPairs)) out.keyPairs = [...(out.keyPairs as string[])].sort();
    if (Array.isArray(out.securityGroups)) out.securityGroups = [...(out.securityGroups as string[])].sort();
    return out;
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    const out = new Map<string, Observed>();
    for (const i of await listInstances(ctx)) if (want.has(i.id)) out.set(i.id, observe(i, ctx.stack));
    return out;
  },
  async lookup(ctx, name) {
    const found = (await listInstances(ctx)).find((i) => i.name === name);
    return found ? observe(found, ctx.stack) : null;
  },
  async create(ctx, spec, meta) {
    const body: Record<string, unknown> = {
      name: spec.name,
      type: spec.type,
      template: spec.template,
      tags: { ...((spec.tags as Record<string, string> | undefined) ?? {}), [STACK_TAG]: ctx.stack },
    };
    const copy: [string, string][] = [
      ['instanceType', 'instanceType'],
      ['vcpu', 'vcpu'],
      ['memory', 'memory'],
      ['disk', 'sizeGib'],
      ['node', 'node'],
      ['storage', 'storage'],
      ['bridge', 'bridge'],
      ['network', 'network'],
      ['user', 'user'],
      ['userData', 'userData'],
      ['keyPairs', 'keyPairIds'],
      ['networks', 'networkIds'],
      ['securityGroups', 'securityGroupIds'],
      ['protected', 'protected'],
    ];
    for (const [from, to] of copy) if (spec[from] !== undefined) body[to] = spec[from];
    const launched = await ok(
      ctx.api.POST('/api/v1/instances', {
        body: body as never,
        params: { header: { 'idempotency-key': meta.idempotencyKey } },
      }),
      `launch ${spec.name}`,
    );
    meta.onId(launched.instance.id);
    await waitOperation(ctx, launched.operation.id, `launch ${spec.name}`);
    const now = await ok(
      ctx.api.GET('/api/v1/instances/{id}', { params: { path: { id: launched.instance.id } } }),
      `read ${spec.name}`,
    );
    return observe(now, ctx.stack);
  },
  async update(ctx, id, spec) {
    const body: { tags?: Record<string, string>; protected?: boolean } = {
      tags: { ...((spec.tags as Record<string, string> | undefined) ?? {}), [STACK_TAG]: ctx.stack },
    };
    if (typeof spec.protected === 'boolean') body.protected = spec.protected;
    if (Array.isArray(spec.securityGroups)) {
      await ok(
        ctx.api.PUT('/api/v1/instances/{id}/security-groups', {
          params: { path: { id } },
          body: { securityGroupIds: spec.securityGroups as string[] },
        }),
        `set security groups of ${spec.name}`,
      );
    }
    const updated = await ok(
      ctx.api.PUT('/api/v1/instances/{id}', { params: { path: { id } }, body }),
      `update ${spec.name}`,
    );
    return observe(updated, ctx.stack);
  },
  async delete(ctx, id) {
    const current = await okOrGone(
      ctx.api.GET('/api/v1/instances/{id}', { params: { path: { id } } }),
      `read ${id}`,
    );
    if (!current || current.status === 'terminated') return;
    if (current.protected) {
      throw new Error(`${current.name} is protected: set protected: false and apply before removing it`);
    }
    const op = await okOrGone(
      ctx.api.DELETE('/api/v1/instances/{id}', {
        params: { path: { id }, query: { confirm: current.name } },
      }),
      `terminate ${id}`,
    );
    if (op) await waitOperation(ctx, op.operation.id, `terminate ${current.name}`);
  },
};
