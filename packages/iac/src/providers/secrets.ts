/**
 * secrets: values in the vault. `value` is sensitive: it comes from a variable, state and plans keep
 * only its sha-256, and a changed value writes a new version (PUT). A new name replaces the secret;
 * deleting schedules it for removal (the vault's soft delete).
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type Secret = components['schemas']['Secret'];

/** no `value`: the provider never reads it back (the plan compares hashes of the last applied value) */
const observe = (s: Secret): Observed => ({
  id: s.id,
  spec: {
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    ...(Object.keys(s.tags).length ? { tags: s.tags } : {}),
  },
  outputs: { id: s.id, version: s.currentVersion },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/secrets', { params: { query: { limit: PAGE, offset } } }),
    'list secrets',
  );

function body(spec: Spec): Record<string, unknown> {
  const out: Record<string, unknown> = { value: spec.value, encoding: 'text' };
  if (typeof spec.description === 'string') out.description = spec.description;
  if (spec.tags && typeof spec.tags === 'object') out.tags = spec.tags;
  return out;
}

export const secretsProvider: Provider = {
  kind: 'secrets',
  description: 'secrets in the vault (values from variables, never stored by the stack)',
  schema: KIND_SCHEMAS.secrets as Record<string, unknown>,
  forceNew: ['name'],
  outputs: ['id', 'version'],
  sensitive: ['value'],
  writeOnly: ['value'],
  ...readsFromList(list, observe, (s) => !s.deletedAt),
  async create(ctx, spec, meta) {
    const s = await ok(
      ctx.api.POST('/api/v1/secrets', { body: { name: String(spec.name), ...body(spec) } as never }),
      `create secret ${spec.name}`,
    );
    meta.onId(s.id);
    return observe(s);
  },
  async update(ctx, id, spec) {
    await ok(
      ctx.api.PUT('/api/v1/secrets/{name}', { params: { path: { name: id } }, body: body(spec) as never }),
      `update secret ${spec.name}`,
    );
    const s = await ok(
      ctx.api.GET('/api/v1/secrets/{name}/metadata', { params: { path: { name: id } } }),
      `read secret ${spec.name}`,
    );
    return observe(s);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/secrets/{name}', { params: { path: { name: id } } }),
      `delete secret ${id}`,
    );
  },
};
