/**
 * peerings: a peering between two of the caller's networks (active at once, no acceptance). The API
 * has no update for peerings, so every field replaces (delete, then create). `allowedCidrs` is the
 * requester side, `peerAllowedCidrs` the peer side (both default to the whole network).
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, poll, waitOperation } from './common.ts';

type Peering = components['schemas']['Peering'];

const GONE = new Set(['deleted', 'rejected']);

const observe = (p: Peering): Observed => ({
  id: p.id,
  spec: {
    name: p.name,
    networkId: p.requester.networkId,
    peerNetworkId: p.accepter.networkId,
    allowedCidrs: [...(p.requester.allowedCidrs ?? [])].sort(),
    peerAllowedCidrs: [...(p.accepter.allowedCidrs ?? [])].sort(),
  },
  outputs: { id: p.id, status: p.status },
  // a connect that failed leaves the peering provisioning with the reason: the next apply replaces it
  ...(p.status === 'provisioning' && p.statusReason ? { failed: p.statusReason } : {}),
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/peerings', { params: { query: { limit: PAGE, offset } } }),
    'list peerings',
  );

const read = (ctx: ProviderContext, id: string) =>
  ok(ctx.api.GET('/api/v1/peerings/{id}', { params: { path: { id } } }), `read peering ${id}`);

export const peeringsProvider: Provider = {
  kind: 'peerings',
  description: 'peerings between two of your networks',
  schema: KIND_SCHEMAS.peerings as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'status'],
  normalize(spec) {
    const out: Spec = { ...spec };
    for (const f of ['allowedCidrs', 'peerAllowedCidrs'] as const)
      if (Array.isArray(spec[f])) out[f] = [...(spec[f] as string[])].sort();
    return out;
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map(
      (await list(ctx)).filter((p) => want.has(p.id) && !GONE.has(p.status)).map((p) => [p.id, observe(p)]),
    );
  },
  async lookup(ctx, name) {
    const found = (await list(ctx)).find(
      (p) => p.name === name && p.yourSide === 'requester' && !GONE.has(p.status),
    );
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const body: Record<string, unknown> = {
      name: String(spec.name),
      networkId: String(spec.networkId),
      peerNetworkId: String(spec.peerNetworkId),
    };
    if (Array.isArray(spec.allowedCidrs) && spec.allowedCidrs.length) body.allowedCidrs = spec.allowedCidrs;
    if (Array.isArray(spec.peerAllowedCidrs) && spec.peerAllowedCidrs.length)
      body.peerAllowedCidrs = spec.peerAllowedCidrs;
    const what = `create peering ${spec.name}`;
    // both sides must be the caller's: a peering with another user's network would wait for their
    // acceptance, which an apply cannot give (the API answers 404 for a network that is not yours)
    const peer = await ctx.api.GET('/api/v1/networks/{id}', {
      params: { path: { id: String(spec.peerNetworkId) } },
    });
    if (peer.response.status === 404)
      throw new Error(
        `${what}: peerNetworkId ${spec.peerNetworkId} is not one of your networks (a peering with another user's network needs their acceptance: use the console or \`proxicloud peerings create\`)`,
      );
    const p = await ok(ctx.api.POST('/api/v1/peerings', { body: body as never }), what);
    meta.onId(p.id);
    if (p.activeOperationId) await waitOperation(ctx, p.activeOperationId, what);
    // both networks are the caller's: the peering ends active (or says why not)
    const done = await poll(
      ctx,
      () => read(ctx, p.id),
      (x) => x.status !== 'provisioning' || !!x.statusReason,
    );
    if (done.status !== 'active')
      throw new Error(`${what}: ${done.status}${done.statusReason ? ` (${done.statusReason})` : ''}`);
    return observe(done);
  },
  async delete(ctx, id) {
    const op = await okOrGone(
      ctx.api.DELETE('/api/v1/peerings/{id}', { params: { path: { id } } }),
      `delete peering ${id}`,
    );
    if (op) await waitOperation(ctx, op.id, `delete peering ${id}`);
  },
};
