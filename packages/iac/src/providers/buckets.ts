/** buckets: S3 buckets (the id is the name). Deleting a bucket that still holds objects fails. */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE } from './common.ts';

type Bucket = components['schemas']['Bucket'];

const observe = (b: Bucket): Observed => ({
  id: b.name,
  spec: { name: b.name },
  outputs: { id: b.name, region: b.region, objectCount: b.objectCount },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/buckets', { params: { query: { limit: PAGE, offset } } }),
    'list buckets',
  );

export const bucketsProvider: Provider = {
  kind: 'buckets',
  description: 'S3 buckets',
  schema: KIND_SCHEMAS.buckets as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'region', 'objectCount'],
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map((await list(ctx)).filter((b) => want.has(b.name)).map((b) => [b.name, observe(b)]));
  },
  async lookup(ctx, name) {
    const found = (await list(ctx)).find((b) => b.name === name);
    return found ? observe(found) : null;
  },
  async create(ctx, spec, meta) {
    const b = await ok(
      ctx.api.POST('/api/v1/buckets', { body: { name: String(spec.name) } }),
      `create bucket ${spec.name}`,
    );
    meta.onId(b.name);
    return observe(b);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/buckets/{bucket}', { params: { path: { bucket: id } } }),
      `delete bucket ${id}`,
    );
  },
};
