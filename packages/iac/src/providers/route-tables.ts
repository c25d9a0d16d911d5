/** routeTables: routes to router instances / NAT gateways, associated with networks. Everything changes in place. */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, waitOperation } from './common.ts';

type RouteTable = components['schemas']['RouteTable'];

const route = (r: Record<string, unknown>): Record<string, Json> => ({
  destinationCidr: String(r.destinationCidr),
  targetType: String(r.targetType),
  targetId: String(r.targetId),
});

const observe = (t: RouteTable): Observed => ({
  id: t.id,
  spec: {
    name: t.name,
    networkIds: [...t.networkIds].sort(),
    routes: t.routes.map((r) => route(r as Record<string, unknown>)),
  },
  outputs: { id: t.id },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/route-tables', { params: { query: { limit: PAGE, offset } } }),
    'list route tables',
  );

const body = (spec: Spec) => ({
  name: String(spec.name),
  networkIds: (spec.networkIds as string[] | undefined) ?? [],
  routes: ((spec.routes as Record<string, unknown>[] | undefined) ?? []).map(route),
});

async function settle(ctx: ProviderContext, t: RouteTable, what: string): Promise<Observed> {
  if (t.activeOperationId) await waitOperation(ctx, t.activeOperationId, what);
  return observe(
    await ok(
      ctx.api.GET('/api/v1/route-tables/{id}', { params: { path: { id: t.id } } }),
      `read route table`,
    ),
  );
}

export const routeTablesProvider: Provider = {
  kind: 'routeTables',
  description: 'route tables (routes pushed to running guests)',
  schema: KIND_SCHEMAS.routeTables as Record<string, unknown>,
  forceNew: [],
  outputs: ['id'],
  normalize(spec) {
    const out: Spec = { ...spec };
    out.networkIds = [...((spec.networkIds as string[] | undefined) ?? [])].sort();
    out.routes = ((spec.routes as Record<string, unknown>[] | undefined) ?? []).map(route);
    return out;
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map((await list(ctx)).filter((t) => want.has(t.id)).map((t) => [t.id, observe(t)]));
  },
  async lookup(ctx, name) {
    const found = (await list(ctx)).find((t) => t.name === name && !t.isDefault);
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const t = await ok(
      ctx.api.POST('/api/v1/route-tables', { body: body(spec) as never }),
      `create route table ${spec.name}`,
    );
    meta.onId(t.id);
    return settle(ctx, t, `create route table ${spec.name}`);
  },
  async update(ctx, id, spec) {
    const t = await ok(
      ctx.api.PUT('/api/v1/route-tables/{id}', { params: { path: { id } }, body: body(spec) as never }),
      `update route table ${spec.name}`,
    );
    return settle(ctx, t, `update route table ${spec.name}`);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/route-tables/{id}', { params: { path: { id } } }),
      `delete route table ${id}`,
    );
  },
};
