/**
 * buckets: S3 buckets (the id is the name). Versioning changes in place; a new name replaces the
 * bucket. Deleting a bucket that still holds objects fails.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE } from './common.ts';

type Bucket = components['schemas']['Bucket'];

const observe = (b: Bucket): Observed => ({
  id: b.name,
  spec: { name: b.name, versioning: b.versioning === 'Enabled' },
  outputs: { id: b.name, region: b.region, objectCount: b.objectCount },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/buckets', { params: { query: { limit: PAGE, offset } } }),
    'list buckets',
  );

async function setVersioning(ctx: ProviderContext, bucket: string, on: boolean): Promise<Observed> {
  await ok(
    ctx.api.PUT('/api/v1/buckets/{bucket}/versioning', {
      params: { path: { bucket } },
      body: { status: on ? 'Enabled' : 'Suspended' },
    }),
    `${on ? 'enable' : 'suspend'} versioning of bucket ${bucket}`,
  );
  return observe(
    await ok(
      ctx.api.GET('/api/v1/buckets/{bucket}', { params: { path: { bucket } } }),
      `read bucket ${bucket}`,
    ),
  );
}

export const bucketsProvider: Provider = {
  kind: 'buckets',
  description: 'S3 buckets',
  schema: KIND_SCHEMAS.buckets as Record<string, unknown>,
  forceNew: ['name'],
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
    if (spec.versioning === true) return setVersioning(ctx, b.name, true);
    return observe(b);
  },
  async update(ctx, id, spec, changed) {
    if (changed.includes('versioning') && typeof spec.versioning === 'boolean')
      return setVersioning(ctx, id, spec.versioning);
    return observe(
      await ok(
        ctx.api.GET('/api/v1/buckets/{bucket}', { params: { path: { bucket: id } } }),
        `read bucket ${id}`,
      ),
    );
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/buckets/{bucket}', { params: { path: { bucket: id } } }),
      `delete bucket ${id}`,
    );
  },
};
