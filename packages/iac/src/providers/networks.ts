/**
 * networks: private networks (one PVE SDN VNet + subnet each). Name, tags, SNAT and DHCP change in
 * place. Networks a stack creates carry its label (tag `proxicloud:stack`), like instances.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, STACK_TAG, waitOperation } from './common.ts';

type Network = components['schemas']['Network'];

/** the network's own tags, without the stack label the provider adds */
function ownTags(n: Network): Record<string, string> {
  const tags = { ...(n.tags as Record<string, string>) };
  delete tags[STACK_TAG];
  return tags;
}

/** what the API gets: the file's tags plus the stack's label */
const labelled = (ctx: ProviderContext, spec: Spec) => ({
  ...((spec.tags as Record<string, string> | undefined) ?? {}),
  [STACK_TAG]: ctx.stack,
});

const observe = (n: Network): Observed => ({
  id: n.id,
  spec: {
    name: n.name,
    cidr: n.cidr,
    gateway: n.gateway,
    dhcp: n.dhcp !== null,
    snat: n.snat,
    tags: ownTags(n),
  },
  outputs: { id: n.id, cidr: n.cidr, gateway: n.gateway, vnet: n.vnet, status: n.status as string } as Record<
    string,
    Json
  >,
  ...(n.status === 'error' ? { failed: (n.statusReason as string | null) ?? 'error' } : {}),
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/networks', { params: { query: { limit: PAGE, offset } } }),
    'list networks',
  );

const read = (ctx: ProviderContext, id: string) =>
  ok(ctx.api.GET('/api/v1/networks/{id}', { params: { path: { id } } }), `read network ${id}`);

async function settle(ctx: ProviderContext, n: Network, what: string): Promise<Network> {
  if (n.activeOperationId) await waitOperation(ctx, n.activeOperationId as string, what);
  return (await read(ctx, n.id)) as Network;
}

export const networksProvider: Provider = {
  kind: 'networks',
  description: 'private networks (SDN VNet + subnet)',
  schema: KIND_SCHEMAS.networks as Record<string, unknown>,
  forceNew: ['cidr', 'gateway'],
  outputs: ['id', 'cidr', 'gateway', 'vnet', 'status'],
  normalize(spec) {
    const out = { ...spec };
    if (out.subnet !== undefined) {
      out.cidr ??= out.subnet;
      delete out.subnet;
    }
    return out;
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map(
      (await list(ctx))
        .filter((n) => want.has(n.id) && n.status !== 'deleted')
        .map((n) => [n.id, observe(n)]),
    );
  },
  async lookup(ctx, name) {
    const found = (await list(ctx)).find((n) => n.name === name && n.status !== 'deleted');
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const body: Record<string, unknown> = { name: spec.name, cidr: spec.cidr ?? spec.subnet };
    for (const k of ['gateway', 'dhcp', 'snat']) if (spec[k] !== undefined) body[k] = spec[k];
    body.tags = labelled(ctx, spec);
    const n = await ok(
      ctx.api.POST('/api/v1/networks', { body: body as never }),
      `create network ${spec.name}`,
    );
    meta.onId(n.id);
    return observe(await settle(ctx, n, `create network ${spec.name}`));
  },
  async update(ctx, id, spec: Spec) {
    const body: Record<string, unknown> = { name: spec.name, tags: labelled(ctx, spec) };
    if (spec.dhcp !== undefined) body.dhcp = spec.dhcp;
    if (spec.snat !== undefined) body.snat = spec.snat;
    const n = await ok(
      ctx.api.PUT('/api/v1/networks/{id}', { params: { path: { id } }, body: body as never }),
      `update network ${spec.name}`,
    );
    return observe(await settle(ctx, n, `update network ${spec.name}`));
  },
  async delete(ctx, id) {
    const op = await okOrGone(
      ctx.api.DELETE('/api/v1/networks/{id}', { params: { path: { id } } }),
      `delete network ${id}`,
    );
    if (op) await waitOperation(ctx, op.id, `delete network ${id}`);
  },
};
