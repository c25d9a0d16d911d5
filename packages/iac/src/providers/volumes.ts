/** volumes: block or filesystem volumes. Nothing changes in place (the API has no resize). */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, poll, waitOperation } from './common.ts';

type Volume = components['schemas']['Volume'];

export async function listVolumes(ctx: ProviderContext): Promise<Volume[]> {
  return listAll(
    (offset) => ctx.api.GET('/api/v1/volumes', { params: { query: { limit: PAGE, offset } } }),
    'list volumes',
  );
}

function observe(v: Volume): Observed {
  return {
    id: v.id,
    spec: {
      name: v.name,
      size: v.sizeGib,
      volumeType: v.volumeType,
      node: v.node,
      format: v.format as string,
    },
    outputs: { id: v.id, instanceId: (v.instanceId as string | null) ?? null, status: v.status as string },
    ...(v.status === 'error' ? { failed: (v.statusReason as string | null) ?? 'error' } : {}),
  };
}

export const volumesProvider: Provider = {
  kind: 'volumes',
  description: 'block or filesystem volumes',
  schema: KIND_SCHEMAS.volumes as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'instanceId', 'status'],
  async readAll(ctx, ids) {
    const want = new Set(ids);
    const out = new Map<string, Observed>();
    for (const v of await listVolumes(ctx))
      if (want.has(v.id) && v.status !== 'deleted') out.set(v.id, observe(v));
    return out;
  },
  async lookup(ctx, name) {
    const found = (await listVolumes(ctx)).find((v) => v.name === name && v.status !== 'deleted');
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const body: Record<string, unknown> = { name: spec.name, sizeGib: spec.size };
    for (const k of ['volumeType', 'node', 'format']) if (spec[k] !== undefined) body[k] = spec[k];
    const created = await ok(
      ctx.api.POST('/api/v1/volumes', { body: body as never }),
      `create volume ${spec.name}`,
    );
    meta.onId(created.id);
    const ready = await poll(
      ctx,
      () =>
        ok(
          ctx.api.GET('/api/v1/volumes/{id}', { params: { path: { id: created.id } } }),
          `read volume ${spec.name}`,
        ),
      (v) => v.status !== 'creating',
    );
    if (ready.status === 'error')
      throw new Error(`create volume ${spec.name}: ${ready.statusReason ?? 'failed'}`);
    return observe(ready);
  },
  async delete(ctx, id) {
    const v = await okOrGone(
      ctx.api.GET('/api/v1/volumes/{id}', { params: { path: { id } } }),
      `read volume ${id}`,
    );
    if (!v || v.status === 'deleted') return;
    if (v.instanceId) {
      const op = await okOrGone(
        ctx.api.POST('/api/v1/volumes/{id}/detach', { params: { path: { id } }, body: {} }),
        `detach ${v.name}`,
      );
      if (op) await waitOperation(ctx, op.operation.id, `detach ${v.name}`);
    }
    await okOrGone(
      ctx.api.DELETE('/api/v1/volumes/{id}', { params: { path: { id } } }),
      `delete volume ${v.name}`,
    );
  },
};
