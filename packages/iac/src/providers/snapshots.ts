/** snapshots: point-in-time copies of volumes. */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type Snapshot = components['schemas']['Snapshot'];

function observe(s: Snapshot): Observed {
  return {
    id: s.id,
    spec: { name: s.name, volume: s.volumeId, ...(s.description ? { description: s.description } : {}) },
    outputs: { id: s.id, sizeBytes: s.sizeBytes },
  };
}

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/snapshots', { params: { query: { limit: PAGE, offset } } }),
    'list snapshots',
  );

export const snapshotsProvider: Provider = {
  kind: 'snapshots',
  description: 'point-in-time snapshots of volumes',
  schema: KIND_SCHEMAS.snapshots as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'sizeBytes'],
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const body: { name: string; description?: string } = { name: String(spec.name) };
    if (typeof spec.description === 'string') body.description = spec.description;
    const s = await ok(
      ctx.api.POST('/api/v1/volumes/{id}/snapshot', { params: { path: { id: String(spec.volume) } }, body }),
      `snapshot ${spec.name}`,
    );
    meta.onId(s.id);
    return observe(s);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/snapshots/{id}', { params: { path: { id } } }),
      `delete snapshot ${id}`,
    );
  },
};
