/**
 * natGateways: outbound NAT for one network (kind sdnSnat: the subnet's SNAT on PVE; natVm: a managed
 * container with a static public address). Every field replaces.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, waitOperation } from './common.ts';

type NatGateway = components['schemas']['NatGateway'];

const observe = (g: NatGateway): Observed => ({
  id: g.id,
  spec: {
    name: g.name,
    networkId: g.networkId,
    kind: g.kind,
    ...(g.kind === 'natVm' && g.publicAddress ? { publicAddress: g.publicAddress } : {}),
  },
  outputs: {
    id: g.id,
    status: g.status,
    ...(g.publicAddress ? { publicAddress: g.publicAddress } : {}),
    ...(g.privateAddress ? { privateAddress: g.privateAddress } : {}),
  },
  ...(g.status === 'error' ? { failed: g.statusReason ?? 'error' } : {}),
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/nat-gateways', { params: { query: { limit: PAGE, offset } } }),
    'list NAT gateways',
  );

export const natGatewaysProvider: Provider = {
  kind: 'natGateways',
  description: 'NAT gateways (outbound NAT for a network)',
  schema: KIND_SCHEMAS.natGateways as Record<string, unknown>,
  forceNew: ['networkId', 'kind', 'name', 'publicAddress'],
  outputs: ['id', 'status', 'publicAddress', 'privateAddress'],
  normalize(spec) {
    return { kind: 'sdnSnat', ...spec };
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map((await list(ctx)).filter((g) => want.has(g.id)).map((g) => [g.id, observe(g)]));
  },
  async lookup(ctx, name) {
    const found = (await list(ctx)).find((g) => g.name === name);
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const g = await ok(
      ctx.api.POST('/api/v1/nat-gateways', {
        body: {
          name: String(spec.name),
          networkId: String(spec.networkId),
          ...(spec.kind === 'natVm' ? { kind: 'natVm' as const } : {}),
          ...(spec.publicAddress !== undefined ? { publicAddress: String(spec.publicAddress) } : {}),
        },
      }),
      `create NAT gateway ${spec.name}`,
    );
    meta.onId(g.id);
    if (g.activeOperationId) await waitOperation(ctx, g.activeOperationId, `create NAT gateway ${spec.name}`);
    return observe(
      await ok(
        ctx.api.GET('/api/v1/nat-gateways/{id}', { params: { path: { id: g.id } } }),
        `read NAT gateway`,
      ),
    );
  },
  async update(ctx, id) {
    // every field replaces: nothing changes in place
    return observe(
      await ok(
        ctx.api.GET('/api/v1/nat-gateways/{id}', { params: { path: { id } } }),
        `read NAT gateway ${id}`,
      ),
    );
  },
  async delete(ctx, id) {
    const op = await okOrGone(
      ctx.api.DELETE('/api/v1/nat-gateways/{id}', { params: { path: { id } } }),
      `delete NAT gateway ${id}`,
    );
    if (op) await waitOperation(ctx, op.id, `delete NAT gateway ${id}`);
  },
};
